"""The PyTorch peer of bench/compare: each workload trained the way a PyTorch user writes it.

float64, eager, on the CPU with torch.set_num_threads(2): tensors for the weights, autograd
for the gradients, torch.optim.SGD or torch.optim.Adam for the update, and the whole-set
evaluations at the recorded steps under torch.no_grad(), as nnrun and the NumPy version
make them. It starts from the workload's weights (nnrun's initial weights) and visits the
samples in the workload's order (nnrun's), so its final loss should be nnrun's up to rounding.

Imported by bench/compare only when torch is installed
(`pip install torch --index-url https://download.pytorch.org/whl/cpu`).
"""
import torch
import torch.nn.functional as F

import timing

THREADS = 2

ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}


def version():
    return f"torch {torch.__version__}, {THREADS} threads, float64, eager"


class Network:
    """The layers as tensors: weights (units, inputs) and biases, the trained ones with gradients."""

    def __init__(self, workload):
        self.activations = [layer.activation for layer in workload.layers]
        self.weights = [torch.tensor(layer.weights, dtype=torch.float64, requires_grad=True)
                        for layer in workload.layers]
        self.biases = [torch.tensor(layer.bias, dtype=torch.float64, requires_grad=workload.train_biases)
                       for layer in workload.layers]
        self.trained = self.weights + (self.biases if workload.train_biases else [])

    def logits(self, x):
        """The output layer's net input: out_l = f_l(out_{l-1} W_l^T + b_l) below it."""
        out = x
        for index, (weights, bias) in enumerate(zip(self.weights, self.biases)):
            net = out @ weights.T + bias
            if index == len(self.weights) - 1:
                return net
            out = ACTIVATIONS[self.activations[index]](net)


def loss_function(workload):
    """(network, x, targets) -> the batch's mean loss. Half squared error on the output layer's
    activation; cross entropy from the softmax layer's net input (torch's log-sum-exp), against
    class indices, the targets being one-hot."""
    output = workload.layers[-1].activation
    if workload.loss == "half_squared_error":
        activation = ACTIVATIONS[output]
        return lambda network, x, targets: 0.5 * ((targets - activation(network.logits(x))) ** 2).sum() / len(x)
    assert workload.loss == "cross_entropy" and output == "softmax"
    return lambda network, x, labels: F.cross_entropy(network.logits(x), labels)


def optimizer(workload, parameters):
    name, settings = workload.optimizer
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=settings["lr"], momentum=settings.get("momentum", 0.0))
    return torch.optim.Adam(parameters, lr=settings["lr"])


def train(workload, data):
    """One training run from the workload's initial weights; the loss history (as nnrun records it)."""
    x, targets, batches = data
    network = Network(workload)
    loss_of = loss_function(workload)
    update = optimizer(workload, network.trained)

    def step(inputs, wanted):
        update.zero_grad(set_to_none=True)
        loss = loss_of(network, inputs, wanted)
        loss.backward()
        update.step()
        return loss.detach()

    def evaluate():
        with torch.no_grad():
            return loss_of(network, x, targets)

    history = []
    if batches is None:
        # Full batch in data order: step k + 1's batch loss is the set's loss after k updates.
        for index in range(workload.steps):
            loss = step(x, targets)
            if index % workload.record_every == 0:
                history.append(loss)
    else:
        history.append(evaluate())
        for index, rows in enumerate(batches, start=1):
            step(x[rows], targets[rows])
            if index % workload.record_every == 0 or index == workload.steps:
                history.append(evaluate())
    if batches is None:
        history.append(evaluate())
    return [float(loss) for loss in history]


def prepared(workload):
    """The data as tensors (cross entropy's targets as class indices), the batches as index tensors."""
    x = torch.tensor(workload.x, dtype=torch.float64)
    if workload.loss == "cross_entropy":
        targets = torch.tensor(workload.targets.argmax(axis=1), dtype=torch.int64)
    else:
        targets = torch.tensor(workload.targets, dtype=torch.float64)
    batches = None if workload.batches is None else [torch.tensor(rows, dtype=torch.int64) for rows in workload.batches]
    return x, targets, batches


def time_training(workload, runs):
    """Median in-process seconds of a training run over `runs` runs after one warm-up, and the final loss.
    The data are made into tensors once, before and outside the timed runs."""
    torch.set_num_threads(THREADS)
    data = prepared(workload)
    seconds, history = timing.median_seconds(lambda: train(workload, data), runs)
    return seconds, history[-1]

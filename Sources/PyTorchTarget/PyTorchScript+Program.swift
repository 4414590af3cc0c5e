/// The training code every compiled script shares, after its generated constants
/// (`PyTorchScript.header`). It reads `INPUTS`, `LAYERS`, `DATA`, ... and
/// `initial_parameters()`; Docs/pytorch.md explains how it maps to nnrun's rules.
extension PyTorchScript {
    static let program = #"""
HERE = os.path.dirname(os.path.abspath(__file__))
CLASSIFICATION = LOSS in ("cross_entropy", "binary_cross_entropy")


# ---------------------------------------------------------------------------------------
# Data: the samples nnrun trains on, read the way nnrun reads them (Docs/spec-format.md).

def resolve(path):
    """A data file named in the spec: absolute, or relative to this script's folder."""
    return path if os.path.isabs(path) else os.path.join(HERE, path)


def read_csv(source, outputs):
    """The header names the columns; blank rows are skipped; cells are trimmed numbers, or
    one-hot labels expanded in the order of `classes` (two classes on one output unit: the
    class's index, 0 or 1, is the target)."""
    with open(resolve(source["csv"]), newline="", encoding="utf-8-sig") as file:
        rows = [row for row in csv.reader(file) if any(cell.strip() for cell in row)]
    header, rows = rows[0], rows[1:]
    column = {name: index for index, name in reversed(list(enumerate(header)))}
    inputs = [[float(row[column[name]].strip()) for name in source["inputs"]] for row in rows]
    if source["one_hot"] is None:
        targets = [[float(row[column[name]].strip()) for name in source["targets"]] for row in rows]
    else:
        classes, label = source["one_hot"]["classes"], column[source["one_hot"]["column"]]
        if outputs == 1 and len(classes) == 2:
            targets = [[float(classes.index(row[label].strip()))] for row in rows]
        else:
            targets = [[1.0 if row[label].strip() == name else 0.0 for name in classes] for row in rows]
    return np.array(inputs, dtype=np.float64).reshape(len(rows), -1), np.array(targets, dtype=np.float64).reshape(len(rows), outputs)


def read_npy(source, outputs):
    """Float arrays (float32 widened exactly, integers converted); integer targets are class
    labels, one-hot encoded (on one output unit: the label 0 or 1 is the target)."""
    inputs = np.load(resolve(source["npy_inputs"]), allow_pickle=False)
    targets = np.load(resolve(source["npy_targets"]), allow_pickle=False)
    inputs = inputs.astype(np.float64).reshape(len(inputs), -1)
    if np.issubdtype(targets.dtype, np.integer) and outputs == 1:
        targets = targets.reshape(-1, 1)
    elif np.issubdtype(targets.dtype, np.integer):
        targets = np.eye(outputs, dtype=np.float64)[targets.reshape(-1).astype(np.int64)]
    return inputs, targets.astype(np.float64).reshape(len(targets), outputs)


def read_samples(source, count):
    """(inputs, targets) as float64 arrays of shapes (samples, inputs) and (samples, outputs)."""
    outputs = LAYERS[-1]["units"]
    if source is None:
        return np.zeros((0, INPUTS)), np.zeros((0, outputs))
    if "csv" in source:
        inputs, targets = read_csv(source, outputs)
    elif "npy_inputs" in source:
        inputs, targets = read_npy(source, outputs)
    else:
        inputs = np.array(source["inputs"], dtype=np.float64).reshape(-1, INPUTS)
        targets = np.array(source["targets"], dtype=np.float64).reshape(-1, outputs)
    if len(inputs) != count or inputs.shape[1] != INPUTS:
        sys.exit("error: the data has changed since the script was compiled: expected %d samples of %d inputs, found %s"
                 % (count, INPUTS, "x".join(map(str, inputs.shape))))
    return inputs, targets


def training_and_validation():
    """The training and validation samples: the data as read, or (SPLIT) the data split as
    nnrun splits it; then (SCALE) the inputs scaled with constants fitted on the training
    samples (Docs/spec-format.md, "Validation split" and "Input scaling"). Samples listed in
    the script (PREPARED) are written already split and scaled, with nnrun's constants."""
    if SPLIT is None or PREPARED:
        x, t = read_samples(DATA, SAMPLES)
        vx, vt = read_samples(VALIDATION, VALIDATION_SAMPLES)
        held_out = PREPARED_VALIDATION_INDICES
    else:
        inputs, targets = read_samples(DATA, SPLIT["samples"])
        n = len(inputs)
        count = math.floor(SPLIT["fraction"] * n)
        if SPLIT["seed"] is None:
            held = set(range(n - count, n))
        else:
            order = list(range(n))
            Xoshiro256StarStar(SPLIT["seed"]).permute(order)
            held = set(order[:count])
        training = [i for i in range(n) if i not in held]
        validation = [i for i in range(n) if i in held]
        x, t, vx, vt = inputs[training], targets[training], inputs[validation], targets[validation]
        held_out = validation
    scaling = None
    if SCALE is not None and PREPARED:
        scaling = {key: np.array(value) for key, value in PREPARED_SCALING.items()}
    elif SCALE is not None:
        scaling = fit_scaling(x)
        x, vx = (x - scaling["offset"]) / scaling["scale"], (vx - scaling["offset"]) / scaling["scale"]
    return x, t, vx, vt, scaling, held_out


def fit_scaling(x):
    """Per input column, sums as plain additions in sample order (Python floats, not numpy's
    pairwise sum): standardize's mean and population standard deviation, or minmax's
    minimum and range; a scale of 0 becomes 1."""
    offset, scale = [], []
    for j in range(x.shape[1]):
        column = [float(value) for value in x[:, j]]
        if SCALE == "standardize":
            total = 0.0
            for value in column:
                total += value
            mean = total / len(column)
            squares = 0.0
            for value in column:
                d = value - mean
                squares += d * d
            offset.append(mean)
            scale.append(math.sqrt(squares / len(column)))
        else:
            offset.append(min(column))
            scale.append(max(column) - min(column))
        if scale[-1] == 0.0:
            scale[-1] = 1.0
    return {"offset": np.array(offset), "scale": np.array(scale)}


# ---------------------------------------------------------------------------------------
# Shuffling: nnrun's generator (Docs/random.md), integer operations only.

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    """xoshiro256** 1.0 seeded with SplitMix64's outputs 1 to 4."""

    def __init__(self, seed):
        state, self.s = seed & MASK, []
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        """Uniform on [0, 1): the top 53 bits times 2^-53."""
        return float(self.next() >> 11) * 2.0 ** -53

    def permute(self, order):
        """One Fisher-Yates pass, from the last position down."""
        for i in range(len(order) - 1, 0, -1):
            j = min(i, math.floor(self.uniform() * float(i + 1)))
            order[i], order[j] = order[j], order[i]


class Batches:
    """The samples of each step: consecutive runs of the epoch's order (the last one of an
    epoch may be shorter). With a shuffle, every epoch starts from the data order 0..n-1
    and applies one permutation drawn from a generator that runs on across epochs."""

    def __init__(self, count):
        self.count, self.position = count, 0
        self.generator = None if SHUFFLE_SEED is None else Xoshiro256StarStar(SHUFFLE_SEED)
        self.order = list(range(count))

    def next(self):
        if self.position == 0 and self.generator is not None:
            self.order = list(range(self.count))
            self.generator.permute(self.order)
        end = min(self.position + BATCH_SIZE, self.count)
        batch = self.order[self.position:end]
        self.position = 0 if end == self.count else end
        return batch


# ---------------------------------------------------------------------------------------
# The network.

class Layer(torch.nn.Module):
    """net = W x + b with W of shape (units, inputs), as torch.nn.Linear holds it; a shared
    bias is one parameter broadcast over the units; out = f(net)."""

    def __init__(self, inputs, spec, weights, bias, dtype, device):
        super().__init__()
        self.name, self.activation, self.alpha = spec["name"], spec["activation"], spec["alpha"]
        self.bias_kind = spec["bias"]
        self.linear = torch.nn.Linear(inputs, spec["units"], bias=self.bias_kind == "per_unit", dtype=dtype, device=device)
        self.shared_bias = None
        with torch.no_grad():
            self.linear.weight.copy_(torch.as_tensor(weights))
            if self.bias_kind == "per_unit":
                self.linear.bias.copy_(torch.as_tensor(bias))
        if self.bias_kind == "shared":
            self.shared_bias = torch.nn.Parameter(torch.as_tensor(bias).clone())
        for parameter in self.biases():
            parameter.requires_grad_(TRAIN_BIASES)

    def biases(self):
        return [p for p in (self.linear.bias, self.shared_bias) if p is not None]

    def trained(self):
        return [self.linear.weight] + (self.biases() if TRAIN_BIASES else [])

    def net(self, x):
        net = self.linear(x)
        return net + self.shared_bias if self.shared_bias is not None else net

    def activate(self, net):
        if self.activation == "sigmoid":
            return torch.sigmoid(net)
        if self.activation == "tanh":
            return torch.tanh(net)
        if self.activation == "relu":
            return torch.relu(net)
        if self.activation == "leaky_relu":
            return torch.nn.functional.leaky_relu(net, self.alpha)
        if self.activation == "softmax":
            return torch.softmax(net, dim=1)
        return net

    def slope(self, net, out):
        """dout/dnet (relu'(0) = 0, leaky_relu'(0) = alpha, as torch's backward; 1 for softmax,
        whose loss differentiates with respect to net)."""
        if self.activation == "sigmoid":
            return out * (1 - out)
        if self.activation == "tanh":
            return 1 - out * out
        if self.activation == "relu":
            return (net > 0).to(net.dtype)
        if self.activation == "leaky_relu":
            return torch.where(net > 0, torch.ones_like(net), torch.full_like(net, self.alpha))
        return torch.ones_like(net)

    def parameters_json(self):
        bias = None
        if self.shared_bias is not None:
            bias = [float(self.shared_bias[0])] * self.linear.out_features
        elif self.linear.bias is not None:
            bias = self.linear.bias.tolist()
        return {"name": self.name, "weights": self.linear.weight.tolist(), "bias": bias,
                "bias_shared": self.shared_bias is not None}


class Network(torch.nn.Module):
    def __init__(self, parameters, dtype, device):
        super().__init__()
        layers, inputs, offset = [], INPUTS, 0
        for spec in LAYERS:
            units = spec["units"]
            weights = parameters[offset:offset + units * inputs].reshape(units, inputs)
            offset += units * inputs
            bias_count = {"none": 0, "shared": 1, "per_unit": units}[spec["bias"]]
            bias = parameters[offset:offset + bias_count]
            offset += bias_count
            layers.append(Layer(inputs, spec, weights, bias, dtype, device))
            inputs = units
        self.layers = torch.nn.ModuleList(layers)

    def forward(self, x):
        """The output layer's net input and output."""
        for layer in self.layers:
            net = layer.net(x)
            x = layer.activate(net)
        return net, x


# ---------------------------------------------------------------------------------------
# Losses: per sample E_s (the sum of the output terms); a batch's loss is their mean.

class BinaryCrossEntropyFromLogits(torch.autograd.Function):
    """E_s = sum_k max(z, 0) - z t + log(1 + e^-|z|) from the logits z; dE_s/dz = sigmoid(z) - t."""

    @staticmethod
    def forward(ctx, z, t):
        ctx.save_for_backward(torch.sigmoid(z) - t)
        return (torch.clamp(z, min=0) - z * t + torch.log1p(torch.exp(-torch.abs(z)))).sum(dim=1)

    @staticmethod
    def backward(ctx, grad):
        (difference,) = ctx.saved_tensors
        return grad[:, None] * difference, None


class CrossEntropyFromLogits(torch.autograd.Function):
    """E_s = sum_k t_k (logsumexp(z) - z_k) (a zero target adds nothing); dE_s/dz = softmax(z) - t."""

    @staticmethod
    def forward(ctx, z, t):
        ctx.save_for_backward(torch.softmax(z, dim=1) - t)
        terms = t * (torch.logsumexp(z, dim=1, keepdim=True) - z)
        return torch.where(t == 0, torch.zeros_like(terms), terms).sum(dim=1)

    @staticmethod
    def backward(ctx, grad):
        (difference,) = ctx.saved_tensors
        return grad[:, None] * difference, None


def sample_losses(net, out, t):
    if LOSS == "half_squared_error":
        return (0.5 * (t - out) ** 2).sum(dim=1)
    if LOSS == "mse":
        return ((t - out) ** 2 / t.shape[1]).sum(dim=1)
    if LOSS == "binary_cross_entropy":
        return BinaryCrossEntropyFromLogits.apply(net, t)
    return CrossEntropyFromLogits.apply(net, t)


def accuracy(out, t):
    if LOSS == "cross_entropy":        # the largest output at the largest target (first on ties)
        return float((out.argmax(dim=1) == t.argmax(dim=1)).to(out.dtype).mean())
    return float(((out > 0.5) == (t > 0.5)).to(out.dtype).mean())


# ---------------------------------------------------------------------------------------
# Processes: one, or K under `torchrun --nproc_per_node K`; each takes its share of every
# batch, and the gradients are summed across processes.

class Processes:
    def __init__(self, device):
        self.count = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        if self.count > 1 and not dist.is_initialized():
            dist.init_process_group("nccl" if device.type == "cuda" else "gloo")

    def share(self, rows):
        """This process's contiguous part of a batch (possibly empty)."""
        return rows[len(rows) * self.rank // self.count:len(rows) * (self.rank + 1) // self.count]

    def sum(self, tensor):
        if self.count > 1:
            dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor


# ---------------------------------------------------------------------------------------
# One training step on the batch's rows x, t (this process's share) of a batch of
# `size` samples. Each process's loss sum is divided by the whole batch's size, so the
# summed gradients are those of the batch mean, also for uneven shares.

def optimizer_for(parameters):
    if OPTIMIZER["name"] == "adam":
        return torch.optim.Adam(parameters, lr=LEARNING_RATE, betas=(OPTIMIZER["beta1"], OPTIMIZER["beta2"]),
                                eps=OPTIMIZER["epsilon"], weight_decay=OPTIMIZER["weight_decay"])
    if OPTIMIZER["name"] == "adamw":
        return torch.optim.AdamW(parameters, lr=LEARNING_RATE, betas=(OPTIMIZER["beta1"], OPTIMIZER["beta2"]),
                                 eps=OPTIMIZER["epsilon"], weight_decay=OPTIMIZER["weight_decay"])
    if OPTIMIZER["name"] == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=LEARNING_RATE, alpha=OPTIMIZER["alpha"], eps=OPTIMIZER["epsilon"],
                                   weight_decay=OPTIMIZER["weight_decay"], momentum=OPTIMIZER["momentum"],
                                   centered=OPTIMIZER["centered"])
    return torch.optim.SGD(parameters, lr=LEARNING_RATE, momentum=OPTIMIZER["momentum"],
                           nesterov=OPTIMIZER["nesterov"], weight_decay=OPTIMIZER["weight_decay"])


def learning_rate(step):
    """The rate of update number `step` (1 for the first): torch.optim.lr_scheduler's closed
    forms on k, the update's epoch (counted from 0) or, with every: step, the updates before
    it; a warm-up of N uses LEARNING_RATE * k / N for k < N, then the schedule runs on k - N.
    Each param_group's lr is set to it before the step (Docs/pytorch.md)."""
    if SCHEDULE is None:
        return LEARNING_RATE
    k = step - 1 if SCHEDULE["every"] == "step" else (step - 1) // STEPS_PER_EPOCH
    if k < SCHEDULE["warmup"]:
        return LEARNING_RATE * k / SCHEDULE["warmup"]
    j = k - SCHEDULE["warmup"]
    if SCHEDULE["name"] == "step":
        return LEARNING_RATE * SCHEDULE["gamma"] ** (j // SCHEDULE["step_size"])
    if SCHEDULE["name"] == "exponential":
        return LEARNING_RATE * SCHEDULE["gamma"] ** j
    eta_min = SCHEDULE["eta_min"]
    return eta_min + (LEARNING_RATE - eta_min) * (1 + math.cos(math.pi * j / SCHEDULE["t_max"])) / 2


def deferred_step(network, optimizers, x, t, size, processes):
    """Standard backpropagation: every gradient from the parameters before the step, then
    every layer's update."""
    for optimizer in optimizers:
        optimizer.zero_grad(set_to_none=False)
    net, out = network(x)
    loss_sum = sample_losses(net, out, t).sum()
    (loss_sum / size).backward()
    for layer in network.layers:
        for parameter in layer.trained():
            processes.sum(parameter.grad)
    for optimizer in optimizers:
        optimizer.step()
    return float(processes.sum(loss_sum.detach().clone())) / size


def immediate_step(network, optimizers, x, t, size, processes):
    """`update: immediate`: from the output layer backwards, each layer is updated as soon as
    its gradients are known, and the layer below gets d_out = delta W with the *updated* W
    and its slope from the step's original forward pass (the forward pass is not redone)."""
    layers = network.layers
    inputs, nets, outs = [], [], []
    with torch.no_grad():
        h = x
        for layer in layers:
            inputs.append(h)
            nets.append(layer.net(h))
            h = layer.activate(nets[-1])
            outs.append(h)
    z = nets[-1].clone().requires_grad_()
    losses = sample_losses(z, layers[-1].activate(z), t)
    (delta,) = torch.autograd.grad(losses.sum(), z)            # dE_s/dnet, per sample
    with torch.no_grad():
        for index in reversed(range(len(layers))):
            layer = layers[index]
            if index < len(layers) - 1:
                delta = d_out * layer.slope(nets[index], outs[index])
            layer.linear.weight.grad = processes.sum(delta.T @ inputs[index] / size)
            if TRAIN_BIASES and layer.bias_kind == "per_unit":
                layer.linear.bias.grad = processes.sum(delta.sum(dim=0) / size)
            if TRAIN_BIASES and layer.bias_kind == "shared":
                layer.shared_bias.grad = processes.sum(delta.sum().reshape(1) / size)
            optimizers[index].step()
            if index > 0:
                d_out = delta @ layer.linear.weight
    return float(processes.sum(losses.detach().sum())) / size


# ---------------------------------------------------------------------------------------
# Training, recorded as nnrun records it (Docs/results-format.md).

@torch.no_grad()
def evaluate(network, x, t, vx, vt, validation=True):
    net, out = network(x)
    metrics = {"loss": float(sample_losses(net, out, t).sum()) / len(x), "outputs": out}
    metrics["accuracy"] = accuracy(out, t) if CLASSIFICATION else None
    metrics["validation_loss"] = metrics["validation_accuracy"] = float("nan")
    if validation and len(vx) > 0:
        vnet, vout = network(vx)
        metrics["validation_loss"] = float(sample_losses(vnet, vout, vt).sum()) / len(vx)
        metrics["validation_accuracy"] = accuracy(vout, vt) if CLASSIFICATION else float("nan")
    return metrics


def evaluation_json(network, metrics, has_validation, step=None):
    document = {} if step is None else {"step": step}
    document["loss"] = metrics["loss"]
    if CLASSIFICATION:
        document["accuracy"] = metrics["accuracy"]
    if has_validation:
        document["validation_loss"] = metrics["validation_loss"]
        if CLASSIFICATION:
            document["validation_accuracy"] = metrics["validation_accuracy"]
    document["outputs"] = metrics["outputs"].tolist()
    document["layers"] = [layer.parameters_json() for layer in network.layers]
    return document


class EarlyStopping:
    """Keras' EarlyStopping rule at nnrun's check steps, the multiples of RECORD_EVERY
    (Docs/spec-format.md, "Early stopping"): an improvement beats the best value by more
    than min_delta; wait counts checks since the last one; training stops when wait
    reaches patience, never at the first check."""

    def __init__(self):
        self.upwards = EARLY_STOPPING["monitor"] == "validation_accuracy"
        self.best = -math.inf if self.upwards else math.inf
        self.best_step, self.best_parameters, self.wait, self.checks, self.stopped = None, None, 0, 0, False

    def stops(self, step, metrics, network):
        if step % RECORD_EVERY != 0:
            return False
        value, delta = metrics[EARLY_STOPPING["monitor"]], EARLY_STOPPING["min_delta"]
        self.checks += 1
        self.wait += 1
        if (value - delta > self.best) if self.upwards else (value + delta < self.best):
            self.best, self.best_step, self.wait = value, step, 0
            if EARLY_STOPPING["restore_best"]:
                self.best_parameters = [p.detach().clone() for p in network.parameters()]
            return False
        self.stopped = self.wait >= EARLY_STOPPING["patience"] and self.checks > 1
        return self.stopped

    def restore(self, network):
        if not EARLY_STOPPING["restore_best"] or self.best_parameters is None:
            return False
        with torch.no_grad():
            for parameter, best in zip(network.parameters(), self.best_parameters):
                parameter.copy_(best)
        return True

    def outcome(self, step):
        restored = EARLY_STOPPING["restore_best"] and self.best_step is not None
        return {"monitor": EARLY_STOPPING["monitor"], "stopped": self.stopped, "step": step,
                "epoch": -(-step // STEPS_PER_EPOCH), "best_step": self.best_step,
                "best": self.best if self.best_step is not None else None,
                "parameters_step": self.best_step if restored else step}


def finite_or_null(value):
    """JSON has no NaN or infinity: nnrun writes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [finite_or_null(item) for item in value]
    if isinstance(value, dict):
        return {key: finite_or_null(item) for key, item in value.items()}
    return value


def train(options):
    dtype = {"float64": torch.float64, "float32": torch.float32}[options.dtype]
    device = torch.device(options.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("error: --device cuda: torch finds no CUDA device here (torch.cuda.is_available() is False)")
    processes = Processes(device)
    if device.type == "cuda" and processes.count > 1:
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    as_tensor = lambda array: torch.as_tensor(array, dtype=dtype, device=device)
    x, t, vx, vt, scaling, held_out = training_and_validation()
    x, t, vx, vt = map(as_tensor, (x, t, vx, vt))
    network = Network(as_tensor(initial_parameters()), dtype, device)
    optimizers = [optimizer_for(layer.trained()) for layer in network.layers]
    step_rule = immediate_step if UPDATE == "immediate" else deferred_step
    has_validation = VALIDATION_SAMPLES > 0

    recorded = sorted(set(range(0, STEPS + 1, RECORD_EVERY)) | {STEPS} | set(RECORD_EXTRA_STEPS))
    history = {"step": [], "loss": [], "accuracy": [], "validation_loss": [], "validation_accuracy": []}

    def record(step, metrics):
        if history["step"] and history["step"][-1] == step:
            return
        history["step"].append(step)
        for key in ("loss", "accuracy", "validation_loss", "validation_accuracy"):
            history[key].append(metrics[key])

    current = evaluate(network, x, t, vx, vt)
    initial = evaluation_json(network, current, has_validation)
    record(0, current)
    # With the whole set in data order as every batch, nnrun evaluates after every step (that
    # evaluation is the next step's forward pass), so it notices a non-finite loss a step earlier.
    whole_set_in_order = BATCH_SIZE >= SAMPLES and SHUFFLE_SEED is None
    batches, status, step, evaluated_now = Batches(SAMPLES), "completed", 0, True
    wanted = set(recorded)
    stopping = EarlyStopping() if EARLY_STOPPING is not None else None
    while step < STEPS:
        step += 1
        batch = batches.next()
        rows = torch.tensor(processes.share(batch), dtype=torch.long, device=device)
        if SCHEDULE is not None:
            for optimizer in optimizers:
                for group in optimizer.param_groups:
                    group["lr"] = learning_rate(step)
        batch_loss = step_rule(network, optimizers, x[rows], t[rows], len(batch), processes)
        evaluated_now = False
        if whole_set_in_order or step in wanted:
            current = evaluate(network, x, t, vx, vt, validation=step in wanted)
            evaluated_now = True
            if step in wanted:
                record(step, current)
        if not math.isfinite(batch_loss) or (evaluated_now and not math.isfinite(current["loss"])):
            status = "diverged"
            break
        if evaluated_now and stopping is not None and stopping.stops(step, current, network):
            break
    if not evaluated_now:
        current = evaluate(network, x, t, vx, vt)
    record(step, current)
    parameters_step = step
    if stopping is not None and stopping.restore(network):
        parameters_step = stopping.best_step
        current = evaluate(network, x, t, vx, vt)

    results = {"format": "nnrun.results/1", "spec": SPEC}
    if SPLIT is not None:
        results["validation_split"] = {"split": SPLIT["fraction"], "seed": SPLIT["seed"], "samples": SPLIT["samples"],
                                       "validation_indices": held_out}
    if scaling is not None:
        results["input_scaling"] = {"method": SCALE, "offset": scaling["offset"].tolist(), "scale": scaling["scale"].tolist()}
    results["status"] = status
    if stopping is not None:
        results["early_stopping"] = stopping.outcome(step)
    results.update({"steps": step, "initial": initial,
                    "final": evaluation_json(network, current, has_validation, step=parameters_step),
                    "history": {"step": history["step"], "loss": history["loss"]}})
    if CLASSIFICATION:
        results["history"]["accuracy"] = history["accuracy"]
    if has_validation:
        results["history"]["validation_loss"] = history["validation_loss"]
        if CLASSIFICATION:
            results["history"]["validation_accuracy"] = history["validation_accuracy"]
    if SCHEDULE is not None:
        results["history"]["learning_rate"] = [learning_rate(max(step, 1)) for step in history["step"]]
    if processes.rank == 0 and options.output:
        temporary = options.output + ".partial"
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(finite_or_null(results), file, indent=2, ensure_ascii=False)
            file.write("\n")
        os.replace(temporary, options.output)
    if processes.rank == 0:
        # The process count says that torchrun split the batches (1 is left unsaid).
        on = " on %d processes" % processes.count if processes.count > 1 else ""
        print("%s: %s after %d steps%s, loss %r" % (SPEC["name"], status, step, on, current["loss"]))
    return 3 if status == "diverged" else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train " + SPEC["name"] + " as nnrun does, in PyTorch.")
    parser.add_argument("-o", "--output", help="write the results file (nnrun.results/1, without trace) here")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"],
                        help="float64 (default) reproduces nnrun; float32 is faster and does not")
    return train(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
"""#
}

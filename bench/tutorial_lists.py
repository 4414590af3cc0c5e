#!/usr/bin/env python3
"""The tutorial workload (specs/bench/w1.yaml) as a general pure-Python network, no libraries.

The same training as bench/tutorial_pure.py, written the way a general network is written
in plain Python rather than unrolled to eight weights: the network is a list of layers,
each a list of weight rows (units x inputs) and a list of biases, and the forward pass,
the backward pass and the update are loops over layers, units and inputs.

The network and data are constants copied from specs/bench/w1.yaml (the YAML is not read):
the 2-2-2 network of "A Step by Step Backpropagation Example", inputs [0.05, 0.10],
sigmoid hidden layer (weights [[0.15, 0.20], [0.25, 0.30]], shared bias 0.35), sigmoid
output layer (weights [[0.40, 0.45], [0.50, 0.55]], shared bias 0.60), biases held fixed,
one sample with targets [0.01, 0.99], half squared error

    E = sum over outputs k of 1/2 (t_k - o_k)^2,

10,000 steps of gradient descent with learning rate 0.5, deferred updates (every gradient
from the weights before the step), and the loss recorded at every step: a history of
10,001 losses, after 0, 1, ..., 10,000 updates (step k's forward pass gives the loss after
k updates; one more forward pass gives the last). Prints one JSON line:
{"final_loss": E after 10,000 steps, "train_seconds": the loop's time}.
"""
import json
import math
import time

STEPS = 10000
LEARNING_RATE = 0.5
TRAIN_BIASES = False

# Layers from the inputs to the outputs: weight rows (one per unit, one weight per input)
# and a bias per unit (the spec's shared bias repeated).
NETWORK = [
    {"weights": [[0.15, 0.20], [0.25, 0.30]], "bias": [0.35, 0.35]},
    {"weights": [[0.40, 0.45], [0.50, 0.55]], "bias": [0.60, 0.60]},
]
INPUTS = [0.05, 0.10]
TARGETS = [0.01, 0.99]


def sigmoid(x):
    """1 / (1 + e^-x), computed as e^x / (1 + e^x) for x < 0 (nnrun's formula)."""
    if x < 0:
        e = math.exp(x)
        return e / (1 + e)
    return 1 / (1 + math.exp(-x))


def forward(network, inputs):
    """Return every layer's outputs, the inputs first: outs[l + 1] = sigmoid(W_l outs[l] + b_l)."""
    outputs = [inputs]
    for layer in network:
        x = outputs[-1]
        out = []
        for row, bias in zip(layer["weights"], layer["bias"]):
            net = 0.0
            for w, xi in zip(row, x):
                net += w * xi
            out.append(sigmoid(net + bias))
        outputs.append(out)
    return outputs


def half_squared_error(out, targets):
    """E = sum over outputs of 1/2 (t - o)^2."""
    loss = 0.0
    for o, t in zip(out, targets):
        loss += 0.5 * (t - o) ** 2
    return loss


def backward(network, outputs, targets):
    """Return every layer's deltas dE/dnet, from the weights before the step:

        output layer: d = (o - t) o (1 - o),
        layer below:  d_j = (sum_k w_kj d_k) h_j (1 - h_j), k over the units above.
    """
    deltas = [None] * len(network)
    deltas[-1] = [(o - t) * o * (1 - o) for o, t in zip(outputs[-1], targets)]
    for index in range(len(network) - 1, 0, -1):
        weights, above = network[index]["weights"], deltas[index]
        delta = []
        for j, h in enumerate(outputs[index]):
            back = 0.0
            for k, d in enumerate(above):
                back += weights[k][j] * d
            delta.append(back * h * (1 - h))
        deltas[index - 1] = delta
    return deltas


def update(network, outputs, deltas):
    """Move each weight w from input x to unit u by -LEARNING_RATE * d_u * x (biases by
    -LEARNING_RATE * d_u when TRAIN_BIASES)."""
    for layer, x, delta in zip(network, outputs, deltas):
        for u, (row, d) in enumerate(zip(layer["weights"], delta)):
            for i in range(len(row)):
                row[i] -= LEARNING_RATE * d * x[i]
            if TRAIN_BIASES:
                layer["bias"][u] -= LEARNING_RATE * d


def train():
    """Run the steps on a copy of NETWORK; return the loss history (after 0, 1, ..., STEPS updates)."""
    network = [{"weights": [row[:] for row in layer["weights"]], "bias": layer["bias"][:]} for layer in NETWORK]
    history = []
    for _ in range(STEPS):
        outputs = forward(network, INPUTS)
        history.append(half_squared_error(outputs[-1], TARGETS))
        deltas = backward(network, outputs, TARGETS)
        update(network, outputs, deltas)
    history.append(half_squared_error(forward(network, INPUTS)[-1], TARGETS))
    return history


def main():
    start = time.perf_counter()
    history = train()
    seconds = time.perf_counter() - start
    print(json.dumps({"final_loss": history[-1], "train_seconds": seconds}))


if __name__ == "__main__":
    main()

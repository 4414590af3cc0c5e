#!/usr/bin/env python3
"""The tutorial workload (specs/bench/w1.yaml) in plain Python floats, no libraries.

The 2-2-2 network of "A Step by Step Backpropagation Example": inputs i1, i2, sigmoid
hidden units h1, h2 (shared bias b1 = 0.35), sigmoid outputs o1, o2 (shared bias
b2 = 0.60), biases held fixed, one sample, half squared error

    E = 1/2 (t1 - o1)^2 + 1/2 (t2 - o2)^2,

10,000 steps of gradient descent with learning rate 0.5, deferred updates (every gradient
from the weights before the step), and the loss recorded after every step. Prints one
JSON line: {"final_loss": E after 10,000 steps, "train_seconds": the loop's time}.
"""
import json
import math
import time

STEPS = 10000
LEARNING_RATE = 0.5


def sigmoid(x):
    """1 / (1 + e^-x), computed as e^x / (1 + e^x) for x < 0 (nnrun's formula)."""
    if x < 0:
        e = math.exp(x)
        return e / (1 + e)
    return 1 / (1 + math.exp(-x))


I1, I2, T1, T2, B1, B2 = 0.05, 0.10, 0.01, 0.99, 0.35, 0.60


def forward(w1, w2, w3, w4, w5, w6, w7, w8):
    """Return h1, h2, o1, o2 and the loss E for the one sample."""
    h1 = sigmoid(w1 * I1 + w2 * I2 + B1)
    h2 = sigmoid(w3 * I1 + w4 * I2 + B1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + B2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + B2)
    return h1, h2, o1, o2, 0.5 * (T1 - o1) ** 2 + 0.5 * (T2 - o2) ** 2


def train():
    """Run the steps; return the loss history (after 0, 1, ..., STEPS updates).

    With deltas d = dE/dnet, d_o = (o - t) o (1 - o), d_h = (sum_o w_ho d_o) h (1 - h),
    each weight w from x to unit u moves by -LEARNING_RATE * d_u * x.
    """
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55
    history = []
    for _ in range(STEPS):
        h1, h2, o1, o2, loss = forward(w1, w2, w3, w4, w5, w6, w7, w8)
        history.append(loss)
        d1 = (o1 - T1) * o1 * (1 - o1)
        d2 = (o2 - T2) * o2 * (1 - o2)
        e1 = (w5 * d1 + w7 * d2) * h1 * (1 - h1)
        e2 = (w6 * d1 + w8 * d2) * h2 * (1 - h2)
        w1, w2, w3, w4 = (w1 - LEARNING_RATE * e1 * I1, w2 - LEARNING_RATE * e1 * I2,
                          w3 - LEARNING_RATE * e2 * I1, w4 - LEARNING_RATE * e2 * I2)
        w5, w6, w7, w8 = (w5 - LEARNING_RATE * d1 * h1, w6 - LEARNING_RATE * d1 * h2,
                          w7 - LEARNING_RATE * d2 * h1, w8 - LEARNING_RATE * d2 * h2)
    history.append(forward(w1, w2, w3, w4, w5, w6, w7, w8)[4])
    return history


def main():
    start = time.perf_counter()
    history = train()
    seconds = time.perf_counter() - start
    print(json.dumps({"final_loss": history[-1], "train_seconds": seconds}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Checks an ONNX model nnrun exported against the results file of the same run, with
onnx and onnxruntime (an independent implementation of every operator):

    python3 onnx_check.py MODEL.onnx RESULTS.json JOB.json float64|float32 [final|initial]

JOB.json: {"inputs": [[...], ...] (the training inputs), "layers": [{"activation": "tanh",
"alpha": 0.01}, ...]} (the spec's activations, in order).

1. onnx.checker.check_model(full_check=True) passes: the file is valid ONNX, its types
   and shapes infer.
2. onnxruntime's outputs on the training inputs reproduce the results file's
   final.outputs (initial.outputs for a model of the initial parameters): within 1e-10 for float64 (nnrun computes in Float64 too; only the
   last bits of the elementary functions and the order of sums may differ), and within
   the float32 bound below for float32.

The float32 bound is a first-order running error analysis (Higham, "Accuracy and
Stability of Numerical Algorithms", ch. 3), element by element, with u = 2^-24 and
g(k) = k u / (1 - k u):
    inputs:      e0 = u |x|                                    (rounding to float32)
    net = W x + b:  e_net[u] = sum_i |W[u][i]| e_x[i] + g(n + 3) (sum_i |W[u][i] x[i]| + |b[u]|)
                 n products and n - 1 additions in any order, rounding W, b and the bias addition
    out = f(net):   e_out = L e_net + 16 u (|out| + a)
                 L the activation's Lipschitz constant (sigmoid 1/4; tanh, relu, linear 1;
                 leaky_relu max(1, alpha)); softmax |d p_k| <= 2 p_k max_j e_net[j];
                 16 ulps (a = 1 for sigmoid, tanh and softmax, whose float32 kernels are
                 approximations accurate to a few ulps of 1; a = 0 for the piecewise-linear ones)
and the check allows twice the bound, for the second-order terms the analysis drops.
The reference magnitudes |x|, |out| come from a float64 NumPy forward pass.
Prints the largest difference and the bound; exits 1 on failure.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def forward_with_bound(x, layers, job_layers, u):
    """NumPy float64 forward pass and the float32 error bound of every output."""
    e = u * np.abs(x)
    for params, spec in zip(layers, job_layers):
        W = np.array(params["weights"], dtype=np.float64)
        b = np.array(params["bias"], dtype=np.float64) if params["bias"] is not None else np.zeros(W.shape[0])
        n = W.shape[1]
        g = (n + 3) * u / (1 - (n + 3) * u)
        net = x @ W.T + b
        e_net = e @ np.abs(W).T + g * (np.abs(x) @ np.abs(W).T + np.abs(b))
        activation = spec["activation"]
        if activation == "sigmoid":
            out = 1 / (1 + np.exp(-net))
            e = 0.25 * e_net + 16 * u * (np.abs(out) + 1)
        elif activation == "tanh":
            out = np.tanh(net)
            e = e_net + 16 * u * (np.abs(out) + 1)
        elif activation == "relu":
            out = np.maximum(net, 0)
            e = e_net + 16 * u * np.abs(out)
        elif activation == "leaky_relu":
            alpha = spec["alpha"]
            out = np.where(net > 0, net, alpha * net)
            e = max(1.0, abs(alpha)) * e_net + 16 * u * np.abs(out)
        elif activation == "softmax":
            z = np.exp(net - net.max(axis=1, keepdims=True))
            out = z / z.sum(axis=1, keepdims=True)
            e = 2 * out * e_net.max(axis=1, keepdims=True) + 16 * u * (np.abs(out) + 1)
        elif activation == "linear":
            out = net
            e = e_net + 16 * u * np.abs(out)
        else:
            raise SystemExit(f"unknown activation {activation}")
        x = out
    return x, e


def main():
    model_path, results_path, job_path, dtype = sys.argv[1:5]
    section = sys.argv[5] if len(sys.argv) > 5 else "final"
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    results = json.load(open(results_path))
    job = json.load(open(job_path))
    expected = np.array(results[section]["outputs"], dtype=np.float64)
    element = np.float64 if dtype == "float64" else np.float32
    inputs = np.array(job["inputs"], dtype=np.float64)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    (actual,) = session.run(["output"], {"input": inputs.astype(element)})
    if actual.shape != expected.shape:
        print(f"shape {actual.shape}, expected {expected.shape}")
        return 1
    difference = np.abs(actual.astype(np.float64) - expected)
    if dtype == "float64":
        bound = np.full(expected.shape, 1e-10)
    else:
        _, first_order = forward_with_bound(inputs, results[section]["layers"], job["layers"], 2.0 ** -24)
        bound = 2 * first_order
    worst = np.unravel_index(np.argmax(difference - bound), difference.shape)
    print(f"{dtype}: {expected.size} outputs, largest difference {difference.max():.3e}, "
          f"at the tightest place {difference[worst]:.3e} against a bound of {bound[worst]:.3e}")
    if np.any(difference > bound):
        print(f"FAILED: {int(np.sum(difference > bound))} outputs beyond the bound")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

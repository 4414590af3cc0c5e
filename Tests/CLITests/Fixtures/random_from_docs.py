#!/usr/bin/env python3
"""nnrun's random numbers reimplemented from Docs/random.md alone (no nnrun source); its
logarithm is Docs/math.md's, implemented in math_from_docs.py beside this file.

Python's float is IEEE 754 binary64 and each of its operations (+ - * / math.sqrt) is
rounded on its own, which is what the page prescribes; integers are reduced mod 2^64 by
hand.

    random_from_docs.py vectors                 print the test vectors block of the page
    random_from_docs.py check-doc DOC.md        recompute every vector written in the page
    random_from_docs.py check-results JOB RESULTS
        JOB (JSON): {"spec_seed": S or null, "layers": [{"units", "inputs", "init": null
        (listed weights) or {"name", "seed", "low", "high", "mean", "std"}}],
        "shuffle_seed": S or null, "samples": n, "batch": b}; RESULTS: nnrun's results file
        with every step traced. Compares initial.layers[*].weights and each traced step's
        sample indices with this implementation.

Exit status 0 when everything matches, 1 otherwise (the mismatches are printed).
"""
import json
import math
import struct
import sys

import math_from_docs

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def ln(x):
    """The page's `ln`: nnrun's own logarithm, implemented from Docs/math.md."""
    return math_from_docs.log(x)


class Generator:
    def __init__(self, seed=None, state=None):
        if state is None:
            seeding = SplitMix64(seed)
            state = [seeding.next() for _ in range(4)]
        self.s = list(state)
        self.spare = None

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
        return float(self.next() >> 11) * 2.0 ** -53

    def uniform_range(self, low, high):
        w = high - low
        p = w * self.uniform()
        return low + p

    def polar(self):
        """One accepted pair, worked through: u1, u2, a, b, s, ln s, f, a f, b f."""
        while True:
            u1 = self.uniform()
            u2 = self.uniform()
            a = 2 * u1 - 1
            b = 2 * u2 - 1
            s = a * a + b * b
            if 0 < s < 1:
                log_s = ln(s)
                f = math.sqrt((-2 * log_s) / s)
                return [u1, u2, a, b, s, log_s, f, a * f, b * f]

    def normal(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        pair = self.polar()
        self.spare = pair[8]
        return pair[7]

    def normal_with(self, mean, std):
        return mean + std * self.normal()

    def permute(self, order):
        for i in range(len(order) - 1, 0, -1):
            j = min(i, math.floor(self.uniform() * float(i + 1)))
            order[i], order[j] = order[j], order[i]


def layer_seed(spec_seed, layer):
    generator = SplitMix64(spec_seed)
    for _ in range(layer + 1):
        value = generator.next()
    return value


def bias_seed(spec_seed, layer):
    generator = SplitMix64(spec_seed ^ 0x42494153)
    for _ in range(layer + 1):
        value = generator.next()
    return value


def shuffle_seed(spec_seed):
    return SplitMix64(spec_seed ^ 0x5348554646).next()


def initial_weights(name, seed, units, inputs, low=None, high=None, mean=None, std=None):
    generator = Generator(seed)
    fan_in, fan_out = float(inputs), float(units)
    if name == "uniform":
        low, high = (0.0 if low is None else low), (1.0 if high is None else high)
        draw = lambda: generator.uniform_range(low, high)
    elif name == "normal":
        mean, std = (0.0 if mean is None else mean), (1.0 if std is None else std)
        draw = lambda: generator.normal_with(mean, std)
    elif name in ("xavier_uniform", "he_uniform"):
        a = math.sqrt(6 / (fan_in + fan_out)) if name == "xavier_uniform" else math.sqrt(6 / fan_in)
        draw = lambda: generator.uniform_range(-a, a)
    elif name in ("xavier_normal", "he_normal"):
        s = math.sqrt(2 / (fan_in + fan_out)) if name == "xavier_normal" else math.sqrt(2 / fan_in)
        draw = lambda: generator.normal_with(0.0, s)
    else:
        raise ValueError("unknown init " + name)
    return [[draw() for _ in range(inputs)] for _ in range(units)]


def epoch_orders(seed, n, epochs):
    generator = Generator(seed)
    orders = []
    for _ in range(epochs):
        order = list(range(n))
        generator.permute(order)
        orders.append(order)
    return orders


# The vectors: (what, arguments) pairs; `compute` gives the values of each.
VECTORS = [
    ("splitmix64", {"seed": 0}), ("splitmix64", {"seed": 42}), ("splitmix64", {"seed": 9223372036854775807}),
    ("xoshiro256**", {"state": "1,2,3,4"}), ("xoshiro256**", {"seed": 0}), ("xoshiro256**", {"seed": 42}),
    ("uniform", {"seed": 42}), ("uniform", {"seed": 0}),
    ("normal", {"seed": 42}), ("normal", {"seed": 1}), ("normal", {"seed": 7}),
    ("polar", {"seed": 42}), ("polar", {"seed": 7}),
    ("ln", {"x": "0.5"}), ("ln", {"x": "1"}), ("ln", {"x": "2"}), ("ln", {"x": "0.1"}),
    ("ln", {"x": "1.4142135623730951"}), ("ln", {"x": "0.7071067811865476"}),
    ("ln", {"x": "1.0000000000000002"}), ("ln", {"x": "0.9999999999999999"}), ("ln", {"x": "1.0000001"}),
    ("ln", {"x": "0.705078125"}), ("ln", {"x": "0.7050781249999999"}),
    ("ln", {"x": "1.41015625"}), ("ln", {"x": "1.4101562499999998"}),
    ("ln", {"x": "0.998046875"}), ("ln", {"x": "0.9980468749999999"}),
    ("ln", {"x": "1.00390625"}), ("ln", {"x": "1.0039062499999998"}),
    ("ln", {"x": "4.930380657631324e-32"}), ("ln", {"x": "1.1102230246251565e-16"}),
    ("ln", {"x": "2.2250738585072014e-308"}), ("ln", {"x": "5e-324"}), ("ln", {"x": "1.7976931348623157e+308"}),
    ("ln", {"x": "1.41421"}), ("ln", {"x": "1.4142121"}), ("ln", {"x": "0.70710678"}),
    ("ln_bits_sum", {"seed": 3, "count": 100000}), ("normal_bits_sum", {"seed": 3, "count": 100000}),
    ("layer_seed", {"spec_seed": 0, "layer": 0}), ("layer_seed", {"spec_seed": 0, "layer": 1}),
    ("layer_seed", {"spec_seed": 42, "layer": 0}), ("layer_seed", {"spec_seed": 42, "layer": 2}),
    ("shuffle_seed", {"spec_seed": 42}), ("shuffle_seed", {"spec_seed": 0}),
    ("init uniform", {"seed": 7, "units": 2, "inputs": 3}),
    ("init uniform", {"low": "-0.5", "high": "2", "seed": 7, "units": 2, "inputs": 3}),
    ("init normal", {"seed": 7, "units": 2, "inputs": 3}),
    ("init normal", {"mean": "1", "std": "0.5", "seed": 7, "units": 1, "inputs": 5}),
    ("init xavier_uniform", {"seed": 7, "units": 2, "inputs": 3}),
    ("init xavier_normal", {"seed": 7, "units": 2, "inputs": 3}),
    ("init he_uniform", {"seed": 7, "units": 2, "inputs": 3}),
    ("init he_normal", {"seed": 7, "units": 3, "inputs": 1}),
    ("shuffle", {"seed": 5, "n": 10}), ("shuffle", {"seed": 42, "n": 4}),
]


def compute(what, args):
    """The values of one vector, as text tokens."""
    hex64 = lambda x: "0x%016X" % x
    number = lambda x: repr(float(x))
    if what == "splitmix64":
        generator = SplitMix64(int(args["seed"]))
        return [hex64(generator.next()) for _ in range(4)]
    if what == "xoshiro256**":
        if "state" in args:
            generator = Generator(state=[int(v) for v in str(args["state"]).split(",")])
            return [str(generator.next()) for _ in range(4)]
        generator = Generator(int(args["seed"]))
        return [hex64(generator.next()) for _ in range(4)]
    if what == "uniform":
        generator = Generator(int(args["seed"]))
        return [number(generator.uniform()) for _ in range(4)]
    if what == "normal":
        generator = Generator(int(args["seed"]))
        return [number(generator.normal()) for _ in range(5)]
    if what == "polar":
        return [number(v) for v in Generator(int(args["seed"])).polar()]
    if what == "ln":
        return [number(ln(float(args["x"])))]
    if what == "ln_bits_sum":
        generator, total = Generator(int(args["seed"])), 0
        for _ in range(int(args["count"])):
            u = generator.uniform()
            if u > 0:
                total = (total + bits(ln(u))) & MASK
        return [hex64(total)]
    if what == "normal_bits_sum":
        generator, total = Generator(int(args["seed"])), 0
        for _ in range(int(args["count"])):
            total = (total + bits(generator.normal())) & MASK
        return [hex64(total)]
    if what == "layer_seed":
        return [hex64(layer_seed(int(args["spec_seed"]), int(args["layer"])))]
    if what == "shuffle_seed":
        return [hex64(shuffle_seed(int(args["spec_seed"])))]
    if what.startswith("init "):
        options = {key: float(args[key]) for key in ("low", "high", "mean", "std") if key in args}
        rows = initial_weights(what[5:], int(args["seed"]), int(args["units"]), int(args["inputs"]), **options)
        return [number(v) for row in rows for v in row]
    if what == "shuffle":
        orders = epoch_orders(int(args["seed"]), int(args["n"]), 3)
        return " | ".join(" ".join(str(i) for i in order) for order in orders).split(" ")
    raise ValueError("unknown vector " + what)


def vector_line(what, args):
    arguments = " ".join("%s=%s" % item for item in args.items())
    return "%s %s : %s" % (what, arguments, " ".join(compute(what, args)))


def parse_line(line):
    head, values = line.split(" : ")
    tokens = head.split(" ")
    what = " ".join(t for t in tokens if "=" not in t)
    args = dict(t.split("=", 1) for t in tokens if "=" in t)
    return what, args, values.split(" ")


def same(expected, actual):
    """Tokens equal; numbers compared as binary64 bits (so 1e-05 and 1e-5 agree)."""
    if expected == actual:
        return True
    try:
        return float(expected) == float(actual) and math.copysign(1, float(expected)) == math.copysign(1, float(actual))
    except ValueError:
        return False


def check_doc(path):
    text = open(path, encoding="utf-8").read()
    block = text.split("<!-- test vectors begin -->")[1].split("<!-- test vectors end -->")[0]
    lines = [line for line in block.strip().splitlines() if not line.startswith("```")]
    failures = 0
    for line in lines:
        what, args, written = parse_line(line)
        computed = compute(what, args)
        if len(written) != len(computed) or not all(same(a, b) for a, b in zip(written, computed)):
            failures += 1
            print("MISMATCH %s\n  page:     %s\n  computed: %s" % (line.split(" : ")[0], " ".join(written), " ".join(computed)))
    print("%d vectors checked, %d mismatches" % (len(lines), failures))
    return failures == 0 and len(lines) > 0


def check_results(job_path, results_path):
    job = json.load(open(job_path, encoding="utf-8"))
    results = json.load(open(results_path, encoding="utf-8"))   # Python's json rounds correctly
    failures = []
    for index, (layer, written) in enumerate(zip(job["layers"], results["initial"]["layers"])):
        init = layer["init"]
        if init is None:
            continue
        seed = init.get("seed")
        if seed is None:
            seed = layer_seed(job["spec_seed"], index)
        options = {key: init[key] for key in ("low", "high", "mean", "std") if key in init}
        expected = initial_weights(init["name"], seed, layer["units"], layer["inputs"], **options)
        for u, (row_expected, row_written) in enumerate(zip(expected, written["weights"])):
            for i, (a, b) in enumerate(zip(row_expected, row_written)):
                if a != b:
                    failures.append("layer %d weights[%d][%d]: page %r, nnrun %r" % (index, u, i, a, b))
        if len(expected) != len(written["weights"]) or any(len(a) != len(b) for a, b in zip(expected, written["weights"])):
            failures.append("layer %d: shape differs" % index)
        bias = layer.get("bias")
        if bias is not None:
            # A drawn bias: the draws of a one-input layer's weights, unit by unit.
            seed = bias.get("seed")
            if seed is None:
                seed = bias_seed(job["spec_seed"], index)
            options = {key: bias[key] for key in ("low", "high", "mean", "std") if key in bias}
            expected = [row[0] for row in initial_weights(bias["name"], seed, layer["units"], 1, **options)]
            if expected != written["bias"]:
                failures.append("layer %d bias: page %r, nnrun %r" % (index, expected, written["bias"]))
    if job.get("shuffle_seed") is not None or job.get("spec_seed") is not None:
        seed = job["shuffle_seed"] if job.get("shuffle_seed") is not None else shuffle_seed(job["spec_seed"])
        n, b = job["samples"], job["batch"]
        traced = results["trace"]
        epochs = -(-len(traced) * b // n) + 1
        batches = []
        for order in epoch_orders(seed, n, epochs):
            batches += [order[start:start + b] for start in range(0, n, b)]
        for step, (expected, trace) in enumerate(zip(batches, traced), start=1):
            written = [sample["index"] for sample in trace["samples"]]
            if trace["step"] != step or written != expected:
                failures.append("step %d: page's batch %s, nnrun's %s" % (step, expected, written))
    for failure in failures:
        print("MISMATCH " + failure)
    print("%d layers and %d traced steps checked, %d mismatches" % (len(job["layers"]), len(results["trace"]), len(failures)))
    return not failures


def main():
    if sys.argv[1:2] == ["vectors"]:
        print("\n".join(vector_line(what, args) for what, args in VECTORS))
        return True
    if sys.argv[1:2] == ["check-doc"] and len(sys.argv) == 3:
        return check_doc(sys.argv[2])
    if sys.argv[1:2] == ["check-results"] and len(sys.argv) == 4:
        return check_results(sys.argv[2], sys.argv[3])
    print(__doc__)
    return False


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

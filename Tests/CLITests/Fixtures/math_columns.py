#!/usr/bin/env python3
"""Checks the "correctly rounded" and "error (ulp)" columns of Docs/math.md's test vectors
against mpmath at 300 bits (its rounding to the nearest double, and nnrun's distance from the
exact value in units in the last place of the exact value, to the page's three decimals).

    python3 math_columns.py MATH.md

Prints each mismatch and "N rows checked, M mismatches"; exits 1 on any mismatch.
The nnrun column itself is checked elsewhere (MathDocsVectorTests, math_from_docs.py).
"""
import os
import re
import sys

import mpmath

sys.dont_write_bytecode = True   # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from math_from_docs import vector_rows  # noqa: E402  (the same reading of the table)

mpmath.mp.prec = 300


def exact(function, arguments):
    if function == "cospi":
        k, n = (int(a) for a in arguments)
        return mpmath.cospi(mpmath.mpf(k) / n)   # exactly 0 at k/n = 1/2, where cos(pi k/n) would not be
    x = mpmath.mpf(float.fromhex(arguments[0]))
    if function == "exp":
        return mpmath.exp(x)
    if function == "log":
        return mpmath.log(x)
    if function == "log1p":
        return mpmath.log1p(x)
    if function == "sigmoid":
        return 1 / (1 + mpmath.exp(-x))
    if function == "power":
        return x ** int(arguments[1])
    raise ValueError("unknown function " + function)


def ulp(value):
    """The spacing of doubles at the exact value: 2^(e - 52), e its binary exponent, at least -1022."""
    if value == 0:
        return mpmath.ldexp(1, -1074)
    exponent = max(int(mpmath.floor(mpmath.log(abs(value), 2))), -1022)
    return mpmath.ldexp(1, exponent - 52)


def main(path):
    rows = vector_rows(open(path, encoding="utf-8").read())
    mismatches = 0
    for line in rows:
        match = re.match(r"\| `([a-z0-9]+)\(([^)]*)\)`[^|]*\| `([^`]+)` \| (same|`[^`]+`) \| ([0-9.]+) \|", line)
        if match is None:
            mismatches += 1
            print("UNREADABLE " + line)
            continue
        function, arguments, nnrun, rounded, error = match.groups()
        arguments = [a.strip() for a in arguments.split(",")]
        value = exact(function, arguments)
        nearest = float(value)   # mpmath rounds to the nearest double
        written = float.fromhex(nnrun if rounded == "same" else rounded.strip("`"))
        if nearest != written or (nearest == 0 and str(nearest) != str(written)):
            mismatches += 1
            print("MISMATCH %s(%s): correctly rounded %s, the page says %s" % (function, ", ".join(arguments),
                                                                                nearest.hex(), written.hex()))
        distance = abs(mpmath.mpf(float.fromhex(nnrun)) - value) / ulp(value)
        if abs(distance - mpmath.mpf(error)) > 0.0005 + 1e-12:
            mismatches += 1
            print("MISMATCH %s(%s): error %s ulp, the page says %s" % (function, ", ".join(arguments),
                                                                        mpmath.nstr(distance, 6), error))
    print("%d rows checked, %d mismatches" % (len(rows), mismatches))
    return mismatches == 0 and len(rows) > 0


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1]) else 1)

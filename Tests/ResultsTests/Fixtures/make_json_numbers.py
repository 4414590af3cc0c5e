#!/usr/bin/env python3
"""Writes json-numbers.txt: JSON number texts and the Float64 each must read as.

The expected bits come from Python's float(), which rounds decimal text correctly
(David Gay's algorithm; CPython's dtoa.c), not from nnrun. Each line is
`BITS TEXT`, BITS the IEEE 754 binary64 pattern in 16 hex digits. The cases are the
hard ones for a decimal-to-binary conversion:

- known traps (2.2250738585072011e-308, 1e23, the subnormal and overflow edges);
- exact midpoints between neighbouring doubles (ties to even), and the same plus or
  minus one unit in a far digit (must round away from the tie);
- 17-significant-digit texts just below and above those midpoints;
- random 17-digit texts over the whole exponent range;
- Python's shortest repr of random doubles.

Rerun with `python3 make_json_numbers.py > json-numbers.txt`; the seed is fixed.
"""
import random
import struct
from decimal import Decimal, getcontext
from fractions import Fraction
import math

getcontext().prec = 1200
rng = random.Random(20240517)


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def json_text(d):
    """A Decimal as a JSON number: D.DDDDe+XX (or D when it has one digit)."""
    sign, digits, exponent = d.as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    exp10 = len(digits) - 1 + exponent
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return ("-" if sign else "") + mantissa + "e" + ("+" if exp10 >= 0 else "-") + "%02d" % abs(exp10)


def exact(fraction):
    """A dyadic fraction as an exact Decimal (its expansion terminates)."""
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def random_finite_positive():
    while True:
        x = from_bits(rng.getrandbits(63))
        if math.isfinite(x) and x > 0:
            return x


def rounded_to_17(d, up):
    sign, digits, exponent = d.as_tuple()
    keep = digits[:17]
    value = int("".join(map(str, keep)))
    rest = digits[17:]
    if up and any(rest):
        value += 1
    return Decimal(value).scaleb(exponent + len(digits) - 17)


cases = [
    "0", "-0", "0.0", "-0.0", "1", "0.1", "0.2", "0.3", "1e23", "8.533e+68", "4.1006e-184",
    "9007199254740993e0", "9007199254740993.0", "9007199254740995.0", "18014398509481989.0",
    "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
    "2.225073858507201136057409796709131975934819546351645648e-308",
    "4.9406564584124654e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
    "2.47032822920623272088e-324", "1e-400", "-1e-400",
    "1.7976931348623157e308", "1.7976931348623158e308", "1.79769313486231580793e308",
    "0.500000000000000166533453693773481063544750213623046875",
    "3.518437208883201171875e13", "62.5364939768271845828", "8.10109172351e-10",
    "1.50000000000000011102230246251565404236316680908203125",
    "7.038531e-26", "4.35679794772453e-5", "2.0e-3", "123456789012345678901234567890e-10",
    "0.000000000000000000000000000000000000000000000000000000000000000000000001",
    "1E+2", "1e-2", "-12.5E-1",
]
print("\n".join("%016x %s" % (bits(float(text)), text) for text in cases))

for index in range(120):
    x = random_finite_positive() if index % 4 else from_bits(rng.getrandbits(52) + 1)   # every 4th subnormal
    upper = math.nextafter(x, math.inf)
    if not math.isfinite(upper):
        continue
    midpoint = exact((Fraction(x) + Fraction(upper)) / 2)
    sign = "-" if index % 7 == 3 else ""
    for text in (json_text(midpoint),
                 json_text(midpoint + Decimal(1).scaleb(midpoint.adjusted() - 400)),
                 json_text(midpoint - Decimal(1).scaleb(midpoint.adjusted() - 400)),
                 json_text(rounded_to_17(midpoint, up=False)),
                 json_text(rounded_to_17(midpoint, up=True))):
        text = sign + text
        print("%016x %s" % (bits(float(text)), text))

for _ in range(2000):
    mantissa = rng.randrange(10**16, 10**17)
    exponent = rng.randrange(-340, 309)
    text = "%d.%016de%+03d" % (mantissa // 10**16, mantissa % 10**16, exponent)
    value = float(text)
    if math.isfinite(value):
        print("%016x %s" % (bits(value), text))

for _ in range(2000):
    x = random_finite_positive() * rng.choice((1, -1))
    print("%016x %s" % (bits(x), repr(x)))

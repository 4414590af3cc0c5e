#!/usr/bin/env python3
"""nnrun's elementary functions reimplemented from Docs/math.md alone (no nnrun source).

Python's float is IEEE 754 binary64 with each + - * / rounded on its own (round to nearest,
ties to even); `fma` below is computed exactly with integers and rounded once. The tables
are generated from their definitions in the page with exact integer arithmetic (ln 2,
ln and 2^(j/128) to 320 bits), so nothing but the standard library is needed.

    math_from_docs.py checksums          print the rows of the page's table checksums
    math_from_docs.py check-doc MATH.md  recompute every test vector and table checksum
                                         written in the page

Exit status 0 when everything matches, 1 otherwise (the mismatches are printed).
"""
import math
import re
import struct
import sys

MASK = (1 << 64) - 1


def from_bits(pattern):
    return struct.unpack("<d", struct.pack("<Q", pattern & MASK))[0]


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def fma(a, b, c):
    """a × b + c rounded once (IEEE 754's fusedMultiplyAdd, round to nearest even)."""
    if a == 0 or b == 0 or not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c          # the product is exact (a zero) or the operands are special
    an, ad = a.as_integer_ratio()
    bn, bd = b.as_integer_ratio()
    cn, cd = c.as_integer_ratio()
    pn, pd = an * bn, ad * bd     # denominators are powers of two
    d = max(pd, cd)
    n = pn * (d // pd) + cn * (d // cd)
    if n == 0:
        return a * b + c          # an exact zero sum: +0 (a × b = -c exactly)
    return n / d                  # Python's int / int is correctly rounded, subnormals included


# ---- exact reals, as integers scaled by 2^PREC, for the tables -------------------------

PREC = 320
ONE = 1 << PREC


def fixed_atanh_inverse(q):
    """atanh(1/q) for an integer q > 1."""
    total, power, n = 0, ONE // q, 1
    q2 = q * q
    while power:
        total += power // n
        power //= q2
        n += 2
    return total


LN2 = 2 * fixed_atanh_inverse(3)          # ln 2 = 2 atanh(1/3)


def fixed_ln(numerator, denominator):
    """ln(numerator / denominator) for positive integers."""
    e = numerator.bit_length() - denominator.bit_length()
    n, d = (numerator, denominator << e) if e >= 0 else (numerator << -e, denominator)
    if 3 * n > 4 * d:                     # keep m = n/d in [3/4, 3/2)
        d, e = d * 2, e + 1
    elif 2 * n < d:
        n, e = n * 2, e - 1
    # ln m = 2 atanh(u), u = (m - 1)/(m + 1), |u| <= 1/5
    u = (abs(n - d) << PREC) // (n + d)
    u2 = u * u >> PREC
    total, power, k = 0, u, 1
    while power:
        total += power // k
        power = power * u2 >> PREC
        k += 2
    return e * LN2 + (2 * total if n >= d else -2 * total)


def fixed_exp(x):
    """e^x for a fixed-point |x| < 1."""
    total, term, n = 0, ONE, 1
    while term:
        total += term
        term = term * x >> PREC
        term = term // n if term >= 0 else -((-term) // n)
        n += 1
    return total


def nearest_double(x):
    """RN of a fixed-point value (exact to far below half an ulp)."""
    return x / ONE


def nearest_multiple(x, exponent):
    """The multiple of 2^exponent nearest to a fixed-point value (no ties occur here)."""
    unit = 1 << (PREC + exponent)
    return float((2 * x + unit) // (2 * unit)) * 2.0 ** exponent  # floor(x / unit + 1/2) units


# ---- exp ---------------------------------------------------------------------------------

INV_LN2_N = float.fromhex("0x1.71547652b82fep+7")
LN2_N_HI = float.fromhex("0x1.62e42fefc0000p-8")
LN2_N_LO = float.fromhex("-0x1.c610ca86c3899p-44")
SHIFT = float.fromhex("0x1.8p52")
C2, C3, C4, C5 = (float.fromhex(h) for h in ("0x1p-1", "0x1.5555555555555p-3", "0x1.5555555555555p-5",
                                               "0x1.1111111111111p-7"))


def exp_tables():
    scale_bits, tail = [], []
    for j in range(128):
        exact = fixed_exp(j * LN2 // 128)                          # 2^(j/128)
        s = nearest_double(exact)
        scale_bits.append((bits(s) - j * (1 << 45)) & MASK)
        s_fixed = bits_fixed(s)
        tail.append(((exact - s_fixed) / s_fixed) if exact != s_fixed else 0.0)  # RN((2^(j/128) - S_j) / S_j)
    return scale_bits, tail


def bits_fixed(x):
    """A double as a fixed-point value (exact: its denominator is a power of two)."""
    n, d = x.as_integer_ratio()
    return (n << PREC) // d


SCALE_BITS, TAIL = exp_tables()


def exp(x):
    if not abs(x) < 708:
        if x != x:
            return x + x
        if x > 709.8:
            return math.inf
        if x < -745.2:
            return 0.0
        special = True
    else:
        special = False
    z = fma(x, INV_LN2_N, SHIFT)
    ki = bits(z)
    kd = z - SHIFT
    r = fma(kd, -LN2_N_HI, x)
    r = fma(kd, -LN2_N_LO, r)
    j = ki % 128
    sbits = (SCALE_BITS[j] + ki * (1 << 45)) & MASK
    r2 = r * r
    p = fma(r2, fma(r, C5, C4), fma(r, C3, C2))
    tmp = fma(r2, p, r + TAIL[j])
    if not special:
        s = from_bits(sbits)
        return fma(s, tmp, s)
    if kd > 0:
        s = from_bits(sbits - (1 << 52))
        return 2 * fma(s, tmp, s)
    s = from_bits(sbits + 1022 * (1 << 52))
    y = fma(s, tmp, s)
    if y < 1:
        lo = fma(s, tmp, s - y)
        hi = 1 + y
        lo = ((1 - hi) + y) + lo
        y = (hi + lo) - 1
    return y * 2.0 ** -1022


# ---- log -----------------------------------------------------------------------------------

OFFSET = 0x3FE6900000000000
LN2_HI = float.fromhex("0x1.62e42fefa3800p-1")
LN2_LO = float.fromhex("0x1.ef35793c76730p-45")
L = {n: float.fromhex(h) for n, h in zip(range(9, 1, -1), (
    "0x1.c71c71c71c71cp-4", "-0x1p-3", "0x1.2492492492492p-3", "-0x1.5555555555555p-3",
    "0x1.999999999999ap-3", "-0x1p-2", "0x1.5555555555555p-2", "-0x1p-1"))}


def log_tables():
    invc, log_hi, log_lo = [], [], []
    for i in range(128):
        a = from_bits(OFFSET + i * (1 << 45))
        b = from_bits(OFFSET + (i + 1) * (1 << 45))
        if a <= 1 < b:
            c = 1.0
        else:
            step = 2.0 ** -7 if b <= 1 else 2.0 ** -8
            an, ad = a.as_integer_ratio()
            bn, bd = b.as_integer_ratio()
            # 2 / (a + b) in units of `step`, rounded to nearest (never a tie here)
            sn, sd = an * bd + bn * ad, ad * bd                    # a + b = sn / sd
            stn, std = step.as_integer_ratio()
            num, den = 2 * sd * std, sn * stn                      # (2 / (a + b)) / step
            c = float((2 * num + den) // (2 * den)) * step
        cn, cd = c.as_integer_ratio()
        minus_ln = -fixed_ln(cn, cd)
        hi = nearest_multiple(minus_ln, -43)
        invc.append(c)
        log_hi.append(hi)
        log_lo.append(nearest_double(minus_ln - bits_fixed(hi)))
    return invc, log_hi, log_lo


INVC, LOG_HI, LOG_LO = log_tables()


def log_polynomial(r):
    q = L[9]
    for n in range(8, 1, -1):
        q = fma(q, r, L[n])
    return q


def log(x, rounding_error=None):
    """ln x; with `rounding_error` e (log1p's step 3), ln(x) + e / x as the page says."""
    ix = bits(x)
    if ((ix - 0x0010000000000000) & MASK) >= 0x7FE0000000000000:
        if x != x:
            return x + x
        if x == 0:
            return -math.inf
        if x < 0:
            return from_bits(0x7FF8000000000000)
        if x == math.inf:
            return math.inf
        ix = (bits(x * 2.0 ** 52) - 52 * (1 << 52)) & MASK
    t = (ix - OFFSET) & MASK
    i = (t >> 45) % 128
    k = (t - (1 << 64) if t >> 63 else t) >> 52
    kd = float(k)
    z = from_bits((ix - (t & (0xFFF << 52))) & MASK)
    r = fma(z, INVC[i], -1.0)
    w = fma(kd, LN2_HI, LOG_HI[i])
    hi = w + r
    lo = (w - hi) + r
    t = fma(kd, LN2_LO, LOG_LO[i]) + lo
    if rounding_error is not None:
        t = t + rounding_error / x
    q = log_polynomial(r)
    return hi + fma(r * r, q, t)


# ---- log1p -----------------------------------------------------------------------------------

def log1p(x):
    if x != x:
        return x + x
    if x == -1:
        return -math.inf
    if x < -1:
        return from_bits(0x7FF8000000000000)
    if x == math.inf:
        return math.inf
    if -2.0 ** -9 <= x < 2.0 ** -8:
        return fma(x * x, log_polynomial(x), x)
    u = 1 + x
    e = (1 - u) + x if abs(x) <= 1 else (x - u) + 1
    return log(u, rounding_error=e)


# ---- the integer power -------------------------------------------------------------------------

def power(b, n):
    if n == 0:
        return 1.0
    if n < 0:
        return from_bits(0x7FF8000000000000)
    if b != b:
        return b + b
    sign = -1.0 if (bits(b) >> 63) and n % 2 == 1 else 1.0
    a = abs(b)
    if a == 0:
        return sign * 0.0
    if a == math.inf:
        return sign * math.inf
    shift = 0
    if a < 2.0 ** -1022:
        a, shift = a * 2.0 ** 52, 52
    m, e = math.frexp(a)                 # a = m 2^e, m in [1/2, 1)
    m, e = m * 2, e - 1 - shift          # m in [1, 2)
    h, l, big_e = m, 0.0, e

    def times(h, l, bh, bl):
        p = h * bh
        err = fma(h, bh, -p)
        err = fma(h, bl, err)
        err = fma(l, bh, err)
        nh = p + err
        return nh, (p - nh) + err

    for bit in reversed(range(n.bit_length() - 1)):
        h, l = times(h, l, h, l)
        big_e = 2 * big_e
        if h >= 2:
            h, l, big_e = h / 2, l / 2, big_e + 1
        if big_e > 2200:
            return sign * math.inf
        if big_e < -2200:
            return sign * 0.0
        if (n >> bit) & 1:
            h, l = times(h, l, m, 0.0)
            big_e += e
            if h >= 2:
                h, l, big_e = h / 2, l / 2, big_e + 1
            if big_e > 2200:
                return sign * math.inf
            if big_e < -2200:
                return sign * 0.0
    if big_e > 1023:
        return sign * math.inf
    if big_e >= -1022:
        return sign * ((h + l) * 2.0 ** big_e)
    if big_e < -1076:
        return sign * 0.0
    s = 2.0 ** (big_e + 1022)
    hs, ls = h * s, l * s
    hi = 1 + hs
    lo = ((1 - hi) + hs) + ls
    return sign * (((hi + lo) - 1) * 2.0 ** -1022)


def sigmoid(x):
    e = exp(-abs(x))
    d = 1 + e
    return 1 / d if x >= 0 else e / d


# ---- cospi: cos(pi k / n) ------------------------------------------------------------------

def fixed_pi():
    """pi as a fixed-point value: Machin's formula 16 atan(1/5) - 4 atan(1/239), each atan by
    its series with 40 guard bits."""
    guard = 40
    one = 1 << (PREC + guard)

    def atan_inverse(m):
        total, term, k = 0, one // m, 0
        while term:
            total += term // (2 * k + 1) * (1 if k % 2 == 0 else -1)
            term //= m * m
            k += 1
        return total

    return (16 * atan_inverse(5) - 4 * atan_inverse(239)) >> guard


PI = fixed_pi()


def taylor_coefficient(power, sign):
    """RN(sign pi^power / power!)."""
    return nearest_double(sign * ((PI ** power >> (PREC * (power - 1))) // math.factorial(power)))


COS_C = [taylor_coefficient(2 * j, (-1) ** j) for j in range(1, 11)]        # C1 ... C10
SIN_S = [taylor_coefficient(2 * j + 1, (-1) ** j) for j in range(1, 11)]    # S1 ... S10
C1_LO = nearest_double(-(PI * PI >> PREC) // 2 - bits_fixed(COS_C[0]))     # RN(-pi^2/2 - C1)
PI_HI = nearest_double(PI)
PI_LO = nearest_double(PI - bits_fixed(PI_HI))


def horner(coefficients, s):
    """c[0] + s (c[1] + ... + s c[-1]), by fma from the last coefficient."""
    total = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        total = fma(s, total, c)
    return total


def cospi(k, n):
    if not 1 <= n <= 1 << 52:
        return math.nan
    r = k % (2 * n)                    # in [0, 2n), as C's remainder plus 2n when negative
    if r > n:
        r = 2 * n - r
    sign = 1.0
    if 2 * r > n:
        r, sign = n - r, -1.0
    c1 = COS_C[0]
    if 4 * r <= n:
        rf, nf = float(r), float(n)
        yh = rf / nf
        yl = fma(-yh, nf, rf) / nf
        s = yh * yh
        sl = fma(yh, yh, -s) + (2 * yh) * yl
        h = s * horner(COS_C[1:], s)
        p = s * c1
        pe = fma(s, c1, -p)
        total = 1 + p
        e = (1 - total) + p
        value = total + (e + (pe + (s * h + (s * C1_LO + sl * c1))))
    else:
        a, b = float(n - 2 * r), float(2 * n)
        zh = a / b
        zl = fma(-zh, b, a) / b
        s = zh * zh
        sl = fma(zh, zh, -s) + (2 * zh) * zl
        q = horner(SIN_S, s)
        tail = fma(s, q, PI_LO)
        hi = zh * PI_HI
        he = fma(zh, PI_HI, -hi)
        value = hi + (he + (zh * tail + (zl * PI_HI + zh * (sl * q))))
    return sign * value


FUNCTIONS = {"exp": exp, "log": log, "log1p": log1p, "sigmoid": sigmoid}


# ---- the page -------------------------------------------------------------------------------

def evaluate(call):
    """`exp(0x1p+0)`, `power(0x1p-1, 1074)` or `cospi(1, 3)` evaluated."""
    match = re.fullmatch(r"(\w+)\(([^,)]+)(?:, *(\d+))?\)", call)
    if match.group(1) == "cospi":                  # cospi(k, n): two integers
        return cospi(int(match.group(2)), int(match.group(3)))
    name, argument, exponent = match.group(1), float.fromhex(match.group(2)), match.group(3)
    if name == "power":
        return power(argument, int(exponent))
    return FUNCTIONS[name](argument)


def same_bits(text, value):
    return bits(float.fromhex(text)) == bits(value)


def vector_rows(text):
    """The rows of the page's test vector table, as written: "| `exp(0x1p+0)` | ..."."""
    vectors = text.split("## Test vectors")[1].split("\n## ")[0].split("### Table checksums")[0]
    return [line for line in vectors.splitlines() if line.startswith("| `")]


def check_doc(path):
    text = open(path, encoding="utf-8").read()
    failures, checked = 0, 0
    for line in vector_rows(text):
        row = re.match(r"\| `([a-z0-9]+\([^`]*\))`[^|]*\| `([^`]+)` \|", line)
        if row is None:
            failures += 1
            print("UNREADABLE " + line)
            continue
        call, written = row.groups()
        value = evaluate(call)
        checked += 1
        if not same_bits(written, value):
            failures += 1
            print("MISMATCH %s\n  page:     %s\n  computed: %s" % (call, written, value.hex()))
    sums = table_bits()
    written_sums = re.findall(r"^\| `(\w+)` \| `(0x[0-9a-f]+)` \|", text.split("### Table checksums")[1], re.M)
    if sorted(name for name, _ in written_sums) != sorted(sums):
        failures += 1
        print("MISMATCH the page's checksums are of %s, not of %s" % ([n for n, _ in written_sums], list(sums)))
    for name, written in written_sums:
        checked += 1
        computed = "0x%016x" % sums[name]
        if int(written, 16) != int(computed, 16):
            failures += 1
            print("MISMATCH sum of %s\n  page:     %s\n  computed: %s" % (name, written, computed))
    print("%d values checked, %d mismatches" % (checked, failures))
    return failures == 0 and checked > 0


def table_bits():
    """Each table's checksum: the sum mod 2^64 of its 128 entries' bit patterns."""
    tables = {"SCALE_BITS": SCALE_BITS, "TAIL": [bits(v) for v in TAIL], "INVC": [bits(v) for v in INVC],
              "LOG_HI": [bits(v) for v in LOG_HI], "LOG_LO": [bits(v) for v in LOG_LO]}
    return {name: sum(values) & MASK for name, values in tables.items()}


def table_checksums():
    """The rows of the page's table checksums."""
    return ["| `%s` | `0x%016x` |" % item for item in table_bits().items()]


def main():
    if sys.argv[1:2] == ["checksums"]:
        print("\n".join(table_checksums()))
        return True
    if sys.argv[1:2] == ["check-doc"] and len(sys.argv) == 3:
        return check_doc(sys.argv[2])
    print(__doc__)
    return False


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

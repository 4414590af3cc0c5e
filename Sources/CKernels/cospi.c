// cos(pi k / n) for integers k and n: the cosine that the cosine learning-rate schedule
// needs (lr depends on cos(pi k / t_max)), nnrun's own so that it gives the same bits on
// every machine (Docs/math.md, "The cosine cos(pi k / n)").
//
// 1. The reduction is exact, in integers: r = k mod 2n in [0, 2n); cos is even about n, so
//    r = min(r, 2n - r) in [0, n]; cos(pi - a) = -cos(a), so for 2r > n, r = n - r and
//    the sign flips: r in [0, n/2].
// 2. 4r <= n: y = r / n in [0, 1/4]: cos(pi y) = 1 + y^2 P(y^2), P the Taylor series of
//    (cos(pi y) - 1) / y^2 to y^18 (the next term is below 2^-70 of the result).
//    Otherwise cos(pi r / n) = sin(pi z), z = (n - 2r) / (2n) in (0, 1/4]:
//    sin(pi z) = z (pi + z^2 Q(z^2)), Q the Taylor series of (sin(pi z) - pi z) / z^3 to
//    z^18; pi is split in two doubles (PI_HI + PI_LO).
// 3. The quotient is kept as a double plus its remainder's share (the remainder of a
//    division is exact by fma), and the square and the leading product carry their
//    rounding errors (again by fma), so that only the last addition rounds at full weight.
// Horner with explicit fma; every other operation rounded on its own, in the order written.
// Error (scripts/cospi-reference against mpmath; Tests/KernelTests/CosineTests): within
// 0.85 ulp of cos(pi k / n) (largest measured: 0.79 ulp over 3,000,000 seeded arguments).
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include <math.h>
#include <string.h>

// (-1)^j pi^(2j) / (2j)!, j = 1...10, rounded to the nearest double (mpmath, 300 bits).
static const double COS_COEFFICIENTS[10] = {
    -0x1.3bd3cc9be45dep+2, 0x1.03c1f081b5ac4p+2, -0x1.55d3c7e3cbffap+0, 0x1.e1f506891babbp-3,
    -0x1.a6d1f2a204a8cp-6, 0x1.f9d38a3763cc3p-10, -0x1.b6e24f44b128fp-14, 0x1.20c62c2f2d7f5p-18,
    -0x1.2a0c591af8314p-23, 0x1.ef6e308d6d1c4p-29,
};
// (-1)^j pi^(2j+1) / (2j+1)!, j = 1...10, rounded to the nearest double.
static const double SIN_COEFFICIENTS[10] = {
    -0x1.4abbce625be53p+2, 0x1.466bc6775aae2p+1, -0x1.32d2cce62bd86p-1, 0x1.50783487ee782p-4,
    -0x1.e3074fde8871fp-8, 0x1.e8f434d018d63p-12, -0x1.6fadb9f155744p-16, 0x1.aaec32af93359p-21,
    -0x1.8a404211f9547p-26, 0x1.2877020d52cf0p-31,
};
// -pi^2 / 2 = COS_COEFFICIENTS[0] + COS_C1_LO + O(2^-160).
static const double COS_C1_LO = -0x1.692b71366cc04p-52;
// pi = PI_HI + PI_LO + O(2^-160): PI_HI the nearest double, PI_LO the nearest to the rest.
static const double PI_HI = 0x1.921fb54442d18p+1, PI_LO = 0x1.1a62633145c07p-53;

/// The series of `count` coefficients in s = x^2 from the highest term, by fma:
/// c[0] + s (c[1] + s (... + s c[count - 1])).
static double series_of(const double *coefficients, int count, double s) {
    double sum = coefficients[count - 1];
    for (int j = count - 2; j >= 0; j--) sum = fma(sum, s, coefficients[j]);
    return sum;
}

/// The quiet NaN of Docs/math.md's rules (the same bits on every machine).
static double quiet_nan(void) {
    const uint64_t bits = 0x7ff8000000000000ULL;
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

double nn_cospi_fraction(int64_t k, int64_t n) {
    if (n < 1 || n > ((int64_t)1 << 52)) return quiet_nan();
    const int64_t period = 2 * n;
    int64_t r = k % period;                        // C's remainder has k's sign
    if (r < 0) r += period;
    if (r > n) r = period - r;
    double sign = 1.0;
    if (2 * r > n) {
        r = n - r;
        sign = -1.0;
    }
    double value;
    if (4 * r <= n) {
        // y = r / n as yh + yl (yl from the exact remainder r - yh n), y^2 as s + sl.
        const double rd = (double)r, nd = (double)n;
        double yh = rd / nd, yl = fma(-yh, nd, rd) / nd;
        double s = yh * yh, sl = fma(yh, yh, -s) + 2 * yh * yl;
        // 1 + s C1 + s (s P2(s)) + s C1_LO + sl C1: s C1 exactly as p + pe (fma), 1 + p
        // with its error (|p| < 1), the small terms added to the errors first.
        double higher = s * series_of(COS_COEFFICIENTS + 1, 9, s);
        double p = s * COS_COEFFICIENTS[0], pe = fma(s, COS_COEFFICIENTS[0], -p);
        double sum = 1 + p, sum_error = (1 - sum) + p;
        double small = s * higher + (s * COS_C1_LO + sl * COS_COEFFICIENTS[0]);
        value = sum + (sum_error + (pe + small));
    } else {
        // z = (n - 2r) / (2n) as zh + zl, z^2 as s + sl.
        const double ad = (double)(n - 2 * r), bd = (double)period;
        double zh = ad / bd, zl = fma(-zh, bd, ad) / bd;
        double s = zh * zh, sl = fma(zh, zh, -s) + 2 * zh * zl;
        double polynomial = series_of(SIN_COEFFICIENTS, 10, s);
        double tail = fma(s, polynomial, PI_LO);
        // (zh + zl)(PI_HI + tail + sl Q): zh PI_HI with its error by fma, the rest small.
        double hi = zh * PI_HI, hi_error = fma(zh, PI_HI, -hi);
        double rest = hi_error + (zh * tail + (zl * PI_HI + zh * (sl * polynomial)));
        value = hi + rest;
    }
    return sign * value;
}

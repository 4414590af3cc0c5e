// cos(pi k / n) for integers k and n: the cosine that the cosine learning-rate schedule
// needs (lr depends on cos(pi k / t_max)), nnrun's own so that it gives the same bits on
// every machine (Docs/math.md, "The cosine cos(pi k / n)").
//
// 1. The reduction is exact, in integers: r = k mod 2n in [0, 2n); cos is even about n, so
//    r = min(r, 2n - r) in [0, n]; cos(pi - a) = -cos(a), so for 2r > n, r = n - r and
//    the sign flips: r in [0, n/2].
// 2. 4r <= n: y = r / n (one rounding) in [0, 1/4]: cos(pi y) = 1 + y^2 P(y^2), P the
//    Taylor series of (cos(pi y) - 1) / y^2 to y^18 (the next term is below 2^-70 of the
//    result).
//    Otherwise cos(pi r / n) = sin(pi z), z = (n - 2r) / (2n) (one rounding) in (0, 1/4):
//    sin(pi z) = z (pi + z^2 Q(z^2)), Q the Taylor series of (sin(pi z) - pi z) / z^3 to
//    z^18; pi is split in two doubles so that its rounding does not reach the result.
// Horner with explicit fma; every other operation rounded on its own.
// Error (scripts/cospi-reference against mpmath; Tests/KernelTests/CosineTests): within
// 1 ulp of cos(pi k / n).
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
// pi = PI_HI + PI_LO + O(2^-160): PI_HI the nearest double, PI_LO the nearest to the rest.
static const double PI_HI = 0x1.921fb54442d18p+1, PI_LO = 0x1.1a62633145c07p-53;

/// The series of `coefficients` in s = x^2 from the highest term, by fma: c1 + s (c2 + s (...)).
static double series(const double coefficients[10], double s) {
    double sum = coefficients[9];
    for (int j = 8; j >= 0; j--) sum = fma(sum, s, coefficients[j]);
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
        double y = (double)r / (double)n;
        double s = y * y;
        value = fma(s, series(COS_COEFFICIENTS, s), 1.0);
    } else {
        double z = (double)(n - 2 * r) / (double)period;
        double s = z * z;
        double tail = fma(s, series(SIN_COEFFICIENTS, s), PI_LO);
        value = fma(z, PI_HI, z * tail);
    }
    return sign * value;
}

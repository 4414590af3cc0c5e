// nnrun's exp, log, log1p and integer power (Docs/math.md): IEEE 754 binary64 additions,
// multiplications, divisions, fused multiply-adds and integer operations on the bits, in
// a fixed order, so the same bits on every conforming machine. Scalar forms, inlined into
// each caller (compiled for FMA3 where the caller is), and AVX2 and AVX-512 forms of exp's
// main path doing the same operations in the same order. Internal to CKernels.
//
// Constants and tables: math_tables.h, written by scripts/math-tables from mpmath values.
#ifndef NN_ELEMENTARY_H
#define NN_ELEMENTARY_H
#pragma STDC FP_CONTRACT OFF

#include <math.h>
#include <stdint.h>

#include "exp_reduction.h"
#include "math_tables.h"

/// exp's polynomial: e^r - 1 ~ r + C2 r^2 + C3 r^3 + C4 r^4 + C5 r^5 (Taylor; the doubles
/// nearest 1/2, 1/6, 1/24, 1/120). |r| <= ln2/256 (1 + 2^-40): the first term left out,
/// r^6/720, is below 2^-60.7.
static const double NN_EXP_C2 = 0x1.0000000000000p-1;
static const double NN_EXP_C3 = 0x1.5555555555555p-3;
static const double NN_EXP_C4 = 0x1.5555555555555p-5;
static const double NN_EXP_C5 = 0x1.1111111111111p-7;

/// |x| below this: exp(x) and its scale 2^i 2^(j/128) are normal numbers.
static const double NN_EXP_MAIN_LIMIT = 708.0;
/// Above: exp(x) > (1 + 2^-53) DBL_MAX, which rounds to +inf (ln DBL_MAX = 709.7827...).
static const double NN_EXP_OVERFLOW = 709.8;
/// Below: exp(x) < 2^-1075, which rounds to +0 (ln 2^-1075 = -745.1332...).
static const double NN_EXP_UNDERFLOW = -745.2;

/// log's polynomial: ln(1 + r) ~ r + r^2 (L2 + L3 r + ... + L9 r^7), L_n = (-1)^(n+1)/n
/// rounded (Taylor; |r| < 2^-7, the first term left out, r^10/10, is below 2^-73).
static const double NN_LOG_L[8] = {
    0x1.c71c71c71c71cp-4,  -0x1.0000000000000p-3, 0x1.2492492492492p-3, -0x1.5555555555555p-3,
    0x1.999999999999ap-3,  -0x1.0000000000000p-2, 0x1.5555555555555p-2, -0x1.0000000000000p-1,
};   // L9 down to L2, Horner's order

/// The quiet NaN nnrun returns for arguments outside a function's domain (the same bits
/// on every machine; the hardware's default NaN differs in sign between x86 and ARM).
static inline double nn_quiet_nan(void) { return nn_bits_to_double(0x7ff8000000000000ULL); }

// MARK: exp

/// exp for |x| >= 708 (finite, not beyond the limits): the scale 2^i 2^(j/128) itself
/// would overflow or be subnormal, so it is scaled by 2^-1 or 2^1022 and the result scaled
/// back. A subnormal result is first rounded to its final precision (1 + y, 2^-52 apart
/// in [1, 2), is 2^-1074 apart after scaling by 2^-1022), so that it is rounded once.
__attribute__((always_inline)) static inline double nn_exp_scaled(double tmp, uint64_t sbits, double kd) {
    if (kd > 0) {
        double scale = nn_bits_to_double(sbits - (1ULL << 52));
        return 2.0 * fma(scale, tmp, scale);
    }
    double scale = nn_bits_to_double(sbits + (1022ULL << 52));
    double y = fma(scale, tmp, scale);
    if (y < 1.0) {
        double lo = fma(scale, tmp, scale - y);   // the rounding error of y (scale - y is exact)
        double hi = 1.0 + y;
        lo = ((1.0 - hi) + y) + lo;               // (1 - hi) + y: hi's rounding error, exact
        y = (hi + lo) - 1.0;
    }
    return y * 0x1p-1022;
}

/// e^x:
///
///   x = k ln2/128 + r,  k = rint(x 128/ln2),  |r| <= ln2/256   (ln2/128 in two parts)
///   e^x = 2^i 2^(j/128) (1 + tail_j) (1 + p(r)),  k = 128 i + j,  0 <= j < 128
///   result = fma(S, tmp, S),  S = 2^i S_j,  tmp = fma(r^2, C2 + ... , r + tail_j)
__attribute__((always_inline)) static inline double nn_exp_inline(double x) {
    int special = !(fabs(x) < NN_EXP_MAIN_LIMIT);
    if (special) {
        if (x != x) return x + x;
        if (x > NN_EXP_OVERFLOW) return INFINITY;
        if (x < NN_EXP_UNDERFLOW) return 0.0;
    }
    double z = fma(x, NN_EXP_INV_LN2_N, NN_ROUND);
    uint64_t ki = nn_double_to_bits(z);                      // low bits: k (two's complement)
    double kd = z - NN_ROUND;
    double r = fma(kd, -NN_EXP_LN2_N_HI, x);                 // exact
    r = fma(kd, -NN_EXP_LN2_N_LO, r);
    uint64_t j = ki & 127;
    uint64_t sbits = NN_EXP_SCALE_BITS[j] + (ki << 45);       // bits of 2^i S_j
    double r2 = r * r;
    double p = fma(r2, fma(r, NN_EXP_C5, NN_EXP_C4), fma(r, NN_EXP_C3, NN_EXP_C2));
    double tmp = fma(r2, p, r + NN_EXP_TAIL[j]);
    if (special) return nn_exp_scaled(tmp, sbits, kd);
    double scale = nn_bits_to_double(sbits);
    return fma(scale, tmp, scale);
}

// MARK: log

/// ln x, plus `correction` when `with_correction` (log1p's e/u, |e/u| <= 2^-53, added
/// before the last rounding):
///
///   x = 2^k z,  z in [0.705078125, 1.41015625),  i = z's subinterval (128 of them)
///   r = fma(z, invc_i, -1)                         exact (math_tables.h)
///   ln x = k ln2 + (-ln invc_i) + ln(1 + r)
///   w = k LN2_HI + LOG_HI_i (exact),  hi + lo = w + r (Fast2Sum, exact)
///   y = hi + fma(r^2, q(r), ((k LN2_LO + LOG_LO_i) + lo) + correction)
__attribute__((always_inline)) static inline double nn_log_inline(double x, double correction, int with_correction) {
    uint64_t ix = nn_double_to_bits(x);
    if (ix - 0x0010000000000000ULL >= 0x7ff0000000000000ULL - 0x0010000000000000ULL) {
        // zero, subnormal, negative, infinite or NaN
        if (x != x) return x + x;
        if (x == 0) return -INFINITY;
        if (x < 0) return nn_quiet_nan();
        if (x == INFINITY) return x;
        ix = nn_double_to_bits(x * 0x1p52) - (52ULL << 52);   // subnormal: made normal, exactly
    }
    uint64_t offset = ix - NN_LOG_OFFSET;
    uint64_t i = (offset >> (52 - NN_LOG_TABLE_BITS)) & 127;
    double kd = (double)((int64_t)offset >> 52);             // arithmetic shift: k may be negative
    double z = nn_bits_to_double(ix - (offset & (0xfffULL << 52)));
    double r = fma(z, NN_LOG_INVC[i], -1.0);
    double w = fma(kd, NN_LOG_LN2_HI, NN_LOG_HI[i]);
    double hi = w + r;
    double lo = (w - hi) + r;
    double t = fma(kd, NN_LOG_LN2_LO, NN_LOG_LO[i]) + lo;
    if (with_correction) t = t + correction;
    double q = NN_LOG_L[0];
    for (int c = 1; c < 8; c++) q = fma(q, r, NN_LOG_L[c]);
    return hi + fma(r * r, q, t);
}

/// ln(1 + r) = r + r^2 q(r) for |r| < 2^-7 in one rounding: log's polynomial.
__attribute__((always_inline)) static inline double nn_log1p_small(double r) {
    double q = NN_LOG_L[0];
    for (int c = 1; c < 8; c++) q = fma(q, r, NN_LOG_L[c]);
    return fma(r * r, q, r);
}

/// ln(1 + x): for x in [-2^-9, 2^-8) (log's subinterval around 1) log's polynomial on x
/// itself; elsewhere u = 1 + x rounded, e = 1 + x - u exactly (Fast2Sum, the larger first),
/// and ln(1 + x) = ln(u) + e/u to within (e/u)^2/2 < 2^-107, e/u added before ln's last
/// rounding (|e/u| <= 2^-53 while |ln u| > 2^-10).
__attribute__((always_inline)) static inline double nn_log1p_inline(double x) {
    if (!(x > -1.0) || x == INFINITY) {
        if (x != x) return x + x;
        if (x == -1.0) return -INFINITY;
        if (x == INFINITY) return x;
        return nn_quiet_nan();
    }
    if (x >= -0x1p-9 && x < 0x1p-8) return nn_log1p_small(x);
    double u = 1.0 + x;
    double e = fabs(x) <= 1.0 ? (1.0 - u) + x : (x - u) + 1.0;
    return nn_log_inline(u, e / u, 1);
}

/// 2^e for e in [-1022, 1023], from its bits.
__attribute__((always_inline)) static inline double nn_pow2(int64_t e) {
    return nn_bits_to_double((uint64_t)(e + 1023) << 52);
}

/// (h + l) b as h' + l' (h' = the rounded product, l' nearly its error): the exact
/// product's error by fma, l b added to it, then Fast2Sum.
__attribute__((always_inline)) static inline void nn_dd_times(double *h, double *l, double bh, double bl) {
    double p = *h * bh;
    double e = fma(*h, bh, -p);
    e = fma(*h, bl, e);
    e = fma(*l, bh, e);
    double sum = p + e;
    *l = (p - sum) + e;
    *h = sum;
}

/// base^n for an integer n >= 0 (n < 0 gives NaN): exact-order binary powering in
/// double-double arithmetic. |base| = b 2^eb with b in [1, 2); the power is kept as
/// (h + l) 2^E, h in [1, 2), and for each bit of n below its top one, from the top:
/// square, then multiply by b if the bit is set (E doubled, eb added; h halved when it
/// reaches 2). At the end h + l is rounded once: scaled by 2^E when normal; rounded at
/// 2^-1074 by adding 1 (as exp does) when subnormal. Each product's error is below
/// 2^-102 relative and squaring doubles earlier errors, so the error before the last
/// rounding is below n 2^-101 relative: within 0.5 + n 2^-49 ulp (1 ulp for n <= 2^48).
/// base^0 = 1 for every base, NaN included; 0^n = 0 and inf^n = inf for n > 0, signed
/// (-1)^n for a negative base.
__attribute__((always_inline)) static inline double nn_power_inline(double base, int64_t n) {
    if (n == 0) return 1.0;
    if (n < 0) return nn_quiet_nan();
    if (base != base) return base + base;
    double sign = (signbit(base) && (n & 1)) ? -1.0 : 1.0;
    double magnitude = fabs(base);
    if (magnitude == 0) return sign * 0.0;
    if (magnitude == INFINITY) return sign * INFINITY;
    int64_t eb = 0;
    if (magnitude < 0x1p-1022) { magnitude *= 0x1p52; eb = -52; }
    uint64_t bits = nn_double_to_bits(magnitude);
    eb += (int64_t)(bits >> 52) - 1023;
    double b = nn_bits_to_double((bits & 0x000fffffffffffffULL) | (1023ULL << 52));
    double h = b, l = 0.0;
    int64_t E = eb;
    for (int bit = 62 - __builtin_clzll((unsigned long long)n); bit >= 0; bit--) {
        nn_dd_times(&h, &l, h, l);
        E = 2 * E;
        if (h >= 2.0) { h *= 0.5; l *= 0.5; E += 1; }
        if ((n >> bit) & 1) {
            nn_dd_times(&h, &l, b, 0.0);
            E += eb;
            if (h >= 2.0) { h *= 0.5; l *= 0.5; E += 1; }
        }
        // Past these, later steps only move E further out: the result is inf or 0.
        if (E > 2200) return sign * INFINITY;
        if (E < -2200) return sign * 0.0;
    }
    if (E > 1023) return sign * INFINITY;
    if (E >= -1022) return sign * ((h + l) * nn_pow2(E));
    if (E < -1076) return sign * 0.0;
    double s = nn_pow2(E + 1022);
    double hs = h * s, ls = l * s;               // exact: in [2^-54, 1) and its tail
    double hi = 1.0 + hs;
    double lo = ((1.0 - hi) + hs) + ls;
    return sign * (((hi + lo) - 1.0) * 0x1p-1022);
}

/// 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) for x < 0 (NaN: NaN): with e = e^-|x|, which
/// never overflows, numerator (x >= 0 ? 1 : e) over 1 + e.
__attribute__((always_inline)) static inline double nn_sigmoid_inline(double x) {
    double e = nn_exp_inline(-fabs(x));
    double d = 1.0 + e;
    return x >= 0 ? 1.0 / d : e / d;
}

#if defined(__x86_64__)

// MARK: exp, vector forms of the main path (|x| < 708; the callers take the scalar path for
// a vector with any other lane)

__attribute__((target("avx2,fma"), always_inline))
static inline __m256d nn_exp_main_avx2(__m256d x) {
    const __m256d round = _mm256_set1_pd(NN_ROUND);
    __m256d z = _mm256_fmadd_pd(x, _mm256_set1_pd(NN_EXP_INV_LN2_N), round);
    __m256i ki = _mm256_castpd_si256(z);
    __m256d kd = _mm256_sub_pd(z, round);
    __m256d r = _mm256_fnmadd_pd(kd, _mm256_set1_pd(NN_EXP_LN2_N_HI), x);
    r = _mm256_fnmadd_pd(kd, _mm256_set1_pd(NN_EXP_LN2_N_LO), r);
    __m256i j = _mm256_and_si256(ki, _mm256_set1_epi64x(127));
    __m256i sbits = _mm256_add_epi64(_mm256_i64gather_epi64((const long long *)NN_EXP_SCALE_BITS, j, 8),
                                     _mm256_slli_epi64(ki, 45));
    __m256d tail = _mm256_i64gather_pd(NN_EXP_TAIL, j, 8);
    __m256d r2 = _mm256_mul_pd(r, r);
    __m256d p = _mm256_fmadd_pd(r2, _mm256_fmadd_pd(r, _mm256_set1_pd(NN_EXP_C5), _mm256_set1_pd(NN_EXP_C4)),
                                _mm256_fmadd_pd(r, _mm256_set1_pd(NN_EXP_C3), _mm256_set1_pd(NN_EXP_C2)));
    __m256d tmp = _mm256_fmadd_pd(r2, p, _mm256_add_pd(r, tail));
    __m256d scale = _mm256_castsi256_pd(sbits);
    return _mm256_fmadd_pd(scale, tmp, scale);
}

/// Whether any lane of x is outside exp's main path (|x| >= 708, or NaN).
__attribute__((target("avx2,fma"), always_inline))
static inline int nn_exp_any_special_avx2(__m256d x) {
    __m256d magnitude = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
    return _mm256_movemask_pd(_mm256_cmp_pd(magnitude, _mm256_set1_pd(NN_EXP_MAIN_LIMIT), _CMP_NLT_UQ));
}

__attribute__((target("avx512f,avx2,fma"), always_inline))
static inline __m512d nn_exp_main_avx512(__m512d x) {
    const __m512d round = _mm512_set1_pd(NN_ROUND);
    __m512d z = _mm512_fmadd_pd(x, _mm512_set1_pd(NN_EXP_INV_LN2_N), round);
    __m512i ki = _mm512_castpd_si512(z);
    __m512d kd = _mm512_sub_pd(z, round);
    __m512d r = _mm512_fnmadd_pd(kd, _mm512_set1_pd(NN_EXP_LN2_N_HI), x);
    r = _mm512_fnmadd_pd(kd, _mm512_set1_pd(NN_EXP_LN2_N_LO), r);
    __m512i j = _mm512_and_si512(ki, _mm512_set1_epi64(127));
    __m512i sbits = _mm512_add_epi64(_mm512_i64gather_epi64(j, (const void *)NN_EXP_SCALE_BITS, 8),
                                     _mm512_slli_epi64(ki, 45));
    __m512d tail = _mm512_i64gather_pd(j, (const void *)NN_EXP_TAIL, 8);
    __m512d r2 = _mm512_mul_pd(r, r);
    __m512d p = _mm512_fmadd_pd(r2, _mm512_fmadd_pd(r, _mm512_set1_pd(NN_EXP_C5), _mm512_set1_pd(NN_EXP_C4)),
                                _mm512_fmadd_pd(r, _mm512_set1_pd(NN_EXP_C3), _mm512_set1_pd(NN_EXP_C2)));
    __m512d tmp = _mm512_fmadd_pd(r2, p, _mm512_add_pd(r, tail));
    __m512d scale = _mm512_castsi512_pd(sbits);
    return _mm512_fmadd_pd(scale, tmp, scale);
}

__attribute__((target("avx512f,avx2,fma"), always_inline))
static inline int nn_exp_any_special_avx512(__m512d x) {
    __m512d magnitude = _mm512_castsi512_pd(
        _mm512_andnot_si512(_mm512_set1_epi64(INT64_MIN), _mm512_castpd_si512(x)));
    return _mm512_cmp_pd_mask(magnitude, _mm512_set1_pd(NN_EXP_MAIN_LIMIT), _CMP_NLT_UQ) != 0;
}

#endif
#endif

// The argument reduction and polynomial of nnrun's tanh (tanh.c), for y <= 0:
//
//   y = k ln2 + r,  k = rint(y / ln2),  |r| <= ln2 / 2   (Cody-Waite, ln2 in two parts)
//   expm1(r) = r + r^2 (1/2! + r/3! + ... + r^11/13!)    (Taylor; the first term left
//                                                          out, r^14/14!, is below 5e-18)
//
// so that e^y = 2^k (1 + expm1(r)) and expm1(y) = 2^k expm1(r) + (2^k - 1). LN2_HI has its
// low 11 bits cleared, so k LN2_HI is exact for |k| < 2048 (y > -1419).
//
// Each function has a scalar, an AVX2 and an AVX-512 form doing the same IEEE operations in
// the same order (explicit fma, no contraction), hence the same bits. Internal to CKernels.
#ifndef NN_EXP_REDUCTION_H
#define NN_EXP_REDUCTION_H
#pragma STDC FP_CONTRACT OFF

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static const double NN_INV_LN2 = 0x1.71547652b82fep0;
static const double NN_LN2_HI = 0x1.62e42fefa3800p-1;   // ln 2 with its low 11 bits cleared
static const double NN_LN2_LO = 0x1.ef35793c76730p-45;  // ln 2 - NN_LN2_HI
/// Adding and subtracting 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer
/// (ties to even), which then sits in the low bits of the sum's representation.
static const double NN_ROUND = 0x1.8p52;

/// 1/n! for n = 13 down to 2 (each the double nearest to it).
static const double NN_EXPM1_C[12] = {
    1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
    1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5,
};

static inline double nn_bits_to_double(uint64_t bits) { double d; memcpy(&d, &bits, sizeof d); return d; }
static inline uint64_t nn_double_to_bits(double d) { uint64_t bits; memcpy(&bits, &d, sizeof bits); return bits; }

/// expm1(r) for y = k ln2 + r; `*shifted` receives NN_ROUND + k, whose low bits hold k.
static inline double nn_expm1_reduced(double y, double *shifted) {
    double s = fma(y, NN_INV_LN2, NN_ROUND);
    double k = s - NN_ROUND;
    double r = fma(-k, NN_LN2_HI, y);
    r = fma(-k, NN_LN2_LO, r);
    double q = NN_EXPM1_C[0];
    for (int i = 1; i < 12; i++) q = fma(q, r, NN_EXPM1_C[i]);
    *shifted = s;
    return fma(r * r, q, r);
}

/// 2^k from NN_ROUND + k (k in the normal exponent range), through its bits.
static inline double nn_pow2_from_shifted(double shifted) {
    return nn_bits_to_double((nn_double_to_bits(shifted) << 52) + ((uint64_t)1023 << 52));
}

#if defined(__x86_64__)

__attribute__((target("avx2,fma"), always_inline))
static inline __m256d nn_expm1_reduced_avx2(__m256d y, __m256d *shifted) {
    const __m256d round = _mm256_set1_pd(NN_ROUND);
    __m256d s = _mm256_fmadd_pd(y, _mm256_set1_pd(NN_INV_LN2), round);
    __m256d k = _mm256_sub_pd(s, round);
    __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(NN_LN2_HI), y);
    r = _mm256_fnmadd_pd(k, _mm256_set1_pd(NN_LN2_LO), r);
    __m256d q = _mm256_set1_pd(NN_EXPM1_C[0]);
    for (int c = 1; c < 12; c++) q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(NN_EXPM1_C[c]));
    *shifted = s;
    return _mm256_fmadd_pd(_mm256_mul_pd(r, r), q, r);
}

__attribute__((target("avx2,fma"), always_inline))
static inline __m256d nn_pow2_from_shifted_avx2(__m256d shifted) {
    return _mm256_castsi256_pd(_mm256_add_epi64(_mm256_slli_epi64(_mm256_castpd_si256(shifted), 52),
                                                _mm256_set1_epi64x((int64_t)1023 << 52)));
}

__attribute__((target("avx512f,avx2,fma"), always_inline))
static inline __m512d nn_expm1_reduced_avx512(__m512d y, __m512d *shifted) {
    const __m512d round = _mm512_set1_pd(NN_ROUND);
    __m512d s = _mm512_fmadd_pd(y, _mm512_set1_pd(NN_INV_LN2), round);
    __m512d k = _mm512_sub_pd(s, round);
    __m512d r = _mm512_fnmadd_pd(k, _mm512_set1_pd(NN_LN2_HI), y);
    r = _mm512_fnmadd_pd(k, _mm512_set1_pd(NN_LN2_LO), r);
    __m512d q = _mm512_set1_pd(NN_EXPM1_C[0]);
    for (int c = 1; c < 12; c++) q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(NN_EXPM1_C[c]));
    *shifted = s;
    return _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r);
}

__attribute__((target("avx512f,avx2,fma"), always_inline))
static inline __m512d nn_pow2_from_shifted_avx512(__m512d shifted) {
    return _mm512_castsi512_pd(_mm512_add_epi64(_mm512_slli_epi64(_mm512_castpd_si512(shifted), 52),
                                                _mm512_set1_epi64((int64_t)1023 << 52)));
}

#endif
#endif

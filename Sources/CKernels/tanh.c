// tanh for whole layers: nnrun's own, so that a vectorized loop can compute it and give the
// same bits as the scalar one (and as every other machine; libm's tanh differs by CPU).
//
//   tanh(x) = sign(x) t,  t = -e / (2 + e),  e = expm1(-2a),  a = min(|x|, 22)
//
// tanh(22) rounds to 1, so the clamp changes nothing but keeps 2^k in range.
// expm1(y), y in [-44, 0]:  y = k ln2 + r with k = rint(y / ln2), |r| <= ln2 / 2 (Cody-Waite,
// ln2 in two parts), expm1(r) = r + r^2 (1/2! + r/3! + ... + r^11/13!) (Taylor; the first
// term left out, r^14/14!, is below 5e-18), and expm1(y) = 2^k expm1(r) + (2^k - 1).
// For small |x| e is -2a to full relative precision, so t keeps it too: no cancellation.
// Error: within 3 ulp of the exact tanh (tests check it against libm and mpmath values).
//
// Every implementation below performs exactly the same IEEE operations in the same order
// (explicit fma, no contraction), hence the same bits.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static const double CLAMP = 22.0;
static const double INV_LN2 = 0x1.71547652b82fep0;
static const double LN2_HI = 0x1.62e42fefa3800p-1;   // ln 2 with its low 11 bits cleared
static const double LN2_LO = 0x1.ef35793c76730p-45;  // ln 2 - LN2_HI
/// Adding and subtracting 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer
/// (ties to even), which then sits in the low bits of the sum's representation.
static const double ROUND = 0x1.8p52;

/// 1/n! for n = 13 down to 2 (each the double nearest to it).
static const double C[12] = {
    1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
    1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5,
};

// MARK: generic

static double bits_to_double(uint64_t bits) { double d; memcpy(&d, &bits, sizeof d); return d; }
static uint64_t double_to_bits(double d) { uint64_t bits; memcpy(&bits, &d, sizeof bits); return bits; }

double nn_tanh_value(double x) {
    double a = fabs(x);
    a = CLAMP < a ? CLAMP : a;                         // NaN stays NaN
    double y = -2.0 * a;
    double shifted = fma(y, INV_LN2, ROUND);
    double k = shifted - ROUND;
    double r = fma(-k, LN2_HI, y);
    r = fma(-k, LN2_LO, r);
    double q = C[0];
    for (int i = 1; i < 12; i++) q = fma(q, r, C[i]);
    double em = fma(r * r, q, r);
    // 2^k from k's two's-complement bits in the low bits of `shifted`.
    double scale = bits_to_double((double_to_bits(shifted) << 52) + ((uint64_t)1023 << 52));
    double e = fma(scale, em, scale - 1.0);
    double t = -e / (2.0 + e);
    return copysign(t, x);
}

static void tanh_generic(const double *x, double *out, double *slope, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        double t = nn_tanh_value(x[i]);
        out[i] = t;
        slope[i] = 1.0 - t * t;
    }
}

#if defined(__x86_64__)

// MARK: avx2

__attribute__((target("avx2,fma")))
static void tanh_avx2(const double *x, double *out, double *slope, ptrdiff_t n) {
    const __m256d sign_mask = _mm256_set1_pd(-0.0), clamp = _mm256_set1_pd(CLAMP), minus_two = _mm256_set1_pd(-2.0),
                  inv_ln2 = _mm256_set1_pd(INV_LN2), round = _mm256_set1_pd(ROUND), ln2_hi = _mm256_set1_pd(LN2_HI),
                  ln2_lo = _mm256_set1_pd(LN2_LO), one = _mm256_set1_pd(1.0), two = _mm256_set1_pd(2.0);
    const __m256i bias = _mm256_set1_epi64x((int64_t)1023 << 52);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        __m256d a = _mm256_andnot_pd(sign_mask, v);
        a = _mm256_min_pd(clamp, a);                   // (clamp < a) ? clamp : a, as above
        __m256d y = _mm256_mul_pd(minus_two, a);
        __m256d shifted = _mm256_fmadd_pd(y, inv_ln2, round);
        __m256d k = _mm256_sub_pd(shifted, round);
        __m256d r = _mm256_fnmadd_pd(k, ln2_hi, y);
        r = _mm256_fnmadd_pd(k, ln2_lo, r);
        __m256d q = _mm256_set1_pd(C[0]);
        for (int c = 1; c < 12; c++) q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(C[c]));
        __m256d em = _mm256_fmadd_pd(_mm256_mul_pd(r, r), q, r);
        __m256d scale = _mm256_castsi256_pd(_mm256_add_epi64(_mm256_slli_epi64(_mm256_castpd_si256(shifted), 52), bias));
        __m256d e = _mm256_fmadd_pd(scale, em, _mm256_sub_pd(scale, one));
        __m256d t = _mm256_div_pd(_mm256_xor_pd(e, sign_mask), _mm256_add_pd(two, e));
        t = _mm256_or_pd(_mm256_andnot_pd(sign_mask, t), _mm256_and_pd(sign_mask, v));   // copysign
        _mm256_storeu_pd(out + i, t);
        _mm256_storeu_pd(slope + i, _mm256_sub_pd(one, _mm256_mul_pd(t, t)));
    }
    tanh_generic(x + i, out + i, slope + i, n - i);
}

// MARK: avx512

__attribute__((target("avx512f,avx2,fma")))
static void tanh_avx512(const double *x, double *out, double *slope, ptrdiff_t n) {
    const __m512d clamp = _mm512_set1_pd(CLAMP), minus_two = _mm512_set1_pd(-2.0), inv_ln2 = _mm512_set1_pd(INV_LN2),
                  round = _mm512_set1_pd(ROUND), ln2_hi = _mm512_set1_pd(LN2_HI), ln2_lo = _mm512_set1_pd(LN2_LO),
                  one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
    const __m512i sign_mask = _mm512_set1_epi64(INT64_MIN), bias = _mm512_set1_epi64((int64_t)1023 << 52);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d v = _mm512_loadu_pd(x + i);
        __m512i v_bits = _mm512_castpd_si512(v);
        __m512d a = _mm512_castsi512_pd(_mm512_andnot_si512(sign_mask, v_bits));
        a = _mm512_min_pd(clamp, a);
        __m512d y = _mm512_mul_pd(minus_two, a);
        __m512d shifted = _mm512_fmadd_pd(y, inv_ln2, round);
        __m512d k = _mm512_sub_pd(shifted, round);
        __m512d r = _mm512_fnmadd_pd(k, ln2_hi, y);
        r = _mm512_fnmadd_pd(k, ln2_lo, r);
        __m512d q = _mm512_set1_pd(C[0]);
        for (int c = 1; c < 12; c++) q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(C[c]));
        __m512d em = _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r);
        __m512d scale = _mm512_castsi512_pd(_mm512_add_epi64(_mm512_slli_epi64(_mm512_castpd_si512(shifted), 52), bias));
        __m512d e = _mm512_fmadd_pd(scale, em, _mm512_sub_pd(scale, one));
        __m512d minus_e = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(e), sign_mask));
        __m512d t = _mm512_div_pd(minus_e, _mm512_add_pd(two, e));
        __m512i t_bits = _mm512_or_si512(_mm512_andnot_si512(sign_mask, _mm512_castpd_si512(t)),
                                         _mm512_and_si512(sign_mask, v_bits));
        t = _mm512_castsi512_pd(t_bits);
        _mm512_storeu_pd(out + i, t);
        _mm512_storeu_pd(slope + i, _mm512_sub_pd(one, _mm512_mul_pd(t, t)));
    }
    tanh_generic(x + i, out + i, slope + i, n - i);
}

#endif

void nn_tanh(nn_kernel kernel, const double *x, double *out, double *slope, ptrdiff_t n) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { tanh_avx512(x, out, slope, n); return; }
    if (kernel == NN_KERNEL_AVX2) { tanh_avx2(x, out, slope, n); return; }
#endif
    (void)kernel;
    tanh_generic(x, out, slope, n);
}

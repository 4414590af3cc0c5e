// tanh for whole layers: nnrun's own, so that a vectorized loop can compute it and give the
// same bits as the scalar one (and as every other machine; libm's tanh differs by CPU).
//
//   tanh(x) = sign(x) t,  t = -e / (2 + e),  e = expm1(-2a),  a = min(|x|, 22)
//
// tanh(22) rounds to 1, so the clamp changes nothing but keeps 2^k in range. expm1(y) for
// y in [-44, 0] is 2^k expm1(r) + (2^k - 1) with the reduction of exp_reduction.h.
// For small |x| e is -2a to full relative precision, so t keeps it too: no cancellation.
// Error: within 3 ulp of the exact tanh (tests check it against libm and mpmath values).
//
// Every implementation below performs exactly the same IEEE operations in the same order
// (explicit fma, no contraction), hence the same bits.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include "exp_reduction.h"
#include "tanh.h"
#include "activation_elements.h"

static const double CLAMP = NN_TANH_CLAMP;

// MARK: generic

double nn_tanh_value(double x) { return nn_tanh_inline(x); }

/// out = tanh(x), slope = 1 - out^2, element by element.
__attribute__((always_inline)) static inline void tanh_scalar(const double *x, double *out, double *slope, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        double t = nn_tanh_inline(x[i]);
        out[i] = t;
        slope[i] = nn_tanh_slope(t);
    }
}

static void tanh_generic(const double *x, double *out, double *slope, ptrdiff_t n) { tanh_scalar(x, out, slope, n); }

#if defined(__x86_64__)

/// The scalar loop for the vector forms' tails (and for layers narrower than a vector).
__attribute__((target("avx2,fma"))) static void tanh_tail(const double *x, double *out, double *slope, ptrdiff_t n) {
    tanh_scalar(x, out, slope, n);
}

// MARK: avx2

__attribute__((target("avx2,fma")))
static void tanh_avx2(const double *x, double *out, double *slope, ptrdiff_t n) {
    const __m256d sign_mask = _mm256_set1_pd(-0.0), clamp = _mm256_set1_pd(CLAMP), minus_two = _mm256_set1_pd(-2.0),
                  one = _mm256_set1_pd(1.0), two = _mm256_set1_pd(2.0);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        __m256d a = _mm256_andnot_pd(sign_mask, v);
        a = _mm256_min_pd(clamp, a);                   // (clamp < a) ? clamp : a, as above
        __m256d y = _mm256_mul_pd(minus_two, a);
        __m256d shifted;
        __m256d em = nn_expm1_reduced_avx2(y, &shifted);
        __m256d scale = nn_pow2_from_shifted_avx2(shifted);
        __m256d e = _mm256_fmadd_pd(scale, em, _mm256_sub_pd(scale, one));
        __m256d t = _mm256_div_pd(_mm256_xor_pd(e, sign_mask), _mm256_add_pd(two, e));
        t = _mm256_or_pd(_mm256_andnot_pd(sign_mask, t), _mm256_and_pd(sign_mask, v));   // copysign
        _mm256_storeu_pd(out + i, t);
        _mm256_storeu_pd(slope + i, _mm256_sub_pd(one, _mm256_mul_pd(t, t)));
    }
    tanh_tail(x + i, out + i, slope + i, n - i);
}

// MARK: avx512

__attribute__((target("avx512f,avx2,fma")))
static void tanh_avx512(const double *x, double *out, double *slope, ptrdiff_t n) {
    const __m512d clamp = _mm512_set1_pd(CLAMP), minus_two = _mm512_set1_pd(-2.0),
                  one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
    const __m512i sign_mask = _mm512_set1_epi64(INT64_MIN);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d v = _mm512_loadu_pd(x + i);
        __m512i v_bits = _mm512_castpd_si512(v);
        __m512d a = _mm512_castsi512_pd(_mm512_andnot_si512(sign_mask, v_bits));
        a = _mm512_min_pd(clamp, a);
        __m512d y = _mm512_mul_pd(minus_two, a);
        __m512d shifted;
        __m512d em = nn_expm1_reduced_avx512(y, &shifted);
        __m512d scale = nn_pow2_from_shifted_avx512(shifted);
        __m512d e = _mm512_fmadd_pd(scale, em, _mm512_sub_pd(scale, one));
        __m512d minus_e = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(e), sign_mask));
        __m512d t = _mm512_div_pd(minus_e, _mm512_add_pd(two, e));
        __m512i t_bits = _mm512_or_si512(_mm512_andnot_si512(sign_mask, _mm512_castpd_si512(t)),
                                         _mm512_and_si512(sign_mask, v_bits));
        t = _mm512_castsi512_pd(t_bits);
        _mm512_storeu_pd(out + i, t);
        _mm512_storeu_pd(slope + i, _mm512_sub_pd(one, _mm512_mul_pd(t, t)));
    }
    tanh_tail(x + i, out + i, slope + i, n - i);
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

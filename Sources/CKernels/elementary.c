// nnrun's elementary functions (elementary.h) for Swift, and the layers built on exp:
// sigmoid and softmax, each with a scalar, an AVX2 and an AVX-512 form giving the same bits.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include "elementary.h"
#include "activation_elements.h"

// MARK: one value

#if defined(__x86_64__)
/// Whether the CPU has FMA3 (and the OS the AVX state its encoding needs): then the one-value
/// functions run a copy compiled for it, whose fma is an instruction and not a call into libm
/// (the same bits either way). Kept here, so that each call reads a local flag, not a call
/// into cpu_features.c (these run per element on the general path); a race only writes
/// the same value twice.
static int has_fma(void) {
    static int state;   // 0 not yet known, 1 no, 2 yes
    int known = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (known == 0) {
        known = nn_kernel_available(NN_KERNEL_AVX2) ? 2 : 1;
        __atomic_store_n(&state, known, __ATOMIC_RELAXED);
    }
    return known == 2;
}
#define NN_ONE_VALUE(name, call)                                                                   \
    __attribute__((target("avx2,fma"))) static double name##_fma(double x) { return call; }      \
    static double name##_baseline(double x) { return call; }                                       \
    double nn_##name##_value(double x) { return has_fma() ? name##_fma(x) : name##_baseline(x); }
#else
#define NN_ONE_VALUE(name, call) double nn_##name##_value(double x) { return call; }
#endif

NN_ONE_VALUE(exp, nn_exp_inline(x))
NN_ONE_VALUE(log, nn_log_inline(x, 0.0, 0))
NN_ONE_VALUE(log1p, nn_log1p_inline(x))
NN_ONE_VALUE(sigmoid, nn_sigmoid_inline(x))

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static double power_fma(double base, int64_t n) { return nn_power_inline(base, n); }
static double power_baseline(double base, int64_t n) { return nn_power_inline(base, n); }
double nn_power_value(double base, int64_t n) { return has_fma() ? power_fma(base, n) : power_baseline(base, n); }
#else
double nn_power_value(double base, int64_t n) { return nn_power_inline(base, n); }
#endif

/// a * b + c as written, for the test that nothing here is contracted into an fma
/// (compiled for FMA3, where a contracting compiler would fuse it).
#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
#endif
double nn_unfused_multiply_add(double a, double b, double c) { return a * b + c; }

// MARK: sigmoid

/// out = sigmoid(x), slope = out (1 - out), element by element.
__attribute__((always_inline)) static inline void sigmoid_scalar(const double *x, double *out, double *slope,
                                                                  ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) {
        double o = nn_sigmoid_inline(x[k]);
        out[k] = o;
        slope[k] = nn_sigmoid_slope(o);
    }
}

/// out = exp(x[k] - shift), element by element.
__attribute__((always_inline)) static inline void exp_scalar(const double *x, double shift, double *out, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) out[k] = nn_exp_inline(x[k] - shift);
}

static void sigmoid_generic(const double *x, double *out, double *slope, ptrdiff_t n) { sigmoid_scalar(x, out, slope, n); }
static void exp_generic(const double *x, double shift, double *out, ptrdiff_t n) { exp_scalar(x, shift, out, n); }

#if defined(__x86_64__)

/// The scalar loops for the vector forms' tails and their vectors with a lane off exp's main path.
__attribute__((target("avx2,fma"))) static void sigmoid_tail(const double *x, double *out, double *slope, ptrdiff_t n) {
    sigmoid_scalar(x, out, slope, n);
}
__attribute__((target("avx2,fma"))) static void exp_tail(const double *x, double shift, double *out, ptrdiff_t n) {
    exp_scalar(x, shift, out, n);
}

__attribute__((target("avx2,fma")))
static void sigmoid_avx2(const double *x, double *out, double *slope, ptrdiff_t n) {
    const __m256d sign = _mm256_set1_pd(-0.0), one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        __m256d minus_magnitude = _mm256_or_pd(v, sign);          // -|x|
        if (nn_exp_any_special_avx2(minus_magnitude)) { sigmoid_tail(x + i, out + i, slope + i, 4); continue; }
        __m256d e = nn_exp_main_avx2(minus_magnitude);
        __m256d numerator = _mm256_blendv_pd(e, one, _mm256_cmp_pd(v, zero, _CMP_GE_OQ));
        __m256d o = _mm256_div_pd(numerator, _mm256_add_pd(one, e));
        _mm256_storeu_pd(out + i, o);
        _mm256_storeu_pd(slope + i, _mm256_mul_pd(o, _mm256_sub_pd(one, o)));
    }
    sigmoid_tail(x + i, out + i, slope + i, n - i);
}

__attribute__((target("avx2,fma")))
static void exp_avx2(const double *x, double shift, double *out, ptrdiff_t n) {
    const __m256d s = _mm256_set1_pd(shift);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d y = _mm256_sub_pd(_mm256_loadu_pd(x + i), s);
        if (nn_exp_any_special_avx2(y)) { exp_tail(x + i, shift, out + i, 4); continue; }
        _mm256_storeu_pd(out + i, nn_exp_main_avx2(y));
    }
    exp_tail(x + i, shift, out + i, n - i);
}

__attribute__((target("avx512f,avx2,fma")))
static void sigmoid_avx512(const double *x, double *out, double *slope, ptrdiff_t n) {
    const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
    const __m512i sign = _mm512_set1_epi64(INT64_MIN);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d v = _mm512_loadu_pd(x + i);
        __m512d minus_magnitude = _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(v), sign));
        if (nn_exp_any_special_avx512(minus_magnitude)) { sigmoid_tail(x + i, out + i, slope + i, 8); continue; }
        __m512d e = nn_exp_main_avx512(minus_magnitude);
        __m512d numerator = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(v, zero, _CMP_GE_OQ), e, one);
        __m512d o = _mm512_div_pd(numerator, _mm512_add_pd(one, e));
        _mm512_storeu_pd(out + i, o);
        _mm512_storeu_pd(slope + i, _mm512_mul_pd(o, _mm512_sub_pd(one, o)));
    }
    sigmoid_tail(x + i, out + i, slope + i, n - i);
}

__attribute__((target("avx512f,avx2,fma")))
static void exp_avx512(const double *x, double shift, double *out, ptrdiff_t n) {
    const __m512d s = _mm512_set1_pd(shift);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d y = _mm512_sub_pd(_mm512_loadu_pd(x + i), s);
        if (nn_exp_any_special_avx512(y)) { exp_tail(x + i, shift, out + i, 8); continue; }
        _mm512_storeu_pd(out + i, nn_exp_main_avx512(y));
    }
    exp_tail(x + i, shift, out + i, n - i);
}

#endif

void nn_sigmoid(nn_kernel kernel, const double *x, double *out, double *slope, ptrdiff_t n) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { sigmoid_avx512(x, out, slope, n); return; }
    if (kernel == NN_KERNEL_AVX2) { sigmoid_avx2(x, out, slope, n); return; }
#endif
    (void)kernel;
    sigmoid_generic(x, out, slope, n);
}

void nn_exp_shifted(nn_kernel kernel, const double *x, double shift, double *out, ptrdiff_t n) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { exp_avx512(x, shift, out, n); return; }
    if (kernel == NN_KERNEL_AVX2) { exp_avx2(x, shift, out, n); return; }
#endif
    (void)kernel;
    exp_generic(x, shift, out, n);
}

double nn_softmax(nn_kernel kernel, const double *z, double *out, ptrdiff_t n) {
    double m = -INFINITY;
    for (ptrdiff_t k = 0; k < n; k++)
        if (z[k] > m) m = z[k];
    nn_exp_shifted(kernel, z, m, out, n);
    double sum = 0.0;
    for (ptrdiff_t k = 0; k < n; k++) sum += out[k];
    nn_divide(kernel, out, sum, n);
    return sum;
}

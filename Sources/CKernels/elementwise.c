// The element-wise loops of a step: bias additions, the delta product, scalings and the
// piecewise-linear activations. Each is written once, as a plain loop, and compiled three
// times: for baseline x86-64, for AVX2 and for AVX-512 (the compiler vectorizes the loop for
// each). Every element goes through the same IEEE operations whatever the vector width
// (nothing is contracted: no fused multiply-add appears where the source has none), so the
// three give the same bits.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include "activation_elements.h"

/// Defines name_generic, name_avx2 and name_avx512 around name_loop, and the public
/// nn_name that picks one by kernel. Fewer than SHORT elements (`length`) run the generic
/// loop whatever the kernel: for the few values of a tiny network a vector form's set-up
/// and remainder cost more than the loop (callgrind, the tutorial's step), and the bits
/// are the same.
#define NN_TARGETS(name, parameters, arguments, length)                                            \
    static void name##_generic parameters { name##_loop arguments; }                                \
    NN_TARGETS_X86(name, parameters, arguments)                                                     \
    void nn_##name(nn_kernel kernel, NN_UNPAREN parameters) {                                       \
        if ((length) >= SHORT) { NN_DISPATCH_X86(name, arguments) }                                 \
        (void)kernel;                                                                               \
        name##_generic arguments;                                                                   \
    }
enum { SHORT = 16 };
#define NN_UNPAREN(...) __VA_ARGS__

#if defined(__x86_64__)
#define NN_TARGETS_X86(name, parameters, arguments)                                                \
    __attribute__((target("avx2,fma"))) static void name##_avx2 parameters { name##_loop arguments; } \
    __attribute__((target("avx512f,avx2,fma"))) static void name##_avx512 parameters { name##_loop arguments; }
#define NN_DISPATCH_X86(name, arguments)                                                           \
    if (kernel == NN_KERNEL_AVX512) { name##_avx512 arguments; return; }                            \
    if (kernel == NN_KERNEL_AVX2) { name##_avx2 arguments; return; }
#else
#define NN_TARGETS_X86(name, parameters, arguments)
#define NN_DISPATCH_X86(name, arguments)
#endif

#define NN_LOOP __attribute__((always_inline)) static inline void

NN_LOOP add_bias_loop(double *restrict net, const double *restrict bias, ptrdiff_t rows, ptrdiff_t units) {
    for (ptrdiff_t s = 0; s < rows; s++)
        for (ptrdiff_t u = 0; u < units; u++) net[s * units + u] += bias[u];
}
NN_TARGETS(add_bias, (double *net, const double *bias, ptrdiff_t rows, ptrdiff_t units), (net, bias, rows, units), rows * units)

NN_LOOP add_constant_loop(double *restrict x, double value, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) x[k] += value;
}
NN_TARGETS(add_constant, (double *x, double value, ptrdiff_t n), (x, value, n), n)

NN_LOOP sum_rows_loop(double *restrict sums, const double *restrict x, ptrdiff_t rows, ptrdiff_t units,
                      ptrdiff_t stride) {
    for (ptrdiff_t s = 0; s < rows; s++)
        for (ptrdiff_t u = 0; u < units; u++) sums[u] += x[s * stride + u];
}
NN_TARGETS(sum_rows, (double *sums, const double *x, ptrdiff_t rows, ptrdiff_t units, ptrdiff_t stride),
           (sums, x, rows, units, stride), rows * units)

NN_LOOP multiply_elements_loop(double *restrict out, const double *restrict a, const double *restrict b, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) out[k] = a[k] * b[k];
}
NN_TARGETS(multiply_elements, (double *out, const double *a, const double *b, ptrdiff_t n), (out, a, b, n), n)

NN_LOOP scale_loop(double *restrict x, double factor, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) x[k] = x[k] * factor;
}
NN_TARGETS(scale, (double *x, double factor, ptrdiff_t n), (x, factor, n), n)

NN_LOOP divide_loop(double *restrict x, double divisor, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) x[k] = x[k] / divisor;
}
NN_TARGETS(divide, (double *x, double divisor, ptrdiff_t n), (x, divisor, n), n)

NN_LOOP relu_loop(const double *restrict x, double *restrict out, double *restrict slope, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) nn_relu_element(x[k], &out[k], &slope[k]);
}
NN_TARGETS(relu, (const double *x, double *out, double *slope, ptrdiff_t n), (x, out, slope, n), n)

NN_LOOP leaky_relu_loop(const double *restrict x, double *restrict out, double *restrict slope, double alpha,
                        ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) nn_leaky_relu_element(x[k], alpha, &out[k], &slope[k]);
}
NN_TARGETS(leaky_relu, (const double *x, double *out, double *slope, double alpha, ptrdiff_t n), (x, out, slope, alpha, n), n)

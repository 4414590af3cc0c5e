// The optimizers' element-wise updates (formulas in CKernels.h). Each implementation does
// the same IEEE operations in the same order, so every kernel gives the same bits; the
// vector loops only do several elements at once.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include "optimizer_elements.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// The settings travel as scalar arguments, in registers (CKernels.h says why), through
// every function of this file:
#define SGD_SETTINGS double learning_rate, double momentum, double weight_decay, int nesterov
#define SGD_ARGUMENTS learning_rate, momentum, weight_decay, nesterov
#define ADAM_SETTINGS double beta1, double beta2, double epsilon, double weight_decay, double step_size, \
    double root_correction2
#define ADAM_ARGUMENTS beta1, beta2, epsilon, weight_decay, step_size, root_correction2

// MARK: sgd

static void sgd_generic(double *p, const double *grad, double *buf, ptrdiff_t n, SGD_SETTINGS) {
    for (ptrdiff_t k = 0; k < n; k++) nn_sgd_element(p + k, grad[k], buf + k, SGD_ARGUMENTS);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void sgd_avx512(double *p, const double *grad, double *buf, ptrdiff_t n, SGD_SETTINGS) {
    if (n < 8) { sgd_generic(p, grad, buf, n, SGD_ARGUMENTS); return; }  // no vector set-up for a few values
    const __m512d wd = _mm512_set1_pd(weight_decay), mu = _mm512_set1_pd(momentum), lr = _mm512_set1_pd(learning_rate);
    ptrdiff_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m512d g = _mm512_loadu_pd(grad + k), pk = _mm512_loadu_pd(p + k);
        if (weight_decay != 0) g = _mm512_add_pd(g, _mm512_mul_pd(wd, pk));
        if (momentum != 0) {
            __m512d b = _mm512_add_pd(_mm512_mul_pd(mu, _mm512_loadu_pd(buf + k)), g);
            _mm512_storeu_pd(buf + k, b);
            g = nesterov ? _mm512_add_pd(g, _mm512_mul_pd(mu, b)) : b;
        }
        _mm512_storeu_pd(p + k, _mm512_sub_pd(pk, _mm512_mul_pd(lr, g)));
    }
    sgd_generic(p + k, grad + k, buf + k, n - k, SGD_ARGUMENTS);
}

__attribute__((target("avx2,fma")))
static void sgd_avx2(double *p, const double *grad, double *buf, ptrdiff_t n, SGD_SETTINGS) {
    if (n < 4) { sgd_generic(p, grad, buf, n, SGD_ARGUMENTS); return; }
    const __m256d wd = _mm256_set1_pd(weight_decay), mu = _mm256_set1_pd(momentum), lr = _mm256_set1_pd(learning_rate);
    ptrdiff_t k = 0;
    for (; k + 4 <= n; k += 4) {
        __m256d g = _mm256_loadu_pd(grad + k), pk = _mm256_loadu_pd(p + k);
        if (weight_decay != 0) g = _mm256_add_pd(g, _mm256_mul_pd(wd, pk));
        if (momentum != 0) {
            __m256d b = _mm256_add_pd(_mm256_mul_pd(mu, _mm256_loadu_pd(buf + k)), g);
            _mm256_storeu_pd(buf + k, b);
            g = nesterov ? _mm256_add_pd(g, _mm256_mul_pd(mu, b)) : b;
        }
        _mm256_storeu_pd(p + k, _mm256_sub_pd(pk, _mm256_mul_pd(lr, g)));
    }
    sgd_generic(p + k, grad + k, buf + k, n - k, SGD_ARGUMENTS);
}
#endif

void nn_sgd_update(nn_kernel kernel, double *p, const double *grad, double *buf, ptrdiff_t n, SGD_SETTINGS) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { sgd_avx512(p, grad, buf, n, SGD_ARGUMENTS); return; }
    if (kernel == NN_KERNEL_AVX2) { sgd_avx2(p, grad, buf, n, SGD_ARGUMENTS); return; }
#endif
    (void)kernel;
    sgd_generic(p, grad, buf, n, SGD_ARGUMENTS);
}

// MARK: adam

static void adam_generic(double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAM_SETTINGS) {
    const double one_minus_beta1 = 1 - beta1, one_minus_beta2 = 1 - beta2;
    for (ptrdiff_t k = 0; k < n; k++)
        nn_adam_element(p + k, grad[k], m + k, v + k, beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon,
                        weight_decay, step_size, root_correction2);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void adam_avx512(double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAM_SETTINGS) {
    if (n < 8) { adam_generic(p, grad, m, v, n, ADAM_ARGUMENTS); return; }
    const __m512d wd = _mm512_set1_pd(weight_decay), b1 = _mm512_set1_pd(beta1), b2 = _mm512_set1_pd(beta2),
                  c1 = _mm512_set1_pd(1 - beta1), c2 = _mm512_set1_pd(1 - beta2),
                  root2 = _mm512_set1_pd(root_correction2), eps = _mm512_set1_pd(epsilon),
                  step = _mm512_set1_pd(step_size);
    ptrdiff_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m512d g = _mm512_loadu_pd(grad + k), pk = _mm512_loadu_pd(p + k);
        if (weight_decay != 0) g = _mm512_add_pd(g, _mm512_mul_pd(wd, pk));
        __m512d mk = _mm512_add_pd(_mm512_mul_pd(b1, _mm512_loadu_pd(m + k)), _mm512_mul_pd(c1, g));
        __m512d vk = _mm512_add_pd(_mm512_mul_pd(b2, _mm512_loadu_pd(v + k)), _mm512_mul_pd(_mm512_mul_pd(c2, g), g));
        _mm512_storeu_pd(m + k, mk);
        _mm512_storeu_pd(v + k, vk);
        __m512d denominator = _mm512_add_pd(_mm512_div_pd(_mm512_sqrt_pd(vk), root2), eps);
        _mm512_storeu_pd(p + k, _mm512_sub_pd(pk, _mm512_mul_pd(step, _mm512_div_pd(mk, denominator))));
    }
    adam_generic(p + k, grad + k, m + k, v + k, n - k, ADAM_ARGUMENTS);
}

__attribute__((target("avx2,fma")))
static void adam_avx2(double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAM_SETTINGS) {
    if (n < 4) { adam_generic(p, grad, m, v, n, ADAM_ARGUMENTS); return; }
    const __m256d wd = _mm256_set1_pd(weight_decay), b1 = _mm256_set1_pd(beta1), b2 = _mm256_set1_pd(beta2),
                  c1 = _mm256_set1_pd(1 - beta1), c2 = _mm256_set1_pd(1 - beta2),
                  root2 = _mm256_set1_pd(root_correction2), eps = _mm256_set1_pd(epsilon),
                  step = _mm256_set1_pd(step_size);
    ptrdiff_t k = 0;
    for (; k + 4 <= n; k += 4) {
        __m256d g = _mm256_loadu_pd(grad + k), pk = _mm256_loadu_pd(p + k);
        if (weight_decay != 0) g = _mm256_add_pd(g, _mm256_mul_pd(wd, pk));
        __m256d mk = _mm256_add_pd(_mm256_mul_pd(b1, _mm256_loadu_pd(m + k)), _mm256_mul_pd(c1, g));
        __m256d vk = _mm256_add_pd(_mm256_mul_pd(b2, _mm256_loadu_pd(v + k)), _mm256_mul_pd(_mm256_mul_pd(c2, g), g));
        _mm256_storeu_pd(m + k, mk);
        _mm256_storeu_pd(v + k, vk);
        __m256d denominator = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vk), root2), eps);
        _mm256_storeu_pd(p + k, _mm256_sub_pd(pk, _mm256_mul_pd(step, _mm256_div_pd(mk, denominator))));
    }
    adam_generic(p + k, grad + k, m + k, v + k, n - k, ADAM_ARGUMENTS);
}
#endif

void nn_adam_update(nn_kernel kernel, double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAM_SETTINGS) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { adam_avx512(p, grad, m, v, n, ADAM_ARGUMENTS); return; }
    if (kernel == NN_KERNEL_AVX2) { adam_avx2(p, grad, m, v, n, ADAM_ARGUMENTS); return; }
#endif
    (void)kernel;
    adam_generic(p, grad, m, v, n, ADAM_ARGUMENTS);
}

// MARK: adamw

#define ADAMW_SETTINGS double beta1, double beta2, double epsilon, double decay_factor, double step_size, \
    double root_correction2
#define ADAMW_ARGUMENTS beta1, beta2, epsilon, decay_factor, step_size, root_correction2

static void adamw_generic(double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAMW_SETTINGS) {
    const double one_minus_beta1 = 1 - beta1, one_minus_beta2 = 1 - beta2;
    for (ptrdiff_t k = 0; k < n; k++) {
        // The decoupled decay first (torch.optim.AdamW), then Adam's step without weight decay.
        p[k] = p[k] * decay_factor;
        nn_adam_element(p + k, grad[k], m + k, v + k, beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon, 0,
                        step_size, root_correction2);
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void adamw_avx512(double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAMW_SETTINGS) {
    if (n < 8) { adamw_generic(p, grad, m, v, n, ADAMW_ARGUMENTS); return; }
    const __m512d decay = _mm512_set1_pd(decay_factor), b1 = _mm512_set1_pd(beta1), b2 = _mm512_set1_pd(beta2),
                  c1 = _mm512_set1_pd(1 - beta1), c2 = _mm512_set1_pd(1 - beta2),
                  root2 = _mm512_set1_pd(root_correction2), eps = _mm512_set1_pd(epsilon),
                  step = _mm512_set1_pd(step_size);
    ptrdiff_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m512d g = _mm512_loadu_pd(grad + k), pk = _mm512_mul_pd(_mm512_loadu_pd(p + k), decay);
        __m512d mk = _mm512_add_pd(_mm512_mul_pd(b1, _mm512_loadu_pd(m + k)), _mm512_mul_pd(c1, g));
        __m512d vk = _mm512_add_pd(_mm512_mul_pd(b2, _mm512_loadu_pd(v + k)), _mm512_mul_pd(_mm512_mul_pd(c2, g), g));
        _mm512_storeu_pd(m + k, mk);
        _mm512_storeu_pd(v + k, vk);
        __m512d denominator = _mm512_add_pd(_mm512_div_pd(_mm512_sqrt_pd(vk), root2), eps);
        _mm512_storeu_pd(p + k, _mm512_sub_pd(pk, _mm512_mul_pd(step, _mm512_div_pd(mk, denominator))));
    }
    adamw_generic(p + k, grad + k, m + k, v + k, n - k, ADAMW_ARGUMENTS);
}

__attribute__((target("avx2,fma")))
static void adamw_avx2(double *p, const double *grad, double *m, double *v, ptrdiff_t n, ADAMW_SETTINGS) {
    if (n < 4) { adamw_generic(p, grad, m, v, n, ADAMW_ARGUMENTS); return; }
    const __m256d decay = _mm256_set1_pd(decay_factor), b1 = _mm256_set1_pd(beta1), b2 = _mm256_set1_pd(beta2),
                  c1 = _mm256_set1_pd(1 - beta1), c2 = _mm256_set1_pd(1 - beta2),
                  root2 = _mm256_set1_pd(root_correction2), eps = _mm256_set1_pd(epsilon),
                  step = _mm256_set1_pd(step_size);
    ptrdiff_t k = 0;
    for (; k + 4 <= n; k += 4) {
        __m256d g = _mm256_loadu_pd(grad + k), pk = _mm256_mul_pd(_mm256_loadu_pd(p + k), decay);
        __m256d mk = _mm256_add_pd(_mm256_mul_pd(b1, _mm256_loadu_pd(m + k)), _mm256_mul_pd(c1, g));
        __m256d vk = _mm256_add_pd(_mm256_mul_pd(b2, _mm256_loadu_pd(v + k)), _mm256_mul_pd(_mm256_mul_pd(c2, g), g));
        _mm256_storeu_pd(m + k, mk);
        _mm256_storeu_pd(v + k, vk);
        __m256d denominator = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vk), root2), eps);
        _mm256_storeu_pd(p + k, _mm256_sub_pd(pk, _mm256_mul_pd(step, _mm256_div_pd(mk, denominator))));
    }
    adamw_generic(p + k, grad + k, m + k, v + k, n - k, ADAMW_ARGUMENTS);
}
#endif

void nn_adamw_update(nn_kernel kernel, double *p, const double *grad, double *m, double *v, ptrdiff_t n,
                     ADAMW_SETTINGS) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { adamw_avx512(p, grad, m, v, n, ADAMW_ARGUMENTS); return; }
    if (kernel == NN_KERNEL_AVX2) { adamw_avx2(p, grad, m, v, n, ADAMW_ARGUMENTS); return; }
#endif
    (void)kernel;
    adamw_generic(p, grad, m, v, n, ADAMW_ARGUMENTS);
}

// MARK: rmsprop

#define RMSPROP_SETTINGS double learning_rate, double alpha, double epsilon, double weight_decay, double momentum, \
    int centered
#define RMSPROP_ARGUMENTS learning_rate, alpha, epsilon, weight_decay, momentum, centered

static void rmsprop_generic(double *p, const double *grad, double *v, double *average, double *buf, ptrdiff_t n,
                            RMSPROP_SETTINGS) {
    const double one_minus_alpha = 1 - alpha;
    for (ptrdiff_t k = 0; k < n; k++) {
        double g = grad[k];
        if (weight_decay != 0) g = g + weight_decay * p[k];
        v[k] = alpha * v[k] + one_minus_alpha * g * g;
        double denominator;
        if (centered) {
            average[k] = alpha * average[k] + one_minus_alpha * g;
            denominator = sqrt(v[k] - average[k] * average[k]) + epsilon;
        } else {
            denominator = sqrt(v[k]) + epsilon;
        }
        if (momentum != 0) {
            buf[k] = momentum * buf[k] + g / denominator;
            p[k] = p[k] - learning_rate * buf[k];
        } else {
            p[k] = p[k] - learning_rate * (g / denominator);
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void rmsprop_avx512(double *p, const double *grad, double *v, double *average, double *buf, ptrdiff_t n,
                           RMSPROP_SETTINGS) {
    if (n < 8) { rmsprop_generic(p, grad, v, average, buf, n, RMSPROP_ARGUMENTS); return; }
    const __m512d lr = _mm512_set1_pd(learning_rate), a = _mm512_set1_pd(alpha), c = _mm512_set1_pd(1 - alpha),
                  eps = _mm512_set1_pd(epsilon), wd = _mm512_set1_pd(weight_decay), mu = _mm512_set1_pd(momentum);
    ptrdiff_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m512d g = _mm512_loadu_pd(grad + k), pk = _mm512_loadu_pd(p + k);
        if (weight_decay != 0) g = _mm512_add_pd(g, _mm512_mul_pd(wd, pk));
        __m512d vk = _mm512_add_pd(_mm512_mul_pd(a, _mm512_loadu_pd(v + k)), _mm512_mul_pd(_mm512_mul_pd(c, g), g));
        _mm512_storeu_pd(v + k, vk);
        __m512d denominator;
        if (centered) {
            __m512d ak = _mm512_add_pd(_mm512_mul_pd(a, _mm512_loadu_pd(average + k)), _mm512_mul_pd(c, g));
            _mm512_storeu_pd(average + k, ak);
            denominator = _mm512_add_pd(_mm512_sqrt_pd(_mm512_sub_pd(vk, _mm512_mul_pd(ak, ak))), eps);
        } else {
            denominator = _mm512_add_pd(_mm512_sqrt_pd(vk), eps);
        }
        __m512d direction = _mm512_div_pd(g, denominator);
        if (momentum != 0) {
            direction = _mm512_add_pd(_mm512_mul_pd(mu, _mm512_loadu_pd(buf + k)), direction);
            _mm512_storeu_pd(buf + k, direction);
        }
        _mm512_storeu_pd(p + k, _mm512_sub_pd(pk, _mm512_mul_pd(lr, direction)));
    }
    rmsprop_generic(p + k, grad + k, v + k, average + k, buf + k, n - k, RMSPROP_ARGUMENTS);
}

__attribute__((target("avx2,fma")))
static void rmsprop_avx2(double *p, const double *grad, double *v, double *average, double *buf, ptrdiff_t n,
                         RMSPROP_SETTINGS) {
    if (n < 4) { rmsprop_generic(p, grad, v, average, buf, n, RMSPROP_ARGUMENTS); return; }
    const __m256d lr = _mm256_set1_pd(learning_rate), a = _mm256_set1_pd(alpha), c = _mm256_set1_pd(1 - alpha),
                  eps = _mm256_set1_pd(epsilon), wd = _mm256_set1_pd(weight_decay), mu = _mm256_set1_pd(momentum);
    ptrdiff_t k = 0;
    for (; k + 4 <= n; k += 4) {
        __m256d g = _mm256_loadu_pd(grad + k), pk = _mm256_loadu_pd(p + k);
        if (weight_decay != 0) g = _mm256_add_pd(g, _mm256_mul_pd(wd, pk));
        __m256d vk = _mm256_add_pd(_mm256_mul_pd(a, _mm256_loadu_pd(v + k)), _mm256_mul_pd(_mm256_mul_pd(c, g), g));
        _mm256_storeu_pd(v + k, vk);
        __m256d denominator;
        if (centered) {
            __m256d ak = _mm256_add_pd(_mm256_mul_pd(a, _mm256_loadu_pd(average + k)), _mm256_mul_pd(c, g));
            _mm256_storeu_pd(average + k, ak);
            denominator = _mm256_add_pd(_mm256_sqrt_pd(_mm256_sub_pd(vk, _mm256_mul_pd(ak, ak))), eps);
        } else {
            denominator = _mm256_add_pd(_mm256_sqrt_pd(vk), eps);
        }
        __m256d direction = _mm256_div_pd(g, denominator);
        if (momentum != 0) {
            direction = _mm256_add_pd(_mm256_mul_pd(mu, _mm256_loadu_pd(buf + k)), direction);
            _mm256_storeu_pd(buf + k, direction);
        }
        _mm256_storeu_pd(p + k, _mm256_sub_pd(pk, _mm256_mul_pd(lr, direction)));
    }
    rmsprop_generic(p + k, grad + k, v + k, average + k, buf + k, n - k, RMSPROP_ARGUMENTS);
}
#endif

void nn_rmsprop_update(nn_kernel kernel, double *p, const double *grad, double *v, double *average, double *buf,
                       ptrdiff_t n, RMSPROP_SETTINGS) {
#if defined(__x86_64__)
    if (kernel == NN_KERNEL_AVX512) { rmsprop_avx512(p, grad, v, average, buf, n, RMSPROP_ARGUMENTS); return; }
    if (kernel == NN_KERNEL_AVX2) { rmsprop_avx2(p, grad, v, average, buf, n, RMSPROP_ARGUMENTS); return; }
#endif
    (void)kernel;
    rmsprop_generic(p, grad, v, average, buf, n, RMSPROP_ARGUMENTS);
}

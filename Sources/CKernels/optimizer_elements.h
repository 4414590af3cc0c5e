// One element of sgd's and Adam's updates (the formulas of `nn_sgd_update` and
// `nn_adam_update` in CKernels.h), in a header so that every caller inlines them: the
// scalar loops of optimizers.c (AdamW's too, after its decay) and the small-network steps
// of dense_step.c, which must give the same bits. Internal to CKernels.
#ifndef NN_OPTIMIZER_ELEMENTS_H
#define NN_OPTIMIZER_ELEMENTS_H
#pragma STDC FP_CONTRACT OFF

#include <math.h>

/// p = p - learning_rate g, g with weight decay and (Nesterov) momentum; *buf is read and
/// written only when momentum != 0.
__attribute__((always_inline)) static inline void nn_sgd_element(double *p, double grad, double *buf,
                                                                 double learning_rate, double momentum,
                                                                 double weight_decay, int nesterov) {
    double g = grad;
    if (weight_decay != 0) g = g + weight_decay * *p;
    if (momentum != 0) {
        *buf = momentum * *buf + g;
        g = nesterov ? g + momentum * *buf : *buf;
    }
    *p = *p - learning_rate * g;
}

/// Adam's step of one element; one_minus_beta1 = 1 - beta1 and one_minus_beta2 = 1 - beta2,
/// each rounded once by the caller.
__attribute__((always_inline)) static inline void nn_adam_element(double *p, double grad, double *m, double *v,
                                                                  double beta1, double one_minus_beta1,
                                                                  double beta2, double one_minus_beta2,
                                                                  double epsilon, double weight_decay,
                                                                  double step_size, double root_correction2) {
    double g = grad;
    if (weight_decay != 0) g = g + weight_decay * *p;
    *m = beta1 * *m + one_minus_beta1 * g;
    *v = beta2 * *v + one_minus_beta2 * g * g;
    double denominator = sqrt(*v) / root_correction2 + epsilon;
    *p = *p - step_size * (*m / denominator);
}

#endif

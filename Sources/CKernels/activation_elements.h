// One element of each layer activation and its slope, in a header so that every caller
// inlines them: the layer kernels' scalar loops (elementwise.c, elementary.c, tanh.c) and
// the small-network steps of dense_step.c, which must give the same bits. The vector loops
// compute the same formulas lane by lane. Internal to CKernels.
#ifndef NN_ACTIVATION_ELEMENTS_H
#define NN_ACTIVATION_ELEMENTS_H
#pragma STDC FP_CONTRACT OFF

/// relu: out = x where x > 0, else 0 (also for NaN, as max(0, x) is defined here); slope 1
/// where x > 0, else 0.
__attribute__((always_inline)) static inline void nn_relu_element(double x, double *out, double *slope) {
    int positive = x > 0;
    *out = positive ? x : 0.0;
    *slope = positive ? 1.0 : 0.0;
}

/// Leaky relu: out = x where x > 0, else alpha x; slope 1 where x > 0, else alpha.
__attribute__((always_inline)) static inline void nn_leaky_relu_element(double x, double alpha, double *out,
                                                                        double *slope) {
    int positive = x > 0;
    *out = positive ? x : alpha * x;
    *slope = positive ? 1.0 : alpha;
}

/// The sigmoid's slope from its output o = sigmoid(x): sigmoid'(x) = o (1 - o).
__attribute__((always_inline)) static inline double nn_sigmoid_slope(double o) { return o * (1.0 - o); }

/// tanh's slope from its output o = tanh(x): tanh'(x) = 1 - o^2, as 1 - o o.
__attribute__((always_inline)) static inline double nn_tanh_slope(double o) { return 1.0 - o * o; }

#endif

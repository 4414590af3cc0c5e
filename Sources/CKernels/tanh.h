// nnrun's scalar tanh (the formula: tanh.c), in a header so that every caller inlines it:
// the layer loops of tanh.c and the fused steps of dense_step.c. Internal to CKernels.
#ifndef NN_TANH_H
#define NN_TANH_H
#pragma STDC FP_CONTRACT OFF

#include <math.h>

#include "exp_reduction.h"

/// tanh(22) rounds to 1: |x| is clamped there, which changes no result but keeps 2^k in range.
#define NN_TANH_CLAMP 22.0

/// The scalar tanh, inlined into each caller: compiled for FMA3 where the caller is, so
/// that a vector loop's scalar tail does not call libm's fma (the same bits either way).
__attribute__((always_inline)) static inline double nn_tanh_inline(double x) {
    double a = fabs(x);
    a = NN_TANH_CLAMP < a ? NN_TANH_CLAMP : a;         // NaN stays NaN
    double y = -2.0 * a;
    double shifted;
    double em = nn_expm1_reduced(y, &shifted);
    double scale = nn_pow2_from_shifted(shifted);
    double e = fma(scale, em, scale - 1.0);
    double t = -e / (2.0 + e);
    return copysign(t, x);
}

#endif

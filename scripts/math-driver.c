// Array entry points to nnrun's elementary functions, for scripts/math-accuracy (ctypes)
// and .ci/cross-arch: compiled together with Sources/CKernels/*.c, as the package compiles
// them, plus -ffp-contract=off for compilers that ignore the STDC FP_CONTRACT pragma (gcc).
#pragma STDC FP_CONTRACT OFF

#include <stddef.h>
#include <stdint.h>

#include "CKernels.h"

/// out[k] = f(x[k]) for f in 0 exp, 1 log, 2 log1p, 3 sigmoid, 4 tanh; 5 power x[k]^n[k];
/// 6 cos(pi n[k] / x[k]) (x[k] a whole number, the denominator).
void nn_math_evaluate(int function, const double *x, const int64_t *n, double *out, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) {
        switch (function) {
        case 0: out[k] = nn_exp_value(x[k]); break;
        case 1: out[k] = nn_log_value(x[k]); break;
        case 2: out[k] = nn_log1p_value(x[k]); break;
        case 3: out[k] = nn_sigmoid_value(x[k]); break;
        case 4: out[k] = nn_tanh_value(x[k]); break;
        case 5: out[k] = nn_power_value(x[k], n[k]); break;
        case 6: out[k] = nn_cospi_fraction(n[k], (int64_t)x[k]); break;
        }
    }
}

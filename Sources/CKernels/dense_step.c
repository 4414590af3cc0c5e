// A small dense network's step in one call: the plan's evaluation operations (forward
// passes, loss) and update operations (deltas, gradients, propagations, optimizer steps)
// as plain C loops over the layers, with nothing between two operations but a loop
// counter. For the tutorial's 2-2-2 network the general path's cost is the calls and
// dispatches around some forty floating-point operations; here they are gone, and a run of
// full-batch steps is one call (Docs/performance.md, "Small networks in one call").
//
// Every operation does the same IEEE operations in the same order as the general path
// (Sources/Running/Workspace+StepOperations.swift, Loss+Math.swift, Optimizer+Update.swift
// and the kernels they call), so every result is the same bits:
//   - each sum of products one fma per term in index order from +0.0 (`nn_gemm`'s chain);
//     a bias added after the chain (`nn_forward_tiny`, `nn_add_bias`);
//   - activations by nnrun's own sigmoid, tanh and exp (elementary.h, tanh.h), with the
//     layer kernels' slopes;
//   - the losses' terms, the sums over rows and units in index order from +0.0, a mean as
//     a multiplication by 2^-e when the count is 2^e (`Workspace.mean`, `divide`);
//   - the optimizers' formulas of `nn_sgd_update` and `nn_adam_update`.
// Nothing here is contracted: the only fused operations are the explicit fma calls.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include "elementary.h"
#include "tanh.h"

#include <math.h>
#include <stdint.h>

#define NN_INLINE __attribute__((always_inline)) static inline

/// 2^-e for n = 2^e (0 < e < 63), 0 for any other n (`Workspace.exactReciprocal`).
NN_INLINE double exact_reciprocal(ptrdiff_t n) {
    if (n <= 0 || (n & (n - 1)) != 0) return 0.0;
    return nn_bits_to_double((uint64_t)(1023 - __builtin_ctzll((unsigned long long)n)) << 52);
}

/// sum / n correctly rounded (`Workspace.mean`).
NN_INLINE double mean(double sum, ptrdiff_t n) {
    double reciprocal = exact_reciprocal(n);
    return reciprocal != 0.0 ? sum * reciprocal : sum / (double)n;
}

/// x / divisor as `Workspace.divide` computes it: unchanged for 1, times 2^-e for 2^e,
/// else divided.
NN_INLINE double divided(double x, ptrdiff_t divisor, double reciprocal) {
    if (reciprocal != 0.0) return divisor == 1 ? x : x * reciprocal;
    return x / (double)divisor;
}

NN_INLINE const double *layer_input(const nn_dense_network *network, ptrdiff_t layer, const double *x) {
    return layer == 0 ? x : network->out + network->layers[layer - 1].activation_offset;
}

// MARK: forward

/// net = W x + b, out = f(net), slope = f'(net) for `rows` rows (`Workspace.forward`).
NN_INLINE void forward_layer(const nn_dense_network *network, const nn_dense_layer *layer, const double *x,
                             ptrdiff_t rows) {
    const ptrdiff_t I = layer->inputs, U = layer->units, bias_count = layer->bias_count;
    const double *w = network->parameters + layer->weight_offset;
    const double *b = network->parameters + layer->bias_offset;
    double *net = network->net + layer->activation_offset;
    double *out = network->out + layer->activation_offset;
    double *slope = network->slope + layer->activation_offset;
    const int activation = layer->activation;
    const double alpha = layer->alpha;
    for (ptrdiff_t s = 0; s < rows; s++) {
        const double *xs = x + s * I;
        for (ptrdiff_t u = 0; u < U; u++) {
            const double *wu = w + u * I;
            double sum = 0.0;
            for (ptrdiff_t i = 0; i < I; i++) sum = fma(xs[i], wu[i], sum);
            if (bias_count == 1) sum = sum + b[0];
            else if (bias_count == U) sum = sum + b[u];
            const ptrdiff_t k = s * U + u;
            net[k] = sum;
            switch (activation) {
            case NN_ACTIVATION_SIGMOID: {
                double o = nn_sigmoid_inline(sum);
                out[k] = o;
                slope[k] = o * (1.0 - o);
                break;
            }
            case NN_ACTIVATION_TANH: {
                double o = nn_tanh_inline(sum);
                out[k] = o;
                slope[k] = 1.0 - o * o;
                break;
            }
            case NN_ACTIVATION_RELU: {
                int positive = sum > 0;
                out[k] = positive ? sum : 0.0;
                slope[k] = positive ? 1.0 : 0.0;
                break;
            }
            case NN_ACTIVATION_LEAKY_RELU: {
                int positive = sum > 0;
                out[k] = positive ? sum : alpha * sum;
                slope[k] = positive ? 1.0 : alpha;
                break;
            }
            case NN_ACTIVATION_SOFTMAX:
                break;   // the whole row, below
            default:
                out[k] = sum;
                slope[k] = 1.0;
            }
        }
        if (activation == NN_ACTIVATION_SOFTMAX) {
            // nn_softmax: the first maximum, e^(z - m), the sum in index order, the divisions.
            const double *z = net + s * U;
            double *o = out + s * U;
            double m = -INFINITY;
            for (ptrdiff_t k = 0; k < U; k++)
                if (z[k] > m) m = z[k];
            for (ptrdiff_t k = 0; k < U; k++) o[k] = nn_exp_inline(z[k] - m);
            double sum = 0.0;
            for (ptrdiff_t k = 0; k < U; k++) sum += o[k];
            for (ptrdiff_t k = 0; k < U; k++) o[k] = o[k] / sum;
            network->softmax_sums[s] = sum;
            for (ptrdiff_t k = 0; k < U; k++) slope[s * U + k] = 1.0;
        }
    }
}

/// Swift's max(z, 0): `0 >= z ? 0 : z` (so +0 for -0, z for NaN).
NN_INLINE double swift_max_zero(double z) { return 0.0 >= z ? 0.0 : z; }

/// Each row's loss terms, dOut (and slope for the cross entropies), the rows' losses; the
/// mean loss (`Workspace.evaluateLoss`, `Loss.evaluate`).
NN_INLINE double loss_of_rows(const nn_dense_network *network, const double *t, ptrdiff_t rows) {
    const nn_dense_layer *output = &network->layers[network->layer_count - 1];
    const ptrdiff_t K = output->units;
    const int loss = network->loss;
    double all = 0.0;
    for (ptrdiff_t s = 0; s < rows; s++) {
        const ptrdiff_t row = output->activation_offset + s * K;
        const double *z = network->net + row, *o = network->out + row, *ts = t + s * K;
        double *terms = network->terms + s * K, *d_out = network->d_out + row, *slope = network->slope + row;
        double total = 0.0;
        switch (loss) {
        case NN_LOSS_HALF_SQUARED_ERROR:
            for (ptrdiff_t k = 0; k < K; k++) {
                double difference = ts[k] - o[k];
                terms[k] = 0.5 * difference * difference;
                d_out[k] = -difference;
                total += terms[k];
            }
            break;
        case NN_LOSS_MSE: {
            const double n = (double)K;
            for (ptrdiff_t k = 0; k < K; k++) {
                double difference = ts[k] - o[k];
                terms[k] = difference * difference / n;
                d_out[k] = 2.0 * (o[k] - ts[k]) / n;
                total += terms[k];
            }
            break;
        }
        case NN_LOSS_BINARY_CROSS_ENTROPY:
            for (ptrdiff_t k = 0; k < K; k++) {
                terms[k] = swift_max_zero(z[k]) - z[k] * ts[k] + nn_log1p_inline(nn_exp_inline(-fabs(z[k])));
                d_out[k] = o[k] - ts[k];
                slope[k] = 1.0;
                total += terms[k];
            }
            break;
        default: {   // cross entropy
            double m = -INFINITY;
            for (ptrdiff_t k = 0; k < K; k++)
                if (z[k] > m) m = z[k];
            const double log_sum_exp = m + nn_log_inline(network->softmax_sums[s], 0.0, 0);
            for (ptrdiff_t k = 0; k < K; k++) {
                terms[k] = ts[k] == 0 ? 0.0 : ts[k] * (log_sum_exp - z[k]);
                d_out[k] = o[k] - ts[k];
                slope[k] = 1.0;
                total += terms[k];
            }
        }
        }
        network->sample_loss[s] = total;
        all += total;
    }
    return mean(all, rows);
}

NN_INLINE double forward_body(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows) {
    for (ptrdiff_t l = 0; l < network->layer_count; l++)
        forward_layer(network, &network->layers[l], layer_input(network, l, x), rows);
    return loss_of_rows(network, t, rows);
}

// MARK: update

/// dW = (1/S) delta^T x, db likewise (`Workspace.gradient`).
NN_INLINE void gradient_layer(const nn_dense_network *network, const nn_dense_layer *layer, const double *x,
                              ptrdiff_t rows) {
    const ptrdiff_t I = layer->inputs, U = layer->units, S = rows;
    const double *d = network->delta + layer->activation_offset;
    double *dw = network->gradients + layer->weight_offset;
    double *db = network->gradients + layer->bias_offset;
    const double reciprocal = exact_reciprocal(S);
    for (ptrdiff_t u = 0; u < U; u++)
        for (ptrdiff_t i = 0; i < I; i++) {
            double sum = 0.0;
            for (ptrdiff_t s = 0; s < S; s++) sum = fma(d[s * U + u], x[s * I + i], sum);
            dw[u * I + i] = divided(sum, S, reciprocal);
        }
    if (layer->bias_count == 1 && layer->bias_shared) {
        double sum = 0.0;
        for (ptrdiff_t s = 0; s < S; s++)
            for (ptrdiff_t u = 0; u < U; u++) sum += d[s * U + u];
        db[0] = mean(sum, S);
    } else if (layer->bias_count == U) {
        for (ptrdiff_t u = 0; u < U; u++) {
            double sum = 0.0;
            for (ptrdiff_t s = 0; s < S; s++) sum += d[s * U + u];
            db[u] = divided(sum, S, reciprocal);
        }
    }
}

/// dOut of the layer below = delta W, W as it is now (`Workspace.propagate`).
NN_INLINE void propagate_layer(const nn_dense_network *network, const nn_dense_layer *layer,
                               const nn_dense_layer *below, ptrdiff_t rows) {
    const ptrdiff_t I = layer->inputs, U = layer->units;
    const double *w = network->parameters + layer->weight_offset;
    const double *d = network->delta + layer->activation_offset;
    double *target = network->d_out + below->activation_offset;
    for (ptrdiff_t s = 0; s < rows; s++)
        for (ptrdiff_t i = 0; i < I; i++) {
            double sum = 0.0;
            for (ptrdiff_t u = 0; u < U; u++) sum = fma(d[s * U + u], w[u * I + i], sum);
            target[s * I + i] = sum;
        }
}

/// The settings of update number t that depend on t (Adam's bias corrections, as
/// `Optimizer.rule` computes them).
typedef struct {
    double step_size, root_correction2;
} adam_corrections;

/// The optimizer on the layer's weights and, when trained, its bias (`nn_sgd_update`,
/// `nn_adam_update`: the same formulas in the same order).
NN_INLINE void step_layer(const nn_dense_network *network, const nn_dense_layer *layer, adam_corrections adam) {
    const ptrdiff_t begin = layer->weight_offset;
    const ptrdiff_t end = layer->bias_trained ? layer->bias_offset + layer->bias_count : layer->bias_offset;
    double *p = network->parameters, *m = network->first_moment, *v = network->second_moment;
    const double *grad = network->gradients;
    const double weight_decay = network->weight_decay, learning_rate = network->learning_rate;
    if (network->optimizer == NN_OPTIMIZER_SGD) {
        const double momentum = network->momentum;
        const int nesterov = network->nesterov;
        for (ptrdiff_t k = begin; k < end; k++) {
            double g = grad[k];
            if (weight_decay != 0) g = g + weight_decay * p[k];
            if (momentum != 0) {
                m[k] = momentum * m[k] + g;
                g = nesterov ? g + momentum * m[k] : m[k];
            }
            p[k] = p[k] - learning_rate * g;
        }
    } else {
        const double beta1 = network->beta1, beta2 = network->beta2, epsilon = network->epsilon;
        const double one_minus_beta1 = 1 - beta1, one_minus_beta2 = 1 - beta2;
        for (ptrdiff_t k = begin; k < end; k++) {
            double g = grad[k];
            if (weight_decay != 0) g = g + weight_decay * p[k];
            m[k] = beta1 * m[k] + one_minus_beta1 * g;
            v[k] = beta2 * v[k] + one_minus_beta2 * g * g;
            double denominator = sqrt(v[k]) / adam.root_correction2 + epsilon;
            p[k] = p[k] - adam.step_size * (m[k] / denominator);
        }
    }
}

NN_INLINE void update_body(const nn_dense_network *network, const double *x, ptrdiff_t rows, int64_t step) {
    adam_corrections adam = {0.0, 0.0};
    if (network->optimizer == NN_OPTIMIZER_ADAM) {
        // 1 - b^t by nnrun's own power, as `Optimizer.rule`.
        double correction1 = 1 - nn_power_inline(network->beta1, step);
        double correction2 = 1 - nn_power_inline(network->beta2, step);
        adam.step_size = network->learning_rate / correction1;
        adam.root_correction2 = sqrt(correction2);
    }
    for (ptrdiff_t index = 0; index < network->update_count; index++) {
        const nn_dense_operation operation = network->update[index];
        const nn_dense_layer *layer = &network->layers[operation.layer];
        switch (operation.kind) {
        case NN_OPERATION_DELTA: {
            const ptrdiff_t offset = layer->activation_offset, n = rows * layer->units;
            double *delta = network->delta + offset;
            const double *d_out = network->d_out + offset, *slope = network->slope + offset;
            for (ptrdiff_t k = 0; k < n; k++) delta[k] = d_out[k] * slope[k];
            break;
        }
        case NN_OPERATION_GRADIENT:
            gradient_layer(network, layer, layer_input(network, operation.layer, x), rows);
            break;
        case NN_OPERATION_PROPAGATE:
            propagate_layer(network, layer, &network->layers[operation.layer - 1], rows);
            break;
        default:
            step_layer(network, layer, adam);
        }
    }
}

// MARK: accuracy

NN_INLINE ptrdiff_t correct_body(const nn_dense_network *network, const double *t, ptrdiff_t rows) {
    const nn_dense_layer *output = &network->layers[network->layer_count - 1];
    const ptrdiff_t K = output->units;
    ptrdiff_t right = 0;
    for (ptrdiff_t s = 0; s < rows; s++) {
        const double *o = network->out + output->activation_offset + s * K, *ts = t + s * K;
        if (network->loss == NN_LOSS_CROSS_ENTROPY) {
            ptrdiff_t best = 0, target = 0;
            for (ptrdiff_t k = 1; k < K; k++) {
                if (o[k] > o[best]) best = k;
                if (ts[k] > ts[target]) target = k;
            }
            if (best == target) right += 1;
        } else {
            for (ptrdiff_t k = 0; k < K; k++)
                if ((o[k] > 0.5) == (ts[k] > 0.5)) right += 1;
        }
    }
    return right;
}

NN_INLINE ptrdiff_t steps_body(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows,
                               int64_t first_step, ptrdiff_t count, double batch_loss, double *losses,
                               ptrdiff_t *correct) {
    for (ptrdiff_t index = 0; index < count; index++) {
        update_body(network, x, rows, first_step + index);
        double loss = forward_body(network, x, t, rows);
        losses[index] = loss;
        if (correct) correct[index] = correct_body(network, t, rows);
        if (!isfinite(batch_loss) || !isfinite(loss)) return index + 1;
        batch_loss = loss;
    }
    return count;
}

// MARK: entry points: a copy for FMA3 (fma an instruction) and a baseline copy (libm's fma)

#define NN_DENSE_COPIES(attributes, suffix)                                                                   \
    attributes static double forward_##suffix(const nn_dense_network *n, const double *x, const double *t,    \
                                              ptrdiff_t rows) {                                              \
        return forward_body(n, x, t, rows);                                                                   \
    }                                                                                                         \
    attributes static void update_##suffix(const nn_dense_network *n, const double *x, ptrdiff_t rows,        \
                                           int64_t step) {                                                   \
        update_body(n, x, rows, step);                                                                        \
    }                                                                                                         \
    attributes static ptrdiff_t steps_##suffix(const nn_dense_network *n, const double *x, const double *t,   \
                                               ptrdiff_t rows, int64_t first, ptrdiff_t count, double batch,  \
                                               double *losses, ptrdiff_t *correct) {                          \
        return steps_body(n, x, t, rows, first, count, batch, losses, correct);                               \
    }

NN_DENSE_COPIES(, baseline)
#if defined(__x86_64__)
NN_DENSE_COPIES(__attribute__((target("avx2,fma"))), fma)
#define NN_DENSE_CALL(network, name, ...) \
    ((network)->use_fma ? name##_fma(__VA_ARGS__) : name##_baseline(__VA_ARGS__))
#else
#define NN_DENSE_CALL(network, name, ...) name##_baseline(__VA_ARGS__)
#endif

double nn_dense_forward(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows) {
    return NN_DENSE_CALL(network, forward, network, x, t, rows);
}

void nn_dense_update(const nn_dense_network *network, const double *x, ptrdiff_t rows, int64_t step) {
    NN_DENSE_CALL(network, update, network, x, rows, step);
}

ptrdiff_t nn_dense_correct(const nn_dense_network *network, const double *t, ptrdiff_t rows) {
    return correct_body(network, t, rows);
}

ptrdiff_t nn_dense_full_batch_steps(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows,
                                    int64_t first_step, ptrdiff_t count, double batch_loss, double *losses,
                                    ptrdiff_t *correct) {
    return NN_DENSE_CALL(network, steps, network, x, t, rows, first_step, count, batch_loss, losses, correct);
}

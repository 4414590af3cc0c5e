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
//     layer kernels' slopes (activation_elements.h);
//   - the losses' terms, the sums over rows and units in index order from +0.0, a mean as
//     a multiplication by 2^-e when the count is 2^e (`Workspace.mean`, `divide`);
//   - the optimizers' element functions of `nn_sgd_update` and `nn_adam_update` (optimizer_elements.h).
// Nothing here is contracted: the only fused operations are the explicit fma calls.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"
#include "activation_elements.h"
#include "elementary.h"
#include "optimizer_elements.h"
#include "tanh.h"

#include <math.h>
#include <stdint.h>

#define NN_INLINE __attribute__((always_inline)) static inline

/// Loops of the operations below unroll completely where their trip counts are constants
/// (the copies compiled for a network's sizes), so that every local array becomes registers;
/// clang's own threshold stops short of that once exp is inlined into a loop's body. Where
/// the counts are run-time values (the general loops) nothing can unroll, and clang's
/// warning that it could not is silenced.
#define NN_UNROLL _Pragma("clang loop unroll(full)")
#pragma clang diagnostic ignored "-Wpass-failed"
#pragma GCC diagnostic ignored "-Wunknown-pragmas"

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

// MARK: the operations on blocks of memory (the workspace's, or a specialised copy's locals)

/// out = f(net), slope = f'(net) of one element (every activation but softmax), as the
/// layer kernels compute them.
NN_INLINE void activate(int activation, double alpha, double net, double *out, double *slope) {
    switch (activation) {
    case NN_ACTIVATION_SIGMOID: {
        double o = nn_sigmoid_inline(net);
        *out = o;
        *slope = nn_sigmoid_slope(o);
        break;
    }
    case NN_ACTIVATION_TANH: {
        double o = nn_tanh_inline(net);
        *out = o;
        *slope = nn_tanh_slope(o);
        break;
    }
    case NN_ACTIVATION_RELU: nn_relu_element(net, out, slope); break;
    case NN_ACTIVATION_LEAKY_RELU: nn_leaky_relu_element(net, alpha, out, slope); break;
    default:   // linear
        *out = net;
        *slope = 1.0;
    }
}

/// net = W x + b, out = f(net), slope = f'(net) for R rows (`Workspace.forward`): x (R, I),
/// w (U, I); b[0] added when bias_count is 1, b[u] when it is U, nothing when 0.
NN_INLINE void forward_rows(const double *x, const double *w, const double *b, ptrdiff_t bias_count,
                            ptrdiff_t R, ptrdiff_t I, ptrdiff_t U, int activation, double alpha,
                            double *net, double *out, double *slope, double *softmax_sums) {
    NN_UNROLL
    for (ptrdiff_t s = 0; s < R; s++) {
        const double *xs = x + s * I;
        NN_UNROLL
        for (ptrdiff_t u = 0; u < U; u++) {
            const double *wu = w + u * I;
            double sum = 0.0;
            NN_UNROLL
            for (ptrdiff_t i = 0; i < I; i++) sum = fma(xs[i], wu[i], sum);
            if (bias_count == 1) sum = sum + b[0];
            else if (bias_count == U) sum = sum + b[u];
            net[s * U + u] = sum;
            if (activation != NN_ACTIVATION_SOFTMAX) activate(activation, alpha, sum, &out[s * U + u], &slope[s * U + u]);
        }
        if (activation == NN_ACTIVATION_SOFTMAX) {
            // nn_softmax: the first maximum, e^(z - m), the sum in index order, the divisions.
            const double *z = net + s * U;
            double *o = out + s * U;
            double m = -INFINITY;
            NN_UNROLL
            for (ptrdiff_t k = 0; k < U; k++)
                if (z[k] > m) m = z[k];
            NN_UNROLL
            for (ptrdiff_t k = 0; k < U; k++) o[k] = nn_exp_inline(z[k] - m);
            double sum = 0.0;
            NN_UNROLL
            for (ptrdiff_t k = 0; k < U; k++) sum += o[k];
            NN_UNROLL
            for (ptrdiff_t k = 0; k < U; k++) o[k] = o[k] / sum;
            softmax_sums[s] = sum;
            NN_UNROLL
            for (ptrdiff_t k = 0; k < U; k++) slope[s * U + k] = 1.0;
        }
    }
}

/// Swift's max(z, 0): `0 >= z ? 0 : z` (so +0 for -0, z for NaN).
NN_INLINE double swift_max_zero(double z) { return 0.0 >= z ? 0.0 : z; }

/// Each row's loss terms, dOut (and slope for the cross entropies) and loss; the mean loss
/// (`Workspace.evaluateLoss`, `Loss.evaluate`). z, o, d_out, slope: the output layer's
/// blocks (R, K); t the targets.
NN_INLINE double loss_rows(int loss, ptrdiff_t R, ptrdiff_t K, const double *z, const double *o, const double *t,
                           const double *softmax_sums, double *terms, double *d_out, double *slope,
                           double *sample_loss) {
    double all = 0.0;
    NN_UNROLL
    for (ptrdiff_t s = 0; s < R; s++) {
        const ptrdiff_t row = s * K;
        double total = 0.0;
        switch (loss) {
        case NN_LOSS_HALF_SQUARED_ERROR:
            NN_UNROLL
            for (ptrdiff_t k = row; k < row + K; k++) {
                double difference = t[k] - o[k];
                terms[k] = 0.5 * difference * difference;
                d_out[k] = -difference;
                total += terms[k];
            }
            break;
        case NN_LOSS_MSE: {
            const double n = (double)K;
            NN_UNROLL
            for (ptrdiff_t k = row; k < row + K; k++) {
                double difference = t[k] - o[k];
                terms[k] = difference * difference / n;
                d_out[k] = 2.0 * (o[k] - t[k]) / n;
                total += terms[k];
            }
            break;
        }
        case NN_LOSS_BINARY_CROSS_ENTROPY:
            NN_UNROLL
            for (ptrdiff_t k = row; k < row + K; k++) {
                terms[k] = swift_max_zero(z[k]) - z[k] * t[k] + nn_log1p_inline(nn_exp_inline(-fabs(z[k])));
                d_out[k] = o[k] - t[k];
                slope[k] = 1.0;
                total += terms[k];
            }
            break;
        default: {   // cross entropy
            double m = -INFINITY;
            NN_UNROLL
            for (ptrdiff_t k = row; k < row + K; k++)
                if (z[k] > m) m = z[k];
            const double log_sum_exp = m + nn_log_inline(softmax_sums[s], 0.0, 0);
            NN_UNROLL
            for (ptrdiff_t k = row; k < row + K; k++) {
                terms[k] = t[k] == 0 ? 0.0 : t[k] * (log_sum_exp - z[k]);
                d_out[k] = o[k] - t[k];
                slope[k] = 1.0;
                total += terms[k];
            }
        }
        }
        sample_loss[s] = total;
        all += total;
    }
    return mean(all, R);
}

/// delta = dOut * slope.
NN_INLINE void delta_elements(double *delta, const double *d_out, const double *slope, ptrdiff_t n) {
    NN_UNROLL
    for (ptrdiff_t k = 0; k < n; k++) delta[k] = d_out[k] * slope[k];
}

/// dW = (1/S) delta^T x, db likewise (`Workspace.gradient`): d (S, U), x (S, I).
NN_INLINE void gradient_rows(const double *d, const double *x, double *dw, double *db, ptrdiff_t S, ptrdiff_t I,
                             ptrdiff_t U, ptrdiff_t bias_count, int bias_shared) {
    const double reciprocal = exact_reciprocal(S);
    NN_UNROLL
    for (ptrdiff_t u = 0; u < U; u++)
        NN_UNROLL
        for (ptrdiff_t i = 0; i < I; i++) {
            double sum = 0.0;
            NN_UNROLL
            for (ptrdiff_t s = 0; s < S; s++) sum = fma(d[s * U + u], x[s * I + i], sum);
            dw[u * I + i] = divided(sum, S, reciprocal);
        }
    if (bias_count == 1 && bias_shared) {
        double sum = 0.0;
        NN_UNROLL
        for (ptrdiff_t s = 0; s < S; s++)
            NN_UNROLL
            for (ptrdiff_t u = 0; u < U; u++) sum += d[s * U + u];
        db[0] = mean(sum, S);
    } else if (bias_count == U) {
        NN_UNROLL
        for (ptrdiff_t u = 0; u < U; u++) {
            double sum = 0.0;
            NN_UNROLL
            for (ptrdiff_t s = 0; s < S; s++) sum += d[s * U + u];
            db[u] = divided(sum, S, reciprocal);
        }
    }
}

/// dOut of the layer below = delta W, W as it is now (`Workspace.propagate`): d (R, U),
/// w (U, I), target (R, I).
NN_INLINE void propagate_rows(const double *d, const double *w, double *target, ptrdiff_t R, ptrdiff_t I,
                              ptrdiff_t U) {
    NN_UNROLL
    for (ptrdiff_t s = 0; s < R; s++)
        NN_UNROLL
        for (ptrdiff_t i = 0; i < I; i++) {
            double sum = 0.0;
            NN_UNROLL
            for (ptrdiff_t u = 0; u < U; u++) sum = fma(d[s * U + u], w[u * I + i], sum);
            target[s * I + i] = sum;
        }
}

/// The settings of update number t that depend on t (Adam's bias corrections, as
/// `Optimizer.rule` computes them).
typedef struct {
    double step_size, root_correction2;
} adam_corrections;

NN_INLINE adam_corrections corrections(const nn_dense_network *network, int64_t step) {
    adam_corrections adam = {0.0, 0.0};
    if (network->optimizer == NN_OPTIMIZER_ADAM) {
        // 1 - b^t by nnrun's own power, as `Optimizer.rule`.
        double correction1 = 1 - nn_power_inline(network->beta1, step);
        double correction2 = 1 - nn_power_inline(network->beta2, step);
        adam.step_size = network->learning_rate / correction1;
        adam.root_correction2 = sqrt(correction2);
    }
    return adam;
}

/// Whether the optimizer is plain gradient descent: sgd without momentum or weight decay,
/// for which `nn_sgd_update` is p = p - lr g.
NN_INLINE int plain_descent(const nn_dense_network *network) {
    return network->optimizer == NN_OPTIMIZER_SGD && network->momentum == 0 && network->weight_decay == 0;
}

/// p = p - lr g on the elements k < limit of n: `step_elements` for plain gradient descent,
/// with momentum and weight decay known to be 0, so no run-time choice is left in the loop
/// (what the specialised copies' plain form runs).
NN_INLINE void descend_elements(double learning_rate, double *p, const double *grad, ptrdiff_t n, ptrdiff_t limit) {
    NN_UNROLL
    for (ptrdiff_t k = 0; k < n; k++) {
        if (k >= limit) continue;
        nn_sgd_element(p + k, grad[k], NULL, learning_rate, 0.0, 0.0, 0);
    }
}

/// The optimizer on the elements k < limit of n (`nn_sgd_update`, `nn_adam_update`: the
/// same element functions as their scalar loops). n is the block's size, a constant in the
/// specialised copies (so the loop unrolls), limit how much of it is trained.
NN_INLINE void step_elements(const nn_dense_network *network, adam_corrections adam, double *p, const double *grad,
                             double *m, double *v, ptrdiff_t n, ptrdiff_t limit) {
    const double weight_decay = network->weight_decay, learning_rate = network->learning_rate;
    if (network->optimizer == NN_OPTIMIZER_SGD) {
        const double momentum = network->momentum;
        const int nesterov = network->nesterov;
        NN_UNROLL
        for (ptrdiff_t k = 0; k < n; k++) {
            if (k >= limit) continue;
            nn_sgd_element(p + k, grad[k], m + k, learning_rate, momentum, weight_decay, nesterov);
        }
    } else {
        const double beta1 = network->beta1, beta2 = network->beta2, epsilon = network->epsilon;
        const double one_minus_beta1 = 1 - beta1, one_minus_beta2 = 1 - beta2;
        NN_UNROLL
        for (ptrdiff_t k = 0; k < n; k++) {
            if (k >= limit) continue;
            nn_adam_element(p + k, grad[k], m + k, v + k, beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon,
                            weight_decay, adam.step_size, adam.root_correction2);
        }
    }
}

/// Rows (cross_entropy) or output elements (binary_cross_entropy) classified right
/// (`Workspace.correctCount`): o, t (R, K).
NN_INLINE ptrdiff_t correct_rows(int loss, const double *o, const double *t, ptrdiff_t R, ptrdiff_t K) {
    ptrdiff_t right = 0;
    NN_UNROLL
    for (ptrdiff_t s = 0; s < R; s++) {
        const double *os = o + s * K, *ts = t + s * K;
        if (loss == NN_LOSS_CROSS_ENTROPY) {
            ptrdiff_t best = 0, target = 0;
            NN_UNROLL
            for (ptrdiff_t k = 1; k < K; k++) {
                if (os[k] > os[best]) best = k;
                if (ts[k] > ts[target]) target = k;
            }
            if (best == target) right += 1;
        } else {
            NN_UNROLL
            for (ptrdiff_t k = 0; k < K; k++)
                if ((os[k] > 0.5) == (ts[k] > 0.5)) right += 1;
        }
    }
    return right;
}

// MARK: any dense network, on the workspace's buffers

NN_INLINE double forward_body(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows) {
    for (ptrdiff_t l = 0; l < network->layer_count; l++) {
        const nn_dense_layer *layer = &network->layers[l];
        const ptrdiff_t offset = layer->activation_offset;
        forward_rows(layer_input(network, l, x), network->parameters + layer->weight_offset,
                     network->parameters + layer->bias_offset, layer->bias_count, rows, layer->inputs, layer->units,
                     layer->activation, layer->alpha, network->net + offset, network->out + offset,
                     network->slope + offset, network->softmax_sums);
    }
    const nn_dense_layer *output = &network->layers[network->layer_count - 1];
    const ptrdiff_t offset = output->activation_offset;
    return loss_rows(network->loss, rows, output->units, network->net + offset, network->out + offset, t,
                     network->softmax_sums, network->terms, network->d_out + offset, network->slope + offset,
                     network->sample_loss);
}

NN_INLINE void update_body(const nn_dense_network *network, const double *x, ptrdiff_t rows, int64_t step) {
    const adam_corrections adam = corrections(network, step);
    for (ptrdiff_t index = 0; index < network->update_count; index++) {
        const nn_dense_operation operation = network->update[index];
        const nn_dense_layer *layer = &network->layers[operation.layer];
        const ptrdiff_t offset = layer->activation_offset;
        switch (operation.kind) {
        case NN_OPERATION_DELTA:
            delta_elements(network->delta + offset, network->d_out + offset, network->slope + offset,
                           rows * layer->units);
            break;
        case NN_OPERATION_GRADIENT:
            gradient_rows(network->delta + offset, layer_input(network, operation.layer, x),
                          network->gradients + layer->weight_offset, network->gradients + layer->bias_offset, rows,
                          layer->inputs, layer->units, layer->bias_count, layer->bias_shared);
            break;
        case NN_OPERATION_PROPAGATE:
            propagate_rows(network->delta + offset, network->parameters + layer->weight_offset,
                           network->d_out + network->layers[operation.layer - 1].activation_offset, rows,
                           layer->inputs, layer->units);
            break;
        default: {
            const ptrdiff_t begin = layer->weight_offset;
            const ptrdiff_t end = layer->bias_trained ? layer->bias_offset + layer->bias_count : layer->bias_offset;
            step_elements(network, adam, network->parameters + begin, network->gradients + begin,
                          network->first_moment + begin, network->second_moment + begin, end - begin, end - begin);
        }
        }
    }
}

NN_INLINE ptrdiff_t correct_body(const nn_dense_network *network, const double *t, ptrdiff_t rows) {
    const nn_dense_layer *output = &network->layers[network->layer_count - 1];
    return correct_rows(network->loss, network->out + output->activation_offset, t, rows, output->units);
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

// MARK: two layers of known sizes, the state in locals

// The tiniest networks' runs of full-batch steps, compiled for their sizes (I inputs, H
// hidden units, O outputs, R rows): every loop unrolls, and the parameters, gradients,
// moments and activations live in local arrays that the compiler keeps in registers, so
// nothing goes through memory between two operations. The operations are the same
// functions as above, in the plan's order (deferred or immediate), on those locals; the
// workspace's buffers are read before the run and written after it, so they end as the
// general path leaves them. The activations, loss, optimizer and bias forms stay run-time
// choices (loop-invariant branches), except plain gradient descent (sgd without momentum or
// weight decay, the tutorial's and XOR's), which has a form of each copy of its own: without
// the optimizer's branches in the loop the compiler keeps more of the state in registers
// (the tutorial's step about 13 % faster, Docs/performance.md).
enum { SMALL_MAX_WEIGHTS = 32, SMALL_MAX_UNITS = 8, SMALL_MAX_ROWS = 4 };
#define SMALL_BLOCK (SMALL_MAX_WEIGHTS + SMALL_MAX_UNITS)             /* a layer's weights and bias */
#define SMALL_ACTIVATIONS (SMALL_MAX_ROWS * SMALL_MAX_UNITS)

/// One layer's state in locals: parameters (weights, then the bias), gradients and moments
/// in the workspace's layout, and its activation blocks.
typedef struct {
    double p[SMALL_BLOCK], g[SMALL_BLOCK], m[SMALL_BLOCK], v[SMALL_BLOCK];
    double net[SMALL_ACTIVATIONS], out[SMALL_ACTIVATIONS], slope[SMALL_ACTIVATIONS], d_out[SMALL_ACTIVATIONS],
        delta[SMALL_ACTIVATIONS];
} small_layer;

/// Copies a layer's state between the workspace and the locals (`in`: into the locals);
/// a block of n elements of which `used` exist.
NN_INLINE void small_copy(double *local, double *workspace, ptrdiff_t n, ptrdiff_t used, int in) {
    NN_UNROLL
    for (ptrdiff_t k = 0; k < n; k++) {
        if (k >= used) continue;
        if (in) local[k] = workspace[k];
        else workspace[k] = local[k];
    }
}

NN_INLINE void small_layer_copy(const nn_dense_network *network, const nn_dense_layer *layer, small_layer *local,
                                ptrdiff_t R, ptrdiff_t I, ptrdiff_t U, int in) {
    const ptrdiff_t parameters = U * I + U, used = U * I + layer->bias_count, w = layer->weight_offset;
    small_copy(local->p, network->parameters + w, parameters, used, in);
    small_copy(local->m, network->first_moment + w, parameters, used, in);
    small_copy(local->v, network->second_moment + w, parameters, used, in);
    const ptrdiff_t a = layer->activation_offset;
    small_copy(local->net, network->net + a, R * U, R * U, in);
    small_copy(local->out, network->out + a, R * U, R * U, in);
    small_copy(local->slope, network->slope + a, R * U, R * U, in);
    small_copy(local->d_out, network->d_out + a, R * U, R * U, in);
    if (!in) {
        small_copy(local->g, network->gradients + w, parameters, used, 0);
        small_copy(local->delta, network->delta + a, R * U, R * U, 0);
    }
}

/// The optimizer on a layer's block; `plain` (a constant in each copy): plain gradient descent.
NN_INLINE void small_step(const nn_dense_network *network, const nn_dense_layer *layer, small_layer *local,
                          adam_corrections adam, ptrdiff_t I, ptrdiff_t U, int plain) {
    const ptrdiff_t limit = U * I + (layer->bias_trained ? layer->bias_count : 0);
    if (plain) descend_elements(network->learning_rate, local->p, local->g, U * I + U, limit);
    else step_elements(network, adam, local->p, local->g, local->m, local->v, U * I + U, limit);
}

NN_INLINE ptrdiff_t small_steps(const nn_dense_network *network, const double *x, const double *t,
                                int64_t first_step, ptrdiff_t count, double batch_loss, double *losses,
                                ptrdiff_t *correct, const ptrdiff_t I, const ptrdiff_t H, const ptrdiff_t O,
                                const ptrdiff_t R, const int immediate, const int plain) {
    const nn_dense_layer *hidden = &network->layers[0], *output = &network->layers[1];
    small_layer a, b;   // hidden, output
    double terms[SMALL_ACTIVATIONS], sample_loss[SMALL_MAX_ROWS], softmax_sums[SMALL_MAX_ROWS];
    small_layer_copy(network, hidden, &a, R, I, H, 1);
    small_layer_copy(network, output, &b, R, H, O, 1);
    for (ptrdiff_t s = 0; s < R; s++) softmax_sums[s] = network->softmax_sums[s];
    ptrdiff_t done = count;
    for (ptrdiff_t index = 0; index < count; index++) {
        const adam_corrections adam = plain ? (adam_corrections){0.0, 0.0} : corrections(network, first_step + index);
        // deferred:  delta(1), gradient(1), propagate(1), delta(0), gradient(0), step(0), step(1)
        // immediate: delta(1), gradient(1), step(1), propagate(1), delta(0), gradient(0), step(0)
        delta_elements(b.delta, b.d_out, b.slope, R * O);
        gradient_rows(b.delta, a.out, b.g, b.g + O * H, R, H, O, output->bias_count, output->bias_shared);
        if (immediate) small_step(network, output, &b, adam, H, O, plain);
        propagate_rows(b.delta, b.p, a.d_out, R, H, O);
        delta_elements(a.delta, a.d_out, a.slope, R * H);
        gradient_rows(a.delta, x, a.g, a.g + H * I, R, I, H, hidden->bias_count, hidden->bias_shared);
        small_step(network, hidden, &a, adam, I, H, plain);
        if (!immediate) small_step(network, output, &b, adam, H, O, plain);
        // evaluation
        forward_rows(x, a.p, a.p + H * I, hidden->bias_count, R, I, H, hidden->activation, hidden->alpha, a.net,
                     a.out, a.slope, softmax_sums);
        forward_rows(a.out, b.p, b.p + O * H, output->bias_count, R, H, O, output->activation, output->alpha,
                     b.net, b.out, b.slope, softmax_sums);
        double loss = loss_rows(network->loss, R, O, b.net, b.out, t, softmax_sums, terms, b.d_out, b.slope,
                                sample_loss);
        losses[index] = loss;
        if (correct) correct[index] = correct_rows(network->loss, b.out, t, R, O);
        if (!isfinite(batch_loss) || !isfinite(loss)) {
            done = index + 1;
            break;
        }
        batch_loss = loss;
    }
    small_layer_copy(network, hidden, &a, R, I, H, 0);
    small_layer_copy(network, output, &b, R, H, O, 0);
    for (ptrdiff_t k = 0; k < R * O; k++) network->terms[k] = terms[k];
    for (ptrdiff_t s = 0; s < R; s++) {
        network->sample_loss[s] = sample_loss[s];
        network->softmax_sums[s] = softmax_sums[s];
    }
    return done;
}

/// The sizes with a specialised copy, (I, H, O, R): the tutorial's network on its one
/// sample, and XOR's 2-4-1 and 2-2-1 networks on their four.
#define NN_SMALL_SHAPES(X) X(2, 2, 2, 1) X(2, 4, 1, 4) X(2, 2, 1, 4)

/// Whether the network is two layers laid out as the specialised copies expect (each
/// layer's bias right after its weights, the update operations in one of the two orders);
/// `immediate` tells which order.
static int small_layout(const nn_dense_network *network, int *immediate) {
    if (network->layer_count != 2 || network->update_count != 7) return 0;
    for (int l = 0; l < 2; l++) {
        const nn_dense_layer *layer = &network->layers[l];
        if (layer->bias_offset != layer->weight_offset + layer->units * layer->inputs) return 0;
    }
    static const int32_t deferred_order[7][2] = {
        {NN_OPERATION_DELTA, 1}, {NN_OPERATION_GRADIENT, 1}, {NN_OPERATION_PROPAGATE, 1}, {NN_OPERATION_DELTA, 0},
        {NN_OPERATION_GRADIENT, 0}, {NN_OPERATION_STEP, 0}, {NN_OPERATION_STEP, 1}};
    static const int32_t immediate_order[7][2] = {
        {NN_OPERATION_DELTA, 1}, {NN_OPERATION_GRADIENT, 1}, {NN_OPERATION_STEP, 1}, {NN_OPERATION_PROPAGATE, 1},
        {NN_OPERATION_DELTA, 0}, {NN_OPERATION_GRADIENT, 0}, {NN_OPERATION_STEP, 0}};
    int is_deferred = 1, is_immediate = 1;
    for (int k = 0; k < 7; k++) {
        const nn_dense_operation operation = network->update[k];
        if (operation.kind != deferred_order[k][0] || operation.layer != deferred_order[k][1]) is_deferred = 0;
        if (operation.kind != immediate_order[k][0] || operation.layer != immediate_order[k][1]) is_immediate = 0;
    }
    *immediate = is_immediate;
    return is_deferred || is_immediate;
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

#define NN_SMALL_COPY(attributes, suffix, I, H, O, R)                                                       \
    attributes static ptrdiff_t small_##I##_##H##_##O##_##R##_##suffix(                                      \
        const nn_dense_network *n, const double *x, const double *t, int64_t first, ptrdiff_t count,        \
        double batch, double *losses, ptrdiff_t *correct, int immediate) {                                  \
        if (plain_descent(n))                                                                               \
            return small_steps(n, x, t, first, count, batch, losses, correct, I, H, O, R, immediate, 1);    \
        return small_steps(n, x, t, first, count, batch, losses, correct, I, H, O, R, immediate, 0);        \
    }
#define NN_SMALL_BASELINE(I, H, O, R) NN_SMALL_COPY(, baseline, I, H, O, R)
NN_DENSE_COPIES(, baseline)
NN_SMALL_SHAPES(NN_SMALL_BASELINE)
#if defined(__x86_64__)
#define NN_FMA __attribute__((target("avx2,fma")))
#define NN_SMALL_FMA(I, H, O, R) NN_SMALL_COPY(NN_FMA, fma, I, H, O, R)
NN_DENSE_COPIES(NN_FMA, fma)
NN_SMALL_SHAPES(NN_SMALL_FMA)
/// The copy of `name` for the network's kernel: the generic kernel runs the baseline copy.
#define NN_DENSE_COPY(network, name) ((network)->kernel != NN_KERNEL_GENERIC ? name##_fma : name##_baseline)
#else
#define NN_DENSE_COPY(network, name) name##_baseline
#endif

double nn_dense_forward(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows) {
    return NN_DENSE_COPY(network, forward)(network, x, t, rows);
}

void nn_dense_update(const nn_dense_network *network, const double *x, ptrdiff_t rows, int64_t step) {
    NN_DENSE_COPY(network, update)(network, x, rows, step);
}

typedef ptrdiff_t (*small_copy_function)(const nn_dense_network *, const double *, const double *, int64_t, ptrdiff_t,
                                         double, double *, ptrdiff_t *, int);

/// The copy compiled for the network's sizes on `rows` rows, for its kernel, and which of
/// the two update orders it runs (`immediate`); NULL when no copy fits.
static small_copy_function small_copy_for(const nn_dense_network *network, ptrdiff_t rows, int *immediate) {
    if (!small_layout(network, immediate)) return NULL;
    const ptrdiff_t I = network->layers[0].inputs, H = network->layers[0].units, O = network->layers[1].units;
#define NN_SMALL_CASE(i, h, o, r) \
    if (I == i && H == h && O == o && rows == r) return NN_DENSE_COPY(network, small_##i##_##h##_##o##_##r);
    NN_SMALL_SHAPES(NN_SMALL_CASE)
#undef NN_SMALL_CASE
    return NULL;
}

int nn_dense_specialised(const nn_dense_network *network, ptrdiff_t rows) {
    int immediate = 0;
    return small_copy_for(network, rows, &immediate) != NULL;
}

ptrdiff_t nn_dense_full_batch_steps(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows,
                                    int64_t first_step, ptrdiff_t count, double batch_loss, double *losses,
                                    ptrdiff_t *correct) {
    int immediate = 0;
    small_copy_function copy = small_copy_for(network, rows, &immediate);
    if (copy) return copy(network, x, t, first_step, count, batch_loss, losses, correct, immediate);
    return NN_DENSE_COPY(network, steps)(network, x, t, rows, first_step, count, batch_loss, losses, correct);
}

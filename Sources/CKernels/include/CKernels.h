#ifndef NNRUN_CKERNELS_H
#define NNRUN_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Which implementation computes a matrix product. All three give bit-identical results:
/// every element is the same chain of fused multiply-adds, in the same order.
typedef enum {
    /// Portable C: one `fma()` (libm, correctly rounded) per multiply-add.
    NN_KERNEL_GENERIC = 0,
    /// AVX2 + FMA3: packed operands and a register-blocked 6x8 micro-kernel.
    NN_KERNEL_AVX2 = 1,
    /// AVX-512F: the same with a 6x32 micro-kernel, and masked loads and stores at the edges.
    NN_KERNEL_AVX512 = 2,
} nn_kernel;

/// The fastest kernel this CPU and OS support: avx512, else avx2, else generic.
nn_kernel nn_kernel_best(void);

/// Whether this CPU and OS support `kernel`.
int nn_kernel_available(nn_kernel kernel);

/// Doubles of scratch one thread needs for `nn_gemm` (the packed blocks of A and B).
size_t nn_gemm_scratch_count(void);

/// Products of fewer multiply-adds (m n k) than this are small: packing would cost more
/// than it saves, so they run as plain loops in blocks of chains and use no scratch.
#define NN_GEMM_SMALL_PRODUCT 4096

/// Columns a thread's share of the output should be a multiple of (the micro-kernel's width).
int nn_gemm_column_tile(void);

/// Rows a thread's share of the output should be a multiple of (the micro-kernel's height).
int nn_gemm_row_tile(void);

/// A matrix product C = A B, A (m, k), B (k, n), C (m, n), each read through strides:
/// A(i,p) = a[i*a_row + p*a_col], B(p,j) = b[p*b_row + j*b_col], C(i,j) = c[i*ldc + j].
/// Strides let one product read a buffer as its transpose without copying.
typedef struct {
    ptrdiff_t m, n, k;
    const double *a;
    ptrdiff_t a_row, a_col;
    const double *b;
    ptrdiff_t b_row, b_col;
    double *c;
    ptrdiff_t ldc;
} nn_product;

/// The output columns j in [column_begin, column_end) of `product`, all rows i in [0, m):
///
///     C(i,j) = fma(A(i,k-1), B(k-1,j), ... fma(A(i,1), B(1,j), fma(A(i,0), B(0,j), +0.0)))
///
/// one fused multiply-add per term, accumulated in index order from +0.0. Every kernel
/// computes exactly this chain, so results do not depend on the kernel, the blocking or on
/// how the columns are split between threads. `scratch` holds `nn_gemm_scratch_count()`
/// doubles (unused by the generic kernel and by small products, `NN_GEMM_SMALL_PRODUCT`; may
/// then be NULL). The product is passed by pointer: its eleven fields as arguments would
/// mostly go through the stack, which costs more than a tiny product itself.
void nn_gemm(nn_kernel kernel, const nn_product *product, ptrdiff_t column_begin, ptrdiff_t column_end,
             double *scratch);

/// Products of at most this many multiply-adds (m n k) are tiny: `nn_forward_tiny` is for
/// them. A macro, so that Swift reads a constant (a function's value kept in a `static
/// let` costs a `swift_once` call at each use).
#define NN_GEMM_TINY_PRODUCT 16

/// A tiny layer's net input in one call, x (rows, inputs) and w (units, inputs) row-major:
///
///     net[s*units + u] = fma(x[s][inputs-1], w[u][inputs-1], ... fma(x[s][0], w[u][0], +0.0)) + b
///
/// with b = bias[0] when bias_count is 1, bias[u] when it is `units`, and no addition when
/// it is 0: the bits of `nn_gemm` for x w^T followed by `nn_add_constant` or `nn_add_bias`,
/// from every kernel. For the tutorial's network two calls less per layer, and the net
/// inputs stay in registers until they are stored.
void nn_forward_tiny(nn_kernel kernel, const double *x, const double *w, const double *bias, ptrdiff_t bias_count,
                     ptrdiff_t rows, ptrdiff_t inputs, ptrdiff_t units, double *net);

/// out[i] = tanh(x[i]) and slope[i] = 1 - out[i] * out[i] (that product and difference each
/// rounded), for i in [0, n): nnrun's own tanh (see tanh.c), within 3 ulp of the exact value,
/// the same bits from every kernel. NaN gives NaN; +-inf gives +-1.
void nn_tanh(nn_kernel kernel, const double *x, double *out, double *slope, ptrdiff_t n);

/// nnrun's tanh of one value: the same bits as `nn_tanh`.
double nn_tanh_value(double x);

/// The version of nnrun's elementary functions (Docs/math.md), written into every results
/// file as `math_version`: their algorithms define the bits of every result, so any change
/// to them (a constant, an order of operations) changes users' golden files and must
/// increase it.
#define NN_MATH_VERSION 1

/// nnrun's own elementary functions (elementary.h, Docs/math.md): IEEE 754 basic
/// operations and fused multiply-adds in a fixed order, so the same bits on every machine,
/// whichever kernel or CPU. Measured errors (scripts/math-accuracy, against mpmath) are in
/// Docs/math.md; the bounds the tests hold them to:
///
///     nn_exp_value(x)        e^x, within 0.52 ulp; +inf above 709.78, +0 below -745.13,
///                            subnormal results rounded once
///     nn_log_value(x)        ln x, within 0.52 ulp; -inf at +-0, NaN below 0, +inf at +inf
///     nn_log1p_value(x)      ln(1 + x), within 0.52 ulp; -inf at -1, NaN below -1
///     nn_power_value(b, n)   b^n for an integer n >= 0 (NaN for n < 0), exact-order binary
///                            powering in double-double: within 0.5 + n 2^-49 ulp
///     nn_sigmoid_value(x)    x >= 0 ? 1 / (1 + e) : e / (1 + e),  e = nn_exp_value(-|x|);
///                            within 2.6 ulp (three roundings after exp)
///
/// NaN arguments give NaN; outside a domain the result is the quiet NaN 0x7ff8000000000000.
double nn_exp_value(double x);
double nn_log_value(double x);
double nn_log1p_value(double x);
double nn_power_value(double base, int64_t n);
double nn_sigmoid_value(double x);

/// cos(pi k / n) for integers k and 1 <= n <= 2^52 (NaN 0x7ff8000000000000 otherwise):
/// the reduction to [0, pi/4] exact in integers, then one division and a polynomial
/// (cospi.c, Docs/math.md); within 0.85 ulp. The cosine learning-rate schedule's cosine.
double nn_cospi_fraction(int64_t k, int64_t n);

/// out[i] = nn_sigmoid_value(x[i]) and slope[i] = out[i] * (1 - out[i]), the same bits
/// from every kernel (the vector forms compute exp's main path in vectors).
void nn_sigmoid(nn_kernel kernel, const double *x, double *out, double *slope, ptrdiff_t n);

/// out[i] = nn_exp_value(x[i] - shift) (the difference rounded), the same bits from every kernel.
void nn_exp_shifted(nn_kernel kernel, const double *x, double shift, double *out, ptrdiff_t n);

/// softmax(z)_k = e^(z_k - m) / sum_j e^(z_j - m), m = max_j z_j (the first of the z_j > m
/// from m = -inf, so NaN is skipped): every exponent <= 0, nothing overflows for finite z.
/// out[k] = nn_exp_value(z[k] - m), the sum over k in index order, then out[k] / sum.
/// Returns the sum, which cross entropy's log-sum-exp uses again.
double nn_softmax(nn_kernel kernel, const double *z, double *out, ptrdiff_t n);

/// a * b + c, each operation rounded: compiled where the compiler could fuse it into an
/// fma, so a test can tell whether floating-point contraction is off in CKernels.
double nn_unfused_multiply_add(double a, double b, double c);

/// Element-wise loops (elementwise.c), each element through the same IEEE operations
/// whatever the kernel, so the same bits from every kernel:
///
///     nn_add_bias:        net[s*units + u] += bias[u]          for s < rows, u < units
///     nn_add_constant:    x[k] += value                        for k < n
///     nn_sum_rows:        sums[u] += x[s*stride + u]           for s < rows in order, u < units
///     nn_multiply_elements: out[k] = a[k] * b[k]
///     nn_scale:           x[k] = x[k] * factor
///     nn_divide:          x[k] = x[k] / divisor
///     nn_relu:            out[k] = x[k] > 0 ? x[k] : 0,  slope[k] = x[k] > 0 ? 1 : 0
///     nn_leaky_relu:      out[k] = x[k] > 0 ? x[k] : alpha x[k],  slope[k] = x[k] > 0 ? 1 : alpha
///
/// The arrays of one call must not overlap (except as the formulas read and write x).
void nn_add_bias(nn_kernel kernel, double *net, const double *bias, ptrdiff_t rows, ptrdiff_t units);
void nn_add_constant(nn_kernel kernel, double *x, double value, ptrdiff_t n);
void nn_sum_rows(nn_kernel kernel, double *sums, const double *x, ptrdiff_t rows, ptrdiff_t units, ptrdiff_t stride);
void nn_multiply_elements(nn_kernel kernel, double *out, const double *a, const double *b, ptrdiff_t n);
void nn_scale(nn_kernel kernel, double *x, double factor, ptrdiff_t n);
void nn_divide(nn_kernel kernel, double *x, double divisor, ptrdiff_t n);
void nn_relu(nn_kernel kernel, const double *x, double *out, double *slope, ptrdiff_t n);
void nn_leaky_relu(nn_kernel kernel, const double *x, double *out, double *slope, double alpha, ptrdiff_t n);

/// SGD as torch.optim.SGD states it (dampening 0). For k in [0, n), each operation rounded,
/// in this order:
///
///     g = grad[k];  if weight_decay != 0: g = g + weight_decay * p[k]
///     if momentum != 0: buf[k] = momentum * buf[k] + g;  g = nesterov ? g + momentum * buf[k] : buf[k]
///     p[k] = p[k] - learning_rate * g
///
/// The settings are scalar arguments, all in registers. As a struct, by value or by
/// pointer, they went through memory, where the compiler read two of them with one 16-byte
/// load from the two 8-byte stores Swift had just made: the load waits for the stores to
/// retire (a failed store-to-load forwarding; Docs/performance.md, "w1, in-process").
void nn_sgd_update(nn_kernel kernel, double *p, const double *grad, double *buf, ptrdiff_t n,
                   double learning_rate, double momentum, double weight_decay, int nesterov);

/// Adam as torch.optim.Adam states it (no amsgrad), for update number t, with
/// step_size = lr / (1 - beta1^t) and root_correction2 = sqrt(1 - beta2^t). For k in [0, n),
/// each operation rounded, in this order:
///
///     g = grad[k];  if weight_decay != 0: g = g + weight_decay * p[k]
///     m[k] = beta1 * m[k] + (1 - beta1) * g;   v[k] = beta2 * v[k] + ((1 - beta2) * g) * g
///     p[k] = p[k] - step_size * (m[k] / (sqrt(v[k]) / root_correction2 + epsilon))
///
/// Settings as scalar arguments, as for `nn_sgd_update`.
void nn_adam_update(nn_kernel kernel, double *p, const double *grad, double *m, double *v, ptrdiff_t n,
                    double beta1, double beta2, double epsilon, double weight_decay, double step_size,
                    double root_correction2);

/// AdamW as torch.optim.AdamW states it (decoupled weight decay, no amsgrad), for update
/// number t, with decay_factor = 1 - lr * weight_decay (torch's `param.mul_(1 - lr * wd)`,
/// the product and the difference each rounded, computed once by the caller), step_size and
/// root_correction2 as for Adam. For k in [0, n), each operation rounded, in this order:
///
///     g = grad[k];  q = p[k] * decay_factor
///     m[k] = beta1 * m[k] + (1 - beta1) * g;   v[k] = beta2 * v[k] + ((1 - beta2) * g) * g
///     p[k] = q - step_size * (m[k] / (sqrt(v[k]) / root_correction2 + epsilon))
///
/// Settings as scalar arguments, as for `nn_sgd_update`.
void nn_adamw_update(nn_kernel kernel, double *p, const double *grad, double *m, double *v, ptrdiff_t n,
                     double beta1, double beta2, double epsilon, double decay_factor, double step_size,
                     double root_correction2);

/// RMSprop as torch.optim.RMSprop states it (eps added outside the square root). `average`
/// is read and written only when centered, `buf` only when momentum != 0. For k in [0, n),
/// each operation rounded, in this order:
///
///     g = grad[k];  if weight_decay != 0: g = g + weight_decay * p[k]
///     v[k] = alpha * v[k] + ((1 - alpha) * g) * g
///     centered:  average[k] = alpha * average[k] + (1 - alpha) * g
///                d = sqrt(v[k] - average[k] * average[k]) + epsilon
///     otherwise: d = sqrt(v[k]) + epsilon
///     momentum != 0: buf[k] = momentum * buf[k] + g / d;  p[k] = p[k] - learning_rate * buf[k]
///     otherwise:     p[k] = p[k] - learning_rate * (g / d)
///
/// Settings as scalar arguments, as for `nn_sgd_update`.
void nn_rmsprop_update(nn_kernel kernel, double *p, const double *grad, double *v, double *average, double *buf,
                       ptrdiff_t n, double learning_rate, double alpha, double epsilon, double weight_decay,
                       double momentum, int centered);
/// A small dense network's whole step in C (dense_step.c): the plan's operations
/// (Docs/performance.md, "Small networks in one call") without a call or a dispatch per
/// operation. Each operation does the same IEEE operations in the same order as the
/// general path (Sources/Running/Workspace+StepOperations.swift and the kernels it calls),
/// so the results are the same bits.
typedef enum {
    NN_ACTIVATION_LINEAR = 0,
    NN_ACTIVATION_SIGMOID = 1,
    NN_ACTIVATION_TANH = 2,
    NN_ACTIVATION_RELU = 3,
    NN_ACTIVATION_LEAKY_RELU = 4,
    NN_ACTIVATION_SOFTMAX = 5,
} nn_activation;

typedef enum {
    NN_LOSS_HALF_SQUARED_ERROR = 0,
    NN_LOSS_MSE = 1,
    NN_LOSS_BINARY_CROSS_ENTROPY = 2,
    NN_LOSS_CROSS_ENTROPY = 3,
} nn_loss;

/// The update operations of a plan (`Plan.Operation`), in the plan's order.
typedef enum {
    NN_OPERATION_DELTA = 0,
    NN_OPERATION_GRADIENT = 1,
    NN_OPERATION_PROPAGATE = 2,
    NN_OPERATION_STEP = 3,
} nn_operation_kind;

typedef struct {
    int32_t kind;    // nn_operation_kind
    int32_t layer;
} nn_dense_operation;

/// One layer: sizes, and offsets into the network's buffers (as `LayerShape`).
typedef struct {
    ptrdiff_t inputs, units;
    int32_t activation;   // nn_activation
    int32_t bias_shared, bias_trained;
    double alpha;
    ptrdiff_t weight_offset, bias_offset, bias_count, activation_offset;
} nn_dense_layer;

/// The optimizers the fused step covers (others take the general path).
typedef enum {
    NN_OPTIMIZER_SGD = 0,
    NN_OPTIMIZER_ADAM = 1,
} nn_optimizer;

/// A network and the workspace's buffers (the same layout as the general path's).
typedef struct {
    const nn_dense_layer *layers;
    ptrdiff_t layer_count;
    const nn_dense_operation *update;
    ptrdiff_t update_count;
    int32_t loss;          // nn_loss
    int32_t optimizer;     // nn_optimizer
    int32_t nesterov;
    int32_t kernel;        // nn_kernel: generic runs the baseline copy, the others the copy compiled for FMA3 (same bits)
    // The learning rate is a field, set before each call (a schedule changes it), not an
    // argument: as an argument the small shapes' copies hold it in a register through their
    // loop, and the tutorial's step ran 7 % slower for the spills it caused.
    double learning_rate, momentum, weight_decay, beta1, beta2, epsilon;
    double *parameters, *gradients, *first_moment, *second_moment;
    double *net, *out, *d_out, *slope, *delta;
    double *sample_loss, *softmax_sums, *terms;
} nn_dense_network;

/// The evaluation operations (every layer's forward pass, then the loss) on `rows` rows of
/// inputs x (rows, inputs) and targets t (rows, outputs). Returns the mean loss.
double nn_dense_forward(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows);

/// The update operations (deltas, gradients, propagations, optimizer steps in the plan's
/// order) for the rows the last forward pass saw; `step` is the update's number (Adam's t).
void nn_dense_update(const nn_dense_network *network, const double *x, ptrdiff_t rows, int64_t step);

/// `count` full-batch steps in data order, numbered first_step,
/// first_step + 1, ...: each is the update (on the forward pass the activations hold)
/// followed by the forward pass of the whole set, whose mean loss goes to losses[i] and, when `correct` is not NULL, its
/// count of right answers to correct[i]. `batch_loss` is the loss of the activations held
/// before the first step. Stops after a step whose batch loss or evaluation loss is not
/// finite; returns the number of steps done.
///
/// Two-layer networks of a few listed sizes (`NN_SMALL_SHAPES` in dense_step.c: the
/// tutorial's 2-2-2 on one sample, 2-4-1 and 2-2-1 on four) run a copy compiled for their
/// sizes, with the state in registers; the same operations, so the same bits.
ptrdiff_t nn_dense_full_batch_steps(const nn_dense_network *network, const double *x, const double *t, ptrdiff_t rows,
                                    int64_t first_step, ptrdiff_t count, double batch_loss, double *losses,
                                    ptrdiff_t *correct);

/// Whether `nn_dense_full_batch_steps` on `rows` rows runs a copy compiled for the sizes.
int nn_dense_specialised(const nn_dense_network *network, ptrdiff_t rows);

/// Two threads working on one task: the caller and a worker of the team's own. A task is
/// called as task(context, 0) on the calling thread and task(context, 1) on the worker;
/// `nn_team_run` returns when both have returned. The two parts must touch disjoint memory
/// (or only read shared memory). One caller at a time; each run has its own team.
typedef struct nn_team nn_team;
typedef void (*nn_task)(void *context, int part);

/// A team whose worker starts at its first task (NULL when out of memory: `nn_team_run`
/// then runs both parts on the caller).
nn_team *nn_team_create(void);

/// Stops and joins the worker, frees the team. NULL is ignored.
void nn_team_destroy(nn_team *team);

void nn_team_run(nn_team *team, nn_task task, void *context);

/// CPUs this process may run on (its affinity mask: `taskset`, cgroup cpusets), at least 1.
int nn_available_cpus(void);

/// Hands memory that has been freed but kept in malloc's heap back to the system (glibc's
/// malloc_trim; nothing elsewhere). Many small freed blocks otherwise stay resident.
void nn_release_free_memory(void);

#endif

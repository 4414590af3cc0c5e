// Matrix products for the training step, defined as one chain of fused multiply-adds per
// output element (see CKernels.h). Two implementations of that one definition:
//
//   generic  three loops and libm's fma(): portable, the reference
//   avx2     Goto/BLIS-style: B packed into 8-column panels, A into 6-row panels, a 6x8
//            register tile of 12 ymm accumulators. The k loop is split into blocks of KC,
//            but a tile is stored after one block and reloaded for the next, so each
//            element still sees its terms one at a time, in index order.
//   avx512   the same blocking around a 6x32 tile of 24 zmm accumulators.
//
// Small products (under NN_GEMM_SMALL_PRODUCT multiply-adds) skip packing: plain loops in
// blocks of chains compiled for FMA3. Tiny ones (at most NN_GEMM_TINY_PRODUCT) go without the
// blocks, whose own instructions cost more than a few terms (Docs/performance.md), or a row
// at a time in a masked AVX-512 vector where B's rows are contiguous. Medium ones and narrow outputs on AVX-512 read the
// operands unpacked into the same 6x32 register tile (`gemm_direct`). `nn_forward_tiny`
// is a tiny layer's product followed by its bias addition.
//
// Nothing here may be contracted or reassociated by the compiler: the only floating-point
// arithmetic is explicit fma, and that one bias addition.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NN_HAVE_X86 1
#else
#define NN_HAVE_X86 0
#endif

// Block sizes, chosen by measurement on Ice Lake (48 KiB L1, 1.25 MiB L2 per core;
// Docs/performance.md): a 32-column micro-panel of B is KC x 32 x 8 = 32 KiB and stays in L1
// while the MC x KC block of A (192 KiB) streams from L2.
enum {
    KC = 128,    // terms per packed block
    MC = 192,    // rows of A packed at once (a multiple of both tiles' rows)
    NC = 1024,   // columns of B packed at once
    TILE_MAX = 6 * 32,
    ALIGN = 8,   // doubles: packed panels start on a 64-byte boundary (a zmm load never splits a line)
};

/// Below this many, and for outputs of at most one tile's 32 columns (a softmax layer),
/// the AVX-512 micro-kernel reads the operands unpacked (`gemm_direct`): faster than
/// packing up to about this size, slower beyond it (Docs/performance.md, "Matrix products").
static const ptrdiff_t DIRECT_PRODUCT = 1 << 18;

size_t nn_gemm_scratch_count(void) { return (size_t)MC * KC + (size_t)KC * NC + ALIGN; }

int nn_gemm_column_tile(void) { return 32; }

int nn_gemm_row_tile(void) { return 6; }

// MARK: generic

/// The three plain loops over columns [j0, j1), one chain per element, then the bias added
/// to it when there is one (`nn_forward_tiny`: bias[0] when bias_count is 1, bias[j] when it
/// is n, as `nn_add_constant` or `nn_add_bias` would add it). Inlined into the generic
/// kernel (compiled for baseline x86-64: libm's fma) and into the FMA3 tiny paths (one
/// instruction). Vectorizing or unrolling them would add run-time checks that cost more
/// than the few terms of a tiny product save.
__attribute__((always_inline)) static inline void plain_loops(const nn_product *product, ptrdiff_t j0, ptrdiff_t j1,
                                                              const double *bias, ptrdiff_t bias_count) {
    const double *a = product->a, *b = product->b;
    const ptrdiff_t a_row = product->a_row, a_col = product->a_col, b_row = product->b_row, b_col = product->b_col;
    const ptrdiff_t m = product->m, k = product->k, ldc = product->ldc;
    double *c = product->c;
#pragma clang loop vectorize(disable) interleave(disable) unroll(disable)
    for (ptrdiff_t i = 0; i < m; i++) {
#pragma clang loop vectorize(disable) interleave(disable) unroll(disable)
        for (ptrdiff_t j = j0; j < j1; j++) {
            const double *x = a + i * a_row, *y = b + j * b_col;
            double sum = 0.0;
#pragma clang loop vectorize(disable) interleave(disable) unroll(disable)
            for (ptrdiff_t p = 0; p < k; p++) sum = fma(x[p * a_col], y[p * b_row], sum);
            if (bias_count == 1) sum = sum + bias[0];
            else if (bias_count > 1 && bias_count == product->n) sum = sum + bias[j];
            c[i * ldc + j] = sum;
        }
    }
}

static void gemm_generic(const nn_product *product, ptrdiff_t j0, ptrdiff_t j1) {
    plain_loops(product, j0, j1, NULL, 0);
}

/// A tiny layer's forward product, x (rows, inputs) times w (units, inputs) transposed, with
/// its bias (`nn_forward_tiny`).
__attribute__((always_inline)) static inline void forward_loops(const double *x, const double *w, const double *bias,
        ptrdiff_t bias_count, ptrdiff_t rows, ptrdiff_t inputs, ptrdiff_t units, double *net) {
    const nn_product product = {.m = rows, .n = units, .k = inputs, .a = x, .a_row = inputs, .a_col = 1,
                                .b = w, .b_row = 1, .b_col = inputs, .c = net, .ldc = units};
    plain_loops(&product, 0, units, bias, bias_count);
}

/// Out of line, so that `nn_forward_tiny` stays a test and a jump (inlined, its loops'
/// registers were saved and restored around the FMA3 call too).
__attribute__((noinline)) static void forward_tiny_generic(const double *x, const double *w, const double *bias,
                                                           ptrdiff_t bias_count, ptrdiff_t rows, ptrdiff_t inputs,
                                                           ptrdiff_t units, double *net) {
    forward_loops(x, w, bias, bias_count, rows, inputs, units, net);
}

#if NN_HAVE_X86

#define NN_AVX2 __attribute__((target("avx2,fma")))
#define NN_AVX512 __attribute__((target("avx512f,avx2,fma")))

// MARK: avx2, small products

/// One block of R rows x N columns of C, its R N chains advanced together: each chain is
/// a dependent sequence of fused multiply-adds (4 cycles each), so running several side by
/// side hides that latency, which is all a tiny product costs.
__attribute__((always_inline)) NN_AVX2 static inline void small_block(int R, int N, ptrdiff_t i, ptrdiff_t j, ptrdiff_t k,
        const double *a, ptrdiff_t a_row, ptrdiff_t a_col, const double *b, ptrdiff_t b_row, ptrdiff_t b_col,
        double *c, ptrdiff_t ldc) {
    double sum[2][4] = {{0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}};
    for (ptrdiff_t p = 0; p < k; p++) {
        for (int r = 0; r < R; r++) {
            const double x = a[(i + r) * a_row + p * a_col];
            for (int col = 0; col < N; col++) sum[r][col] = fma(x, b[p * b_row + (j + col) * b_col], sum[r][col]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int col = 0; col < N; col++) c[(i + r) * ldc + j + col] = sum[r][col];
}

/// The tiniest products (a few units by a few inputs, as in the tutorial's network): the
/// plain loops, FMA3. Their cost is instructions, not arithmetic, and no blocking code is
/// cheaper than none; the core's out-of-order window overlaps the chains of neighbouring
/// elements on its own.
NN_AVX2 static void gemm_tiny(const nn_product *product, ptrdiff_t j0, ptrdiff_t j1) {
    plain_loops(product, j0, j1, NULL, 0);
}

/// A tiny product whose rows of B are contiguous (b_col 1: the gradient's and the
/// propagation's products in a tiny network), on AVX-512: a row of C at a time, its at most
/// 8 columns in one masked vector. Column j's lane computes fma(A(i,p), B(p,j), sum) for
/// p = 0, 1, ... from +0.0: each element's chain of `plain_loops`, in a tenth of the
/// instructions (the loops' set-up and bookkeeping were most of a 4-term product).
NN_AVX512 static void gemm_tiny_rows_avx512(const nn_product *product, ptrdiff_t j0, ptrdiff_t j1) {
    const ptrdiff_t m = product->m, k = product->k, a_row = product->a_row, a_col = product->a_col;
    const ptrdiff_t b_row = product->b_row, ldc = product->ldc;
    const double *a = product->a, *b = product->b + j0;
    double *c = product->c + j0;
    const __mmask8 columns = (__mmask8)((1u << (j1 - j0)) - 1);
#pragma clang loop unroll(disable)
    for (ptrdiff_t i = 0; i < m; i++) {
        __m512d sum = _mm512_setzero_pd();
#pragma clang loop unroll(disable)
        for (ptrdiff_t p = 0; p < k; p++)
            sum = _mm512_fmadd_pd(_mm512_set1_pd(a[i * a_row + p * a_col]), _mm512_maskz_loadu_pd(columns, b + p * b_row),
                                  sum);
        _mm512_mask_storeu_pd(c + i * ldc, columns, sum);
    }
}

NN_AVX2 static void forward_tiny_fma(const double *x, const double *w, const double *bias, ptrdiff_t bias_count,
                                     ptrdiff_t rows, ptrdiff_t inputs, ptrdiff_t units, double *net) {
    forward_loops(x, w, bias, bias_count, rows, inputs, units, net);
}

/// Products too small to pack: blocks of 2 x 4 chains (smaller at the edges), FMA3.
NN_AVX2 static void gemm_small_fma(ptrdiff_t m, ptrdiff_t j0, ptrdiff_t j1, ptrdiff_t k,
                                   const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                                   const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *c, ptrdiff_t ldc) {
    ptrdiff_t i = 0;
    for (; i + 2 <= m; i += 2) {
        ptrdiff_t j = j0;
        for (; j + 4 <= j1; j += 4) small_block(2, 4, i, j, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
        if (j + 2 <= j1) { small_block(2, 2, i, j, k, a, a_row, a_col, b, b_row, b_col, c, ldc); j += 2; }
        if (j < j1) small_block(2, 1, i, j, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
    }
    if (i < m) {
        ptrdiff_t j = j0;
        for (; j + 4 <= j1; j += 4) small_block(1, 4, i, j, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
        if (j + 2 <= j1) { small_block(1, 2, i, j, k, a, a_row, a_col, b, b_row, b_col, c, ldc); j += 2; }
        if (j < j1) small_block(1, 1, i, j, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
    }
}

// MARK: avx2, packed

/// dst[q * stride + col] = B(q, col) = src[q * b_row + col * b_col] for col < cols, q < k:
/// the columns of a B stored by columns (the forward product's weights, read transposed)
/// laid out as rows. Eight columns at a time: eight reading streams, and each term writes
/// eight adjacent values; the last few columns one by one. `columns_as_rows_avx512` is the
/// AVX-512 paths' faster form of it.
__attribute__((always_inline)) static inline void columns_as_rows(const double *src, ptrdiff_t b_row, ptrdiff_t b_col,
                                                                  ptrdiff_t k, ptrdiff_t cols, double *dst,
                                                                  ptrdiff_t stride) {
    ptrdiff_t col = 0;
    for (; col + 8 <= cols; col += 8) {
        const double *first = src + col * b_col;
        for (ptrdiff_t q = 0; q < k; q++) {
            double *target = dst + q * stride + col;
            const double *source = first + q * b_row;
            for (int c = 0; c < 8; c++) target[c] = source[c * b_col];
        }
    }
    for (; col < cols; col++)
        for (ptrdiff_t q = 0; q < k; q++) dst[q * stride + col] = src[q * b_row + col * b_col];
}

/// `columns_as_rows` as a function a packed path is given: the plain loops, or a faster
/// form of them for its kernel (`columns_as_rows_avx512`).
typedef void (*columns_copy)(const double *src, ptrdiff_t b_row, ptrdiff_t b_col, ptrdiff_t k, ptrdiff_t cols,
                             double *dst, ptrdiff_t stride);

static void columns_as_rows_plain(const double *src, ptrdiff_t b_row, ptrdiff_t b_col, ptrdiff_t k, ptrdiff_t cols,
                                  double *dst, ptrdiff_t stride) {
    columns_as_rows(src, b_row, b_col, k, cols, dst, stride);
}

/// Packs an (mc, kc) block of A into mr-row panels, term-major: panel r holds
/// A(r*mr + row, q) at [r*kc*mr + q*mr + row]; rows past mc are 0. Packing only copies, so
/// its loops are free to go in whatever order reads memory best: a full panel of A stored
/// by rows (a_col 1, the forward and propagate products) is read row by row, one stored by
/// columns (a_row 1, the gradient's delta transposed) term by term.
static void pack_a(ptrdiff_t mr, ptrdiff_t mc, ptrdiff_t kc, const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                   double *packed) {
    for (ptrdiff_t r = 0; r < mc; r += mr) {
        ptrdiff_t rows = mc - r < mr ? mc - r : mr;
        const double *block = a + r * a_row;
        if (rows == mr && a_row == 1) {
            for (ptrdiff_t q = 0; q < kc; q++) memcpy(packed + q * mr, block + q * a_col, (size_t)mr * sizeof(double));
        } else if (rows == mr && a_col == 1) {
            for (ptrdiff_t row = 0; row < mr; row++) {
                const double *source = block + row * a_row;
                for (ptrdiff_t q = 0; q < kc; q++) packed[q * mr + row] = source[q];
            }
        } else {
            for (ptrdiff_t q = 0; q < kc; q++) {
                for (ptrdiff_t row = 0; row < mr; row++)
                    packed[q * mr + row] = row < rows ? block[row * a_row + q * a_col] : 0.0;
            }
        }
        packed += kc * mr;
    }
}

/// Packs a (kc, nc) block of B into nr-column panels, term-major; columns past nc are 0.
/// B stored by rows (b_col 1: the gradient's inputs, the propagate's weights) is copied a
/// row of a panel at a time; B stored by columns (b_row 1: the forward product's weights,
/// read transposed) by `columns_as_rows`.
static void pack_b(ptrdiff_t nr, ptrdiff_t kc, ptrdiff_t nc, const double *b, ptrdiff_t b_row, ptrdiff_t b_col,
                   double *packed, columns_copy copy_columns) {
    for (ptrdiff_t s = 0; s < nc; s += nr) {
        ptrdiff_t cols = nc - s < nr ? nc - s : nr;
        const double *panel = b + s * b_col;
        if (cols == nr && b_col == 1) {
            for (ptrdiff_t q = 0; q < kc; q++) memcpy(packed + q * nr, panel + q * b_row, (size_t)nr * sizeof(double));
        } else if (cols == nr && b_row == 1) {
            copy_columns(panel, b_row, b_col, kc, nr, packed, nr);
        } else {
            for (ptrdiff_t q = 0; q < kc; q++) {
                for (ptrdiff_t col = 0; col < nr; col++)
                    packed[q * nr + col] = col < cols ? panel[q * b_row + col * b_col] : 0.0;
            }
        }
        packed += kc * nr;
    }
}

/// A micro-kernel: the (mr, nr) tile at `c` (row stride ldc) continues its chains over kc
/// more terms, c[r][j] = fma(A(r,q), B(q,j), c[r][j]) for q = 0..<kc, from +0.0 when
/// `first`; pa and pb are packed panels.
typedef void (*micro_kernel_fn)(ptrdiff_t kc, const double *pa, const double *pb, double *c, ptrdiff_t ldc, int first);

typedef struct {
    micro_kernel_fn run;
    ptrdiff_t mr, nr;
    columns_copy copy_columns;   // B's columns as rows, for pack_b
} micro_kernel;

/// AVX2: a 6x8 tile in 12 ymm accumulators; per term, two loads of B and six broadcasts of A.
NN_AVX2 static void kernel_6x8_avx2(ptrdiff_t kc, const double *pa, const double *pb, double *c, ptrdiff_t ldc, int first) {
    __m256d c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (first) {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_pd();
    } else {
        c00 = _mm256_loadu_pd(c + 0 * ldc); c01 = _mm256_loadu_pd(c + 0 * ldc + 4);
        c10 = _mm256_loadu_pd(c + 1 * ldc); c11 = _mm256_loadu_pd(c + 1 * ldc + 4);
        c20 = _mm256_loadu_pd(c + 2 * ldc); c21 = _mm256_loadu_pd(c + 2 * ldc + 4);
        c30 = _mm256_loadu_pd(c + 3 * ldc); c31 = _mm256_loadu_pd(c + 3 * ldc + 4);
        c40 = _mm256_loadu_pd(c + 4 * ldc); c41 = _mm256_loadu_pd(c + 4 * ldc + 4);
        c50 = _mm256_loadu_pd(c + 5 * ldc); c51 = _mm256_loadu_pd(c + 5 * ldc + 4);
    }
    for (ptrdiff_t q = 0; q < kc; q++) {
        __m256d b0 = _mm256_loadu_pd(pb), b1 = _mm256_loadu_pd(pb + 4), a;
        a = _mm256_broadcast_sd(pa + 0); c00 = _mm256_fmadd_pd(a, b0, c00); c01 = _mm256_fmadd_pd(a, b1, c01);
        a = _mm256_broadcast_sd(pa + 1); c10 = _mm256_fmadd_pd(a, b0, c10); c11 = _mm256_fmadd_pd(a, b1, c11);
        a = _mm256_broadcast_sd(pa + 2); c20 = _mm256_fmadd_pd(a, b0, c20); c21 = _mm256_fmadd_pd(a, b1, c21);
        a = _mm256_broadcast_sd(pa + 3); c30 = _mm256_fmadd_pd(a, b0, c30); c31 = _mm256_fmadd_pd(a, b1, c31);
        a = _mm256_broadcast_sd(pa + 4); c40 = _mm256_fmadd_pd(a, b0, c40); c41 = _mm256_fmadd_pd(a, b1, c41);
        a = _mm256_broadcast_sd(pa + 5); c50 = _mm256_fmadd_pd(a, b0, c50); c51 = _mm256_fmadd_pd(a, b1, c51);
        pa += 6;
        pb += 8;
    }
    _mm256_storeu_pd(c + 0 * ldc, c00); _mm256_storeu_pd(c + 0 * ldc + 4, c01);
    _mm256_storeu_pd(c + 1 * ldc, c10); _mm256_storeu_pd(c + 1 * ldc + 4, c11);
    _mm256_storeu_pd(c + 2 * ldc, c20); _mm256_storeu_pd(c + 2 * ldc + 4, c21);
    _mm256_storeu_pd(c + 3 * ldc, c30); _mm256_storeu_pd(c + 3 * ldc + 4, c31);
    _mm256_storeu_pd(c + 4 * ldc, c40); _mm256_storeu_pd(c + 4 * ldc + 4, c41);
    _mm256_storeu_pd(c + 5 * ldc, c50); _mm256_storeu_pd(c + 5 * ldc + 4, c51);
}

/// AVX-512: a 6x32 tile in 24 zmm accumulators; per term, four loads of B and six
/// broadcasts of A. (Measured on Ice Lake: 1.5 times as fast as a 12x16 tile, which needs
/// twelve broadcasts per term for the same 24 multiply-adds.)
NN_AVX512 static void kernel_6x32_avx512(ptrdiff_t kc, const double *pa, const double *pb, double *c, ptrdiff_t ldc,
                                         int first) {
    __m512d acc[6][4];
    for (int r = 0; r < 6; r++)
        for (int v = 0; v < 4; v++) acc[r][v] = first ? _mm512_setzero_pd() : _mm512_loadu_pd(c + r * ldc + 8 * v);
    for (ptrdiff_t q = 0; q < kc; q++) {
        __m512d b0 = _mm512_loadu_pd(pb), b1 = _mm512_loadu_pd(pb + 8);
        __m512d b2 = _mm512_loadu_pd(pb + 16), b3 = _mm512_loadu_pd(pb + 24);
        for (int r = 0; r < 6; r++) {
            __m512d a = _mm512_set1_pd(pa[r]);
            acc[r][0] = _mm512_fmadd_pd(a, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_pd(a, b1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_pd(a, b2, acc[r][2]);
            acc[r][3] = _mm512_fmadd_pd(a, b3, acc[r][3]);
        }
        pa += 6;
        pb += 32;
    }
    for (int r = 0; r < 6; r++)
        for (int v = 0; v < 4; v++) _mm512_storeu_pd(c + r * ldc + 8 * v, acc[r][v]);
}

/// A tile cut off by the edge of C: run the full tile on a copy, write back the valid part.
/// The padded rows and columns of the packed panels are zero and never reach C.
static void edge_tile(micro_kernel kernel, ptrdiff_t kc, const double *pa, const double *pb, double *c, ptrdiff_t ldc,
                      int first, ptrdiff_t rows, ptrdiff_t cols) {
    double tile[TILE_MAX];
    for (ptrdiff_t r = 0; r < kernel.mr; r++)
        for (ptrdiff_t j = 0; j < kernel.nr; j++)
            tile[r * kernel.nr + j] = (!first && r < rows && j < cols) ? c[r * ldc + j] : 0.0;
    kernel.run(kc, pa, pb, tile, kernel.nr, first);
    for (ptrdiff_t r = 0; r < rows; r++)
        for (ptrdiff_t j = 0; j < cols; j++) c[r * ldc + j] = tile[r * kernel.nr + j];
}

static void gemm_packed(micro_kernel kernel, ptrdiff_t m, ptrdiff_t j0, ptrdiff_t j1, ptrdiff_t k,
                        const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                        const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *c, ptrdiff_t ldc, double *scratch) {
    const ptrdiff_t mr = kernel.mr, nr = kernel.nr;
    // Packed panels start on a 64-byte boundary, so that no zmm load splits a cache line.
    double *packed_a = (double *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    double *packed_b = packed_a + (size_t)MC * KC;
    for (ptrdiff_t jc = j0; jc < j1; jc += NC) {
        ptrdiff_t nc = j1 - jc < NC ? j1 - jc : NC;
        // Blocks of equal size (784 terms: 7 of 112, not 6 of 128 and one of 16): a short
        // last block would pay a whole pass of loading and storing C for a few terms.
        const ptrdiff_t blocks = (k + KC - 1) / KC, block = (k + blocks - 1) / blocks;
        for (ptrdiff_t pc = 0; pc < k; pc += block) {
            ptrdiff_t kc = k - pc < block ? k - pc : block;
            int first = pc == 0;
            pack_b(nr, kc, nc, b + pc * b_row + jc * b_col, b_row, b_col, packed_b, kernel.copy_columns);
            for (ptrdiff_t ic = 0; ic < m; ic += MC) {
                ptrdiff_t mc = m - ic < MC ? m - ic : MC;
                pack_a(mr, mc, kc, a + ic * a_row + pc * a_col, a_row, a_col, packed_a);
                for (ptrdiff_t jr = 0; jr < nc; jr += nr) {
                    ptrdiff_t cols = nc - jr < nr ? nc - jr : nr;
                    const double *pb = packed_b + jr * kc;
                    for (ptrdiff_t ir = 0; ir < mc; ir += mr) {
                        ptrdiff_t rows = mc - ir < mr ? mc - ir : mr;
                        const double *pa = packed_a + ir * kc;
                        double *tile = c + (ic + ir) * ldc + jc + jr;
                        if (rows == mr && cols == nr) kernel.run(kc, pa, pb, tile, ldc, first);
                        else edge_tile(kernel, kc, pa, pb, tile, ldc, first, rows, cols);
                    }
                }
            }
        }
    }
}

// MARK: avx512, unpacked

/// `columns_as_rows` for a B whose columns are contiguous (b_row 1: the forward product's
/// weights, each unit's row of W read as a column of B): eight columns by eight terms at a
/// time, read as eight vectors and transposed in registers, then stored as eight rows;
/// the remainder as `columns_as_rows` does it. A copy: the same values either way.
__attribute__((always_inline)) NN_AVX512 static inline void columns_as_rows_avx512(
        const double *src, ptrdiff_t b_row, ptrdiff_t b_col, ptrdiff_t k, ptrdiff_t cols, double *dst, ptrdiff_t stride) {
    if (b_row != 1) {
        columns_as_rows(src, b_row, b_col, k, cols, dst, stride);
        return;
    }
    const __m512i pairs_even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
    const __m512i pairs_odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    ptrdiff_t col = 0;
    for (; col + 8 <= cols; col += 8) {
        const double *first = src + col * b_col;
        ptrdiff_t q = 0;
        for (; q + 8 <= k; q += 8) {
            // r[c][j] = B(q + j, col + c); row j of the block is out[j][c] = r[c][j].
            __m512d r[8];
            for (int c = 0; c < 8; c++) r[c] = _mm512_loadu_pd(first + c * b_col + q);
            __m512d t[8];
            for (int c = 0; c < 8; c += 2) {
                t[c] = _mm512_unpacklo_pd(r[c], r[c + 1]);       // r[c][2i], r[c+1][2i]
                t[c + 1] = _mm512_unpackhi_pd(r[c], r[c + 1]);   // r[c][2i+1], r[c+1][2i+1]
            }
            // Columns c..c+3 of terms j, j+4 for j = 0 (u[0]), 2 (u[1]), 1 (u[2]), 3 (u[3]);
            // v likewise for columns 4..7.
            __m512d u[4], v[4];
            u[0] = _mm512_permutex2var_pd(t[0], pairs_even, t[2]);
            u[1] = _mm512_permutex2var_pd(t[0], pairs_odd, t[2]);
            u[2] = _mm512_permutex2var_pd(t[1], pairs_even, t[3]);
            u[3] = _mm512_permutex2var_pd(t[1], pairs_odd, t[3]);
            v[0] = _mm512_permutex2var_pd(t[4], pairs_even, t[6]);
            v[1] = _mm512_permutex2var_pd(t[4], pairs_odd, t[6]);
            v[2] = _mm512_permutex2var_pd(t[5], pairs_even, t[7]);
            v[3] = _mm512_permutex2var_pd(t[5], pairs_odd, t[7]);
            static const int term[4] = {0, 2, 1, 3};
            for (int g = 0; g < 4; g++) {
                _mm512_storeu_pd(dst + (q + term[g]) * stride + col, _mm512_shuffle_f64x2(u[g], v[g], 0x44));
                _mm512_storeu_pd(dst + (q + term[g] + 4) * stride + col, _mm512_shuffle_f64x2(u[g], v[g], 0xEE));
            }
        }
        for (; q < k; q++) {
            double *target = dst + q * stride + col;
            const double *source = first + q;
            for (int c = 0; c < 8; c++) target[c] = source[c * b_col];
        }
    }
    for (; col < cols; col++)
        for (ptrdiff_t q = 0; q < k; q++) dst[q * stride + col] = src[q + col * b_col];
}

/// One tile of R rows (at most 6) and 8 NV columns, its whole chain of k terms in
/// registers, read straight from the operands: A through its strides, B as rows of stride
/// ldb with the columns past `cols` masked off (masked loads do not touch memory). For
/// products too small to repay packing. R is a constant in each instance: the last tile of
/// a product whose rows are not a multiple of 6 (16 rows: 6, 6 and 4) does only its own
/// rows' multiply-adds.
__attribute__((always_inline)) NN_AVX512 static inline void direct_tile(
        int R, int NV, ptrdiff_t k, const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
        const double *b, ptrdiff_t ldb, ptrdiff_t cols, double *c, ptrdiff_t ldc) {
    __mmask8 mask[4];
    for (int v = 0; v < 4; v++) {
        ptrdiff_t left = cols - 8 * v;
        mask[v] = left >= 8 ? (__mmask8)0xFF : left > 0 ? (__mmask8)((1u << left) - 1) : (__mmask8)0;
    }
    const double *row[6];
    for (int r = 0; r < R; r++) row[r] = a + r * a_row;
    __m512d acc[6][4];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_pd();
    for (ptrdiff_t q = 0; q < k; q++) {
        __m512d bv[4];
        for (int v = 0; v < NV; v++) bv[v] = _mm512_maskz_loadu_pd(mask[v], b + q * ldb + 8 * v);
        for (int r = 0; r < R; r++) {
            __m512d x = _mm512_set1_pd(row[r][q * a_col]);
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_pd(x, bv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) _mm512_mask_storeu_pd(c + r * ldc + 8 * v, mask[v], acc[r][v]);
}

/// `direct_tile` of R rows, its width (1 to 4 vectors) chosen from `cols`.
#define DIRECT_TILE_OF_ROWS(R)                                                                  \
    switch ((cols + 7) / 8) {                                                                   \
    case 1: direct_tile(R, 1, k, ai, a_row, a_col, bj, ldb, cols, tile, ldc); break;            \
    case 2: direct_tile(R, 2, k, ai, a_row, a_col, bj, ldb, cols, tile, ldc); break;            \
    case 3: direct_tile(R, 3, k, ai, a_row, a_col, bj, ldb, cols, tile, ldc); break;            \
    default: direct_tile(R, 4, k, ai, a_row, a_col, bj, ldb, cols, tile, ldc); break;           \
    }

/// Columns [j0, j1) of a product without packing A, and without packing B when its rows are
/// contiguous (b_col 1); otherwise B's block is first copied into `scratch` as rows.
NN_AVX512 static void gemm_direct(ptrdiff_t m, ptrdiff_t j0, ptrdiff_t j1, ptrdiff_t k,
                                  const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                                  const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *c, ptrdiff_t ldc,
                                  double *scratch) {
    const ptrdiff_t width = j1 - j0;
    const double *rows_of_b = b + j0 * b_col;
    ptrdiff_t ldb = b_row;
    if (b_col != 1) {
        double *copy = (double *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
        columns_as_rows_avx512(rows_of_b, b_row, b_col, k, width, copy, width);
        rows_of_b = copy;
        ldb = width;
    }
    for (ptrdiff_t jr = 0; jr < width; jr += 32) {
        ptrdiff_t cols = width - jr < 32 ? width - jr : 32;
        for (ptrdiff_t ir = 0; ir < m; ir += 6) {
            ptrdiff_t rows = m - ir < 6 ? m - ir : 6;
            const double *ai = a + ir * a_row, *bj = rows_of_b + jr;
            double *tile = c + ir * ldc + j0 + jr;
            switch (rows) {
            case 1: DIRECT_TILE_OF_ROWS(1) break;
            case 2: DIRECT_TILE_OF_ROWS(2) break;
            case 3: DIRECT_TILE_OF_ROWS(3) break;
            case 4: DIRECT_TILE_OF_ROWS(4) break;
            case 5: DIRECT_TILE_OF_ROWS(5) break;
            default: DIRECT_TILE_OF_ROWS(6) break;
            }
        }
    }
}

NN_AVX512 static void columns_as_rows_wide(const double *src, ptrdiff_t b_row, ptrdiff_t b_col, ptrdiff_t k,
                                           ptrdiff_t cols, double *dst, ptrdiff_t stride) {
    columns_as_rows_avx512(src, b_row, b_col, k, cols, dst, stride);
}

static const micro_kernel AVX2_KERNEL = {kernel_6x8_avx2, 6, 8, columns_as_rows_plain};
static const micro_kernel AVX512_KERNEL = {kernel_6x32_avx512, 6, 32, columns_as_rows_wide};

#endif

/// Every path but the tiny one, out of line: its frame (kilobytes, for the tiles of the
/// inlined direct and packed paths) and saved registers would otherwise be set up for each
/// tiny product too (Docs/performance.md, "w1, in-process").
__attribute__((noinline)) static void gemm_sized(nn_kernel kernel, const nn_product *product, ptrdiff_t column_begin,
                                                 ptrdiff_t column_end, double *scratch, ptrdiff_t size) {
    const ptrdiff_t m = product->m, k = product->k, width = column_end - column_begin;
    if (m <= 0 || width <= 0) return;
#if NN_HAVE_X86
    if (kernel == NN_KERNEL_AVX2 || kernel == NN_KERNEL_AVX512) {
        const double *a = product->a, *b = product->b;
        const ptrdiff_t a_row = product->a_row, a_col = product->a_col, b_row = product->b_row, b_col = product->b_col;
        double *c = product->c;
        const ptrdiff_t ldc = product->ldc;
        if (size < NN_GEMM_SMALL_PRODUCT || scratch == NULL)
            gemm_small_fma(m, column_begin, column_end, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
        else if (kernel == NN_KERNEL_AVX512 && (size < DIRECT_PRODUCT || width <= 32)
                 && (b_col == 1 || k * width <= (ptrdiff_t)KC * NC))
            gemm_direct(m, column_begin, column_end, k, a, a_row, a_col, b, b_row, b_col, c, ldc, scratch);
        else
            gemm_packed(kernel == NN_KERNEL_AVX512 ? AVX512_KERNEL : AVX2_KERNEL, m, column_begin, column_end, k,
                        a, a_row, a_col, b, b_row, b_col, c, ldc, scratch);
        return;
    }
#endif
    (void)scratch;
    (void)size;
    gemm_generic(product, column_begin, column_end);
}

void nn_gemm(nn_kernel kernel, const nn_product *product, ptrdiff_t column_begin, ptrdiff_t column_end,
             double *scratch) {
    const ptrdiff_t size = product->m * (column_end - column_begin) * product->k;
#if NN_HAVE_X86
    // The tiny path first, before anything else is read or saved: in a tiny network it is
    // a good part of the whole step.
    if ((kernel == NN_KERNEL_AVX2 || kernel == NN_KERNEL_AVX512) && size <= NN_GEMM_TINY_PRODUCT) {
        const ptrdiff_t width = column_end - column_begin;
        if (kernel == NN_KERNEL_AVX512 && product->b_col == 1 && width >= 1 && width <= 8)
            gemm_tiny_rows_avx512(product, column_begin, column_end);
        else
            gemm_tiny(product, column_begin, column_end);
        return;
    }
#endif
    gemm_sized(kernel, product, column_begin, column_end, scratch, size);
}


void nn_forward_tiny(nn_kernel kernel, const double *x, const double *w, const double *bias, ptrdiff_t bias_count,
                     ptrdiff_t rows, ptrdiff_t inputs, ptrdiff_t units, double *net) {
#if NN_HAVE_X86
    if (kernel == NN_KERNEL_AVX2 || kernel == NN_KERNEL_AVX512) {
        forward_tiny_fma(x, w, bias, bias_count, rows, inputs, units, net);
        return;
    }
#endif
    (void)kernel;
    forward_tiny_generic(x, w, bias, bias_count, rows, inputs, units, net);
}

// Matrix products for the training step, defined as one chain of fused multiply-adds per
// output element (see CKernels.h). Two implementations of that one definition:
//
//   generic  three loops and libm's fma(): portable, the reference
//   avx2     Goto/BLIS-style: B packed into 8-column panels, A into 6-row panels, a 6x8
//            register tile of 12 ymm accumulators. The k loop is split into blocks of KC,
//            but a tile is stored after one block and reloaded for the next, so each
//            element still sees its terms one at a time, in index order.
//
// Nothing here may be contracted or reassociated by the compiler: the only floating-point
// arithmetic is explicit fma.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define NN_HAVE_X86 1
#else
#define NN_HAVE_X86 0
#endif

enum {
    MR = 6,      // rows of the register tile
    NR = 8,      // columns of the register tile (two ymm registers)
    KC = 256,    // terms per packed block: an 8-column panel of B is 16 KiB, in L1
    MC = 96,     // rows of A packed at once: 192 KiB, in L2
    NC = 1024,   // columns of B packed at once: 2 MiB
};

/// Below this many multiply-adds, packing costs more than it saves: plain loops.
static const ptrdiff_t SMALL_PRODUCT = 4096;

size_t nn_gemm_scratch_count(void) { return (size_t)MC * KC + (size_t)KC * NC; }

int nn_gemm_column_tile(void) { return NR; }

ptrdiff_t nn_gemm_packing_threshold(void) { return SMALL_PRODUCT; }

// MARK: generic

static void gemm_generic(ptrdiff_t m, ptrdiff_t j0, ptrdiff_t j1, ptrdiff_t k,
                         const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                         const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *c, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < m; i++) {
        for (ptrdiff_t j = j0; j < j1; j++) {
            double sum = 0.0;
            for (ptrdiff_t p = 0; p < k; p++) sum = fma(a[i * a_row + p * a_col], b[p * b_row + j * b_col], sum);
            c[i * ldc + j] = sum;
        }
    }
}

#if NN_HAVE_X86

// MARK: CPU features

/// AVX2 and FMA3 in CPUID, and YMM state enabled by the OS (XCR0 bits 1 and 2).
static int cpu_has_avx2_fma(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned fma = 1u << 12, osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (fma | osxsave | avx)) != (fma | osxsave | avx)) return 0;
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 5)) != 0;  // AVX2
}

#define NN_AVX2 __attribute__((target("avx2,fma")))

// MARK: avx2, small products

/// The generic loops, compiled for FMA3 so that fma() is one instruction, not a call.
NN_AVX2 static void gemm_small_fma(ptrdiff_t m, ptrdiff_t j0, ptrdiff_t j1, ptrdiff_t k,
                                   const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                                   const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *c, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < m; i++) {
        for (ptrdiff_t j = j0; j < j1; j++) {
            __m128d sum = _mm_setzero_pd();
            for (ptrdiff_t p = 0; p < k; p++)
                sum = _mm_fmadd_sd(_mm_set_sd(a[i * a_row + p * a_col]), _mm_set_sd(b[p * b_row + j * b_col]), sum);
            c[i * ldc + j] = _mm_cvtsd_f64(sum);
        }
    }
}

// MARK: avx2, packed

/// Packs rows [i0, i0+mc) x terms [p0, p0+kc) of A into MR-row panels, term-major:
/// panel r holds A(i0 + r*MR + row, p0 + q) at [r*kc*MR + q*MR + row]; rows past m are 0.
static void pack_a(ptrdiff_t mc, ptrdiff_t kc, const double *a, ptrdiff_t a_row, ptrdiff_t a_col, double *packed) {
    for (ptrdiff_t r = 0; r < mc; r += MR) {
        ptrdiff_t rows = mc - r < MR ? mc - r : MR;
        for (ptrdiff_t q = 0; q < kc; q++) {
            for (ptrdiff_t row = 0; row < MR; row++)
                packed[q * MR + row] = row < rows ? a[(r + row) * a_row + q * a_col] : 0.0;
        }
        packed += kc * MR;
    }
}

/// Packs terms [p0, p0+kc) x columns [j0, j0+nc) of B into NR-column panels, term-major.
static void pack_b(ptrdiff_t kc, ptrdiff_t nc, const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *packed) {
    for (ptrdiff_t s = 0; s < nc; s += NR) {
        ptrdiff_t cols = nc - s < NR ? nc - s : NR;
        if (cols == NR && b_col == 1) {
            for (ptrdiff_t q = 0; q < kc; q++) memcpy(packed + q * NR, b + q * b_row + s, NR * sizeof(double));
        } else {
            for (ptrdiff_t q = 0; q < kc; q++) {
                for (ptrdiff_t col = 0; col < NR; col++)
                    packed[q * NR + col] = col < cols ? b[q * b_row + (s + col) * b_col] : 0.0;
            }
        }
        packed += kc * NR;
    }
}

/// The 6x8 tile at `c` (row stride ldc) continues its chains over kc more terms:
/// c[r][j] = fma(A(r,q), B(q,j), c[r][j]) for q = 0..<kc, from +0.0 when `first`.
NN_AVX2 static void micro_kernel(ptrdiff_t kc, const double *pa, const double *pb, double *c, ptrdiff_t ldc, int first) {
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
        pa += MR;
        pb += NR;
    }
    _mm256_storeu_pd(c + 0 * ldc, c00); _mm256_storeu_pd(c + 0 * ldc + 4, c01);
    _mm256_storeu_pd(c + 1 * ldc, c10); _mm256_storeu_pd(c + 1 * ldc + 4, c11);
    _mm256_storeu_pd(c + 2 * ldc, c20); _mm256_storeu_pd(c + 2 * ldc + 4, c21);
    _mm256_storeu_pd(c + 3 * ldc, c30); _mm256_storeu_pd(c + 3 * ldc + 4, c31);
    _mm256_storeu_pd(c + 4 * ldc, c40); _mm256_storeu_pd(c + 4 * ldc + 4, c41);
    _mm256_storeu_pd(c + 5 * ldc, c50); _mm256_storeu_pd(c + 5 * ldc + 4, c51);
}

/// A tile cut off by the edge of C: run the full tile on a copy, write back the valid part.
/// The padded rows and columns of the packed panels are zero and never reach C.
NN_AVX2 static void edge_kernel(ptrdiff_t kc, const double *pa, const double *pb, double *c, ptrdiff_t ldc,
                                int first, ptrdiff_t rows, ptrdiff_t cols) {
    double tile[MR * NR];
    for (ptrdiff_t r = 0; r < MR; r++)
        for (ptrdiff_t j = 0; j < NR; j++) tile[r * NR + j] = (!first && r < rows && j < cols) ? c[r * ldc + j] : 0.0;
    micro_kernel(kc, pa, pb, tile, NR, first);
    for (ptrdiff_t r = 0; r < rows; r++)
        for (ptrdiff_t j = 0; j < cols; j++) c[r * ldc + j] = tile[r * NR + j];
}

static void gemm_packed(ptrdiff_t m, ptrdiff_t j0, ptrdiff_t j1, ptrdiff_t k,
                        const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
                        const double *b, ptrdiff_t b_row, ptrdiff_t b_col, double *c, ptrdiff_t ldc, double *scratch) {
    double *packed_a = scratch, *packed_b = scratch + (size_t)MC * KC;
    for (ptrdiff_t jc = j0; jc < j1; jc += NC) {
        ptrdiff_t nc = j1 - jc < NC ? j1 - jc : NC;
        for (ptrdiff_t pc = 0; pc < k; pc += KC) {
            ptrdiff_t kc = k - pc < KC ? k - pc : KC;
            int first = pc == 0;
            pack_b(kc, nc, b + pc * b_row + jc * b_col, b_row, b_col, packed_b);
            for (ptrdiff_t ic = 0; ic < m; ic += MC) {
                ptrdiff_t mc = m - ic < MC ? m - ic : MC;
                pack_a(mc, kc, a + ic * a_row + pc * a_col, a_row, a_col, packed_a);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    ptrdiff_t cols = nc - jr < NR ? nc - jr : NR;
                    const double *pb = packed_b + jr * kc;
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        ptrdiff_t rows = mc - ir < MR ? mc - ir : MR;
                        const double *pa = packed_a + ir * kc;
                        double *tile = c + (ic + ir) * ldc + jc + jr;
                        if (rows == MR && cols == NR) micro_kernel(kc, pa, pb, tile, ldc, first);
                        else edge_kernel(kc, pa, pb, tile, ldc, first, rows, cols);
                    }
                }
            }
        }
    }
}

nn_kernel nn_kernel_best(void) { return cpu_has_avx2_fma() ? NN_KERNEL_AVX2 : NN_KERNEL_GENERIC; }

#else

nn_kernel nn_kernel_best(void) { return NN_KERNEL_GENERIC; }

#endif

void nn_gemm(nn_kernel kernel, ptrdiff_t m, ptrdiff_t column_begin, ptrdiff_t column_end, ptrdiff_t k,
             const double *a, ptrdiff_t a_row, ptrdiff_t a_col,
             const double *b, ptrdiff_t b_row, ptrdiff_t b_col,
             double *c, ptrdiff_t ldc, double *scratch) {
    if (m <= 0 || column_end <= column_begin) return;
#if NN_HAVE_X86
    if (kernel == NN_KERNEL_AVX2) {
        if (k == 0 || m * (column_end - column_begin) * k < SMALL_PRODUCT || scratch == NULL)
            gemm_small_fma(m, column_begin, column_end, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
        else
            gemm_packed(m, column_begin, column_end, k, a, a_row, a_col, b, b_row, b_col, c, ldc, scratch);
        return;
    }
#endif
    (void)scratch;
    gemm_generic(m, column_begin, column_end, k, a, a_row, a_col, b, b_row, b_col, c, ldc);
}

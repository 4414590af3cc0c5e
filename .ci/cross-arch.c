// The bits of nnrun's C math on this machine: a 64-bit FNV-1a hash of each elementary
// function over 1,000,000 seeded arguments, and of the kernels' outputs on fixed inputs
// (generic kernel), one line each, so that two architectures' outputs can be compared
// with diff (.ci/cross-arch). The vector kernels this CPU has are compared with the
// generic one here, and the last line says whether they agree.
#pragma STDC FP_CONTRACT OFF

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CKernels.h"

enum { COUNT = 1000000 };

static uint64_t fnv(uint64_t hash, const double *values, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) {
        uint64_t bits;
        memcpy(&bits, &values[k], sizeof bits);
        for (int byte = 0; byte < 8; byte++) {
            hash ^= (bits >> (8 * byte)) & 0xff;
            hash *= 0x100000001b3ULL;
        }
    }
    return hash;
}

static const uint64_t FNV_START = 0xcbf29ce484222325ULL;

/// SplitMix64: the seeded arguments.
static uint64_t state = 14;
static uint64_t next_bits(void) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
/// Uniform on [low, high) from 53 bits (exact operations: the same on every machine).
static double uniform(double low, double high) { return low + (high - low) * ((double)(next_bits() >> 11) * 0x1p-53); }
/// Any double with the given top bits cleared: every binade, sign as asked.
static double any_double(int negative) {
    uint64_t bits = next_bits() & 0x7fefffffffffffffULL;
    if (negative) bits |= 0x8000000000000000ULL;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static double x[COUNT], y[COUNT];
static int64_t n[COUNT];

static void print_hash(const char *what, const double *values, ptrdiff_t count) {
    printf("%-28s %016llx\n", what, (unsigned long long)fnv(FNV_START, values, count));
}

int main(void) {
    // exp: the whole range, where networks live, and the subnormal results
    for (int k = 0; k < COUNT; k++)
        x[k] = k % 3 == 0 ? uniform(-746, 710) : k % 3 == 1 ? uniform(-40, 40) : uniform(-745.2, -708);
    for (int k = 0; k < COUNT; k++) y[k] = nn_exp_value(x[k]);
    print_hash("exp", y, COUNT);
    for (int k = 0; k < COUNT; k++) x[k] = k % 2 ? any_double(0) : uniform(0, 2);
    for (int k = 0; k < COUNT; k++) y[k] = nn_log_value(x[k]);
    print_hash("log", y, COUNT);
    for (int k = 0; k < COUNT; k++) x[k] = k % 3 == 0 ? uniform(-1, 1) : k % 3 == 1 ? uniform(0, 1) : any_double(0);
    for (int k = 0; k < COUNT; k++) y[k] = nn_log1p_value(x[k]);
    print_hash("log1p", y, COUNT);
    for (int k = 0; k < COUNT; k++) { x[k] = uniform(0, 1.5); n[k] = (int64_t)(next_bits() % 100000); }
    for (int k = 0; k < COUNT; k++) y[k] = nn_power_value(x[k], n[k]);
    print_hash("power", y, COUNT);
    for (int k = 0; k < COUNT; k++) x[k] = uniform(-60, 60);
    for (int k = 0; k < COUNT; k++) y[k] = nn_sigmoid_value(x[k]);
    print_hash("sigmoid", y, COUNT);
    for (int k = 0; k < COUNT; k++) y[k] = nn_tanh_value(x[k]);
    print_hash("tanh", y, COUNT);

    // The kernels on fixed inputs: a product around the tiles' edges, the layers'
    // activations, softmax rows, both optimizers.
    enum { M = 37, K = 53, N = 45, ROWS = 64, UNITS = 10 };
    static double a[M * K], b[K * N], c[M * N];
    for (int k = 0; k < M * K; k++) a[k] = uniform(-1, 1);
    for (int k = 0; k < K * N; k++) b[k] = uniform(-1, 1);
    static double activations[4096], out[4096], slope[4096], rows[ROWS * UNITS], softmax[ROWS * UNITS];
    for (int k = 0; k < 4096; k++) activations[k] = uniform(-30, 30);
    for (int k = 0; k < ROWS * UNITS; k++) rows[k] = uniform(-20, 20);
    static double p0[1000], grad[1000];
    for (int k = 0; k < 1000; k++) { p0[k] = uniform(-1, 1); grad[k] = uniform(-0.1, 0.1); }

    int agree = 1;
    nn_kernel kernels[3] = {NN_KERNEL_GENERIC, NN_KERNEL_AVX2, NN_KERNEL_AVX512};
    char line[6][32];
    uint64_t hashes[3][6];
    for (int which = 0; which < 3; which++) {
        nn_kernel kernel = kernels[which];
        if (!nn_kernel_available(kernel)) continue;
        double *scratch = malloc(sizeof(double) * nn_gemm_scratch_count());
        nn_product product = {M, N, K, a, K, 1, b, N, 1, c, N};
        nn_gemm(kernel, &product, 0, N, scratch);
        free(scratch);
        hashes[which][0] = fnv(FNV_START, c, M * N);
        strcpy(line[0], "gemm 37x53x45");
        nn_tanh(kernel, activations, out, slope, 4096);
        hashes[which][1] = fnv(fnv(FNV_START, out, 4096), slope, 4096);
        strcpy(line[1], "tanh layer");
        nn_sigmoid(kernel, activations, out, slope, 4096);
        hashes[which][2] = fnv(fnv(FNV_START, out, 4096), slope, 4096);
        strcpy(line[2], "sigmoid layer");
        double sums[ROWS];
        for (int r = 0; r < ROWS; r++) sums[r] = nn_softmax(kernel, rows + r * UNITS, softmax + r * UNITS, UNITS);
        hashes[which][3] = fnv(fnv(FNV_START, softmax, ROWS * UNITS), sums, ROWS);
        strcpy(line[3], "softmax rows");
        double p[1000], m[1000], v[1000];
        memcpy(p, p0, sizeof p); memset(m, 0, sizeof m);
        for (int step = 1; step <= 5; step++)
            nn_sgd_update(kernel, p, grad, m, 1000, 0.1, 0.9, 1e-4, step % 2);
        hashes[which][4] = fnv(FNV_START, p, 1000);
        strcpy(line[4], "sgd 5 steps");
        memcpy(p, p0, sizeof p); memset(m, 0, sizeof m); memset(v, 0, sizeof v);
        for (int step = 1; step <= 5; step++)
            nn_adam_update(kernel, p, grad, m, v, 1000, 0.9, 0.999, 1e-8, 0.0,
                           1e-3 / (1 - nn_power_value(0.9, step)), sqrt(1 - nn_power_value(0.999, step)));
        hashes[which][5] = fnv(FNV_START, p, 1000);
        strcpy(line[5], "adam 5 steps");
        if (which > 0)
            for (int h = 0; h < 6; h++)
                if (hashes[which][h] != hashes[0][h]) {
                    fprintf(stderr, "kernel %d differs from generic: %s\n", which, line[h]);
                    agree = 0;
                }
    }
    for (int h = 0; h < 6; h++) printf("%-28s %016llx\n", line[h], (unsigned long long)hashes[0][h]);
    printf("vector kernels %s\n", agree ? "give the generic kernel's bits" : "DIFFER from the generic kernel");
    return agree ? 0 : 1;
}

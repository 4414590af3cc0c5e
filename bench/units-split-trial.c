// A trial of a way of running a step that nnrun does not use (Docs/performance.md, "Where
// round 2 stands"): w3's training step (a batch of 32 gathered from 1,797 samples, 64 ->
// 128 tanh -> 10 softmax, Adam; no evaluations) with nnrun's own kernels, on one thread and
// on two threads that divide the hidden layer by units. Each thread keeps its 64 units'
// weight rows, biases and moments and a private copy of the batch; the second thread also
// runs the output layer's forward pass, softmax and deltas, and the first waits for them.
// Per step about 380 cache lines cross between the CPUs: the first thread's 64 hidden
// outputs of 32 rows (256), its columns of the output weights (80), the output deltas (40).
//
//     swift build -c release --static-swift-stdlib --scratch-path .build-static --product nnrun
//     cc -O2 -pthread -ISources/CKernels/include bench/units-split-trial.c \
//        .build-static/release/CKernels.build/*.o -lm -o /tmp/units-split-trial
//     /tmp/units-split-trial [ROUNDS] [one]
//
// prints the median time per step of ROUNDS (default 9) rounds of 1,140 steps each way, the
// two alternated; with `one`, only the one-thread way (to run two at once on the two CPUs
// with taskset, which shows whether the CPUs slow each other down). The threads wait for
// each other's results by spinning without yielding: run it on an otherwise idle machine.
#define _GNU_SOURCE
#include "CKernels.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { R = 32, I = 64, H = 128, O = 10, N = 1797, STEPS = 1140 };
static nn_kernel K;
static double *data, *targets;       // (N, I), (N, O)
static int order[N];
static double *W1, *b1, *W2, *b2;    // parameters
static double *gW1, *gb1, *gW2, *gb2;
static double *mW1, *vW1, *mb1, *vb1, *mW2, *vW2, *mb2, *vb2;
static double *net1, *out1, *slope1, *dOut1, *delta1, *net2, *out2, *delta2;
static double *X[2], *T[2];
static double *scratch[2];
static _Alignas(64) atomic_long out1Ready;
static _Alignas(64) atomic_long delta2Ready;
static long stepNumber;

static double *buffer(size_t n) { double *p = aligned_alloc(64, ((n * 8 + 63) / 64) * 64); memset(p, 0, n * 8); return p; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static double uniform(unsigned long long *s) { *s = *s * 6364136223846793005ULL + 1442695040888963407ULL; return (double)(*s >> 11) / 9007199254740992.0; }

static void adam(double *p, double *g, double *m, double *v, ptrdiff_t n, long t) {
    double c1 = 1 - pow(0.9, (double)t), c2 = sqrt(1 - pow(0.999, (double)t));
    nn_adam_update(K, p, g, m, v, n, 0.9, 0.999, 1e-8, 0, 1e-3 / c1, c2);
}

/// One step's part `part` of `parts`: the hidden units [c0, c1) and everything of theirs.
static void step_part(int part, int parts) {
    int c0 = part * H / parts, c1 = (part + 1) * H / parts, u = c1 - c0;
    long s = stepNumber;
    double *x = X[part], *t = T[part];
    int first = (int)((s * R) % (N - R));
    for (int r = 0; r < R; r++) {   // a private copy of the batch
        memcpy(x + r * I, data + (size_t)order[first + r] * I, I * 8);
        memcpy(t + r * O, targets + (size_t)order[first + r] * O, O * 8);
    }
    nn_product p1 = {R, H, I, x, I, 1, W1, 1, I, net1, H};
    nn_gemm(K, &p1, c0, c1, scratch[part]);
    for (int r = 0; r < R; r++) {
        nn_add_bias(K, net1 + r * H + c0, b1 + c0, 1, u);
        nn_tanh(K, net1 + r * H + c0, out1 + r * H + c0, slope1 + r * H + c0, u);
    }
    int outputPart = parts - 1;
    if (parts == 2 && part == 0) atomic_store_explicit(&out1Ready, s + 1, memory_order_release);
    if (part == outputPart) {
        if (parts == 2) while (atomic_load_explicit(&out1Ready, memory_order_acquire) != s + 1) {}
        nn_product p2 = {R, O, H, out1, H, 1, W2, 1, H, net2, O};
        nn_gemm(K, &p2, 0, O, scratch[part]);
        nn_add_bias(K, net2, b2, R, O);
        for (int r = 0; r < R; r++) {
            nn_softmax(K, net2 + r * O, out2 + r * O, O);
            for (int j = 0; j < O; j++) delta2[r * O + j] = (out2[r * O + j] - t[r * O + j]) / R;
        }
        nn_sum_rows(K, gb2, delta2, R, O, O);
        if (parts == 2) atomic_store_explicit(&delta2Ready, s + 1, memory_order_release);
    } else {
        while (atomic_load_explicit(&delta2Ready, memory_order_acquire) != s + 1) {}
    }
    nn_product pp = {R, H, O, delta2, O, 1, W2, H, 1, dOut1, H};
    nn_gemm(K, &pp, c0, c1, scratch[part]);
    for (int r = 0; r < R; r++) nn_multiply_elements(K, delta1 + r * H + c0, dOut1 + r * H + c0, slope1 + r * H + c0, u);
    nn_product g1 = {u, I, R, delta1 + c0, 1, H, x, I, 1, gW1 + c0 * I, I};
    nn_gemm(K, &g1, 0, I, scratch[part]);
    nn_sum_rows(K, gb1 + c0, delta1 + c0, R, u, H);
    nn_product g2 = {O, H, R, delta2, 1, O, out1, H, 1, gW2, H};
    nn_gemm(K, &g2, c0, c1, scratch[part]);
    long t1 = s + 1;
    adam(W1 + c0 * I, gW1 + c0 * I, mW1 + c0 * I, vW1 + c0 * I, u * I, t1);
    adam(b1 + c0, gb1 + c0, mb1 + c0, vb1 + c0, u, t1);
    for (int j = 0; j < O; j++) adam(W2 + j * H + c0, gW2 + j * H + c0, mW2 + j * H + c0, vW2 + j * H + c0, u, t1);
    if (part == outputPart) adam(b2, gb2, mb2, vb2, O, t1);
}

static void two_parts(void *context, int part) { (void)context; step_part(part, 2); }

static double run(nn_team *team, int threads) {
    double start = now();
    for (stepNumber = 0; stepNumber < STEPS; stepNumber++) {
        if (threads == 1) step_part(0, 1); else nn_team_run(team, two_parts, NULL);
    }
    return (now() - start) / STEPS;
}

static int ascending(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 9;
    if (rounds < 1 || rounds > 64) { fprintf(stderr, "rounds: 1 to 64\n"); return 2; }
    K = nn_kernel_best();
    unsigned long long seed = 7;
    data = buffer((size_t)N * I); targets = buffer((size_t)N * O);
    for (size_t k = 0; k < (size_t)N * I; k++) data[k] = uniform(&seed) * 16;
    for (int n = 0; n < N; n++) { targets[n * O + n % O] = 1; order[n] = n; }
    for (int n = N - 1; n > 0; n--) { int j = (int)(uniform(&seed) * (n + 1)); int x = order[n]; order[n] = order[j]; order[j] = x; }
    W1 = buffer(H * I); b1 = buffer(H); W2 = buffer(O * H); b2 = buffer(O);
    for (int k = 0; k < H * I; k++) W1[k] = (uniform(&seed) - 0.5) * 0.2;
    for (int k = 0; k < O * H; k++) W2[k] = (uniform(&seed) - 0.5) * 0.4;
    gW1 = buffer(H * I); gb1 = buffer(H); gW2 = buffer(O * H); gb2 = buffer(O);
    mW1 = buffer(H * I); vW1 = buffer(H * I); mb1 = buffer(H); vb1 = buffer(H);
    mW2 = buffer(O * H); vW2 = buffer(O * H); mb2 = buffer(O); vb2 = buffer(O);
    net1 = buffer(R * H); out1 = buffer(R * H); slope1 = buffer(R * H); dOut1 = buffer(R * H); delta1 = buffer(R * H);
    net2 = buffer(R * O); out2 = buffer(R * O); delta2 = buffer(R * O);
    for (int p = 0; p < 2; p++) { X[p] = buffer(R * I); T[p] = buffer(R * O); scratch[p] = buffer(nn_gemm_scratch_count()); }
    nn_team *team = nn_team_create();
    double one[64], two[64];
    run(team, 1); run(team, 2);
    int onlyOne = argc > 2 && strcmp(argv[2], "one") == 0;
    for (int k = 0; k < rounds; k++) { one[k] = run(team, 1); two[k] = onlyOne ? 0 : run(team, 2); }
    qsort(one, rounds, 8, ascending); qsort(two, rounds, 8, ascending);
    if (onlyOne) printf("one thread %.1f us (median of %d rounds of %d steps)\n", one[rounds / 2] * 1e6, rounds, STEPS);
    else printf("one thread %.1f us, two threads by units %.1f us (medians of %d rounds of %d steps)\n",
                one[rounds / 2] * 1e6, two[rounds / 2] * 1e6, rounds, STEPS);
    nn_team_destroy(team);
    return 0;
}

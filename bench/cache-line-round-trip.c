// How long one cache line takes to go from one CPU to another and back: two threads,
// pinned to the first two CPUs this process may use, pass a counter back and forth through
// one 64-byte line, 20,000 round trips a batch. Prints the median of 9 batches, in ns:
//
//     round trip 84 ns
//
// bench/compare runs it before and after its measurements. nnrun's two threads hand work
// and data over through such transfers, and on a virtual machine their cost moves: on this
// project's 2-vCPU machine, 80 to 90 ns in fast moments and 350 to 360 ns in slow ones, when
// w3 on two threads became slower than on one (Docs/performance.md, "Where round 2
// stands"). Exit status 2 when fewer than two CPUs are available.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { TRIPS = 20000, BATCHES = 9 };

static _Alignas(64) atomic_long counter;
static int cpus[2];

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/// The second thread: answers each odd value with the next even one.
static void *answer(void *unused) {
    (void)unused;
    pin(cpus[1]);
    for (long trip = 0; trip < (long)TRIPS * BATCHES; trip++) {
        while (atomic_load_explicit(&counter, memory_order_acquire) != 2 * trip + 1) {}
        atomic_store_explicit(&counter, 2 * trip + 2, memory_order_release);
    }
    return NULL;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 2;
    int found = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && found < 2; cpu++)
        if (CPU_ISSET(cpu, &allowed)) cpus[found++] = cpu;
    if (found < 2) {
        fprintf(stderr, "fewer than two CPUs available\n");
        return 2;
    }
    pthread_t other;
    if (pthread_create(&other, NULL, answer, NULL) != 0) return 2;
    pin(cpus[0]);
    double batch[BATCHES];
    long trip = 0;
    for (int b = 0; b < BATCHES; b++) {
        double start = seconds();
        for (int i = 0; i < TRIPS; i++, trip++) {
            atomic_store_explicit(&counter, 2 * trip + 1, memory_order_release);
            while (atomic_load_explicit(&counter, memory_order_acquire) != 2 * trip + 2) {}
        }
        batch[b] = (seconds() - start) / TRIPS;
    }
    pthread_join(other, NULL);
    qsort(batch, BATCHES, sizeof batch[0], ascending);
    printf("round trip %.0f ns\n", batch[BATCHES / 2] * 1e9);
    return 0;
}

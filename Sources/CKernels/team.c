// A team of two threads for one run: the caller and one worker that waits for work by
// spinning for a while before it sleeps. Handing work to a thread that is already awake
// costs well under a microsecond; waking a sleeping one (what a thread pool's queue does)
// costs tens of microseconds, more than a small product or an optimizer update takes.
// The spinning is bounded, so an idle team costs nothing after a moment.
#define _GNU_SOURCE
#pragma STDC FP_CONTRACT OFF   // no floating point here; every CKernels file says it (LibmFreedomTests)
#include "CKernels.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NN_PAUSE() _mm_pause()
#else
#define NN_PAUSE() ((void)0)
#endif

/// Spins of the worker before it sleeps: with a pause of about 40 ns on current x86 cores,
/// about 80 microseconds, longer than the gaps between the parallel parts of a step.
enum { SPINS = 2000 };

/// A pause, and every 64th time a yield: should the two threads share one CPU (a process
/// confined to one by `taskset` or a cgroup), the one that spins lets the other run instead
/// of burning its time slice.
static void pause_or_yield(int spins) {
    NN_PAUSE();
    if ((spins & 63) == 0) sched_yield();
}

struct nn_team {
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    _Atomic unsigned long posted;    // generation of the last task handed out
    _Atomic unsigned long finished;  // generation the worker finished last
    _Atomic int sleeping;
    _Atomic int stopping;
    nn_task task;
    void *context;
};

static void *work(void *argument) {
    struct nn_team *team = argument;
    unsigned long seen = 0;
    for (;;) {
        unsigned long now;
        int spins = 0;
        while ((now = atomic_load(&team->posted)) == seen) {
            if (atomic_load(&team->stopping)) return NULL;
            if (++spins < SPINS) { pause_or_yield(spins); continue; }
            pthread_mutex_lock(&team->lock);
            atomic_store(&team->sleeping, 1);
            while (atomic_load(&team->posted) == seen && !atomic_load(&team->stopping))
                pthread_cond_wait(&team->wake, &team->lock);
            atomic_store(&team->sleeping, 0);
            pthread_mutex_unlock(&team->lock);
            spins = 0;
        }
        seen = now;
        team->task(team->context, 1);
        atomic_store(&team->finished, now);
    }
}

nn_team *nn_team_create(void) {
    struct nn_team *team = calloc(1, sizeof *team);
    if (team == NULL) return NULL;
    pthread_mutex_init(&team->lock, NULL);
    pthread_cond_init(&team->wake, NULL);
    return team;
}

void nn_team_destroy(nn_team *team) {
    if (team == NULL) return;
    if (team->started) {
        pthread_mutex_lock(&team->lock);
        atomic_store(&team->stopping, 1);
        pthread_cond_signal(&team->wake);
        pthread_mutex_unlock(&team->lock);
        pthread_join(team->thread, NULL);
    }
    pthread_cond_destroy(&team->wake);
    pthread_mutex_destroy(&team->lock);
    free(team);
}

void nn_team_run(nn_team *team, nn_task task, void *context) {
    if (team != NULL && !team->started) {
        team->started = pthread_create(&team->thread, NULL, work, team) == 0;
    }
    if (team == NULL || !team->started) {  // no second thread: both parts here, in order
        task(context, 0);
        task(context, 1);
        return;
    }
    team->task = task;
    team->context = context;
    // Sequentially consistent: either the worker sees the new generation before it sleeps,
    // or this thread sees it sleeping and wakes it.
    unsigned long generation = atomic_load(&team->posted) + 1;
    atomic_store(&team->posted, generation);
    if (atomic_load(&team->sleeping)) {
        pthread_mutex_lock(&team->lock);
        pthread_cond_signal(&team->wake);
        pthread_mutex_unlock(&team->lock);
    }
    task(context, 0);
    for (int spins = 1; atomic_load(&team->finished) != generation; spins++) pause_or_yield(spins);
}

int nn_available_cpus(void) {
#if defined(__linux__)
    // The affinity mask, so that `taskset -c 0 nnrun ...` gets one thread.
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    int count = CPU_COUNT(&set);
#else
    // No affinity masks elsewhere (Darwin): the CPUs online.
    long count = sysconf(_SC_NPROCESSORS_ONLN);
#endif
    return count > 0 ? (int)count : 1;
}

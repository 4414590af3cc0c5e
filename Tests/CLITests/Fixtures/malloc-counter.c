/* Counts malloc calls of a process (LD_PRELOAD) and prints the count at exit: used to
   check that the training step loop allocates nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static unsigned long calls;
static void *(*real_malloc)(size_t);
void *malloc(size_t n) {
    if (!real_malloc) real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    return real_malloc(n);
}
__attribute__((destructor)) static void report(void) {
    char text[64];
    int len = snprintf(text, sizeof text, "malloc calls: %lu\n", calls);
    write(2, text, len);
}

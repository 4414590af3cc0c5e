// Which kernels this CPU and OS can run: the instruction sets in CPUID, and the vector
// registers' state enabled by the OS in XCR0 (a CPU may have AVX-512 that the OS does not
// save on a context switch).
#pragma STDC FP_CONTRACT OFF   // no floating point here; every CKernels file says it (LibmFreedomTests)
#include "CKernels.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>

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

/// AVX-512 Foundation (which includes FMA on 512-bit vectors), with the opmask and upper
/// ZMM state enabled by the OS (XCR0 bits 5 to 7); asked only once AVX2 and FMA3 are known.
static int cpu_has_avx512f(void) {
    unsigned eax, ebx, ecx, edx;
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 0xE6u) != 0xE6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 16)) != 0;  // AVX512F
}

/// The best kernel, found once: CPUID traps to the hypervisor in a virtual machine (several
/// microseconds a query here), the answer cannot change while the process runs, and the
/// choice is asked for several times while a command's arguments are parsed. A race only
/// stores the same value twice.
nn_kernel nn_kernel_best(void) {
    static int state;   // 0 not yet known, else the kernel + 1
    int known = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (known == 0) {
        nn_kernel best = !cpu_has_avx2_fma() ? NN_KERNEL_GENERIC : cpu_has_avx512f() ? NN_KERNEL_AVX512 : NN_KERNEL_AVX2;
        known = (int)best + 1;
        __atomic_store_n(&state, known, __ATOMIC_RELAXED);
    }
    return (nn_kernel)(known - 1);
}

/// The kernels are ordered, each one's instructions including those below it (AVX-512 is
/// only chosen on top of AVX2 and FMA3), so the best kernel answers for all of them.
int nn_kernel_available(nn_kernel kernel) { return kernel <= nn_kernel_best(); }

#else

nn_kernel nn_kernel_best(void) { return NN_KERNEL_GENERIC; }

int nn_kernel_available(nn_kernel kernel) { return kernel == NN_KERNEL_GENERIC; }

#endif

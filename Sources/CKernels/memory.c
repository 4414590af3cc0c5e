#pragma STDC FP_CONTRACT OFF   // no floating point here; every CKernels file says it (LibmFreedomTests)
#include "CKernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void nn_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

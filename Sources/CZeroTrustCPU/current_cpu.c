// The CPU the calling thread is running on, for choosing a per-CPU stripe of a shared pool so that
// threads on different cores touch different cache lines. Only a hint: the thread may move at any
// time, and callers must stay correct whatever it returns.
#define _GNU_SOURCE
#include "CZeroTrustCPU.h"
#include <sched.h>

unsigned int zt_current_cpu(void) {
#if defined(__linux__)
    int cpu = sched_getcpu();
    return cpu < 0 ? 0u : (unsigned int)cpu;
#else
    return 0u;
#endif
}

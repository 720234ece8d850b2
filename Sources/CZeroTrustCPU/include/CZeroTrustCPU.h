// Which CPU the calling thread runs on, for per-CPU copies of state that every core uses on hot
// paths (ZeroTrustCPULocal). Kept apart from the OpenSSL shims so that modules without crypto
// (the policy engine) can use it.
#ifndef CZEROTRUST_CPU_H
#define CZEROTRUST_CPU_H

#ifdef __cplusplus
extern "C" {
#endif

/// The CPU the calling thread runs on (sched_getcpu), 0 when unknown: a hint for picking a
/// per-CPU copy. The thread may move at any time.
unsigned int zt_current_cpu(void);

#ifdef __cplusplus
}
#endif

#endif

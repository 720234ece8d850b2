// The baseline IdentityBenchmarks compares ChainVerifier with: OpenSSL's X509_verify_cert called
// directly from C, configured like ChainVerifier (X509_STRICT, purpose, time, depth), without
// any of ChainVerifier's extra checks. Benchmarks only; not part of ZeroTrustKit.
#ifndef IDENTITY_BASELINE_H
#define IDENTITY_BASELINE_H
#include <stddef.h>
#include <stdint.h>

typedef struct identity_baseline_chain identity_baseline_chain;

/// Parses DER root, intermediate and leaf; NULL when any fails to parse.
identity_baseline_chain *identity_baseline_chain_new(const void *root, size_t root_len,
                                                     const void *intermediate, size_t intermediate_len,
                                                     const void *leaf, size_t leaf_len, int64_t time);
/// One verification: X509_STORE_CTX_new, init, parameters, X509_verify_cert, free. 1 when valid.
int identity_baseline_chain_verify(const identity_baseline_chain *chain);
void identity_baseline_chain_free(identity_baseline_chain *chain);
#endif

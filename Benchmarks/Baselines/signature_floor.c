// Where the time goes in one ZeroTrustKit-style signature: EVP_PKEY_sign alone (what `openssl
// speed` loops over) versus a fresh EVP_PKEY_CTX per call, hashing, padding setup and DER work.
// Build: cc -O2 -o signature_floor signature_floor.c -lcrypto; run: ./signature_floor SECONDS
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
#define RUN(label, body) do { long n = 0; double s0 = now(), el; \
    do { for (int i = 0; i < 64; i++) { body; } n += 64; el = now() - s0; } while (el < seconds); \
    printf("%-62s %10.0f ops/s %9.0f ns/op\n", label, n / el, el / n * 1e9); } while (0)
int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    unsigned char msg[32] = {1}, dg[32], sig[512], scratch[512]; size_t sl; unsigned int dl;
    const EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
    RUN("ERR_clear_error", ERR_clear_error());
    RUN("ERR_peek_error", (void)ERR_peek_error());
    RUN("EVP_Digest SHA-256 of 32 bytes", EVP_Digest(msg, 32, dg, &dl, sha256, NULL));
    EVP_PKEY *keys[2] = {EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)};
    const char *names[2] = {"P-256", "RSA-2048 PKCS#1"};
    char label[128];
    for (int k = 0; k < 2; k++) {
        EVP_PKEY *key = keys[k]; int rsa = k == 1;
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
        EVP_PKEY_sign_init(ctx);
        if (rsa) { EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(ctx, sha256); }
        snprintf(label, sizeof label, "%s sign: EVP_PKEY_sign only (reused ctx)", names[k]);
        RUN(label, { sl = sizeof scratch; EVP_PKEY_sign(ctx, scratch, &sl, dg, 32); });
        size_t siglen = sizeof sig; EVP_PKEY_sign(ctx, sig, &siglen, dg, 32);
        snprintf(label, sizeof label, "%s sign: new ctx + sign_init%s + sign + free", names[k], rsa ? " + padding/md" : "");
        RUN(label, {
            EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL); EVP_PKEY_sign_init(c);
            if (rsa) { EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(c, sha256); }
            sl = sizeof scratch; EVP_PKEY_sign(c, scratch, &sl, dg, 32); EVP_PKEY_CTX_free(c); });
        snprintf(label, sizeof label, "%s: new ctx + sign_init + free (no signing)", names[k]);
        RUN(label, { EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL); EVP_PKEY_sign_init(c); EVP_PKEY_CTX_free(c); });
        if (rsa) {
            RUN("RSA: set_rsa_padding + set_signature_md on a ctx", {
                EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(ctx, sha256); });
        }
        EVP_PKEY_CTX *v = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
        EVP_PKEY_verify_init(v);
        if (rsa) { EVP_PKEY_CTX_set_rsa_padding(v, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(v, sha256); }
        snprintf(label, sizeof label, "%s verify: EVP_PKEY_verify only (reused ctx)", names[k]);
        RUN(label, { if (EVP_PKEY_verify(v, sig, siglen, dg, 32) != 1) abort(); });
        snprintf(label, sizeof label, "%s verify: new ctx + verify_init%s + verify + free", names[k], rsa ? " + padding/md" : "");
        RUN(label, {
            EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL); EVP_PKEY_verify_init(c);
            if (rsa) { EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(c, sha256); }
            if (EVP_PKEY_verify(c, sig, siglen, dg, 32) != 1) abort(); EVP_PKEY_CTX_free(c); });
        if (!rsa) {
            RUN("P-256: DER sig -> ECDSA_SIG -> DER (parse + canonical re-encode)", {
                const unsigned char *p = sig; ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, siglen);
                unsigned char *o = NULL; int l = i2d_ECDSA_SIG(s, &o); OPENSSL_free(o); ECDSA_SIG_free(s); (void)l; });
        }
        EVP_PKEY_CTX_free(ctx); EVP_PKEY_CTX_free(v);
    }
    return 0;
}

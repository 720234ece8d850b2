// C floor for ZeroTrustKit's crypto benchmarks: the same OpenSSL/libsodium call sequence the Swift
// wrappers make, without Swift, one message at a time (see README.md).
// Build: cc -O2 -o aead_hmac_floor aead_hmac_floor.c -lcrypto -lsodium; run: ./aead_hmac_floor SECONDS
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static unsigned char key[32], iv[24], aad[13], tag[16];
static volatile int sink;
#define RUN(label, size, body) do { \
    long n = 0; double start = now(), el; \
    do { for (int i = 0; i < 256; i++) { body; } n += 256; el = now() - start; } while (el < seconds); \
    printf("%-44s %8zu B %12.0f ops/s %8.1f ns/op %9.1f MB/s\n", label, (size_t)(size), n / el, el / n * 1e9, (double)(size) * n / el / 1e6); \
} while (0)

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    if (sodium_init() < 0) return 1;
    size_t sizes[] = {64, 1024, 16384, 1048576};
    unsigned char *buf = malloc(1048576), *out = malloc(1048576);
    memset(buf, 7, 1048576);
    const char *names[] = {"AES-256-GCM", "ChaCha20-Poly1305"};
    for (int c = 0; c < 2; c++) {
        EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, names[c], NULL);
        EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new(), *d = EVP_CIPHER_CTX_new();
        EVP_EncryptInit_ex(e, cipher, NULL, key, NULL);
        EVP_DecryptInit_ex(d, cipher, NULL, key, NULL);
        for (int s = 0; s < 4; s++) {
            int len = (int)sizes[s], outl; char label[96];
            // 1. what AEADEngine.evpSeal does per message
            snprintf(label, sizeof label, "%s seal (AEADEngine sequence)", names[c]);
            RUN(label, len, {
                ERR_clear_error();
                EVP_EncryptInit_ex(e, NULL, NULL, NULL, iv);
                EVP_EncryptUpdate(e, NULL, &outl, aad, sizeof aad);
                EVP_EncryptUpdate(e, buf, &outl, buf, len);
                EVP_EncryptFinal_ex(e, out, &outl);
                EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_AEAD_GET_TAG, 16, tag);
            });
            // 2. what `openssl speed -evp` does: only EVP_EncryptUpdate over the buffer
            snprintf(label, sizeof label, "%s EVP_EncryptUpdate only", names[c]);
            EVP_EncryptInit_ex(e, NULL, NULL, NULL, iv);
            RUN(label, len, { EVP_EncryptUpdate(e, buf, &outl, buf, len); });
            // 3. open, as AEADEngine.evpOpen (with a valid tag)
            EVP_EncryptInit_ex(e, NULL, NULL, NULL, iv);
            EVP_EncryptUpdate(e, NULL, &outl, aad, sizeof aad);
            memcpy(out, buf, len);
            EVP_EncryptUpdate(e, out, &outl, out, len);
            EVP_EncryptFinal_ex(e, tag, &outl);
            EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_AEAD_GET_TAG, 16, tag);
            unsigned char *plain = malloc(len);
            snprintf(label, sizeof label, "%s open (AEADEngine sequence)", names[c]);
            int ok = 1;
            RUN(label, len, {
                ERR_clear_error();
                EVP_DecryptInit_ex(d, NULL, NULL, NULL, iv);
                EVP_CIPHER_CTX_ctrl(d, EVP_CTRL_AEAD_SET_TAG, 16, tag);
                EVP_DecryptUpdate(d, NULL, &outl, aad, sizeof aad);
                EVP_DecryptUpdate(d, plain, &outl, out, len);
                ok &= EVP_DecryptFinal_ex(d, plain, &outl);
            });
            if (!ok) printf("  (open FAILED)\n");
            free(plain);
        }
        EVP_CIPHER_CTX_free(e); EVP_CIPHER_CTX_free(d); EVP_CIPHER_free(cipher);
    }
    // XChaCha20-Poly1305 through libsodium, as AEADEngine.sodiumSeal/sodiumOpen
    for (int s = 0; s < 4; s++) {
        size_t len = sizes[s];
        RUN("XChaCha20-Poly1305 seal (libsodium detached)", len, {
            crypto_aead_xchacha20poly1305_ietf_encrypt_detached(buf, tag, NULL, buf, len, aad, sizeof aad, NULL, iv, key);
        });
        crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, tag, NULL, buf, len, aad, sizeof aad, NULL, iv, key);
        unsigned char *plain = malloc(len); int bad = 0;
        RUN("XChaCha20-Poly1305 open (libsodium detached)", len, {
            bad |= crypto_aead_xchacha20poly1305_ietf_decrypt_detached(plain, NULL, out, len, tag, aad, sizeof aad, iv, key);
        });
        if (bad) printf("  (open FAILED)\n");
        free(plain);
    }
    // HMAC-SHA256 through EVP_MAC, as HMACContext.authenticate (and as `openssl speed -hmac`)
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *m = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA2-256", 0), OSSL_PARAM_construct_end()};
    EVP_MAC_init(m, key, 32, params);
    size_t hsizes[] = {64, 1024};
    unsigned char mout[32]; size_t mlen;
    for (int s = 0; s < 2; s++) {
        size_t len = hsizes[s];
        RUN("HMAC-SHA256 (ERR_clear + init/update/final)", len, {
            ERR_clear_error();
            EVP_MAC_init(m, NULL, 0, NULL);
            EVP_MAC_update(m, buf, len);
            EVP_MAC_final(m, mout, &mlen, sizeof mout);
        });
        RUN("HMAC-SHA256 (init/update/final only)", len, {
            EVP_MAC_init(m, NULL, 0, NULL);
            EVP_MAC_update(m, buf, len);
            EVP_MAC_final(m, mout, &mlen, sizeof mout);
        });
    }
    RUN("ERR_clear_error alone", 0, { ERR_clear_error(); });
    sink = mout[0] + out[0] + tag[0];
    return 0;
}

#include "IdentityBaseline.h"
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

struct identity_baseline_chain {
    X509_STORE *store;
    X509 *leaf;
    STACK_OF(X509) *untrusted;
    time_t time;
};

static X509 *parse(const void *der, size_t len) {
    const unsigned char *cursor = der;
    return d2i_X509(NULL, &cursor, (long)len);
}

identity_baseline_chain *identity_baseline_chain_new(const void *root, size_t root_len,
                                                     const void *intermediate, size_t intermediate_len,
                                                     const void *leaf, size_t leaf_len, int64_t time) {
    identity_baseline_chain *chain = OPENSSL_zalloc(sizeof(*chain));
    X509 *root_cert = parse(root, root_len);
    X509 *intermediate_cert = parse(intermediate, intermediate_len);
    if (chain == NULL || root_cert == NULL || intermediate_cert == NULL) goto fail;
    chain->leaf = parse(leaf, leaf_len);
    chain->store = X509_STORE_new();
    chain->untrusted = sk_X509_new_null();
    if (chain->leaf == NULL || chain->store == NULL || chain->untrusted == NULL) goto fail;
    if (!X509_STORE_add_cert(chain->store, root_cert)) goto fail;
    if (sk_X509_push(chain->untrusted, intermediate_cert) <= 0) goto fail;
    intermediate_cert = NULL;
    X509_free(root_cert);
    chain->time = (time_t)time;
    return chain;
fail:
    X509_free(root_cert);
    X509_free(intermediate_cert);
    identity_baseline_chain_free(chain);
    return NULL;
}

int identity_baseline_chain_verify(const identity_baseline_chain *chain) {
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (ctx == NULL) return 0;
    int ok = 0;
    if (X509_STORE_CTX_init(ctx, chain->store, chain->leaf, chain->untrusted)) {
        X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
        X509_VERIFY_PARAM_set_time(param, chain->time);
        X509_VERIFY_PARAM_set_depth(param, 4);
        X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_CLIENT);
        ok = X509_verify_cert(ctx) == 1;
    }
    X509_STORE_CTX_free(ctx);
    return ok;
}

void identity_baseline_chain_free(identity_baseline_chain *chain) {
    if (chain == NULL) return;
    X509_STORE_free(chain->store);
    X509_free(chain->leaf);
    sk_X509_pop_free(chain->untrusted, X509_free);
    OPENSSL_free(chain);
}

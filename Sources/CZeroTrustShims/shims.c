#define OPENSSL_NO_DEPRECATED 1
#define OPENSSL_API_COMPAT 30000
#include "CZeroTrustShims.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static EVP_MD *md_sha256, *md_sha384, *md_sha512;
static EVP_CIPHER *cipher_aes_256_gcm, *cipher_chacha20_poly1305;
static EVP_MAC *mac_hmac;

static void fetch_all(void) {
    // Fetched objects live for the whole process: OpenSSL keeps them reference counted and
    // immutable, so sharing them between threads is safe.
    md_sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
    md_sha384 = EVP_MD_fetch(NULL, "SHA2-384", NULL);
    md_sha512 = EVP_MD_fetch(NULL, "SHA2-512", NULL);
    cipher_aes_256_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    cipher_chacha20_poly1305 = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
    mac_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

const EVP_MD *zt_md_sha256(void) { pthread_once(&fetch_once, fetch_all); return md_sha256; }
const EVP_MD *zt_md_sha384(void) { pthread_once(&fetch_once, fetch_all); return md_sha384; }
const EVP_MD *zt_md_sha512(void) { pthread_once(&fetch_once, fetch_all); return md_sha512; }
const EVP_CIPHER *zt_cipher_aes_256_gcm(void) {
    pthread_once(&fetch_once, fetch_all);
    return cipher_aes_256_gcm;
}
const EVP_CIPHER *zt_cipher_chacha20_poly1305(void) {
    pthread_once(&fetch_once, fetch_all);
    return cipher_chacha20_poly1305;
}
EVP_MAC *zt_mac_hmac(void) { pthread_once(&fetch_once, fetch_all); return mac_hmac; }

void zt_openssl_free(void *ptr) { OPENSSL_free(ptr); }

long zt_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

int zt_hmac_init(EVP_MAC_CTX *ctx, const void *key, size_t key_len, const char *digest_name) {
    if (digest_name == NULL) {
        return EVP_MAC_init(ctx, key, key_len, NULL);
    }
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest_name, 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_init(ctx, key, key_len, params);
}

int zt_hkdf(const char *digest_name, int mode,
            const void *key, size_t key_len,
            const void *salt, size_t salt_len,
            const void *info, size_t info_len,
            void *out, size_t out_len) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    if (kdf == NULL) return 0;
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (ctx == NULL) return 0;
    OSSL_PARAM params[6];
    size_t n = 0;
    static const unsigned char empty[1] = {0};
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)digest_name, 0);
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                    key_len ? (void *)key : (void *)empty, key_len);
    if (salt != NULL && salt_len > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len);
    }
    if (info != NULL && info_len > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len);
    }
    params[n] = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(ctx, out, out_len, params);
    EVP_KDF_CTX_free(ctx);
    return ok;
}

EVP_PKEY *zt_ec_generate(const char *group) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
}

EVP_PKEY *zt_rsa_generate(unsigned int bits) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM *params, int selection) {
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx == NULL) return NULL;
    if (EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/// EVP_PKEY_fromdata does not check that a point is on the curve; EVP_PKEY_public_check does.
static EVP_PKEY *checked(EVP_PKEY *pkey, int private_key) {
    if (pkey == NULL) return NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = ctx != NULL && (private_key ? EVP_PKEY_pairwise_check(ctx) : EVP_PKEY_public_check(ctx)) > 0;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

EVP_PKEY *zt_ec_public_from_point(const char *group, const void *point, size_t point_len) {
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, point_len);
    params[2] = OSSL_PARAM_construct_end();
    return checked(pkey_from_params("EC", params, EVP_PKEY_PUBLIC_KEY), 0);
}

EVP_PKEY *zt_ec_private_from_scalar(const char *group, const void *scalar, size_t scalar_len) {
    EVP_PKEY *result = NULL;
    EC_GROUP *ec_group = NULL;
    EC_POINT *pub = NULL;
    BIGNUM *priv = NULL;
    unsigned char *pub_bytes = NULL;
    size_t pub_len = 0;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;

    int nid = OBJ_sn2nid(strcmp(group, "P-256") == 0 ? "prime256v1" : "secp384r1");
    ec_group = EC_GROUP_new_by_curve_name(nid);
    priv = BN_secure_new();
    if (ec_group == NULL || priv == NULL || BN_bin2bn(scalar, (int)scalar_len, priv) == NULL) goto done;
    if (BN_is_zero(priv) || BN_cmp(priv, EC_GROUP_get0_order(ec_group)) >= 0) goto done;
    pub = EC_POINT_new(ec_group);
    if (pub == NULL || !EC_POINT_mul(ec_group, pub, priv, NULL, NULL, NULL)) goto done;
    pub_len = EC_POINT_point2buf(ec_group, pub, POINT_CONVERSION_UNCOMPRESSED, &pub_bytes, NULL);
    if (pub_len == 0) goto done;
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL
        || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0)
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)
        || !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_bytes, pub_len)) goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) goto done;
    result = checked(pkey_from_params("EC", params, EVP_PKEY_KEYPAIR), 1);
done:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    OPENSSL_free(pub_bytes);
    EC_POINT_free(pub);
    BN_clear_free(priv);
    EC_GROUP_free(ec_group);
    return result;
}

EVP_PKEY *zt_rsa_from_components(const void *n, size_t n_len, const void *e, size_t e_len,
                                 const void *d, size_t d_len,
                                 const void *p, size_t p_len, const void *q, size_t q_len,
                                 const void *dp, size_t dp_len, const void *dq, size_t dq_len,
                                 const void *qi, size_t qi_len) {
    const void *values[8] = {n, e, d, p, q, dp, dq, qi};
    const size_t lengths[8] = {n_len, e_len, d_len, p_len, q_len, dp_len, dq_len, qi_len};
    const char *names[8] = {
        OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
        OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
        OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
        OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
    };
    int is_private = d != NULL;
    size_t count = is_private ? 8 : 2;
    BIGNUM *bns[8] = {0};
    EVP_PKEY *result = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    if (bld == NULL) return NULL;
    for (size_t i = 0; i < count; i++) {
        if (values[i] == NULL || lengths[i] == 0) goto done;
        bns[i] = i < 2 ? BN_new() : BN_secure_new();
        if (bns[i] == NULL || BN_bin2bn(values[i], (int)lengths[i], bns[i]) == NULL) goto done;
        if (!OSSL_PARAM_BLD_push_BN(bld, names[i], bns[i])) goto done;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) goto done;
    result = pkey_from_params("RSA", params, is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
    if (is_private) result = checked(result, 1);
done:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    for (size_t i = 0; i < 8; i++) BN_clear_free(bns[i]);
    return result;
}

int zt_pkey_get_bn_param(const EVP_PKEY *pkey, const char *name, void *out, size_t out_cap,
                         size_t pad_to) {
    BIGNUM *bn = NULL;
    if (!EVP_PKEY_get_bn_param(pkey, name, &bn) || bn == NULL) return -1;
    int needed = BN_num_bytes(bn);
    if ((size_t)needed < pad_to) needed = (int)pad_to;
    int written = needed;
    if (out != NULL) {
        if ((size_t)needed > out_cap || BN_bn2binpad(bn, out, needed) != needed) written = -1;
    }
    BN_clear_free(bn);
    return written;
}

// MARK: X.509

STACK_OF(X509) *zt_sk_x509_new(void) { return sk_X509_new_null(); }
int zt_sk_x509_push_ref(STACK_OF(X509) *stack, X509 *cert) {
    if (!X509_up_ref(cert)) return 0;
    if (sk_X509_push(stack, cert) <= 0) {
        X509_free(cert);
        return 0;
    }
    return 1;
}
int zt_sk_x509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
X509 *zt_sk_x509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
void zt_sk_x509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

STACK_OF(X509_CRL) *zt_sk_x509_crl_new(void) { return sk_X509_CRL_new_null(); }
int zt_sk_x509_crl_push_ref(STACK_OF(X509_CRL) *stack, X509_CRL *crl) {
    if (!X509_CRL_up_ref(crl)) return 0;
    if (sk_X509_CRL_push(stack, crl) <= 0) {
        X509_CRL_free(crl);
        return 0;
    }
    return 1;
}
void zt_sk_x509_crl_pop_free(STACK_OF(X509_CRL) *stack) { sk_X509_CRL_pop_free(stack, X509_CRL_free); }

GENERAL_NAMES *zt_x509_get_sans(const X509 *cert) {
    return X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
}
int zt_general_names_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
int zt_general_name_get(const GENERAL_NAMES *names, int index,
                        const unsigned char **data, int *len, const X509_NAME **name,
                        char *oid, int oid_len) {
    const GENERAL_NAME *entry = sk_GENERAL_NAME_value(names, index);
    if (entry == NULL) return -1;
    *data = NULL;
    *len = 0;
    *name = NULL;
    if (oid_len > 0) oid[0] = 0;
    switch (entry->type) {
    case GEN_EMAIL: case GEN_DNS: case GEN_URI: case GEN_IPADD: {
        const ASN1_STRING *value = entry->d.ia5;  // the union's string members share one layout
        *data = ASN1_STRING_get0_data(value);
        *len = ASN1_STRING_length(value);
        break;
    }
    case GEN_DIRNAME:
        *name = entry->d.directoryName;
        break;
    case GEN_OTHERNAME:
        OBJ_obj2txt(oid, oid_len, entry->d.otherName->type_id, 1);
        break;
    case GEN_RID:
        OBJ_obj2txt(oid, oid_len, entry->d.registeredID, 1);
        break;
    default:
        break;
    }
    return entry->type;
}
void zt_general_names_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }

EXTENDED_KEY_USAGE *zt_x509_get_eku(const X509 *cert) {
    return X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
}
int zt_eku_num(const EXTENDED_KEY_USAGE *eku) { return sk_ASN1_OBJECT_num(eku); }
int zt_eku_oid(const EXTENDED_KEY_USAGE *eku, int index, char *buf, int buf_len) {
    const ASN1_OBJECT *object = sk_ASN1_OBJECT_value(eku, index);
    if (object == NULL) return -1;
    return OBJ_obj2txt(buf, buf_len, object, 1);
}
void zt_eku_free(EXTENDED_KEY_USAGE *eku) { EXTENDED_KEY_USAGE_free(eku); }

int zt_x509_add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

int zt_x509_crl_add_ext(X509_CRL *crl, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, NULL, NULL, crl, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_CRL_add_ext(crl, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

unsigned long zt_xn_flags_rfc2253_utf8(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }

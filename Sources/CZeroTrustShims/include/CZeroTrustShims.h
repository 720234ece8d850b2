// Forwarding functions for what Swift cannot call directly in OpenSSL 3: function-like macros,
// variadic functions and OSSL_PARAM arrays (whose OSSL_PARAM_END terminator is a macro).
// Every function here only forwards or assembles parameters; no cryptographic logic lives here.
#ifndef CZEROTRUST_SHIMS_H
#define CZEROTRUST_SHIMS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evp_md_st ZT_EVP_MD;
typedef struct evp_cipher_st ZT_EVP_CIPHER;
typedef struct evp_mac_st ZT_EVP_MAC;
typedef struct evp_mac_ctx_st ZT_EVP_MAC_CTX;
typedef struct evp_pkey_st ZT_EVP_PKEY;
typedef struct bio_st ZT_BIO;

/// Algorithms fetched once per process. OpenSSL 3 fetches implicitly on every init when given
/// EVP_sha256() and friends, which costs a lock and a lookup per call on hot paths.
/// Return NULL only when the provider lacks the algorithm.
const ZT_EVP_MD *zt_md_sha256(void);
const ZT_EVP_MD *zt_md_sha384(void);
const ZT_EVP_MD *zt_md_sha512(void);
const ZT_EVP_CIPHER *zt_cipher_aes_256_gcm(void);
const ZT_EVP_CIPHER *zt_cipher_chacha20_poly1305(void);
ZT_EVP_MAC *zt_mac_hmac(void);

/// OPENSSL_free is a macro.
void zt_openssl_free(void *ptr);

/// BIO_get_mem_data is a macro. Returns the length and sets *data.
long zt_bio_get_mem_data(ZT_BIO *bio, char **data);

/// EVP_MAC_init with the HMAC digest name as an OSSL_PARAM. key may be NULL to reuse the key.
int zt_hmac_init(ZT_EVP_MAC_CTX *ctx, const void *key, size_t key_len, const char *digest_name);

/// HKDF through EVP_KDF. mode: 0 extract-and-expand, 1 extract only, 2 expand only
/// (EVP_KDF_HKDF_MODE_*). salt may be NULL (RFC 5869: HashLen zero bytes).
int zt_hkdf(const char *digest_name, int mode,
            const void *key, size_t key_len,
            const void *salt, size_t salt_len,
            const void *info, size_t info_len,
            void *out, size_t out_len);

/// EVP_PKEY_Q_keygen is variadic. group: "P-256" or "P-384".
ZT_EVP_PKEY *zt_ec_generate(const char *group);
/// RSA key generation with public exponent 65537.
ZT_EVP_PKEY *zt_rsa_generate(unsigned int bits);

/// EC public key from an uncompressed or compressed SEC1 point; NULL when the point is invalid.
ZT_EVP_PKEY *zt_ec_public_from_point(const char *group, const void *point, size_t point_len);
/// EC private key from a big-endian scalar; the public point is computed from it.
/// Returns NULL when the scalar is zero or not below the group order.
ZT_EVP_PKEY *zt_ec_private_from_scalar(const char *group, const void *scalar, size_t scalar_len);

/// RSA key from big-endian components. The private components may all be NULL for a public key;
/// for a private key d, p, q, dp, dq and qi are all required.
ZT_EVP_PKEY *zt_rsa_from_components(const void *n, size_t n_len, const void *e, size_t e_len,
                                    const void *d, size_t d_len,
                                    const void *p, size_t p_len, const void *q, size_t q_len,
                                    const void *dp, size_t dp_len, const void *dq, size_t dq_len,
                                    const void *qi, size_t qi_len);

/// Copies a big-number parameter of a key (e.g. "n", "e", "d", "priv") as big-endian bytes,
/// left-padded with zeros to pad_to when pad_to > 0. Returns the length written, or -1.
/// With out == NULL, returns the length needed. Temporary copies are cleared.
int zt_pkey_get_bn_param(const ZT_EVP_PKEY *pkey, const char *name, void *out, size_t out_cap,
                         size_t pad_to);


// MARK: X.509 (certificates, stores, CRLs). The sk_* stack functions are macros.

typedef struct x509_st ZT_X509;
typedef struct X509_crl_st ZT_X509_CRL;
typedef struct X509_name_st ZT_X509_NAME;
struct stack_st_X509;
struct stack_st_X509_CRL;
struct stack_st_GENERAL_NAME;
struct stack_st_ASN1_OBJECT;

struct stack_st_X509 *zt_sk_x509_new(void);
/// Pushes cert after taking a reference of its own, so that zt_sk_x509_pop_free balances it.
int zt_sk_x509_push_ref(struct stack_st_X509 *stack, ZT_X509 *cert);
int zt_sk_x509_num(const struct stack_st_X509 *stack);
ZT_X509 *zt_sk_x509_value(const struct stack_st_X509 *stack, int index);
void zt_sk_x509_pop_free(struct stack_st_X509 *stack);

struct stack_st_X509_CRL *zt_sk_x509_crl_new(void);
/// Pushes crl after taking a reference of its own.
int zt_sk_x509_crl_push_ref(struct stack_st_X509_CRL *stack, ZT_X509_CRL *crl);
void zt_sk_x509_crl_pop_free(struct stack_st_X509_CRL *stack);

/// The subjectAltName extension, or NULL when absent (check *critical / crit for decoding errors).
struct stack_st_GENERAL_NAME *zt_x509_get_sans(const ZT_X509 *cert);
int zt_general_names_num(const struct stack_st_GENERAL_NAME *names);
/// Type (GEN_*) of entry index. For GEN_EMAIL/GEN_DNS/GEN_URI/GEN_IPADD sets *data/*len to the
/// string's bytes; for GEN_DIRNAME sets *name; for GEN_OTHERNAME and GEN_RID writes the OID text.
int zt_general_name_get(const struct stack_st_GENERAL_NAME *names, int index,
                        const unsigned char **data, int *len, const ZT_X509_NAME **name,
                        char *oid, int oid_len);
void zt_general_names_free(struct stack_st_GENERAL_NAME *names);

/// The extendedKeyUsage extension, or NULL when absent.
struct stack_st_ASN1_OBJECT *zt_x509_get_eku(const ZT_X509 *cert);
int zt_eku_num(const struct stack_st_ASN1_OBJECT *eku);
/// Writes the dotted OID of entry index; returns its length or -1.
int zt_eku_oid(const struct stack_st_ASN1_OBJECT *eku, int index, char *buf, int buf_len);
void zt_eku_free(struct stack_st_ASN1_OBJECT *eku);

/// XN_FLAG_RFC2253 without ASN1_STRFLGS_ESC_MSB (UTF-8 stays UTF-8); the flag is a compound macro.
unsigned long zt_xn_flags_rfc2253_utf8(void);

/// Adds a v3 extension from its OpenSSL configuration text (e.g. "critical,CA:TRUE") to cert,
/// with issuer as the issuing certificate (cert itself when self-signed). X509V3_set_ctx_nodb
/// is a macro.
int zt_x509_add_ext(ZT_X509 *cert, ZT_X509 *issuer, int nid, const char *value);
/// The same for a CRL (authorityKeyIdentifier, crlNumber).
int zt_x509_crl_add_ext(ZT_X509_CRL *crl, ZT_X509 *issuer, int nid, const char *value);

/// Fills `output` with `count` CSPRNG bytes for a public identifier, from a per-thread buffer
/// refilled from the operating system 4 KiB at a time (identifier_random.c). Returns 0, or -1 when the
/// operating system's generator failed. Never for key material.
int zt_identifier_random(void *output, size_t count);

#ifdef __cplusplus
}
#endif
#endif

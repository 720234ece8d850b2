// The parts of OpenSSL 3's libcrypto that ZeroTrustCrypto calls. libssl is not needed.
#ifndef CZEROTRUST_OPENSSL_H
#define CZEROTRUST_OPENSSL_H
#define OPENSSL_NO_DEPRECATED 1
#define OPENSSL_API_COMPAT 30000
#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#endif

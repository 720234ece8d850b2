// libsodium: Ed25519, X25519, XChaCha20-Poly1305, BLAKE2b, secure memory and the OS RNG.
#ifndef CZEROTRUST_SODIUM_H
#define CZEROTRUST_SODIUM_H
#include <sodium.h>
#endif

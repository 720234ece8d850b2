// A buffer of CSPRNG output for public identifiers (token ids, audit event ids), so that most
// draws take no system call. One buffer per thread (thread-local), so concurrent draws share no
// lock or cache line. Consumed bytes are erased from the buffer at once, and a child process
// discards the buffer it inherited from the forking thread (pthread_atfork; the child has no other
// threads), so parent and child never hand out the same bytes. Key material never comes from
// here: it is drawn directly (SecureRandom).
#define _GNU_SOURCE
#include "CZeroTrustShims.h"
#include <pthread.h>
#include <string.h>
#include <errno.h>
#if defined(__APPLE__)
#include <stdlib.h>
#else
#include <sys/random.h>
#endif

#define ZT_POOL_SIZE 4096

static pthread_once_t zt_pool_once = PTHREAD_ONCE_INIT;
static __thread unsigned char zt_pool[ZT_POOL_SIZE];
static __thread size_t zt_pool_left = 0;

static void zt_pool_child(void) {
    memset(zt_pool, 0, sizeof zt_pool);
    zt_pool_left = 0;
}
static void zt_pool_register(void) { pthread_atfork(NULL, NULL, zt_pool_child); }

// Fills buffer from the operating system's CSPRNG; 0 on success.
static int zt_os_random(unsigned char *buffer, size_t count) {
#if defined(__APPLE__)
    arc4random_buf(buffer, count);
    return 0;
#else
    while (count > 0) {
        ssize_t got = getrandom(buffer, count, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buffer += got;
        count -= (size_t)got;
    }
    return 0;
#endif
}

int zt_identifier_random(void *output, size_t count) {
    if (count > 256) return zt_os_random(output, count);
    pthread_once(&zt_pool_once, zt_pool_register);
    if (zt_pool_left < count) {
        if (zt_os_random(zt_pool, sizeof zt_pool) != 0) {
            zt_pool_left = 0;
            return -1;
        }
        zt_pool_left = sizeof zt_pool;
    }
    unsigned char *next = zt_pool + (sizeof zt_pool - zt_pool_left);
    memcpy(output, next, count);
    memset(next, 0, count);
    zt_pool_left -= count;
    return 0;
}

/*
 * C baseline for AuditBenchmarks' chained append: the same work per event as ChainedLogWriter
 * with fsync every 1,000 events — format a ~475-byte JSON line (UUID, RFC 3339 time with
 * microseconds, the access event's fields), prefix it with the record number and previous hash,
 * HMAC-SHA256 it (OpenSSL, one keyed context reused), append the hash, buffer the line, write
 * the buffer at 64 KiB and fdatasync every 1,000 events.
 *
 * Build and run: see run-audit-baseline.sh.  Usage: audit_append [events] [keyed 1|0] [fsync-every, 0: never]
 * (fsync never leaves only the CPU work and the write(2) calls: the comparison that code changes move.)
 */
#define _GNU_SOURCE
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static void hex(const unsigned char *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) { out[2 * i] = digits[in[i] >> 4]; out[2 * i + 1] = digits[in[i] & 15]; }
    out[2 * n] = 0;
}

int main(int argc, char **argv) {
    long events = argc > 1 ? atol(argv[1]) : 1000000;
    int keyed = argc > 2 ? atoi(argv[2]) : 1;
    long syncEvery = argc > 3 ? atol(argv[3]) : 1000;
    char path[] = "/tmp/zt-audit-baseline-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); return 1; }

    unsigned char key[32];
    for (int i = 0; i < 32; i++) key[i] = (unsigned char)(i * 7 + 1);
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0), OSSL_PARAM_construct_end() };
    if (!EVP_MAC_init(ctx, key, sizeof key, params)) { fprintf(stderr, "EVP_MAC_init failed\n"); return 1; }
    EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);

    static char buffer[(64 + 4) * 1024];
    size_t used = 0;
    unsigned char head[32] = {0};
    char prev[65], line[1024], id[37], stamp[40];
    unsigned long long rng = 0x9E3779B97F4A7C15ULL;
    struct timespec begin, end;
    clock_gettime(CLOCK_MONOTONIC, &begin);
    for (long n = 1; n <= events; n++) {
        /* A random-looking v4 UUID and the current time, formatted as the Swift encoder does. */
        unsigned char u[16];
        for (int i = 0; i < 16; i++) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; u[i] = (unsigned char)rng; }
        u[6] = (u[6] & 0x0f) | 0x40; u[8] = (u[8] & 0x3f) | 0x80;
        char h[33]; hex(u, 16, h);
        snprintf(id, sizeof id, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
        struct timespec now; clock_gettime(CLOCK_REALTIME, &now);
        struct tm parts; gmtime_r(&now.tv_sec, &parts);
        snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", parts.tm_year + 1900, parts.tm_mon + 1,
                 parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1000);
        hex(head, 32, prev);
        int length = snprintf(line, sizeof line,
            "{\"n\":%ld,\"prev\":\"%s\",\"event\":{\"v\":1,\"id\":\"%s\",\"time\":\"%s\",\"seq\":%ld,\"type\":\"access\","
            "\"subject\":\"spiffe://prod.example/ns/ml/sa/trainer\",\"roles\":[\"data-scientist\",\"trainer\"],"
            "\"source_ip\":\"10.20.30.40\",\"resource\":{\"type\":\"dataset\",\"id\":\"customers-2026-q3\",\"sensitivity\":\"confidential\"},"
            "\"action\":\"read\",\"decision\":\"permit\",\"policy_id\":\"datasets-read-confidential\",\"policy_version\":\"42\","
            "\"reason\":\"role data-scientist may read confidential datasets\",\"obligations\":[\"watermark\"],\"bytes\":1048576}",
            n, prev, id, stamp, n);
        size_t tagLength = 32;
        if (keyed) {
            EVP_MAC_init(ctx, NULL, 0, NULL);
            EVP_MAC_update(ctx, (unsigned char *)line, (size_t)length);
            EVP_MAC_final(ctx, head, &tagLength, sizeof head);
        } else {
            unsigned int digestLength = 32;
            EVP_Digest(line, (size_t)length, head, &digestLength, sha256, NULL);
        }
        char hash[65]; hex(head, 32, hash);
        length += snprintf(line + length, sizeof line - (size_t)length, ",\"hash\":\"%s\"}\n", hash);
        memcpy(buffer + used, line, (size_t)length);
        used += (size_t)length;
        int syncNow = syncEvery > 0 && n % syncEvery == 0;
        if (used >= 64 * 1024 || syncNow) {
            if (write(fd, buffer, used) != (ssize_t)used) { perror("write"); return 1; }
            used = 0;
        }
        if (syncNow) fdatasync(fd);
    }
    if (used) { if (write(fd, buffer, used) != (ssize_t)used) { perror("write"); return 1; } }
    if (syncEvery > 0) fdatasync(fd);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - begin.tv_sec) + (double)(end.tv_nsec - begin.tv_nsec) / 1e9;
    char policy[32];
    if (syncEvery > 0) snprintf(policy, sizeof policy, "fsync every %ld", syncEvery); else snprintf(policy, sizeof policy, "fsync never");
    printf("C baseline (%s chain, %s): %ld events in %.3f s = %.0f events/s, %d-byte lines\n",
           keyed ? "HMAC-SHA256" : "SHA-256", policy, events, seconds, (double)events / seconds, (int)strlen(line));
    close(fd);
    unlink(path);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    EVP_MD_free(sha256);
    return 0;
}

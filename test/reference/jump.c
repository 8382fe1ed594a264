/*
 * Independent reference implementation of jump consistent hashing, used only
 * by the test suite to produce expected values at test time.
 *
 * Algorithm: John Lamping and Eric Veach, "A Fast, Minimal Memory, Consistent
 * Hash Algorithm" (2014), the reference function given in the paper, with the
 * same integer widths and the same double arithmetic.
 *
 * I/O:
 *   stdin : lines "<key> <num_buckets>", key an unsigned 64-bit decimal,
 *           num_buckets a decimal in [0, 2^31 - 1].
 *   stdout: one line per input line, the bucket in decimal (the paper's
 *           function returns -1 for num_buckets == 0, and so does this).
 * Any malformed line is an error (message on stderr, exit status 1).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t jump_consistent_hash(uint64_t key, int32_t num_buckets) {
    int64_t b = -1, j = 0;
    while (j < num_buckets) {
        b = j;
        key = key * 2862933555777941757ULL + 1;
        j = (int64_t)((double)(b + 1) * ((double)(1LL << 31) / (double)((key >> 33) + 1)));
    }
    return (int32_t)b;
}

/* Parses an unsigned decimal made of digits only; returns 0 on success. */
static int parse_u64(const char *s, size_t len, uint64_t *out) {
    uint64_t v = 0;
    if (len == 0) return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9') return -1;
        d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;

    while ((n = getline(&line, &cap, stdin)) != -1) {
        size_t len = (size_t)n;
        const char *sp;
        uint64_t key, buckets;
        lineno++;
        if (len > 0 && line[len - 1] == '\n') len--;
        sp = memchr(line, ' ', len);
        if (sp == NULL ||
            parse_u64(line, (size_t)(sp - line), &key) != 0 ||
            parse_u64(sp + 1, len - (size_t)(sp - line) - 1, &buckets) != 0) {
            fprintf(stderr, "jump: line %lu: expected \"<uint64 key> <num_buckets>\"\n", lineno);
            return 1;
        }
        if (buckets > INT32_MAX) {
            fprintf(stderr, "jump: line %lu: num_buckets out of int32 range\n", lineno);
            return 1;
        }
        printf("%d\n", (int)jump_consistent_hash(key, (int32_t)buckets));
    }
    free(line);
    if (ferror(stdin)) {
        perror("jump: reading stdin");
        return 1;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("jump: writing stdout");
        return 1;
    }
    return 0;
}

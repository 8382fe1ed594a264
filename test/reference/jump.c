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

#include "input.h"

static int32_t jump_consistent_hash(uint64_t key, int32_t num_buckets) {
    int64_t b = -1, j = 0;
    while (j < num_buckets) {
        b = j;
        key = key * 2862933555777941757ULL + 1;
        j = (int64_t)((double)(b + 1) * ((double)(1LL << 31) / (double)((key >> 33) + 1)));
    }
    return (int32_t)b;
}

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;

    program = "jump";
    while ((n = getline(&line, &cap, stdin)) != -1) {
        size_t len = (size_t)n;
        uint64_t key, buckets;
        lineno++;
        if (len > 0 && line[len - 1] == '\n') len--;
        if (parse_u64_pair(line, len, &key, &buckets) != 0)
            die("line %lu: expected \"<uint64 key> <num_buckets>\"", lineno);
        if (buckets > INT32_MAX) die("line %lu: num_buckets out of int32 range", lineno);
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

/*
 * Independent reference implementation of weighted Maglev hashing, used only
 * by the test suite to produce expected values at test time.
 *
 * Algorithm: Eisenbud et al., "Maglev: A Fast and Reliable Software Network
 * Load Balancer" (NSDI 2016), Pseudocode 1 ("Populate Maglev hashing lookup
 * table"), extended with weights the way Envoy's Maglev load balancer does it
 * (each backend advances by its normalized weight per round and takes a slot
 * whenever round * weight >= its running target, the target growing by the
 * maximum normalized weight per slot taken).
 *
 * Hashes: offset_i = XXH64(key_i, seed 0) % M,
 *         skip_i   = XXH64(key_i, seed 1) % (M - 1) + 1,
 *         permutation_i(j) = (offset_i + skip_i * j) % M.
 *
 * I/O (all lines end with '\n'; nothing else, e.g. '\r', is stripped):
 *   stdin : line 1 "M N" (M prime table size, N >= 1 backends);
 *           N lines "<weight> <node key>": weight (strtod, finite, > 0) up to
 *           the first space, node key = every byte after that space;
 *           then any number of lines, each a lookup key (may be empty).
 *   stdout: line 1: the M table entries, space separated, each the index of a
 *           backend in node-key byte order (memcmp, a proper prefix first);
 *           then one line per lookup key: table[XXH64(key, 0) % M].
 * Malformed input is an error (message on stderr, exit status 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

#include "input.h"

typedef struct {
    bytes_t key;
    double weight;
    size_t input_index;
} backend_t;

static int backend_cmp(const void *pa, const void *pb) {
    const backend_t *a = pa, *b = pb;
    int c = bytes_cmp(a->key, b->key);
    if (c != 0) return c;
    /* duplicate keys: keep input order (deterministic) */
    return a->input_index < b->input_index ? -1 : a->input_index > b->input_index;
}

static int is_prime(uint64_t m) {
    if (m < 2) return 0;
    for (uint64_t d = 2; d * d <= m; d++)
        if (m % d == 0) return 0;
    return 1;
}

/* Appends the decimal of v and a separator to out. */
static char *put_u64(char *out, uint64_t v, char sep) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) *out++ = tmp[--n];
    *out++ = sep;
    return out;
}

int main(void) {
    size_t in_len;
    char *input;
    cursor_t cur;
    bytes_t line;
    uint64_t M, N;

    program = "maglev";
    input = read_all(&in_len);
    cur = (cursor_t){input, input + in_len};
    if (!next_line(&cur, &line)) die("missing header line \"M N\"");
    if (parse_u64_pair(line.ptr, line.len, &M, &N) != 0) die("header line must be \"M N\"");
    if (!is_prime(M)) die("M must be a prime");
    if (M > UINT32_MAX - 1) die("M too large");
    if (N < 1) die("N must be >= 1");

    backend_t *backends = calloc((size_t)N, sizeof *backends);
    uint64_t *offset = calloc((size_t)N, sizeof *offset);
    uint64_t *skip = calloc((size_t)N, sizeof *skip);
    uint64_t *next = calloc((size_t)N, sizeof *next);
    double *w = calloc((size_t)N, sizeof *w);
    double *target = calloc((size_t)N, sizeof *target);
    uint32_t *table = malloc((size_t)M * sizeof *table);
    if (!backends || !offset || !skip || !next || !w || !target || !table) die("out of memory");

    for (uint64_t i = 0; i < N; i++) {
        if (!next_line(&cur, &line)) die("fewer backend lines than N");
        parse_weighted_key(line, "backend", &backends[i].weight, &backends[i].key);
        backends[i].input_index = (size_t)i;
    }
    qsort(backends, (size_t)N, sizeof *backends, backend_cmp);

    double sum = 0.0, maxw = 0.0;
    for (uint64_t i = 0; i < N; i++) sum += backends[i].weight;
    for (uint64_t i = 0; i < N; i++) {
        const bytes_t k = backends[i].key;
        w[i] = backends[i].weight / sum;
        if (w[i] > maxw) maxw = w[i];
        offset[i] = (uint64_t)XXH64(k.ptr, k.len, 0) % M;
        skip[i] = (uint64_t)XXH64(k.ptr, k.len, 1) % (M - 1) + 1;
        next[i] = 0;
        target[i] = 0.0;
    }
    if (!(maxw > 0)) die("weights underflow to zero");

    const uint32_t EMPTY = UINT32_MAX;
    for (uint64_t c = 0; c < M; c++) table[c] = EMPTY;

    uint64_t filled = 0;
    for (uint32_t iteration = 1; filled < M; ++iteration) {
        if (iteration == 0) die("fill loop did not terminate");
        for (uint64_t i = 0; i < N && filled < M; i++) {
            uint64_t c;
            if ((double)iteration * w[i] < target[i]) continue;
            target[i] += maxw;
            c = (offset[i] + skip[i] * next[i]) % M;
            while (table[c] != EMPTY) {
                next[i]++;
                c = (offset[i] + skip[i] * next[i]) % M;
            }
            table[c] = (uint32_t)i;
            next[i]++;
            filled++;
        }
    }

    /* Output: the table, then one line per lookup key. */
    size_t out_cap = (size_t)M * 21 + 64;
    char *out = malloc(out_cap), *o = out;
    if (out == NULL) die("out of memory");
    for (uint64_t c = 0; c < M; c++) o = put_u64(o, table[c], c + 1 < M ? ' ' : '\n');
    if (fwrite(out, 1, (size_t)(o - out), stdout) != (size_t)(o - out)) die("error writing stdout");
    free(out);

    while (next_line(&cur, &line)) {
        uint64_t h = (uint64_t)XXH64(line.ptr, line.len, 0);
        printf("%u\n", (unsigned)table[h % M]);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) die("error writing stdout");

    free(table);
    free(target);
    free(w);
    free(next);
    free(skip);
    free(offset);
    free(backends);
    free(input);
    return 0;
}

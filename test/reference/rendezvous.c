/*
 * Independent reference implementation of (weighted) rendezvous hashing, used
 * only by the test suite to produce expected values at test time.
 *
 * Algorithm: highest random weight hashing in the form of
 * github.com/dgryski/go-rendezvous (as used by go-redis's Ring):
 *   khash = XXH64(key, seed 0), nhash_i = XXH64(node_i, seed 0),
 *   s_i = xorshiftMult64(khash ^ nhash_i), the largest s_i wins.
 * With unequal weights, the logarithmic method of weighted rendezvous hashing
 * (Resch, "New Hashing Algorithms for Data Storage"):
 *   u_i = ((s_i >> 12) + 0.5) / 2^52 (strictly inside (0, 1)),  score_i = -weight_i / ln(u_i),
 *   the largest score wins.
 * Ranking: equal weights -> s_i descending; otherwise score_i descending, then
 * s_i descending. Remaining ties (only possible for identical node keys) go to
 * the smaller node index, as in go-rendezvous where the first maximum wins.
 *
 * I/O (all lines end with '\n'; nothing else, e.g. '\r', is stripped):
 *   stdin : line 1 "N R" (N >= 1 nodes, 1 <= R <= N entries to print);
 *           N lines "<weight> <node key>": weight (strtod, finite, > 0) up to
 *           the first space, node key = every byte after that space; node
 *           index = 0-based input order;
 *           then any number of lines, each a lookup key (may be empty).
 *   stdout: one line per lookup key: the R highest-ranked node indices,
 *           best first, separated by single spaces.
 * Malformed input is an error (message on stderr, exit status 1).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

#include "input.h"

typedef struct {
    size_t index;
    uint64_t s;
    double score;
} rank_t;

static uint64_t xorshift_mult64(uint64_t x) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return x * 2685821657736338717ULL;
}

/* Best first: score desc (all 0 when weights are equal), s desc, index asc. */
static int rank_cmp(const void *pa, const void *pb) {
    const rank_t *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->s != b->s) return a->s > b->s ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

int main(void) {
    size_t in_len;
    char *input;
    cursor_t cur;
    bytes_t line;
    uint64_t N, R;

    program = "rendezvous";
    input = read_all(&in_len);
    cur = (cursor_t){input, input + in_len};
    if (!next_line(&cur, &line)) die("missing header line \"N R\"");
    if (parse_u64_pair(line.ptr, line.len, &N, &R) != 0) die("header line must be \"N R\"");
    if (N < 1) die("N must be >= 1");
    if (R < 1 || R > N) die("R must satisfy 1 <= R <= N");

    double *weight = calloc((size_t)N, sizeof *weight);
    uint64_t *nhash = calloc((size_t)N, sizeof *nhash);
    rank_t *ranks = calloc((size_t)N, sizeof *ranks);
    if (!weight || !nhash || !ranks) die("out of memory");

    int all_equal = 1;
    for (uint64_t i = 0; i < N; i++) {
        bytes_t key;
        if (!next_line(&cur, &line)) die("fewer node lines than N");
        parse_weighted_key(line, "node", &weight[i], &key);
        nhash[i] = (uint64_t)XXH64(key.ptr, key.len, 0);
        if (weight[i] != weight[0]) all_equal = 0;
    }

    while (next_line(&cur, &line)) {
        uint64_t khash = (uint64_t)XXH64(line.ptr, line.len, 0);
        for (uint64_t i = 0; i < N; i++) {
            uint64_t s = xorshift_mult64(khash ^ nhash[i]);
            ranks[i].index = (size_t)i;
            ranks[i].s = s;
            if (all_equal) {
                ranks[i].score = 0.0;
            } else {
                double u = ((double)(s >> 12) + 0.5) / 4503599627370496.0;
                ranks[i].score = -weight[i] / log(u);
            }
        }
        qsort(ranks, (size_t)N, sizeof *ranks, rank_cmp);
        for (uint64_t r = 0; r < R; r++)
            printf(r + 1 < R ? "%zu " : "%zu\n", ranks[r].index);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) die("error writing stdout");

    free(ranks);
    free(nhash);
    free(weight);
    free(input);
    return 0;
}

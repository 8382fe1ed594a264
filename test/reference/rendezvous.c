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
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct {
    const char *ptr;
    size_t len;
} bytes_t;

typedef struct {
    size_t index;
    uint64_t s;
    double score;
} rank_t;

static void die(const char *msg) {
    fprintf(stderr, "rendezvous: %s\n", msg);
    exit(1);
}

static char *read_all(size_t *out_len) {
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL) die("out of memory");
    for (;;) {
        size_t got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (buf == NULL) die("out of memory");
        }
        got = fread(buf + len, 1, cap - len, stdin);
        len += got;
        if (got == 0) break;
    }
    if (ferror(stdin)) die("error reading stdin");
    *out_len = len;
    return buf;
}

/* A line is the bytes up to (not including) '\n'; a final segment without
 * '\n' counts as a line only if non-empty. */
typedef struct {
    const char *p, *end;
} cursor_t;

static int next_line(cursor_t *c, bytes_t *line) {
    const char *nl;
    if (c->p >= c->end) return 0;
    nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    line->ptr = c->p;
    if (nl == NULL) {
        line->len = (size_t)(c->end - c->p);
        c->p = c->end;
    } else {
        line->len = (size_t)(nl - c->p);
        c->p = nl + 1;
    }
    return 1;
}

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

static void parse_node(bytes_t line, double *weight, bytes_t *key) {
    const char *sp = memchr(line.ptr, ' ', line.len);
    char tok[128], *end;
    size_t tlen;
    if (sp == NULL) die("node line must be \"<weight> <node key>\"");
    tlen = (size_t)(sp - line.ptr);
    if (tlen == 0 || tlen >= sizeof tok) die("bad node weight");
    memcpy(tok, line.ptr, tlen);
    tok[tlen] = '\0';
    errno = 0;
    *weight = strtod(tok, &end);
    if (*end != '\0' || errno != 0 || !isfinite(*weight) || !(*weight > 0))
        die("node weight must be a finite number > 0");
    key->ptr = sp + 1;
    key->len = line.len - tlen - 1;
}

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
    char *input = read_all(&in_len);
    cursor_t cur = {input, input + in_len};
    bytes_t line;
    const char *sp;
    uint64_t N, R;

    if (!next_line(&cur, &line)) die("missing header line \"N R\"");
    sp = memchr(line.ptr, ' ', line.len);
    if (sp == NULL || parse_u64(line.ptr, (size_t)(sp - line.ptr), &N) != 0 ||
        parse_u64(sp + 1, line.len - (size_t)(sp - line.ptr) - 1, &R) != 0)
        die("header line must be \"N R\"");
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
        parse_node(line, &weight[i], &key);
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

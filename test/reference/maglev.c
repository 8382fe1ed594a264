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
    bytes_t key;
    double weight;
    size_t input_index;
} backend_t;

static void die(const char *msg) {
    fprintf(stderr, "maglev: %s\n", msg);
    exit(1);
}

/* Reads all of stdin into one buffer. */
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

/* Line cursor: a line is the bytes up to (not including) '\n'; a final
 * segment without '\n' counts as a line only if non-empty. */
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

/* "<weight> <key>": weight via strtod over the whole first token. */
static void parse_backend(bytes_t line, backend_t *b) {
    const char *sp = memchr(line.ptr, ' ', line.len);
    char tok[128], *end;
    size_t tlen;
    if (sp == NULL) die("backend line must be \"<weight> <node key>\"");
    tlen = (size_t)(sp - line.ptr);
    if (tlen == 0 || tlen >= sizeof tok) die("bad backend weight");
    memcpy(tok, line.ptr, tlen);
    tok[tlen] = '\0';
    errno = 0;
    b->weight = strtod(tok, &end);
    if (*end != '\0' || errno != 0 || !isfinite(b->weight) || !(b->weight > 0))
        die("backend weight must be a finite number > 0");
    b->key.ptr = sp + 1;
    b->key.len = line.len - tlen - 1;
}

static int bytes_cmp(bytes_t a, bytes_t b) {
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0) return c;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

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
    char *input = read_all(&in_len);
    cursor_t cur = {input, input + in_len};
    bytes_t line;
    const char *sp;
    uint64_t M, N;

    if (!next_line(&cur, &line)) die("missing header line \"M N\"");
    sp = memchr(line.ptr, ' ', line.len);
    if (sp == NULL || parse_u64(line.ptr, (size_t)(sp - line.ptr), &M) != 0 ||
        parse_u64(sp + 1, line.len - (size_t)(sp - line.ptr) - 1, &N) != 0)
        die("header line must be \"M N\"");
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
        parse_backend(line, &backends[i]);
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

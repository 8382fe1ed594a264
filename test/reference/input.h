/*
 * Input helpers shared by the reference programs in this directory (see
 * README.md); included by jump.c, maglev.c and rendezvous.c, never compiled
 * on its own. Everything is static inline, so a program that does not use a
 * helper gets no unused-function warning.
 *
 * Each program sets `program` (the prefix of its error messages) first thing
 * in main, before anything here can call die().
 */
#ifndef REFERENCE_INPUT_H
#define REFERENCE_INPUT_H

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Name printed before every error message ("<program>: <message>"). */
static const char *program;

#if defined(__GNUC__)
#define REFERENCE_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define REFERENCE_PRINTF(fmt, args)
#endif

/* Prints "<program>: <printf-formatted message>\n" on stderr, exits with 1. */
static _Noreturn inline void die(const char *fmt, ...) REFERENCE_PRINTF(1, 2);
static _Noreturn inline void die(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s: ", program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* A run of bytes inside the input buffer, not NUL-terminated. */
typedef struct {
    const char *ptr;
    size_t len;
} bytes_t;

/* Byte order (memcmp), a proper prefix first. */
static inline int bytes_cmp(bytes_t a, bytes_t b) {
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0) return c;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Reads all of stdin into one buffer. */
static inline char *read_all(size_t *out_len) {
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
 * segment without '\n' counts as a line only if non-empty. Nothing else
 * (e.g. '\r') is stripped. */
typedef struct {
    const char *p, *end;
} cursor_t;

static inline int next_line(cursor_t *c, bytes_t *line) {
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

/* Parses an unsigned decimal made of digits only; returns 0 on success. */
static inline int parse_u64(const char *s, size_t len, uint64_t *out) {
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

/* "<a> <b>": two parse_u64 decimals split at the first space (anything else,
 * e.g. a second space, makes the second one fail); returns 0 on success. */
static inline int parse_u64_pair(const char *s, size_t len, uint64_t *a, uint64_t *b) {
    const char *sp = memchr(s, ' ', len);
    if (sp == NULL) return -1;
    if (parse_u64(s, (size_t)(sp - s), a) != 0) return -1;
    return parse_u64(sp + 1, len - (size_t)(sp - s) - 1, b);
}

/* "<weight> <node key>": weight via strtod over the whole token before the
 * first space (finite, > 0), key = every byte after that space. `what` names
 * the line in error messages ("backend", "node"). */
static inline void parse_weighted_key(bytes_t line, const char *what, double *weight, bytes_t *key) {
    const char *sp = memchr(line.ptr, ' ', line.len);
    char tok[128], *end;
    size_t tlen;
    if (sp == NULL) die("%s line must be \"<weight> <node key>\"", what);
    tlen = (size_t)(sp - line.ptr);
    if (tlen == 0 || tlen >= sizeof tok) die("bad %s weight", what);
    memcpy(tok, line.ptr, tlen);
    tok[tlen] = '\0';
    errno = 0;
    *weight = strtod(tok, &end);
    if (*end != '\0' || errno != 0 || !isfinite(*weight) || !(*weight > 0))
        die("%s weight must be a finite number > 0", what);
    key->ptr = sp + 1;
    key->len = line.len - tlen - 1;
}

#endif /* REFERENCE_INPUT_H */

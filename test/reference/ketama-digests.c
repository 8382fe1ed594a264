/*
 * Independent reference for libketama's digests-per-server count, used only by the test suite.
 *
 * ketama.c (RJ's libketama) computes, for server i of numservers with memory (weight) m_i out
 * of a total M:
 *     float pct = (float)m_i / (float)M;
 *     unsigned int ks = floorf( pct * 40.0 * (float)numservers );
 * The share is single precision, the product is double (40.0 is a double literal), and floorf
 * converts it back to float before flooring. With 7 equal servers this gives 40 digests, where
 * the same formula in double precision gives 39.
 *
 * I/O: stdin: one weight per line (unsigned integers, as libketama's server file has);
 *      stdout: one line per server, its digest count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    unsigned long weights[65536];
    unsigned long total = 0;
    unsigned int n = 0;
    while (n < 65536 && scanf("%lu", &weights[n]) == 1) {
        total += weights[n];
        n++;
    }
    if (n == 0 || total == 0) {
        fprintf(stderr, "no weights\n");
        return 1;
    }
    for (unsigned int i = 0; i < n; i++) {
        float pct = (float)weights[i] / (float)total;
        unsigned int ks = (unsigned int)floorf((float)(pct * 40.0 * (float)n));
        printf("%u\n", ks);
    }
    return 0;
}

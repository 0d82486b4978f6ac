/* rs_obs_text.c — observations as text (rsoup act's input): bounded lines of
 * comma-separated numbers. Apart from the command, so that a fuzz target can
 * reach it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rs_obs_text.h"

int rs_obs_read_row(FILE *f, char *buf, size_t cap) {
    size_t n = 0;
    int c;
    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        if (c == 0 || n + 1 >= cap) return -1;
        buf[n++] = (char)c;
    }
    if (c == EOF && n == 0) return 0;
    buf[n] = 0;
    return 1;
}

int rs_obs_parse(const char *line, int dim, float *out) {
    const char *s = line;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '#' || *s == '\r' || *s == 0) return 0;
    int k = 0;
    while (k < dim) {
        char *end;
        double v = strtod(s, &end);
        if (end == s || !isfinite(v) || fabs(v) > 3.4e38) break;
        out[k++] = (float)v;
        s = end;
        while (*s == ' ' || *s == '\t') s++;
        if (*s == ',') s++;
    }
    while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    return k == dim && !*s ? 1 : -1;
}

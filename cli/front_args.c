/* front_args.c — what pareto, select, lmc and view share about the fronts
 * named on their command line: loading one with its warning, refusing one
 * seed's front given twice, numbers and names as text (cli_soup.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_soup.h"

rs_front *rs_cli_front_load(const char *cmd, const char *path, int *truncated_tail) {
    int trunc = 0;
    rs_front *f = rs_front_load(path, &trunc);
    if (!f) {
        fprintf(stderr, "rsoup %s: %s\n", cmd, rs_last_error());
        return NULL;
    }
    if (trunc)
        fprintf(stderr,
                "rsoup %s: warning: '%s': ignored an incomplete last row (line %d; the run that "
                "wrote it was interrupted?)\n",
                cmd, path, f->tail_line);
    if (truncated_tail) *truncated_tail = trunc;
    return f;
}

/* two regular files with the same bytes (a pipe is never read here: that
 * would consume it) */
static int same_bytes(const char *a, const char *b) {
    char ha[17], hb[17];
    rs_file_hash(a, ha);
    rs_file_hash(b, hb);
    if (!ha[0] || strcmp(ha, hb)) return 0;
    size_t na = 0, nb = 0;
    char *x = rs_read_file(a, &na), *y = x ? rs_read_file(b, &nb) : NULL;
    int same = x && y && na == nb && !memcmp(x, y, na);
    free(x);
    free(y);
    return same;
}

int rs_cli_fronts_distinct(const char *cmd, const char *const *paths, int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            struct stat si, sj;
            if (stat(paths[i], &si) != 0 || stat(paths[j], &sj) != 0) continue;
            const char *why = NULL;
            if (si.st_dev == sj.st_dev && si.st_ino == sj.st_ino)
                why = "the same file";
            else if (S_ISREG(si.st_mode) && S_ISREG(sj.st_mode) && si.st_size == sj.st_size &&
                     same_bytes(paths[i], paths[j]))
                why = "copies of one file";
            if (!why) continue;
            fprintf(stderr,
                    "rsoup %s: '%s' and '%s' are %s: each front counts as one seed, so give each "
                    "seed's front once\n",
                    cmd, paths[j], paths[i], why);
            return -1;
        }
    return 0;
}

int rs_cli_numbers(const char *text, double *out, int max, int *bad) {
    int n = 0;
    const char *p = text;
    for (;;) {
        char *end;
        double v = strtod(p, &end);
        while (*end == ' ')
            end++;
        if (end == p || (*end && *end != ',') || !isfinite(v)) {
            if (bad) *bad = (int)(p - text);
            return -1;
        }
        if (n < max) out[n] = v;
        n++;
        if (!*end) break;
        p = end + 1;
    }
    return n;
}

const char *rs_cli_join(char *buf, size_t cap, char *const *names, int n) {
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(buf);
        snprintf(buf + k, cap - k, "%s%s", i ? ", " : "", names[i]);
    }
    return buf;
}

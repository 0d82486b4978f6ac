/* soup_inits.c — the warning `rsoup soup` and `rsoup front` give when their
 * experts did not start from one init (rewarded soups assume they did). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"

/* the folder a file is in, resolved ("" when it does not resolve) */
static void dir_of(const char *path, char *out) {
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    char *slash = strrchr(tmp, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(tmp, sizeof tmp, ".");
    if (!realpath(tmp[0] ? tmp : "/", out)) out[0] = 0;
}

/* 1 when expert a (trained from scratch) is the run expert b (fine-tuned,
 * init "<path>@<hash>") started from: b's init lies in a's run folder */
static int is_init_of(const char *a_path, const char *b_init) {
    char init_path[PATH_MAX], da[PATH_MAX], db[PATH_MAX];
    snprintf(init_path, sizeof init_path, "%s", b_init);
    char *at = strrchr(init_path, '@');
    if (at) *at = 0;
    dir_of(a_path, da);
    dir_of(init_path, db);
    return da[0] && !strcmp(da, db);
}

/* what an expert started from: its recorded init's hash (the path to one
 * file may be spelled differently), "seed S" when trained from scratch
 * (its random init), or "" when nothing is recorded */
static void start_of(const rs_st *e, char *buf, size_t cap, int *scratch) {
    const char *init = rs_st_meta(e, "init"), *seed = rs_st_meta(e, "seed");
    *scratch = 0;
    if (init && *init) {
        const char *at = strrchr(init, '@');
        snprintf(buf, cap, "init %s", at ? at + 1 : init);
    } else if (seed && *seed) {
        snprintf(buf, cap, "trained from scratch, seed %s", seed);
        *scratch = 1;
    } else
        buf[0] = 0;
}

int rs_cli_warn_inits(const char *cmd, rs_st *const *ex, const char *const *paths, int n) {
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            char a[300], b[300];
            int sa, sb;
            start_of(ex[i], a, sizeof a, &sa);
            start_of(ex[j], b, sizeof b, &sb);
            if (!a[0] || !b[0] || !strcmp(a, b)) continue;
            /* an init mixed with an expert fine-tuned from it shares its start */
            if (sa && !sb && is_init_of(paths[i], rs_st_meta(ex[j], "init"))) continue;
            if (sb && !sa && is_init_of(paths[j], rs_st_meta(ex[i], "init"))) continue;
            const char *ia = rs_st_meta(ex[i], "init"), *ib = rs_st_meta(ex[j], "init");
            fprintf(
                stderr,
                "rsoup %s: warning: the experts do not share an init (%s: %s; %s: %s); rewarded "
                "soups assume experts fine-tuned from one shared init, and soups of independent "
                "inits usually collapse between them\n",
                cmd, paths[i], sa ? a : ia, paths[j], sb ? b : ib);
            return 1;
        }
    return 0;
}

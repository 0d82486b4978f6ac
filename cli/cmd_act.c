/* cmd_act.c — `rsoup act`: a policy's actions for observations given as
 * CSV, each row answered as soon as it is read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "rs_eval.h"

int cmd_act(int argc, char **argv) {
    static const rs_cmd_info info = {
        "act", "rsoup act POLICY [--obs FILE|-] [--json]",
        "Read raw (unnormalised) observations, one comma-separated row of obs_dim\n"
        "numbers per line, and print the policy's deterministic action for each row\n"
        "(comma-separated, clipped to the action bounds). Lines starting with '#'\n"
        "are skipped. Each row is answered as soon as it is read, so a program can\n"
        "feed one observation and read its action back. With --json the answer to\n"
        "each row is one JSON object on its own line (JSON Lines):\n"
        "{\"line\": N, \"action\": [a1, ...]}, N the input line it answers.",
        "example: echo 1.25,0,0,0,0,0,0,0,0,0,0 | rsoup act runs/hopper/policy.safetensors"};
    rs_opt opts[] = {
        {"obs", "FILE", "observations, '-' for stdin", "-", NULL, 0},
        {"json", NULL, "one JSON object per row (JSON Lines) instead of CSV", NULL, NULL, 0}};
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    if (np != 1) {
        fprintf(stderr, "rsoup act: give one POLICY (see --help)\n");
        return 2;
    }
    const int json = rs_opt_flag(opts, no, "json");
    char buf[RS_PATH_BUF];
    rs_policy *p = rs_policy_load(rs_run_file(pos[0], 0, buf, sizeof buf));
    if (!p) return rs_cli_fail(NULL);
    const char *in = rs_opt_str(opts, no, "obs");
    FILE *f = strcmp(in, "-") ? fopen(in, "r") : stdin;
    struct stat sb;
    if (f && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        /* a folder opens, then reads as nothing: no rows, no answers, exit 0 */
        fclose(f);
        rs_policy_free(p);
        fprintf(stderr, "rsoup act: --obs '%s' is a folder, not a file of observations\n", in);
        return 1;
    }
    if (!f) {
        rs_policy_free(p);
        fprintf(stderr, "rsoup act: cannot open '%s': %s\n", in, strerror(errno));
        return 1;
    }
    rs_mlp_ws *ws = rs_mlp_ws_new(p->pi, 1);
    float *obs = malloc(sizeof(float) * p->obs_dim), *nb = malloc(sizeof(float) * p->obs_dim);
    float *act = malloc(sizeof(float) * p->act_dim);
    /* a row of obs_dim numbers, generously: a longer line is not an
     * observation (and /dev/zero must not grow the buffer forever) */
    const size_t cap = (size_t)p->obs_dim * 64 + 1024;
    char *line = malloc(cap + 1);
    if (!ws || !obs || !nb || !act || !line) {
        fprintf(stderr, "rsoup act: out of memory\n");
        rc = 1;
        goto out;
    }
    long lineno = 0;
    rc = 0;
    int got;
    while ((got = rs_obs_read_row(f, line, cap)) != 0) {
        lineno++;
        if (got < 0) {
            fprintf(stderr,
                    "rsoup act: line %ld is longer than %zu characters or holds a NUL byte: "
                    "not one %s observation\n",
                    lineno, cap, p->env);
            rc = 1;
            break;
        }
        int parsed = rs_obs_parse(line, p->obs_dim, obs);
        if (parsed == 0) continue;
        if (parsed < 0) {
            fprintf(stderr,
                    "rsoup act: line %ld: expected %d finite numbers (the %s observation)\n",
                    lineno, p->obs_dim, p->env);
            rc = 1;
            break;
        }
        rs_policy_act_det(p, ws, obs, 1, nb, act);
        if (json) printf("{\"line\": %ld, \"action\": [", lineno);
        for (int j = 0; j < p->act_dim; j++)
            printf("%s%.9g", j ? (json ? ", " : ",") : "", (double)act[j]);
        printf(json ? "]}\n" : "\n");
        /* answered now, not when a buffer fills: a program feeding one row
         * at a time waits for this line */
        fflush(stdout);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "rsoup act: error reading '%s': %s\n", in, strerror(errno));
        rc = 1;
    }
out:
    free(line);
    if (f != stdin) fclose(f);
    free(obs);
    free(nb);
    free(act);
    rs_mlp_ws_free(ws);
    rs_policy_free(p);
    return rc;
}

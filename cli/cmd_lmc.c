/* cmd_lmc.c — `rsoup lmc`: linear mode connectivity along the path between
 * two experts (evaluated by lab/rs_lmcreport.c), or read from fronts of K
 * experts (every edge of the simplex and its interior; with their twin
 * fronts' same-reward floor, and aggregates over several fronts: the same
 * module's report). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_frontscore.h"
#include "rs_lmcreport.h"

#define MAX_FILES 32
#define MAX_EXPERTS 16 /* experts a --front may be checked against */

/* the report over fronts fr[0..nf) (fr[0] the --front or the evaluated
 * path, named first) and their twins (the --twin list, ';'-separated, one
 * per front, loaded here): rs_lmcreport computes, this prints. 0, or 1
 * (printed) */
static int lmc_report(rs_front *const *fr, const char *const *files, int nf, double rel_tol, int json,
                      const char *twins) {
    char buf[8192];
    const char *tf[MAX_FILES];
    rs_front *tw[MAX_FILES] = {0};
    int nt = 0, rc = 1;
    for (int i = 0; i < nf; i++)
        /* pareto's check: a NaN or inf return (or its std) makes every
         * comparison false, and the verdict "linearly connected" */
        if (rs_front_check_finite(files[i], fr[i], RS_KIND_BIT(RS_KIND_SOUP), 1) != 0) {
            fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
            return 1;
        }
    if (twins) {
        if (strlen(twins) >= sizeof buf) {
            fprintf(stderr, "rsoup lmc: --twin: too long\n");
            return 1;
        }
        strcpy(buf, twins);
        for (char *s = buf, *t; nt < MAX_FILES && (t = strsep(&s, ";")) != NULL;) tf[nt++] = t;
        if (nt != nf) return 1; /* checked by cmd_lmc */
        for (int i = 0; i < nt; i++)
            if (!(tw[i] = rs_cli_front_load("lmc", tf[i], NULL))) goto out;
    }
    rs_lmcreport_req q = {(const rs_front *const *)fr, files, nf, twins ? (const rs_front *const *)tw : NULL,
                          twins ? tf : NULL, rel_tol};
    rs_lmcreport r;
    if (rs_lmcreport_run(&q, &r) != 0) {
        fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
        goto out;
    }
    rs_lmcreport_twin_notes(&q, stderr);
    if (json) rs_json_print(rs_lmcreport_json(&q, &r));
    else rs_lmcreport_print(&q, &r, stdout);
    rs_lmcreport_free(&r);
    rc = 0;
out:
    for (int i = 0; i < nt; i++) rs_front_free(tw[i]);
    return rc;
}

/* lmc --front FILE: the front, one of 2 or more experts from 'rsoup front',
 * made from the experts given (if any); NULL (printed) if not */
static rs_front *lmc_front_file(const char *ff, const char *const *claimed, int n_claimed) {
    int tail;
    rs_front *f = rs_cli_front_load("lmc", ff, &tail);
    if (!f) return NULL;
    if (f->plain || f->n_experts < 2) {
        fprintf(stderr, "rsoup lmc: %s is not a front of 2 or more experts from 'rsoup front'\n", ff);
        rs_front_free(f);
        return NULL;
    }
    if (n_claimed) {
        const char *rec = rs_front_meta(f, "experts");
        if (n_claimed != f->n_experts || !rs_front_made_from(f, claimed, n_claimed)) {
            fprintf(stderr, "rsoup lmc: %s was made from '%s', not from the experts given; "
                            "leave them out to read the front as it is\n",
                    ff, rec ? rec : "?");
            rs_front_free(f);
            return NULL;
        }
    }
    return f;
}

/* the fronts after the --front one, each of its schema, into fr[1..]; 0, or
 * 1 (printed) */
static int lmc_more_fronts(rs_front **fr, const char *const *more, int n_more) {
    for (int i = 1; i <= n_more; i++) {
        fr[i] = rs_cli_front_load("lmc", more[i - 1], NULL);
        if (!fr[i]) return 1;
        if (rs_front_same_schema(fr[0], fr[i]) != 0) {
            fprintf(stderr, "rsoup lmc: %s: %s\n", more[i - 1], rs_last_error());
            return 1;
        }
    }
    return 0;
}

/* lmc A B: the path between the two experts, evaluated into *out; 0, or
 * the exit status (printed) */
static int lmc_evaluate(const char *const *pos, const rs_opt *opts, int no, long grid, long episodes,
                        long seed, long threads, rs_front **out) {
    char pbuf[2][RS_PATH_BUF];
    const char *paths[2] = {rs_run_file(pos[0], 0, pbuf[0], sizeof pbuf[0]),
                            rs_run_file(pos[1], 0, pbuf[1], sizeof pbuf[1])};
    rs_st *ex[2] = {0};
    const rs_env_spec *spec;
    static rs_rewardset obj;
    const char *rw = rs_opt_str(opts, no, "rewards");
    int rc = 1;
    if (rs_cli_load_experts("lmc", paths, 2, ex, &spec) != 0) goto out;
    if ((rw ? rs_cli_rewards_parse(spec, rw, &obj) : rs_cli_rewards_of_experts(spec, ex, 2, &obj)) != 0) {
        fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
        rc = rw ? 2 : 1;
        goto out;
    }
    const char *onames[RS_REWARDSET_MAX];
    for (int k = 0; k < obj.n; k++) onames[k] = obj.name[k];
    rs_lmcpath_req q = {ex, spec, obj.n, onames, (const double(*)[RS_MAX_TERMS])obj.w,
                        (int)grid, (int)episodes, (uint64_t)seed, threads, stderr,
                        rs_opt_flag(opts, no, "quiet")};
    if ((*out = rs_lmcreport_path(&q)) != NULL) rc = 0;
    else fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
out:
    rs_st_free(ex[0]);
    rs_st_free(ex[1]);
    return rc;
}

/* with --front, positional CSVs are more fronts and policies (run folders,
 * .safetensors) the experts the fronts must have been made from; --twin
 * names one twin per front. 0, or 2 (printed) */
static int lmc_args(const char *const *pos, int np, const char *ff, const char *twins, const char **more,
                    int *n_more, const char **claimed, int *n_claimed) {
    for (int i = 0; ff && i < np; i++) {
        struct stat sb;
        size_t L = strlen(pos[i]);
        int policy = (stat(pos[i], &sb) == 0 && S_ISDIR(sb.st_mode)) ||
                     (L >= 12 && !strcmp(pos[i] + L - 12, ".safetensors"));
        if (policy && *n_claimed < MAX_EXPERTS) claimed[(*n_claimed)++] = pos[i];
        else if (policy) {
            fprintf(stderr, "rsoup lmc: give at most %d experts\n", MAX_EXPERTS);
            return 2;
        } else more[(*n_more)++] = pos[i];
    }
    int nt = 1;
    for (const char *q = twins; q && *q; q++) nt += *q == ';';
    if (twins && (!ff || nt != 1 + *n_more)) {
        if (!ff) fprintf(stderr, "rsoup lmc: --twin goes with --front (the fronts it is the floor of)\n");
        else fprintf(stderr, "rsoup lmc: --twin: %d twin front%s for %d front%s (give one per front, in "
                             "the same order, separated by ';')\n", nt, nt == 1 ? "" : "s", 1 + *n_more,
                     *n_more ? "s" : "");
        return 2;
    }
    if (ff && *n_more) {
        /* one front twice would count as two seeds */
        const char *all[MAX_FILES + 1];
        all[0] = ff;
        for (int i = 0; i < *n_more; i++) all[i + 1] = more[i];
        if (rs_cli_fronts_distinct("lmc", all, *n_more + 1) != 0) return 2;
    }
    return 0;
}

int cmd_lmc(int argc, char **argv) {
    static const rs_cmd_info info = {
        "lmc", "rsoup lmc A B [--grid G] [--episodes K] [--rewards R1,R2] [--json]\n"
        "       rsoup lmc --front FILE [FILE ...] [--twin 'T1;T2;...'] [--tolerance T] [--json]",
        "Linear mode connectivity (H1 of rewarded soups: experts fine-tuned from a\n"
        "shared init show no barrier; independently trained ones do). Two experts A B:\n"
        "evaluate the soups θ(λ) = (1-λ) θ_A + λ θ_B, or read them from a front FILE\n"
        "made by 'rsoup front', and for each reward compare the return at each λ with\n"
        "the straight line between the endpoints: the barrier (the largest drop below\n"
        "the line, 0 if none), where it is, its size in standard errors of the mean,\n"
        "the signed area between the path and the line (> 0: the soups beat it). A\n"
        "front of K >= 3 experts gives that along every edge of the simplex (the soups\n"
        "of each pair, every other weight 0) and, inside, each soup against the\n"
        "experts' plane (their returns mixed by λ). A dip is a barrier only when it\n"
        "exceeds 2 standard errors AND T times the reward's scale (the gap between the\n"
        "experts' returns, at least a tenth of their size). Several fronts (one per\n"
        "seed) give each front's verdict and the mean barrier and area with a 95%\n"
        "bootstrap interval. --twin gives each front's same-reward floor: a front of\n"
        "two experts fine-tuned from one init on one reward with different seeds (an\n"
        "experiment's twin_front.csv); the report says whether the barrier exceeds it\n"
        "by more than 2 standard errors of the difference.",
        "example: rsoup lmc runs/risky runs/cautious --grid 11 --episodes 10"};
    rs_opt opts[] = {
        {"grid", "G", "points on the path", "11", NULL, 0},
        {"episodes", "K", "episodes per point", "10", NULL, 0},
        {"rewards", "R1,R2", "rewards (default: the experts' training rewards)", NULL, NULL, 0},
        {"front", "FILE", "use this front CSV instead of evaluating (more fronts may follow)", NULL, NULL, 0},
        {"tolerance", "T", "a dip below T x the reward's scale is no barrier", "0.1", NULL, 0},
        {"twin", "T1;T2", "each --front's same-reward twin front, in order", NULL, NULL, 0},
        {"seed", "S", "evaluation seed", "1000", NULL, 0},
        {"threads", "T", "threads (0: all cores)", "0", NULL, 0},
        {"quiet", NULL, "no progress output", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[MAX_FILES];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, MAX_FILES);
    if (rc) return rc < 0 ? 2 : 0;
    const char *ff = rs_opt_str(opts, no, "front");
    if (np != 2 && !ff) {
        fprintf(stderr, "rsoup lmc: give two experts A B, or --front FILE [FILE ...] (see --help)\n");
        return 2;
    }
    double rel_tol;
    if (rs_opt_double(opts, no, "tolerance", &rel_tol)) return 2;
    if (!(rel_tol >= 0 && rel_tol <= 10)) {
        fprintf(stderr, "rsoup lmc: --tolerance must be in [0, 10]\n");
        return 2;
    }
    const char *more[MAX_FILES], *claimed[MAX_EXPERTS];
    int n_more = 0, n_claimed = 0;
    const char *twins = rs_opt_str(opts, no, "twin");
    if ((rc = lmc_args(pos, np, ff, twins, more, &n_more, claimed, &n_claimed)) != 0) return rc;
    long grid, episodes, seed, threads;
    if (rs_opt_long(opts, no, "grid", 3, 1001, &grid) ||
        rs_opt_long(opts, no, "episodes", 1, 100000, &episodes) ||
        rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads))
        return 2;
    rs_front *fr[MAX_FILES + 1] = {0};
    const char *files[MAX_FILES + 1] = {ff ? ff : "the evaluated path"};
    for (int i = 0; i < n_more; i++) files[i + 1] = more[i];
    if (ff) {
        if (!(fr[0] = lmc_front_file(ff, claimed, n_claimed))) return 1;
    } else if ((rc = lmc_evaluate(pos, opts, no, grid, episodes, seed, threads, &fr[0])) != 0) {
        return rc;
    }
    rc = lmc_more_fronts(fr, more, n_more);
    if (!rc) rc = lmc_report(fr, files, 1 + n_more, rel_tol, rs_opt_flag(opts, no, "json"), twins);
    for (int i = 0; i <= n_more; i++) rs_front_free(fr[i]);
    return rc;
}

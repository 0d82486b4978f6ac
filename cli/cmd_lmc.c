/* cmd_lmc.c — `rsoup lmc`: linear mode connectivity along the path between
 * two experts, evaluated here or read from fronts (with their twin fronts'
 * same-reward floor, and aggregates over several fronts). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_compare.h"
#include "rs_fronteval.h"
#include "rs_lattice.h"
#include "rs_lmc.h"
#include "rs_progress.h"
#include "rs_stats.h"

#define MAX_FILES 32

/* one front's path metrics for every reward; NULL on error (printed) */
static rs_lmc *lmc_of_all(const rs_front *f, const char *path, double rel_tol, double *L, double *R,
                          int *n_path) {
    /* pareto's check: a NaN or inf return (or its std) makes every
     * comparison false, and the verdict "linearly connected" */
    if (rs_cli_front_finite(path, f, RS_KIND_BIT(RS_KIND_SOUP), 1) != 0) {
        fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
        return NULL;
    }
    rs_lmc *m = calloc((size_t)f->n_obj, sizeof *m);
    for (int k = 0; m && k < f->n_obj; k++)
        if (rs_lmc_of_front(f, k, rel_tol, &m[k], L, R, n_path) != 0) {
            fprintf(stderr, "rsoup lmc: %s: %s\n", path, rs_last_error());
            free(m);
            return NULL;
        }
    return m;
}

static cJSON *lmc_json(const rs_front *f, const rs_lmc *m, const double *L, const double *R, int n) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "reward", f->obj_names[0]);
    if (L) {
        /* the path: one object per soup, in λ order */
        cJSON *path = cJSON_AddArrayToObject(o, "path");
        for (int j = 0; j < n; j++) {
            cJSON *pt = cJSON_CreateObject();
            cJSON_AddItemToObject(pt, "lambda", rs_lab_json_num(L[j]));
            cJSON_AddItemToObject(pt, "mean", rs_lab_json_num(R[j]));
            cJSON_AddItemToArray(path, pt);
        }
    }
    cJSON_AddNumberToObject(o, "barrier", m->barrier);
    cJSON_AddItemToObject(o, "barrier_lambda", rs_lab_json_num(m->barrier_lambda));
    cJSON_AddItemToObject(o, "barrier_in_se", rs_lab_json_num(m->z));
    cJSON_AddItemToObject(o, "scale", rs_lab_json_num(m->scale));
    cJSON_AddItemToObject(o, "tolerance", rs_lab_json_num(m->tolerance));
    cJSON_AddNumberToObject(o, "area_above_line", m->area);
    cJSON_AddNumberToObject(o, "max_gain", m->max_gain);
    cJSON_AddItemToObject(o, "max_gain_lambda", rs_lab_json_num(m->max_gain_lambda));
    cJSON_AddBoolToObject(o, "connected", !m->is_barrier);
    return o;
}

static const char *RULE = "a barrier is a dip of more than 2 standard errors and more than the tolerance";

/* the report of one front (a table per reward) or of several (one line per
 * front and reward, then the aggregates over fronts) */
/* --twin: the same-reward floor of each front (its twin front, in order):
 * the twin path's barrier on its first reward, and whether the pair's
 * barrier on some reward exceeds it (rs_lmc_exceeds_floor). Printed after
 * the pair's report, or added to its JSON. 0, or 1 (printed) on error. */
static int lmc_floor(rs_lmc *const *m, int nf, const rs_front *f, const char *twins, double rel_tol,
                     cJSON *root) {
    char buf[8192];
    if (strlen(twins) >= sizeof buf) {
        fprintf(stderr, "rsoup lmc: --twin: too long\n");
        return 1;
    }
    strcpy(buf, twins);
    const char *tf[MAX_FILES];
    int nt = 0;
    for (char *s = buf, *t; nt < MAX_FILES && (t = strsep(&s, ";")) != NULL;) tf[nt++] = t;
    if (nt != nf) return 1; /* checked by cmd_lmc */
    rs_lmc fl[MAX_FILES];
    double v[MAX_FILES];
    int above = 0, twin_bar = 0;
    for (int i = 0; i < nf; i++) {
        rs_front *t = rs_cli_front_load("lmc", tf[i], NULL);
        if (!t) return 1;
        int bad = t->plain || t->n_experts != 2;
        if (bad) fprintf(stderr, "rsoup lmc: --twin %s is not a 2-expert front from 'rsoup front'\n", tf[i]);
        else if (rs_lmc_of_front(t, 0, rel_tol, &fl[i], NULL, NULL, NULL) != 0) {
            fprintf(stderr, "rsoup lmc: --twin %s: %s\n", tf[i], rs_last_error());
            bad = 1;
        }
        if (!bad && strcmp(t->obj_names[0], f->obj_names[0]))
            fprintf(stderr, "rsoup lmc: note: the twin front %s scores '%s' first, the pair's front "
                            "'%s'\n", tf[i], t->obj_names[0], f->obj_names[0]);
        rs_front_free(t);
        if (bad) return 1;
        int ex = 0;
        for (int k = 0; k < f->n_obj; k++) ex |= rs_lmc_exceeds_floor(&m[i][k], &fl[i]);
        above += ex;
        twin_bar += fl[i].is_barrier;
        v[i] = fl[i].barrier;
        if (root) {
            cJSON *holder = nf > 1 ? cJSON_GetArrayItem(cJSON_GetObjectItem(root, "fronts"), i) : root;
            cJSON *o = cJSON_AddObjectToObject(holder, "twin");
            cJSON_AddStringToObject(o, "file", tf[i]);
            cJSON_AddNumberToObject(o, "barrier", fl[i].barrier);
            cJSON_AddItemToObject(o, "barrier_lambda", rs_lab_json_num(fl[i].barrier_lambda));
            cJSON_AddItemToObject(o, "barrier_in_se", rs_lab_json_num(fl[i].z));
            cJSON_AddBoolToObject(o, "is_barrier", fl[i].is_barrier);
            cJSON_AddBoolToObject(o, "pair_exceeds_floor", ex);
        } else {
            printf("%sfloor (twin %s, reward %s): barrier %.4g (%.1f s.e.)%s; the pair's barrier %s it\n",
                   i ? "" : "\n", tf[i], f->obj_names[0], fl[i].barrier, fl[i].z,
                   fl[i].is_barrier ? ", itself a barrier" : "", ex ? "EXCEEDS" : "does not exceed");
        }
    }
    rs_interval iv;
    rs_stat_bootstrap(v, nf, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &iv);
    if (root) {
        cJSON *o = cJSON_AddObjectToObject(root, "floor");
        cJSON_AddItemToObject(o, "twin_barrier", rs_lab_json_interval(&iv));
        cJSON_AddNumberToObject(o, "twins_with_barrier", twin_bar);
        cJSON_AddNumberToObject(o, "pair_exceeds_floor", above);
        cJSON_AddNumberToObject(o, "fronts", nf);
        cJSON_AddStringToObject(o, "rule", "the pair's barrier on some reward exceeds the twin's by more than 2 standard errors of the difference");
    } else if (nf > 1) {
        printf("same-reward floor: twin barrier %.4g [%.4g, %.4g]; the pair's barrier exceeds it in %d of %d "
               "fronts (by more than 2 standard errors of the difference)\n",
               iv.value, iv.lo, iv.hi, above, nf);
    }
    return 0;
}

/* several fronts: per reward, the mean barrier and area over fronts with
 * their 95% bootstrap intervals and the fronts with a barrier; into root
 * under --json, else printed. 0, or 1 (printed) on error. */
static int lmc_aggregates(const rs_front *f, rs_lmc *const *m, int nf, int connected_fronts,
                          double rel_tol, int json, cJSON *root) {
    /* aggregates over fronts: mean [95% bootstrap interval] */
    const rs_lmc **v = malloc(sizeof *v * (size_t)nf);
    if (!v) {
        fprintf(stderr, "rsoup lmc: out of memory\n");
        return 1;
    }
    cJSON *agg = json ? cJSON_AddObjectToObject(root, "aggregate") : NULL;
    cJSON *ar = json ? cJSON_AddArrayToObject(agg, "rewards") : NULL;
    if (!json) printf("\nover %d fronts (mean [95%% bootstrap interval]):\n", nf);
    for (int k = 0; k < f->n_obj; k++) {
        rs_compare_lmc_agg la;
        for (int i = 0; i < nf; i++) v[i] = &m[i][k];
        rs_compare_lmc_aggregate(v, nf, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &la);
        const rs_interval bi = la.barrier, ai = la.area;
        const int nb = la.n_barrier;
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "reward", f->obj_names[k]);
            cJSON_AddItemToObject(o, "barrier", rs_lab_json_interval(&bi));
            cJSON_AddItemToObject(o, "area_above_line", rs_lab_json_interval(&ai));
            cJSON_AddNumberToObject(o, "fronts_with_barrier", nb);
            cJSON_AddItemToArray(ar, o);
        } else {
            printf("  %-24s barrier %.4g [%.4g, %.4g], area above the line %+.4g [%+.4g, %+.4g]; "
                   "a barrier in %d of %d\n",
                   f->obj_names[k], bi.value, bi.lo, bi.hi, ai.value, ai.lo, ai.hi, nb, nf);
        }
    }
    free(v);
    if (json) {
        cJSON_AddNumberToObject(agg, "fronts", nf);
        cJSON_AddNumberToObject(agg, "connected_fronts", connected_fronts);
        cJSON_AddNumberToObject(agg, "tolerance_rel", rel_tol);
        cJSON_AddStringToObject(agg, "rule", RULE);
        cJSON_AddStringToObject(agg, "interval", "95% percentile bootstrap of the mean over fronts, 10000 resamples");
    } else {
        printf("H1 holds in %d of %d fronts (%s, tolerance %.2g x the reward's scale)\n",
               connected_fronts, nf, RULE, rel_tol);
    }
    return 0;
}

static int lmc_report(rs_front *f, const char *first, const char *const *more, int n_more,
                      double rel_tol, int json, const char *twins) {
    const int nf = 1 + n_more;
    rs_front **fr = calloc((size_t)nf, sizeof *fr);
    rs_lmc **m = calloc((size_t)nf, sizeof *m);
    double *L = malloc(sizeof(double) * (size_t)(f->n + 1)), *R = malloc(sizeof(double) * (size_t)(f->n + 1));
    int rc = 1, n = 0;
    if (!fr || !m || !L || !R) {
        fprintf(stderr, "rsoup lmc: out of memory\n");
        goto out;
    }
    fr[0] = f;
    for (int i = 1; i < nf; i++) {
        fr[i] = rs_cli_front_load("lmc", more[i - 1], NULL);
        if (!fr[i]) goto out;
        if (rs_front_same_schema(f, fr[i]) != 0) {
            fprintf(stderr, "rsoup lmc: %s: %s\n", more[i - 1], rs_last_error());
            goto out;
        }
    }
    for (int i = 0; i < nf; i++) {
        double *l = realloc(L, sizeof(double) * (size_t)(fr[i]->n + 1));
        double *r = realloc(R, sizeof(double) * (size_t)(fr[i]->n + 1));
        if (l) L = l;
        if (r) R = r;
        if (!l || !r) goto out;
        m[i] = lmc_of_all(fr[i], i ? more[i - 1] : first, rel_tol, L, R, &n);
        if (!m[i]) goto out;
    }
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    int connected_fronts = 0;
    cJSON *jf = json && nf > 1 ? cJSON_AddArrayToObject(root, "fronts") : NULL;
    for (int i = 0; i < nf; i++) {
        int conn = 1;
        cJSON *arr = NULL;
        if (json) {
            cJSON *holder = root;
            if (nf > 1) {
                holder = cJSON_CreateObject();
                cJSON_AddStringToObject(holder, "file", i ? more[i - 1] : "");
                cJSON_AddItemToArray(jf, holder);
            }
            arr = cJSON_AddArrayToObject(holder, "rewards");
        }
        if (nf > 1 && !json) printf("front %s\n", i ? more[i - 1] : "(--front)");
        for (int k = 0; k < f->n_obj; k++) {
            const rs_lmc *x = &m[i][k];
            conn &= !x->is_barrier;
            if (json) {
                /* the path itself only for a single front (re-read it) */
                int np = 0;
                rs_lmc tmp;
                if (nf == 1) rs_lmc_of_front(fr[i], k, rel_tol, &tmp, L, R, &np);
                cJSON *o = lmc_json(fr[i], x, nf == 1 ? L : NULL, R, np);
                cJSON_ReplaceItemInObject(o, "reward", cJSON_CreateString(f->obj_names[k]));
                cJSON_AddItemToArray(arr, o);
            } else if (nf == 1) {
                int np = 0;
                rs_lmc tmp;
                rs_lmc_of_front(fr[i], k, rel_tol, &tmp, L, R, &np);
                printf("reward %s\n  %8s %12s %12s %10s\n", f->obj_names[k], "lambda", "return", "line", "gap");
                for (int j = 0; j < np; j++) {
                    double line = (1 - L[j]) * R[0] + L[j] * R[np - 1];
                    printf("  %8.3f %12.2f %12.2f %+10.2f\n", L[j], R[j], line, R[j] - line);
                }
                printf("  barrier %.2f", x->barrier);
                if (x->barrier > 0) printf(" at λ=%.3g (%.1f standard errors)", x->barrier_lambda, x->z);
                printf(", tolerance %.2f (%.2g x scale %.4g), area above the line %+.2f, largest gain %+.2f -> %s\n\n",
                       x->tolerance, rel_tol, x->scale, x->area, x->max_gain,
                       x->is_barrier ? "BARRIER" : "linearly connected");
            } else {
                printf("  %-24s barrier %10.2f at λ=%-5.3g (%6.1f s.e., tolerance %.4g)  area %+10.2f  %s\n",
                       f->obj_names[k], x->barrier, x->barrier_lambda, x->z, x->tolerance, x->area,
                       x->is_barrier ? "BARRIER" : "connected");
            }
        }
        connected_fronts += conn;
        if (json && nf > 1) cJSON_AddBoolToObject(cJSON_GetArrayItem(jf, i), "connected", conn);
        if (json && nf == 1) cJSON_AddBoolToObject(root, "connected", conn);
    }
    if (nf == 1) {
        if (!json)
            printf("%s (%s, tolerance %.2g x the reward's scale)\n",
                   connected_fronts ? "H1 holds here: no reward shows a barrier"
                                    : "H1 fails here: at least one reward shows a barrier",
                   RULE, rel_tol);
        else {
            cJSON_AddNumberToObject(root, "tolerance_rel", rel_tol);
            cJSON_AddStringToObject(root, "rule", RULE);
        }
    } else {
        if (lmc_aggregates(f, m, nf, connected_fronts, rel_tol, json, root) != 0) goto out;
    }
    if (twins && lmc_floor(m, nf, f, twins, rel_tol, root) != 0) {
        cJSON_Delete(root);
        goto out;
    }
    if (json) rs_json_print(root);
    rc = 0;
out:
    for (int i = 0; m && i < nf; i++) free(m[i]);
    for (int i = 1; fr && i < nf; i++) rs_front_free(fr[i]);
    free(fr);
    free(m);
    free(L);
    free(R);
    return rc;
}

/* lmc --front FILE: the front, a 2-expert one from 'rsoup front', made from
 * the experts given (if any); NULL (printed) if not */
static rs_front *lmc_front_file(const char *ff, const char *const *claimed, int n_claimed) {
    int tail;
    rs_front *f = rs_cli_front_load("lmc", ff, &tail);
    if (!f) return NULL;
    if (f->plain || f->n_experts != 2) {
        fprintf(stderr, "rsoup lmc: %s is not a 2-expert front from 'rsoup front'\n", ff);
        rs_front_free(f);
        return NULL;
    }
    if (n_claimed) {
        const char *rec = rs_front_meta(f, "experts");
        char given[2300];
        snprintf(given, sizeof given, "%s;%s", claimed[0], n_claimed > 1 ? claimed[1] : "");
        if (n_claimed != 2 || (rec && !rs_cli_same_paths(given, rec))) {
            fprintf(stderr, "rsoup lmc: %s was made from '%s', not from the experts given; "
                            "leave them out to read the front as it is\n",
                    ff, rec ? rec : "?");
            rs_front_free(f);
            return NULL;
        }
    }
    return f;
}

/* lmc A B: the path between the two experts, evaluated into *out; 0, or
 * the exit status (printed) */
static int lmc_evaluate(const char *const *pos, const rs_opt *opts, int no, long grid, long episodes,
                        long seed, long threads, rs_front **out) {
    char pbuf[2][1100];
    const char *paths[2] = {rs_run_file(pos[0], 0, pbuf[0], sizeof pbuf[0]),
                            rs_run_file(pos[1], 0, pbuf[1], sizeof pbuf[1])};
    rs_st *ex[2] = {0};
    const rs_env_spec *spec;
    if (rs_cli_load_experts("lmc", paths, 2, ex, &spec) != 0) {
        rs_st_free(ex[0]);
        rs_st_free(ex[1]);
        return 1;
    }
    rs_cli_objs obj;
    const char *rw = rs_opt_str(opts, no, "rewards");
    if ((rw ? rs_cli_rewards_parse(spec, rw, &obj) : rs_cli_rewards_of_experts(spec, ex, 2, &obj)) != 0) {
        fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
        rs_st_free(ex[0]);
        rs_st_free(ex[1]);
        return rw ? 2 : 1;
    }
    const char *onames[RS_CLI_MAX_OBJ], *tnames[RS_MAX_TERMS];
    for (int k = 0; k < obj.n; k++) onames[k] = obj.names[k];
    for (int t = 0; t < spec->n_terms; t++) tnames[t] = spec->terms[t];
    rs_front *f = rs_front_new(2, obj.n, onames, spec->n_terms, tnames);
    rs_pool *pool = rs_pool_new((int)threads);
    double *lam = malloc(sizeof(double) * 2 * (size_t)grid);
    if (lam) rs_lattice_fill(2, (int)grid - 1, lam);
    rs_progress prog;
    rs_progress_start(&prog, stderr, "lmc", (double)grid * episodes);
    prog.quiet = rs_opt_flag(opts, no, "quiet");
    rs_front_job job = {2, ex, spec, NULL, obj.n, (const double(*)[RS_MAX_TERMS])obj.w, (int)episodes,
                        (uint64_t)seed, pool, 2 * rs_pool_size(pool), rs_cli_eval_progress, &prog, NULL, 0, 0};
    int erc = f && pool && lam ? rs_front_eval_points(&job, lam, (int)grid, NULL, RS_KIND_SOUP, f, NULL) : -1;
    if (!erc) rs_progress_finish(&prog, (double)grid * episodes, "");
    free(lam);
    rs_pool_free(pool);
    rs_st_free(ex[0]);
    rs_st_free(ex[1]);
    if (erc) {
        fprintf(stderr, "rsoup lmc: %s\n", rs_last_error());
        rs_front_free(f);
        return 1;
    }
    *out = f;
    return 0;
}

int cmd_lmc(int argc, char **argv) {
    static const rs_cmd_info info = {
        "lmc", "rsoup lmc A B [--grid G] [--episodes K] [--rewards R1,R2] [--json]\n"
        "       rsoup lmc --front FILE [FILE ...] [--twin 'T1;T2;...'] [--tolerance T] [--json]",
        "Linear mode connectivity between two experts: evaluate the soups along the\n"
        "path θ(λ) = (1-λ) θ_A + λ θ_B (or read them from a front FILE made by\n"
        "'rsoup front A B'), and for each reward compare the return at each λ with\n"
        "the straight line between the endpoints. Reports the barrier (the largest\n"
        "drop below the line, 0 if none), where it is, its size in standard errors\n"
        "of the mean, and the signed area between the path and the line (> 0: the\n"
        "soups beat the line). A dip counts as a barrier only when it exceeds 2\n"
        "standard errors AND the tolerance T times the reward's scale (the gap\n"
        "between the experts' returns, at least a tenth of their size): tiny but\n"
        "significant dips are not barriers. Hypothesis H1 of rewarded soups:\n"
        "experts fine-tuned from a shared init show no barrier; independently\n"
        "trained ones do. Several fronts (one per seed of an experiment) give each\n"
        "front's verdict and, per reward, the mean barrier and area with a 95%\n"
        "bootstrap interval and the count of fronts with a barrier. --twin gives\n"
        "each front's same-reward floor: a front of two experts fine-tuned from the\n"
        "same init on the same reward with different seeds (an experiment's\n"
        "twin_front.csv). Its barrier is what fine-tuning alone does to the path;\n"
        "the report says whether the pair's barrier exceeds it by more than 2\n"
        "standard errors of the difference.",
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
    /* with --front, positional CSVs are more fronts; policies (run folders,
     * .safetensors) are the experts the fronts must have been made from */
    const char *more[MAX_FILES], *claimed[2];
    int n_more = 0, n_claimed = 0;
    for (int i = 0; ff && i < np; i++) {
        struct stat sb;
        size_t L = strlen(pos[i]);
        int policy = (stat(pos[i], &sb) == 0 && S_ISDIR(sb.st_mode)) ||
                     (L >= 12 && !strcmp(pos[i] + L - 12, ".safetensors"));
        if (policy && n_claimed < 2) claimed[n_claimed++] = pos[i];
        else if (policy) {
            fprintf(stderr, "rsoup lmc: give at most two experts\n");
            return 2;
        } else more[n_more++] = pos[i];
    }
    const char *const *ffs = more;
    const char *twins = rs_opt_str(opts, no, "twin");
    int nt = 1;
    for (const char *q = twins; q && *q; q++) nt += *q == ';';
    if (twins && (!ff || nt != 1 + n_more)) {
        if (!ff) fprintf(stderr, "rsoup lmc: --twin goes with --front (the fronts it is the floor of)\n");
        else fprintf(stderr, "rsoup lmc: --twin: %d twin front%s for %d front%s (give one per front, in "
                             "the same order, separated by ';')\n", nt, nt == 1 ? "" : "s", 1 + n_more,
                     n_more ? "s" : "");
        return 2;
    }
    if (ff && n_more) {
        /* one front twice would count as two seeds */
        const char *all[MAX_FILES + 1];
        all[0] = ff;
        for (int i = 0; i < n_more; i++) all[i + 1] = more[i];
        if (rs_cli_fronts_distinct("lmc", all, n_more + 1) != 0) return 2;
    }
    long grid, episodes, seed, threads;
    if (rs_opt_long(opts, no, "grid", 3, 1001, &grid) ||
        rs_opt_long(opts, no, "episodes", 1, 100000, &episodes) ||
        rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads))
        return 2;
    rs_front *f = NULL;
    if (ff) {
        f = lmc_front_file(ff, claimed, n_claimed);
        if (!f) return 1;
    } else if ((rc = lmc_evaluate(pos, opts, no, grid, episodes, seed, threads, &f)) != 0) {
        return rc;
    }
    int json = rs_opt_flag(opts, no, "json");
    rc = lmc_report(f, ff ? ff : "the evaluated path", ffs, n_more, rel_tol, json, twins);
    rs_front_free(f);
    return rc;
}

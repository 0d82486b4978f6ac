/* cmd_select.c — `rsoup select`: after training, pick the soup that best fits
 * a user's preference — the row of a front maximising a weighted sum of its
 * objectives (or of its raw term returns). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_progress.h"
#include "rs_fronteval.h"

/* ---- --refine: evaluate soups around the best grid point ---- */
typedef struct {
    rs_front_job job;
    rs_front *scratch;
    const double *w;
    int by_terms;
    int evals;
} refiner;

/* the utility of θ(λ), evaluated now */
static int utility_at(refiner *r, const double *lam, double *u) {
    int before = r->scratch->n;
    if (rs_front_eval_points(&r->job, lam, 1, NULL, RS_KIND_SOUP, r->scratch, NULL) != 0) return -1;
    rs_front_row row = rs_front_row_at(r->scratch, before);
    double x = 0;
    if (r->by_terms)
        for (int t = 0; t < r->scratch->n_terms; t++) x += r->w[t] * row.term[t];
    else
        for (int k = 0; k < r->scratch->n_obj; k++) x += r->w[k] * row.obj[k];
    *u = x;
    r->evals++;
    return 0;
}

/* two experts: golden-section search on [lo, hi] around the grid's best;
 * N experts: moves of size h along every e_i - e_j, halving h each round.
 * best_lam/best_u come in as the grid's best and leave as the refined one. */
static int refine_search(refiner *r, int N, double h, int iters, double *best_lam, double *best_u) {
    if (N == 2) {
        const double g = 0.6180339887498949;
        double lo = fmax(0, best_lam[1] - h), hi = fmin(1, best_lam[1] + h);
        double a = hi - g * (hi - lo), b = lo + g * (hi - lo), ua, ub;
        double la[2] = {1 - a, a}, lb[2] = {1 - b, b};
        if (utility_at(r, la, &ua) || utility_at(r, lb, &ub)) return -1;
        for (int it = 2; it < iters; it++) {
            if (ua >= ub) {
                hi = b, b = a, ub = ua;
                a = hi - g * (hi - lo);
                la[0] = 1 - a, la[1] = a;
                if (utility_at(r, la, &ua)) return -1;
            } else {
                lo = a, a = b, ua = ub;
                b = lo + g * (hi - lo);
                lb[0] = 1 - b, lb[1] = b;
                if (utility_at(r, lb, &ub)) return -1;
            }
            if (ua > *best_u) *best_u = ua, best_lam[0] = 1 - a, best_lam[1] = a;
            if (ub > *best_u) *best_u = ub, best_lam[0] = 1 - b, best_lam[1] = b;
        }
        if (ua > *best_u) *best_u = ua, best_lam[0] = 1 - a, best_lam[1] = a;
        if (ub > *best_u) *best_u = ub, best_lam[0] = 1 - b, best_lam[1] = b;
        return 0;
    }
    double cand[16];
    for (int round = 0; round < iters; round++, h /= 2) {
        double center[16];
        memcpy(center, best_lam, sizeof(double) * N);
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                if (i == j || center[j] < h - 1e-12) continue;
                memcpy(cand, center, sizeof(double) * N);
                cand[i] += h;
                cand[j] -= h;
                double u;
                if (utility_at(r, cand, &u)) return -1;
                if (u > *best_u) *best_u = u, memcpy(best_lam, cand, sizeof(double) * N);
            }
    }
    return 0;
}

/* "forward=1,ctrl=-0.1" over the front's term names into w[n_terms] (zeros
 * elsewhere); a bare name means weight 1. -1 and a message on error. */
static int parse_term_spec(const rs_front *f, const char *path, const char *spec, double *w) {
    char valid[1024];
    rs_cli_join(valid, sizeof valid, f->term_names, f->n_terms);
    char *copy = rs_strdup(spec);
    int *seen = rs_calloc((size_t)f->n_terms + 1, sizeof *seen);
    int rc = -1, named = 0;
    if (!copy || !seen) goto done;
    for (int j = 0; j < f->n_terms; j++)
        w[j] = 0;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        char *eq = strchr(item, '=');
        double v = 1.0;
        if (eq) {
            *eq = 0;
            char *end;
            v = strtod(eq + 1, &end);
            while (*end == ' ')
                end++;
            if (end == eq + 1 || *end || !isfinite(v)) {
                fprintf(stderr,
                        "rsoup select: --reward '%s': weight '%s' of term '%s' is not a "
                        "number\n",
                        spec, eq + 1, item);
                goto done;
            }
        }
        char *e = item + strlen(item);
        while (e > item && e[-1] == ' ')
            *--e = 0;
        int j = rs_front_term_index(f, item);
        if (j < 0) {
            fprintf(stderr,
                    "rsoup select: --reward '%s': unknown term '%s' (valid terms in '%s': "
                    "%s)\n",
                    spec, item, path, valid);
            goto done;
        }
        if (seen[j]++) {
            fprintf(stderr, "rsoup select: --reward '%s': term '%s' is given twice\n", spec, item);
            goto done;
        }
        w[j] = v;
        named++;
    }
    if (!named) {
        /* no term weighed: every row's utility would be 0, and the first win */
        fprintf(stderr, "rsoup select: --reward '%s' names no term (give term=weight pairs over: %s)\n",
                spec, valid);
        goto done;
    }
    rc = 0;
done:
    free(copy);
    free(seen);
    return rc;
}

static double utility(const double *w, const double *x, int n) {
    double u = 0;
    for (int j = 0; j < n; j++)
        u += w[j] * x[j];
    return u;
}

/* best row of the mask by utility; ties go to the first. -1 if none finite */
static int best_row(const rs_front *f, unsigned mask, const double *w, int by_terms, double *u_out,
                    int *n_cand, int *n_skipped) {
    int best = -1, nc = 0, ns = 0;
    double bu = -INFINITY;
    for (int i = 0; i < f->n; i++) {
        if (!(mask & RS_KIND_BIT(f->kind[i]))) continue;
        nc++;
        double u = by_terms ? utility(w, f->term + (size_t)i * f->n_terms, f->n_terms)
                            : utility(w, f->obj + (size_t)i * f->n_obj, f->n_obj);
        if (!isfinite(u)) {
            ns++;
            continue;
        }
        if (best < 0 || u > bu) best = i, bu = u;
    }
    if (u_out) *u_out = bu;
    if (n_cand) *n_cand = nc;
    if (n_skipped) *n_skipped = ns;
    return best;
}

/* what --refine found: the search's best (the best of many noisy
 * evaluations, so biased upwards), and the same λ and the grid's best
 * scored again on fresh episodes that no choice looked at */
typedef struct {
    int n_evals;
    long fresh_episodes;
    uint64_t fresh_seed;
    double fresh_u, fresh_grid_u;
} refined_info;

static int refine(const rs_opt *opts, int no, const rs_front *f, rs_front_row r, const double *w,
                  int by_terms, double *lam_out, double *u_inout, refined_info *info,
                  const char *out_path) {
    if (f->plain || r.kind != RS_KIND_SOUP) {
        fprintf(stderr, "rsoup select: --refine needs a soup row of a front from 'rsoup front'\n");
        return -2;
    }
    /* the experts: recorded in the front's provenance, or given */
    const char *el = rs_opt_str(opts, no, "experts"), *rec = rs_front_meta(f, "experts");
    if (!el && !rec) {
        fprintf(stderr, "rsoup select: --refine: this front does not record its experts (made before "
                        "rsoup wrote provenance): give --experts 'A;B' (the front's experts, in order)\n");
        return -2;
    }
    if (el && rec && !rs_cli_same_paths(el, rec)) {
        /* a front moved to another machine (an archived record) names files
         * that are gone: then the given experts stand in, said aloud */
        int gone = 0;
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", rec);
        char *save = NULL;
        for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save))
            gone |= !rs_lab_exists(t);
        if (!gone) {
            fprintf(stderr, "rsoup select: --experts '%s' are not the experts this front was made from "
                            "('%s'); leave --experts out to use those\n", el, rec);
            return -2;
        }
        fprintf(stderr, "rsoup select: note: the front's experts ('%s') are not on this machine; "
                        "using --experts as given\n", rec);
    }
    if (!el) el = rec;
    const char *mix = rs_front_meta(f, "mixing");
    if (mix && strncmp(mix, "linear", 6)) {
        fprintf(stderr, "rsoup select: --refine mixes linearly, but this front's soups are %s: "
                        "its λ would mean something else\n", mix);
        return -2;
    }
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", el);
    const int N = f->n_experts;
    rs_st *ex[16] = {0};
    int n = 0, rc = -1;
    char *save = NULL;
    for (char *t = strtok_r(buf, ";", &save); t && n < 16; t = strtok_r(NULL, ";", &save)) {
        char buf[1100];
        const char *p = rs_run_file(t, 0, buf, sizeof buf);
        if (!(ex[n++] = rs_policy_st_load(p))) {
            fprintf(stderr, "rsoup select: %s\n", rs_last_error());
            goto out;
        }
    }
    if (n != N || rs_soup_check(ex, n) != 0) {
        fprintf(stderr, "rsoup select: --experts: %s\n",
                n != N ? "give as many experts as the front has lambda columns" : rs_last_error());
        goto out;
    }
    const char *env = rs_st_meta(ex[0], "env");
    const rs_env_spec *s = rs_env_find(env ? env : "");
    if (!s) goto out;
    /* the front's objectives are reward specs (',' written as ';') */
    double ow[16][RS_MAX_TERMS];
    for (int k = 0; k < f->n_obj && k < 16; k++) {
        char spec[512];
        snprintf(spec, sizeof spec, "%s", f->obj_names[k]);
        for (char *c = spec; *c; c++)
            if (*c == ';') *c = ',';
        if (rs_reward_parse(s, spec, ow[k]) != 0) {
            fprintf(stderr, "rsoup select: objective '%s': %s\n", f->obj_names[k], rs_last_error());
            goto out;
        }
    }
    if (by_terms && f->n_terms != s->n_terms) {
        fprintf(stderr, "rsoup select: the front's terms do not match env '%s'\n", s->name);
        goto out;
    }
    long iters, episodes = r.episodes, seed, threads;
    if (rs_opt_long(opts, no, "iters", 2, 100, &iters) || rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        (rs_opt_str(opts, no, "episodes") && rs_opt_long(opts, no, "episodes", 1, 100000, &episodes)))
        goto out;
    /* grid spacing: the smallest gap between the soups' λ */
    double h = 1;
    for (int a = 0; a < f->n; a++)
        for (int b = 0; b < f->n; b++) {
            if (a == b || f->kind[a] != RS_KIND_SOUP || f->kind[b] != RS_KIND_SOUP) continue;
            double d = 0;
            for (int i = 0; i < N; i++) d = fmax(d, fabs(f->lambda[a * N + i] - f->lambda[b * N + i]));
            if (d > 1e-9 && d < h) h = d;
        }
    rs_pool *pool = rs_pool_new((int)threads);
    refiner rf;
    memset(&rf, 0, sizeof rf);
    rs_front_job j = {N, ex, s, NULL, f->n_obj, (const double(*)[RS_MAX_TERMS])ow, (int)episodes,
                      (uint64_t)seed, pool, 1, NULL, NULL, NULL, 0, 0};
    rf.job = j;
    rf.scratch = rs_front_new(N, f->n_obj, (const char *const *)f->obj_names, f->n_terms,
                              (const char *const *)f->term_names);
    rf.w = w;
    rf.by_terms = by_terms;
    memcpy(lam_out, r.lambda, sizeof(double) * N);
    fprintf(stderr, "rsoup select: refining around lambda %s (spacing %g, %ld %s, %ld episodes each)\n",
            r.label, h, iters, N == 2 ? "evaluations" : "rounds", episodes);
    if (pool && rf.scratch && refine_search(&rf, N, h, (int)iters, lam_out, u_inout) == 0) rc = 0;
    else fprintf(stderr, "rsoup select: --refine: %s\n", rs_last_error());
    info->n_evals = rf.evals;
    long fresh = 0;
    if (rc == 0 && rs_opt_long(opts, no, "rescore", 1, 100000, &fresh)) rc = -2;
    if (rc == 0) {
        /* the winner was the best of rf.evals noisy scores: score it again,
         * and the grid's best beside it, on episodes of a stream no search
         * step used (common random numbers between the two) */
        info->fresh_episodes = fresh;
        info->fresh_seed = (uint64_t)seed + 0x5EEDF00Dull;
        rf.job.episodes = (int)fresh;
        rf.job.seed = info->fresh_seed;
        if (utility_at(&rf, lam_out, &info->fresh_u) || utility_at(&rf, r.lambda, &info->fresh_grid_u)) {
            fprintf(stderr, "rsoup select: --refine: rescoring: %s\n", rs_last_error());
            rc = -1;
        }
    }
    if (rc == 0 && out_path) {
        /* the refined soup itself, as `rsoup soup` writes one */
        rs_st *soup = NULL;
        const char *paths[16];
        char pb[16][1100], buf2[4096];
        snprintf(buf2, sizeof buf2, "%s", el);
        int k = 0;
        char *sv = NULL;
        for (char *t = strtok_r(buf2, ";", &sv); t && k < 16; t = strtok_r(NULL, ";", &sv), k++)
            paths[k] = rs_run_file(t, 0, pb[k], sizeof pb[k]);
        int nm = 0;
        if (rs_soup_mix(ex, n, lam_out, &soup, &nm) < 0 || rs_soup_set_parents(soup, paths, n) < 0 ||
            rs_st_save(soup, out_path) < 0) {
            fprintf(stderr, "rsoup select: --out %s: %s\n", out_path, rs_last_error());
            rc = -1;
        }
        rs_st_free(soup);
    }
    rs_front_free(rf.scratch);
    rs_pool_free(pool);
out:
    for (int i = 0; i < n; i++) rs_st_free(ex[i]);
    return rc;
}

int cmd_select(int argc, char **argv) {
    static const rs_cmd_info info = {
        "select", "rsoup select FILE (--weights w1,w2,... | --reward SPEC) [--kinds soup] [--json]",
        "Pick the row of a front (a CSV from 'rsoup front', or a plain CSV) that\n"
        "maximises a utility: with --weights, sum_i w_i * obj_i over the objectives\n"
        "in file order (weights need not sum to 1, and may be negative); with\n"
        "--reward, sum_t w_t * term_t over the raw reward terms recorded in the\n"
        "term:<t> columns, so a reward nobody trained for is scored without new\n"
        "rollouts. Prints the row's lambda, label, expected returns and utility.",
        "examples:\n"
        "  rsoup select front.csv --weights 0.7,0.3\n"
        "  rsoup select front.csv --weights 0.7,0.3 --refine --experts 'runs/a;runs/b'\n"
        "  rsoup select front.csv --reward forward=1,ctrl=0.1,healthy=1"};
    rs_opt opts[] = {
        {"weights", "w1,w2,...", "one weight per objective (obj: column)", NULL, NULL, 0},
        {"reward", "SPEC", "term=weight pairs over the term: columns", NULL, NULL, 0},
        {"kinds", "K,...", "row kinds to choose among (soup, expert, baseline, init)", "soup", NULL,
         0},
        {"refine", NULL, "evaluate new soups around the best grid point to beat the grid", NULL, NULL, 0},
        {"experts", "A;B;...", "--refine: the front's experts, in order (default: those it records)", NULL, NULL, 0},
        {"iters", "N", "--refine: evaluations (2 experts) or rounds (more)", "8", NULL, 0},
        {"episodes", "K", "--refine: episodes per evaluation (default: the front's)", NULL, NULL, 0},
        {"seed", "S", "--refine: evaluation seed (use the front's)", "1000", NULL, 0},
        {"threads", "T", "--refine: threads (0: all cores)", "0", NULL, 0},
        {"rescore", "K", "--refine: fresh episodes the winner (and the grid's best) is scored on", "20", NULL, 0},
        {"out", "FILE", "--refine: write the refined soup (a policy file, as rsoup soup)", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int npos = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &npos, 1);
    if (rc) return rc < 0 ? 2 : 0;
    if (npos != 1) {
        fprintf(stderr, "rsoup select: which front? (usage: %s)\n", info.usage);
        return 2;
    }
    const char *path = pos[0];
    const char *wtext = rs_opt_str(opts, no, "weights");
    const char *spec = rs_opt_str(opts, no, "reward");
    if (!wtext == !spec) {
        fprintf(stderr, "rsoup select: give exactly one of --weights and --reward\n");
        return 2;
    }
    unsigned mask;
    if (rs_front_kinds_parse(rs_opt_str(opts, no, "kinds"), &mask) < 0) {
        fprintf(stderr, "rsoup select: --%s\n", rs_last_error());
        return 2;
    }
    int json = rs_opt_flag(opts, no, "json");
    rs_front *f = rs_cli_front_load("select", path, NULL);
    if (!f) return 1;
    if (f->plain) mask = RS_KIND_BIT(RS_KIND_POINT);

    int status = 1, by_terms = spec != NULL;
    int nw = by_terms ? f->n_terms : f->n_obj;
    double *w = rs_calloc((size_t)nw + 1, sizeof *w);
    char names[1024];
    rs_cli_join(names, sizeof names, by_terms ? f->term_names : f->obj_names, nw);
    if (!w) {
        rs_cli_fail("select");
        goto done;
    }
    if (by_terms) {
        if (f->n_terms == 0) {
            fprintf(stderr,
                    "rsoup select: '%s' has no term:<t> columns, so --reward cannot be "
                    "scored; use --weights over its objectives (%s)\n",
                    path, rs_cli_join(names, sizeof names, f->obj_names, f->n_obj));
            goto done;
        }
        if (parse_term_spec(f, path, spec, w) < 0) {
            status = 2;
            goto done;
        }
    } else {
        int bad = 0, got = rs_cli_numbers(wtext, w, nw, &bad);
        if (got < 0) {
            fprintf(stderr, "rsoup select: --weights '%s': '%s' is not a finite number\n", wtext,
                    wtext + bad);
            status = 2;
            goto done;
        }
        if (got != nw) {
            fprintf(stderr,
                    "rsoup select: --weights '%s' has %d value%s but '%s' has %d "
                    "objective%s (%s)\n",
                    wtext, got, got == 1 ? "" : "s", path, nw, nw == 1 ? "" : "s", names);
            status = 2;
            goto done;
        }
    }

    double u;
    int n_cand, n_skip;
    int best = best_row(f, mask, w, by_terms, &u, &n_cand, &n_skip);
    char kt[128] = "";
    for (int k = 0; k < RS_KIND_COUNT; k++)
        if (mask & RS_KIND_BIT(k))
            snprintf(kt + strlen(kt), sizeof kt - strlen(kt), "%s%s", kt[0] ? "," : "",
                     rs_front_kind_name((rs_front_kind)k));
    if (n_skip)
        fprintf(stderr, "rsoup select: warning: skipped %d row%s whose utility is not finite\n",
                n_skip, n_skip == 1 ? "" : "s");
    if (best < 0) {
        fprintf(stderr, "rsoup select: '%s' has no %srows of kind %s to choose from\n", path,
                n_cand ? "finite " : "", kt);
        goto done;
    }
    /* experts for comparison, when they were not candidates */
    double ue = 0;
    int best_e = (mask & RS_KIND_BIT(RS_KIND_EXPERT))
                     ? -1
                     : best_row(f, RS_KIND_BIT(RS_KIND_EXPERT), w, by_terms, &ue, NULL, NULL);

    rs_front_row r = rs_front_row_at(f, best);
    /* --refine */
    int refined = 0;
    refined_info ri = {0};
    double ref_lam[16], ref_u = u;
    const char *out_path = rs_opt_str(opts, no, "out");
    if (out_path && !rs_opt_flag(opts, no, "refine")) {
        fprintf(stderr, "rsoup select: --out writes the refined soup: it goes with --refine "
                        "(for a grid row, rsoup soup A B --lambda ... --out FILE)\n");
        status = 2;
        goto done;
    }
    if (rs_opt_flag(opts, no, "refine")) {
        int frc = refine(opts, no, f, r, w, by_terms, ref_lam, &ref_u, &ri, out_path);
        if (frc != 0) {
            if (frc == -2) status = 2; /* a usage error */
            goto done;
        }
        refined = 1;
    }
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "file", path);
        cJSON_AddStringToObject(root, "kinds", kt);
        if (by_terms) {
            cJSON *o = cJSON_AddObjectToObject(root, "reward");
            for (int j = 0; j < f->n_terms; j++)
                if (w[j] != 0) cJSON_AddNumberToObject(o, f->term_names[j], w[j]);
        } else {
            cJSON_AddItemToObject(root, "weights", rs_lab_json_nums(w, nw));
        }
        cJSON_AddNumberToObject(root, "n_candidates", n_cand);
        cJSON_AddNumberToObject(root, "utility", u);
        cJSON *b = cJSON_AddObjectToObject(root, "best");
        cJSON_AddNumberToObject(b, "row", best + 1);
        cJSON_AddStringToObject(b, "kind", rs_front_kind_name(r.kind));
        cJSON_AddStringToObject(b, "label", r.label);
        if (!f->plain) {
            cJSON_AddItemToObject(b, "lambda", rs_lab_json_nums(r.lambda, f->n_experts));
            cJSON_AddNumberToObject(b, "episodes", r.episodes);
            cJSON_AddItemToObject(b, "length", rs_lab_json_num(r.length));
        }
        cJSON *ob = cJSON_AddArrayToObject(b, "rewards");
        for (int j = 0; j < f->n_obj; j++)
            rs_cli_json_stat(ob, "reward", f->obj_names[j], r.obj[j], r.std[j]);
        if (f->n_terms) {
            cJSON *tb = cJSON_AddArrayToObject(b, "terms");
            for (int j = 0; j < f->n_terms; j++)
                rs_cli_json_stat(tb, "name", f->term_names[j], r.term[j], r.termstd[j]);
        }
        if (refined) {
            cJSON *x = cJSON_AddObjectToObject(root, "refined");
            cJSON_AddItemToObject(x, "lambda", rs_lab_json_nums(ref_lam, f->n_experts));
            /* utility and gain_over_grid: the search's (biased upwards) */
            cJSON_AddNumberToObject(x, "utility", ref_u);
            cJSON_AddNumberToObject(x, "gain_over_grid", ref_u - u);
            cJSON_AddNumberToObject(x, "evaluations", ri.n_evals);
            cJSON *fr = cJSON_AddObjectToObject(x, "fresh");
            cJSON_AddNumberToObject(fr, "episodes", ri.fresh_episodes);
            cJSON_AddNumberToObject(fr, "seed", (double)ri.fresh_seed);
            cJSON_AddNumberToObject(fr, "utility", ri.fresh_u);
            cJSON_AddNumberToObject(fr, "grid_best_utility", ri.fresh_grid_u);
            cJSON_AddNumberToObject(fr, "gain_over_grid", ri.fresh_u - ri.fresh_grid_u);
            if (out_path) cJSON_AddStringToObject(x, "out", out_path);
        }
        if (best_e >= 0) {
            cJSON *e = cJSON_AddObjectToObject(root, "best_expert");
            cJSON_AddStringToObject(e, "label", f->label[best_e]);
            cJSON_AddNumberToObject(e, "utility", ue);
        }
        rs_json_print(root);
    } else {
        printf("best of %d %s row%s", n_cand, kt, n_cand == 1 ? "" : "s");
        if (by_terms)
            printf(" for reward %s:\n", spec);
        else {
            printf(" for weights (");
            for (int j = 0; j < nw; j++)
                printf("%s%g", j ? ", " : "", w[j]);
            printf(") on (%s):\n", names);
        }
        printf("  label     %s (%s, row %d)\n", r.label, rs_front_kind_name(r.kind), best + 1);
        if (!f->plain) {
            printf("  lambda    (");
            for (int i = 0; i < f->n_experts; i++)
                printf("%s%.6g", i ? ", " : "", r.lambda[i]);
            printf(")\n");
        }
        printf("  utility   %.10g\n", u);
        printf("  expected returns:");
        for (int j = 0; j < f->n_obj; j++) {
            printf(" %s %.6g", f->obj_names[j], r.obj[j]);
            if (isfinite(r.std[j])) printf(" (std %.3g)", r.std[j]);
            printf("%s", j + 1 < f->n_obj ? "," : "");
        }
        printf("\n");
        if (by_terms) {
            printf("  terms:");
            for (int j = 0; j < f->n_terms; j++)
                printf(" %s %.6g (weight %g)%s", f->term_names[j], r.term[j], w[j],
                       j + 1 < f->n_terms ? "," : "");
            printf("\n");
        }
        if (!f->plain) printf("  over %d episodes, mean length %.1f\n", r.episodes, r.length);
        if (best_e >= 0)
            printf("for comparison: the best expert row (%s) has utility %.10g\n", f->label[best_e],
                   ue);
        if (refined) {
            printf("refined (%d evaluations around the grid's best): lambda (", ri.n_evals);
            for (int i = 0; i < f->n_experts; i++) printf("%s%.6g", i ? ", " : "", ref_lam[i]);
            printf("), utility %.10g in the search (%+.4g over the grid; the best of %d noisy "
                   "scores, so biased upwards)\n", ref_u, ref_u - u, ri.n_evals);
            printf("  on %ld fresh episodes: utility %.10g, the grid's best %.10g (%+.4g)\n",
                   ri.fresh_episodes, ri.fresh_u, ri.fresh_grid_u, ri.fresh_u - ri.fresh_grid_u);
            if (out_path) printf("  wrote the refined soup to %s\n", out_path);
        }
    }
    status = 0;
done:
    free(w);
    rs_front_free(f);
    return status;
}

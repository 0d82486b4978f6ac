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
#include "rs_refine.h"

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

/* --refine: the front's experts (recorded in its provenance, or given) and
 * the library's search (lab/rs_refine.h) around the grid's best row r;
 * -2 for a usage error, -1 for a failure (printed) */
static int refine(const rs_opt *opts, int no, const rs_front *f, rs_front_row r, const double *w,
                  int by_terms, double *lam_out, double *u_inout, refined_info *info,
                  const char *out_path) {
    if (f->plain || r.kind != RS_KIND_SOUP) {
        fprintf(stderr, "rsoup select: --refine needs a soup row of a front from 'rsoup front'\n");
        return -2;
    }
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
    rs_refine rf;
    int rc = -1;
    long iters, episodes = r.episodes, seed, threads, fresh = 0;
    if (rs_refine_open(&rf, f, el, w, by_terms) != 0) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        goto out;
    }
    if (rs_opt_long(opts, no, "iters", 2, 100, &iters) || rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        (rs_opt_str(opts, no, "episodes") && rs_opt_long(opts, no, "episodes", 1, 100000, &episodes)))
        goto out;
    if (rs_refine_search(&rf, r, (int)iters, (int)episodes, (uint64_t)seed, threads, lam_out, u_inout,
                         stderr, "rsoup select") != 0) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        goto out;
    }
    info->n_evals = rf.evals;
    if (rs_opt_long(opts, no, "rescore", 1, 100000, &fresh)) {
        rc = -2;
        goto out;
    }
    /* the winner was the best of rf.evals noisy scores: score it again, and
     * the grid's best beside it, on episodes of a stream no search step used */
    info->fresh_episodes = fresh;
    info->fresh_seed = (uint64_t)seed + 0x5EEDF00Dull;
    if (rs_refine_rescore(&rf, lam_out, r.lambda, (int)fresh, info->fresh_seed, &info->fresh_u,
                          &info->fresh_grid_u) != 0 ||
        (out_path && rs_refine_save(&rf, el, lam_out, out_path) != 0)) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        goto out;
    }
    rc = 0;
out:
    rs_refine_close(&rf);
    return rc;
}

/* the utility's weights into w: --reward's over the front's terms (spec),
 * else --weights over its objectives (wtext; names: theirs, joined). 0, or
 * the exit status (printed). */
static int read_utility(const rs_front *f, const char *path, const char *wtext, const char *spec, double *w,
                        char *names, size_t cap) {
    const int nw = spec ? f->n_terms : f->n_obj;
    if (spec) {
        if (f->n_terms == 0) {
            fprintf(stderr,
                    "rsoup select: '%s' has no term:<t> columns, so --reward cannot be "
                    "scored; use --weights over its objectives (%s)\n",
                    path, rs_cli_join(names, cap, f->obj_names, f->n_obj));
            return 1;
        }
        if (parse_term_spec(f, path, spec, w) < 0) {
            return 2;
        }
    } else {
        int bad = 0, got = rs_cli_numbers(wtext, w, nw, &bad);
        if (got < 0) {
            fprintf(stderr, "rsoup select: --weights '%s': '%s' is not a finite number\n", wtext,
                    wtext + bad);
            return 2;
        }
        if (got != nw) {
            fprintf(stderr,
                    "rsoup select: --weights '%s' has %d value%s but '%s' has %d "
                    "objective%s (%s)\n",
                    wtext, got, got == 1 ? "" : "s", path, nw, nw == 1 ? "" : "s", names);
            return 2;
        }
    }

    return 0;
}

/* what select chose, for printing */
typedef struct {
    const rs_front *f;
    const char *path, *spec, *names, *kt, *out_path;
    const double *w, *ref_lam;
    int nw, by_terms, n_cand, best, best_e, refined;
    double u, ue, ref_u;
    rs_front_row r;
    refined_info ri;
} choice;

static void print_json(const choice *c) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", c->path);
    cJSON_AddStringToObject(root, "kinds", c->kt);
    if (c->by_terms) {
        cJSON *o = cJSON_AddObjectToObject(root, "reward");
        for (int j = 0; j < c->f->n_terms; j++)
            if (c->w[j] != 0) cJSON_AddNumberToObject(o, c->f->term_names[j], c->w[j]);
    } else {
        cJSON_AddItemToObject(root, "weights", rs_lab_json_nums(c->w, c->nw));
    }
    cJSON_AddNumberToObject(root, "n_candidates", c->n_cand);
    cJSON_AddNumberToObject(root, "utility", c->u);
    cJSON *b = cJSON_AddObjectToObject(root, "best");
    cJSON_AddNumberToObject(b, "row", c->best + 1);
    cJSON_AddStringToObject(b, "kind", rs_front_kind_name(c->r.kind));
    cJSON_AddStringToObject(b, "label", c->r.label);
    if (!c->f->plain) {
        cJSON_AddItemToObject(b, "lambda", rs_lab_json_nums(c->r.lambda, c->f->n_experts));
        cJSON_AddNumberToObject(b, "episodes", c->r.episodes);
        cJSON_AddItemToObject(b, "length", rs_lab_json_num(c->r.length));
    }
    cJSON *ob = cJSON_AddArrayToObject(b, "rewards");
    for (int j = 0; j < c->f->n_obj; j++)
        rs_cli_json_stat(ob, "reward", c->f->obj_names[j], c->r.obj[j], c->r.std[j]);
    if (c->f->n_terms) {
        cJSON *tb = cJSON_AddArrayToObject(b, "terms");
        for (int j = 0; j < c->f->n_terms; j++)
            rs_cli_json_stat(tb, "name", c->f->term_names[j], c->r.term[j], c->r.termstd[j]);
    }
    if (c->refined) {
        cJSON *x = cJSON_AddObjectToObject(root, "refined");
        cJSON_AddItemToObject(x, "lambda", rs_lab_json_nums(c->ref_lam, c->f->n_experts));
        /* utility and gain_over_grid: the search's (biased upwards) */
        cJSON_AddNumberToObject(x, "utility", c->ref_u);
        cJSON_AddNumberToObject(x, "gain_over_grid", c->ref_u - c->u);
        cJSON_AddNumberToObject(x, "evaluations", c->ri.n_evals);
        cJSON *fr = cJSON_AddObjectToObject(x, "fresh");
        cJSON_AddNumberToObject(fr, "episodes", c->ri.fresh_episodes);
        cJSON_AddNumberToObject(fr, "seed", (double)c->ri.fresh_seed);
        cJSON_AddNumberToObject(fr, "utility", c->ri.fresh_u);
        cJSON_AddNumberToObject(fr, "grid_best_utility", c->ri.fresh_grid_u);
        cJSON_AddNumberToObject(fr, "gain_over_grid", c->ri.fresh_u - c->ri.fresh_grid_u);
        if (c->out_path) cJSON_AddStringToObject(x, "out", c->out_path);
    }
    if (c->best_e >= 0) {
        cJSON *e = cJSON_AddObjectToObject(root, "best_expert");
        cJSON_AddStringToObject(e, "label", c->f->label[c->best_e]);
        cJSON_AddNumberToObject(e, "utility", c->ue);
    }
    rs_json_print(root);
}

static void print_text(const choice *c) {
    printf("best of %d %s row%s", c->n_cand, c->kt, c->n_cand == 1 ? "" : "s");
    if (c->by_terms)
        printf(" for reward %s:\n", c->spec);
    else {
        printf(" for weights (");
        for (int j = 0; j < c->nw; j++)
            printf("%s%g", j ? ", " : "", c->w[j]);
        printf(") on (%s):\n", c->names);
    }
    printf("  label     %s (%s, row %d)\n", c->r.label, rs_front_kind_name(c->r.kind), c->best + 1);
    if (!c->f->plain) {
        printf("  lambda    (");
        for (int i = 0; i < c->f->n_experts; i++)
            printf("%s%.6g", i ? ", " : "", c->r.lambda[i]);
        printf(")\n");
    }
    printf("  utility   %.10g\n", c->u);
    printf("  expected returns:");
    for (int j = 0; j < c->f->n_obj; j++) {
        printf(" %s %.6g", c->f->obj_names[j], c->r.obj[j]);
        if (isfinite(c->r.std[j])) printf(" (std %.3g)", c->r.std[j]);
        printf("%s", j + 1 < c->f->n_obj ? "," : "");
    }
    printf("\n");
    if (c->by_terms) {
        printf("  terms:");
        for (int j = 0; j < c->f->n_terms; j++)
            printf(" %s %.6g (weight %g)%s", c->f->term_names[j], c->r.term[j], c->w[j],
                   j + 1 < c->f->n_terms ? "," : "");
        printf("\n");
    }
    if (!c->f->plain) printf("  over %d episodes, mean length %.1f\n", c->r.episodes, c->r.length);
    if (c->best_e >= 0)
        printf("for comparison: the best expert row (%s) has utility %.10g\n", c->f->label[c->best_e],
               c->ue);
    if (c->refined) {
        printf("refined (%d evaluations around the grid's best): lambda (", c->ri.n_evals);
        for (int i = 0; i < c->f->n_experts; i++) printf("%s%.6g", i ? ", " : "", c->ref_lam[i]);
        printf("), utility %.10g in the search (%+.4g over the grid; the best of %d noisy "
               "scores, so biased upwards)\n", c->ref_u, c->ref_u - c->u, c->ri.n_evals);
        printf("  on %ld fresh episodes: utility %.10g, the grid's best %.10g (%+.4g)\n",
               c->ri.fresh_episodes, c->ri.fresh_u, c->ri.fresh_grid_u, c->ri.fresh_u - c->ri.fresh_grid_u);
        if (c->out_path) printf("  wrote the refined soup to %s\n", c->out_path);
    }
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
    if ((status = read_utility(f, path, wtext, spec, w, names, sizeof names)) != 0) goto done;
    status = 1;
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
    choice c = {f, path, spec, names, kt, out_path, w, ref_lam, nw, by_terms, n_cand, best, best_e,
                refined, u, ue, ref_u, r, ri};
    if (json) print_json(&c);
    else print_text(&c);
    status = 0;
done:
    free(w);
    rs_front_free(f);
    return status;
}

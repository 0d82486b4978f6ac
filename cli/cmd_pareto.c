/* cmd_pareto.c — `rsoup pareto`: Pareto metrics of a front CSV (or a plain
 * CSV of objective vectors): the non-dominated set, hypervolume against a
 * recorded reference point, expected utility over uniform weights, sparsity.
 * One front is scored by lab/rs_frontscore.h, several on one reference
 * point by lab/rs_compare.h; pareto_print.c prints. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "pareto.h"

typedef struct {
    const char *const *paths;
    int n;
    unsigned mask;        /* --kinds */
    const char *ref_text; /* --ref, or NULL */
    double margin;
    long k; /* --weights-k; 0: pareto's default for the objective count */
    int json;
} pareto_args;

/* pareto's own EUM default (the experiment report's differs for d = 1:
 * docs/decisions.md) */
static long default_k(long k, int d) { return k ? k : d == 2 ? 100 : d >= 3 ? 20 : 1; }

/* A reference point far below the points (--margin 1e308, --ref -1e300,...)
 * overflows the hypervolume to inf: an error, not a score. 0, or -1 with
 * the message printed. */
static int scores_finite(const double *ref, int d, double hv, double eum, const pareto_args *a) {
    int ok = isfinite(hv) && isfinite(eum);
    for (int j = 0; j < d; j++) ok &= isfinite(ref[j]) != 0;
    if (ok) return 0;
    if (a->ref_text)
        fprintf(stderr,
                "rsoup pareto: --ref %s: the hypervolume is %g, beyond double range: give "
                "a reference point nearer the points\n",
                a->ref_text, hv);
    else
        fprintf(stderr,
                "rsoup pareto: --margin %g puts the reference point so far below the "
                "points that the hypervolume is %g, beyond double range: give a smaller "
                "--margin or a --ref\n",
                a->margin, hv);
    return -1;
}

/* several fronts (one per seed, or fronts of different methods, plain CSVs
 * among them), each checked as it loads: same objectives, rows of the kinds
 * scored, finite values. 0, or the exit status (printed). */
static int load_many(const pareto_args *a, rs_front **f) {
    for (int i = 0; i < a->n; i++) {
        if (!(f[i] = rs_cli_front_load("pareto", a->paths[i], NULL))) return 1;
        if (i && rs_front_same_objectives(f[0], f[i]) != 0) {
            fprintf(stderr,
                    "rsoup pareto: '%s' and '%s' are not fronts of the same objectives: %s\n",
                    a->paths[0], a->paths[i], rs_last_error());
            return 1;
        }
        unsigned m = f[i]->plain ? RS_KIND_BIT(RS_KIND_POINT) : a->mask;
        unsigned bm = (m & RS_KIND_BIT(RS_KIND_BASELINE)) || f[i]->plain ? 0 : RS_KIND_BIT(RS_KIND_BASELINE);
        if (rs_front_select(f[i], m, NULL) < 1) {
            fprintf(stderr, "rsoup pareto: '%s' has no rows of the kinds scored\n", a->paths[i]);
            return 1;
        }
        if (rs_front_check_finite(a->paths[i], f[i], m | bm, 0) < 0) {
            fprintf(stderr, "rsoup pareto: %s\n", rs_last_error());
            return 1;
        }
    }
    return 0;
}

/* several fronts scored against one shared reference point, then mean [95%
 * bootstrap interval] of every score over them (lab/rs_compare.h) */
static int pareto_many(const pareto_args *a) {
    const int nf = a->n;
    rs_front **f = rs_calloc((size_t)nf, sizeof *f);
    double *given = NULL;
    rs_compare_result res = {0};
    int status = 1;
    if (!f) goto fail;
    if ((status = load_many(a, f)) != 0) goto done;
    status = 1;
    const int d = f[0]->n_obj;
    char ref_source[200];
    if (a->ref_text) {
        int bad = 0;
        if (!(given = rs_calloc((size_t)d, sizeof *given))) goto fail;
        if (rs_cli_numbers(a->ref_text, given, d, &bad) != d) {
            fprintf(stderr, "rsoup pareto: --ref '%s': give %d finite numbers\n", a->ref_text, d);
            status = 2;
            goto done;
        }
        snprintf(ref_source, sizeof ref_source, "given");
    } else {
        snprintf(ref_source, sizeof ref_source,
                 "default: componentwise min of every front's points minus %g%% of the range",
                 a->margin * 100);
    }
    rs_compare_req req = {
        .n = nf,
        .fronts = (const rs_front *const *)f,
        .names = a->paths,
        .soup_kinds = a->mask,
        .baseline_kinds =
            (a->mask & RS_KIND_BIT(RS_KIND_BASELINE)) ? 0 : RS_KIND_BIT(RS_KIND_BASELINE),
        .ref = given,
        .margin = a->margin,
        .eum_k = (int)default_k(a->k, d),
    };
    if (rs_compare_run(&req, &res) < 0) goto fail;
    for (int i = 0; i < nf; i++) {
        const rs_compare_front *m = &res.front[i];
        if (scores_finite(res.ref, d, m->hv, m->eum, a) ||
            (m->n_baseline && scores_finite(res.ref, d, m->baseline_hv, m->baseline_eum, a)))
            goto done;
    }
    rs_compare_agg ag;
    if (rs_compare_aggregate(&res, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &ag) < 0)
        goto fail;
    rs_cli_pareto_many view = {a->paths, nf, d, &res, &ag, ref_source};
    rs_cli_pareto_print_many(&view, a->json);
    status = 0;
    goto done;
fail:
    fprintf(stderr, "rsoup pareto: %s\n", rs_last_error());
done:
    for (int i = 0; f && i < nf; i++) rs_front_free(f[i]);
    free(f);
    free(given);
    rs_compare_free(&res);
    return status;
}

/* --ref over the front's objectives into ref[d]: 0, or 2 (printed) */
static int read_ref(const pareto_args *a, const rs_front *f, double *ref) {
    const int d = f->n_obj;
    int bad = 0, got = rs_cli_numbers(a->ref_text, ref, d, &bad);
    if (got < 0) {
        fprintf(stderr, "rsoup pareto: --ref '%s': '%s' is not a finite number\n", a->ref_text,
                a->ref_text + bad);
        return 2;
    }
    if (got != d) {
        char names[1024];
        fprintf(stderr,
                "rsoup pareto: --ref '%s' has %d value%s but '%s' has %d objective%s (%s)\n",
                a->ref_text, got, got == 1 ? "" : "s", a->paths[0], d, d == 1 ? "" : "s",
                rs_cli_join(names, sizeof names, f->obj_names, d));
        return 2;
    }
    return 0;
}

/* one front: its rows of the kinds asked for, and its baseline rows apart */
static int pareto_one(const pareto_args *a) {
    const char *path = a->paths[0];
    int trunc = 0, status = 1;
    rs_front *f = rs_cli_front_load("pareto", path, &trunc);
    if (!f) return 1;
    rs_frontscore s;
    double *ref = NULL;
    if (rs_frontscore_open(&s, f, path, a->mask) != 0) goto fail;
    const int d = s.d;
    const long k = default_k(a->k, d);
    char ref_source[160];
    if (a->ref_text) {
        if (!(ref = rs_calloc((size_t)d, sizeof *ref))) goto fail;
        if ((status = read_ref(a, f, ref)) != 0) goto done;
        status = 1;
        snprintf(ref_source, sizeof ref_source, "given");
    } else {
        snprintf(ref_source, sizeof ref_source,
                 "default: componentwise min minus %g%% of the range", a->margin * 100);
    }
    if (rs_frontscore_score(&s, ref, a->margin, (int)k) != 0) goto fail;
    if (scores_finite(s.ref, d, s.main.hv, s.main.eum, a) ||
        (s.baseline.n && scores_finite(s.ref, d, s.baseline.hv, s.baseline.eum, a)))
        goto done;
    const int below = s.main.below_ref + s.baseline.below_ref;
    if (below)
        fprintf(stderr,
                "rsoup pareto: note: %d point%s not above the reference point in every objective "
                "and add%s no hypervolume\n",
                below, below == 1 ? " is" : "s are", below == 1 ? "s" : "");
    rs_cli_pareto_one view = {path, &s, trunc, a->ref_text, ref_source, a->margin, k};
    rs_cli_pareto_print_one(&view, a->json);
    status = 0;
    goto done;
fail:
    fprintf(stderr, "rsoup pareto: %s\n", rs_last_error());
done:
    rs_frontscore_free(&s);
    free(ref);
    rs_front_free(f);
    return status;
}

int cmd_pareto(int argc, char **argv) {
    static const rs_cmd_info info = {
        "pareto", "rsoup pareto FILE [FILE ...] [--ref x,y,...] [--kinds soup,expert] [--json]",
        "Score a front: the non-dominated set, the hypervolume above a reference\n"
        "point (always printed, with how it was chosen), the expected utility (EUM)\n"
        "over the uniform simplex lattice of weights, sparsity and cardinality.\n"
        "FILE is a front CSV from 'rsoup front' (objectives are its obj: columns;\n"
        "baseline rows are scored in a block of their own, with the same reference\n"
        "point) or a plain CSV of objective vectors, larger is better (a header of\n"
        "names, then one point per row; --kinds does not apply). Several FILEs (one\n"
        "front per seed) are scored against one shared reference point, then\n"
        "summarised: mean [95% bootstrap interval] of each score over the fronts.",
        "The default reference point is computed from the points scored (baselines\n"
        "included), so it moves with the front: to compare fronts, pass one --ref.\n"
        "example: rsoup pareto runs/hopper/front.csv --ref 0,0"};
    rs_opt opts[] = {
        {"ref", "x,y,...", "hypervolume reference point, one value per objective", NULL, NULL, 0},
        {"kinds", "K,...", "row kinds scored together (soup, expert, baseline, init)",
         "soup,expert", NULL, 0},
        {"margin", "F", "default ref: componentwise min minus F times the range", "0.05", NULL, 0},
        {"weights-k", "K", "EUM lattice resolution (default 100 for 2 objectives, 20 for 3+)", NULL,
         NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[64];
    int npos = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &npos, 64);
    if (rc) return rc < 0 ? 2 : 0;
    if (npos < 1) {
        fprintf(stderr, "rsoup pareto: which front? (usage: %s)\n", info.usage);
        return 2;
    }
    pareto_args a = {
        pos, npos, 0, rs_opt_str(opts, no, "ref"), 0, 0, rs_opt_flag(opts, no, "json")};
    if (rs_front_kinds_parse(rs_opt_str(opts, no, "kinds"), &a.mask) < 0) {
        fprintf(stderr, "rsoup pareto: --%s\n", rs_last_error());
        return 2;
    }
    if (rs_opt_double(opts, no, "margin", &a.margin) < 0) return 2;
    if (a.margin < 0) {
        fprintf(stderr, "rsoup pareto: --margin must be >= 0, got %g\n", a.margin);
        return 2;
    }
    if (rs_opt_flag(opts, no, "weights-k") &&
        rs_opt_long(opts, no, "weights-k", 1, 100000, &a.k) < 0)
        return 2;
    if (npos > 1 && rs_cli_fronts_distinct("pareto", pos, npos) != 0) return 2;
    return npos > 1 ? pareto_many(&a) : pareto_one(&a);
}

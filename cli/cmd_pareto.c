/* cmd_pareto.c — `rsoup pareto`: Pareto metrics of a front CSV (or a plain
 * CSV of objective vectors): the non-dominated set, hypervolume against a
 * recorded reference point, expected utility over uniform weights, sparsity. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_compare.h"
#include "rs_lattice.h"
#include "rs_pareto.h"
#include "rs_stats.h"

/* ---- helpers shared with cmd_select.c ---- */

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

int rs_cli_front_finite(const char *path, const rs_front *f, unsigned mask, int with_std) {
    for (int i = 0; i < f->n; i++) {
        if (!(mask & RS_KIND_BIT(f->kind[i]))) continue;
        for (int j = 0; j < f->n_obj; j++) {
            const double v = f->obj[(size_t)i * f->n_obj + j];
            const double sd = with_std ? f->std[(size_t)i * f->n_obj + j] : 0;
            if (isfinite(v) && isfinite(sd)) continue;
            rs_set_error("'%s': %s row '%s': %sobjective '%s' is %g (the metrics need finite "
                         "values)",
                         path, rs_front_kind_name(f->kind[i]), f->label[i],
                         isfinite(v) ? "the std of " : "", f->obj_names[j], isfinite(v) ? sd : v);
            return -1;
        }
    }
    return 0;
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

/* A reference point far below the points (--margin 1e308, --ref -1e300,...)
 * overflows the hypervolume to inf: an error, not a score. 0, or -1 with
 * the message printed. */
static int scores_finite(const double *ref, int d, double hv, double eum, const char *ref_text,
                         double margin) {
    int ok = isfinite(hv) && isfinite(eum);
    for (int j = 0; j < d; j++) ok &= isfinite(ref[j]) != 0;
    if (ok) return 0;
    if (ref_text)
        fprintf(stderr, "rsoup pareto: --ref %s: the hypervolume is %g, beyond double range: give "
                        "a reference point nearer the points\n",
                ref_text, hv);
    else
        fprintf(stderr, "rsoup pareto: --margin %g puts the reference point so far below the "
                        "points that the hypervolume is %g, beyond double range: give a smaller "
                        "--margin or a --ref\n",
                margin, hv);
    return -1;
}

/* ---- metrics of one block of rows ---- */

typedef struct {
    int n, *rows;        /* indices into the front */
    double *pts;         /* n x d */
    int *mask, n_nondom; /* n_nondom counts repeated points once each */
    int cardinality;     /* distinct non-dominated points */
    double hv, eum, sparsity;
    int below_ref; /* points not strictly better than ref everywhere */
} block;

static int score(const rs_front *f, block *b, const double *ref, int k) {
    int d = f->n_obj;
    b->mask = rs_calloc((size_t)b->n + 1, sizeof *b->mask);
    if (!b->mask) return -1;
    b->n_nondom = rs_pareto_nondominated(b->pts, b->n, d, b->mask);
    /* a soup at λ = (1, 0) and its expert are often the same point: count it
     * once (sorted, so that copies are neighbours: O(n log n)) */
    b->cardinality = b->n_nondom < 0 ? 0 : rs_pareto_distinct(b->pts, b->n, d, b->mask);
    b->hv = rs_hv(b->pts, b->n, d, ref);
    b->eum = rs_eum_uniform(b->pts, b->n, d, k);
    b->sparsity = rs_sparsity(b->pts, b->n, d);
    if (b->n_nondom < 0 || b->hv < 0 || isnan(b->eum) || b->sparsity < 0) return -1;
    for (int i = 0; i < b->n; i++)
        for (int j = 0; j < d; j++)
            if (!(b->pts[(size_t)i * d + j] > ref[j])) {
                b->below_ref++;
                break;
            }
    return 0;
}

static void print_block(const rs_front *f, const block *b, const char *indent) {
    int d = f->n_obj;
    printf("%snon-dominated: %d of %d rows", indent, b->n_nondom, b->n);
    if (b->cardinality != b->n_nondom) printf(" (%d distinct points)", b->cardinality);
    printf("\n");
    printf("%s  %-8s %-20s", indent, "kind", "label");
    for (int j = 0; j < d; j++)
        printf(" %12.12s", f->obj_names[j]);
    printf("\n");
    for (int i = 0; i < b->n; i++) {
        if (!b->mask[i]) continue;
        int r = b->rows[i];
        printf("%s  %-8s %-20s", indent, rs_front_kind_name(f->kind[r]), f->label[r]);
        for (int j = 0; j < d; j++)
            printf(" %12.6g", b->pts[(size_t)i * d + j]);
        printf("\n");
    }
}

/* add the block's fields to o; returns o */
static cJSON *block_json(cJSON *o, const rs_front *f, const block *b, int k) {
    int d = f->n_obj;
    cJSON_AddNumberToObject(o, "n_points", b->n);
    cJSON *nd = cJSON_AddArrayToObject(o, "nondominated");
    for (int i = 0; i < b->n; i++) {
        if (!b->mask[i]) continue;
        int r = b->rows[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "kind", rs_front_kind_name(f->kind[r]));
        cJSON_AddStringToObject(p, "label", f->label[r]);
        if (!f->plain)
            cJSON_AddItemToObject(
                p, "lambda", rs_lab_json_nums(f->lambda + (size_t)r * f->n_experts, f->n_experts));
        cJSON_AddItemToObject(p, "values", rs_lab_json_nums(b->pts + (size_t)i * d, d));
        cJSON_AddItemToArray(nd, p);
    }
    cJSON_AddNumberToObject(o, "hypervolume", b->hv);
    cJSON_AddNumberToObject(o, "eum", b->eum);
    cJSON_AddNumberToObject(o, "eum_k", k);
    cJSON_AddNumberToObject(o, "eum_n_weights", rs_lattice_count(d, k));
    cJSON_AddNumberToObject(o, "sparsity", b->sparsity);
    cJSON_AddNumberToObject(o, "cardinality", b->cardinality);
    cJSON_AddNumberToObject(o, "n_nondominated_rows", b->n_nondom);
    cJSON_AddNumberToObject(o, "points_not_above_ref", b->below_ref);
    return o;
}

static void kinds_text(char *buf, size_t cap, unsigned mask) {
    buf[0] = 0;
    for (int k = 0; k < RS_KIND_COUNT; k++)
        if (mask & RS_KIND_BIT(k)) {
            size_t n = strlen(buf);
            snprintf(buf + n, cap - n, "%s%s", n ? "," : "", rs_front_kind_name((rs_front_kind)k));
        }
}

/* "21 soup, 2 expert" for the rows of the mask */
static void counts_text(char *buf, size_t cap, const rs_front *f, unsigned mask) {
    buf[0] = 0;
    for (int k = 0; k < RS_KIND_COUNT; k++) {
        if (!(mask & RS_KIND_BIT(k))) continue;
        int c = rs_front_select(f, RS_KIND_BIT(k), NULL);
        if (!c) continue;
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%d %s", n ? ", " : "", c,
                 rs_front_kind_name((rs_front_kind)k));
    }
    if (!buf[0]) snprintf(buf, cap, "none");
}

static void block_free(block *b) {
    free(b->rows);
    free(b->pts);
    free(b->mask);
}

/* Two files scored on one reference point must score the same objectives.
 * Fronts from `rsoup front` must also agree on experts and terms; a plain
 * CSV (a peer's points, a hand-made front) only on the objectives, by name
 * and order. 0, or -1 (error set). */
static int same_objectives(const rs_front *a, const rs_front *b) {
    if (!a->plain && !b->plain) return rs_front_same_schema(a, b);
    int same = a->n_obj == b->n_obj;
    for (int k = 0; same && k < a->n_obj; k++) same = !strcmp(a->obj_names[k], b->obj_names[k]);
    if (!same) {
        char sa[512] = "", sb[512] = "";
        for (int k = 0; k < a->n_obj; k++)
            snprintf(sa + strlen(sa), sizeof sa - strlen(sa), "%s%s", k ? "," : "", a->obj_names[k]);
        for (int k = 0; k < b->n_obj; k++)
            snprintf(sb + strlen(sb), sizeof sb - strlen(sb), "%s%s", k ? "," : "", b->obj_names[k]);
        rs_set_error("they score different objectives: (%s) and (%s); a plain CSV's header must "
                     "name the front's rewards in its order", sa, sb);
        return -1;
    }
    return 0;
}

/* several fronts (one per seed, or fronts of different methods, plain CSVs
 * among them): each scored against one shared reference point, then mean
 * [95% bootstrap interval] of every score over them (lab/rs_compare.h) */
static int pareto_many(const char *const *paths, int nf, unsigned mask, const char *ref_text,
                       double margin, long k, int json) {
    rs_front **f = rs_calloc((size_t)nf, sizeof *f);
    double *given = NULL;
    rs_compare_result res = {0};
    int status = 1, d = 0;
    if (!f) goto fail;
    for (int i = 0; i < nf; i++) {
        if (!(f[i] = rs_cli_front_load("pareto", paths[i], NULL))) goto done;
        if (i && same_objectives(f[0], f[i]) != 0) {
            fprintf(stderr, "rsoup pareto: '%s' and '%s' are not fronts of the same objectives: %s\n",
                    paths[0], paths[i], rs_last_error());
            goto done;
        }
        unsigned m = f[i]->plain ? RS_KIND_BIT(RS_KIND_POINT) : mask;
        unsigned bm = (m & RS_KIND_BIT(RS_KIND_BASELINE)) || f[i]->plain ? 0 : RS_KIND_BIT(RS_KIND_BASELINE);
        if (rs_front_select(f[i], m, NULL) < 1) {
            fprintf(stderr, "rsoup pareto: '%s' has no rows of the kinds scored\n", paths[i]);
            goto done;
        }
        if (rs_cli_front_finite(paths[i], f[i], m | bm, 0) < 0) {
            fprintf(stderr, "rsoup pareto: %s\n", rs_last_error());
            goto done;
        }
    }
    d = f[0]->n_obj;
    /* pareto's own EUM default (the experiment report's differs for d = 1:
     * docs/decisions.md) */
    if (!k) k = d == 2 ? 100 : d >= 3 ? 20 : 1;
    char ref_source[200];
    if (ref_text) {
        int bad = 0;
        if (!(given = rs_calloc((size_t)d, sizeof *given))) goto fail;
        if (rs_cli_numbers(ref_text, given, d, &bad) != d) {
            fprintf(stderr, "rsoup pareto: --ref '%s': give %d finite numbers\n", ref_text, d);
            status = 2;
            goto done;
        }
        snprintf(ref_source, sizeof ref_source, "given");
    } else {
        snprintf(ref_source, sizeof ref_source,
                 "default: componentwise min of every front's points minus %g%% of the range", margin * 100);
    }
    rs_compare_req req = {
        .n = nf,
        .fronts = (const rs_front *const *)f,
        .names = paths,
        .soup_kinds = mask,
        .baseline_kinds = (mask & RS_KIND_BIT(RS_KIND_BASELINE)) ? 0 : RS_KIND_BIT(RS_KIND_BASELINE),
        .ref = given,
        .margin = margin,
        .eum_k = (int)k,
    };
    if (rs_compare_run(&req, &res) < 0) goto fail;
    const double *ref = res.ref;
    for (int i = 0; i < nf; i++) {
        const rs_compare_front *m = &res.front[i];
        if (scores_finite(ref, d, m->hv, m->eum, ref_text, margin) ||
            (m->n_baseline && scores_finite(ref, d, m->baseline_hv, m->baseline_eum, ref_text, margin)))
            goto done;
    }
    rs_compare_agg ag;
    if (rs_compare_aggregate(&res, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &ag) < 0)
        goto fail;
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "ref", rs_lab_json_nums(ref, d));
        cJSON_AddStringToObject(root, "ref_source", ref_source);
        cJSON *fa = cJSON_AddArrayToObject(root, "fronts");
        for (int i = 0; i < nf; i++) {
            const rs_compare_front *m = &res.front[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "file", paths[i]);
            cJSON_AddItemToObject(o, "hypervolume", rs_lab_json_num(m->hv));
            cJSON_AddItemToObject(o, "eum", rs_lab_json_num(m->eum));
            cJSON_AddItemToObject(o, "baseline_hypervolume", rs_lab_json_num(m->baseline_hv));
            cJSON_AddItemToObject(o, "baseline_eum", rs_lab_json_num(m->baseline_eum));
            cJSON_AddItemToObject(o, "hv_ratio_over_baseline", rs_lab_json_num(m->ratio));
            cJSON_AddItemToArray(fa, o);
        }
        cJSON *ja = cJSON_AddObjectToObject(root, "aggregate");
        cJSON_AddItemToObject(ja, "hypervolume", rs_lab_json_interval(&ag.hv));
        cJSON_AddItemToObject(ja, "eum", rs_lab_json_interval(&ag.eum));
        cJSON_AddItemToObject(ja, "baseline_hypervolume", rs_lab_json_interval(&ag.baseline_hv));
        cJSON_AddItemToObject(ja, "baseline_eum", rs_lab_json_interval(&ag.baseline_eum));
        cJSON_AddItemToObject(ja, "hv_ratio_over_baseline", rs_lab_json_interval(&ag.ratio));
        cJSON_AddStringToObject(ja, "interval", "95% percentile bootstrap of the mean over fronts, 10000 resamples");
        rs_json_print(root);
    } else {
        printf("%d fronts, one reference point (", nf);
        for (int j = 0; j < d; j++) printf("%s%.10g", j ? ", " : "", ref[j]);
        printf("): %s\n", ref_source);
        for (int i = 0; i < nf; i++) {
            const rs_compare_front *m = &res.front[i];
            printf("  %s: hypervolume %.6g, EUM %.6g", paths[i], m->hv, m->eum);
            if (m->n_baseline) printf("; baseline hypervolume %.6g (ratio %.3f)", m->baseline_hv, m->ratio);
            printf("\n");
        }
        printf("over %d fronts (mean [95%% bootstrap interval]):\n", nf);
        printf("  hypervolume %.6g [%.6g, %.6g], EUM %.6g [%.6g, %.6g]\n", ag.hv.value, ag.hv.lo,
               ag.hv.hi, ag.eum.value, ag.eum.lo, ag.eum.hi);
        if (ag.baseline_hv.n)
            printf("  baseline hypervolume %.6g [%.6g, %.6g]; ratio %.3f [%.3f, %.3f] over %d fronts with baselines\n",
                   ag.baseline_hv.value, ag.baseline_hv.lo, ag.baseline_hv.hi, ag.ratio.value,
                   ag.ratio.lo, ag.ratio.hi, ag.ratio.n);
    }
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
    const char *path = pos[0];
    unsigned mask;
    if (rs_front_kinds_parse(rs_opt_str(opts, no, "kinds"), &mask) < 0) {
        fprintf(stderr, "rsoup pareto: --%s\n", rs_last_error());
        return 2;
    }
    double margin;
    if (rs_opt_double(opts, no, "margin", &margin) < 0) return 2;
    if (margin < 0) {
        fprintf(stderr, "rsoup pareto: --margin must be >= 0, got %g\n", margin);
        return 2;
    }
    long k = 0;
    if (rs_opt_flag(opts, no, "weights-k") && rs_opt_long(opts, no, "weights-k", 1, 100000, &k) < 0)
        return 2;
    int json = rs_opt_flag(opts, no, "json");
    if (npos > 1 && rs_cli_fronts_distinct("pareto", pos, npos) != 0) return 2;
    if (npos > 1) return pareto_many(pos, npos, mask, rs_opt_str(opts, no, "ref"), margin, k, json);

    int trunc = 0;
    rs_front *f = rs_cli_front_load("pareto", path, &trunc);
    if (!f) return 1;
    int d = f->n_obj, status = 1;
    double *ref = NULL;
    block main_b, base_b;
    memset(&main_b, 0, sizeof main_b);
    memset(&base_b, 0, sizeof base_b);
    char names[1024], kt[128], ct[256];
    rs_cli_join(names, sizeof names, f->obj_names, d);
    if (f->plain) mask = RS_KIND_BIT(RS_KIND_POINT);
    unsigned base_mask = (mask & RS_KIND_BIT(RS_KIND_BASELINE)) ? 0 : RS_KIND_BIT(RS_KIND_BASELINE);
    kinds_text(kt, sizeof kt, mask);
    if (d < 1) {
        fprintf(stderr, "rsoup pareto: '%s' has no objectives (obj:<name> columns)\n", path);
        goto done;
    }
    if (!k) k = d == 2 ? 100 : d >= 3 ? 20 : 1;

    /* the two blocks */
    main_b.rows = rs_calloc((size_t)f->n + 1, sizeof *main_b.rows);
    base_b.rows = rs_calloc((size_t)f->n + 1, sizeof *base_b.rows);
    ref = rs_calloc((size_t)d, sizeof *ref);
    if (!main_b.rows || !base_b.rows || !ref) goto fail;
    main_b.pts = rs_front_obj_new(f, mask, &main_b.n, main_b.rows);
    base_b.pts = rs_front_obj_new(f, base_mask, &base_b.n, base_b.rows);
    if (!main_b.pts || !base_b.pts) goto fail;
    if (main_b.n < 1) {
        counts_text(ct, sizeof ct, f, RS_KINDS_ALL);
        fprintf(stderr, "rsoup pareto: '%s' has no rows of kind %s (it has: %s)\n", path, kt, ct);
        goto done;
    }
    if (rs_cli_front_finite(path, f, mask | base_mask, 0) < 0) {
        fprintf(stderr, "rsoup pareto: %s\n", rs_last_error());
        goto done;
    }

    /* the reference point: given, or from every point scored */
    const char *ref_text = rs_opt_str(opts, no, "ref");
    char ref_source[160];
    if (ref_text) {
        int bad = 0;
        int got = rs_cli_numbers(ref_text, ref, d, &bad);
        if (got < 0) {
            fprintf(stderr, "rsoup pareto: --ref '%s': '%s' is not a finite number\n", ref_text,
                    ref_text + bad);
            status = 2;
            goto done;
        }
        if (got != d) {
            fprintf(stderr,
                    "rsoup pareto: --ref '%s' has %d value%s but '%s' has %d objective%s (%s)\n",
                    ref_text, got, got == 1 ? "" : "s", path, d, d == 1 ? "" : "s", names);
            status = 2;
            goto done;
        }
        snprintf(ref_source, sizeof ref_source, "given");
    } else {
        size_t nall = (size_t)(main_b.n + base_b.n);
        double *all = rs_calloc(nall * (size_t)d, sizeof *all);
        if (!all) goto fail;
        memcpy(all, main_b.pts, (size_t)main_b.n * d * sizeof *all);
        memcpy(all + (size_t)main_b.n * d, base_b.pts, (size_t)base_b.n * d * sizeof *all);
        int rrc = rs_pareto_default_ref(all, (int)nall, d, margin, ref);
        free(all);
        if (rrc < 0) goto fail;
        snprintf(ref_source, sizeof ref_source,
                 "default: componentwise min minus %g%% of the range", margin * 100);
    }
    if (score(f, &main_b, ref, (int)k) < 0) goto fail;
    if (base_b.n && score(f, &base_b, ref, (int)k) < 0) goto fail;
    if (scores_finite(ref, d, main_b.hv, main_b.eum, ref_text, margin) ||
        (base_b.n && scores_finite(ref, d, base_b.hv, base_b.eum, ref_text, margin)))
        goto done;
    if (main_b.below_ref + base_b.below_ref)
        fprintf(stderr,
                "rsoup pareto: note: %d point%s not above the reference point in every objective "
                "and add%s no hypervolume\n",
                main_b.below_ref + base_b.below_ref,
                main_b.below_ref + base_b.below_ref == 1 ? " is" : "s are",
                main_b.below_ref + base_b.below_ref == 1 ? "s" : "");

    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "file", path);
        cJSON_AddStringToObject(root, "format", f->plain ? "plain" : "front");
        cJSON_AddItemToObject(root, "objectives",
                              cJSON_CreateStringArray((const char *const *)f->obj_names, d));
        cJSON *ka = cJSON_AddArrayToObject(root, "kinds");
        for (int j = 0; j < RS_KIND_COUNT; j++)
            if (mask & RS_KIND_BIT(j))
                cJSON_AddItemToArray(ka, cJSON_CreateString(rs_front_kind_name((rs_front_kind)j)));
        cJSON_AddBoolToObject(root, "truncated_tail", trunc);
        cJSON_AddItemToObject(root, "ref", rs_lab_json_nums(ref, d));
        cJSON_AddStringToObject(root, "ref_source", ref_source);
        if (!ref_text) cJSON_AddNumberToObject(root, "ref_margin", margin);
        block_json(root, f, &main_b, (int)k);
        if (base_b.n)
            cJSON_AddItemToObject(root, "baseline",
                                  block_json(cJSON_CreateObject(), f, &base_b, (int)k));
        rs_json_print(root);
    } else {
        counts_text(ct, sizeof ct, f, mask);
        if (f->plain)
            printf("%s: %d point%s; %d objective%s: %s\n", path, main_b.n, main_b.n == 1 ? "" : "s",
                   d, d == 1 ? "" : "s", names);
        else
            printf("%s: %d point%s (%s); %d objective%s: %s\n", path, main_b.n,
                   main_b.n == 1 ? "" : "s", ct, d, d == 1 ? "" : "s", names);
        print_block(f, &main_b, "");
        printf("hypervolume: %.10g\n", main_b.hv);
        printf("  reference point: (");
        for (int j = 0; j < d; j++)
            printf("%s%.10g", j ? ", " : "", ref[j]);
        printf("): %s%s\n", ref_source,
               ref_text   ? ""
               : base_b.n ? " of all points scored, baselines included"
                          : "");
        printf("EUM: %.10g (K = %ld: %d uniform weight vectors)\n", main_b.eum, k,
               rs_lattice_count(d, (int)k));
        printf("sparsity: %.10g\n", main_b.sparsity);
        printf("cardinality: %d (distinct non-dominated points)\n", main_b.cardinality);
        if (base_b.n) {
            printf("\nbaseline rows (%d), scored separately with the same reference point and "
                   "weights:\n",
                   base_b.n);
            print_block(f, &base_b, "  ");
            printf("  hypervolume: %.10g\n  EUM: %.10g\n  sparsity: %.10g\n  cardinality: %d\n",
                   base_b.hv, base_b.eum, base_b.sparsity, base_b.cardinality);
        }
    }
    status = 0;
    goto done;
fail:
    fprintf(stderr, "rsoup pareto: %s\n", rs_last_error());
done:
    block_free(&main_b);
    block_free(&base_b);
    free(ref);
    rs_front_free(f);
    return status;
}

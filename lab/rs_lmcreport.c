/* rs_lmcreport.c — `rsoup lmc`'s verdicts over fronts of K experts
 * (rs_lmcreport.h): computed once, then written as text or JSON. */
#include "rs_lmcreport.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_compare.h"
#include "rs_fronteval.h"
#include "rs_lattice.h"
#include "rs_pool.h"
#include "rs_progress.h"
#include "rs_stats.h"

rs_front *rs_lmcreport_path(const rs_lmcpath_req *q) {
    const char *tnames[RS_MAX_TERMS];
    for (int t = 0; t < q->spec->n_terms; t++)
        tnames[t] = q->spec->terms[t];
    rs_front *f = rs_front_new(2, q->n_obj, q->obj_names, q->spec->n_terms, tnames);
    rs_pool *pool = rs_pool_new((int)q->threads);
    double *lam = malloc(sizeof(double) * 2 * (size_t)q->grid);
    if (lam) rs_lattice_fill(2, q->grid - 1, lam);
    const double total = (double)q->grid * q->episodes;
    rs_progress prog;
    rs_progress_start(&prog, q->log, "lmc", total);
    prog.quiet = q->quiet;
    rs_front_job job = {.n_experts = 2,
                        .experts = q->experts,
                        .spec = q->spec,
                        .n_obj = q->n_obj,
                        .obj_w = q->obj_w,
                        .episodes = q->episodes,
                        .seed = q->seed,
                        .pool = pool,
                        .chunk = 2 * rs_pool_size(pool),
                        .progress = rs_progress_episodes,
                        .progress_ctx = &prog};
    int erc = f && pool && lam
                  ? rs_front_eval_points(&job, lam, q->grid, NULL, RS_KIND_SOUP, f, NULL)
                  : -1;
    if (!erc) rs_progress_finish(&prog, total, "");
    free(lam);
    rs_pool_free(pool);
    if (erc) {
        rs_front_free(f);
        return NULL;
    }
    return f;
}

void rs_lmcreport_free(rs_lmcreport *r) {
    for (int i = 0; r->sx && i < r->n; i++)
        rs_lmc_simplex_free(r->sx[i]);
    free(r->sx);
    free(r->connected);
    free(r->floor);
    free(r->above);
    free(r->expert);
    memset(r, 0, sizeof *r);
}

/* the experts' names: the labels of the first front's expert rows (the
 * row whose λ is 1 at i), else "expert i" */
static void expert_names(const rs_front *f, char (*out)[128]) {
    const int K = f->n_experts;
    for (int i = 0; i < K; i++) {
        snprintf(out[i], sizeof out[i], "expert %d", i);
        for (int r = 0; r < f->n; r++)
            if (f->kind[r] == RS_KIND_EXPERT && f->lambda[(size_t)r * K + i] == 1.0) {
                snprintf(out[i], sizeof out[i], "%s", f->label[r]);
                break;
            }
    }
}

/* each twin's path on its first reward, and whether some edge of its front
 * exceeds it */
static int run_floor(const rs_lmcreport_req *q, rs_lmcreport *r) {
    r->floor = calloc((size_t)q->n, sizeof *r->floor);
    r->above = calloc((size_t)q->n, sizeof *r->above);
    if (!r->floor || !r->above) {
        rs_set_error("out of memory");
        return -1;
    }
    for (int i = 0; i < q->n; i++) {
        const rs_front *t = q->twins[i];
        if (t->plain || t->n_experts != 2) {
            rs_set_error("--twin %s is not a 2-expert front from 'rsoup front'", q->twin_files[i]);
            return -1;
        }
        if (rs_lmc_of_front(t, 0, q->rel_tol, &r->floor[i], NULL, NULL, NULL) != 0) {
            rs_set_error("--twin %s: %s", q->twin_files[i], rs_last_error());
            return -1;
        }
        const rs_lmc_simplex *s = r->sx[i];
        for (int e = 0; e < s->n_edges * s->n_obj; e++)
            r->above[i] |= rs_lmc_exceeds_floor(&s->edge[e], &r->floor[i]);
    }
    return 0;
}

int rs_lmcreport_run(const rs_lmcreport_req *q, rs_lmcreport *r) {
    memset(r, 0, sizeof *r);
    const rs_front *f0 = q->fronts[0];
    r->n = q->n, r->n_experts = f0->n_experts, r->n_obj = f0->n_obj;
    r->sx = calloc((size_t)q->n, sizeof *r->sx);
    r->connected = calloc((size_t)q->n, sizeof *r->connected);
    r->expert = calloc((size_t)(r->n_experts > 0 ? r->n_experts : 1), sizeof *r->expert);
    if (!r->sx || !r->connected || !r->expert) {
        rs_set_error("out of memory");
        goto fail;
    }
    expert_names(f0, r->expert);
    for (int i = 0; i < q->n; i++) {
        r->sx[i] = rs_lmc_simplex_new(q->fronts[i], q->rel_tol);
        if (!r->sx[i]) {
            rs_set_error("%s: %s", q->files[i], rs_last_error());
            goto fail;
        }
        r->connected[i] = r->sx[i]->h1;
        r->connected_fronts += r->connected[i];
    }
    if (q->twins && run_floor(q, r) != 0) goto fail;
    return 0;
fail:
    rs_lmcreport_free(r);
    return -1;
}

void rs_lmcreport_twin_notes(const rs_lmcreport_req *q, FILE *out) {
    const rs_front *f = q->fronts[0];
    for (int i = 0; q->twins && i < q->n; i++) {
        const rs_front *t = q->twins[i];
        if (!t->plain && t->n_obj > 0 && strcmp(t->obj_names[0], f->obj_names[0]))
            fprintf(out,
                    "rsoup lmc: note: the twin front %s scores '%s' first, the pair's front '%s'\n",
                    q->twin_files[i], t->obj_names[0], f->obj_names[0]);
    }
}

/* ---- two experts: the path's table per reward ---- */

static cJSON *path_json(const char *reward, const rs_lmc *m, const double *L, const double *R,
                        int n) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "reward", reward);
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

/* one front of two experts, alone: each reward's path, line and gap */
static void print_path_tables(const rs_front *f, const rs_lmc_simplex *s, double rel_tol,
                              FILE *out) {
    double *L = malloc(sizeof(double) * (size_t)(f->n + 1)),
           *R = malloc(sizeof(double) * (size_t)(f->n + 1));
    for (int k = 0; L && R && k < f->n_obj; k++) {
        const rs_lmc *x = &s->edge[k];
        int np = 0;
        rs_lmc tmp;
        rs_lmc_edge_of_front(f, 0, 1, k, rel_tol, &tmp, L, R, &np);
        fprintf(out, "reward %s\n  %8s %12s %12s %10s\n", f->obj_names[k], "lambda", "return",
                "line", "gap");
        for (int j = 0; j < np; j++) {
            double line = (1 - L[j]) * R[0] + L[j] * R[np - 1];
            fprintf(out, "  %8.3f %12.2f %12.2f %+10.2f\n", L[j], R[j], line, R[j] - line);
        }
        fprintf(out, "  barrier %.2f", x->barrier);
        if (x->barrier > 0)
            fprintf(out, " at λ=%.3g (%.1f standard errors)", x->barrier_lambda, x->z);
        fprintf(out,
                ", tolerance %.2f (%.2g x scale %.4g), area above the line %+.2f, largest gain "
                "%+.2f -> %s\n\n",
                x->tolerance, rel_tol, x->scale, x->area, x->max_gain,
                x->is_barrier ? "BARRIER" : "linearly connected");
    }
    free(L);
    free(R);
}

/* ---- K experts: each edge, then the interior ---- */

/* "at λ=(0.333, 0.333, 0.333)": the interior's barrier soup */
static void fmt_row_lambda(const rs_front *f, int row, char *buf, size_t n) {
    size_t u = (size_t)snprintf(buf, n, "(");
    for (int i = 0; row >= 0 && i < f->n_experts && u < n; i++)
        u += (size_t)snprintf(buf + u, n - u, "%s%.3g", i ? ", " : "",
                              f->lambda[(size_t)row * f->n_experts + i]);
    if (u < n) snprintf(buf + u, n - u, row >= 0 ? ")" : "none)");
}

static void print_verdict_line(const char *reward, const rs_lmc *x, const char *at,
                               const char *area, FILE *out) {
    fprintf(out, "  %-24s barrier %10.2f at λ=%-5s (%6.1f s.e., tolerance %.4g)  %s %+10.2f  %s\n",
            reward, x->barrier, at, x->z, x->tolerance, area, x->area,
            x->is_barrier ? "BARRIER" : "connected");
}

/* every edge and the interior of front i, one line per reward */
static void print_simplex(const rs_lmcreport *r, const rs_front *f, const rs_lmc_simplex *s,
                          FILE *out) {
    char at[256];
    for (int e = 0; e < s->n_edges; e++) {
        fprintf(out, "edge %s-%s (λ: the weight of %s)\n", r->expert[s->edge_a[e]],
                r->expert[s->edge_b[e]], r->expert[s->edge_b[e]]);
        for (int k = 0; k < s->n_obj; k++) {
            const rs_lmc *x = &s->edge[(size_t)e * s->n_obj + k];
            snprintf(at, sizeof at, "%.3g", x->barrier_lambda);
            print_verdict_line(f->obj_names[k], x, at, "area", out);
        }
    }
    if (!s->has_plane) {
        fprintf(out, "interior: no soup with three or more experts weighted\n");
        return;
    }
    fprintf(out, "interior (%d soup%s against the experts' plane, their returns mixed by λ)\n",
            s->n_interior, s->n_interior == 1 ? "" : "s");
    for (int k = 0; k < s->n_obj; k++) {
        fmt_row_lambda(f, s->plane_row[k], at, sizeof at);
        print_verdict_line(f->obj_names[k], &s->plane[k], at, "mean gap", out);
    }
}

/* over the fronts: where w (an edge, or -1: the interior) on reward k */
static rs_compare_lmc_agg over_fronts(const rs_lmcreport *r, int w, int k) {
    const rs_lmc **v = malloc(sizeof *v * (size_t)r->n);
    rs_compare_lmc_agg la;
    memset(&la, 0, sizeof la);
    if (!v) return la;
    for (int i = 0; i < r->n; i++)
        v[i] = w >= 0                ? &r->sx[i]->edge[(size_t)w * r->n_obj + k]
               : r->sx[i]->has_plane ? &r->sx[i]->plane[k]
                                     : NULL;
    rs_compare_lmc_aggregate(v, r->n, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &la);
    free(v);
    return la;
}

/* "expert_a-expert_b" or "interior" */
static const char *where_name(const rs_lmcreport *r, int w, char *buf, size_t n) {
    const rs_lmc_simplex *s = r->sx[0];
    if (w < 0)
        snprintf(buf, n, "interior");
    else
        snprintf(buf, n, "%s-%s", r->expert[s->edge_a[w]], r->expert[s->edge_b[w]]);
    return buf;
}

static void print_aggregates(const rs_lmcreport_req *q, const rs_lmcreport *r, FILE *out) {
    const rs_front *f = q->fronts[0];
    const int K = r->n_experts, places = r->sx[0]->n_edges + (K >= 3);
    char w[300];
    fprintf(out, "\nover %d fronts (mean [95%% bootstrap interval]):\n", r->n);
    for (int i = 0; i < places; i++)
        for (int k = 0; k < r->n_obj; k++) {
            const int e = i < r->sx[0]->n_edges ? i : -1;
            rs_compare_lmc_agg la = over_fronts(r, e, k);
            const rs_interval bi = la.barrier, ai = la.area;
            if (K == 2)
                fprintf(
                    out,
                    "  %-24s barrier %.4g [%.4g, %.4g], area above the line %+.4g [%+.4g, %+.4g]; "
                    "a barrier in %d of %d\n",
                    f->obj_names[k], bi.value, bi.lo, bi.hi, ai.value, ai.lo, ai.hi, la.n_barrier,
                    r->n);
            else
                fprintf(out,
                        "  %-24s %-24s barrier %.4g [%.4g, %.4g], %s %+.4g [%+.4g, %+.4g]; a "
                        "barrier in "
                        "%d of %d\n",
                        where_name(r, e, w, sizeof w), f->obj_names[k], bi.value, bi.lo, bi.hi,
                        e < 0 ? "mean gap to the plane" : "area above the line", ai.value, ai.lo,
                        ai.hi, la.n_barrier, la.n);
        }
    fprintf(out, "H1 holds in %d of %d fronts (%s, tolerance %.2g x the reward's scale)\n",
            r->connected_fronts, r->n, RS_LMCREPORT_RULE, q->rel_tol);
}

static void print_floor(const rs_lmcreport_req *q, const rs_lmcreport *r, FILE *out) {
    const rs_front *f = q->fronts[0];
    double *v = malloc(sizeof(double) * (size_t)r->n);
    int above = 0;
    for (int i = 0; i < r->n; i++) {
        const rs_lmc *fl = &r->floor[i];
        above += r->above[i];
        if (v) v[i] = fl->barrier;
        fprintf(out, "%sfloor (twin %s, reward %s): barrier %.4g (%.1f s.e.)%s; %s barrier %s it\n",
                i ? "" : "\n", q->twin_files[i], f->obj_names[0], fl->barrier, fl->z,
                fl->is_barrier ? ", itself a barrier" : "",
                r->n_experts == 2 ? "the pair's" : "some edge's",
                r->above[i] ? "EXCEEDS" : "does not exceed");
    }
    rs_interval iv;
    if (v && r->n > 1) {
        rs_stat_bootstrap(v, r->n, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &iv);
        fprintf(out,
                "same-reward floor: twin barrier %.4g [%.4g, %.4g]; the pair's barrier exceeds it "
                "in %d of %d "
                "fronts (by more than 2 standard errors of the difference)\n",
                iv.value, iv.lo, iv.hi, above, r->n);
    }
    free(v);
}

void rs_lmcreport_print(const rs_lmcreport_req *q, const rs_lmcreport *r, FILE *out) {
    const int nf = r->n, K = r->n_experts;
    if (K >= 3 && nf == 1)
        fprintf(out, "%d experts: %d edges%s\n", K, r->sx[0]->n_edges,
                r->sx[0]->has_plane ? " and the interior" : "");
    for (int i = 0; i < nf; i++) {
        const rs_front *f = q->fronts[i];
        if (nf > 1) fprintf(out, "front %s\n", i ? q->files[i] : "(--front)");
        if (K >= 3)
            print_simplex(r, f, r->sx[i], out);
        else if (nf == 1)
            print_path_tables(f, r->sx[i], q->rel_tol, out);
        else
            for (int k = 0; k < f->n_obj; k++) {
                char at[64];
                snprintf(at, sizeof at, "%-5.3g", r->sx[i]->edge[k].barrier_lambda);
                fprintf(out,
                        "  %-24s barrier %10.2f at λ=%s (%6.1f s.e., tolerance %.4g)  area %+10.2f "
                        " %s\n",
                        f->obj_names[k], r->sx[i]->edge[k].barrier, at, r->sx[i]->edge[k].z,
                        r->sx[i]->edge[k].tolerance, r->sx[i]->edge[k].area,
                        r->sx[i]->edge[k].is_barrier ? "BARRIER" : "connected");
            }
    }
    if (nf == 1)
        fprintf(
            out, "%s (%s, tolerance %.2g x the reward's scale)\n",
            r->connected_fronts
                ? (K == 2
                       ? "H1 holds here: no reward shows a barrier"
                       : "H1 holds here: no edge and no reward shows a barrier, nor the interior")
                : (K == 2 ? "H1 fails here: at least one reward shows a barrier"
                          : "H1 fails here: at least one edge or the interior shows a barrier"),
            RS_LMCREPORT_RULE, q->rel_tol);
    else
        print_aggregates(q, r, out);
    if (r->floor) print_floor(q, r, out);
}

/* ---- JSON ---- */

/* the interior's verdict on reward k of front f */
static cJSON *plane_json(const rs_front *f, const rs_lmc_simplex *s, int k) {
    const rs_lmc *m = &s->plane[k];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "reward", f->obj_names[k]);
    cJSON_AddNumberToObject(o, "barrier", m->barrier);
    if (s->plane_row[k] < 0)
        cJSON_AddNullToObject(o, "barrier_lambda");
    else
        cJSON_AddItemToObject(
            o, "barrier_lambda",
            rs_lab_json_nums(f->lambda + (size_t)s->plane_row[k] * f->n_experts, f->n_experts));
    cJSON_AddItemToObject(o, "barrier_in_se", rs_lab_json_num(m->z));
    cJSON_AddItemToObject(o, "scale", rs_lab_json_num(m->scale));
    cJSON_AddItemToObject(o, "tolerance", rs_lab_json_num(m->tolerance));
    cJSON_AddNumberToObject(o, "mean_gap_to_plane", m->area);
    cJSON_AddNumberToObject(o, "max_gain", m->max_gain);
    cJSON_AddBoolToObject(o, "connected", !m->is_barrier);
    return o;
}

/* front i's verdicts into holder: "rewards" (two experts) or "experts",
 * "edges" and "interior" */
static void front_json(const rs_lmcreport_req *q, const rs_lmcreport *r, int i, cJSON *holder) {
    const rs_front *f = q->fronts[i];
    const rs_lmc_simplex *s = r->sx[i];
    if (r->n_experts == 2) {
        cJSON *arr = cJSON_AddArrayToObject(holder, "rewards");
        double *L = malloc(sizeof(double) * (size_t)(f->n + 1)),
               *R = malloc(sizeof(double) * (size_t)(f->n + 1));
        for (int k = 0; k < f->n_obj; k++) {
            /* the path itself only for a single front */
            int np = 0;
            rs_lmc tmp;
            if (r->n == 1 && L && R) rs_lmc_edge_of_front(f, 0, 1, k, q->rel_tol, &tmp, L, R, &np);
            cJSON_AddItemToArray(
                arr, path_json(f->obj_names[k], &s->edge[k], r->n == 1 ? L : NULL, R, np));
        }
        free(L);
        free(R);
        return;
    }
    cJSON *ex = cJSON_AddArrayToObject(holder, "experts");
    for (int j = 0; j < r->n_experts; j++)
        cJSON_AddItemToArray(ex, cJSON_CreateString(r->expert[j]));
    cJSON *edges = cJSON_AddArrayToObject(holder, "edges");
    for (int e = 0; e < s->n_edges; e++) {
        cJSON *o = cJSON_CreateObject(), *pair = cJSON_AddArrayToObject(o, "experts");
        cJSON_AddItemToArray(pair, cJSON_CreateString(r->expert[s->edge_a[e]]));
        cJSON_AddItemToArray(pair, cJSON_CreateString(r->expert[s->edge_b[e]]));
        cJSON *arr = cJSON_AddArrayToObject(o, "rewards");
        for (int k = 0; k < f->n_obj; k++)
            cJSON_AddItemToArray(
                arr, path_json(f->obj_names[k], &s->edge[(size_t)e * s->n_obj + k], NULL, NULL, 0));
        cJSON_AddItemToArray(edges, o);
    }
    cJSON *in = cJSON_AddObjectToObject(holder, "interior");
    cJSON_AddNumberToObject(in, "soups", s->n_interior);
    cJSON *arr = cJSON_AddArrayToObject(in, "rewards");
    for (int k = 0; s->has_plane && k < f->n_obj; k++)
        cJSON_AddItemToArray(arr, plane_json(f, s, k));
}

static void aggregates_json(const rs_lmcreport_req *q, const rs_lmcreport *r, cJSON *root) {
    const rs_front *f = q->fronts[0];
    const int K = r->n_experts, places = r->sx[0]->n_edges + (K >= 3);
    char w[300];
    cJSON *agg = cJSON_AddObjectToObject(root, "aggregate");
    cJSON *ar = cJSON_AddArrayToObject(agg, K == 2 ? "rewards" : "verdicts");
    for (int i = 0; i < places; i++)
        for (int k = 0; k < r->n_obj; k++) {
            const int e = i < r->sx[0]->n_edges ? i : -1;
            rs_compare_lmc_agg la = over_fronts(r, e, k);
            cJSON *o = cJSON_CreateObject();
            if (K > 2) cJSON_AddStringToObject(o, "where", where_name(r, e, w, sizeof w));
            cJSON_AddStringToObject(o, "reward", f->obj_names[k]);
            cJSON_AddItemToObject(o, "barrier", rs_lab_json_interval(&la.barrier));
            cJSON_AddItemToObject(o, e < 0 ? "mean_gap_to_plane" : "area_above_line",
                                  rs_lab_json_interval(&la.area));
            cJSON_AddNumberToObject(o, "fronts_with_barrier", la.n_barrier);
            cJSON_AddItemToArray(ar, o);
        }
    cJSON_AddNumberToObject(agg, "fronts", r->n);
    cJSON_AddNumberToObject(agg, "connected_fronts", r->connected_fronts);
    cJSON_AddNumberToObject(agg, "tolerance_rel", q->rel_tol);
    cJSON_AddStringToObject(agg, "rule", RS_LMCREPORT_RULE);
    cJSON_AddStringToObject(agg, "interval",
                            "95% percentile bootstrap of the mean over fronts, 10000 resamples");
}

static void floor_json(const rs_lmcreport_req *q, const rs_lmcreport *r, cJSON *root) {
    double *v = malloc(sizeof(double) * (size_t)r->n);
    int above = 0, twin_bar = 0;
    for (int i = 0; i < r->n; i++) {
        const rs_lmc *fl = &r->floor[i];
        above += r->above[i];
        twin_bar += fl->is_barrier;
        if (v) v[i] = fl->barrier;
        cJSON *holder =
            r->n > 1 ? cJSON_GetArrayItem(cJSON_GetObjectItem(root, "fronts"), i) : root;
        cJSON *o = cJSON_AddObjectToObject(holder, "twin");
        cJSON_AddStringToObject(o, "file", q->twin_files[i]);
        cJSON_AddNumberToObject(o, "barrier", fl->barrier);
        cJSON_AddItemToObject(o, "barrier_lambda", rs_lab_json_num(fl->barrier_lambda));
        cJSON_AddItemToObject(o, "barrier_in_se", rs_lab_json_num(fl->z));
        cJSON_AddBoolToObject(o, "is_barrier", fl->is_barrier);
        cJSON_AddBoolToObject(o, "pair_exceeds_floor", r->above[i]);
    }
    rs_interval iv = {NAN, NAN, NAN, 0};
    if (v) rs_stat_bootstrap(v, r->n, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &iv);
    free(v);
    cJSON *o = cJSON_AddObjectToObject(root, "floor");
    cJSON_AddItemToObject(o, "twin_barrier", rs_lab_json_interval(&iv));
    cJSON_AddNumberToObject(o, "twins_with_barrier", twin_bar);
    cJSON_AddNumberToObject(o, "pair_exceeds_floor", above);
    cJSON_AddNumberToObject(o, "fronts", r->n);
    cJSON_AddStringToObject(
        o, "rule",
        r->n_experts == 2 ? "the pair's barrier on some reward exceeds the twin's by more than 2 "
                            "standard errors of the difference"
                          : "the barrier of some edge on some reward exceeds the twin's by more "
                            "than 2 standard errors of the difference");
}

cJSON *rs_lmcreport_json(const rs_lmcreport_req *q, const rs_lmcreport *r) {
    cJSON *root = cJSON_CreateObject();
    cJSON *jf = r->n > 1 ? cJSON_AddArrayToObject(root, "fronts") : NULL;
    for (int i = 0; i < r->n; i++) {
        cJSON *holder = root;
        if (r->n > 1) {
            holder = cJSON_CreateObject();
            cJSON_AddStringToObject(holder, "file", i ? q->files[i] : "");
            cJSON_AddItemToArray(jf, holder);
        }
        front_json(q, r, i, holder);
        cJSON_AddBoolToObject(holder, "connected", r->connected[i]);
    }
    if (r->n == 1) {
        cJSON_AddNumberToObject(root, "tolerance_rel", q->rel_tol);
        cJSON_AddStringToObject(root, "rule", RS_LMCREPORT_RULE);
    } else {
        aggregates_json(q, r, root);
    }
    if (r->floor) floor_json(q, r, root);
    return root;
}

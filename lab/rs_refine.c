/* rs_refine.c — refine a front's best soup (see the header) */
#include "rs_refine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_frontscore.h"
#include "rs_lab.h"
#include "rs_rewardset.h"
#include "rs_soup.h"

/* the utility of θ(λ), evaluated now */
static int utility_at(rs_refine *r, const double *lam, double *u) {
    int before = r->scratch->n;
    if (rs_front_eval_points(&r->job, lam, 1, NULL, RS_KIND_SOUP, r->scratch, NULL) != 0) return -1;
    rs_front_row row = rs_front_row_at(r->scratch, before);
    double x = 0;
    if (r->by_terms)
        for (int t = 0; t < r->scratch->n_terms; t++)
            x += r->w[t] * row.term[t];
    else
        for (int k = 0; k < r->scratch->n_obj; k++)
            x += r->w[k] * row.obj[k];
    *u = x;
    r->evals++;
    return 0;
}

/* two experts: golden-section search on [lo, hi] around the grid's best;
 * N experts: moves of size h along every e_i - e_j, halving h each round.
 * best_lam/best_u come in as the grid's best and leave as the refined one. */
static int refine_search(rs_refine *r, int N, double h, int iters, double *best_lam,
                         double *best_u) {
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
    double cand[RS_REFINE_MAX_EXPERTS];
    for (int round = 0; round < iters; round++, h /= 2) {
        double center[RS_REFINE_MAX_EXPERTS];
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

const char *rs_refine_experts(const rs_front *f, const char *given, FILE *log, const char *who) {
    const char *rec = rs_front_meta(f, "experts");
    if (!given && !rec) {
        rs_set_error("--refine: this front does not record its experts (made before rsoup wrote "
                     "provenance): give --experts 'A;B' (the front's experts, in order)");
        return NULL;
    }
    if (given && rec && !rs_same_policies(given, rec)) {
        /* a front moved to another machine (an archived record) names files
         * that are gone: then the given experts stand in, said aloud */
        int gone = 0;
        char *buf = strdup(rec), *save = NULL;
        for (char *t = buf ? strtok_r(buf, ";", &save) : NULL; t; t = strtok_r(NULL, ";", &save))
            gone |= !rs_lab_exists(t);
        free(buf);
        if (!gone) {
            rs_set_error("--experts '%s' are not the experts this front was made from ('%s'); "
                         "leave --experts out to use those",
                         given, rec);
            return NULL;
        }
        if (log)
            fprintf(log,
                    "%s: note: the front's experts ('%s') are not on this machine; using "
                    "--experts as given\n",
                    who, rec);
    }
    const char *mix = rs_front_meta(f, "mixing");
    if (mix && strncmp(mix, "linear", 6)) {
        rs_set_error("--refine mixes linearly, but this front's soups are %s: its λ would mean "
                     "something else",
                     mix);
        return NULL;
    }
    return given ? given : rec;
}

int rs_refine_open(rs_refine *r, const rs_front *f, const char *experts, const double *w,
                   int by_terms) {
    memset(r, 0, sizeof *r);
    r->front = f;
    r->w = w;
    r->by_terms = by_terms;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", experts);
    const int N = f->n_experts;
    char *save = NULL;
    for (char *t = strtok_r(buf, ";", &save); t && r->n_loaded < RS_REFINE_MAX_EXPERTS;
         t = strtok_r(NULL, ";", &save)) {
        char pb[RS_PATH_BUF];
        const char *p = rs_run_file(t, 0, pb, sizeof pb);
        if (!(r->experts[r->n_loaded++] = rs_policy_st_load(p))) return -1;
    }
    if (r->n_loaded != N) {
        rs_set_error("--experts: give as many experts as the front has lambda columns");
        return -1;
    }
    if (rs_soup_check(r->experts, r->n_loaded) != 0) {
        rs_set_error("--experts: %s", rs_last_error());
        return -1;
    }
    const char *env = rs_st_meta(r->experts[0], "env");
    r->spec = rs_env_find(env ? env : "");
    if (!r->spec) return -1;
    /* the front's objectives as the file gives them: a named front's specs
     * from its reward lines, an older one's column names */
    rs_rewardset set;
    if (f->n_obj > RS_REFINE_MAX_EXPERTS) {
        rs_set_error("the front has %d objectives; --refine takes at most %d", f->n_obj,
                     RS_REFINE_MAX_EXPERTS);
        return -1;
    }
    if (rs_rewardset_of_front(&set, r->spec, f) != 0) return -1;
    for (int k = 0; k < f->n_obj; k++) memcpy(r->ow[k], set.w[k], sizeof r->ow[k]);
    if (by_terms && f->n_terms != r->spec->n_terms) {
        rs_set_error("the front's terms do not match env '%s'", r->spec->name);
        return -1;
    }
    return 0;
}

double rs_refine_spacing(const rs_front *f) {
    const int N = f->n_experts;
    double h = 1;
    for (int a = 0; a < f->n; a++)
        for (int b = 0; b < f->n; b++) {
            if (a == b || f->kind[a] != RS_KIND_SOUP || f->kind[b] != RS_KIND_SOUP) continue;
            double d = 0;
            for (int i = 0; i < N; i++)
                d = fmax(d, fabs(f->lambda[a * N + i] - f->lambda[b * N + i]));
            if (d > 1e-9 && d < h) h = d;
        }
    return h;
}

int rs_refine_search(rs_refine *r, rs_front_row start, int iters, int episodes, uint64_t seed,
                     long threads, double *lam, double *u, FILE *log, const char *who) {
    const rs_front *f = r->front;
    const int N = f->n_experts;
    double h = rs_refine_spacing(f);
    r->pool = rs_pool_new((int)threads);
    rs_front_job j = {
        N,        r->experts, r->spec, NULL, f->n_obj, (const double(*)[RS_MAX_TERMS])r->ow,
        episodes, seed,       r->pool, 1,    NULL,     NULL,
        NULL,     0,          0};
    r->job = j;
    r->scratch = rs_front_new(N, f->n_obj, (const char *const *)f->obj_names, f->n_terms,
                              (const char *const *)f->term_names);
    memcpy(lam, start.lambda, sizeof(double) * N);
    if (log)
        fprintf(log, "%s: refining around lambda %s (spacing %g, %d %s, %d episodes each)\n", who,
                start.label, h, iters, N == 2 ? "evaluations" : "rounds", episodes);
    if (r->pool && r->scratch && refine_search(r, N, h, iters, lam, u) == 0) return 0;
    rs_set_error("--refine: %s", rs_last_error());
    return -1;
}

int rs_refine_rescore(rs_refine *r, const double *lam, const double *grid_lam, int episodes,
                      uint64_t seed, double *u, double *grid_u) {
    r->job.episodes = episodes;
    r->job.seed = seed;
    if (utility_at(r, lam, u) || utility_at(r, grid_lam, grid_u)) {
        rs_set_error("--refine: rescoring: %s", rs_last_error());
        return -1;
    }
    return 0;
}

int rs_refine_save(const rs_refine *r, const char *experts, const double *lam, const char *out) {
    rs_st *soup = NULL;
    const char *paths[RS_REFINE_MAX_EXPERTS];
    char pb[RS_REFINE_MAX_EXPERTS][RS_PATH_BUF], buf[4096];
    snprintf(buf, sizeof buf, "%s", experts);
    int k = 0, nm = 0, rc = 0;
    char *sv = NULL;
    for (char *t = strtok_r(buf, ";", &sv); t && k < RS_REFINE_MAX_EXPERTS;
         t = strtok_r(NULL, ";", &sv), k++)
        paths[k] = rs_run_file(t, 0, pb[k], sizeof pb[k]);
    if (rs_soup_mix(r->experts, r->n_loaded, lam, &soup, &nm) < 0 ||
        rs_soup_set_parents(soup, paths, r->n_loaded) < 0 || rs_st_save(soup, out) < 0) {
        rs_set_error("--out %s: %s", out, rs_last_error());
        rc = -1;
    }
    rs_st_free(soup);
    return rc;
}

void rs_refine_close(rs_refine *r) {
    for (int i = 0; i < r->n_loaded; i++)
        rs_st_free(r->experts[i]);
    r->n_loaded = 0;
    rs_front_free(r->scratch);
    r->scratch = NULL;
    rs_pool_free(r->pool);
    r->pool = NULL;
}

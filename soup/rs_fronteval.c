/* rs_fronteval.c — soups on a λ grid → front rows (the LMC verdict on those rows is rs_lmc.c's). */
#include "rs_fronteval.h"
#include "rs_fisher.h"
#include "rs_mix.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_front_row_from_eval(const rs_front_job *job, const rs_eval_result *r, double *obj,
                            double *std, double *term, double *termstd, double *length) {
    for (int k = 0; k < job->n_obj; k++) rs_eval_reward_stats(r, job->obj_w[k], &obj[k], &std[k]);
    for (int t = 0; t < job->spec->n_terms; t++) rs_eval_term_stats(r, t, &term[t], &termstd[t]);
    double l = 0;
    for (int i = 0; i < r->episodes; i++) l += r->length[i];
    *length = l / r->episodes;
}

static void job_progress(void *ctx, long eps, long steps) {
    rs_front_job *job = ctx;
    if (job->progress) job->progress(job->progress_ctx, job->episodes_before + eps, job->steps_before + steps);
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* evaluate n policies and append one row each */
static int eval_rows(rs_front_job *job, rs_policy *const *pols, int n, const double *lambdas,
                     char (*labels)[128], rs_front_kind kind, rs_front *f, FILE *fp) {
    rs_eval_result *res = rs_calloc((size_t)n, sizeof *res);
    if (!res) return -1;
    int rc = rs_eval_many(pols, n, job->spec, job->model, job->episodes, job->seed, 1, job->pool,
                          res, job->progress ? job_progress : NULL, job);
    if (rc == 0) {
        const int no = job->n_obj, nt = job->spec->n_terms;
        double obj[RS_MAX_TERMS * 2 + 16], std[RS_MAX_TERMS * 2 + 16], term[RS_MAX_TERMS],
            termstd[RS_MAX_TERMS], len;
        for (int i = 0; i < n && rc == 0; i++) {
            rs_front_row_from_eval(job, &res[i], obj, std, term, termstd, &len);
            rs_front_row row = {kind, labels[i], lambdas + (size_t)i * job->n_experts,
                                job->episodes, obj, std, term, termstd, len};
            if (rs_front_add(f, &row) < 0) rc = -1;
            else if (fp && rs_front_write_row(fp, f, &row) != 0) rc = -1;
            job->episodes_before += res[i].episodes;
            job->steps_before += res[i].steps;
            (void)no;
            (void)nt;
        }
    }
    for (int i = 0; i < n; i++) rs_eval_result_free(&res[i]);
    free(res);
    return rc;
}

/* the soup θ(λ) as a policy of its own: linear soups from the mixer
 * (rs_mix.h, the arithmetic of `rsoup soup`'s files), Fisher soups from
 * their tensor sets */
static rs_policy *soup_policy(const rs_front_job *job, rs_mixer *mx, const double *lam) {
    if (!job->fishers) return rs_mixer_set(mx, lam) == 0 ? rs_policy_clone(mx->live) : NULL;
    rs_st *mix = NULL;
    if (rs_soup_mix_fisher(job->experts, job->fishers, job->n_experts, lam, &mix) != 0)
        return NULL;
    rs_policy *p = rs_policy_from_st(mix, "soup");
    rs_st_free(mix);
    return p;
}

/* the experts as policies and their mixer (linear soups); the experts go
 * to ex[N], freed by the caller */
static rs_mixer *expert_mixer(const rs_front_job *job, rs_policy **ex) {
    const int N = job->n_experts;
    if (rs_soup_check(job->experts, N) != 0) return NULL;
    for (int i = 0; i < N; i++) {
        char what[32];
        snprintf(what, sizeof what, "expert %d", i);
        if (!(ex[i] = rs_policy_from_st(job->experts[i], what))) return NULL;
    }
    return rs_mixer_new(ex, N);
}

int rs_front_eval_points(rs_front_job *job, const double *lambdas, int n_points,
                         const char *const *given, rs_front_kind kind, rs_front *f, FILE *fp) {
    const int N = job->n_experts;
    int chunk = job->chunk > 0 ? job->chunk : 4;
    rs_policy **pols = rs_calloc((size_t)chunk, sizeof *pols);
    char(*labels)[128] = rs_calloc((size_t)chunk, sizeof *labels);
    rs_policy **ex = rs_calloc((size_t)N, sizeof *ex);
    rs_mixer *mx = NULL;
    int rc = pols && labels && ex ? 0 : -1;
    if (rc == 0 && !job->fishers && n_points > 0 && !(mx = expert_mixer(job, ex))) rc = -1;
    for (int start = 0; start < n_points && rc == 0; start += chunk) {
        int m = n_points - start < chunk ? n_points - start : chunk;
        for (int i = 0; i < m && rc == 0; i++) {
            const double *lam = lambdas + (size_t)(start + i) * N;
            if (!(pols[i] = soup_policy(job, mx, lam))) {
                rc = -1;
                break;
            }
            if (given) {
                snprintf(labels[i], sizeof labels[i], "%s", given[start + i]);
                for (char *c = labels[i]; *c; c++)
                    if (*c == ',') *c = ';';
            } else if (N == 2) {
                snprintf(labels[i], sizeof labels[i], "%.6g", lam[1]);
            } else {
                int k = 0;
                for (int j = 0; j < N; j++)
                    k += snprintf(labels[i] + k, sizeof labels[i] - (size_t)k, "%s%.4g", j ? ";" : "", lam[j]);
            }
        }
        if (rc == 0) rc = eval_rows(job, pols, m, lambdas + (size_t)start * N, labels, kind, f, fp);
        for (int i = 0; i < m; i++) {
            rs_policy_free(pols[i]);
            pols[i] = NULL;
        }
    }
    rs_mixer_free(mx);
    for (int i = 0; ex && i < N; i++)
        rs_policy_free(ex[i]);
    free(ex);
    free(pols);
    free(labels);
    return rc;
}

int rs_front_eval_files(rs_front_job *job, const char *const *paths, int n, rs_front_kind kind,
                        rs_front *f, FILE *fp) {
    if (n <= 0) return 0;
    rs_policy **pols = rs_calloc((size_t)n, sizeof *pols);
    char(*labels)[128] = rs_calloc((size_t)n, sizeof *labels);
    double *lam = rs_malloc(sizeof(double) * (size_t)n * job->n_experts);
    int rc = (!pols || !labels || !lam) ? -1 : 0;
    for (int i = 0; i < n && rc == 0; i++) {
        pols[i] = rs_policy_load(paths[i]);
        if (!pols[i]) {
            rc = -1;
            break;
        }
        if (strcmp(pols[i]->env, job->spec->name) != 0) {
            rs_set_error("%s is a policy for '%s', the front is on '%s'", paths[i], pols[i]->env,
                         job->spec->name);
            rc = -1;
            break;
        }
        snprintf(labels[i], sizeof labels[i], "%s", base_name(paths[i]));
        /* a run dir's policy.safetensors is better named by its folder */
        if (!strcmp(labels[i], "policy.safetensors")) {
            char tmp[512];
            snprintf(tmp, sizeof tmp, "%s", paths[i]);
            char *slash = strrchr(tmp, '/');
            if (slash) {
                *slash = 0;
                snprintf(labels[i], sizeof labels[i], "%.127s", base_name(tmp));
            }
        }
        for (char *c = labels[i]; *c; c++)
            if (*c == ',') *c = ';';
        for (int j = 0; j < job->n_experts; j++) lam[(size_t)i * job->n_experts + j] = NAN;
    }
    if (rc == 0) rc = eval_rows(job, pols, n, lam, labels, kind, f, fp);
    for (int i = 0; pols && i < n; i++) rs_policy_free(pols[i]);
    free(pols);
    free(labels);
    free(lam);
    return rc;
}

/* rs_soupmake.c — a soup file made from expert files (rs_soupmake.h). */
#include "rs_soupmake.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_env.h"
#include "rs_fisher.h"
#include "rs_policy.h"
#include "rs_soup.h"

int rs_soupmake_load(rs_soupmake *m, const char *const *paths, int n) {
    memset(m, 0, sizeof *m);
    if (n > RS_SOUPMAKE_MAX_EXPERTS) {
        rs_set_error("%d experts: at most %d are mixed", n, RS_SOUPMAKE_MAX_EXPERTS);
        return -1;
    }
    m->n = n;
    m->paths = paths;
    for (int i = 0; i < n; i++)
        if (!(m->experts[i] = rs_policy_st_load(paths[i]))) return -1;
    return 0;
}

int rs_soupmake_fisher(rs_soupmake *m, const double *lambda, long steps, FILE *log,
                       const char *who) {
    const int n = m->n;
    rs_st *fishers[RS_SOUPMAKE_MAX_EXPERTS] = {0};
    const char *env = rs_st_meta(m->experts[0], "env");
    const rs_env_spec *spec = rs_env_find(env ? env : "");
    int rc = spec ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++) {
        if (lambda[i] == 0) continue;
        if (log) fprintf(log, "%s: Fisher of expert %d (%ld steps)\n", who, i, steps);
        rc = rs_fisher_diag(m->experts[i], spec, steps, 1000 + (uint64_t)i, &fishers[i]);
    }
    /* experts with λ = 0 need a placeholder of the right shape */
    for (int i = 0; i < n && rc == 0; i++)
        if (!fishers[i]) {
            for (int k = 0; k < n; k++)
                if (fishers[k]) {
                    fishers[i] = fishers[k];
                    break;
                }
        }
    rs_st *fs = NULL;
    if (rc == 0) rc = rs_soup_mix_fisher(m->experts, fishers, n, lambda, &fs);
    for (int i = 0; i < n; i++) {
        int dup = 0;
        for (int k = 0; k < i; k++)
            dup |= fishers[k] == fishers[i];
        if (!dup) rs_st_free(fishers[i]);
    }
    if (rc != 0) return -1;
    rs_st_free(m->soup);
    m->soup = fs;
    return 0;
}

int rs_soupmake_check(const rs_soupmake *m) {
    const rs_st *st = m->soup;
    for (int k = 0; k < rs_st_count(st); k++) {
        const rs_tensor *t = rs_st_at(st, k);
        const int64_t n = rs_tensor_numel(t);
        const int var = !strcmp(t->name, "obs_norm.var") || !strcmp(t->name, "obs_norm.count");
        for (int64_t i = 0; i < n; i++) {
            double v = t->dtype == RS_DT_F32   ? ((const float *)t->data)[i]
                       : t->dtype == RS_DT_F64 ? ((const double *)t->data)[i]
                                               : 0.0;
            if (!isfinite(v) || (var && v < 0)) {
                rs_set_error("the mix has %g in %s[%lld]: an expert holds a non-finite or "
                             "negative value there",
                             v, t->name, (long long)i);
                return -1;
            }
        }
    }
    const char *b = rs_st_meta(st, "act_bound");
    if (b) {
        char *end;
        double v = strtod(b, &end);
        if (*end || !(v > 0) || !isfinite(v)) {
            rs_set_error("act_bound '%s' is not a positive number", b);
            return -1;
        }
    }
    return 0;
}

int rs_soupmake_write(rs_soupmake *m, const char *out) {
    if (rs_soup_set_parents(m->soup, m->paths, m->n) < 0 || rs_st_save(m->soup, out) < 0) return -1;
    m->n_tensors = rs_st_count(m->soup);
    m->n_mixed = m->n_int = m->n_norm = 0;
    for (int k = 0; k < m->n_tensors; k++) {
        const rs_tensor *t = rs_st_at(m->soup, k);
        if (t->dtype == RS_DT_F32 || t->dtype == RS_DT_F64)
            m->n_mixed++;
        else
            m->n_int++;
        if (!strncmp(t->name, "obs_norm.", 9)) m->n_norm++;
    }
    for (int i = 0; i < m->n; i++)
        rs_file_hash(m->paths[i], m->hex[i]);
    return 0;
}

void rs_soupmake_free(rs_soupmake *m) {
    if (!m) return;
    for (int i = 0; i < m->n; i++)
        rs_st_free(m->experts[i]);
    rs_st_free(m->soup);
    memset(m, 0, sizeof *m);
}

/* rs_evalrun.c — one policy evaluated and summarised (rs_evalrun.h). */
#include "rs_evalrun.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_common.h"
#include "rs_pool.h"

/* the policy's own reward, or each of a soup's experts' rewards (a soup
 * records them; its own `reward` is only the first expert's, copied); then
 * the env's default; without repeats */
static void own_rewards(rs_evalrun *e, const rs_st *st) {
    const char *meta = rs_st_meta(st, "soup_rewards");
    cJSON *soup = cJSON_Parse(meta ? meta : "");
    if (!cJSON_IsArray(soup)) {
        cJSON_Delete(soup);
        soup = NULL;
    }
    const char *own[RS_EVALRUN_MAX_REWARDS];
    int n_own = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, soup) {
        if (cJSON_IsString(it) && *it->valuestring && n_own < RS_EVALRUN_MAX_REWARDS - 1)
            own[n_own++] = it->valuestring;
    }
    if (!soup && e->policy->reward[0]) own[n_own++] = e->policy->reward;
    own[n_own++] = "default";
    for (int i = 0; i < n_own; i++) {
        int dup = 0;
        for (int r = 0; r < e->n_own; r++)
            dup |= !strcmp(e->own[r], own[i]);
        if (!dup) snprintf(e->own[e->n_own++], sizeof e->own[0], "%s", own[i]);
    }
    cJSON_Delete(soup);
}

int rs_evalrun_open(rs_evalrun *e, const char *path) {
    memset(e, 0, sizeof *e);
    rs_st *st = rs_policy_st_load(path);
    e->policy = st ? rs_policy_from_st(st, path) : NULL;
    if (!e->policy) {
        rs_st_free(st);
        return -1;
    }
    own_rewards(e, st);
    rs_st_free(st);
    if (!(e->spec = rs_policy_env(e->policy))) {
        rs_set_error("%s: %s", path, rs_last_error());
        return -1;
    }
    return 0;
}

/* A model the simulation cannot run (timestep 0, gravity NaN or 1e30, a NaN
 * body position) ends every episode at its first step with non-finite
 * returns. train stops on the non-finite loss they make; eval must not
 * report them as results either. */
static int returns_finite(const rs_eval_result *res, const rs_env_spec *s, const char *model) {
    for (int i = 0; i < res->episodes; i++)
        for (int k = 0; k < res->n_terms; k++) {
            double v = res->terms[(size_t)i * res->n_terms + k];
            if (isfinite(v)) continue;
            rs_set_error("episode %d: term '%s' returned %g: the simulation of %s diverged (check "
                         "its timestep, gravity and bodies); no results",
                         i, s->terms[k], v, model ? model : "the embedded model");
            return -1;
        }
    return 0;
}

int rs_evalrun_run(rs_evalrun *e, const rs_evalrun_req *req) {
    mjModel *model = rs_model_load(e->spec, req->model);
    rs_pool *pool = model ? rs_pool_new((int)req->threads) : NULL;
    int rc = -1;
    if (!pool || rs_eval_policy(e->policy, e->spec, model, req->episodes, req->seed,
                                req->deterministic, pool, &e->res) != 0)
        goto out;
    e->ran = 1;
    if (returns_finite(&e->res, e->spec, req->model) != 0) goto out;
    const rs_eval_result *r = &e->res;
    double lm = 0, ls = 0;
    for (int i = 0; i < r->episodes; i++)
        lm += r->length[i];
    lm /= r->episodes;
    for (int i = 0; i < r->episodes; i++)
        ls += (r->length[i] - lm) * (r->length[i] - lm);
    e->length_mean = lm;
    e->length_std = sqrt(ls / r->episodes);
    rs_eval_action_stats(r, &e->action_sq, &e->action_sat);
    e->steps_per_s = r->steps / (r->seconds > 0 ? r->seconds : 1e-9);
    rc = 0;
out:
    rs_pool_free(pool);
    if (model) mj_deleteModel(model);
    return rc;
}

void rs_evalrun_close(rs_evalrun *e) {
    if (!e) return;
    if (e->ran) rs_eval_result_free(&e->res);
    rs_policy_free(e->policy);
    memset(e, 0, sizeof *e);
}

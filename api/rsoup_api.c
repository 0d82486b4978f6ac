/* rsoup_api.c — include/rsoup.h on top of the internal modules.
 *
 * A thin layer: envs are rs_vecenv's (its shared model, per-env streams and
 * thread pool), stepped here with Gymnasium's next-step autoreset into the
 * caller's buffers; policies are rs_policy; soups are rs_soup_mix. Only the
 * rsoup_* symbols leave librsoup (the internal archives are linked with
 * --exclude-libs). */
#include "rsoup.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rs_policy.h"
#include "rs_soup.h"
#include "rs_vecenv.h"

int rsoup_api_version(void) { return RSOUP_API_VERSION; }
const char *rsoup_version(void) { return RS_VERSION; }
const char *rsoup_last_error(void) { return rs_last_error(); }

/* ---- env registry ---- */

int rsoup_env_count(void) { return rs_env_count(); }

const char *rsoup_env_name(int i) {
    if (i < 0 || i >= rs_env_count()) return NULL;
    return rs_env_spec_at(i)->name;
}

static const rs_env_spec *find_env(const char *env) {
    if (!env) {
        rs_set_error("no env name given");
        return NULL;
    }
    return rs_env_find(env);
}

int rsoup_env_info(const char *env, int *obs_dim, int *act_dim, int *n_terms, double *act_bound,
                   int *max_steps) {
    const rs_env_spec *s = find_env(env);
    if (!s) return -1;
    if (obs_dim) *obs_dim = s->obs_dim;
    if (act_dim) *act_dim = s->act_dim;
    if (n_terms) *n_terms = s->n_terms;
    if (act_bound) *act_bound = s->act_bound;
    if (max_steps) *max_steps = RS_MAX_STEPS;
    return 0;
}

const char *rsoup_env_term(const char *env, int k) {
    const rs_env_spec *s = find_env(env);
    return s && k >= 0 && k < s->n_terms ? s->terms[k] : NULL;
}

const char *rsoup_env_preset(const char *env, int k) {
    const rs_env_spec *s = find_env(env);
    return s && k >= 0 && k < s->n_presets ? s->presets[k].name : NULL;
}

int rsoup_reward_weights(const char *env, const char *reward, double *weights) {
    const rs_env_spec *s = find_env(env);
    if (!s) return -1;
    if (!reward || !weights) {
        rs_set_error("%s: no reward or no weights buffer given", s->name);
        return -1;
    }
    return rs_reward_parse(s, reward, weights);
}

/* ---- vector envs ---- */

struct rsoup_vec {
    rs_vecenv *ve; /* the envs, their model and the pool; its buffers are unused */
    int n, n_obj, n_terms, obs_dim, act_dim;
    uint64_t seed;
    double *w;                /* [n_obj, n_terms]; objective 0 is also the envs' own */
    unsigned char *resetting; /* [n]: the next step resets the env */
    double *terms_own;        /* [n, n_terms]: where terms go when the caller binds none */
    /* bound by the caller */
    float *obs, *reward;
    uint8_t *terminated, *truncated;
    double *terms;
    const float *actions; /* during a step */
    atomic_int next;
};

rsoup_vec *rsoup_vec_new(const char *env, int num_envs, const char *const *rewards, int n_obj,
                         uint64_t seed, int threads) {
    const rs_env_spec *s = find_env(env);
    if (!s) return NULL;
    if (num_envs < 1 || num_envs > (1 << 20)) {
        rs_set_error("%s: num_envs must be 1 to %d (got %d)", s->name, 1 << 20, num_envs);
        return NULL;
    }
    if (n_obj < 1 || n_obj > 64 || !rewards) {
        rs_set_error("%s: give 1 to 64 reward specs (got %d)", s->name, n_obj);
        return NULL;
    }
    rsoup_vec *v = rs_calloc(1, sizeof *v);
    if (!v) return NULL;
    v->n = num_envs;
    v->n_obj = n_obj;
    v->n_terms = s->n_terms;
    v->obs_dim = s->obs_dim;
    v->act_dim = s->act_dim;
    v->seed = seed;
    v->w = rs_calloc((size_t)n_obj * s->n_terms, sizeof(double));
    v->resetting = rs_calloc((size_t)num_envs, 1);
    v->terms_own = rs_calloc((size_t)num_envs * s->n_terms, sizeof(double));
    if (!v->w || !v->resetting || !v->terms_own) goto fail;
    for (int j = 0; j < n_obj; j++) {
        if (!rewards[j]) {
            rs_set_error("%s: reward %d is NULL", s->name, j);
            goto fail;
        }
        if (rs_reward_parse(s, rewards[j], v->w + (size_t)j * s->n_terms) != 0) goto fail;
    }
    v->ve = rs_vecenv_new(s, NULL, num_envs, v->w, seed, NULL, threads);
    if (!v->ve) goto fail;
    /* rs_vecenv_new reset every env; seed them again so that the first
     * rsoup_vec_reset draws exactly what that reset drew */
    rsoup_vec_seed(v, seed);
    return v;
fail:
    rsoup_vec_free(v);
    return NULL;
}

void rsoup_vec_free(rsoup_vec *v) {
    if (!v) return;
    rs_vecenv_free(v->ve);
    free(v->w);
    free(v->resetting);
    free(v->terms_own);
    free(v);
}

int rsoup_vec_num_envs(const rsoup_vec *v) { return v ? v->n : 0; }
int rsoup_vec_n_obj(const rsoup_vec *v) { return v ? v->n_obj : 0; }
const char *rsoup_vec_env(const rsoup_vec *v) { return v ? v->ve->spec->name : NULL; }

int rsoup_vec_bind(rsoup_vec *v, float *obs, float *reward, uint8_t *terminated, uint8_t *truncated,
                   double *terms) {
    if (!v || !obs || !reward || !terminated || !truncated) {
        rs_set_error("rsoup_vec_bind: obs, reward, terminated and truncated are required");
        return -1;
    }
    v->obs = obs;
    v->reward = reward;
    v->terminated = terminated;
    v->truncated = truncated;
    v->terms = terms;
    return 0;
}

int rsoup_vec_seed(rsoup_vec *v, uint64_t seed) {
    if (!v) {
        rs_set_error("rsoup_vec_seed: no env");
        return -1;
    }
    v->seed = seed;
    for (int i = 0; i < v->n; i++)
        rs_env_seed(v->ve->envs[i], seed, (uint64_t)i);
    return 0;
}

static int bound(const rsoup_vec *v, const char *what) {
    if (!v) {
        rs_set_error("%s: no env", what);
        return 0;
    }
    if (!v->obs) {
        rs_set_error("%s: bind the output buffers first (rsoup_vec_bind)", what);
        return 0;
    }
    return 1;
}

/* env i's outputs after a reset: its first obs, reward, flags and terms 0 */
static void reset_one(rsoup_vec *v, int i) {
    rs_env_reset(v->ve->envs[i], v->obs + (size_t)i * v->obs_dim);
    memset(v->reward + (size_t)i * v->n_obj, 0, sizeof(float) * v->n_obj);
    double *t = (v->terms ? v->terms : v->terms_own) + (size_t)i * v->n_terms;
    memset(t, 0, sizeof(double) * v->n_terms);
    v->terminated[i] = v->truncated[i] = 0;
    v->resetting[i] = 0;
}

int rsoup_vec_reset(rsoup_vec *v) {
    if (!bound(v, "rsoup_vec_reset")) return -1;
    for (int i = 0; i < v->n; i++)
        reset_one(v, i);
    return 0;
}

/* as rs_vecenv_step: envs taken one at a time from a shared counter */
static void step_worker(void *ctx, int b, int e, int worker) {
    rsoup_vec *v = ctx;
    (void)b;
    (void)e;
    (void)worker;
    const int nt = v->n_terms, no = v->n_obj;
    for (int i; (i = atomic_fetch_add_explicit(&v->next, 1, memory_order_relaxed)) < v->n;) {
        if (v->resetting[i]) {
            reset_one(v, i);
            continue;
        }
        double *t = (v->terms ? v->terms : v->terms_own) + (size_t)i * nt;
        double r;
        int term, trunc;
        /* actions were checked finite: rs_env_step cannot fail here */
        rs_env_step(v->ve->envs[i], v->actions + (size_t)i * v->act_dim,
                    v->obs + (size_t)i * v->obs_dim, t, &r, &term, &trunc);
        float *out = v->reward + (size_t)i * no;
        out[0] = (float)r;
        for (int j = 1; j < no; j++) {
            /* the sum rs_env_step forms for its own weights, in its order */
            const double *w = v->w + (size_t)j * nt;
            double rj = 0.0;
            for (int k = 0; k < nt; k++)
                rj += w[k] * t[k];
            out[j] = (float)rj;
        }
        v->terminated[i] = (uint8_t)term;
        v->truncated[i] = (uint8_t)trunc;
        v->resetting[i] = (unsigned char)(term || trunc);
    }
}

int rsoup_vec_step(rsoup_vec *v, const float *actions) {
    if (!bound(v, "rsoup_vec_step")) return -1;
    if (!actions) {
        rs_set_error("rsoup_vec_step: no actions");
        return -1;
    }
    /* check first: a bad action must leave no env stepped (an env about to
     * reset ignores its action, so it is not checked) */
    for (int i = 0; i < v->n; i++) {
        if (v->resetting[i]) continue;
        const float *a = actions + (size_t)i * v->act_dim;
        for (int k = 0; k < v->act_dim; k++)
            if (!isfinite(a[k])) {
                rs_set_error("%s: action of env %d, dimension %d is %g; non-finite actions never "
                             "reach the simulation",
                             v->ve->spec->name, i, k, (double)a[k]);
                return -1;
            }
    }
    v->actions = actions;
    atomic_store_explicit(&v->next, 0, memory_order_relaxed);
    int workers = rs_pool_size(v->ve->pool) < v->n ? rs_pool_size(v->ve->pool) : v->n;
    rs_pool_run(v->ve->pool, workers, step_worker, v);
    v->actions = NULL;
    return 0;
}

int rsoup_vec_resetting(const rsoup_vec *v, int i) {
    return v && i >= 0 && i < v->n ? v->resetting[i] : 0;
}

int rsoup_vec_episode_step(const rsoup_vec *v, int i) {
    return v && i >= 0 && i < v->n ? v->ve->envs[i]->t : 0;
}

/* ---- policies ---- */

#define POLICY_CHUNK 256 /* rows per forward pass: fixed memory, any batch */

struct rsoup_policy {
    rs_policy *p;
    rs_mlp_ws *ws;
    float *norm; /* POLICY_CHUNK * obs_dim */
};

static rsoup_policy *wrap_policy(rs_policy *p) {
    if (!p) return NULL;
    rsoup_policy *h = rs_calloc(1, sizeof *h);
    if (h) {
        h->p = p;
        h->ws = rs_mlp_ws_new(p->pi, POLICY_CHUNK);
        h->norm = rs_malloc(sizeof(float) * POLICY_CHUNK * (size_t)p->obs_dim);
        if (h->ws && h->norm) return h;
    }
    if (h) {
        rs_mlp_ws_free(h->ws);
        free(h->norm);
        free(h);
    }
    rs_policy_free(p);
    return NULL;
}

rsoup_policy *rsoup_policy_load(const char *path) {
    if (!path) {
        rs_set_error("rsoup_policy_load: no path");
        return NULL;
    }
    char buf[4096];
    return wrap_policy(rs_policy_load(rs_run_file(path, 0, buf, sizeof buf)));
}

rsoup_policy *rsoup_policy_from_tensors(int n, const char *const *names, const char *const *dtypes,
                                        const int *ndims, const int64_t *shapes,
                                        const void *const *data, int n_meta,
                                        const char *const *keys, const char *const *values) {
    if (n < 0 || n_meta < 0 || (n && (!names || !dtypes || !ndims || !shapes || !data)) ||
        (n_meta && (!keys || !values))) {
        rs_set_error("rsoup_policy_from_tensors: bad arguments");
        return NULL;
    }
    rs_st *st = rs_st_new();
    if (!st) return NULL;
    const int64_t *shape = shapes;
    for (int i = 0; i < n; i++) {
        rs_dtype dt;
        int bad = !dtypes[i] || rs_dtype_parse(dtypes[i], &dt) != 0 || ndims[i] < 0 ||
                  ndims[i] > RS_ST_MAX_DIMS;
        if (bad) rs_set_error("tensor %d: unknown dtype or more than %d dims", i, RS_ST_MAX_DIMS);
        if (bad || rs_st_add(st, names[i], dt, ndims[i], shape, data[i]) != 0) {
            rs_st_free(st);
            return NULL;
        }
        shape += ndims[i];
    }
    for (int i = 0; i < n_meta; i++)
        if (rs_st_set_meta(st, keys[i], values[i]) != 0) {
            rs_st_free(st);
            return NULL;
        }
    rs_policy *p = rs_policy_from_st(st, "policy");
    rs_st_free(st);
    return wrap_policy(p);
}

void rsoup_policy_free(rsoup_policy *h) {
    if (!h) return;
    rs_mlp_ws_free(h->ws);
    free(h->norm);
    rs_policy_free(h->p);
    free(h);
}

int rsoup_policy_dims(const rsoup_policy *h, int *obs_dim, int *act_dim, int *out_dim) {
    if (!h) {
        rs_set_error("rsoup_policy_dims: no policy");
        return -1;
    }
    if (obs_dim) *obs_dim = h->p->obs_dim;
    if (act_dim) *act_dim = h->p->act_dim;
    if (out_dim) *out_dim = h->p->pi->sizes[h->p->pi->n_layers];
    return 0;
}

const char *rsoup_policy_env(const rsoup_policy *h) { return h ? h->p->env : ""; }

static int run_policy(rsoup_policy *h, const float *obs, int batch, float *dst, int act) {
    if (!h || !obs || !dst || batch < 0) {
        rs_set_error("rsoup_policy_%s: bad arguments", act ? "act" : "forward");
        return -1;
    }
    const rs_policy *p = h->p;
    const int D = p->obs_dim, W = p->pi->sizes[p->pi->n_layers];
    const size_t nobs = (size_t)batch * D;
    for (size_t k = 0; k < nobs; k++)
        if (!isfinite(obs[k])) {
            rs_set_error("observation row %zu, column %zu is %g: observations must be finite",
                         k / D, k % D, (double)obs[k]);
            return -1;
        }
    for (int r = 0; r < batch; r += POLICY_CHUNK) {
        const int B = batch - r < POLICY_CHUNK ? batch - r : POLICY_CHUNK;
        const float *x = obs + (size_t)r * D;
        if (act) {
            rs_policy_act_det(p, h->ws, x, B, h->norm, dst + (size_t)r * p->act_dim);
        } else {
            rs_normalizer_apply(p->norm, x, h->norm, B);
            rs_mlp_forward(p->pi, h->ws, h->norm, B);
            memcpy(dst + (size_t)r * W, rs_mlp_ws_out(h->ws), sizeof(float) * (size_t)B * W);
        }
    }
    return 0;
}

int rsoup_policy_act(rsoup_policy *h, const float *obs, int batch, float *actions) {
    return run_policy(h, obs, batch, actions, 1);
}

int rsoup_policy_forward(rsoup_policy *h, const float *obs, int batch, float *out) {
    return run_policy(h, obs, batch, out, 0);
}

/* ---- soups ---- */

int rsoup_soup_save(const char *const *paths, int n, const double *lambda, const char *out,
                    int *norm_mixed) {
    if (n < 1 || n > 64 || !paths || !lambda || !out) {
        rs_set_error("rsoup_soup_save: give 1 to 64 policies, their lambda and an output path");
        return -1;
    }
    int rc = -1;
    rs_st **experts = rs_calloc((size_t)n, sizeof *experts);
    char(*res)[4096] = rs_malloc((size_t)n * sizeof *res);
    const char **files = rs_calloc((size_t)n, sizeof *files);
    rs_st *soup = NULL;
    if (!experts || !res || !files) goto done;
    for (int i = 0; i < n; i++) {
        if (!paths[i]) {
            rs_set_error("rsoup_soup_save: path %d is NULL", i);
            goto done;
        }
        files[i] = rs_run_file(paths[i], 0, res[i], sizeof res[i]);
        if (!(experts[i] = rs_policy_st_load(files[i]))) goto done;
    }
    if (rs_soup_mix(experts, n, lambda, &soup, norm_mixed) != 0) goto done;
    /* write only what a policy loader accepts (a NaN in one expert would
     * make a soup nothing can read) */
    rs_policy *check = rs_policy_from_st(soup, "the soup");
    if (!check) goto done;
    rs_policy_free(check);
    if (rs_soup_set_parents(soup, files, n) != 0 || rs_st_save(soup, out) != 0) goto done;
    rc = 0;
done:
    if (experts)
        for (int i = 0; i < n; i++)
            rs_st_free(experts[i]);
    rs_st_free(soup);
    free(experts);
    free(res);
    free(files);
    return rc;
}

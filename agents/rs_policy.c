/* rs_policy.c — policy construction, checkpoints, deterministic actions. */
#include "rs_policy.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *rs_algo_name(rs_algo a) { return a == RS_ALGO_SAC ? "sac" : "ppo"; }

const char *rs_action_head_name(rs_action_head h) { return h == RS_HEAD_TANH ? "tanh" : "clip"; }

int rs_action_head_parse(const char *name, rs_action_head *out) {
    if (name && !strcmp(name, "clip")) *out = RS_HEAD_CLIP;
    else if (name && !strcmp(name, "tanh")) *out = RS_HEAD_TANH;
    else {
        rs_set_error("unknown action head '%s' (clip or tanh)", name ? name : "(none)");
        return -1;
    }
    return 0;
}

int rs_policy_st_head(const rs_st *st, const char *what, rs_action_head *out) {
    const char *h = rs_st_meta(st, "action_head");
    *out = RS_HEAD_CLIP;
    if (h && rs_action_head_parse(h, out) != 0) {
        rs_set_error("%s: unknown action_head '%.64s' in its metadata (this rsoup knows clip and "
                     "tanh; a newer rsoup may have written it)",
                     what, h);
        return -1;
    }
    return 0;
}

rs_policy *rs_policy_new(rs_algo algo, int obs_dim, int act_dim, float act_bound,
                         const int *hidden, int n_hidden, rs_activation act) {
    rs_policy *p = rs_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->algo = algo;
    p->obs_dim = obs_dim;
    p->act_dim = act_dim;
    p->act_bound = act_bound;
    p->log_std_min = RS_SAC_LOG_STD_MIN;
    p->log_std_max = RS_SAC_LOG_STD_MAX;
    /* PPO clips normalised observations at +-10; SAC's normaliser is the
     * identity (mean 0, var 1) and must not clip raw observations */
    p->norm = rs_normalizer_new(obs_dim, algo == RS_ALGO_SAC ? 0.0f : 10.0f);
    p->pi = rs_mlp_new(obs_dim, hidden, n_hidden, algo == RS_ALGO_SAC ? 2 * act_dim : act_dim, act);
    if (algo == RS_ALGO_PPO) p->log_std = rs_calloc((size_t)act_dim, sizeof(float));
    if (!p->norm || !p->pi || (algo == RS_ALGO_PPO && !p->log_std)) {
        rs_policy_free(p);
        return NULL;
    }
    return p;
}

void rs_policy_free(rs_policy *p) {
    if (!p) return;
    rs_normalizer_free(p->norm);
    rs_mlp_free(p->pi);
    free(p->log_std);
    free(p);
}

rs_policy *rs_policy_clone(const rs_policy *p) {
    int hidden[RS_MLP_MAX_LAYERS];
    for (int l = 0; l + 1 < p->pi->n_layers; l++) hidden[l] = p->pi->sizes[l + 1];
    rs_policy *q = rs_policy_new(p->algo, p->obs_dim, p->act_dim, p->act_bound, hidden,
                                 p->pi->n_layers - 1, p->pi->act);
    if (!q) return NULL;
    rs_mlp_copy(q->pi, p->pi);
    memcpy(q->norm->mean, p->norm->mean, sizeof(double) * p->obs_dim);
    memcpy(q->norm->var, p->norm->var, sizeof(double) * p->obs_dim);
    q->norm->count = p->norm->count;
    q->norm->clip = p->norm->clip;
    q->log_std_min = p->log_std_min;
    q->log_std_max = p->log_std_max;
    q->head = p->head;
    if (p->log_std) memcpy(q->log_std, p->log_std, sizeof(float) * p->act_dim);
    memcpy(q->env, p->env, sizeof q->env);
    memcpy(q->reward, p->reward, sizeof q->reward);
    memcpy(q->reward_w, p->reward_w, sizeof q->reward_w);
    q->steps = p->steps;
    q->seed = p->seed;
    memcpy(q->init, p->init, sizeof q->init);
    return q;
}

int rs_arch_parse(const char *text, int *hidden, int *n_hidden) {
    int n = 0;
    const char *s = text;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 65536 || n >= RS_MLP_MAX_LAYERS - 1) {
            rs_set_error("bad architecture '%s' (want hidden sizes like '64,64')", text);
            return -1;
        }
        hidden[n++] = (int)v;
        s = end;
        if (*s == ',') s++;
        else if (*s) {
            rs_set_error("bad architecture '%s' (want hidden sizes like '64,64')", text);
            return -1;
        }
    }
    if (n == 0) {
        rs_set_error("empty architecture (want hidden sizes like '64,64')");
        return -1;
    }
    *n_hidden = n;
    return 0;
}

void rs_arch_format(const int *hidden, int n_hidden, char *buf, int size) {
    int k = 0;
    buf[0] = 0;
    for (int i = 0; i < n_hidden && k < size; i++)
        k += snprintf(buf + k, (size_t)(size - k), "%s%d", i ? "," : "", hidden[i]);
}

int rs_policy_to_st(const rs_policy *p, rs_st *st) {
    int64_t d = p->obs_dim, one = 1;
    int rc = 0;
    rc |= rs_st_add_f64(st, "obs_norm.mean", 1, &d, p->norm->mean);
    rc |= rs_st_add_f64(st, "obs_norm.var", 1, &d, p->norm->var);
    rc |= rs_st_add_f64(st, "obs_norm.count", 1, &one, &p->norm->count);
    for (int l = 0; l < p->pi->n_layers && !rc; l++) {
        char name[64];
        int64_t shw[2] = {p->pi->sizes[l + 1], p->pi->sizes[l]}, shb = p->pi->sizes[l + 1];
        snprintf(name, sizeof name, "pi.%d.weight", l);
        rc |= rs_st_add_f32(st, name, 2, shw, p->pi->W[l]);
        snprintf(name, sizeof name, "pi.%d.bias", l);
        rc |= rs_st_add_f32(st, name, 1, &shb, p->pi->b[l]);
    }
    if (p->log_std && !rc) {
        int64_t a = p->act_dim;
        rc |= rs_st_add_f32(st, "pi.log_std", 1, &a, p->log_std);
    }
    if (rc) return -1;
    char buf[1024], arch[128];
    int hidden[RS_MLP_MAX_LAYERS];
    for (int l = 0; l + 1 < p->pi->n_layers; l++) hidden[l] = p->pi->sizes[l + 1];
    rs_arch_format(hidden, p->pi->n_layers - 1, arch, sizeof arch);
    rs_st_set_meta(st, "format", RS_POLICY_FORMAT);
    rs_st_set_meta(st, "env", p->env);
    rs_st_set_meta(st, "algo", rs_algo_name(p->algo));
    rs_st_set_meta(st, "arch", arch);
    rs_st_set_meta(st, "activation", rs_activation_name(p->pi->act));
    snprintf(buf, sizeof buf, "%d", p->obs_dim);
    rs_st_set_meta(st, "obs_dim", buf);
    snprintf(buf, sizeof buf, "%d", p->act_dim);
    rs_st_set_meta(st, "act_dim", buf);
    snprintf(buf, sizeof buf, "%.9g", (double)p->act_bound);
    rs_st_set_meta(st, "act_bound", buf);
    snprintf(buf, sizeof buf, "%.9g", (double)p->norm->clip);
    rs_st_set_meta(st, "obs_clip", buf);
    if (p->algo == RS_ALGO_SAC) {
        snprintf(buf, sizeof buf, "%.9g", (double)p->log_std_min);
        rs_st_set_meta(st, "log_std_min", buf);
        snprintf(buf, sizeof buf, "%.9g", (double)p->log_std_max);
        rs_st_set_meta(st, "log_std_max", buf);
    }
    /* only the squashed head is written: clip policies keep today's bytes */
    if (p->algo == RS_ALGO_PPO && p->head != RS_HEAD_CLIP)
        rs_st_set_meta(st, "action_head", rs_action_head_name(p->head));
    rs_st_set_meta(st, "reward", p->reward);
    const rs_env_spec *s = rs_env_find(p->env);
    if (s) {
        int k = snprintf(buf, sizeof buf, "{");
        for (int i = 0; i < s->n_terms; i++)
            k += snprintf(buf + k, sizeof buf - (size_t)k, "%s\"%s\": %.17g", i ? ", " : "",
                          s->terms[i], p->reward_w[i]);
        snprintf(buf + k, sizeof buf - (size_t)k, "}");
        rs_st_set_meta(st, "reward_weights", buf);
    }
    snprintf(buf, sizeof buf, "%ld", p->steps);
    rs_st_set_meta(st, "steps", buf);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)p->seed);
    rs_st_set_meta(st, "seed", buf);
    rs_st_set_meta(st, "init", p->init);
    rs_st_set_meta(st, "rsoup_version", RS_VERSION);
    return 0;
}

static int meta_int(const rs_st *st, const char *key, const char *what, long *out) {
    const char *v = rs_st_meta(st, key);
    char *end;
    if (!v || !*v || (*out = strtol(v, &end, 10), *end)) {
        rs_set_error("%s: metadata '%s' missing or not an integer (is this an rsoup policy?)",
                     what, key);
        return -1;
    }
    return 0;
}

int rs_st_is_train(const rs_st *st) {
    const char *fmt = rs_st_meta(st, "format");
    return (fmt && !strcmp(fmt, RS_TRAIN_FORMAT)) || rs_st_meta(st, "format_train") ||
           rs_st_meta(st, "train_config");
}

/* the reward metadata names a reward of the env (what eval scores by
 * default and soups record), and its weights are finite numbers of terms */
static int check_reward_meta(const rs_st *st, const char *what) {
    const char *env = rs_st_meta(st, "env"), *reward = rs_st_meta(st, "reward"),
               *weights = rs_st_meta(st, "reward_weights");
    const rs_env_spec *s = env ? rs_env_find(env) : NULL;
    if (!s) return 0; /* an unknown env is refused where an env is needed */
    double w[RS_MAX_TERMS];
    if (reward && *reward && rs_reward_parse(s, reward, w) != 0) {
        char why[1024];
        snprintf(why, sizeof why, "%s", rs_last_error());
        rs_set_error("%s: its reward metadata is not a reward of %s: %s", what, env, why);
        return -1;
    }
    if (weights && *weights) {
        cJSON *o = cJSON_Parse(weights);
        int bad = !cJSON_IsObject(o);
        for (cJSON *it = o ? o->child : NULL; it && !bad; it = it->next)
            bad = !cJSON_IsNumber(it) || !isfinite(it->valuedouble) || !it->string ||
                  rs_env_term_index(s, it->string) < 0;
        cJSON_Delete(o);
        if (bad) {
            rs_set_error("%s: its reward_weights metadata is not an object of %s's terms with "
                         "finite weights: %.80s",
                         what, env, weights);
            return -1;
        }
    }
    return 0;
}

int rs_policy_check_format(const rs_st *st, const char *what) {
    if (rs_st_is_train(st)) {
        rs_set_error("%s is a training checkpoint (the policy plus optimiser, env and RNG state), "
                     "not a policy: give the run's policy.safetensors or its directory",
                     what);
        return -1;
    }
    const char *fmt = rs_st_meta(st, "format");
    if (!fmt || strcmp(fmt, RS_POLICY_FORMAT) != 0) {
        rs_set_error("%s: not an rsoup policy checkpoint (metadata format is '%s', expected '%s')",
                     what, fmt ? fmt : "(none)", RS_POLICY_FORMAT);
        return -1;
    }
    rs_action_head h;
    if (rs_policy_st_head(st, what, &h) != 0) return -1;
    return check_reward_meta(st, what);
}

const char *rs_run_file(const char *path, int train_first, char *buf, size_t cap) {
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) return path;
    size_t n = strlen(path);
    const char *sep = n && path[n - 1] == '/' ? "" : "/";
    if (train_first) {
        snprintf(buf, cap, "%s%strain.safetensors", path, sep);
        if (stat(buf, &sb) == 0) return buf;
    }
    snprintf(buf, cap, "%s%spolicy.safetensors", path, sep);
    return buf;
}

rs_st *rs_policy_st_load(const char *path) {
    rs_st *st = rs_st_load(path);
    char what[RS_PATH_BUF];
    snprintf(what, sizeof what, "'%s'", path);
    if (st && rs_policy_check_format(st, what) != 0) {
        rs_st_free(st);
        return NULL;
    }
    return st;
}

static rs_policy *from_st(const rs_st *st, const char *what);

rs_policy *rs_policy_from_st(const rs_st *st, const char *what) {
    return rs_policy_check_format(st, what) == 0 ? from_st(st, what) : NULL;
}

rs_policy *rs_policy_from_train_st(const rs_st *st, const char *what) {
    const char *fmt = rs_st_meta(st, "format");
    if (!rs_st_is_train(st) && rs_policy_check_format(st, what) != 0) return NULL;
    if (!fmt || (strcmp(fmt, RS_POLICY_FORMAT) != 0 && strcmp(fmt, RS_TRAIN_FORMAT) != 0)) {
        rs_set_error("%s: not an rsoup checkpoint (metadata format is '%s')", what,
                     fmt ? fmt : "(none)");
        return NULL;
    }
    rs_action_head h;
    if (rs_policy_st_head(st, what, &h) != 0) return NULL;
    return from_st(st, what);
}

/* the policy in st, whose format the caller has checked */
static rs_policy *from_st(const rs_st *st, const char *what) {
    const char *algo_s = rs_st_meta(st, "algo"), *arch = rs_st_meta(st, "arch"),
               *actv = rs_st_meta(st, "activation"), *env = rs_st_meta(st, "env");
    long obs_dim, act_dim;
    if (meta_int(st, "obs_dim", what, &obs_dim) || meta_int(st, "act_dim", what, &act_dim))
        return NULL;
    if (!algo_s || (strcmp(algo_s, "ppo") && strcmp(algo_s, "sac"))) {
        rs_set_error("%s: unknown algo '%s'", what, algo_s ? algo_s : "(none)");
        return NULL;
    }
    rs_algo algo = strcmp(algo_s, "sac") ? RS_ALGO_PPO : RS_ALGO_SAC;
    int hidden[RS_MLP_MAX_LAYERS], nh;
    rs_activation act;
    if (!arch || rs_arch_parse(arch, hidden, &nh) != 0) {
        rs_set_error("%s: bad or missing 'arch' metadata", what);
        return NULL;
    }
    if (!actv || rs_activation_parse(actv, &act) != 0) {
        rs_set_error("%s: bad or missing 'activation' metadata", what);
        return NULL;
    }
    const char *b = rs_st_meta(st, "act_bound");
    float bound = b ? strtof(b, NULL) : 1.0f;
    if (obs_dim < 1 || act_dim < 1 || obs_dim > 100000 || act_dim > 1000 || !(bound > 0) ||
        !isfinite(bound)) {
        rs_set_error("%s: implausible sizes in metadata", what);
        return NULL;
    }
    rs_policy *p = rs_policy_new(algo, (int)obs_dim, (int)act_dim, bound, hidden, nh, act);
    if (!p) return NULL;
    const rs_tensor *t;
    int64_t d = obs_dim, one = 1, a = act_dim;
    if (rs_st_expect(st, "obs_norm.mean", RS_DT_F64, 1, &d, &t)) goto bad;
    memcpy(p->norm->mean, t->data, t->nbytes);
    if (rs_st_expect(st, "obs_norm.var", RS_DT_F64, 1, &d, &t)) goto bad;
    memcpy(p->norm->var, t->data, t->nbytes);
    if (rs_st_expect(st, "obs_norm.count", RS_DT_F64, 1, &one, &t)) goto bad;
    memcpy(&p->norm->count, t->data, t->nbytes);
    for (int l = 0; l < p->pi->n_layers; l++) {
        char name[64];
        int64_t shw[2] = {p->pi->sizes[l + 1], p->pi->sizes[l]}, shb = p->pi->sizes[l + 1];
        snprintf(name, sizeof name, "pi.%d.weight", l);
        if (rs_st_expect(st, name, RS_DT_F32, 2, shw, &t)) goto bad;
        memcpy(p->pi->W[l], t->data, t->nbytes);
        snprintf(name, sizeof name, "pi.%d.bias", l);
        if (rs_st_expect(st, name, RS_DT_F32, 1, &shb, &t)) goto bad;
        memcpy(p->pi->b[l], t->data, t->nbytes);
    }
    if (p->log_std) {
        if (rs_st_expect(st, "pi.log_std", RS_DT_F32, 1, &a, &t)) goto bad;
        memcpy(p->log_std, t->data, t->nbytes);
    }
    /* NaN anywhere makes a policy useless: say so now, not mid-episode */
    for (size_t i = 0; i < p->pi->n_params; i++)
        if (!isfinite(p->pi->params[i])) {
            rs_set_error("%s: non-finite actor weight at index %zu", what, i);
            rs_policy_free(p);
            return NULL;
        }
    for (int i = 0; p->log_std && i < p->act_dim; i++)
        if (!isfinite(p->log_std[i])) {
            rs_set_error("%s: non-finite pi.log_std[%d]", what, i);
            rs_policy_free(p);
            return NULL;
        }
    for (int i = 0; i < p->obs_dim; i++)
        if (!isfinite(p->norm->mean[i]) || !(p->norm->var[i] >= 0) || !isfinite(p->norm->var[i])) {
            rs_set_error("%s: bad observation statistics at %d (mean %g, var %g)", what, i,
                         p->norm->mean[i], p->norm->var[i]);
            rs_policy_free(p);
            return NULL;
        }
    if (!(p->norm->count >= 0) || !isfinite(p->norm->count)) {
        rs_set_error("%s: bad observation count %g", what, p->norm->count);
        rs_policy_free(p);
        return NULL;
    }
    snprintf(p->env, sizeof p->env, "%s", env ? env : "");
    /* absent in early files: the default. Read strictly, in the range a
     * trainer's config takes: "abc" read as 0 would turn clipping off */
    const char *oc = rs_st_meta(st, "obs_clip");
    double clip = p->norm->clip;
    if (oc && rs_parse_number(oc, 0, RS_OBS_CLIP_MAX, &clip) != 0) clip = NAN;
    p->norm->clip = (float)clip;
    if (isnan(clip)) {
        rs_set_error("%s: bad obs_clip '%s' (a number in [0, %g]; 0: no clipping)", what, oc,
                     RS_OBS_CLIP_MAX);
        rs_policy_free(p);
        return NULL;
    }
    /* SAC's squash bounds; files written before they were recorded used -5, 2 */
    const char *lo = rs_st_meta(st, "log_std_min"), *hi = rs_st_meta(st, "log_std_max");
    if (lo) p->log_std_min = strtof(lo, NULL);
    if (hi) p->log_std_max = strtof(hi, NULL);
    if (!isfinite(p->log_std_min) || !isfinite(p->log_std_max) ||
        !(p->log_std_min < p->log_std_max)) {
        rs_set_error("%s: bad log_std_min/log_std_max '%s'/'%s'", what, lo ? lo : "", hi ? hi : "");
        rs_policy_free(p);
        return NULL;
    }
    /* the name was checked with the format; SAC squashes whatever it says */
    if (algo == RS_ALGO_PPO && rs_policy_st_head(st, what, &p->head) != 0) {
        rs_policy_free(p);
        return NULL;
    }
    const char *r = rs_st_meta(st, "reward");
    snprintf(p->reward, sizeof p->reward, "%s", r ? r : "");
    const char *stp = rs_st_meta(st, "steps");
    p->steps = stp ? strtol(stp, NULL, 10) : 0;
    const char *sd = rs_st_meta(st, "seed");
    p->seed = sd ? strtoull(sd, NULL, 10) : 0;
    const char *in = rs_st_meta(st, "init");
    snprintf(p->init, sizeof p->init, "%s", in ? in : "");
    const rs_env_spec *s = rs_env_find(p->env);
    if (s && p->reward[0]) rs_reward_parse(s, p->reward, p->reward_w);
    return p;
bad : {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", rs_last_error());
    rs_set_error("%s: %s", what, msg);
}
    rs_policy_free(p);
    return NULL;
}

int rs_policy_save(const rs_policy *p, const char *path) {
    rs_st *st = rs_st_new();
    if (!st) return -1;
    int rc = rs_policy_to_st(p, st);
    if (rc == 0) rc = rs_st_save(st, path);
    rs_st_free(st);
    return rc;
}

rs_policy *rs_policy_load(const char *path) {
    rs_st *st = rs_policy_st_load(path);
    if (!st) return NULL;
    rs_policy *p = rs_policy_from_st(st, path);
    rs_st_free(st);
    return p;
}

const rs_env_spec *rs_policy_env(const rs_policy *p) {
    const rs_env_spec *s = rs_env_find(p->env);
    if (!s) return NULL;
    if (s->obs_dim != p->obs_dim || s->act_dim != p->act_dim) {
        rs_set_error("policy for '%s' has obs %d / act %d, the env has %d / %d", p->env,
                     p->obs_dim, p->act_dim, s->obs_dim, s->act_dim);
        return NULL;
    }
    return s;
}

void rs_policy_head(const rs_policy *p, const float *out, rs_rng *noise, float *act) {
    const int A = p->act_dim;
    const float b = p->act_bound;
    for (int j = 0; j < A; j++) {
        float a;
        if (p->algo == RS_ALGO_SAC) {
            float z = out[j];
            if (noise) {
                float ls = rs_policy_sac_log_std(out[A + j], p->log_std_min, p->log_std_max);
                z += expf(ls) * (float)rs_rng_normal(noise);
            }
            a = b * tanhf(z);
        } else {
            a = out[j];
            if (noise) a += expf(p->log_std[j]) * (float)rs_rng_normal(noise);
            if (p->head == RS_HEAD_TANH) a = rs_policy_squash(RS_HEAD_TANH, a, b);
        }
        /* the env receives actions within its bounds (a no-op after tanh) */
        act[j] = rs_policy_squash(RS_HEAD_CLIP, a, b);
    }
}

void rs_policy_act_det(const rs_policy *p, rs_mlp_ws *ws, const float *obs, int B, float *norm_buf,
                       float *actions) {
    rs_normalizer_apply(p->norm, obs, norm_buf, B);
    rs_mlp_forward(p->pi, ws, norm_buf, B);
    const float *out = rs_mlp_ws_out(ws);
    const int W = p->pi->sizes[p->pi->n_layers];
    for (int i = 0; i < B; i++)
        rs_policy_head(p, out + (size_t)i * W, NULL, actions + (size_t)i * p->act_dim);
}

/* rs_soup.c — linear interpolation of policy checkpoints (rs_mix.h's kernel
 * on tensor sets), λ parsing, and the parent descriptors a soup records. */
#include "rs_soup.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_mix.h"
#include "rs_policy.h"

/* ---- small helpers ---- */

static const char *fmt_shape(char *buf, size_t cap, const rs_tensor *t) {
    size_t k = 0;
    k += (size_t)snprintf(buf + k, cap - k, "[");
    for (int d = 0; d < t->ndim && k < cap; d++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
    return buf;
}

static int is_float(rs_dtype dt) { return dt == RS_DT_F32 || dt == RS_DT_F64; }

/* ---- compatibility ---- */

static const char *const g_meta_fields[] = {"env",        "algo",    "arch",
                                            "activation", "obs_dim", "act_dim"};
#define N_META_FIELDS ((int)(sizeof g_meta_fields / sizeof g_meta_fields[0]))

static const char *meta_or_absent(const rs_st *st, const char *key) {
    const char *v = rs_st_meta(st, key);
    return v ? v : "(absent)";
}

int rs_soup_check(rs_st *const *experts, int n) {
    if (n < 1 || !experts) {
        rs_set_error("a soup needs at least one expert (got %d)", n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (!experts[i]) {
            rs_set_error("expert %d: NULL checkpoint", i);
            return -1;
        }
        char what[32];
        snprintf(what, sizeof what, "expert %d", i);
        if (rs_policy_check_format(experts[i], what) != 0) return -1;
    }
    const rs_st *e0 = experts[0];
    for (int i = 1; i < n; i++) {
        const rs_st *e = experts[i];
        for (int f = 0; f < N_META_FIELDS; f++) {
            const char *a = meta_or_absent(e, g_meta_fields[f]);
            const char *b = meta_or_absent(e0, g_meta_fields[f]);
            if (strcmp(a, b) != 0) {
                rs_set_error("expert %d: %s is '%s', expert 0 has '%s'", i, g_meta_fields[f], a, b);
                return -1;
            }
        }
        /* SAC's squash bounds shape every sampled action: they must agree,
         * as values (a file without them has the old -5 and 2) */
        static const char *const bounds[2] = {"log_std_min", "log_std_max"};
        static const double defaults[2] = {RS_SAC_LOG_STD_MIN, RS_SAC_LOG_STD_MAX};
        for (int k = 0; k < 2; k++) {
            const char *a = rs_st_meta(e, bounds[k]), *b = rs_st_meta(e0, bounds[k]);
            double va = a ? strtod(a, NULL) : defaults[k], vb = b ? strtod(b, NULL) : defaults[k];
            if (va != vb) {
                rs_set_error("expert %d: %s is %g, expert 0 has %g", i, bounds[k], va, vb);
                return -1;
            }
        }
        /* a clipped and a squashed policy read the same tensors differently:
         * their mix would be neither (names checked with the format above) */
        rs_action_head ha, hb;
        rs_policy_st_head(e, "", &ha);
        rs_policy_st_head(e0, "", &hb);
        if (ha != hb) {
            rs_set_error("expert %d: action_head is '%s', expert 0 has '%s': a tanh-squashed and "
                         "a clipped policy do not mix",
                         i, rs_action_head_name(ha), rs_action_head_name(hb));
            return -1;
        }
        /* rewarded soups mix experts of ONE shared init: two experts that
         * name different inits (by content hash, wherever the file was) sit
         * in different basins. A policy without an init (a pretraining, or
         * a scratch run such as the control's) may mix with anything: the
         * init itself, for one. */
        const char *ia = rs_st_meta(e, "init"), *ib = rs_st_meta(e0, "init");
        const char *ha_ = ia ? strrchr(ia, '@') : NULL, *hb_ = ib ? strrchr(ib, '@') : NULL;
        if (ha_ && hb_ && strcmp(ha_, hb_) != 0) {
            rs_set_error("expert %d was fine-tuned from %s, expert 0 from %s: a soup mixes experts "
                         "of one shared init",
                         i, ia, ib);
            return -1;
        }
        for (int k = 0; k < rs_st_count(e0); k++) {
            const rs_tensor *t0 = rs_st_at(e0, k);
            const rs_tensor *t = rs_st_get(e, t0->name);
            if (!t) {
                rs_set_error("expert %d: tensor '%s' is missing (expert 0 has it)", i, t0->name);
                return -1;
            }
            if (t->dtype != t0->dtype) {
                rs_set_error("expert %d: tensor '%s' has dtype %s, expert 0 has %s", i, t0->name,
                             rs_dtype_name(t->dtype), rs_dtype_name(t0->dtype));
                return -1;
            }
            int same = t->ndim == t0->ndim;
            for (int d = 0; same && d < t->ndim; d++)
                same = t->shape[d] == t0->shape[d];
            if (!same) {
                char sa[96], sb[96];
                rs_set_error("expert %d: tensor '%s' has shape %s, expert 0 has %s", i, t0->name,
                             fmt_shape(sa, sizeof sa, t), fmt_shape(sb, sizeof sb, t0));
                return -1;
            }
        }
        /* names are unique within a set, so equal counts + all found = same set */
        if (rs_st_count(e) != rs_st_count(e0)) {
            for (int k = 0; k < rs_st_count(e); k++) {
                const rs_tensor *t = rs_st_at(e, k);
                if (!rs_st_get(e0, t->name)) {
                    rs_set_error("expert %d: has tensor '%s', which expert 0 lacks", i, t->name);
                    return -1;
                }
            }
        }
    }
    /* integer tensors cannot be interpolated: they must agree */
    for (int k = 0; k < rs_st_count(e0); k++) {
        const rs_tensor *t0 = rs_st_at(e0, k);
        if (is_float(t0->dtype)) continue;
        for (int i = 1; i < n; i++) {
            const rs_tensor *t = rs_st_get(experts[i], t0->name);
            if (t->nbytes != t0->nbytes || memcmp(t->data, t0->data, t0->nbytes) != 0) {
                rs_set_error("tensor '%s' (%s) differs between expert 0 and expert %d: "
                             "integer tensors cannot be interpolated, they must be equal",
                             t0->name, rs_dtype_name(t0->dtype), i);
                return -1;
            }
        }
    }
    return 0;
}

/* ---- mixing (the arithmetic is rs_mix.h's) ---- */

static int set_metadata(rs_st *out, rs_st *const *experts, int n, const double *w) {
    const rs_st *e0 = experts[0];
    for (int k = 0; k < rs_st_meta_count(e0); k++) {
        const char *key, *val;
        rs_st_meta_at(e0, k, &key, &val);
        if (!strcmp(key, "lambda") || !strcmp(key, "parents") || !strcmp(key, "soup_method") ||
            !strcmp(key, "soup_rewards"))
            continue;
        if (rs_st_set_meta(out, key, val) < 0) return -1;
    }
    cJSON *lam = cJSON_CreateDoubleArray(w, n);
    cJSON *rew = cJSON_CreateArray();
    int ok = lam && rew;
    for (int i = 0; ok && i < n; i++) {
        const char *r = rs_st_meta(experts[i], "reward");
        cJSON *item = r ? cJSON_CreateString(r) : cJSON_CreateNull();
        ok = item && cJSON_AddItemToArray(rew, item);
    }
    char *lam_s = ok ? cJSON_PrintUnformatted(lam) : NULL;
    char *rew_s = ok ? cJSON_PrintUnformatted(rew) : NULL;
    cJSON_Delete(lam);
    cJSON_Delete(rew);
    int rc = -1;
    if (!lam_s || !rew_s)
        rs_set_error("out of memory writing soup metadata");
    else if (rs_st_set_meta(out, "lambda", lam_s) == 0 &&
             rs_st_set_meta(out, "parents", "[]") == 0 &&
             rs_st_set_meta(out, "soup_method", "linear") == 0 &&
             rs_st_set_meta(out, "soup_rewards", rew_s) == 0)
        rc = 0;
    cJSON_free(lam_s);
    cJSON_free(rew_s);
    return rc;
}

int rs_soup_mix(rs_st *const *experts, int n, const double *lambda, rs_st **out, int *norm_mixed) {
    if (out) *out = NULL;
    if (norm_mixed) *norm_mixed = 0;
    if (!out) {
        rs_set_error("rs_soup_mix: NULL out");
        return -1;
    }
    if (rs_soup_check(experts, n) < 0 || rs_mix_check_lambda(lambda, n) < 0) return -1;

    double *w = rs_calloc((size_t)n, sizeof *w);
    const void **src = rs_calloc((size_t)n, sizeof *src);
    rs_st *st = rs_st_new();
    int rc = -1, mixed_norm = 0;
    if (!w || !src || !st) goto done;
    rs_mix_weights(lambda, n, w);

    const rs_st *e0 = experts[0];
    for (int k = 0; k < rs_st_count(e0); k++) {
        const rs_tensor *t0 = rs_st_at(e0, k);
        /* expert 0's bytes: the integer tensors' (equal, rs_soup_check),
         * and the float ones' until the mix below overwrites them */
        if (rs_st_add(st, t0->name, t0->dtype, t0->ndim, t0->shape, t0->data) < 0) goto done;
        if (!is_float(t0->dtype)) continue;
        const rs_tensor *first = NULL;
        for (int i = 0; i < n; i++) {
            const rs_tensor *t = w[i] != 0.0 ? rs_st_get(experts[i], t0->name) : NULL;
            src[i] = t ? t->data : NULL;
            if (!t) continue;
            if (!first)
                first = t;
            else if (strncmp(t0->name, "obs_norm.", 9) == 0 &&
                     memcmp(t->data, first->data, t0->nbytes) != 0)
                mixed_norm = 1;
        }
        rs_mix(rs_st_at(st, k)->data, src, t0->dtype, w, n, (size_t)rs_tensor_numel(t0));
    }
    if (set_metadata(st, experts, n, w) < 0) goto done;
    rc = 0;
done:
    free(w);
    free(src);
    if (rc == 0) {
        *out = st;
        if (norm_mixed) *norm_mixed = mixed_norm;
    } else {
        rs_st_free(st);
    }
    return rc;
}

/* ---- parents and hashes ---- */

int rs_soup_set_parents(rs_st *out, const char *const *paths, int n) {
    if (!out || (n > 0 && !paths) || n < 0) {
        rs_set_error("rs_soup_set_parents: bad arguments");
        return -1;
    }
    cJSON *arr = cJSON_CreateArray();
    if (!arr) goto oom;
    for (int i = 0; i < n; i++) {
        char hex[17];
        rs_file_hash(paths[i], hex);
        if (!hex[0]) {
            cJSON_Delete(arr);
            return -1;
        }
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto oom;
        }
        if (!cJSON_AddStringToObject(o, "path", paths[i]) ||
            !cJSON_AddStringToObject(o, "fnv1a64", hex))
            goto oom;
    }
    char *s = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    arr = NULL;
    if (!s) goto oom;
    int rc = rs_st_set_meta(out, "parents", s);
    cJSON_free(s);
    return rc;
oom:
    cJSON_Delete(arr);
    rs_set_error("out of memory writing the soup's parents");
    return -1;
}

/* ---- λ from the command line ---- */

static int parse_number(const char *s, size_t len, double *out) {
    char tmp[64];
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof tmp) return -1;
    memcpy(tmp, s, len);
    tmp[len] = 0;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end == tmp || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int rs_soup_parse_lambda(const char *text, int n_experts, double *lambda) {
    if (!text || !lambda || n_experts < 1) {
        rs_set_error("lambda: bad arguments");
        return -1;
    }
    int count = 1;
    for (const char *p = text; *p; p++)
        count += *p == ',';
    double *v = rs_calloc((size_t)count, sizeof *v);
    if (!v) return -1;
    int rc = -1;
    const char *p = text;
    for (int i = 0; i < count; i++) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (parse_number(p, len, &v[i]) < 0) {
            rs_set_error("lambda '%s': '%.*s' is not a number", text, (int)len, p);
            goto done;
        }
        p = c ? c + 1 : p + len;
    }
    if (count == 1 && n_experts == 2) {
        if (v[0] < 0 || v[0] > 1) {
            rs_set_error(
                "lambda '%s': a single lambda is the weight of the second expert and must be "
                "in [0, 1]",
                text);
            goto done;
        }
        lambda[0] = 1.0 - v[0];
        lambda[1] = v[0];
        rc = 0;
        goto done;
    }
    if (count != n_experts) {
        if (count == 1)
            rs_set_error("lambda '%s': a single number is only for 2 experts; give %d "
                         "comma-separated weights summing to 1",
                         text, n_experts);
        else
            rs_set_error("lambda '%s' has %d weights for %d experts", text, count, n_experts);
        goto done;
    }
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
        if (v[i] < 0) {
            rs_set_error("lambda '%s': weight %d (%g) is negative", text, i + 1, v[i]);
            goto done;
        }
        sum += v[i];
    }
    if (!(fabs(sum - 1.0) <= RS_MIX_LAMBDA_TOL)) {
        rs_set_error("lambda '%s': weights sum to %.10g, not 1", text, sum);
        goto done;
    }
    memcpy(lambda, v, (size_t)count * sizeof *v);
    rc = 0;
done:
    free(v);
    return rc;
}

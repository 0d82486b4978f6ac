/* rs_experiment_config.c — strict parsing of experiment configs. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_experiment.h"
#include "rs_config.h"
#include "rs_lmc.h"
#include "rs_ppo.h"
#include "rs_rewardset.h"
#include "rs_trainer.h"

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        char _m[768];                                                                              \
        snprintf(_m, sizeof _m, __VA_ARGS__);                                                      \
        rs_set_error("%s: %s", where, _m);                                                         \
        return -1;                                                                                 \
    } while (0)

static int check_keys(const cJSON *o, const char *path, const char *const *keys, const char *where) {
    for (const cJSON *it = o->child; it; it = it->next) {
        int ok = 0;
        for (int i = 0; keys[i]; i++) ok |= !strcmp(keys[i], it->string);
        if (!ok) {
            char list[512] = "";
            for (int i = 0; keys[i]; i++) {
                strcat(list, i ? ", " : "");
                strcat(list, keys[i]);
            }
            FAIL("%s%s: unknown key (valid here: %s)", path, it->string, list);
        }
    }
    return 0;
}

static int get_str(const cJSON *o, const char *key, const char *path, char *out, size_t n,
                   int required, const char *where) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v) {
        if (required) FAIL("%s%s: missing (a string)", path, key);
        return 0;
    }
    if (!cJSON_IsString(v)) FAIL("%s%s: expected a string", path, key);
    if (strlen(v->valuestring) >= n) FAIL("%s%s: too long", path, key);
    strcpy(out, v->valuestring);
    return 0;
}

static int get_long(const cJSON *o, const char *key, const char *path, long *out, long lo, long hi,
                    int required, const char *where) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v) {
        if (required) FAIL("%s%s: missing (an integer)", path, key);
        return 0;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
        FAIL("%s%s: expected an integer", path, key);
    if (v->valuedouble < (double)lo || v->valuedouble > (double)hi)
        FAIL("%s%s: %g is outside [%ld, %ld]", path, key, v->valuedouble, lo, hi);
    *out = (long)v->valuedouble;
    return 0;
}

static const cJSON *get_obj(const cJSON *o, const char *key, const char *path, int required,
                            const char *where, int *err) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *err = 0;
    if (!v) {
        if (required) {
            rs_set_error("%s: %s%s: missing (an object)", where, path, key);
            *err = 1;
        }
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        rs_set_error("%s: %s%s: expected an object", where, path, key);
        *err = 1;
        return NULL;
    }
    return v;
}

static const char *const g_managed[] = {"env", "reward", "total_steps", "seed", "init", "threads", NULL};

/* overlay every key of `from` on `to` */
static void overlay(cJSON *to, const cJSON *from) {
    for (const cJSON *k = from ? from->child : NULL; k; k = k->next) {
        cJSON_DeleteItemFromObjectCaseSensitive(to, k->string);
        cJSON_AddItemToObject(to, k->string, cJSON_Duplicate(k, 1));
    }
}

/* The fine-tuning stages' settings: the ppo block, then rsoup's fine-tuning
 * set (unless finetune is none), then finetune.ppo; written out complete,
 * with finetune none so that `rsoup train` does not apply the set again.
 * Left empty when it would equal the ppo block (no finetune.ppo, no set):
 * those stages then run exactly as before fine-tuning had settings. */
static int finetune_settings(const cJSON *ppo, const cJSON *ftp, rs_exp_config *c, const char *where) {
    if (ftp && !cJSON_IsObject(ftp)) FAIL("finetune.ppo: expected an object of PPO keys");
    for (int i = 0; ftp && g_managed[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(ftp, g_managed[i]))
            FAIL("finetune.ppo.%s: set by the experiment itself; remove it", g_managed[i]);
    char w2[600];
    snprintf(w2, sizeof w2, "%s: finetune.ppo.", where);
    rs_ppo_config probe; /* key names and types, with the messages naming finetune.ppo */
    rs_ppo_config_default(&probe);
    if (ftp && rs_ppo_config_from_json(&probe, ftp, w2) != 0) return -1;
    const cJSON *mode = ftp ? cJSON_GetObjectItemCaseSensitive(ftp, "finetune") : NULL;
    if (!mode && ppo) mode = cJSON_GetObjectItemCaseSensitive(ppo, "finetune");
    const char *set = rs_ppo_finetune_json();
    int use_set = strcmp(set, "{}") && !(mode && cJSON_IsString(mode) && !strcmp(mode->valuestring, "none"));
    c->ft_ppo_json[0] = 0;
    if ((!ftp || !ftp->child) && !use_set) return 0;
    cJSON *m = ppo ? cJSON_Duplicate(ppo, 1) : cJSON_CreateObject();
    cJSON *s = use_set ? cJSON_Parse(set) : NULL;
    overlay(m, s);
    overlay(m, ftp);
    cJSON_DeleteItemFromObjectCaseSensitive(m, "finetune");
    cJSON_AddStringToObject(m, "finetune", "none");
    cJSON_Delete(s);
    /* resolved as the jobs will resolve it, with an init */
    rs_ppo_config t;
    rs_ppo_config_default(&t);
    snprintf(t.env, sizeof t.env, "%s", c->env);
    int rc = rs_ppo_config_from_json(&t, m, w2);
    if (!rc && rs_ppo_config_env_defaults(&t) > 0) rc = rs_ppo_config_from_json(&t, m, w2);
    strcpy(t.init, "pretrain");
    t.total_steps = c->finetune_steps;
    if (!rc && rs_ppo_config_check_ranks(&t, 1) != 0) {
        char msg[500];
        snprintf(msg, sizeof msg, "%s", rs_last_error());
        rs_set_error("%s: finetune.ppo: %s", where, msg);
        rc = -1;
    }
    char *js = rc ? NULL : cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    if (rc) return -1;
    if (!js || strlen(js) >= sizeof c->ft_ppo_json) {
        free(js);
        FAIL("finetune.ppo: too long");
    }
    strcpy(c->ft_ppo_json, js);
    free(js);
    return 0;
}

int rs_exp_name_check(const char *name) {
    /* the name is a folder (runs/<name>) and reaches reports and plots: one
     * path component of plain characters, so that it can neither climb out
     * of runs/ ("..", "a/b") nor mean anything to a program handed it */
    size_t n = strlen(name);
    if (n == 0 || n > 63) {
        rs_set_error("name: give 1 to 63 characters (it is the folder runs/<name>)");
        return -1;
    }
    if (name[0] == '.' || name[0] == '-') {
        rs_set_error("name: '%.63s' may not start with '%c' (it is the folder runs/<name>)", name,
                     name[0]);
        return -1;
    }
    for (const char *ch = name; *ch; ch++)
        if (!(isalnum((unsigned char)*ch) || *ch == '_' || *ch == '-' || *ch == '.' ||
              *ch == '+')) {
            char what[16];
            rs_set_error("name: holds %s: names may hold letters, digits, '_', '-', '.' and '+' "
                         "only (it is the folder runs/<name>)",
                         rs_byte_text((unsigned char)*ch, what, sizeof what));
            return -1;
        }
    return 0;
}

/* rewards: {"name": "spec", ...}, in order; 0 or -1 (error set) */
static int parse_rewards(const cJSON *root, const char *where, rs_exp_config *c, const rs_env_spec *s) {
    const cJSON *rw = cJSON_GetObjectItemCaseSensitive(root, "rewards");
    if (!cJSON_IsObject(rw)) {
        rs_set_error("%s: rewards: expected an object {\"name\": \"reward spec\", ...} of 2 to %d "
                     "proxy rewards", where, RS_EXP_MAX_REWARDS);
        return -1;
    }
    for (const cJSON *it = rw->child; it; it = it->next) {
        if (c->n_rewards >= RS_EXP_MAX_REWARDS) {
            rs_set_error("%s: rewards: at most %d", where, RS_EXP_MAX_REWARDS);
            return -1;
        }
        if (!cJSON_IsString(it)) {
            rs_set_error("%s: rewards.%s: expected a reward spec string", where, it->string);
            return -1;
        }
        double w[RS_MAX_TERMS];
        if (rs_reward_parse(s, it->valuestring, w) != 0) {
            char m[700];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("%s: rewards.%s: %s", where, it->string, m);
            return -1;
        }
        /* the reward names' one rule (a front's --names takes them) */
        if (rs_reward_name_check(it->string) != 0) {
            char m[300];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("%s: rewards.%s: %s", where, it->string, m);
            return -1;
        }
        for (int j = 0; j < c->n_rewards; j++)
            if (!strcmp(c->reward_names[j], it->string)) {
                rs_set_error("%s: rewards.%s: named twice (each reward needs its own name: its "
                             "expert's folder)", where, it->string);
                return -1;
            }
        if (strlen(it->string) >= sizeof c->reward_names[0] - 8 ||
            strlen(it->valuestring) >= sizeof c->reward_specs[0]) {
            rs_set_error("%s: rewards.%s: name or spec too long", where, it->string);
            return -1;
        }
        snprintf(c->reward_names[c->n_rewards], sizeof c->reward_names[0], "%s", it->string);
        snprintf(c->reward_specs[c->n_rewards], sizeof c->reward_specs[0], "%s", it->valuestring);
        c->n_rewards++;
    }
    if (c->n_rewards < 2) {
        rs_set_error("%s: rewards: need at least 2 proxy rewards", where);
        return -1;
    }
    return 0;
}

/* pretrain: its reward, steps and seed, or the experiment it comes from */
static int parse_pretrain(const cJSON *root, const char *where, rs_exp_config *c, const rs_env_spec *s) {
    int err;
    static const char *pk[] = {"reward", "steps", "seed", "from", NULL};
    const cJSON *pre = get_obj(root, "pretrain", "", 1, where, &err);
    if (err || check_keys(pre, "pretrain.", pk, where)) return -1;
    strcpy(c->pretrain_reward, "default");
    c->pretrain_seed = 1;
    /* "from": the init is another experiment's pretraining (one per
     * replicate), so that settings of the fine-tuning can be compared on
     * the very same inits; steps then only describe it */
    if (get_str(pre, "from", "pretrain.", c->pretrain_from, sizeof c->pretrain_from, 0, where) ||
        get_str(pre, "reward", "pretrain.", c->pretrain_reward, sizeof c->pretrain_reward, 0, where) ||
        get_long(pre, "steps", "pretrain.", &c->pretrain_steps, 1, 1L << 40, !c->pretrain_from[0],
                 where) ||
        get_long(pre, "seed", "pretrain.", &c->pretrain_seed, 0, 1L << 40, 0, where))
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(pre, "from") && !c->pretrain_from[0]) {
        rs_set_error("%s: pretrain.from: an empty path (give another experiment's folder)", where);
        return -1;
    }
    double w[RS_MAX_TERMS];
    if (rs_reward_parse(s, c->pretrain_reward, w) != 0) {
        char m[700];
        snprintf(m, sizeof m, "%s", rs_last_error());
        rs_set_error("%s: pretrain.reward: %s", where, m);
        return -1;
    }
    return 0;
}

/* finetune (steps, twin, shared_seed), the top-level seed and threads, and the ppo blocks: the shared one (checked as `rsoup train` will resolve it) and the fine-tuning's own */
static int parse_finetune(const cJSON *root, const char *where, rs_exp_config *c) {
    int err;
    static const char *fk[] = {"steps", "ppo", "twin", "shared_seed", NULL};
    const cJSON *ft = get_obj(root, "finetune", "", 1, where, &err);
    if (err || check_keys(ft, "finetune.", fk, where) ||
        get_long(ft, "steps", "finetune.", &c->finetune_steps, 1, 1L << 40, 1, where))
        return -1;
    const cJSON *tw = cJSON_GetObjectItemCaseSensitive(ft, "twin");
    if (tw && !cJSON_IsBool(tw)) {
        rs_set_error("%s: finetune.twin: expected true or false", where);
        return -1;
    }
    c->twin = tw && cJSON_IsTrue(tw);
    const cJSON *ss = cJSON_GetObjectItemCaseSensitive(ft, "shared_seed");
    if (ss && !cJSON_IsBool(ss)) {
        rs_set_error("%s: finetune.shared_seed: expected true or false", where);
        return -1;
    }
    c->shared_seed = ss && cJSON_IsTrue(ss);
    c->seed = 2;
    if (get_long(root, "seed", "", &c->seed, 0, 1L << 40, 0, where)) return -1;
    long threads = 0;
    if (get_long(root, "threads", "", &threads, 0, 1024, 0, where)) return -1;
    c->threads = (int)threads;
    /* ppo overrides, resolved as `rsoup train` will resolve them (generic <
     * the env's own set < these), so a bad value fails here and not in the
     * middle of a run; whether the env's set applies goes into the stamps */
    const cJSON *ppo = get_obj(root, "ppo", "", 0, where, &err);
    if (err) return -1;
    rs_ppo_config tmp;
    rs_ppo_config_default(&tmp);
    snprintf(tmp.env, sizeof tmp.env, "%s", c->env);
    char w2[600];
    snprintf(w2, sizeof w2, "%s: ppo.", where);
    if (ppo && rs_ppo_config_from_json(&tmp, ppo, w2) != 0) return -1;
    int set = rs_ppo_config_env_defaults(&tmp);
    if (set < 0 || (set > 0 && ppo && rs_ppo_config_from_json(&tmp, ppo, w2) != 0)) return -1;
    c->ppo_own_set = set > 0;
    {
        /* the nets the runs will build, checked now rather than in a job */
        rs_trainer_setup ts;
        if (rs_trainer_setup_parse(&ts, c->env, "default", tmp.arch, tmp.activation) != 0) {
            char m[400];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("%s: ppo: %s", where, m);
            return -1;
        }
    }
    /* the anchors belong to the fine-tuning stages: the ppo block also
     * drives the pretraining and the controls, which have no init */
    static const char *ft_only[] = {"kl_init", "critic_warmup", NULL};
    for (int i = 0; ppo && ft_only[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(ppo, ft_only[i])) {
            rs_set_error("%s: ppo.%s: anchors a fine-tuning to its init, and the ppo block also "
                         "trains the pretraining and the controls; give it in finetune.ppo",
                         where, ft_only[i]);
            return -1;
        }
    if (ppo) {
        if (rs_ppo_config_check_ranks(&tmp, 1) != 0) {
            char m[400];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("%s: ppo: %s", where, m);
            return -1;
        }
        for (int i = 0; g_managed[i]; i++)
            if (cJSON_GetObjectItemCaseSensitive(ppo, g_managed[i])) {
                rs_set_error("%s: ppo.%s: set by the experiment itself; remove it", where, g_managed[i]);
                return -1;
            }
        char *js = cJSON_PrintUnformatted(ppo);
        snprintf(c->ppo_json, sizeof c->ppo_json, "%s", js);
        free(js);
    }
    if (finetune_settings(ppo, cJSON_GetObjectItemCaseSensitive(ft, "ppo"), c, where) != 0) return -1;
    return 0;
}

/* front: the λ grid, episodes per soup and the evaluation seed */
static int parse_front(const cJSON *root, const char *where, rs_exp_config *c) {
    int err;
    static const char *frk[] = {"grid", "episodes", "seed", NULL};
    const cJSON *fr = get_obj(root, "front", "", 0, where, &err);
    long grid = 11, episodes = 10, eseed = 1000;
    if (err || (fr && (check_keys(fr, "front.", frk, where) ||
                       get_long(fr, "grid", "front.", &grid, 2, 1001, 0, where) ||
                       get_long(fr, "episodes", "front.", &episodes, 1, 100000, 0, where) ||
                       get_long(fr, "seed", "front.", &eseed, 0, 1L << 40, 0, where))))
        return -1;
    c->grid = (int)grid;
    c->episodes = (int)episodes;
    c->eval_seed = eseed;
    return 0;
}

/* morl: the weightings (μ for two rewards, or one weight per reward) and the budget */
static int parse_morl(const cJSON *root, const char *where, rs_exp_config *c) {
    int err;
    static const char *mk[] = {"mu", "steps", NULL};
    const cJSON *mo = get_obj(root, "morl", "", 0, where, &err);
    c->morl_steps = c->finetune_steps;
    if (err) return -1;
    if (mo) {
        if (check_keys(mo, "morl.", mk, where) ||
            get_long(mo, "steps", "morl.", &c->morl_steps, 1, 1L << 40, 0, where))
            return -1;
        const cJSON *mu = cJSON_GetObjectItemCaseSensitive(mo, "mu");
        if (!cJSON_IsArray(mu)) {
            rs_set_error("%s: morl.mu: expected an array of weightings", where);
            return -1;
        }
        int k = 0;
        for (const cJSON *it = mu->child; it; it = it->next, k++) {
            if (k >= RS_EXP_MAX_MU) {
                rs_set_error("%s: morl.mu: at most %d weightings", where, RS_EXP_MAX_MU);
                return -1;
            }
            double sum = 0;
            if (cJSON_IsNumber(it) && c->n_rewards == 2) {
                /* the paper's convention: μ·R1 + (1-μ)·R2 */
                c->mu[k][0] = it->valuedouble;
                c->mu[k][1] = 1 - it->valuedouble;
            } else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) == c->n_rewards) {
                int j = 0;
                for (const cJSON *x = it->child; x; x = x->next, j++) {
                    if (!cJSON_IsNumber(x)) {
                        rs_set_error("%s: morl.mu[%d][%d]: expected a number", where, k, j);
                        return -1;
                    }
                    c->mu[k][j] = x->valuedouble;
                }
            } else {
                rs_set_error("%s: morl.mu[%d]: expected %s", where, k,
                             c->n_rewards == 2 ? "a number in [0, 1] (weight of the first reward) or [w1, w2]"
                                               : "an array with one weight per reward");
                return -1;
            }
            for (int j = 0; j < c->n_rewards; j++) {
                if (!(c->mu[k][j] >= 0)) {
                    rs_set_error("%s: morl.mu[%d]: weights must be >= 0", where, k);
                    return -1;
                }
                sum += c->mu[k][j];
            }
            if (fabs(sum - 1) > 1e-6) {
                rs_set_error("%s: morl.mu[%d]: weights sum to %g, not 1", where, k, sum);
                return -1;
            }
        }
        c->n_mu = k;
    }
    return 0;
}

/* control: the independently initialised pair, its budget or none */
static int parse_control(const cJSON *root, const char *where, rs_exp_config *c) {
    const cJSON *ct = cJSON_GetObjectItemCaseSensitive(root, "control");
    c->control_steps = c->pretrain_steps + c->finetune_steps;
    if (c->pretrain_from[0] && !c->pretrain_steps && (!ct || cJSON_IsTrue(ct))) {
        rs_set_error("%s: control: with pretrain.from and no pretrain.steps the controls' budget "
                     "is unknown; give control.steps (or control false)", where);
        return -1;
    }
    if (!ct || cJSON_IsTrue(ct)) {
        c->control = 1;
    } else if (cJSON_IsFalse(ct)) {
        c->control = 0;
    } else if (cJSON_IsObject(ct)) {
        static const char *ck[] = {"steps", NULL};
        c->control = 1;
        if (check_keys(ct, "control.", ck, where) ||
            get_long(ct, "steps", "control.", &c->control_steps, 1, 1L << 40, 0, where))
            return -1;
    } else {
        rs_set_error("%s: control: expected true, false or {\"steps\": N}", where);
        return -1;
    }
    return 0;
}

/* reference_point: a fixed one, one number per reward */
static int parse_reference(const cJSON *root, const char *where, rs_exp_config *c) {
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(root, "reference_point");
    if (ref && !cJSON_IsNull(ref)) {
        if (!cJSON_IsArray(ref) || cJSON_GetArraySize(ref) != c->n_rewards) {
            rs_set_error("%s: reference_point: expected an array of %d numbers (one per reward)",
                         where, c->n_rewards);
            return -1;
        }
        int j = 0;
        for (const cJSON *x = ref->child; x; x = x->next, j++) {
            if (!cJSON_IsNumber(x)) {
                rs_set_error("%s: reference_point[%d]: expected a number", where, j);
                return -1;
            }
            c->ref[j] = x->valuedouble;
        }
        c->has_ref = 1;
    }
    return 0;
}

/* seeds: K (replicates 1..K) or a list of distinct seeds */
static int parse_seeds(const cJSON *root, const char *where, rs_exp_config *c) {
    const cJSON *sd = cJSON_GetObjectItemCaseSensitive(root, "seeds");
    if (sd) {
        if (cJSON_IsNumber(sd)) {
            if (sd->valuedouble != floor(sd->valuedouble) || sd->valuedouble < 1 ||
                sd->valuedouble > RS_EXP_MAX_SEEDS) {
                rs_set_error("%s: seeds: %g replicates; give 1 to %d (or a list of seeds)", where,
                             sd->valuedouble, RS_EXP_MAX_SEEDS);
                return -1;
            }
            c->n_seeds = (int)sd->valuedouble;
            for (int i = 0; i < c->n_seeds; i++) c->seeds[i] = i + 1;
        } else if (cJSON_IsArray(sd)) {
            int k = 0;
            for (const cJSON *x = sd->child; x; x = x->next, k++) {
                if (k >= RS_EXP_MAX_SEEDS) {
                    rs_set_error("%s: seeds: at most %d", where, RS_EXP_MAX_SEEDS);
                    return -1;
                }
                if (!cJSON_IsNumber(x) || x->valuedouble != floor(x->valuedouble) ||
                    x->valuedouble < 0 || x->valuedouble > 1e6) {
                    rs_set_error("%s: seeds[%d]: expected an integer in [0, 1000000]", where, k);
                    return -1;
                }
                c->seeds[k] = (long)x->valuedouble;
                for (int j = 0; j < k; j++)
                    if (c->seeds[j] == c->seeds[k]) {
                        rs_set_error("%s: seeds[%d]: seed %ld is listed twice", where, k, c->seeds[k]);
                        return -1;
                    }
            }
            if (k == 0) {
                rs_set_error("%s: seeds: an empty list; give at least one seed", where);
                return -1;
            }
            c->n_seeds = k;
        } else {
            rs_set_error("%s: seeds: expected a count (1 to %d) or a list of seeds", where,
                         RS_EXP_MAX_SEEDS);
            return -1;
        }
    }
    return 0;
}

/* lmc: the tolerance of the H1 verdict */
static int parse_lmc(const cJSON *root, const char *where, rs_exp_config *c) {
    int err;
    c->lmc_tol = RS_LMC_REL_TOL;
    static const char *lk[] = {"tolerance", NULL};
    const cJSON *lm = get_obj(root, "lmc", "", 0, where, &err);
    if (err || (lm && check_keys(lm, "lmc.", lk, where))) return -1;
    const cJSON *tol = lm ? cJSON_GetObjectItemCaseSensitive(lm, "tolerance") : NULL;
    if (tol) {
        if (!cJSON_IsNumber(tol) || !(tol->valuedouble >= 0 && tol->valuedouble <= 10)) {
            rs_set_error("%s: lmc.tolerance: expected a number in [0, 10] (a fraction of the "
                         "reward's scale)", where);
            return -1;
        }
        c->lmc_tol = tol->valuedouble;
    }
    return 0;
}

int rs_exp_config_parse(const char *text, const char *where, rs_exp_config *c) {
    memset(c, 0, sizeof *c);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 0);
    if (root && end) {
        /* one JSON object, then nothing but white space */
        const char *t = end;
        while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') t++;
        if (*t) {
            int line = 1;
            for (const char *q = text; q < t; q++) line += *q == '\n';
            cJSON_Delete(root);
            FAIL("text after the JSON object (line %d, near '%.30s')", line, t);
        }
    }
    if (!root) {
        const char *e = cJSON_GetErrorPtr();
        int line = 1;
        for (const char *s = text; e && s < e; s++) line += *s == '\n';
        FAIL("not valid JSON (line %d, near '%.30s')", line, e ? e : "?");
    }
    if (rs_json_unique_keys(root, "") != 0) { /* "seeds" twice: cJSON would read the first */
        char m[700];
        snprintf(m, sizeof m, "%s", rs_last_error());
        cJSON_Delete(root);
        FAIL("%s", m);
    }
    int rc = -1;
    static const char *top[] = {"name", "env", "algo", "rewards", "pretrain", "finetune", "seed",
                                "ppo", "front", "morl", "control", "reference_point", "threads",
                                "comment", "seeds", "lmc", NULL};
    if (!cJSON_IsObject(root)) {
        rs_set_error("%s: the config must be a JSON object", where);
        goto out;
    }
    if (check_keys(root, "", top, where)) goto out;
    strcpy(c->name, "experiment");
    strcpy(c->algo, "ppo");
    if (get_str(root, "name", "", c->name, sizeof c->name, 0, where) ||
        get_str(root, "env", "", c->env, sizeof c->env, 1, where) ||
        get_str(root, "algo", "", c->algo, sizeof c->algo, 0, where))
        goto out;
    if (rs_exp_name_check(c->name) != 0) {
        char m[512];
        snprintf(m, sizeof m, "%s", rs_last_error());
        rs_set_error("%s: %s", where, m);
        goto out;
    }
    const rs_env_spec *s = rs_env_find(c->env);
    if (!s) {
        char m[512];
        snprintf(m, sizeof m, "%s", rs_last_error());
        rs_set_error("%s: env: %s", where, m);
        goto out;
    }
    if (strcmp(c->algo, "ppo")) {
        rs_set_error("%s: algo: '%s' is not supported by experiments yet (ppo)", where, c->algo);
        goto out;
    }
    if (parse_rewards(root, where, c, s) || parse_pretrain(root, where, c, s) ||
        parse_finetune(root, where, c) || parse_front(root, where, c) || parse_morl(root, where, c) ||
        parse_control(root, where, c) || parse_reference(root, where, c) ||
        parse_seeds(root, where, c) || parse_lmc(root, where, c))
        goto out;
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

int rs_exp_seeds_parse(const char *text, rs_exp_config *c) {
    char *end;
    long v[RS_EXP_MAX_SEEDS];
    int n = 0;
    int list = strchr(text, ',') != NULL;
    for (const char *p = text;;) {
        long x = strtol(p, &end, 10);
        if (end == p || x < 0 || x > 1000000) {
            rs_set_error("--seeds: expected a count or a list of seeds like 1,2,3, got '%s'", text);
            return -1;
        }
        if (n >= RS_EXP_MAX_SEEDS) {
            rs_set_error("--seeds: at most %d", RS_EXP_MAX_SEEDS);
            return -1;
        }
        for (int j = 0; j < n; j++)
            if (v[j] == x) {
                rs_set_error("--seeds: seed %ld is listed twice", x);
                return -1;
            }
        v[n++] = x;
        /* "5," is the list of one seed, as a shell loop writes it */
        if (!*end || (*end == ',' && !end[1])) break;
        if (*end != ',') {
            rs_set_error("--seeds: expected a count or a list of seeds like 1,2,3, got '%s'", text);
            return -1;
        }
        p = end + 1;
    }
    if (!list) {
        if (v[0] < 1 || v[0] > RS_EXP_MAX_SEEDS) {
            rs_set_error("--seeds %ld: give 1 to %d replicates (or a list of seeds)", v[0],
                         RS_EXP_MAX_SEEDS);
            return -1;
        }
        n = (int)v[0];
        for (int i = 0; i < n; i++) v[i] = i + 1;
    }
    c->n_seeds = n;
    memcpy(c->seeds, v, sizeof(long) * (size_t)n);
    return 0;
}

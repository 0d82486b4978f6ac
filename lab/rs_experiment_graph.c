/* rs_experiment_graph.c — an experiment config as a graph of rsoup jobs, one
 * set per replicate, with stamps that say when a job is up to date. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_experiment.h"
#include "rs_lab.h"
#include "rs_ppo.h"
#include "rs_soup.h"

static rs_job *add_job(rs_job_graph *g, const char *name, const char *dir, int is_train, int rep) {
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 32;
        rs_job *nj = realloc(g->jobs, sizeof *nj * (size_t)cap);
        if (!nj) return NULL;
        g->jobs = nj;
        g->cap = cap;
    }
    rs_job *j = &g->jobs[g->n++];
    memset(j, 0, sizeof *j);
    snprintf(j->name, sizeof j->name, "%s", name);
    snprintf(j->dir, sizeof j->dir, "%s", dir);
    j->is_train = is_train;
    j->rep = rep;
    return j;
}

static int arg(rs_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int arg(rs_job *j, const char *fmt, ...) {
    if (j->nargs == j->cap_args) {
        int cap = j->cap_args ? 2 * j->cap_args : 32;
        char **na = realloc(j->args, sizeof *na * (size_t)cap);
        if (!na) return -1;
        j->args = na;
        j->cap_args = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = vasprintf(&j->args[j->nargs], fmt, ap);
    va_end(ap);
    if (rc < 0) return -1;
    j->nargs++;
    return 0;
}

static int dep(rs_job *j, int on) {
    if (j->ndeps == j->cap_deps) {
        int cap = j->cap_deps ? 2 * j->cap_deps : 8;
        int *nd = realloc(j->deps, sizeof *nd * (size_t)cap);
        if (!nd) return -1;
        j->deps = nd;
        j->cap_deps = cap;
    }
    j->deps[j->ndeps++] = on;
    return 0;
}

/* append text to the string *d (NULL: empty); 0 or -1 */
static int str_append(char **d, const char *text) {
    size_t k = *d ? strlen(*d) : 0, n = strlen(text);
    char *t = realloc(*d, k + n + 1);
    if (!t) return -1;
    memcpy(t + k, text, n + 1);
    *d = t;
    return 0;
}

/* an argument as a stamp names it: each ';'-separated element that is out
 * or lies under it starts with "<out>" instead, so that the stamp does not
 * depend on where the experiment's folder is. 0 or -1 */
#define OUT_TOKEN "<out>"
static int append_relative(char **d, const char *a, const char *out) {
    size_t no = strlen(out);
    int bad = 0;
    for (const char *e = a;;) {
        const char *end = strchr(e, ';');
        size_t n = end ? (size_t)(end - e) : strlen(e);
        int under = no && n >= no && !strncmp(e, out, no) && (n == no || e[no] == '/');
        char *piece = under ? strndup(e + no, n - no) : strndup(e, n);
        bad |= !piece || (under && str_append(d, OUT_TOKEN)) || str_append(d, piece);
        free(piece);
        if (!end) break;
        bad |= str_append(d, ";");
        e = end + 1;
    }
    return bad ? -1 : 0;
}

/* the stamp of j with the experiment's folder named `out` (OUT_TOKEN: the
 * stamp as written; a folder's old name: the stamp written there before
 * stamps were relative). Its inputs' hashes are of their stamps named the
 * same way. A string to free, or NULL (no memory) */
static char *desc_named(const rs_job_graph *g, const rs_job *j, const char *out) {
    char *d = NULL;
    int bad = 0;
    size_t nt = strlen(OUT_TOKEN);
    for (const char *h = j->desc_head, *t; !bad && h && *h; h = t ? t + nt : h + strlen(h)) {
        t = strstr(h, OUT_TOKEN);
        char *piece = strndup(h, t ? (size_t)(t - h) : strlen(h));
        bad |= !piece || str_append(&d, piece) || (t && str_append(&d, out));
        free(piece);
    }
    if (!d && !bad) bad = str_append(&d, "");
    for (int k = 0; !bad && k < j->ndeps; k++) {
        const rs_job *dj = &g->jobs[j->deps[k]];
        char *dd = desc_named(g, dj, out);
        if (!dd) {
            bad = 1;
            break;
        }
        /* the dependency's own name, without the replicate's folder, so
         * that a replicate's stamps read like a single experiment's */
        const char *base = strrchr(dj->name, '/') ? strrchr(dj->name, '/') + 1 : dj->name;
        char piece[300];
        snprintf(piece, sizeof piece, " [after %s@%016llx]", base,
                 (unsigned long long)rs_fnv1a64(dd, strlen(dd)));
        free(dd);
        bad |= str_append(&d, piece);
    }
    if (!bad && j->desc_tail) bad = str_append(&d, j->desc_tail);
    if (bad) {
        free(d);
        return NULL;
    }
    return d;
}

/* the weighted sum of reward term vectors, as a term list */
static void scalarised(const rs_env_spec *s, const rs_exp_config *c, const double *mu, char *out, int n) {
    double w[RS_MAX_TERMS] = {0}, wr[RS_MAX_TERMS];
    for (int i = 0; i < c->n_rewards; i++) {
        rs_reward_parse(s, c->reward_specs[i], wr);
        for (int t = 0; t < s->n_terms; t++) w[t] += mu[i] * wr[t];
    }
    rs_reward_format(s, w, out, n);
}

static int fits(const char *what, size_t need) {
    if (need < RS_EXP_PATH) return 0;
    rs_set_error("%s: path too long (%zu bytes; at most %d)", what, need, RS_EXP_PATH - 1);
    return -1;
}

/* 1 when the JSON object ppo (the experiment's ppo block) gives every key
 * of the JSON object set, so that the set changes nothing in the config */
static int set_overridden(const char *set, const char *ppo) {
    cJSON *s = cJSON_Parse(set), *p = ppo[0] ? cJSON_Parse(ppo) : NULL;
    int all = s && p;
    for (const cJSON *k = s ? s->child : NULL; all && k; k = k->next)
        all = cJSON_GetObjectItemCaseSensitive(p, k->string) != NULL;
    cJSON_Delete(s);
    cJSON_Delete(p);
    return all;
}

/* one replicate's jobs into g; paths under rd, seeds offset by off */
static int build_rep(const rs_exp_config *c, const char *out, int rep, long off, rs_job_graph *g) {
    const rs_env_spec *s = rs_env_find(c->env);
    const char *rd = g->reps[rep].dir;
    const char *pfx = c->n_seeds ? strrchr(rd, '/') + 1 : "";
    char ppo_file[RS_EXP_PATH] = "", ft_file[RS_EXP_PATH] = "", pre[RS_EXP_PATH + 32];
    if (c->ppo_json[0]) snprintf(ppo_file, sizeof ppo_file, "%s/ppo.json", out);
    /* the fine-tuning stages' file, or the ppo block's when it adds nothing */
    if (c->ft_ppo_json[0]) snprintf(ft_file, sizeof ft_file, "%s/ppo_finetune.json", out);
    else memcpy(ft_file, ppo_file, sizeof ft_file);
    char dir[RS_EXP_PATH + 128], nm[200];
    rs_job *j;
    int bad = 0;
#define NAME(base) snprintf(nm, sizeof nm, "%s%s%s", pfx, *pfx ? "/" : "", base)
#define JOB(base, is_train)                                                                        \
    do {                                                                                           \
        NAME(base);                                                                                \
        if (fits(nm, strlen(dir))) return -1;                                                      \
        j = add_job(g, nm, dir, is_train, rep);                                                    \
        if (!j) goto oom;                                                                          \
    } while (0)
#define TRAIN(reward, steps, seed, file)                                                           \
    do {                                                                                           \
        bad |= arg(j, "train") | arg(j, "--env") | arg(j, "%s", c->env) | arg(j, "--reward") |     \
               arg(j, "%s", reward) | arg(j, "--steps") | arg(j, "%ld", (long)(steps)) |           \
               arg(j, "--seed") | arg(j, "%ld", (long)(seed)) | arg(j, "--out") |                  \
               arg(j, "%s", j->dir);                                                               \
        if ((file)[0]) bad |= arg(j, "--config") | arg(j, "%s", file);                             \
    } while (0)
    /* a fine-tuning of the init, with the fine-tuning settings */
#define FINETUNE(reward, steps, seed)                                                              \
    do {                                                                                           \
        TRAIN(reward, steps, seed, ft_file);                                                       \
        j->is_finetune = 1;                                                                        \
        bad |= arg(j, "--init") | arg(j, "%s", pre);                                               \
        if (ipre >= 0) bad |= dep(j, ipre);                                                        \
    } while (0)
    int ipre = -1;
    if (c->pretrain_from[0]) {
        /* another experiment's init: the replicate's own, or its only one */
        if (c->n_seeds)
            snprintf(pre, sizeof pre, "%s/seed_%ld/pretrain", c->pretrain_from, g->reps[rep].seed);
        else
            snprintf(pre, sizeof pre, "%s/pretrain", c->pretrain_from);
        if (fits("pretrain.from", strlen(pre) + 32)) return -1;
    } else {
        snprintf(dir, sizeof dir, "%s/pretrain", rd);
        snprintf(pre, sizeof pre, "%s/pretrain", rd);
        JOB("pretrain", 1);
        TRAIN(c->pretrain_reward, c->pretrain_steps, c->pretrain_seed + off, ppo_file);
        ipre = g->n - 1;
    }
    int iexp[RS_EXP_MAX_REWARDS], imorl[RS_EXP_MAX_MU], ictl[RS_EXP_MAX_REWARDS];
    for (int i = 0; i < c->n_rewards; i++) {
        char base[96];
        snprintf(base, sizeof base, "expert_%s", c->reward_names[i]);
        snprintf(dir, sizeof dir, "%s/%s", rd, base);
        JOB(base, 1);
        /* shared_seed: the experts share their fine-tuning noise (env seeds,
         * action noise, minibatch order), so only the rewards part them */
        FINETUNE(c->reward_specs[i], c->finetune_steps, c->seed + off + (c->shared_seed ? 0 : i));
        iexp[i] = g->n - 1;
    }
    int itwin = -1;
    if (c->twin) {
        /* the same-reward floor: the first reward again, another seed */
        char base[96];
        snprintf(base, sizeof base, "twin_%s", c->reward_names[0]);
        snprintf(dir, sizeof dir, "%s/%s", rd, base);
        JOB(base, 1);
        FINETUNE(c->reward_specs[0], c->finetune_steps, c->seed + off + 50);
        itwin = g->n - 1;
    }
    for (int k = 0; k < c->n_mu; k++) {
        char spec[1024], base[32];
        scalarised(s, c, c->mu[k], spec, sizeof spec);
        snprintf(base, sizeof base, "morl_%d", k);
        snprintf(dir, sizeof dir, "%s/%s", rd, base);
        JOB(base, 1);
        FINETUNE(spec, c->morl_steps, c->seed + off + 100 + k);
        imorl[k] = g->n - 1;
    }
    if (c->control)
        for (int i = 0; i < c->n_rewards; i++) {
            char base[96];
            snprintf(base, sizeof base, "control_%s", c->reward_names[i]);
            snprintf(dir, sizeof dir, "%s/%s", rd, base);
            JOB(base, 1);
            /* independent random inits: other seeds, no shared pretraining */
            TRAIN(c->reward_specs[i], c->control_steps, c->seed + off + 1000 + 17 * i, ppo_file);
            ictl[i] = g->n - 1;
        }
    /* the front of soups, with experts, MORL runs and the init in one file;
     * its columns carry the config's reward names (--names) */
    char *rewards = NULL, names[RS_EXP_MAX_REWARDS * 64 + 1] = "";
    size_t rl = 0;
    for (int i = 0; i < c->n_rewards; i++) rl += strlen(c->reward_specs[i]) + 1;
    rewards = calloc(rl + 1, 1);
    if (!rewards) goto oom;
    for (int i = 0; i < c->n_rewards; i++) {
        if (i) strcat(rewards, ";");
        strcat(rewards, c->reward_specs[i]);
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? "," : "",
                 c->reward_names[i]);
    }
    for (int pass = 0; pass < 1 + c->control; pass++) {
        const char *what = pass ? "control" : "expert";
        snprintf(dir, sizeof dir, "%s", rd);
        JOB(pass ? "control_front" : "front", 0);
        snprintf(j->out, sizeof j->out, "%s/%s.csv", rd, pass ? "control_front" : "front");
        bad |= arg(j, "front");
        for (int i = 0; i < c->n_rewards; i++)
            bad |= arg(j, "%s/%s_%s", rd, what, c->reward_names[i]) | dep(j, pass ? ictl[i] : iexp[i]);
        bad |= arg(j, "--grid") | arg(j, "%d", c->grid) | arg(j, "--episodes") |
               arg(j, "%d", c->episodes) | arg(j, "--seed") | arg(j, "%ld", c->eval_seed + off) |
               arg(j, "--rewards") | arg(j, "%s", rewards) | arg(j, "--names") | arg(j, "%s", names);
        if (!pass) {
            bad |= arg(j, "--init") | arg(j, "%s", pre);
            if (ipre >= 0) bad |= dep(j, ipre);
            if (c->n_mu) {
                size_t need = 1;
                for (int k = 0; k < c->n_mu; k++) need += strlen(rd) + 16;
                char *bl = calloc(need, 1);
                if (!bl) goto oom;
                for (int k = 0; k < c->n_mu; k++) {
                    size_t n = strlen(bl);
                    snprintf(bl + n, need - n, "%s%s/morl_%d", k ? ";" : "", rd, k);
                    bad |= dep(j, imorl[k]);
                }
                bad |= arg(j, "--baseline") | arg(j, "%s", bl);
                free(bl);
            }
        }
        bad |= arg(j, "--out") | arg(j, "%s", j->out);
    }
    if (c->twin) {
        /* expert and twin on every reward; the floor is the first reward's */
        snprintf(dir, sizeof dir, "%s", rd);
        JOB("twin_front", 0);
        snprintf(j->out, sizeof j->out, "%s/twin_front.csv", rd);
        bad |= arg(j, "front") | arg(j, "%s/expert_%s", rd, c->reward_names[0]) |
               arg(j, "%s/twin_%s", rd, c->reward_names[0]) | dep(j, iexp[0]) | dep(j, itwin) |
               arg(j, "--grid") | arg(j, "%d", c->grid) | arg(j, "--episodes") |
               arg(j, "%d", c->episodes) | arg(j, "--seed") | arg(j, "%ld", c->eval_seed + off) |
               arg(j, "--rewards") | arg(j, "%s", rewards) | arg(j, "--names") | arg(j, "%s", names) |
               arg(j, "--init") | arg(j, "%s", pre);
        if (ipre >= 0) bad |= dep(j, ipre);
        bad |= arg(j, "--out") | arg(j, "%s", j->out);
    }
    free(rewards);
    if (bad) goto oom;
    return 0;
oom:
    rs_set_error("experiment: out of memory building the jobs");
    return -1;
#undef NAME
#undef JOB
#undef TRAIN
#undef FINETUNE
}

/* The hash a stamp takes of a JSON object of training settings: without
 * the keys that change no bit of a training (evaluations, checkpoint
 * cadence, threads), so that setting them does not redo finished stages.
 * The text itself when it has none of them (the stamps made before this
 * rule are unchanged); *empty when nothing else is left. 0, or -1. */
static int training_hash(const char *json, uint64_t *h, int *empty) {
    static const char *const no_bits[] = {"eval_every", "eval_episodes", "save_every", "threads", NULL};
    cJSON *o = cJSON_Parse(json);
    if (!o) return -1;
    int removed = 0;
    for (int i = 0; no_bits[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(o, no_bits[i])) {
            cJSON_DeleteItemFromObjectCaseSensitive(o, no_bits[i]);
            removed = 1;
        }
    *empty = o->child == NULL;
    char *t = removed ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (removed && !t) return -1;
    *h = rs_fnv1a64(t ? t : json, strlen(t ? t : json));
    free(t);
    return 0;
}

/* the stamp piece of a replicate's init from pretrain.from: its .done stamp
 * must exist (that experiment's pretraining finished) */
static int pretrain_from_piece(const rs_exp_config *c, const rs_job_graph *g, const rs_job *j,
                               char *piece, size_t n) {
    char p[RS_EXP_PATH + 64];
    if (c->n_seeds)
        snprintf(p, sizeof p, "%s/seed_%ld/pretrain/.done", c->pretrain_from, g->reps[j->rep].seed);
    else
        snprintf(p, sizeof p, "%s/pretrain/.done", c->pretrain_from);
    char *s = rs_lab_exists(p) ? rs_read_file(p, NULL) : NULL;
    if (!s) {
        rs_set_error("pretrain.from: %s is missing: that experiment's pretraining has not finished "
                     "(run it first)", p);
        return -1;
    }
    snprintf(piece, n, " [after pretrain@%016llx]", (unsigned long long)rs_fnv1a64(s, strlen(s)));
    free(s);
    return 0;
}

int rs_exp_graph_build(const rs_exp_config *c, const char *out, rs_job_graph *g) {
    memset(g, 0, sizeof *g);
    if (fits("--out", strlen(out) + 64)) return -1;
    snprintf(g->out, sizeof g->out, "%s", out);
    if (c->n_seeds == 0) {
        g->n_reps = 1;
        g->reps[0].seed = 0;
        snprintf(g->reps[0].dir, sizeof g->reps[0].dir, "%s", out);
    } else {
        g->n_reps = c->n_seeds;
        for (int r = 0; r < c->n_seeds; r++) {
            g->reps[r].seed = c->seeds[r];
            snprintf(g->reps[r].dir, sizeof g->reps[r].dir, "%s/seed_%ld", out, c->seeds[r]);
        }
    }
    for (int r = 0; r < g->n_reps; r++)
        if (build_rep(c, out, r, g->reps[r].seed * RS_EXP_SEED_STRIDE, g) != 0) return -1;
    /* a job's stamp covers its inputs too: the hashes of its dependencies'
     * stamps (which cover theirs), so changing the fine-tuning budget redoes
     * the experts and everything built on them, but not the pretraining;
     * and the env's own PPO set when the runs take it, so runs made before
     * the set existed (or changed) are not taken as up to date; a set whose
     * every key the config's ppo block gives changes nothing a run uses,
     * and is left out */
    const char *set = c->ppo_own_set ? rs_ppo_env_hparams_json(c->env) : NULL;
    if (set && set_overridden(set, c->ppo_json)) set = NULL;
    for (int i = 0; i < g->n; i++) {
        rs_job *j = &g->jobs[i];
        if (j->is_train) memcpy(j->out, j->dir, sizeof j->dir);
        /* the fine-tuning stages name their own file when they have one; what
         * the stamp hashes is its part that changes a training */
        const char *pj = j->is_finetune && c->ft_ppo_json[0] ? c->ft_ppo_json : c->ppo_json;
        uint64_t ph = 0;
        int empty = 0;
        if (j->is_train && pj[0] && training_hash(pj, &ph, &empty) != 0) {
            rs_set_error("experiment: out of memory building the stamps");
            return -1;
        }
        int bad = str_append(&j->desc_head, "");
        for (int a = 0; a < j->nargs; a++) {
            /* a file of settings that change no training is no input */
            if (empty && !strcmp(j->args[a], "--config") && a + 1 < j->nargs) {
                a++;
                continue;
            }
            /* nor are the rewards' names: a label changes no number (the
             * specs in --rewards say what is scored), so fronts made before
             * the runner named their columns stay up to date */
            if (!strcmp(j->args[a], "--names") && a + 1 < j->nargs) {
                a++;
                continue;
            }
            bad |= (a ? str_append(&j->desc_head, " ") : 0) |
                   append_relative(&j->desc_head, j->args[a], out);
        }
        char piece[300];
        if (j->is_train && pj[0] && !empty) {
            snprintf(piece, sizeof piece, " [%s@%016llx]", pj == c->ppo_json ? "ppo.json" : "ppo_finetune.json",
                     (unsigned long long)ph);
            bad |= str_append(&j->desc_head, piece);
        }
        if (j->is_train && set) {
            snprintf(piece, sizeof piece, " [%s's own hparams@%016llx]", c->env,
                     (unsigned long long)rs_fnv1a64(set, strlen(set)));
            bad |= str_append(&j->desc_head, piece);
        }
        /* another experiment's init stands in for the pretrain job: its
         * finished stamp, as a dependency's would be */
        int uses_init = j->is_finetune || (!j->is_train && strstr(j->name, "control_front") == NULL);
        bad |= str_append(&j->desc_tail, "");
        if (c->pretrain_from[0] && uses_init) {
            if (pretrain_from_piece(c, g, j, piece, sizeof piece) != 0) return -1;
            bad |= str_append(&j->desc_tail, piece);
        }
        /* then the stamp: the head, the inputs' hashes, the tail */
        if (!bad) bad = !(j->desc = desc_named(g, j, OUT_TOKEN));
        if (!bad) bad = !(j->desc_here = desc_named(g, j, out));
        if (bad) {
            rs_set_error("experiment: out of memory building the stamps");
            return -1;
        }
    }
    return 0;
}

void rs_exp_graph_free(rs_job_graph *g) {
    for (int i = 0; i < g->n; i++) {
        rs_job *j = &g->jobs[i];
        for (int a = 0; a < j->nargs; a++) free(j->args[a]);
        free(j->args);
        free(j->deps);
        free(j->desc);
        free(j->desc_here);
        free(j->desc_head);
        free(j->desc_tail);
    }
    free(g->jobs);
    memset(g, 0, sizeof *g);
}

void rs_exp_stamp_path(const rs_job *j, const char *which, char *buf, size_t n) {
    if (j->is_train)
        snprintf(buf, n, "%s/.%s", j->dir, which);
    else
        snprintf(buf, n, "%s.%s", j->out, which);
}

/* A stamp written before stamps were relative names the folder as --out
 * gave it then: its own "--out OLD/REL" (REL: where j's output lies in the
 * experiment's folder) says what OLD was. 1 when s is j's stamp with the
 * folder named so */
static int matches_named(const rs_job_graph *g, const rs_job *j, const char *s) {
    size_t no = strlen(g->out);
    if (strncmp(j->out, g->out, no)) return 0;
    const char *rel = j->out + no;
    size_t nr = strlen(rel);
    if (!nr) return 0;
    for (const char *v = strstr(s, " --out "); v; v = strstr(v + 1, " --out ")) {
        v += 7;
        for (const char *q = strstr(v, rel); q; q = strstr(q + 1, rel)) {
            if (q[nr] != ' ' && q[nr] != 0) continue;
            char *old = strndup(v, (size_t)(q - v));
            char *d = old && *old ? desc_named(g, j, old) : NULL;
            int ok = d && !strcmp(s, d);
            free(d);
            free(old);
            if (ok) return 1;
            break; /* the first REL after --out is its end */
        }
    }
    return 0;
}

int rs_exp_stamp_matches(const rs_job_graph *g, const rs_job *j, const char *which) {
    char p[RS_EXP_PATH + 32];
    rs_exp_stamp_path(j, which, p, sizeof p);
    char *s = rs_lab_exists(p) ? rs_read_file(p, NULL) : NULL;
    int ok;
    if (!j->is_train && !strcmp(which, "started"))
        ok = s && j->desc_here && !strcmp(s, j->desc_here);
    else
        ok = s && j->desc && (!strcmp(s, j->desc) || matches_named(g, j, s));
    free(s);
    return ok;
}

/* a word the shell reads back as itself: bare when it is plain, else in
 * single quotes (a quote inside as '\'') */
static void shell_word(const char *w, char *buf, size_t n) {
    int plain = *w != 0;
    for (const char *p = w; *p; p++)
        plain &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 strchr("-_./=,:+@%", *p) != NULL;
    size_t k = strlen(buf);
    if (plain) {
        snprintf(buf + k, n - k, "%s", w);
        return;
    }
    if (k + 1 < n) buf[k++] = '\'';
    for (const char *p = w; *p && k + 5 < n; p++) {
        if (*p == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *p;
        }
    }
    if (k + 1 < n) buf[k++] = '\'';
    buf[k < n ? k : n - 1] = 0;
}

void rs_exp_job_command(const rs_job *j, char *buf, size_t n) {
    snprintf(buf, n, "rsoup");
    for (int a = 0; a < j->nargs; a++) {
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, " ");
        shell_word(j->args[a], buf, n);
    }
}

/* a stamp's temporary file (rs_lab_write_file: NAME.tmp.PID) left by a
 * runner killed while it wrote the stamp: the runner's own, never a user's */
static int stale_stamp_tmp(const char *name) {
    const char *t = !strncmp(name, ".started.tmp.", 13) ? name + 13
                    : !strncmp(name, ".done.tmp.", 10)  ? name + 10
                                                        : NULL;
    if (!t || !*t) return 0;
    for (; *t; t++)
        if (*t < '0' || *t > '9') return 0;
    return 1;
}

/* depth first, the folder itself and its .started stamp left to the end:
 * a kill part-way leaves a folder that still says it is ours */
static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)sb;
    if (ftw->level == 0) return 0;
    if (ftw->level == 1 && !strcmp(path + ftw->base, ".started")) return 0;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int rs_exp_remove_run_dir(const char *dir) {
    struct stat sb;
    if (lstat(dir, &sb) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(sb.st_mode)) {
        rs_set_error("%s is not a folder this experiment made; move it away", dir);
        return -1;
    }
    char stamp[RS_EXP_PATH + 16];
    snprintf(stamp, sizeof stamp, "%s/.started", dir);
    int ours = rs_lab_exists(stamp);
    if (!ours) {
        /* an empty folder is fine to reuse, and so is one holding only the
         * temporary stamp of a runner killed between making the folder and
         * stamping it (that would otherwise refuse every rerun) */
        DIR *d = opendir(dir);
        int entries = 0;
        for (struct dirent *e; d && (e = readdir(d));) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            if (stale_stamp_tmp(e->d_name) && unlinkat(dirfd(d), e->d_name, 0) == 0) continue;
            entries++;
        }
        if (d) closedir(d);
        if (entries == 0) return 0;
        rs_set_error("%s holds files that this experiment did not make (no .started stamp): "
                     "refusing to delete it; move it away or choose another --out", dir);
        return -1;
    }
    /* never following links out of the folder */
    if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0 || unlink(stamp) != 0 ||
        rmdir(dir) != 0) {
        rs_set_error("cannot remove %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

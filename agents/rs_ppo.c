/* rs_ppo.c — PPO rollouts, GAE, loss/gradients, updates and train state. */
#include "rs_ppo.h"
#include "rs_ckpt.h"
#include "rs_mpi.h"
#include "rs_trainer.h"

#include <cblas.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 20 /* episodes in the "recent" statistics */
#define LOG_2PI 1.8378770664093453

struct rs_ppo {
    rs_ppo_config cfg;
    const rs_env_spec *spec;
    rs_vecenv *vec;
    rs_policy *pol;
    rs_mlp *vf;
    rs_adam *opt_pi, *opt_std, *opt_vf;
    rs_return_scaler *rscale;
    rs_rng rng; /* action noise and minibatch shuffles */
    int freeze_obs;
    long global_step, update, num_updates;
    int N, T, B, O, A;
    /* rollout storage, T x N rows */
    float *obs, *act, *logp, *val, *rew, *adv, *ret;
    unsigned char *done;
    float *next_obs;   /* N x O normalised obs the next step acts on */
    float *act_env;    /* N x A clipped actions */
    float *last_value; /* N */
    float *tmp_obs;    /* N x O scratch */
    int *dones_i;      /* N */
    /* minibatch scratch */
    int *perm;
    float *mb_obs, *mb_act, *mb_logp, *mb_adv, *mb_ret, *mb_val, *dmu, *dv;
    float *g_pi, *g_std, *g_vf;
    rs_mlp_ws *ws_pi, *ws_vf;  /* minibatch-sized */
    rs_mlp_ws *ws_pi_r, *ws_vf_r; /* rollout-sized (N rows) */
    /* data-parallel (MPI) runs: statistics of this rank's rollout, merged
     * across ranks at the end of each rollout; the rollout itself normalises
     * with the statistics as they were at its start, identical on all ranks */
    int mpi;
    int mb; /* this rank's minibatch size */
    size_t n_grad; /* g_pi, g_std, g_vf are consecutive views of one buffer */
    double *obs_acc; /* 1 + 2*O: count, Σx, Σx² (MPI runs) */
    double ret_acc[3]; /* count, Σ, Σ² of the discounted returns */
    double *adv_acc;   /* MPI: Σ, Σ² of each minibatch's advantages, one epoch */
    /* the current minibatch, shared with the two update threads */
    rs_ppo_loss *mb_loss;
    int mb_M;
    double norm2[2];
    float clip_scale;
    /* fine-tuning: the init's actor and log-std (kl_init > 0), its means on
     * the rollout's states, and whether the init gave the value net */
    rs_mlp *anchor;
    float *anchor_log_std;
    float *mu0, *mb_mu0;
    rs_mlp_ws *ws_anchor_r;
    int had_critic;
    int actor_on; /* this update moves the actor (0 during the critic warm-up) */
    rs_trainer_window win; /* recent episodes */
    rs_ppo_stats last;     /* the last iteration's, for the trainer interface */
    void *block;           /* PPO_BUFFERS: every plain buffer above is a view into it */
};

const rs_ppo_config *rs_ppo_cfg(const rs_ppo *p) { return &p->cfg; }
rs_policy *rs_ppo_policy(rs_ppo *p) { return p->pol; }
const rs_vecenv *rs_ppo_vecenv(const rs_ppo *p) { return p->vec; }
long rs_ppo_global_step(const rs_ppo *p) { return p->global_step; }
long rs_ppo_num_updates(const rs_ppo *p) { return p->num_updates; }
long rs_ppo_update_index(const rs_ppo *p) { return p->update; }

void rs_ppo_free(rs_ppo *p) {
    if (!p) return;
    rs_vecenv_free(p->vec);
    rs_policy_free(p->pol);
    rs_mlp_free(p->vf);
    rs_adam_free(p->opt_pi);
    rs_adam_free(p->opt_std);
    rs_adam_free(p->opt_vf);
    rs_return_scaler_free(p->rscale);
    free(p->block);
    rs_mlp_ws_free(p->ws_pi);
    rs_mlp_ws_free(p->ws_vf);
    rs_mlp_ws_free(p->ws_pi_r);
    rs_mlp_ws_free(p->ws_vf_r);
    rs_mlp_free(p->anchor);
    rs_mlp_ws_free(p->ws_anchor_r);
    free(p);
}

/* normalise raw observations (updating the statistics unless frozen) */
static void observe(rs_ppo *p, const float *raw, float *out, int rows, int update) {
    rs_policy *pol = p->pol;
    if (p->cfg.norm_obs) {
        if (update && !p->freeze_obs && p->mpi) {
            double *a = p->obs_acc;
            for (int r = 0; r < rows; r++) {
                const float *x = raw + (size_t)r * p->O;
                for (int k = 0; k < p->O; k++) {
                    a[1 + k] += x[k];
                    a[1 + p->O + k] += (double)x[k] * x[k];
                }
            }
            a[0] += rows;
        } else if (update && !p->freeze_obs)
            rs_normalizer_update(pol->norm, raw, rows);
        rs_normalizer_apply(pol->norm, raw, out, rows);
    } else {
        memcpy(out, raw, sizeof(float) * (size_t)rows * p->O);
    }
}

/* every buffer of the rollout and the update, in the trainer's one block:
 * B = n_envs x n_steps rows, N envs, M rows per minibatch, O and A the
 * observation and action sizes */
#define PPO_BUFFERS(X)                                                                             \
    X(float, obs, B * O)                                                                           \
    X(float, act, B * A)                                                                           \
    X(float, logp, B)                                                                              \
    X(float, val, B)                                                                               \
    X(float, rew, B)                                                                               \
    X(float, adv, B)                                                                               \
    X(float, ret, B)                                                                               \
    X(unsigned char, done, B)                                                                      \
    X(float, next_obs, N * O)                                                                      \
    X(float, act_env, N * A)                                                                       \
    X(float, last_value, N)                                                                        \
    X(float, tmp_obs, N * O)                                                                       \
    X(int, dones_i, N)                                                                             \
    X(int, perm, B)                                                                                \
    X(double, adv_acc, 2 * (B / M))                                                                \
    X(double, obs_acc, 1 + 2 * O)                                                                  \
    X(float, mb_obs, M * O)                                                                        \
    X(float, mb_act, M * A)                                                                        \
    X(float, mb_logp, M)                                                                           \
    X(float, mb_adv, M)                                                                            \
    X(float, mb_ret, M)                                                                            \
    X(float, mb_val, M)                                                                            \
    X(float, dmu, M * A)                                                                           \
    X(float, dv, M)                                                                                \
    X(float, g_pi, p->n_grad)                                                                      \
    X(float, anchor_log_std, KA)                                                                   \
    X(float, mu0, B * KA)                                                                          \
    X(float, mb_mu0, M * KA)

rs_ppo *rs_ppo_new(const rs_ppo_config *c) {
    if (rs_ppo_config_check(c) != 0) return NULL;
    rs_trainer_setup ts;
    if (rs_trainer_setup_parse(&ts, c->env, c->reward, c->arch, c->activation) != 0) return NULL;
    const rs_env_spec *s = ts.spec;
    rs_ppo *p = rs_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->cfg = *c;
    p->spec = s;
    rs_trainer_window_init(&p->win, WINDOW);
    /* the config describes the global run: R ranks x n_envs envs with the
     * hyperparameters of one process with R*n_envs envs. Each rank takes its
     * share of every global minibatch, and all take the same number of steps. */
    p->mb = rs_ppo_global_minibatch(c, rs_mpi_size()) / rs_mpi_size(); /* checked above */
    p->N = c->n_envs;
    p->T = c->n_steps;
    p->B = p->N * p->T;
    p->O = s->obs_dim;
    p->A = s->act_dim;
    long global_batch = (long)p->B * rs_mpi_size();
    p->num_updates = (c->total_steps + global_batch - 1) / global_batch;
    p->freeze_obs = c->freeze_obs_norm == 1 || (c->freeze_obs_norm == -1 && c->init[0]);
    /* the policy batches are small: BLAS threads would only fight the env threads */
    openblas_set_num_threads(1);

    p->vec = rs_vecenv_new(s, c->model[0] ? c->model : NULL, p->N, ts.w, (uint64_t)c->seed, NULL,
                           c->threads);
    if (!p->vec) goto fail;
    p->pol =
        rs_policy_new(RS_ALGO_PPO, p->O, p->A, (float)s->act_bound, ts.hidden, ts.n_hidden, ts.act);
    p->vf = rs_mlp_new(p->O, ts.hidden, ts.n_hidden, 1, ts.act);
    if (!p->pol || !p->vf) goto fail;
    p->pol->norm->clip = (float)c->obs_clip;
    rs_action_head_parse(c->action_head, &p->pol->head); /* checked above */
    rs_trainer_label_policy(p->pol, &ts, c->reward, c->seed);
    rs_rng_seed(&p->rng, (uint64_t)c->seed, 0xC0FFEE);
    rs_rng init_rng;
    rs_rng_seed(&init_rng, (uint64_t)c->seed, 0x1417);
    /* weight_init: PyTorch's nn.Linear default (SB3 with ortho_init=False),
     * or CleanRL's orthogonal: sqrt(2) hidden, 0.01 policy head, 1 value head */
    if (!strcmp(c->weight_init, "fanin")) {
        rs_mlp_init_uniform_fanin(p->pol->pi, &init_rng);
        rs_mlp_init_uniform_fanin(p->vf, &init_rng);
    } else {
        rs_mlp_init_orthogonal(p->pol->pi, &init_rng, sqrtf(2.f), 0.01f);
        rs_mlp_init_orthogonal(p->vf, &init_rng, sqrtf(2.f), 1.0f);
    }
    for (int j = 0; j < p->A; j++) p->pol->log_std[j] = (float)c->log_std_init;

    p->opt_pi = rs_adam_new(p->pol->pi->n_params, (float)c->lr, 0.9f, 0.999f, (float)c->adam_eps);
    p->opt_std = rs_adam_new((size_t)p->A, (float)c->lr, 0.9f, 0.999f, (float)c->adam_eps);
    p->opt_vf = rs_adam_new(p->vf->n_params, (float)c->lr, 0.9f, 0.999f, (float)c->adam_eps);
    p->rscale = rs_return_scaler_new(p->N, c->gamma, (float)c->reward_clip);
    if (!p->opt_pi || !p->opt_std || !p->opt_vf || !p->rscale) goto fail;

    size_t B = (size_t)p->B, O = (size_t)p->O, A = (size_t)p->A, N = (size_t)p->N;
    size_t M = (size_t)p->mb;
    /* the anchor's buffers exist only when it does */
    size_t KA = c->kl_init > 0 ? A : 0;
    /* one buffer for all gradients: a single allreduce per minibatch */
    p->n_grad = p->pol->pi->n_params + A + p->vf->n_params;
    RS_BLOCK_NEW(PPO_BUFFERS, p);
    if (!p->block) goto fail;
    p->g_std = p->g_pi + p->pol->pi->n_params;
    p->g_vf = p->g_std + A;
    p->ws_pi = rs_mlp_ws_new(p->pol->pi, (int)M);
    p->ws_vf = rs_mlp_ws_new(p->vf, (int)M);
    p->ws_pi_r = rs_mlp_ws_new(p->pol->pi, p->N);
    p->ws_vf_r = rs_mlp_ws_new(p->vf, p->N);
    if (!p->ws_pi || !p->ws_vf || !p->ws_pi_r || !p->ws_vf_r) goto fail;
    if (c->kl_init > 0) {
        /* filled by the init (or a resume); until then the policy itself */
        p->anchor = rs_mlp_clone(p->pol->pi);
        p->ws_anchor_r = p->anchor ? rs_mlp_ws_new(p->anchor, p->N) : NULL;
        if (!p->ws_anchor_r) goto fail;
        memcpy(p->anchor_log_std, p->pol->log_std, sizeof(float) * A);
    }
    p->mpi = rs_mpi_active();
    if (p->mpi) {
        /* every rank steps its own envs: disjoint RNG streams */
        rs_vecenv_reseed(p->vec, (uint64_t)c->seed, (uint64_t)rs_mpi_rank() * (uint64_t)p->N);
        /* identical starting weights everywhere */
        rs_mpi_bcast_f32(p->pol->pi->params, p->pol->pi->n_params, 0);
        rs_mpi_bcast_f32(p->vf->params, p->vf->n_params, 0);
        rs_mpi_bcast_f32(p->pol->log_std, (size_t)p->A, 0);
    }
    observe(p, p->vec->obs, p->next_obs, p->N, 1);
    return p;
fail:
    rs_ppo_free(p);
    return NULL;
}

/* ---- GAE ---- */
void rs_gae(const float *rewards, const float *values, const unsigned char *done,
            const float *last_value, int T, int N, float gamma, float lam, float *adv, float *ret) {
    for (int i = 0; i < N; i++) {
        float next_adv = 0.f;
        for (int t = T - 1; t >= 0; t--) {
            int k = t * N + i;
            float nonterminal = done[k] ? 0.f : 1.f;
            float next_v = t == T - 1 ? last_value[i] : values[k + N];
            float delta = rewards[k] + gamma * next_v * nonterminal - values[k];
            next_adv = delta + gamma * lam * nonterminal * next_adv;
            adv[k] = next_adv;
            ret[k] = next_adv + values[k];
        }
    }
}

/* ---- the loss and its gradient ----
 * L = mean_i max(-A r, -A clip(r)) - c_e * H + c_v * 0.5 mean_i max((v-R)^2, (vc-R)^2)
 * with r = exp(logp_new - logp_old) and vc = v_old + clip(v - v_old, ±clip).
 * The policy and value parts touch disjoint networks, so they are computed
 * (and back-propagated) on separate threads. */
static void policy_loss_grad(const float *mu, const float *log_std, const float *act,
                             const float *logp_old, const float *adv, int M, int A, float clip,
                             float ent_coef, rs_ppo_loss *out, float *dmu, float *dlogstd) {
    double pg = 0, kl = 0, cf = 0, sum_logstd = 0;
    float inv_std[64], inv_var[64];
    for (int j = 0; j < A; j++) {
        inv_std[j] = expf(-log_std[j]);
        inv_var[j] = inv_std[j] * inv_std[j];
        sum_logstd += log_std[j];
    }
    const float invM = 1.0f / (float)M;
    for (int i = 0; i < M; i++) {
        const float *a = act + (size_t)i * A, *m = mu + (size_t)i * A;
        double lp = -0.5 * A * LOG_2PI - sum_logstd;
        for (int j = 0; j < A; j++) {
            double z = (a[j] - m[j]) * inv_std[j];
            lp -= 0.5 * z * z;
        }
        double logratio = lp - logp_old[i];
        double r = exp(logratio);
        double rc = r < 1 - clip ? 1 - clip : (r > 1 + clip ? 1 + clip : r);
        double l1 = -adv[i] * r, l2 = -adv[i] * rc;
        pg += l1 > l2 ? l1 : l2;
        kl += (r - 1) - logratio;
        cf += fabs(r - 1) > clip;
        /* d max(l1, l2)/d logp: -A r where the unclipped term is the max */
        float g_lp = l1 >= l2 ? (float)(-adv[i] * r) * invM : 0.f;
        for (int j = 0; j < A; j++) {
            float diff = a[j] - m[j];
            dmu[(size_t)i * A + j] = g_lp * diff * inv_var[j];
            dlogstd[j] += g_lp * (diff * diff * inv_var[j] - 1.f);
        }
    }
    for (int j = 0; j < A; j++) dlogstd[j] -= ent_coef; /* dH/dlogstd_j = 1 */
    out->pg_loss = pg / M;
    out->entropy = A * 0.5 * (1.0 + LOG_2PI) + sum_logstd;
    out->approx_kl = kl / M;
    out->clipfrac = cf / M;
}

double rs_ppo_kl_anchor(const float *mu, const float *log_std, const float *mu0,
                        const float *log_std0, int M, int A, float beta, int means_only,
                        float *dmu, float *dlogstd) {
    double kl = 0;
    const float invM = 1.0f / (float)M;
    for (int j = 0; j < A; j++) {
        /* per dimension: the state-independent part, and d/dlog s of the
         * mean, which is the same for every state: -1 + s^2/s0^2 */
        double inv_var0 = exp(-2.0 * log_std0[j]), var = exp(2.0 * log_std[j]);
        if (!means_only) {
            kl += M * (log_std0[j] - log_std[j] + 0.5 * var * inv_var0 - 0.5);
            dlogstd[j] += (float)(beta * (var * inv_var0 - 1.0));
        }
        for (int i = 0; i < M; i++) {
            double d = (double)mu[(size_t)i * A + j] - mu0[(size_t)i * A + j];
            kl += 0.5 * d * d * inv_var0;
            dmu[(size_t)i * A + j] += (float)(beta * d * inv_var0) * invM;
        }
    }
    return kl / M;
}

static void value_loss_grad(const float *v_new, const float *ret, const float *v_old, int M,
                            float clip, float vf_coef, int clip_vloss, rs_ppo_loss *out,
                            float *dv) {
    double vl = 0;
    const float invM = 1.0f / (float)M;
    for (int i = 0; i < M; i++) {
        double d = v_new[i] - ret[i];
        if (clip_vloss) {
            double dvv = v_new[i] - v_old[i];
            double vcd = dvv < -clip ? -clip : (dvv > clip ? clip : dvv);
            double dc = v_old[i] + vcd - ret[i];
            if (d * d >= dc * dc) {
                vl += d * d;
                dv[i] = (float)(vf_coef * d) * invM;
            } else {
                vl += dc * dc;
                /* the clipped branch moves with v only inside the clip range */
                dv[i] = (fabs(dvv) < clip) ? (float)(vf_coef * dc) * invM : 0.f;
            }
        } else {
            vl += d * d;
            dv[i] = (float)(vf_coef * d) * invM;
        }
    }
    out->v_loss = 0.5 * vl / M;
}

void rs_ppo_loss_grad(const float *mu, const float *log_std, const float *v_new, const float *act,
                      const float *logp_old, const float *adv, const float *ret,
                      const float *v_old, int M, int A, float clip, float vf_coef, float ent_coef,
                      int clip_vloss, rs_ppo_loss *out, float *dmu, float *dlogstd, float *dv) {
    policy_loss_grad(mu, log_std, act, logp_old, adv, M, A, clip, ent_coef, out, dmu, dlogstd);
    value_loss_grad(v_new, ret, v_old, M, clip, vf_coef, clip_vloss, out, dv);
    out->total = out->pg_loss - ent_coef * out->entropy + vf_coef * out->v_loss;
}

/* ---- rollout ---- */
void rs_ppo_merge_obs_stats(rs_normalizer *n, double *acc) {
    const int O = n->dim;
    rs_mpi_sum_f64(acc, 1 + 2 * (size_t)O);
    if (acc[0] > 0) {
        /* the sums become the union's mean and variance in place: the
         * rollout loop allocates nothing */
        double *mean = acc + 1, *var = acc + 1 + O;
        for (int k = 0; k < O; k++) {
            mean[k] = mean[k] / acc[0];
            var[k] = var[k] / acc[0] - mean[k] * mean[k];
            if (var[k] < 0) var[k] = 0;
        }
        rs_normalizer_merge(n, mean, var, acc[0]);
    }
    memset(acc, 0, sizeof(double) * (1 + 2 * (size_t)O));
}

/* data-parallel: fold every rank's rollout statistics into the running
 * ones: the exact parallel mean/variance of all ranks' samples */
static void merge_rollout_stats(rs_ppo *p) {
    if (p->cfg.norm_obs && !p->freeze_obs) rs_ppo_merge_obs_stats(p->pol->norm, p->obs_acc);
    if (p->cfg.norm_reward) {
        double *r = p->ret_acc;
        rs_mpi_sum_f64(r, 3);
        if (r[0] > 0) {
            double m = r[1] / r[0], var = r[2] / r[0] - m * m;
            rs_running_scalar_merge(&p->rscale->rms, m, var < 0 ? 0 : var, r[0]);
        }
        memset(r, 0, sizeof p->ret_acc);
    }
    /* next_obs was normalised with the old statistics: redo it with the new */
    observe(p, p->vec->obs, p->next_obs, p->N, 0);
}

static int rollout(rs_ppo *p, int *episodes, double *env_s) {
    const int N = p->N, O = p->O, A = p->A;
    const float bound = (float)p->spec->act_bound;
    rs_policy *pol = p->pol;
    const rs_action_head head = pol->head;
    rs_vecenv *v = p->vec;
    const int W = pol->pi->sizes[pol->pi->n_layers];
    float stds[64];
    double sum_logstd = 0;
    for (int j = 0; j < A; j++) {
        stds[j] = expf(pol->log_std[j]);
        sum_logstd += pol->log_std[j];
    }
    *episodes = 0;
    for (int t = 0; t < p->T; t++) {
        float *obs_t = p->obs + (size_t)t * N * O;
        memcpy(obs_t, p->next_obs, sizeof(float) * N * O);
        rs_mlp_forward(pol->pi, p->ws_pi_r, obs_t, N);
        rs_mlp_forward(p->vf, p->ws_vf_r, obs_t, N);
        if (p->anchor) {
            /* the init's means on the same states, for the anchor's KL */
            rs_mlp_forward(p->anchor, p->ws_anchor_r, obs_t, N);
            memcpy(p->mu0 + (size_t)t * N * A, rs_mlp_ws_out(p->ws_anchor_r),
                   sizeof(float) * (size_t)N * A);
        }
        const float *mu = rs_mlp_ws_out(p->ws_pi_r), *val = rs_mlp_ws_out(p->ws_vf_r);
        for (int i = 0; i < N; i++) {
            float *a = p->act + ((size_t)t * N + i) * A;
            double lp = -0.5 * A * LOG_2PI - sum_logstd;
            for (int j = 0; j < A; j++) {
                float eps = (float)rs_rng_normal(&p->rng);
                a[j] = mu[i * W + j] + stds[j] * eps;
                lp -= 0.5 * (double)eps * eps;
                /* the env gets clip(u) or bound*tanh(u); the buffer keeps the
                 * Gaussian sample u, and logp, the ratios, approx_kl and the
                 * entropy are the Gaussian's over u. For tanh, log pi(a) =
                 * log N(u) - sum_j log(bound (1 - tanh(u_j)^2)): the Jacobian
                 * depends on u alone, fixed by this rollout, so it cancels in
                 * every ratio pi_new / pi_old; the entropy bonus stays the
                 * Gaussian's (the squashed one has no closed form) */
                p->act_env[i * A + j] = rs_policy_squash(head, a[j], bound);
            }
            p->logp[t * N + i] = (float)lp;
            p->val[t * N + i] = val[i];
        }
        double te = rs_now();
        int bad = rs_vecenv_step(v, p->act_env);
        *env_s += rs_now() - te;
        if (bad) {
            rs_set_error("policy produced a non-finite action at step %ld (diverged training?): %s",
                         p->global_step, rs_last_error());
            return -1;
        }
        p->global_step += (long)N * rs_mpi_size();
        float *rew_t = p->rew + (size_t)t * N;
        for (int i = 0; i < N; i++) {
            int d = v->terminated[i] | v->truncated[i];
            p->done[t * N + i] = (unsigned char)d;
            p->dones_i[i] = d;
            if (d) {
                rs_trainer_window_push(&p->win, v, i);
                (*episodes)++;
            }
        }
        if (p->cfg.norm_reward && p->mpi) {
            /* scale with the statistics of the rollout's start; collect this
             * rank's discounted returns for the merge at its end */
            rs_return_scaler *rs = p->rscale;
            double sd = sqrt(rs->rms.var + 1e-8);
            for (int i = 0; i < N; i++) {
                rs->ret[i] = rs->ret[i] * rs->gamma + v->rewards[i];
                p->ret_acc[0] += 1;
                p->ret_acc[1] += rs->ret[i];
                p->ret_acc[2] += rs->ret[i] * rs->ret[i];
                double x = v->rewards[i] / sd;
                if (rs->clip > 0) x = x < -rs->clip ? -rs->clip : (x > rs->clip ? rs->clip : x);
                rew_t[i] = (float)x;
                if (p->dones_i[i]) rs->ret[i] = 0;
            }
        } else if (p->cfg.norm_reward)
            rs_return_scaler_update(p->rscale, v->rewards, p->dones_i, rew_t);
        else
            memcpy(rew_t, v->rewards, sizeof(float) * N);
        /* truncation is not failure: bootstrap with V(final obs) */
        for (int i = 0; i < N; i++) {
            if (!v->truncated[i]) continue;
            observe(p, v->final_obs + (size_t)i * O, p->tmp_obs, 1, 0);
            rs_mlp_forward(p->vf, p->ws_vf_r, p->tmp_obs, 1);
            rew_t[i] += (float)p->cfg.gamma * rs_mlp_ws_out(p->ws_vf_r)[0];
        }
        observe(p, v->obs, p->next_obs, N, 1);
    }
    rs_mlp_forward(p->vf, p->ws_vf_r, p->next_obs, N);
    memcpy(p->last_value, rs_mlp_ws_out(p->ws_vf_r), sizeof(float) * N);
    if (p->mpi) merge_rollout_stats(p);
    return 0;
}

/* one minibatch, task 0: actor forward, policy loss, actor backward;
 * task 1: the same for the critic. Each leaves the squared norm of its
 * gradient in norm2[task] for the global clip. */
static void minibatch_task(void *arg, int b, int e, int worker) {
    rs_ppo *p = arg;
    const int M = p->mb_M, A = p->A;
    rs_policy *pol = p->pol;
    (void)worker;
    for (int task = b; task < e; task++) {
        if (task == 0 && !p->actor_on) {
            /* critic warm-up: the actor is neither evaluated nor moved */
            p->mb_loss->pg_loss = p->mb_loss->entropy = p->mb_loss->approx_kl = 0;
            p->mb_loss->clipfrac = p->mb_loss->kl_init = 0;
            p->norm2[0] = 0;
        } else if (task == 0) {
            rs_mlp_forward(pol->pi, p->ws_pi, p->mb_obs, M);
            memset(p->g_std, 0, sizeof(float) * A);
            policy_loss_grad(rs_mlp_ws_out(p->ws_pi), pol->log_std, p->mb_act, p->mb_logp,
                             p->mb_adv, M, A, (float)p->cfg.clip, (float)p->cfg.ent_coef,
                             p->mb_loss, p->dmu, p->g_std);
            p->mb_loss->kl_init =
                p->anchor ? rs_ppo_kl_anchor(rs_mlp_ws_out(p->ws_pi), pol->log_std, p->mb_mu0,
                                             p->anchor_log_std, M, A, (float)p->cfg.kl_init,
                                             p->cfg.kl_init_means, p->dmu, p->g_std)
                          : 0;
            memset(p->g_pi, 0, sizeof(float) * pol->pi->n_params);
            rs_mlp_backward(pol->pi, p->ws_pi, p->mb_obs, p->dmu, M, p->g_pi, NULL);
            double a = rs_grad_global_norm(p->g_pi, pol->pi->n_params);
            double c = rs_grad_global_norm(p->g_std, (size_t)A);
            p->norm2[0] = a * a + c * c;
        } else {
            rs_mlp_forward(p->vf, p->ws_vf, p->mb_obs, M);
            value_loss_grad(rs_mlp_ws_out(p->ws_vf), p->mb_ret, p->mb_val, M, (float)p->cfg.clip,
                            (float)p->cfg.vf_coef, p->cfg.clip_vloss, p->mb_loss, p->dv);
            memset(p->g_vf, 0, sizeof(float) * p->vf->n_params);
            rs_mlp_backward(p->vf, p->ws_vf, p->mb_obs, p->dv, M, p->g_vf, NULL);
            double v = rs_grad_global_norm(p->g_vf, p->vf->n_params);
            p->norm2[1] = v * v;
        }
    }
}

static void adam_task(void *arg, int b, int e, int worker) {
    rs_ppo *p = arg;
    (void)worker;
    for (int task = b; task < e; task++) {
        float sc = p->clip_scale;
        if (task == 0 && !p->actor_on) {
            continue;
        } else if (task == 0) {
            if (sc != 1.0f) {
                for (size_t i = 0; i < p->pol->pi->n_params; i++) p->g_pi[i] *= sc;
                for (int i = 0; i < p->A; i++) p->g_std[i] *= sc;
            }
            rs_adam_step(p->opt_pi, p->pol->pi->params, p->g_pi);
            rs_adam_step(p->opt_std, p->pol->log_std, p->g_std);
        } else {
            if (sc != 1.0f)
                for (size_t i = 0; i < p->vf->n_params; i++) p->g_vf[i] *= sc;
            rs_adam_step(p->opt_vf, p->vf->params, p->g_vf);
        }
    }
}

void rs_ppo_norm_adv(float *adv, int M, const double *sums, double n) {
    double mean = 0, var = 0;
    if (sums) {
        mean = sums[0] / n;
        var = (sums[1] - n * mean * mean) / (n - 1);
        if (var < 0) var = 0;
    } else {
        for (int m = 0; m < M; m++) mean += adv[m];
        mean /= M;
        for (int m = 0; m < M; m++) var += (adv[m] - mean) * (adv[m] - mean);
        var /= M - 1;
    }
    double sd = sqrt(var); /* torch's unbiased std */
    for (int m = 0; m < M; m++) adv[m] = (float)((adv[m] - mean) / (sd + 1e-8));
}

/* The single place where gradients are reduced across processes. On one
 * process there is nothing to do. */
static void reduce_grads(rs_ppo *p) {
    if (!p->mpi) return;
    /* every rank's minibatch has the same size, so the mean of the ranks'
     * gradients is the gradient of the mean loss over the concatenation */
    const float inv = 1.0f / (float)rs_mpi_size();
    size_t ns[3] = {p->pol->pi->n_params, (size_t)p->A, p->vf->n_params};
    rs_mpi_sum_f32(p->g_pi, p->n_grad);
    for (size_t i = 0; i < p->n_grad; i++) p->g_pi[i] *= inv;
    double a = rs_grad_global_norm(p->g_pi, ns[0]), c = rs_grad_global_norm(p->g_std, ns[1]);
    double v = rs_grad_global_norm(p->g_vf, ns[2]);
    p->norm2[0] = a * a + c * c;
    p->norm2[1] = v * v;
}

static int all_finite(const float *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

static int update(rs_ppo *p, rs_ppo_stats *st) {
    const int B = p->B, O = p->O, A = p->A, M = p->mb;
    rs_policy *pol = p->pol;
    rs_gae(p->rew, p->val, p->done, p->last_value, p->T, p->N, (float)p->cfg.gamma,
           (float)p->cfg.gae_lambda, p->adv, p->ret);
    double frac = p->cfg.anneal_lr ? 1.0 - (double)p->update / (double)p->num_updates : 1.0;
    /* fine-tuning: the critic alone for the first critic_warmup updates,
     * then the actor's lr ramps up over lr_warmup updates */
    const long K = p->cfg.critic_warmup, W = p->cfg.lr_warmup;
    p->actor_on = p->update >= K;
    double ramp = W > 0 && p->update - K < W ? (double)(p->update - K + 1) / (double)W : 1.0;
    float lr = (float)(frac * p->cfg.lr);
    float lr_pi = p->actor_on ? (float)(frac * p->cfg.lr * ramp) : 0.f;
    p->opt_pi->lr = p->opt_std->lr = lr_pi;
    p->opt_vf->lr = lr;
    st->lr = lr_pi;
    st->actor_moved = p->actor_on;
    for (int i = 0; i < B; i++) p->perm[i] = i;
    double s_pg = 0, s_vl = 0, s_ent = 0, s_kl = 0, s_cf = 0, s_gn = 0, s_k0 = 0;
    int n_mb = 0, stop = 0;
    for (int ep = 0; ep < p->cfg.epochs && !stop; ep++) {
        for (int i = B - 1; i > 0; i--) { /* Fisher-Yates */
            int j = (int)rs_rng_below(&p->rng, (uint64_t)i + 1);
            int tmp = p->perm[i];
            p->perm[i] = p->perm[j];
            p->perm[j] = tmp;
        }
        if (p->mpi && p->cfg.norm_adv) {
            /* the advantages are normalised over the global minibatch, as one
             * process holding all ranks' samples would: every rank's sums for
             * all of this epoch's minibatches, in one allreduce */
            int j = 0;
            for (int start = 0; start + M <= B; start += M, j++) {
                double s1 = 0, s2 = 0;
                for (int m = 0; m < M; m++) {
                    double a = p->adv[p->perm[start + m]];
                    s1 += a;
                    s2 += a * a;
                }
                p->adv_acc[2 * j] = s1;
                p->adv_acc[2 * j + 1] = s2;
            }
            rs_mpi_sum_f64(p->adv_acc, 2 * (size_t)j);
        }
        double ep_kl = 0;
        int ep_mb = 0;
        for (int start = 0; start + M <= B; start += M) {
            for (int m = 0; m < M; m++) {
                int k = p->perm[start + m];
                memcpy(p->mb_obs + (size_t)m * O, p->obs + (size_t)k * O, sizeof(float) * O);
                memcpy(p->mb_act + (size_t)m * A, p->act + (size_t)k * A, sizeof(float) * A);
                p->mb_logp[m] = p->logp[k];
                p->mb_adv[m] = p->adv[k];
                p->mb_ret[m] = p->ret[k];
                p->mb_val[m] = p->val[k];
                if (p->anchor)
                    memcpy(p->mb_mu0 + (size_t)m * A, p->mu0 + (size_t)k * A, sizeof(float) * A);
            }
            if (p->cfg.norm_adv && p->mpi)
                rs_ppo_norm_adv(p->mb_adv, M, p->adv_acc + 2 * ep_mb, (double)M * rs_mpi_size());
            else if (p->cfg.norm_adv)
                rs_ppo_norm_adv(p->mb_adv, M, NULL, 0);
            rs_ppo_loss l = {0};
            p->mb_loss = &l;
            p->mb_M = M;
            rs_pool_run(p->vec->pool, 2, minibatch_task, p);
            l.total = l.pg_loss - p->cfg.ent_coef * l.entropy + p->cfg.vf_coef * l.v_loss +
                      p->cfg.kl_init * l.kl_init;
            reduce_grads(p);
            double gn = sqrt(p->norm2[0] + p->norm2[1]);
            if (!isfinite(gn) || !isfinite(l.total)) {
                st->nonfinite = 1;
                rs_set_error("non-finite loss or gradient at update %ld (loss %g, grad norm %g); "
                             "training stopped and saved nothing of it (an earlier checkpoint, "
                             "if any, is as it was); a lower lr or max_grad_norm may help",
                             p->update + 1, l.total, gn);
                return -1;
            }
            /* clip (as torch's clip_grad_norm_) and step, each net on its thread */
            p->clip_scale = gn > p->cfg.max_grad_norm ? (float)(p->cfg.max_grad_norm / (gn + 1e-6)) : 1.0f;
            rs_pool_run(p->vec->pool, 2, adam_task, p);
            s_pg += l.pg_loss;
            s_vl += l.v_loss;
            s_ent += l.entropy;
            s_kl += l.approx_kl;
            s_cf += l.clipfrac;
            s_gn += gn;
            s_k0 += l.kl_init;
            ep_kl += l.approx_kl;
            n_mb++;
            ep_mb++;
        }
        if (p->cfg.target_kl > 0 && ep_mb) {
            /* every rank must take the same decision: the global mean KL */
            double kl = ep_kl / ep_mb;
            if (p->mpi) {
                rs_mpi_sum_f64(&kl, 1);
                kl /= rs_mpi_size();
            }
            if (kl > p->cfg.target_kl) stop = 1;
        }
    }
    if (!all_finite(pol->pi->params, pol->pi->n_params) || !all_finite(pol->log_std, (size_t)A)) {
        st->nonfinite = 1;
        rs_set_error("policy weights became non-finite at update %ld", p->update + 1);
        return -1;
    }
    st->pg_loss = s_pg / n_mb;
    st->v_loss = s_vl / n_mb;
    st->entropy = s_ent / n_mb;
    st->approx_kl = s_kl / n_mb;
    st->clipfrac = s_cf / n_mb;
    st->grad_norm = s_gn / n_mb;
    st->kl_init = s_k0 / n_mb;
    /* explained variance of the value predictions */
    double my = 0, vy = 0, vr = 0;
    for (int i = 0; i < B; i++) my += p->ret[i];
    my /= B;
    for (int i = 0; i < B; i++) {
        vy += (p->ret[i] - my) * (p->ret[i] - my);
        double r = p->ret[i] - p->val[i];
        vr += r * r;
    }
    double mr = 0;
    for (int i = 0; i < B; i++) mr += p->ret[i] - p->val[i];
    mr /= B;
    vr = vr / B - mr * mr;
    st->explained_var = vy > 0 ? 1.0 - vr / (vy / B) : NAN;
    return 0;
}

int rs_ppo_rank_minibatch(const rs_ppo *p) { return p->mb; }

int rs_ppo_iterate(rs_ppo *p, rs_ppo_stats *st) {
    memset(st, 0, sizeof *st);
    double c0 = rs_mpi_time_in_comm();
    double t0 = rs_now();
    if (rollout(p, &st->episodes, &st->env_s) != 0) return -1;
    double t1 = rs_now(), c1 = rs_mpi_time_in_comm();
    if (update(p, st) != 0) return -1;
    st->comm_update_s = rs_mpi_time_in_comm() - c1;
    p->update++;
    p->pol->steps = p->global_step;
    st->rollout_s = t1 - t0;
    st->update_s = rs_now() - t1;
    st->comm_s = rs_mpi_time_in_comm() - c0;
    st->update = p->update;
    st->num_updates = p->num_updates;
    st->global_step = p->global_step;
    st->window = p->win.n;
    rs_trainer_window_mean(&p->win, p->spec->n_terms, &st->ep_return, &st->ep_length, st->ep_terms);
    return 0;
}

/* ---- checkpoints ---- */

extern const rs_trainer_ops rs_ppo_ops;

/* PPO's part of train.safetensors (the envelope, rs_trainer_save, adds the
 * policy and the metadata) */
static int ppo_save_state(const void *t, rs_st *st) {
    const rs_ppo *p = t;
    const rs_vecenv *v = p->vec;
    const int N = p->N;
    int64_t n = N, three = 3;
    int rc = rs_ckpt_add_vecenv(st, v);
    if (!rc) {
        rc |= rs_st_add(st, "rscale.ret", RS_DT_F64, 1, &n, p->rscale->ret);
        double rms[3] = {p->rscale->rms.mean, p->rscale->rms.var, p->rscale->rms.count};
        rc |= rs_st_add(st, "rscale.rms", RS_DT_F64, 1, &three, rms);
        rc |= rs_trainer_window_save(st, &p->win);
        int64_t tr[8];
        rs_rng_pack(&p->rng, tr);
        tr[6] = p->global_step;
        tr[7] = p->update;
        int64_t eight = 8;
        rc |= rs_st_add(st, "trainer.rng_step_update", RS_DT_I64, 1, &eight, tr);
        int64_t win[3] = {p->win.n, p->win.pos, p->vec->episodes};
        rc |= rs_st_add(st, "window.counters", RS_DT_I64, 1, &three, win);
        int64_t so[2] = {N, p->O};
        rc |= rs_st_add_f32(st, "trainer.next_obs", 2, so, p->next_obs);
        rc |= rs_ckpt_add_mlp(st, "vf", p->vf);
        rc |= rs_ckpt_add_adam(st, "opt.pi", p->opt_pi);
        rc |= rs_ckpt_add_adam(st, "opt.log_std", p->opt_std);
        rc |= rs_ckpt_add_adam(st, "opt.vf", p->opt_vf);
        if (p->anchor) {
            /* the init the anchor pulls towards: a resume needs it, whatever
             * became of the init's file */
            int64_t a = p->A;
            rc |= rs_ckpt_add_mlp(st, "anchor", p->anchor);
            rc |= rs_st_add_f32(st, "anchor.log_std", 1, &a, p->anchor_log_std);
        }
    }
    return rc ? -1 : 0;
}

int rs_ppo_save_train(const rs_ppo *p, const char *path) {
    return rs_trainer_save(&rs_ppo_ops, p, path);
}

/* --init: besides the actor (copied by rs_trainer_init), the log-std, the
 * normaliser and, when the init has one, the value net */
static int ppo_init_state(void *t, const rs_st *st, const rs_policy *q) {
    rs_ppo *p = t;
    /* the same weights mean other actions under the other head (a tanh
     * policy's pre-squash means, clipped, hit the bound): never switch */
    if (q->head != p->pol->head) {
        rs_set_error("the init's action head is %s and this run's is %s: a fine-tune keeps its "
                     "init's head (action_head %s)",
                     rs_action_head_name(q->head), rs_action_head_name(p->pol->head),
                     rs_action_head_name(q->head));
        return -1;
    }
    memcpy(p->pol->log_std, q->log_std, sizeof(float) * p->A);
    memcpy(p->pol->norm->mean, q->norm->mean, sizeof(double) * p->O);
    memcpy(p->pol->norm->var, q->norm->var, sizeof(double) * p->O);
    p->pol->norm->count = q->norm->count;
    p->had_critic = rs_st_get(st, "vf.0.weight") != NULL;
    if (p->had_critic && rs_ckpt_get_mlp(st, "vf", p->vf) != 0) return -1;
    const rs_tensor *rt = rs_st_get(st, "rscale.rms");
    if (p->cfg.init_rscale && rt) {
        /* the init's return scale: its value net predicts returns in it */
        int64_t three = 3;
        if (rs_st_expect(st, "rscale.rms", RS_DT_F64, 1, &three, &rt)) return -1;
        const double *r = rt->data;
        p->rscale->rms.mean = r[0];
        p->rscale->rms.var = r[1];
        p->rscale->rms.count = r[2];
    }
    if (p->anchor) {
        rs_mlp_copy(p->anchor, q->pi);
        memcpy(p->anchor_log_std, q->log_std, sizeof(float) * p->A);
    }
    /* the run's first observation is normalised with the init's statistics */
    observe(p, p->vec->obs, p->next_obs, p->N, 0);
    return 0;
}

int rs_ppo_load_init(rs_ppo *p, const char *path) { return rs_trainer_init(&rs_ppo_ops, p, path); }

int rs_ppo_init_had_critic(const rs_ppo *p) { return p->had_critic; }

/* everything but the policy, which rs_trainer_load has copied */
static int ppo_load_state(void *t, const rs_st *st) {
    rs_ppo *p = t;
    rs_vecenv *v = p->vec;
    const int N = p->N;
    const rs_tensor *t_;
    if (rs_ckpt_get_mlp(st, "vf", p->vf) || rs_ckpt_get_adam(st, "opt.pi", p->opt_pi) ||
        rs_ckpt_get_adam(st, "opt.log_std", p->opt_std) || rs_ckpt_get_adam(st, "opt.vf", p->opt_vf) ||
        rs_ckpt_get_vecenv(st, v))
        return -1;
    int64_t n = N, three = 3, eight = 8;
    if (rs_st_expect(st, "rscale.ret", RS_DT_F64, 1, &n, &t_)) return -1;
    memcpy(p->rscale->ret, t_->data, t_->nbytes);
    if (rs_st_expect(st, "rscale.rms", RS_DT_F64, 1, &three, &t_)) return -1;
    {
        const double *r = t_->data;
        p->rscale->rms.mean = r[0];
        p->rscale->rms.var = r[1];
        p->rscale->rms.count = r[2];
    }
    if (rs_trainer_window_load(st, &p->win)) return -1;
    if (rs_st_expect(st, "trainer.rng_step_update", RS_DT_I64, 1, &eight, &t_)) return -1;
    {
        const int64_t *r = t_->data;
        if (rs_rng_unpack(&p->rng, r) != 0) return -1;
        p->global_step = r[6];
        p->update = r[7];
        p->pol->steps = p->global_step;
    }
    if (rs_st_expect(st, "window.counters", RS_DT_I64, 1, &three, &t_)) return -1;
    {
        const int64_t *r = t_->data;
        if (rs_trainer_window_counters(&p->win, r[0], r[1])) return -1;
        v->episodes = r[2];
    }
    int64_t so[2] = {N, p->O};
    if (rs_st_expect(st, "trainer.next_obs", RS_DT_F32, 2, so, &t_)) return -1;
    memcpy(p->next_obs, t_->data, t_->nbytes);
    if (p->anchor) {
        int64_t a = p->A;
        if (rs_ckpt_get_mlp(st, "anchor", p->anchor) ||
            rs_st_expect(st, "anchor.log_std", RS_DT_F32, 1, &a, &t_))
            return -1;
        memcpy(p->anchor_log_std, t_->data, t_->nbytes);
    }
    if (p->mpi && rs_mpi_rank() > 0) {
        /* the file holds rank 0's envs; the others restart theirs on fresh
         * streams (a data-parallel resume is not bit-exact) */
        rs_vecenv_reseed(v, (uint64_t)p->cfg.seed + (uint64_t)p->update,
                         (uint64_t)rs_mpi_rank() * (uint64_t)N);
        observe(p, v->obs, p->next_obs, N, 0);
        memset(p->rscale->ret, 0, sizeof(double) * (size_t)N);
    }
    /* nothing is recomputed: mj_step derives everything from qpos, qvel, act
     * and the warm start, the next action reads the saved observation, and
     * the robots' pre-step quantities were restored above */
    return 0;
}

int rs_ppo_load_train(rs_ppo *p, const char *path) { return rs_trainer_load(&rs_ppo_ops, p, path); }

/* ---- the trainer interface (rs_trainer.h) ---- */

static void ppo_default(void *c) { rs_ppo_config_default(c); }
static int ppo_set(void *c, const char *k, const char *v) { return rs_ppo_config_set(c, k, v); }
static int ppo_from_json(void *c, const void *o, const char *where) {
    return rs_ppo_config_from_json(c, o, where);
}
static char *ppo_to_json(const void *c) { return rs_ppo_config_to_json(c); }
static int ppo_check(const void *c) { return rs_ppo_config_check(c); }
static int ppo_env_defaults(void *c, const char **source) {
    int rc = rs_ppo_config_env_defaults(c);
    *source = rc == 1 ? rs_ppo_env_hparams_source(((const rs_ppo_config *)c)->env) : NULL;
    return rc;
}

static int ppo_finetune_defaults(void *c, const char **source) {
    int rc = rs_ppo_config_finetune_defaults(c);
    *source = rc == 1 ? rs_ppo_finetune_source() : NULL;
    return rc;
}

static rs_trainer_run_info ppo_run_info(const void *cv) {
    const rs_ppo_config *c = cv;
    return (rs_trainer_run_info){c->env, c->reward, c->init, c->arch, c->threads,
                                 c->save_every, c->seed, c->eval_every, c->eval_episodes};
}

static void *ppo_create(const void *c) { return rs_ppo_new(c); }
static void ppo_destroy(void *t) { rs_ppo_free(t); }
static const void *ppo_config(const void *t) { return &((const rs_ppo *)t)->cfg; }
static rs_policy *ppo_policy(void *t) { return rs_ppo_policy(t); }
static rs_vecenv *ppo_vecenv(void *t) { return ((rs_ppo *)t)->vec; }
static int ppo_finished(const void *t) {
    const rs_ppo *p = t;
    return p->update >= p->num_updates;
}
static long ppo_global_step(const void *t) { return rs_ppo_global_step(t); }
static double ppo_planned_steps(const void *t) {
    const rs_ppo *p = t;
    return (double)p->num_updates * p->cfg.n_envs * p->cfg.n_steps * rs_mpi_size();
}

static int ppo_iterate(void *t, rs_trainer_stats *out) {
    rs_ppo *p = t;
    if (rs_ppo_iterate(p, &p->last) != 0) return -1;
    rs_trainer_stats_fill(out, p->update, p->global_step, p->last.episodes, &p->win,
                          p->spec->n_terms);
    return 0;
}

static void ppo_log_numbers(const void *t, void *obj) {
    const rs_ppo_stats *s = &((const rs_ppo *)t)->last;
    cJSON *o = obj;
    cJSON_AddNumberToObject(o, "rollout_s", s->rollout_s);
    cJSON_AddNumberToObject(o, "update_s", s->update_s);
    if (rs_mpi_active()) {
        cJSON_AddNumberToObject(o, "ranks", rs_mpi_size());
        cJSON_AddNumberToObject(o, "comm_s", s->comm_s);
        cJSON_AddNumberToObject(o, "comm_update_s", s->comm_update_s);
    }
    cJSON_AddNumberToObject(o, "lr", s->lr);
    cJSON_AddNumberToObject(o, "pg_loss", s->pg_loss);
    cJSON_AddNumberToObject(o, "v_loss", s->v_loss);
    cJSON_AddNumberToObject(o, "entropy", s->entropy);
    cJSON_AddNumberToObject(o, "approx_kl", s->approx_kl);
    cJSON_AddNumberToObject(o, "clipfrac", s->clipfrac);
    cJSON_AddNumberToObject(o, "grad_norm", s->grad_norm);
    if (isfinite(s->explained_var)) cJSON_AddNumberToObject(o, "explained_var", s->explained_var);
    const rs_ppo_config *c = &((const rs_ppo *)t)->cfg;
    if (c->kl_init > 0) cJSON_AddNumberToObject(o, c->kl_init_means ? "kl_init_means" : "kl_init", s->kl_init);
    if (c->critic_warmup > 0 && !s->actor_moved) cJSON_AddBoolToObject(o, "critic_warmup", 1);
}

/* progress.csv: the update's own numbers, as log.jsonl names them (an
 * explained variance that is not a number is left empty, as log.jsonl
 * leaves it out) */
static void ppo_csv_row(const void *t, FILE *f) {
    const rs_ppo_stats *s = &((const rs_ppo *)t)->last;
    fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,", s->lr, s->pg_loss, s->v_loss, s->entropy,
            s->approx_kl, s->clipfrac, s->grad_norm);
    if (isfinite(s->explained_var)) fprintf(f, "%.6g", s->explained_var);
}

static void ppo_banner(const void *t, const char *dir, FILE *f) {
    const rs_ppo *p = t;
    const rs_ppo_config *c = &p->cfg;
    if (rs_mpi_active()) {
        int gmb = rs_ppo_global_minibatch(c, rs_mpi_size()), share = gmb / rs_mpi_size();
        fprintf(f,
                "rsoup train: data-parallel over %d MPI ranks: %d envs each, global batch %d, "
                "minibatch %d (%d per rank)\n",
                rs_mpi_size(), c->n_envs, c->n_envs * c->n_steps * rs_mpi_size(), gmb, share);
        if (c->minibatches == 0 && share < c->minibatch && share < 64 &&
            (c->n_envs * c->n_steps) % c->minibatch == 0)
            fprintf(f,
                    "rsoup train: note: each rank computes only %d samples per minibatch; "
                    "--minibatches %d keeps the one-process share (%d) at any rank count "
                    "(docs/mpi.md)\n",
                    share, c->n_envs * c->n_steps / c->minibatch, c->minibatch);
    }
    fprintf(f,
            "rsoup train: %s, reward %s, %ld steps (%ld updates of %d), seed %ld, "
            "obs norm %s -> %s\n",
            c->env, c->reward, c->total_steps, p->num_updates,
            c->n_envs * c->n_steps * rs_mpi_size(), c->seed,
            c->freeze_obs_norm == 1 || (c->freeze_obs_norm == -1 && c->init[0]) ? "frozen"
                                                                                : "updated",
            dir);
    if (c->init[0] && p->update == 0)
        fprintf(f,
                "rsoup train: fine-tuning from %s: critic %s, return scale %s, kl_init %g, "
                "critic_warmup %d, lr_warmup %d, lr %g%s\n",
                c->init,
                p->had_critic ? "from the init" : "fresh (the init holds no value net)",
                c->init_rscale && p->had_critic ? "from the init" : "fresh", c->kl_init,
                c->critic_warmup, c->lr_warmup, c->lr, c->anneal_lr ? " annealed" : " constant");
}

/* evaluations change nothing of the training: a resume may start, stop or
 * resize them */
static const char *const g_ppo_resume_may[] = {"total_steps", "threads",       "save_every",
                                               "eval_every",  "eval_episodes", NULL};
static const rs_trainer_switch g_ppo_switches[] = {{"freeze_obs_norm", "freeze_obs_norm", "1"},
                                                   {"update_obs_norm", "freeze_obs_norm", "0"},
                                                   {NULL, NULL, NULL}};

const rs_trainer_ops rs_ppo_ops = {
    .name = "ppo",
    .title = "PPO",
    .train_format = "rsoup-ppo-train-1",
    .iter_name = "update",
    .progress_label = "train",
    .data_parallel = 1,
    .config_size = sizeof(rs_ppo_config),
    .config_default = ppo_default,
    .config_set = ppo_set,
    .config_from_json = ppo_from_json,
    .config_to_json = ppo_to_json,
    .config_check = ppo_check,
    .config_env_defaults = ppo_env_defaults,
    .config_finetune_defaults = ppo_finetune_defaults,
    .help = rs_ppo_config_help,
    .run_info = ppo_run_info,
    .resume_may = g_ppo_resume_may,
    .resume_may_flags = "--steps, --threads, --save-every, --eval-every, --eval-episodes",
    .switches = g_ppo_switches,
    .tiny_config = "{\"env\": \"hopper\", \"n_envs\": 2, \"n_steps\": 128, \"minibatch\": 64, "
                   "\"epochs\": 2, \"total_steps\": 1024, \"seed\": 3}",
    .create = ppo_create,
    .destroy = ppo_destroy,
    .config = ppo_config,
    .policy = ppo_policy,
    .vecenv = ppo_vecenv,
    .init_state = ppo_init_state,
    .save_state = ppo_save_state,
    .load_state = ppo_load_state,
    .resume_missing = NULL,
    .iterate = ppo_iterate,
    .finished = ppo_finished,
    .global_step = ppo_global_step,
    .planned_steps = ppo_planned_steps,
    .log_numbers = ppo_log_numbers,
    .log_episodes = NULL,
    .csv_header = ",lr,pg_loss,v_loss,entropy,approx_kl,clipfrac,grad_norm,explained_var",
    .csv_row = ppo_csv_row,
    .status = NULL,
    .banner = ppo_banner,
};

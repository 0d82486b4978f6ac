/* rs_sac.c — SAC: replay buffer, squashed Gaussian actor, twin critics,
 * entropy tuning, training loop and train state. */
#include "rs_sac.h"

#include <cblas.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_ckpt.h"
#include "rs_trainer.h"

#define WINDOW 10 /* episodes in the "recent" statistics */
#define HALF_LOG_2PI 0.91893853320467274f
#define SQUASH_EPS 1e-6f /* CleanRL: log(bound (1 - y^2) + 1e-6) */
#define FORMAT_TRAIN "rsoup-sac-train-1"

/* ---- replay buffer ---- */

size_t rs_replay_bytes_per_transition(int obs_dim, int act_dim) {
    return sizeof(float) * (2 * (size_t)obs_dim + (size_t)act_dim + 1) + 1;
}

rs_replay *rs_replay_new(long capacity, int obs_dim, int act_dim) {
    if (capacity < 1 || obs_dim < 1 || act_dim < 1) {
        rs_set_error("replay: capacity %ld, obs %d, act %d", capacity, obs_dim, act_dim);
        return NULL;
    }
    rs_replay *r = rs_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->capacity = capacity;
    r->obs_dim = obs_dim;
    r->act_dim = act_dim;
    size_t n = (size_t)capacity;
    /* calloc: large blocks are mapped lazily, so memory grows with the fill */
    r->obs = calloc(n * obs_dim, sizeof(float));
    r->next_obs = calloc(n * obs_dim, sizeof(float));
    r->act = calloc(n * act_dim, sizeof(float));
    r->rew = calloc(n, sizeof(float));
    r->term = calloc(n, 1);
    if (!r->obs || !r->next_obs || !r->act || !r->rew || !r->term) {
        rs_set_error("replay: cannot allocate %ld transitions (%.1f MB)", capacity,
                     (double)n * rs_replay_bytes_per_transition(obs_dim, act_dim) / 1e6);
        rs_replay_free(r);
        return NULL;
    }
    return r;
}

void rs_replay_free(rs_replay *r) {
    if (!r) return;
    free(r->obs);
    free(r->next_obs);
    free(r->act);
    free(r->rew);
    free(r->term);
    free(r);
}

void rs_replay_add(rs_replay *r, const float *obs, const float *next_obs, const float *act,
                   float rew, int terminated) {
    size_t k = (size_t)r->pos, O = (size_t)r->obs_dim, A = (size_t)r->act_dim;
    memcpy(r->obs + k * O, obs, sizeof(float) * O);
    memcpy(r->next_obs + k * O, next_obs, sizeof(float) * O);
    memcpy(r->act + k * A, act, sizeof(float) * A);
    r->rew[k] = rew;
    r->term[k] = (unsigned char)(terminated != 0);
    r->pos = r->pos + 1 == r->capacity ? 0 : r->pos + 1;
    if (r->size < r->capacity) r->size++;
}

void rs_replay_gather(const rs_replay *r, const long *idx, int b, int e, float *obs,
                      float *next_obs, float *act, float *rew, float *term) {
    const size_t O = (size_t)r->obs_dim, A = (size_t)r->act_dim;
    for (int i = b; i < e; i++) {
        size_t k = (size_t)idx[i];
        if (obs) memcpy(obs + i * O, r->obs + k * O, sizeof(float) * O);
        if (next_obs) memcpy(next_obs + i * O, r->next_obs + k * O, sizeof(float) * O);
        if (act) memcpy(act + i * A, r->act + k * A, sizeof(float) * A);
        if (rew) rew[i] = r->rew[k];
        if (term) term[i] = r->term[k] ? 1.0f : 0.0f;
    }
}

void rs_replay_sample(const rs_replay *r, rs_rng *rng, int B, long *idx, float *obs,
                      float *next_obs, float *act, float *rew, float *term) {
    const size_t O = (size_t)r->obs_dim, A = (size_t)r->act_dim;
    long local[64];
    /* the copies draw nothing: indices first, then the rows, in chunks */
    for (int c0 = 0; c0 < B; c0 += 64) {
        int n = B - c0 < 64 ? B - c0 : 64;
        long *ix = idx ? idx + c0 : local;
        for (int i = 0; i < n; i++) ix[i] = (long)rs_rng_below(rng, (uint64_t)r->size);
        rs_replay_gather(r, ix, 0, n, obs ? obs + c0 * O : NULL, next_obs ? next_obs + c0 * O : NULL,
                         act ? act + c0 * A : NULL, rew ? rew + c0 : NULL, term ? term + c0 : NULL);
    }
}

/* ---- the squashed Gaussian and the losses' pieces ---- */

void rs_sac_squash(const float *out, const float *eps, int B, int A, float bound, float ls_min,
                   float ls_max, float *act, float *logp, float *y_out, float *std_out) {
    for (int i = 0; i < B; i++) {
        const float *mu = out + (size_t)i * 2 * A, *raw = mu + A;
        const float *e = eps + (size_t)i * A;
        float lp = 0.0f;
        for (int j = 0; j < A; j++) {
            float ls = rs_policy_sac_log_std(raw[j], ls_min, ls_max);
            float s = expf(ls);
            float y = tanhf(mu[j] + s * e[j]);
            float omy2 = 1.0f - y * y;
            lp += -0.5f * e[j] * e[j] - ls - HALF_LOG_2PI - logf(bound * omy2 + SQUASH_EPS);
            act[(size_t)i * A + j] = bound * y;
            if (y_out) y_out[(size_t)i * A + j] = y;
            if (std_out) std_out[(size_t)i * A + j] = s;
        }
        logp[i] = lp;
    }
}

void rs_sac_q_target(const float *rew, const float *term, const float *q1n, const float *q2n,
                     const float *logp_next, int B, float gamma, float alpha, float *y) {
    for (int i = 0; i < B; i++) {
        float m = q1n[i] < q2n[i] ? q1n[i] : q2n[i];
        y[i] = rew[i] + gamma * (1.0f - term[i]) * (m - alpha * logp_next[i]);
    }
}

double rs_sac_alpha_grad(float log_alpha, const float *logp, int B, float target_entropy) {
    double s = 0.0;
    for (int i = 0; i < B; i++)
        s += (double)logp[i] + target_entropy;
    return -exp((double)log_alpha) * s / B;
}

/* ---- the trainer ---- */

/* The update runs on the batch in two fixed halves of rows (h = 0, 1): each
 * half's forward and backward passes are independent until the weight
 * gradients, which are summed half 0 + half 1. Two pool threads take one half
 * each; one thread runs both in turn: the arithmetic, hence the run, is the
 * same for any thread count. */
enum { JOB_CRITIC, JOB_CRITIC_STEP, JOB_ACTOR, JOB_ACTOR_STEP, JOB_ALPHA };

struct rs_sac {
    rs_sac_config cfg;
    const rs_env_spec *spec;
    rs_pool *pool;
    rs_vecenv *vec;
    rs_policy *pol;
    rs_mlp *q[2], *qt[2];
    rs_adam *opt_pi, *opt_q[2], *opt_alpha;
    float log_alpha, alpha, target_entropy;
    rs_replay *rb;
    rs_rng rng_act; /* exploration: random actions and action noise */
    rs_rng rng_upd; /* batch indices and the updates' noise */
    int N, O, A, B, QI;
    float bound, ls_min, ls_max;
    long global_step, iter, num_iters, vsteps_per_iter, random_steps;
    long updates, actor_updates;
    double credit; /* fractional updates owed (utd * transitions) */
    int blas_threads;
    int par; /* the two halves (and the two critics' steps) run as two pool tasks */
    /* acting */
    rs_mlp_ws *ws_act;
    float *act_buf, *eps_act, *logp_act, *obs_prev;
    /* the batch and the update's buffers */
    float *b_obs, *b_next, *b_act, *b_rew, *b_term;
    float *eps, *a_next, *logp_next, *qin, *qin_next, *qin_pi;
    float *qn[2], *qv[2], *y, *dq[2], *ones;
    float *pi_act, *pi_logp, *pi_y, *pi_std, *dqa[2], *qpi[2], *dout;
    float *g_pi, *g_q[2];             /* the batch's gradients: half 0's + half 1's */
    float *g_pi1, *g_q1[2];           /* half 1's, before they are added */
    rs_mlp_ws *ws_pi[2], *ws_q[2][2]; /* [half], [half][critic] */
    long *b_idx;     /* the batch's transitions, drawn before the tasks gather them */
    double *nrm_u;   /* the drawn uniforms of job_nrm */
    rs_normals nrm;
    /* the job the two tasks run */
    int job, job_B, target_due;
    const float *job_obs, *job_eps;
    const rs_normals *job_nrm; /* non-NULL: each task first makes its rows of job_eps from it */
    rs_adam_coef job_coef;     /* JOB_ACTOR_STEP's */
    double hsum[2][3]; /* each half's sums of the job's per-row losses */
    /* this iteration's sums */
    double s_qloss, s_q1, s_q2, s_aloss, s_alpha_loss, s_ent;
    long n_q, n_a;
    rs_trainer_window win; /* recent episodes */
    double last_return;
    rs_sac_stats last; /* the last iteration's, for the trainer interface */
    void *block;       /* SAC_BUFFERS: every plain buffer above is a view into it */
};

const rs_sac_config *rs_sac_cfg(const rs_sac *p) { return &p->cfg; }
rs_policy *rs_sac_policy(rs_sac *p) { return p->pol; }
rs_vecenv *rs_sac_vecenv(rs_sac *p) { return p->vec; }
rs_replay *rs_sac_replay(rs_sac *p) { return p->rb; }
rs_mlp *rs_sac_q(rs_sac *p, int k) { return p->q[k & 1]; }
rs_mlp *rs_sac_q_targ(rs_sac *p, int k) { return p->qt[k & 1]; }
float rs_sac_log_alpha(const rs_sac *p) { return p->log_alpha; }
float rs_sac_alpha(const rs_sac *p) { return p->alpha; }
void rs_sac_set_log_alpha(rs_sac *p, float la) {
    p->log_alpha = la;
    p->alpha = expf(la);
}
long rs_sac_global_step(const rs_sac *p) { return p->global_step; }
long rs_sac_num_iters(const rs_sac *p) { return p->num_iters; }
long rs_sac_iter_index(const rs_sac *p) { return p->iter; }
long rs_sac_updates(const rs_sac *p) { return p->updates; }

void rs_sac_free(rs_sac *p) {
    if (!p) return;
    rs_vecenv_free(p->vec);
    rs_pool_free(p->pool);
    rs_policy_free(p->pol);
    for (int k = 0; k < 2; k++) {
        rs_mlp_free(p->q[k]);
        rs_mlp_free(p->qt[k]);
        rs_adam_free(p->opt_q[k]);
        for (int h = 0; h < 2; h++)
            rs_mlp_ws_free(p->ws_q[h][k]);
    }
    rs_adam_free(p->opt_pi);
    rs_adam_free(p->opt_alpha);
    rs_replay_free(p->rb);
    rs_mlp_ws_free(p->ws_act);
    for (int h = 0; h < 2; h++)
        rs_mlp_ws_free(p->ws_pi[h]);
    free(p->block);
    free(p);
}

void rs_sac_set_update_threads(rs_sac *p, int threads, int blas) {
    p->blas_threads = blas < 1 ? 1 : blas;
    p->par = threads >= 2 && p->blas_threads == 1 && rs_pool_size(p->pool) >= 2;
    openblas_set_num_threads(p->blas_threads);
}

/* every buffer of acting and of the update, in the trainer's one block: N
 * envs, a batch of B, O and A the observation and action sizes, QI = O + A
 * the critics' input, NP and NQ the actor's and a critic's parameters */
#define SAC_BUFFERS(X)                                                                             \
    X(float, act_buf, N * A)                                                                       \
    X(float, eps_act, N * A)                                                                       \
    X(float, logp_act, N)                                                                          \
    X(float, obs_prev, N * O)                                                                      \
    X(float, b_obs, B * O)                                                                         \
    X(float, b_next, B * O)                                                                        \
    X(float, b_act, B * A)                                                                         \
    X(float, b_rew, B)                                                                             \
    X(float, b_term, B)                                                                            \
    X(float, eps, B * A)                                                                           \
    X(float, a_next, B * A)                                                                        \
    X(float, logp_next, B)                                                                         \
    X(float, qin, B * QI)                                                                          \
    X(float, qin_next, B * QI)                                                                     \
    X(float, qin_pi, B * QI)                                                                       \
    X(float, y, B)                                                                                 \
    X(float, ones, B)                                                                              \
    X(float, pi_act, B * A)                                                                        \
    X(float, pi_logp, B)                                                                           \
    X(float, pi_y, B * A)                                                                          \
    X(float, pi_std, B * A)                                                                        \
    X(float, dout, B * 2 * A)                                                                      \
    X(float, g_pi, NP)                                                                             \
    X(float, g_pi1, NP)                                                                            \
    X(float, g_q[0], NQ)                                                                           \
    X(float, g_q[1], NQ)                                                                           \
    X(float, g_q1[0], NQ)                                                                          \
    X(float, g_q1[1], NQ)                                                                          \
    X(float, qn[0], B)                                                                             \
    X(float, qn[1], B)                                                                             \
    X(float, qv[0], B)                                                                             \
    X(float, qv[1], B)                                                                             \
    X(float, dq[0], B)                                                                             \
    X(float, dq[1], B)                                                                             \
    X(float, qpi[0], B)                                                                            \
    X(float, qpi[1], B)                                                                            \
    X(float, dqa[0], B * A)                                                                        \
    X(float, dqa[1], B * A)                                                                        \
    X(long, b_idx, B)                                                                              \
    X(double, nrm_u, B * A + 1)

rs_sac *rs_sac_new(const rs_sac_config *c) {
    if (rs_sac_config_check(c) != 0) return NULL;
    rs_trainer_setup ts;
    if (rs_trainer_setup_parse(&ts, c->env, c->reward, c->arch, c->activation) != 0) return NULL;
    const rs_env_spec *s = ts.spec;
    rs_sac *p = rs_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->cfg = *c;
    p->spec = s;
    rs_trainer_window_init(&p->win, WINDOW);
    p->N = c->n_envs;
    p->O = s->obs_dim;
    p->A = s->act_dim;
    p->B = c->batch_size;
    p->QI = p->O + p->A;
    p->bound = (float)s->act_bound;
    p->ls_min = (float)c->log_std_min;
    p->ls_max = (float)c->log_std_max;
    p->vsteps_per_iter = (c->log_every + p->N - 1) / p->N;
    long per_iter = p->vsteps_per_iter * p->N;
    p->num_iters = (c->total_steps + per_iter - 1) / per_iter;
    p->random_steps =
        c->random_steps >= 0 ? c->random_steps : (c->init[0] ? 0 : c->learning_starts);
    p->target_entropy = (float)(-c->target_entropy_scale * p->A);
    p->log_alpha = c->autotune ? 0.0f : logf((float)c->alpha);
    p->alpha = c->autotune ? 1.0f : (float)c->alpha;
    p->pool = rs_pool_new(c->threads);
    if (!p->pool) goto fail;
    rs_sac_set_update_threads(p, 2, c->blas_threads);
    p->vec =
        rs_vecenv_new(s, c->model[0] ? c->model : NULL, p->N, ts.w, (uint64_t)c->seed, p->pool, 0);
    if (!p->vec) goto fail;
    p->pol = rs_policy_new(RS_ALGO_SAC, p->O, p->A, p->bound, ts.hidden, ts.n_hidden, ts.act);
    if (!p->pol) goto fail;
    /* the identity normaliser: SAC learns on raw observations (CleanRL) */
    p->pol->norm->clip = 0.0f;
    /* the squash's bounds travel in the policy file: eval and view sample as trained */
    p->pol->log_std_min = p->ls_min;
    p->pol->log_std_max = p->ls_max;
    rs_trainer_label_policy(p->pol, &ts, c->reward, c->seed);
    for (int k = 0; k < 2; k++) {
        p->q[k] = rs_mlp_new(p->QI, ts.hidden, ts.n_hidden, 1, ts.act);
        if (!p->q[k]) goto fail;
    }
    rs_rng_seed(&p->rng_act, (uint64_t)c->seed, 0x5AC0);
    rs_rng_seed(&p->rng_upd, (uint64_t)c->seed, 0x5AC1);
    rs_rng init_rng;
    rs_rng_seed(&init_rng, (uint64_t)c->seed, 0x1417);
    /* CleanRL's SAC keeps torch's default nn.Linear init everywhere */
    rs_mlp_init_uniform_fanin(p->pol->pi, &init_rng);
    for (int k = 0; k < 2; k++) {
        rs_mlp_init_uniform_fanin(p->q[k], &init_rng);
        p->qt[k] = rs_mlp_clone(p->q[k]);
        if (!p->qt[k]) goto fail;
    }
    float eps = (float)c->adam_eps;
    p->opt_pi = rs_adam_new(p->pol->pi->n_params, (float)c->policy_lr, 0.9f, 0.999f, eps);
    p->opt_alpha = rs_adam_new(1, (float)c->alpha_lr, 0.9f, 0.999f, eps);
    if (!p->opt_pi || !p->opt_alpha) goto fail;
    for (int k = 0; k < 2; k++) {
        /* one Adam per critic equals CleanRL's one Adam over both: it is elementwise */
        p->opt_q[k] = rs_adam_new(p->q[k]->n_params, (float)c->q_lr, 0.9f, 0.999f, eps);
        p->ws_q[0][k] = rs_mlp_ws_new(p->q[k], p->B - p->B / 2);
        p->ws_q[1][k] = rs_mlp_ws_new(p->q[k], p->B - p->B / 2);
        if (!p->opt_q[k] || !p->ws_q[0][k] || !p->ws_q[1][k]) goto fail;
    }
    p->rb = rs_replay_new(c->buffer_size, p->O, p->A);
    if (!p->rb) goto fail;

    size_t N = (size_t)p->N, B = (size_t)p->B, O = (size_t)p->O, A = (size_t)p->A,
           QI = (size_t)p->QI;
    p->ws_act = rs_mlp_ws_new(p->pol->pi, p->N);
    p->ws_pi[0] = rs_mlp_ws_new(p->pol->pi, p->B - p->B / 2);
    p->ws_pi[1] = rs_mlp_ws_new(p->pol->pi, p->B - p->B / 2);
    if (!p->ws_act || !p->ws_pi[0] || !p->ws_pi[1]) goto fail;
    const size_t NP = p->pol->pi->n_params, NQ = p->q[0]->n_params;
    RS_BLOCK_NEW(SAC_BUFFERS, p);
    if (!p->block) goto fail;
    p->nrm.u = p->nrm_u;
    for (size_t i = 0; i < B; i++)
        p->ones[i] = 1.0f;
    return p;
fail:
    rs_sac_free(p);
    return NULL;
}

/* ---- the update, in two halves of the batch ---- */

static void join_rows(float *dst, const float *a, int na, const float *b, int nb, int B) {
    for (int i = 0; i < B; i++) {
        memcpy(dst + (size_t)i * (na + nb), a + (size_t)i * na, sizeof(float) * na);
        memcpy(dst + (size_t)i * (na + nb) + na, b + (size_t)i * nb, sizeof(float) * nb);
    }
}

static void fill_normal(rs_rng *rng, float *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        x[i] = (float)rs_rng_normal(rng);
}

/* critic half h, rows [r, r + n): the target y, both critics' values and
 * their weight gradients (into g_q for h = 0, g_q1 for h = 1). Each critic's
 * backward follows its forward at once, while its weights are in cache. */
static void critic_half(rs_sac *p, int h, int r, int n) {
    const int O = p->O, A = p->A, QI = p->QI;
    rs_mlp_ws *wp = p->ws_pi[h];
    /* the target: a' ~ pi(s') from the current actor */
    rs_mlp_forward(p->pol->pi, wp, p->b_next + (size_t)r * O, n);
    rs_sac_squash(rs_mlp_ws_out(wp), p->eps + (size_t)r * A, n, A, p->bound, p->ls_min, p->ls_max,
                  p->a_next + (size_t)r * A, p->logp_next + r, NULL, NULL);
    join_rows(p->qin_next + (size_t)r * QI, p->b_next + (size_t)r * O, O, p->a_next + (size_t)r * A,
              A, n);
    join_rows(p->qin + (size_t)r * QI, p->b_obs + (size_t)r * O, O, p->b_act + (size_t)r * A, A, n);
    /* the target nets share q's workspaces: their outputs are read first */
    for (int k = 0; k < 2; k++) {
        rs_mlp_forward(p->qt[k], p->ws_q[h][k], p->qin_next + (size_t)r * QI, n);
        memcpy(p->qn[k] + r, rs_mlp_ws_out(p->ws_q[h][k]), sizeof(float) * n);
    }
    rs_sac_q_target(p->b_rew + r, p->b_term + r, p->qn[0] + r, p->qn[1] + r, p->logp_next + r, n,
                    (float)p->cfg.gamma, p->alpha, p->y + r);
    /* L = mean (q1 - y)^2 + mean (q2 - y)^2 over the whole batch: dL/dQk = 2 (Qk - y) / B */
    const float c = 2.0f / (float)p->job_B;
    for (int k = 0; k < 2; k++) {
        rs_mlp_ws *ws = p->ws_q[h][k];
        const float *x = p->qin + (size_t)r * QI;
        rs_mlp_forward(p->q[k], ws, x, n);
        memcpy(p->qv[k] + r, rs_mlp_ws_out(ws), sizeof(float) * n);
        for (int i = r; i < r + n; i++) p->dq[k][i] = c * (p->qv[k][i] - p->y[i]);
        float *g = h ? p->g_q1[k] : p->g_q[k];
        memset(g, 0, sizeof(float) * p->q[k]->n_params);
        rs_mlp_backward(p->q[k], ws, x, p->dq[k] + r, n, g, NULL);
    }
    double l = 0, m1 = 0, m2 = 0;
    for (int i = r; i < r + n; i++) {
        float d0 = p->qv[0][i] - p->y[i], d1 = p->qv[1][i] - p->y[i];
        l += (double)d0 * d0 + (double)d1 * d1;
        m1 += p->qv[0][i];
        m2 += p->qv[1][i];
    }
    p->hsum[h][0] = l;
    p->hsum[h][1] = m1;
    p->hsum[h][2] = m2;
}

/* actor half h, rows [r, r + n) of job_obs / job_eps: the actor loss and its
 * weight gradient (into g_pi for h = 0, g_pi1 for h = 1) */
static void actor_half(rs_sac *p, int h, int r, int n) {
    const int O = p->O, A = p->A, QI = p->QI;
    const float bound = p->bound, alpha = p->alpha;
    const float half = 0.5f * (p->ls_max - p->ls_min), invB = 1.0f / (float)p->job_B;
    rs_mlp *pi = p->pol->pi;
    rs_mlp_ws *wp = p->ws_pi[h];
    const float *obs = p->job_obs + (size_t)r * O, *eps = p->job_eps + (size_t)r * A;
    rs_mlp_forward(pi, wp, obs, n);
    const float *out = rs_mlp_ws_out(wp);
    float *act = p->pi_act + (size_t)r * A, *logp = p->pi_logp + r;
    float *ys = p->pi_y + (size_t)r * A, *stds = p->pi_std + (size_t)r * A;
    rs_sac_squash(out, eps, n, A, bound, p->ls_min, p->ls_max, act, logp, ys, stds);
    join_rows(p->qin_pi + (size_t)r * QI, obs, O, act, A, n);
    for (int k = 0; k < 2; k++) {
        rs_mlp_ws *ws = p->ws_q[h][k];
        rs_mlp_forward(p->q[k], ws, p->qin_pi + (size_t)r * QI, n);
        memcpy(p->qpi[k] + r, rs_mlp_ws_out(ws), sizeof(float) * n);
        /* dQk/da for every row: dL/dQk = 1, action columns O..O+A */
        rs_mlp_backward_input(p->q[k], ws, p->ones, n, O, A, p->dqa[k] + (size_t)r * A);
    }
    double loss = 0.0, slp = 0.0;
    for (int i = 0; i < n; i++) {
        float q0 = p->qpi[0][r + i], q1 = p->qpi[1][r + i];
        loss += (double)alpha * logp[i] - (q0 < q1 ? q0 : q1);
        slp += logp[i];
        /* d min(q0, q1): all to the smaller one, half each on a tie (torch) */
        float w0 = q0 < q1 ? 1.0f : (q0 > q1 ? 0.0f : 0.5f), w1 = 1.0f - w0;
        const float *d0 = p->dqa[0] + (size_t)(r + i) * A, *d1 = p->dqa[1] + (size_t)(r + i) * A;
        const float *raw = out + (size_t)i * 2 * A + A;
        float *dmu = p->dout + (size_t)(r + i) * 2 * A, *draw = dmu + A;
        for (int j = 0; j < A; j++) {
            size_t k = (size_t)i * A + j;
            float y = ys[k], s = stds[k], e = eps[k];
            float omy2 = 1.0f - y * y;
            float qa = w0 * d0[j] + w1 * d1[j];
            /* x = mu + s e; dlogp/dx = 2 b y (1-y^2) / (b (1-y^2) + 1e-6) from the
             * squash term; the Gaussian term's total derivative is 0 in mu and
             * -1 in log_std (reparameterised); da/dx = b (1 - y^2) */
            float g = 2.0f * bound * y * omy2 / (bound * omy2 + SQUASH_EPS);
            float hx = alpha * g - qa * bound * omy2; /* B * dL/dx */
            float t = tanhf(raw[j]);
            dmu[j] = hx * invB;
            draw[j] = (-alpha + hx * s * e) * invB * half * (1.0f - t * t);
        }
    }
    float *g = h ? p->g_pi1 : p->g_pi;
    memset(g, 0, sizeof(float) * pi->n_params);
    rs_mlp_backward(pi, wp, obs, p->dout + (size_t)r * 2 * A, n, g, NULL);
    p->hsum[h][0] = loss;
    p->hsum[h][1] = slp;
}

/* alpha half h: log pi of a fresh sample on rows [r, r + n) of job_obs */
static void alpha_half(rs_sac *p, int h, int r, int n) {
    rs_mlp_ws *wp = p->ws_pi[h];
    rs_mlp_forward(p->pol->pi, wp, p->job_obs + (size_t)r * p->O, n);
    rs_sac_squash(rs_mlp_ws_out(wp), p->job_eps + (size_t)r * p->A, n, p->A, p->bound, p->ls_min,
                  p->ls_max, p->pi_act + (size_t)r * p->A, p->pi_logp + r, NULL, NULL);
}

static void add_into(float *dst, const float *src, size_t n) {
    for (size_t i = 0; i < n; i++)
        dst[i] += src[i];
}

/* rows [r, r + n) of job_eps, when the job's normals were drawn for the tasks to make */
static void make_rows(rs_sac *p, int r, int n) {
    if (p->job_nrm)
        rs_rng_normals_make(p->job_nrm, (float *)p->job_eps, (size_t)r * p->A,
                            (size_t)(r + n) * p->A);
}

/* parameters per chunk of a critic's step: Adam's and Polyak's five arrays
 * stay within the L2 cache */
#define STEP_CHUNK 4096

/* task t of a job: half t of the batch, or (JOB_CRITIC_STEP) critic t, or
 * (JOB_ACTOR_STEP) half t of the actor's parameters */
static void update_task(void *arg, int b, int e, int worker) {
    rs_sac *p = arg;
    (void)worker;
    for (int t = b; t < e; t++) {
        int r = t ? p->job_B / 2 : 0, n = t ? p->job_B - p->job_B / 2 : p->job_B / 2;
        switch (p->job) {
        case JOB_CRITIC:
            if (n > 0) {
                rs_replay_gather(p->rb, p->b_idx, r, r + n, p->b_obs, p->b_next, p->b_act,
                                 p->b_rew, p->b_term);
                make_rows(p, r, n);
                critic_half(p, t, r, n);
            } else { /* a batch of 1: half 0 is empty */
                p->hsum[t][0] = p->hsum[t][1] = p->hsum[t][2] = 0;
                for (int k = 0; k < 2; k++)
                    memset(t ? p->g_q1[k] : p->g_q[k], 0, sizeof(float) * p->q[k]->n_params);
            }
            break;
        case JOB_CRITIC_STEP: {
            /* critic t: Adam on the two halves' sum and, right away, Polyak
             * (the actor steps in between read only q), a chunk at a time
             * so that Polyak finds the parameters still in cache */
            rs_mlp *q = p->q[t];
            rs_adam_coef c = rs_adam_tick(p->opt_q[t]);
            for (size_t lo = 0; lo < q->n_params; lo += STEP_CHUNK) {
                size_t hi = lo + STEP_CHUNK;
                rs_adam_apply(p->opt_q[t], c, q->params, p->g_q[t], p->g_q1[t], lo, hi);
                if (p->target_due) rs_mlp_polyak_range(p->qt[t], q, (float)p->cfg.tau, lo, hi);
            }
            break;
        }
        case JOB_ACTOR_STEP: {
            /* Adam on the actor's parameters, half of them per task */
            size_t np = p->pol->pi->n_params, mid = np / 2;
            rs_adam_apply(p->opt_pi, p->job_coef, p->pol->pi->params, p->g_pi, p->g_pi1,
                          t ? mid : 0, t ? np : mid);
            break;
        }
        case JOB_ACTOR:
            if (n > 0) {
                make_rows(p, r, n);
                actor_half(p, t, r, n);
            } else {
                memset(t ? p->g_pi1 : p->g_pi, 0, sizeof(float) * p->pol->pi->n_params);
                p->hsum[t][0] = p->hsum[t][1] = 0;
            }
            break;
        case JOB_ALPHA:
            if (n > 0) {
                make_rows(p, r, n);
                alpha_half(p, t, r, n);
            }
            break;
        }
    }
}

static void run_job(rs_sac *p, int job, int B) {
    p->job = job;
    p->job_B = B;
    if (p->par)
        rs_pool_run(p->pool, 2, update_task, p);
    else
        update_task(p, 0, 2, 0);
}

/* the actor's loss and the halves' gradients (g_pi, g_pi1), eps made from
 * nrm when it is given */
static double actor_loss(rs_sac *p, const float *obs, const float *eps, const rs_normals *nrm,
                         int B, double *mean_logp) {
    p->job_obs = obs;
    p->job_eps = eps;
    p->job_nrm = nrm;
    run_job(p, JOB_ACTOR, B);
    p->job_nrm = NULL;
    if (mean_logp) *mean_logp = (p->hsum[0][1] + p->hsum[1][1]) / B;
    return (p->hsum[0][0] + p->hsum[1][0]) / B;
}

double rs_sac_actor_loss_grad(rs_sac *p, const float *obs, const float *eps, int B, float *grad,
                              double *mean_logp) {
    double loss = actor_loss(p, obs, eps, NULL, B, mean_logp);
    size_t np = p->pol->pi->n_params;
    add_into(p->g_pi, p->g_pi1, np);
    if (grad != p->g_pi) memcpy(grad, p->g_pi, sizeof(float) * np);
    return loss;
}

static int actor_step(rs_sac *p) {
    const int B = p->B, A = p->A;
    double mean_logp;
    rs_rng_normals_draw(&p->rng_upd, &p->nrm, (size_t)B * A);
    double loss = actor_loss(p, p->b_obs, p->eps, &p->nrm, B, &mean_logp);
    if (!isfinite(loss)) {
        rs_set_error("non-finite actor loss at update %ld (%g)", p->updates, loss);
        return -1;
    }
    p->job_coef = rs_adam_tick(p->opt_pi);
    run_job(p, JOB_ACTOR_STEP, B);
    p->actor_updates++;
    p->s_aloss += loss;
    p->s_ent -= mean_logp;
    p->n_a++;
    if (p->cfg.autotune) {
        /* a fresh sample from the updated actor, as CleanRL does */
        rs_rng_normals_draw(&p->rng_upd, &p->nrm, (size_t)B * A);
        p->job_obs = p->b_obs;
        p->job_eps = p->eps;
        p->job_nrm = &p->nrm;
        run_job(p, JOB_ALPHA, B);
        p->job_nrm = NULL;
        double s = 0;
        for (int i = 0; i < B; i++)
            s += (double)p->pi_logp[i] + p->target_entropy;
        p->s_alpha_loss += -p->alpha * s / B;
        float g = (float)rs_sac_alpha_grad(p->log_alpha, p->pi_logp, B, p->target_entropy);
        rs_adam_step(p->opt_alpha, &p->log_alpha, &g);
        p->alpha = expf(p->log_alpha);
    }
    return 0;
}

/* one critic update and, when due, the delayed actor and alpha steps */
static int update_once(rs_sac *p) {
    const int B = p->B, A = p->A;
    /* what the halves need from rng_upd, drawn in its order (indices, then
     * normals); the tasks gather their rows and make their normals */
    rs_replay_sample(p->rb, &p->rng_upd, B, p->b_idx, NULL, NULL, NULL, NULL, NULL);
    rs_rng_normals_draw(&p->rng_upd, &p->nrm, (size_t)B * A);
    p->job_eps = p->eps;
    p->job_nrm = &p->nrm;
    run_job(p, JOB_CRITIC, B);
    p->job_nrm = NULL;
    double l = (p->hsum[0][0] + p->hsum[1][0]) / B;
    double m1 = p->hsum[0][1] + p->hsum[1][1], m2 = p->hsum[0][2] + p->hsum[1][2];
    if (!isfinite(l)) {
        rs_set_error("non-finite critic loss at update %ld (%g); training stopped and saved "
                     "nothing of it (an earlier checkpoint, if any, is as it was); a lower "
                     "q_lr may help",
                     p->updates + 1, l);
        return -1;
    }
    p->updates++;
    p->target_due = p->updates % p->cfg.target_frequency == 0;
    run_job(p, JOB_CRITIC_STEP, B);
    p->s_qloss += l;
    p->s_q1 += m1 / B;
    p->s_q2 += m2 / B;
    p->n_q++;
    /* TD3-style delay, as CleanRL: every policy_frequency-th update, that many actor steps */
    if (p->updates % p->cfg.policy_frequency == 0)
        for (int r = 0; r < p->cfg.policy_frequency; r++)
            if (actor_step(p) != 0) return -1;
    return 0;
}

int rs_sac_update_n(rs_sac *p, int n) {
    if (p->rb->size < 1) {
        rs_set_error("SAC update with an empty replay buffer");
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (update_once(p) != 0) return -1;
    return 0;
}

/* ---- acting ---- */

static void record_episode(rs_sac *p, int i) {
    const rs_vecenv *v = p->vec;
    rs_trainer_window_push(&p->win, v, i);
    p->last_return = v->done_return[i];
}

static int vector_step(rs_sac *p, rs_sac_stats *st) {
    const int N = p->N, O = p->O, A = p->A;
    rs_vecenv *v = p->vec;
    double t0 = rs_now();
    if (p->global_step < p->random_steps) {
        for (int k = 0; k < N * A; k++)
            p->act_buf[k] = (float)rs_rng_uniform_range(&p->rng_act, -p->bound, p->bound);
    } else {
        /* the normaliser is the identity: the actor reads raw observations */
        rs_mlp_forward(p->pol->pi, p->ws_act, v->obs, N);
        fill_normal(&p->rng_act, p->eps_act, (size_t)N * A);
        rs_sac_squash(rs_mlp_ws_out(p->ws_act), p->eps_act, N, A, p->bound, p->ls_min, p->ls_max,
                      p->act_buf, p->logp_act, NULL, NULL);
    }
    memcpy(p->obs_prev, v->obs, sizeof(float) * (size_t)N * O);
    double t1 = rs_now();
    st->act_s += t1 - t0;
    int bad = rs_vecenv_step(v, p->act_buf);
    st->env_s += rs_now() - t1;
    if (bad) {
        rs_set_error("policy produced a non-finite action at step %ld (diverged training?): %s",
                     p->global_step, rs_last_error());
        return -1;
    }
    long before = p->global_step;
    for (int i = 0; i < N; i++) {
        int done = v->terminated[i] | v->truncated[i];
        /* the true last observation; only `terminated` stops the bootstrap */
        const float *next = (done ? v->final_obs : v->obs) + (size_t)i * O;
        rs_replay_add(p->rb, p->obs_prev + (size_t)i * O, next, p->act_buf + (size_t)i * A,
                      v->rewards[i], v->terminated[i]);
        if (done) {
            record_episode(p, i);
            st->episodes++;
        }
    }
    p->global_step += N;
    /* CleanRL updates from loop index learning_starts + 1 on */
    if (before > p->cfg.learning_starts) {
        double t2 = rs_now();
        p->credit += p->cfg.utd * N;
        while (p->credit >= 1.0) {
            if (update_once(p) != 0) return -1;
            p->credit -= 1.0;
        }
        st->update_s += rs_now() - t2;
    }
    return 0;
}

static int all_finite(const float *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

int rs_sac_iterate(rs_sac *p, rs_sac_stats *st) {
    memset(st, 0, sizeof *st);
    p->s_qloss = p->s_q1 = p->s_q2 = p->s_aloss = p->s_alpha_loss = p->s_ent = 0;
    p->n_q = p->n_a = 0;
    double t0 = rs_now();
    long left = (p->cfg.total_steps - p->global_step + p->N - 1) / p->N;
    long n = left < p->vsteps_per_iter ? left : p->vsteps_per_iter;
    for (long s = 0; s < n; s++)
        if (vector_step(p, st) != 0) return -1;
    if (!all_finite(p->pol->pi->params, p->pol->pi->n_params)) {
        rs_set_error("actor weights became non-finite by step %ld", p->global_step);
        return -1;
    }
    p->iter++;
    p->pol->steps = p->global_step;
    st->iter = p->iter;
    st->num_iters = p->num_iters;
    st->global_step = p->global_step;
    st->updates = p->updates;
    st->actor_updates = p->actor_updates;
    st->iter_updates = (int)p->n_q;
    st->q_loss = p->n_q ? p->s_qloss / p->n_q : NAN;
    st->q1 = p->n_q ? p->s_q1 / p->n_q : NAN;
    st->q2 = p->n_q ? p->s_q2 / p->n_q : NAN;
    st->actor_loss = p->n_a ? p->s_aloss / p->n_a : NAN;
    st->entropy = p->n_a ? p->s_ent / p->n_a : NAN;
    st->alpha_loss = p->n_a && p->cfg.autotune ? p->s_alpha_loss / p->n_a : NAN;
    st->alpha = p->alpha;
    st->iter_s = rs_now() - t0;
    st->window = p->win.n;
    st->last_return = p->last_return;
    rs_trainer_window_mean(&p->win, p->spec->n_terms, &st->ep_return, &st->ep_length, st->ep_terms);
    return 0;
}

/* ---- FLOPs of one update (sgemm only, 2 M N K each) ---- */

static double fwd_flops(const rs_mlp *m, int B) {
    double f = 0;
    for (int l = 0; l < m->n_layers; l++)
        f += 2.0 * B * m->sizes[l] * m->sizes[l + 1];
    return f;
}
/* dL/dinput of every layer but the first (what backward computes on the way) */
static double dx_hidden_flops(const rs_mlp *m, int B) {
    double f = 0;
    for (int l = 1; l < m->n_layers; l++)
        f += 2.0 * B * m->sizes[l] * m->sizes[l + 1];
    return f;
}

double rs_sac_update_flops(const rs_sac *p, double *critic, double *actor) {
    const int B = p->B;
    const rs_mlp *pi = p->pol->pi, *q = p->q[0];
    /* critic: pi(s'), 2 x [Q'(s',a'), Q(s,a), dW of Q, dx of Q's upper layers] */
    double c =
        fwd_flops(pi, B) + 2 * (2 * fwd_flops(q, B) + fwd_flops(q, B) + dx_hidden_flops(q, B));
    /* actor step: pi(s), 2 x [Q(s,a~), dQ/da: upper layers + action columns of
     * layer 0], pi backward (dW + dx of upper layers), and pi(s) again for alpha */
    double a1 = fwd_flops(pi, B) +
                2 * (fwd_flops(q, B) + dx_hidden_flops(q, B) + 2.0 * B * q->sizes[1] * p->A) +
                fwd_flops(pi, B) + dx_hidden_flops(pi, B) +
                (p->cfg.autotune ? fwd_flops(pi, B) : 0);
    /* policy_frequency actor steps every policy_frequency updates: one per update */
    if (critic) *critic = c;
    if (actor) *actor = a1;
    return c + a1;
}

/* ---- checkpoints ---- */

extern const rs_trainer_ops rs_sac_ops;

/* SAC's part of train.safetensors (the envelope, rs_trainer_save, adds the
 * policy and the metadata) */
static int sac_save_state(const void *t, rs_st *st) {
    const rs_sac *p = t;
    int rc = 0;
    const char *names[2] = {"q1", "q2"}, *tnames[2] = {"q1_target", "q2_target"},
               *onames[2] = {"opt.q1", "opt.q2"};
    for (int k = 0; k < 2 && !rc; k++) {
        rc |= rs_ckpt_add_mlp(st, names[k], p->q[k]);
        rc |= rs_ckpt_add_mlp(st, tnames[k], p->qt[k]);
        rc |= rs_ckpt_add_adam(st, onames[k], p->opt_q[k]);
    }
    if (!rc) {
        rc |= rs_ckpt_add_adam(st, "opt.pi", p->opt_pi);
        rc |= rs_ckpt_add_adam(st, "opt.alpha", p->opt_alpha);
        int64_t one = 1, two = 2, n8 = 8;
        rc |= rs_st_add_f32(st, "sac.log_alpha", 1, &one, &p->log_alpha);
        double dd[2] = {p->credit, p->last_return};
        rc |= rs_st_add_f64(st, "sac.credit_last_return", 1, &two, dd);
        int64_t cnt[8] = {p->global_step, p->iter,    p->updates, p->actor_updates,
                          p->rb->size,    p->rb->pos, p->win.n,   p->win.pos};
        rc |= rs_st_add(st, "sac.counters", RS_DT_I64, 1, &n8, cnt);
        int64_t rng[12], rsh[2] = {2, 6};
        rs_rng_pack(&p->rng_act, rng);
        rs_rng_pack(&p->rng_upd, rng + 6);
        rc |= rs_st_add(st, "sac.rng", RS_DT_I64, 2, rsh, rng);
        rc |= rs_trainer_window_save(st, &p->win);
        rc |= rs_ckpt_add_vecenv(st, p->vec);
    }
    if (!rc && p->cfg.save_replay) {
        const rs_replay *r = p->rb;
        int64_t so[2] = {r->size, r->obs_dim}, sa[2] = {r->size, r->act_dim}, s1 = r->size;
        rc |= rs_st_add_f32(st, "replay.obs", 2, so, r->obs);
        rc |= rs_st_add_f32(st, "replay.next_obs", 2, so, r->next_obs);
        rc |= rs_st_add_f32(st, "replay.act", 2, sa, r->act);
        rc |= rs_st_add_f32(st, "replay.rew", 1, &s1, r->rew);
        rc |= rs_st_add(st, "replay.term", RS_DT_U8, 1, &s1, r->term);
    }
    if (!rc) rc = rs_st_set_meta(st, "replay", p->cfg.save_replay ? "saved" : "none");
    return rc ? -1 : 0;
}

int rs_sac_save_train(const rs_sac *p, const char *path) {
    return rs_trainer_save(&rs_sac_ops, p, path);
}

/* --init: besides the actor (copied by rs_trainer_init), the critics, their
 * targets (the critics themselves when the init has none) and log_alpha,
 * when the init is a training checkpoint */
static int sac_init_state(void *t, const rs_st *st, const rs_policy *q) {
    rs_sac *p = t;
    (void)q;
    if (!rs_st_get(st, "q1.0.weight")) return 0;
    const char *names[2] = {"q1", "q2"}, *tnames[2] = {"q1_target", "q2_target"};
    for (int k = 0; k < 2; k++) {
        if (rs_ckpt_get_mlp(st, names[k], p->q[k]) != 0) return -1;
        if (rs_st_get(st, "q1_target.0.weight")) {
            if (rs_ckpt_get_mlp(st, tnames[k], p->qt[k]) != 0) return -1;
        } else {
            rs_mlp_copy(p->qt[k], p->q[k]);
        }
    }
    const rs_tensor *lt = rs_st_get(st, "sac.log_alpha");
    if (lt && p->cfg.autotune && lt->dtype == RS_DT_F32 && lt->nbytes == sizeof(float)) {
        float la;
        memcpy(&la, lt->data, sizeof la);
        rs_sac_set_log_alpha(p, la);
    }
    return 0;
}

int rs_sac_load_init(rs_sac *p, const char *path) { return rs_trainer_init(&rs_sac_ops, p, path); }

/* everything but the policy, which rs_trainer_load has copied */
static int sac_load_state(void *tv, const rs_st *st) {
    rs_sac *p = tv;
    const rs_tensor *t;
    const char *rp = rs_st_meta(st, "replay");
    if (!rp || strcmp(rp, "saved")) {
        rs_set_error("it was saved without its replay buffer (save_replay off), so the run "
                     "cannot continue exactly; start a new run from its actor and critics with "
                     "--init instead, and pass --save-replay to runs you want to resume");
        return -1;
    }
    const char *names[2] = {"q1", "q2"}, *tnames[2] = {"q1_target", "q2_target"},
               *onames[2] = {"opt.q1", "opt.q2"};
    for (int k = 0; k < 2; k++)
        if (rs_ckpt_get_mlp(st, names[k], p->q[k]) || rs_ckpt_get_mlp(st, tnames[k], p->qt[k]) ||
            rs_ckpt_get_adam(st, onames[k], p->opt_q[k]))
            return -1;
    if (rs_ckpt_get_adam(st, "opt.pi", p->opt_pi) ||
        rs_ckpt_get_adam(st, "opt.alpha", p->opt_alpha))
        return -1;
    int64_t one = 1, two = 2, n8 = 8, rsh[2] = {2, 6};
    if (rs_st_expect(st, "sac.log_alpha", RS_DT_F32, 1, &one, &t)) return -1;
    memcpy(&p->log_alpha, t->data, sizeof(float));
    p->alpha = p->cfg.autotune ? expf(p->log_alpha) : (float)p->cfg.alpha;
    if (rs_st_expect(st, "sac.credit_last_return", RS_DT_F64, 1, &two, &t)) return -1;
    p->credit = ((const double *)t->data)[0];
    p->last_return = ((const double *)t->data)[1];
    if (rs_st_expect(st, "sac.counters", RS_DT_I64, 1, &n8, &t)) return -1;
    const int64_t *cnt = t->data;
    if (cnt[4] < 0 || cnt[4] > p->rb->capacity || cnt[5] < 0 || cnt[5] >= p->rb->capacity ||
        cnt[6] < 0 || cnt[6] > WINDOW || cnt[7] < 0 || cnt[7] >= WINDOW) {
        rs_set_error("sac.counters out of range (replay size %lld, capacity %ld)",
                     (long long)cnt[4], p->rb->capacity);
        return -1;
    }
    p->global_step = cnt[0];
    p->iter = cnt[1];
    p->updates = cnt[2];
    p->actor_updates = cnt[3];
    long size = (long)cnt[4];
    p->rb->pos = (long)cnt[5];
    p->win.n = (int)cnt[6];
    p->win.pos = (int)cnt[7];
    p->pol->steps = p->global_step;
    if (rs_st_expect(st, "sac.rng", RS_DT_I64, 2, rsh, &t)) return -1;
    if (rs_rng_unpack(&p->rng_act, t->data) != 0 ||
        rs_rng_unpack(&p->rng_upd, (const int64_t *)t->data + 6) != 0)
        return -1;
    if (rs_trainer_window_load(st, &p->win)) return -1;
    if (rs_ckpt_get_vecenv(st, p->vec) != 0) return -1;
    rs_replay *r = p->rb;
    int64_t so[2] = {size, r->obs_dim}, sa[2] = {size, r->act_dim}, s1 = size;
    if (rs_st_expect(st, "replay.obs", RS_DT_F32, 2, so, &t)) return -1;
    memcpy(r->obs, t->data, t->nbytes);
    if (rs_st_expect(st, "replay.next_obs", RS_DT_F32, 2, so, &t)) return -1;
    memcpy(r->next_obs, t->data, t->nbytes);
    if (rs_st_expect(st, "replay.act", RS_DT_F32, 2, sa, &t)) return -1;
    memcpy(r->act, t->data, t->nbytes);
    if (rs_st_expect(st, "replay.rew", RS_DT_F32, 1, &s1, &t)) return -1;
    memcpy(r->rew, t->data, t->nbytes);
    if (rs_st_expect(st, "replay.term", RS_DT_U8, 1, &s1, &t)) return -1;
    memcpy(r->term, t->data, t->nbytes);
    r->size = size;
    return 0;
}

int rs_sac_load_train(rs_sac *p, const char *path) { return rs_trainer_load(&rs_sac_ops, p, path); }

/* ---- the trainer interface (rs_trainer.h) ---- */

static void sac_default(void *c) { rs_sac_config_default(c); }
static int sac_set(void *c, const char *k, const char *v) { return rs_sac_config_set(c, k, v); }
static int sac_from_json(void *c, const void *o, const char *where) {
    return rs_sac_config_from_json(c, o, where);
}
static char *sac_to_json(const void *c) { return rs_sac_config_to_json(c); }
static int sac_check(const void *c) { return rs_sac_config_check(c); }

static void sac_help(FILE *f) {
    fprintf(f,
            "\nSAC (--algo sac; CleanRL's sac_continuous_action): one iteration is log_every env\n"
            "steps and one line of log.jsonl / progress.csv; --save-every counts iterations;\n"
            "--max-iters K stops (and saves) after K iterations. policy.safetensors is the actor\n"
            "(what soups mix, identity observation normaliser); train.safetensors adds critics,\n"
            "targets, optimisers, log_alpha, RNG and env states, and the replay buffer only\n"
            "with --save-replay. --resume needs that buffer and refuses a run saved without it\n"
            "(the run could not continue exactly): continue such a run in a new one with\n"
            "--init DIR, which loads actor, critics, targets and log_alpha (and skips the\n"
            "random warm-up unless --random-steps says otherwise).\n"
            "\nSAC replay buffer: 4*(2*obs + act + 1) + 1 bytes per transition x buffer_size\n"
            "(pages are touched as it fills; --save-replay writes the filled part, and saving\n"
            "or resuming briefly needs about twice that):\n");
    rs_sac_config d;
    rs_sac_config_default(&d);
    for (int i = 0; i < rs_env_count(); i++) {
        const rs_env_spec *s = rs_env_spec_at(i);
        size_t b = rs_replay_bytes_per_transition(s->obs_dim, s->act_dim);
        double tot = (double)b * d.buffer_size;
        fprintf(f, "  %-12s %5zu B/transition  %8.1f MB at %.0e%s\n", s->name, b, tot / 1e6,
                (double)d.buffer_size, strcmp(s->name, d.env) ? "" : "  (default env)");
    }
    fprintf(f, "\nSAC hyperparameters (key, meaning, default; CleanRL defaults):\n");
    rs_sac_config_help(f);
}

static rs_trainer_run_info sac_run_info(const void *cv) {
    const rs_sac_config *c = cv;
    return (rs_trainer_run_info){c->env, c->reward, c->init, c->arch, c->threads,
                                 c->save_every, c->seed, c->eval_every, c->eval_episodes};
}

static const char *sac_resume_missing(const void *cv, const char **hint) {
    const rs_sac_config *c = cv;
    *hint = "pass --save-replay to runs you want to resume";
    return c->save_replay ? NULL : "its replay buffer";
}

static void *sac_create(const void *c) { return rs_sac_new(c); }
static void sac_destroy(void *t) { rs_sac_free(t); }
static const void *sac_config(const void *t) { return &((const rs_sac *)t)->cfg; }
static rs_policy *sac_policy(void *t) { return rs_sac_policy(t); }
static rs_vecenv *sac_vecenv(void *t) { return ((rs_sac *)t)->vec; }
static int sac_finished(const void *t) {
    const rs_sac *p = t;
    return p->iter >= p->num_iters;
}
static long sac_global_step(const void *t) { return rs_sac_global_step(t); }
static double sac_planned_steps(const void *t) {
    return (double)((const rs_sac *)t)->cfg.total_steps;
}

static int sac_iterate(void *t, rs_trainer_stats *out) {
    rs_sac *p = t;
    if (rs_sac_iterate(p, &p->last) != 0) return -1;
    rs_trainer_stats_fill(out, p->iter, p->global_step, p->last.episodes, &p->win,
                          p->spec->n_terms);
    return 0;
}

/* critic updates per second of update time in the last iteration */
static double updates_per_s(const rs_sac_stats *s) {
    return s->iter_updates && s->update_s > 0 ? s->iter_updates / s->update_s : 0;
}

static void sac_log_numbers(const void *t, void *obj) {
    const rs_sac_stats *s = &((const rs_sac *)t)->last;
    cJSON *o = obj;
    cJSON_AddNumberToObject(o, "updates", (double)s->updates);
    cJSON_AddNumberToObject(o, "iter_s", s->iter_s);
    cJSON_AddNumberToObject(o, "update_s", s->update_s);
    cJSON_AddNumberToObject(o, "env_s", s->env_s);
    cJSON_AddNumberToObject(o, "act_s", s->act_s);
    if (s->iter_updates && s->update_s > 0)
        cJSON_AddNumberToObject(o, "updates_per_s", s->iter_updates / s->update_s);
    if (isfinite(s->q_loss)) {
        cJSON_AddNumberToObject(o, "q_loss", s->q_loss);
        cJSON_AddNumberToObject(o, "q1", s->q1);
        cJSON_AddNumberToObject(o, "q2", s->q2);
    }
    if (isfinite(s->actor_loss)) {
        cJSON_AddNumberToObject(o, "actor_loss", s->actor_loss);
        cJSON_AddNumberToObject(o, "entropy", s->entropy);
    }
    if (isfinite(s->alpha_loss)) cJSON_AddNumberToObject(o, "alpha_loss", s->alpha_loss);
    cJSON_AddNumberToObject(o, "alpha", s->alpha);
}

static void sac_log_episodes(const void *t, void *obj) {
    cJSON_AddNumberToObject(obj, "last_return", ((const rs_sac *)t)->last.last_return);
}

static void sac_csv_row(const void *t, FILE *f) {
    const rs_sac_stats *s = &((const rs_sac *)t)->last;
    fprintf(f, ",%.6g,%.6g,%.1f", s->alpha, isfinite(s->q_loss) ? s->q_loss : 0.0,
            updates_per_s(s));
}

static int sac_status(const void *t, char *buf, size_t cap) {
    const rs_sac_stats *s = &((const rs_sac *)t)->last;
    return snprintf(buf, cap, " alpha %.3g upd/s %.0f", s->alpha, updates_per_s(s));
}

static void sac_banner(const void *t, const char *dir, FILE *f) {
    const rs_sac *p = t;
    const rs_sac_config *c = &p->cfg;
    const rs_replay *rb = p->rb;
    size_t b = rs_replay_bytes_per_transition(rb->obs_dim, rb->act_dim);
    fprintf(f,
            "rsoup train: sac on %s, reward %s, %ld steps, seed %ld, batch %d, utd %g, replay "
            "%ld x %zu B = %.0f MB%s -> %s\n",
            c->env, c->reward, c->total_steps, c->seed, c->batch_size, c->utd, rb->capacity, b,
            (double)rb->capacity * b / 1e6, c->save_replay ? " (saved with checkpoints)" : "", dir);
}

static const char *const g_sac_resume_may[] = {"total_steps", "threads",     "blas_threads",
                                               "save_every",  "save_replay", "eval_every",
                                               "eval_episodes", NULL};
static const rs_trainer_switch g_sac_switches[] = {{"save_replay", "save_replay", "1"},
                                                   {NULL, NULL, NULL}};

const rs_trainer_ops rs_sac_ops = {
    .name = "sac",
    .title = "SAC",
    .train_format = FORMAT_TRAIN,
    .iter_name = "iter",
    .progress_label = "sac",
    .data_parallel = 0,
    .config_size = sizeof(rs_sac_config),
    .config_default = sac_default,
    .config_set = sac_set,
    .config_from_json = sac_from_json,
    .config_to_json = sac_to_json,
    .config_check = sac_check,
    .config_env_defaults = NULL,
    .config_finetune_defaults = NULL,
    .help = sac_help,
    .run_info = sac_run_info,
    .resume_may = g_sac_resume_may,
    .resume_may_flags = "--steps, --threads, --blas-threads, --save-every, --save-replay, "
                        "--eval-every, --eval-episodes",
    .switches = g_sac_switches,
    .tiny_config = "{\"algo\": \"sac\", \"env\": \"hopper\", \"arch\": \"32,32\", "
                   "\"batch_size\": 32, \"buffer_size\": 400, \"learning_starts\": 150, "
                   "\"log_every\": 100, \"total_steps\": 600, \"seed\": 7, \"save_replay\": true}",
    .create = sac_create,
    .destroy = sac_destroy,
    .config = sac_config,
    .policy = sac_policy,
    .vecenv = sac_vecenv,
    .init_state = sac_init_state,
    .save_state = sac_save_state,
    .load_state = sac_load_state,
    .resume_missing = sac_resume_missing,
    .iterate = sac_iterate,
    .finished = sac_finished,
    .global_step = sac_global_step,
    .planned_steps = sac_planned_steps,
    .log_numbers = sac_log_numbers,
    .log_episodes = sac_log_episodes,
    .csv_header = ",alpha,q_loss,updates_per_s",
    .csv_row = sac_csv_row,
    .status = sac_status,
    .banner = sac_banner,
};

/* rs_policy.h — the unit a soup interpolates: observation normaliser, actor
 * MLP and (PPO) a state-independent log-std, plus what it was trained for.
 *
 * PPO: u ~ N(mu(x), exp(log_std)^2); its action head (rs_action_head) makes
 * the env's action of u: clip(u) to +-act_bound (today's default), or
 * act_bound * tanh(u) (the squashed head, as Brax's PPO); the deterministic
 * action takes u = mu(x).
 * SAC: the actor outputs [mu, raw] (2*act_dim), log_std = min + (max - min)/2
 * (tanh(raw) + 1) (squashed into [min, max] as CleanRL; the file records
 * both bounds, -5 and 2 by default), action = bound * tanh(mu + std*eps),
 * deterministic action = bound * tanh(mu). Its normaliser is the identity
 * (no clipping: clip 0). rs_policy_head is the one place that turns outputs
 * into actions.
 *
 * Checkpoint (policy.safetensors): F64 obs_norm.{mean,var,count} first (8-byte
 * aligned), then F32 pi.<l>.weight [out, in], pi.<l>.bias [out], and for PPO
 * pi.log_std [act_dim]; metadata: format, env, algo, arch, activation, obs_dim,
 * act_dim, act_bound, obs_clip, (SAC) log_std_min, log_std_max, (PPO, written
 * only when not clip) action_head, reward, reward_weights (JSON), steps,
 * seed, init, rsoup_version. */
#ifndef RS_POLICY_H
#define RS_POLICY_H

#include <math.h>

#include "rs_env.h"
#include "rs_mlp.h"
#include "rs_normalizer.h"
#include "rs_safetensors.h"

#define RS_POLICY_FORMAT "rsoup-policy-1"
/* a training checkpoint: the policy's tensors plus everything else needed to
 * resume. Every trainer writes it; every policy loader (rs_policy_from_st,
 * rs_policy_st_load, the soup mixer) refuses it with one message, so an
 * optimiser or env state is never mixed or evaluated as an expert. Only a
 * trainer reads it back (rs_policy_from_train_st). */
#define RS_TRAIN_FORMAT "rsoup-train-1"
/* SAC's log-std bounds (CleanRL's): the default, and what a policy file
 * without log_std_min / log_std_max metadata was trained with */
#define RS_SAC_LOG_STD_MIN (-5.0f)
#define RS_SAC_LOG_STD_MAX 2.0f

typedef enum { RS_ALGO_PPO = 0, RS_ALGO_SAC = 1 } rs_algo;

/* PPO's action head: how a Gaussian sample u (or the mean) becomes the env's
 * action. CLIP: clip(u) to +-act_bound; TANH: act_bound * tanh(u). SAC always
 * squashes with tanh and has no choice (its policy says CLIP, unused). */
typedef enum { RS_HEAD_CLIP = 0, RS_HEAD_TANH = 1 } rs_action_head;

typedef struct rs_policy {
    rs_algo algo;
    int obs_dim, act_dim;
    float act_bound;
    rs_normalizer *norm;
    rs_mlp *pi;      /* out: act_dim (PPO) or 2*act_dim (SAC) */
    float *log_std;  /* PPO: act_dim; NULL for SAC */
    float log_std_min, log_std_max; /* SAC: the squash's bounds (-5, 2 unless set) */
    rs_action_head head;            /* PPO: clip (the default) or tanh */
    /* provenance, kept in the checkpoint metadata */
    char env[32];
    char reward[512];     /* the reward spec text it was trained on */
    double reward_w[RS_MAX_TERMS];
    long steps;
    uint64_t seed;
    char init[256];       /* "<path>@<hash>" of the shared init, or "" */
} rs_policy;

rs_policy *rs_policy_new(rs_algo algo, int obs_dim, int act_dim, float act_bound,
                         const int *hidden, int n_hidden, rs_activation act);
void rs_policy_free(rs_policy *p);
rs_policy *rs_policy_clone(const rs_policy *p);
const char *rs_algo_name(rs_algo a);
const char *rs_action_head_name(rs_action_head h);
/* "clip" or "tanh" to *out; else -1 and an error naming the value */
int rs_action_head_parse(const char *name, rs_action_head *out);
/* The head a policy file (or training checkpoint) records: its metadata
 * action_head, absent meaning clip (every file written before the key).
 * An unknown name is -1 with the one message every reader gives (all of
 * them reach it through rs_policy_check_format or rs_policy_from_train_st),
 * naming `what`. */
int rs_policy_st_head(const rs_st *st, const char *what, rs_action_head *out);

/* 1 when st is a training checkpoint: format rsoup-train-1, or a
 * format_train or train_config key (SAC checkpoints written before SAC set
 * the format) */
int rs_st_is_train(const rs_st *st);
/* 0 when st has the policy format; else -1 and the error every policy
 * loader gives, naming `what` (a path, or "expert <i>" for the mixer) */
int rs_policy_check_format(const rs_st *st, const char *what);
/* The one rule for naming a run: a directory stands for its
 * policy.safetensors, or (train_first, what --init reads) for its
 * train.safetensors when it has one, else its policy.safetensors; any other
 * path is the file itself. Returns path, or buf[cap] holding the file. */
const char *rs_run_file(const char *path, int train_first, char *buf, size_t cap);
/* rs_st_load, then rs_policy_check_format: a policy file as tensors (soups) */
rs_st *rs_policy_st_load(const char *path);

/* parameters <-> safetensors (prefix "pi." for the actor) */
int rs_policy_to_st(const rs_policy *p, rs_st *st);
/* a policy file's policy; a training checkpoint is refused */
rs_policy *rs_policy_from_st(const rs_st *st, const char *what);
/* the policy inside a policy file or a training checkpoint: for trainers
 * (resume, --init), never for what evaluates or mixes experts */
rs_policy *rs_policy_from_train_st(const rs_st *st, const char *what);
int rs_policy_save(const rs_policy *p, const char *path);
rs_policy *rs_policy_load(const char *path);
/* the env spec the policy was trained on (errors if unknown or sizes differ) */
const rs_env_spec *rs_policy_env(const rs_policy *p);

/* arch text "64,64" <-> sizes */
int rs_arch_parse(const char *text, int *hidden, int *n_hidden);
void rs_arch_format(const int *hidden, int n_hidden, char *buf, int size);

/* SAC's log-std from the head's raw output: lo + (hi - lo)/2 (tanh(raw) + 1),
 * the squash into [lo, hi] that training and acting share */
static inline float rs_policy_sac_log_std(float raw, float lo, float hi) {
    return lo + 0.5f * (hi - lo) * (tanhf(raw) + 1.0f);
}

/* PPO's map from a Gaussian sample u to the env's action (the rollout's and
 * rs_policy_head's, so that training and acting agree to the bit) */
static inline float rs_policy_squash(rs_action_head h, float u, float bound) {
    if (h == RS_HEAD_TANH) return bound * tanhf(u);
    return u < -bound ? -bound : (u > bound ? bound : u);
}

/* The action head: one row of actor outputs `out` (act_dim for PPO, [mu, raw]
 * for SAC) to the action the env receives, within +-act_bound, into
 * act[act_dim]. noise NULL: the deterministic action (PPO clip(mu) or
 * bound*tanh(mu) by p->head, SAC bound*tanh(mu)); else sampled with one
 * normal draw from noise per action, in order (PPO u = mu + exp(log_std) eps
 * through the head, SAC bound*tanh(mu + std eps) with the recorded log-std
 * bounds). */
void rs_policy_head(const rs_policy *p, const float *out, rs_rng *noise, float *act);

/* deterministic actions for B raw observations: a small helper for eval and
 * act. ws must have max_batch >= B; norm_buf holds B*obs_dim floats. */
void rs_policy_act_det(const rs_policy *p, rs_mlp_ws *ws, const float *obs, int B, float *norm_buf,
                       float *actions);

#endif

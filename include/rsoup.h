/* rsoup.h — librsoup's public C API: the one header a program (or a
 * binding: python/rsoup uses it through ctypes) needs.
 *
 * What it offers: rsoup's MuJoCo envs, batched and stepped on threads into
 * buffers the CALLER owns; rewards as rsoup reads them (a preset, a term
 * list, a mix of presets: what `rsoup envs` lists), one reward or several
 * objectives at once; policy files: load, act (deterministic), mix N of them
 * with λ and save the soup.
 *
 * Rules (the same for every function):
 *  - a function that can fail returns int (0 ok, -1 error) or NULL; the
 *    reason is rsoup_last_error() (thread-local, valid until the next call
 *    on that thread). Nothing here prints, exits or aborts on bad input.
 *  - rsoup_x_new / rsoup_x_load return an owned object, rsoup_x_free
 *    releases it (NULL-safe). An object is used by one thread at a time
 *    (a vector env runs its own worker threads inside rsoup_vec_step).
 *  - buffers passed in are borrowed; a buffer bound with rsoup_vec_bind
 *    must stay valid until it is rebound or the env is freed.
 *
 * Stability: RSOUP_API_VERSION counts incompatible changes of this header;
 * additions keep it. rsoup_api_version() is the version the library was
 * built with: a binding compares it with the one it was written for. */
#ifndef RSOUP_H
#define RSOUP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define RSOUP_EXPORT __attribute__((visibility("default")))
#else
#define RSOUP_EXPORT
#endif

#define RSOUP_API_VERSION 1

RSOUP_EXPORT int rsoup_api_version(void);
RSOUP_EXPORT const char *rsoup_version(void); /* rsoup's version, e.g. "0.1.0" */
RSOUP_EXPORT const char *rsoup_last_error(void);

/* ---- the envs: names, sizes, terms, presets ----
 * Index functions return NULL past the end. rsoup_env_info fills what is
 * not NULL: observation and action sizes, the number of reward terms, the
 * action bound (actions live in [-act_bound, act_bound]) and the time limit
 * (an episode is truncated, not terminated, after max_steps steps). */
RSOUP_EXPORT int rsoup_env_count(void);
RSOUP_EXPORT const char *rsoup_env_name(int i);
RSOUP_EXPORT int rsoup_env_info(const char *env, int *obs_dim, int *act_dim, int *n_terms,
                                double *act_bound, int *max_steps);
RSOUP_EXPORT const char *rsoup_env_term(const char *env, int k);
RSOUP_EXPORT const char *rsoup_env_preset(const char *env, int k); /* "default" first */
/* a reward spec's weight vector over the env's terms, into weights[n_terms]
 * (the grammar of `rsoup train --reward`) */
RSOUP_EXPORT int rsoup_reward_weights(const char *env, const char *reward, double *weights);

/* ---- vector envs ----
 * num_envs copies of one env, sharing one model; env i draws its reset
 * noise from stream i of the seed, so a trajectory depends on (seed, i)
 * only, never on the thread count, and equals the one the rsoup binary's
 * own vector env (rs_vecenv) makes with that seed.
 *
 * Rewards: n_obj >= 1 reward specs; the reward buffer is [num_envs, n_obj]
 * float32, reward[i, j] = Σ_k w_jk terms[i, k] (computed in double). With
 * n_obj = 1 it is simply [num_envs].
 *
 * Autoreset, as Gymnasium 1.x's default (AutoresetMode.NEXT_STEP): the step
 * that ends an episode (terminated or truncated) returns that episode's last
 * observation, reward and flags; on the NEXT step that env ignores its
 * action, resets, and returns the new episode's first observation, reward 0
 * and both flags 0 (its terms are 0 too). rsoup_vec_resetting tells which
 * envs that next step will reset. */
typedef struct rsoup_vec rsoup_vec;

/* threads <= 0: one per online core (at most num_envs are used) */
RSOUP_EXPORT rsoup_vec *rsoup_vec_new(const char *env, int num_envs, const char *const *rewards,
                                      int n_obj, uint64_t seed, int threads);
RSOUP_EXPORT void rsoup_vec_free(rsoup_vec *v);
RSOUP_EXPORT int rsoup_vec_num_envs(const rsoup_vec *v);
RSOUP_EXPORT int rsoup_vec_n_obj(const rsoup_vec *v);
/* the env's name; its sizes come from rsoup_env_info */
RSOUP_EXPORT const char *rsoup_vec_env(const rsoup_vec *v);

/* The caller's output buffers, written by every reset and step (C order):
 *   obs         float   [num_envs, obs_dim]      required
 *   reward      float   [num_envs, n_obj]        required
 *   terminated  uint8   [num_envs]               required
 *   truncated   uint8   [num_envs]               required
 *   terms       double  [num_envs, n_terms]      optional (NULL: not written)
 * Nothing is copied out: the envs write straight into them. */
RSOUP_EXPORT int rsoup_vec_bind(rsoup_vec *v, float *obs, float *reward, uint8_t *terminated,
                                uint8_t *truncated, double *terms);
/* the streams of a new seed for every env (env i: stream i), effective from
 * the next rsoup_vec_reset */
RSOUP_EXPORT int rsoup_vec_seed(rsoup_vec *v, uint64_t seed);
/* reset every env: obs filled, rewards, flags (and terms) 0 */
RSOUP_EXPORT int rsoup_vec_reset(rsoup_vec *v);
/* one step of every env with actions[num_envs, act_dim] (float32; MuJoCo
 * clamps them to the actuators' range). A non-finite action is refused
 * (-1) before any env moves. */
RSOUP_EXPORT int rsoup_vec_step(rsoup_vec *v, const float *actions);
/* 1 where the next rsoup_vec_step resets env i instead of stepping it */
RSOUP_EXPORT int rsoup_vec_resetting(const rsoup_vec *v, int i);
/* the steps taken in env i's current episode (0 right after its reset) */
RSOUP_EXPORT int rsoup_vec_episode_step(const rsoup_vec *v, int i);

/* ---- policies ----
 * A policy file (rsoup train's policy.safetensors, a soup, one written by
 * python/rsoup's save_policy) or a run folder (its policy.safetensors).
 * Training checkpoints are refused. */
typedef struct rsoup_policy rsoup_policy;

RSOUP_EXPORT rsoup_policy *rsoup_policy_load(const char *path);
/* A policy from tensors in memory, read as a file with these tensors and
 * metadata would be: n tensors named names[i], dtype "F32", "F64", "I32",
 * "I64" or "U8", ndims[i] dimensions taken in order from shapes (all
 * tensors' shapes concatenated), little-endian data[i]; n_meta string pairs. */
RSOUP_EXPORT rsoup_policy *rsoup_policy_from_tensors(int n, const char *const *names,
                                                     const char *const *dtypes, const int *ndims,
                                                     const int64_t *shapes, const void *const *data,
                                                     int n_meta, const char *const *keys,
                                                     const char *const *values);
RSOUP_EXPORT void rsoup_policy_free(rsoup_policy *p);
/* sizes; out_dim is the actor's output width (PPO act_dim, SAC 2 act_dim) */
RSOUP_EXPORT int rsoup_policy_dims(const rsoup_policy *p, int *obs_dim, int *act_dim, int *out_dim);
RSOUP_EXPORT const char *rsoup_policy_env(const rsoup_policy *p); /* "" when not recorded */
/* deterministic actions of `batch` raw observations obs[batch, obs_dim] into
 * actions[batch, act_dim]: exactly what `rsoup act` and `rsoup eval` compute */
RSOUP_EXPORT int rsoup_policy_act(rsoup_policy *p, const float *obs, int batch, float *actions);
/* the actor's raw outputs (normaliser included) into out[batch, out_dim]:
 * PPO mu, SAC [mu, raw log-std] */
RSOUP_EXPORT int rsoup_policy_forward(rsoup_policy *p, const float *obs, int batch, float *out);

/* θ(λ) = Σ λ_i θ_i of n policy files (or run folders) written to out, as
 * `rsoup soup` writes it (same tensors, same metadata: lambda, parents, ...).
 * λ must lie on the simplex. *norm_mixed (if not NULL) is 1 when the
 * experts' normaliser statistics differed and were mixed too. */
RSOUP_EXPORT int rsoup_soup_save(const char *const *paths, int n, const double *lambda,
                                 const char *out, int *norm_mixed);

#ifdef __cplusplus
}
#endif

#endif

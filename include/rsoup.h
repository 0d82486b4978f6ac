/* rsoup.h — librsoup's public C API: the one header a program (or a
 * binding: python/rsoup uses it through ctypes) needs.
 *
 * What it offers: rsoup's MuJoCo envs, batched and stepped on threads into
 * buffers the CALLER owns; rewards as rsoup reads them (a preset, a term
 * list, a mix of presets: what `rsoup envs` lists), one reward or several
 * objectives at once; policy files: load, act (deterministic), mix N of them
 * with λ and save the soup; and rsoup's files themselves: safetensors read
 * and written, front CSVs read, the generator's streams.
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

/* ---- files: safetensors, fronts, the generator (API v1 additions) ----
 * rsoup's own readers and writers, so that a binding reads and writes every
 * file as the rsoup program does, refusing what it refuses with its
 * messages (python/rsoup has no parser of its own). */

/* A safetensors file in memory: tensors and string metadata, each in file
 * (or insertion) order. rsoup_tensors_load checks what rsoup's reader checks:
 * a regular file, a header length that fits the file, UTF-8 JSON, dtypes
 * F32 F64 I32 I64 U8, at most RSOUP_MAX_DIMS dims, offsets that match the
 * shapes and tile the data buffer exactly, no duplicate names. */
typedef struct rsoup_tensors rsoup_tensors;
#define RSOUP_MAX_DIMS 4

RSOUP_EXPORT rsoup_tensors *rsoup_tensors_load(const char *path);
RSOUP_EXPORT rsoup_tensors *rsoup_tensors_new(void); /* empty, to add to and save */
RSOUP_EXPORT void rsoup_tensors_free(rsoup_tensors *t);
RSOUP_EXPORT int rsoup_tensors_count(const rsoup_tensors *t);
/* tensor i: what is not NULL is filled: its name, dtype ("F32", ...),
 * ndim and shape[RSOUP_MAX_DIMS] (the first ndim used), its data (owned by
 * t, host byte order, C order, valid until t is freed; writable) and size in
 * bytes. -1 past the end. */
RSOUP_EXPORT int rsoup_tensors_at(rsoup_tensors *t, int i, const char **name, const char **dtype,
                                  int *ndim, int64_t *shape, void **data, size_t *nbytes);
/* a copy of data (host byte order, C order) as tensor `name`; refused: an
 * empty, repeated or reserved ("__metadata__") name, an unknown dtype, more
 * than RSOUP_MAX_DIMS dims, a negative dim */
RSOUP_EXPORT int rsoup_tensors_add(rsoup_tensors *t, const char *name, const char *dtype, int ndim,
                                   const int64_t *shape, const void *data);
RSOUP_EXPORT int rsoup_tensors_meta_count(const rsoup_tensors *t);
/* metadata pair i into *key, *value (borrowed from t); -1 past the end */
RSOUP_EXPORT int rsoup_tensors_meta_at(const rsoup_tensors *t, int i, const char **key,
                                       const char **value);
/* set key (replacing its value, keeping its place) */
RSOUP_EXPORT int rsoup_tensors_set_meta(rsoup_tensors *t, const char *key, const char *value);
/* write as rsoup writes every file: compact header, `__metadata__` first,
 * padded to 8 bytes, to path.tmp.PID, fsynced and renamed over path; path
 * must be a new name or a regular file (never a link, a folder, a FIFO or a
 * device). On failure nothing is left behind and a file at path is as it
 * was. */
RSOUP_EXPORT int rsoup_tensors_save(const rsoup_tensors *t, const char *path);

/* A front CSV (`rsoup front`'s, or a plain CSV of objectives) as `rsoup
 * pareto` reads it: the loader's refusals and messages, a partial last row
 * dropped. Row arrays are row-major and owned by f: lambda [rows, n_experts],
 * obj and std [rows, n_obj], term and termstd [rows, n_terms], length
 * [rows] (double), episodes [rows] (int); NULL when empty. A plain CSV has
 * n_experts = n_terms = 0, kind "point", NaN std and length. */
typedef struct rsoup_front rsoup_front;

RSOUP_EXPORT rsoup_front *rsoup_front_load(const char *path);
RSOUP_EXPORT void rsoup_front_free(rsoup_front *f);
/* sizes; *plain 1 for a plain CSV, *truncated 1 when a partial last row
 * was dropped */
RSOUP_EXPORT int rsoup_front_info(const rsoup_front *f, int *rows, int *n_experts, int *n_obj,
                                  int *n_terms, int *plain, int *truncated);
/* the header's column names in file order (a plain CSV without a header:
 * f1, f2, ...); NULL past the end */
RSOUP_EXPORT const char *rsoup_front_column(const rsoup_front *f, int j);
RSOUP_EXPORT const char *rsoup_front_obj_name(const rsoup_front *f, int k);
/* objective k's reward spec: a named front's "# reward NAME: SPEC" line,
 * else (columns named by their specs) the name with ';' read as ','; and 1
 * when the file names the reward (has that line), else 0. NULL / 0 past
 * the end */
RSOUP_EXPORT const char *rsoup_front_obj_spec(const rsoup_front *f, int k);
RSOUP_EXPORT int rsoup_front_obj_named(const rsoup_front *f, int k);
RSOUP_EXPORT const char *rsoup_front_term_name(const rsoup_front *f, int k);
/* the "# key: value" lines above the header, in file order */
RSOUP_EXPORT int rsoup_front_meta_count(const rsoup_front *f);
RSOUP_EXPORT int rsoup_front_meta_at(const rsoup_front *f, int i, const char **key,
                                     const char **value);
RSOUP_EXPORT const char *rsoup_front_kind(const rsoup_front *f, int row); /* "soup", ... */
RSOUP_EXPORT const char *rsoup_front_label(const rsoup_front *f, int row);
/* one of "lambda", "obj", "std", "term", "termstd", "length"; NULL (error
 * set) for another name */
RSOUP_EXPORT const double *rsoup_front_values(const rsoup_front *f, const char *what);
RSOUP_EXPORT const int *rsoup_front_episodes(const rsoup_front *f);

/* A number in a text file, read as rsoup's CSV readers read one: the whole
 * of s is what strtod reads in the C locale (decimal, hex, inf, nan; no
 * surrounding space). 0, or -1 (nothing stored) */
RSOUP_EXPORT int rsoup_parse_number(const char *s, double *out);

/* rsoup's generator (docs/formats.md): stream `stream` of seed `seed`, the
 * draws the rsoup program makes from it, bit for bit. `rsoup eval
 * --stochastic --seed S` draws episode i's action noise from stream i + 2^40
 * of S. */
typedef struct rsoup_rng rsoup_rng;

RSOUP_EXPORT rsoup_rng *rsoup_rng_new(uint64_t seed, uint64_t stream);
RSOUP_EXPORT void rsoup_rng_free(rsoup_rng *r);
RSOUP_EXPORT uint64_t rsoup_rng_u64(rsoup_rng *r);
RSOUP_EXPORT double rsoup_rng_uniform(rsoup_rng *r); /* [0, 1), 53 bits */
/* n standard normals into out[n] (Box-Muller: pairs, the second kept for
 * the next draw), as n calls of the C generator's normal */
RSOUP_EXPORT int rsoup_rng_normals(rsoup_rng *r, double *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif

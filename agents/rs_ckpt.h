/* rs_ckpt.h — pieces of TRAINING checkpoints that every trainer needs: nets,
 * Adam states, RNG states and the full simulation state of a vecenv, each as
 * named tensors of an rs_st. A trainer saves these plus its own counters and
 * resumes bit-exactly: nothing is recomputed on load.
 *
 * Tensor names (prefix chosen by the caller where there is one):
 *   <prefix>.<l>.weight [out, in], <prefix>.<l>.bias [out]      (F32)
 *   <prefix>.m, <prefix>.v [n] (F32), <prefix>.t [1] (I64)       (Adam)
 *   env.qpos, env.qvel, env.qacc_warmstart, env.act [N, n*] (F64),
 *   env.scalars [N, 8] (F64: time, init_z, ep_return, energy_acc, before[4]),
 *   env.ep_terms [N, n_terms] (F64), env.rng_t_len [N, 8] (I64: rng, t, ep_len),
 *   env.obs [N, obs_dim] (F32), env.episodes [1] (I64)
 * The env.* names are those of the PPO trainer's checkpoints. */
#ifndef RS_CKPT_H
#define RS_CKPT_H

#include "rs_mlp.h"
#include "rs_safetensors.h"
#include "rs_vecenv.h"

int rs_ckpt_add_mlp(rs_st *st, const char *prefix, const rs_mlp *m);
/* copy into m; -1 + error naming the tensor when absent or shaped differently */
int rs_ckpt_get_mlp(const rs_st *st, const char *prefix, rs_mlp *m);
int rs_ckpt_add_adam(rs_st *st, const char *prefix, const rs_adam *a);
int rs_ckpt_get_adam(const rs_st *st, const char *prefix, rs_adam *a);

/* an RNG state as 6 int64: s[0..3], has_spare, the spare's bits */
void rs_ckpt_rng_pack(const rs_rng *r, int64_t *o);
/* -1 (error set) on a state no generator can be in (all zero, ...) */
int rs_ckpt_rng_unpack(rs_rng *r, const int64_t *o);

/* every env's simulation state, RNG, step counter and episode accounting,
 * and the current observations */
int rs_ckpt_add_vecenv(rs_st *st, const rs_vecenv *v);
int rs_ckpt_get_vecenv(const rs_st *st, rs_vecenv *v);

#endif

/* rs_ckpt.h — pieces of TRAINING checkpoints that every trainer needs: nets,
 * Adam states and the full simulation state of a vecenv, each as named
 * tensors of an rs_st (RNG states: rs_rng_pack). A trainer saves these plus
 * its own counters and resumes bit-exactly: nothing is recomputed on load.
 *
 * Tensor names (prefix chosen by the caller where there is one):
 *   <prefix>.<l>.weight [out, in], <prefix>.<l>.bias [out]      (F32)
 *   <prefix>.m, <prefix>.v [n] (F32), <prefix>.t [1] (I64)       (Adam)
 *   env.*: the vecenv's tables, named and laid out by envs/rs_vecenv.h */
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

/* every env's simulation state, RNG, step counter and episode accounting,
 * and the current observations: the tables of rs_vecenv_save_state (envs/
 * defines their names and layout) as tensors */
int rs_ckpt_add_vecenv(rs_st *st, const rs_vecenv *v);
int rs_ckpt_get_vecenv(const rs_st *st, rs_vecenv *v);

#endif

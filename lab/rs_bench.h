/* rs_bench.h — `rsoup bench`: throughput measured against a floor timed in
 * the same run, so results are quoted as ratios. Each bench fills a result
 * of raw timings and counts; the caller makes the rates and prints. Each
 * returns 0, or -1 with the error set (a stage's failure names the stage:
 * "train: ...", "warm-up: ...", "update: ...").
 *
 * env: (1) raw mj_step replaying exactly the env's trajectory (same reset
 * states, same actions: a bit-identical simulation, minus everything the
 * env adds); (2) the env API on that trajectory, single-threaded, both in
 * thread CPU time (a shared VM's steal time is not charged to the
 * thread); (3) the batched vecenv on 1 and T threads, in wall time. Each
 * timing is the best of `repeat` runs, interleaved.
 *
 * PPO training: the trainer's vecenv alone stepping random actions, then
 * PPO training on the same envs and threads.
 *
 * SAC updates: cblas_sgemm on 256x256x256 with 1 and 2 OpenBLAS threads
 * (the peak), every distinct sgemm shape one update issues timed alone,
 * updates/s on a filled replay buffer in three modes (the batch's halves
 * serial, on two pool threads, serial with 2-thread sgemm) with the peak
 * timed again before each round, then end-to-end training steps/s and the
 * env alone. */
#ifndef RS_BENCH_H
#define RS_BENCH_H

#include "rs_ppo.h"
#include "rs_sac.h"

/* the process's peak resident memory so far, in MB */
double rs_bench_peak_rss_mb(void);

/* n experts for a bench given none (`rsoup view --bench`): PPO policies of
 * s's robot, 64x64 tanh units, orthogonally initialised (seed 7, stream i:
 * the same experts every run); expert i names s's i-th reward preset (its
 * first past the presets) as its reward. 0, or -1 (error set, out[] NULL);
 * the caller frees them. */
int rs_bench_experts(const rs_env_spec *s, int n, rs_policy **out);

/* ---- env ---- */
typedef struct rs_bench_env_result {
    double raw_s, env_s;   /* best single-thread CPU seconds: raw mj_step, the env API */
    double vec1_s, vect_s; /* best wall seconds: the vecenv on 1 and on T threads */
    long env_steps, vec_steps;
    int threads, n_envs;
} rs_bench_env_result;

/* model_path: an MJCF variant of s's robot, or NULL (the embedded model) */
int rs_bench_env(const rs_env_spec *s, const char *model_path, long steps, int threads, int n_envs,
                 int repeat, rs_bench_env_result *out);

/* ---- PPO training ---- */
typedef struct rs_bench_ppo_result {
    int threads;                       /* the vecenv pool's */
    double env_sps;                    /* the env alone, random actions */
    long steps;                        /* trained */
    double wall_s;                     /* training's wall time */
    double rollout_s, update_s, env_s; /* of it: in rollouts, updates, the env step */
    double peak_rss_mb;                /* the process's */
} rs_bench_ppo_result;

/* c: the run (its env, threads, envs, steps), trained to its total_steps */
int rs_bench_ppo(const rs_ppo_config *c, rs_bench_ppo_result *out);

/* ---- SAC updates ---- */
#define RS_BENCH_SAC_MAX_SHAPES 64
#define RS_BENCH_SAC_MODES 3

typedef struct rs_bench_gemm {
    int ta, tb, M, N, K, ldb; /* ldb 0: the natural one */
    int calls;                /* per average update */
    double s;                 /* seconds per call */
} rs_bench_gemm;

typedef struct rs_bench_sac_req {
    long updates; /* per timing */
    int repeat;   /* timings per measurement (the best is kept) */
    long fill;    /* replay buffer filled before the updates are timed */
} rs_bench_sac_req;

typedef struct rs_bench_sac_result {
    int pool_threads;
    double flops, critic_flops, actor_flops; /* per update */
    double peak1, peak2, peak;               /* sgemm 256^3 GFLOP/s: 1, 2 threads, best */
    int n_shapes;
    rs_bench_gemm shapes[RS_BENCH_SAC_MAX_SHAPES];
    double sgemm_s, counted;        /* seconds and FLOPs of one update's sgemm calls alone */
    double ups[RS_BENCH_SAC_MODES]; /* best updates/s per mode; 0: not run */
    /* each round's fraction of the peak timed just before it: median, min, max */
    double med[RS_BENCH_SAC_MODES], lo[RS_BENCH_SAC_MODES], hi[RS_BENCH_SAC_MODES];
    int best; /* the fastest mode */
    long trained;
    double train_s, env_s, update_s, act_s; /* end-to-end wall time and its parts */
    double train_sps, env_sps;              /* training steps/s (NaN if none); env alone */
    double peak_rss_mb;
} rs_bench_sac_result;

/* the modes' names, in order */
extern const char *const rs_bench_sac_modes[RS_BENCH_SAC_MODES];
/* c: the trainer's config, with learning_starts = req->fill and
 * total_steps = fill + the end-to-end steps (a buffer that holds them) */
int rs_bench_sac(const rs_sac_config *c, const rs_bench_sac_req *req, rs_bench_sac_result *out);

#endif

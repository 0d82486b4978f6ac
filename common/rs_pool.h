/* rs_pool.h — a small persistent thread pool for data-parallel loops.
 *
 * rs_pool_run(pool, n, fn, ctx) calls fn(ctx, begin, end, worker) over a
 * static split of [0, n) into one contiguous chunk per thread; the calling
 * thread takes chunk 0. Work of uneven cost (env steps whose contacts
 * differ, episodes of different lengths) is balanced by the caller instead:
 * it runs n = rs_pool_size(pool), one call per thread, and each call takes
 * items from the caller's own atomic counter until none are left (as
 * rs_vecenv_step and rs_eval_many do). Idle workers poll for the next
 * dispatch for up to 200 us (yielding the core to other work after the
 * first few; RSOUP_SPIN_US changes it) before they sleep, so that the
 * thousands of short dispatches of a rollout stay cheap. A pool of 1 thread
 * runs everything inline. */
#ifndef RS_POOL_H
#define RS_POOL_H

typedef void (*rs_pool_fn)(void *ctx, int begin, int end, int worker);

typedef struct rs_pool rs_pool;

rs_pool *rs_pool_new(int nthreads); /* nthreads <= 0: number of online cores */
void rs_pool_free(rs_pool *pool);
int rs_pool_size(const rs_pool *pool);
void rs_pool_run(rs_pool *pool, int n, rs_pool_fn fn, void *ctx);

/* number of online cores */
int rs_ncores(void);

#endif

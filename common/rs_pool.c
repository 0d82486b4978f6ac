/* rs_pool.c — persistent pthread pool with poll-then-sleep workers. */
#include "rs_pool.h"
#include "rs_common.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* An idle worker first polls for the next job for RS_SPIN_ITERS loads (about
 * 5 us), then polls with sched_yield between looks until RS_SPIN_S have
 * passed since its last job, then sleeps on the condition variable. Between
 * two dispatches the caller works alone (a policy forward in a rollout, the
 * Python binding's wrapper: 5-40 us); a worker asleep by then wakes late.
 * The yielding polls keep it awake while leaving the core to another
 * process that wants it: measured on 2 cores, PPO at 2 threads 5-6 %
 * faster, a Python vector step at 2 threads 3-7 % faster, two such
 * trainings sharing the cores 2-3 % slower (polling without yielding cut
 * them to 40 %); docs/decisions.md has the numbers. A pool with more threads than cores
 * polls only the first ~5 us. RSOUP_SPIN_US sets the window (0: sleep
 * after the first ~5 us, as before). */
#define RS_SPIN_S 200e-6
#define RS_SPIN_S_OVERSUBSCRIBED 0.0
/* loads of pure polling, a worker's before it yields and the caller's
 * (waiting for the workers) before it yields */
#define RS_SPIN_ITERS 20000

typedef struct rs_worker {
    rs_pool *pool;
    int id;
    pthread_t thread;
} rs_worker;

struct rs_pool {
    int nthreads;
    double spin_s;      /* a worker's polling window before it sleeps */
    rs_worker *workers; /* nthreads - 1 of them; the caller is worker 0 */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_uint generation; /* bumped per job */
    atomic_int remaining;   /* workers still busy with this job */
    atomic_int stop;
    /* the current job */
    rs_pool_fn fn;
    void *ctx;
    int n;
};

int rs_ncores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* the yielding polls' window: RSOUP_SPIN_US (0 to 1000000 microseconds)
 * when set, else by whether the pool fits the cores; a bad value is said
 * once on stderr and the default kept */
static double spin_window_s(int nthreads) {
    static atomic_int warned;
    const char *e = getenv("RSOUP_SPIN_US");
    if (e && *e) {
        char *end;
        long us = strtol(e, &end, 10);
        if (*end == '\0' && us >= 0 && us <= 1000000) return (double)us * 1e-6;
        if (!atomic_exchange(&warned, 1))
            fprintf(stderr,
                    "rsoup: RSOUP_SPIN_US='%.40s' ignored: want microseconds, 0 to 1000000\n", e);
    }
    return nthreads > rs_ncores() ? RS_SPIN_S_OVERSUBSCRIBED : RS_SPIN_S;
}

static void chunk(int n, int nthreads, int id, int *b, int *e) {
    int base = n / nthreads, rem = n % nthreads;
    *b = id * base + (id < rem ? id : rem);
    *e = *b + base + (id < rem ? 1 : 0);
}

static void *worker_main(void *arg) {
    rs_worker *w = arg;
    rs_pool *p = w->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned g;
        unsigned spins = 0;
        double t0 = rs_now();
        while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen &&
               !atomic_load(&p->stop)) {
            if (++spins < RS_SPIN_ITERS) continue; /* a few microseconds of pure polling */
            if (spins % 16 || rs_now() - t0 < p->spin_s) {
                sched_yield(); /* then polling that lets whoever else wants the core have it */
                continue;
            }
            pthread_mutex_lock(&p->mu);
            while (atomic_load(&p->generation) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->cv, &p->mu);
            pthread_mutex_unlock(&p->mu);
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = g;
        int b, e;
        chunk(p->n, p->nthreads, w->id, &b, &e);
        if (b < e) p->fn(p->ctx, b, e, w->id);
        atomic_fetch_sub_explicit(&p->remaining, 1, memory_order_acq_rel);
    }
}

rs_pool *rs_pool_new(int nthreads) {
    if (nthreads <= 0) nthreads = rs_ncores();
    rs_pool *p = rs_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->nthreads = nthreads;
    p->spin_s = spin_window_s(nthreads);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    atomic_init(&p->generation, 0);
    atomic_init(&p->remaining, 0);
    atomic_init(&p->stop, 0);
    if (nthreads > 1) {
        p->workers = rs_calloc((size_t)nthreads - 1, sizeof *p->workers);
        if (!p->workers) {
            free(p);
            return NULL;
        }
        for (int i = 1; i < nthreads; i++) {
            rs_worker *w = &p->workers[i - 1];
            w->pool = p;
            w->id = i;
            if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
                rs_set_error("cannot start thread %d", i);
                p->nthreads = i; /* join the ones that started */
                rs_pool_free(p);
                return NULL;
            }
        }
    }
    return p;
}

void rs_pool_free(rs_pool *p) {
    if (!p) return;
    if (p->nthreads > 1) {
        pthread_mutex_lock(&p->mu);
        atomic_store(&p->stop, 1);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        for (int i = 1; i < p->nthreads; i++)
            pthread_join(p->workers[i - 1].thread, NULL);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->workers);
    free(p);
}

int rs_pool_size(const rs_pool *p) { return p ? p->nthreads : 1; }

void rs_pool_run(rs_pool *p, int n, rs_pool_fn fn, void *ctx) {
    if (n <= 0) return;
    if (!p || p->nthreads == 1 || n == 1) {
        fn(ctx, 0, n, 0);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    atomic_store_explicit(&p->remaining, p->nthreads - 1, memory_order_release);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_acq_rel);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    int b, e;
    chunk(n, p->nthreads, 0, &b, &e);
    if (b < e) fn(ctx, b, e, 0);
    int spins = 0;
    while (atomic_load_explicit(&p->remaining, memory_order_acquire) > 0) {
        if (++spins > RS_SPIN_ITERS) sched_yield();
    }
}

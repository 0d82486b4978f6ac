/* test_pool.c — the thread pool (common/rs_pool.h): over thousands of
 * dispatches, with the caller busy between them for less than, and more
 * than, the workers' polling (so they are caught spinning and woken from
 * sleep), every index of every job is run exactly once, by a worker id in
 * range, in the static split the header promises; the same for pools larger
 * than the machine, with RSOUP_SPIN_US=0 (workers sleep after every job) and
 * with a bad RSOUP_SPIN_US (said on stderr, the pool still correct). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_pool.h"
#include "rs_test.h"

#define MAX_N 64

typedef struct {
    atomic_int hits[MAX_N];
    atomic_int bad_worker;
    atomic_int bad_split;
    int nthreads;
    int n;
} job;

static void fn(void *ctx, int b, int e, int w) {
    job *j = ctx;
    if (w < 0 || w >= j->nthreads) atomic_fetch_add(&j->bad_worker, 1);
    /* chunk w of a static split: sizes differ by at most one, larger first */
    int base = j->n / j->nthreads, rem = j->n % j->nthreads;
    int want_b = w * base + (w < rem ? w : rem);
    if (j->nthreads > 1 && j->n > 1 && (b != want_b || e - b != base + (w < rem)))
        atomic_fetch_add(&j->bad_split, 1);
    for (int i = b; i < e; i++)
        atomic_fetch_add(&j->hits[i], 1);
}

static void busy_us(long us) {
    double t0 = rs_now();
    while (rs_now() - t0 < (double)us * 1e-6) {
    }
}

/* rounds dispatches on a pool of nthreads, n cycling through 1..MAX_N,
 * the caller busy gap_us between them; returns the number of errors */
static int run_pool(int nthreads, int rounds, long gap_us) {
    rs_pool *p = rs_pool_new(nthreads);
    CHECK(p != NULL, "rs_pool_new(%d)", nthreads);
    if (!p) return 1;
    CHECK(rs_pool_size(p) == nthreads, "size %d, want %d", rs_pool_size(p), nthreads);
    int errors = 0;
    job *j = calloc(1, sizeof *j);
    for (int r = 0; r < rounds; r++) {
        memset(j, 0, sizeof *j);
        j->nthreads = nthreads;
        j->n = 1 + r % MAX_N;
        rs_pool_run(p, j->n, fn, j);
        for (int i = 0; i < MAX_N; i++)
            if (atomic_load(&j->hits[i]) != (i < j->n)) errors++;
        errors += atomic_load(&j->bad_worker) + atomic_load(&j->bad_split);
        if (gap_us) busy_us(gap_us);
    }
    free(j);
    rs_pool_free(p);
    return errors;
}

static void test_every_index_once_spinning(void) {
    for (int t = 1; t <= 4; t++) {
        int e = run_pool(t, 3000, 0);
        CHECK(e == 0, "%d threads, back to back: %d errors", t, e);
    }
}

static void test_every_index_once_with_gaps(void) {
    /* workers poll for up to 200 µs, then sleep: 20 µs gaps find them
     * polling with yields, 400 µs gaps asleep */
    for (int t = 2; t <= 3; t++) {
        int e = run_pool(t, 400, 20);
        CHECK(e == 0, "%d threads, 20 us gaps: %d errors", t, e);
        e = run_pool(t, 100, 400);
        CHECK(e == 0, "%d threads, 400 us gaps: %d errors", t, e);
    }
}

static void test_oversubscribed(void) {
    int t = 2 * rs_ncores() + 1;
    int e = run_pool(t, 300, 10);
    CHECK(e == 0, "%d threads on %d cores: %d errors", t, rs_ncores(), e);
}

static void test_spin_window_setting(void) {
    setenv("RSOUP_SPIN_US", "0", 1);
    int e = run_pool(3, 500, 20);
    CHECK(e == 0, "RSOUP_SPIN_US=0: %d errors", e);
    /* a bad value: said on stderr (captured here), the pool still works */
    char path[] = "/tmp/rs_test_pool_XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    CHECK(fd >= 0 && saved >= 0, "mkstemp/dup");
    fflush(stderr);
    dup2(fd, 2);
    setenv("RSOUP_SPIN_US", "-5", 1);
    e = run_pool(2, 300, 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char said[256] = {0};
    lseek(fd, 0, SEEK_SET);
    ssize_t got = read(fd, said, sizeof said - 1);
    close(fd);
    unlink(path);
    CHECK(got > 0 && strstr(said, "RSOUP_SPIN_US='-5' ignored"), "stderr said '%s'", said);
    CHECK(e == 0, "RSOUP_SPIN_US=-5: %d errors", e);
    setenv("RSOUP_SPIN_US", "50us", 1);
    e = run_pool(2, 300, 0);
    CHECK(e == 0, "RSOUP_SPIN_US=50us: %d errors", e);
    unsetenv("RSOUP_SPIN_US");
}

static void test_empty_and_null(void) {
    job j;
    memset(&j, 0, sizeof j);
    j.nthreads = 1;
    j.n = 5;
    rs_pool_run(NULL, 5, fn, &j); /* no pool: inline */
    for (int i = 0; i < 5; i++)
        CHECK(atomic_load(&j.hits[i]) == 1, "inline index %d", i);
    rs_pool *p = rs_pool_new(2);
    rs_pool_run(p, 0, fn, &j); /* nothing to do: fn not called */
    for (int i = 0; i < 5; i++)
        CHECK(atomic_load(&j.hits[i]) == 1, "n = 0 ran index %d", i);
    rs_pool_free(p);
    CHECK(rs_pool_size(NULL) == 1, "size of no pool");
}

RS_TEST_MAIN(T(test_every_index_once_spinning), T(test_every_index_once_with_gaps),
             T(test_oversubscribed), T(test_spin_window_setting), T(test_empty_and_null))

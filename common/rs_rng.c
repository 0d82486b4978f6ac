/* rs_rng.c — xoshiro256** (Blackman & Vigna), seeded with splitmix64.
 * Streams: the seed and the stream index are mixed so that env i of a run
 * never shares a sequence with env j or with the run of seed+1. */
#include "rs_common.h"

#include <math.h>
#include <string.h>
#include <time.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void rs_rng_seed(rs_rng *r, uint64_t seed, uint64_t stream) {
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    r->has_spare = 0;
    r->spare = 0.0;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rs_rng_u64(rs_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rs_rng_uniform(rs_rng *r) { return (double)(rs_rng_u64(r) >> 11) * 0x1.0p-53; }

double rs_rng_uniform_range(rs_rng *r, double lo, double hi) {
    return lo + (hi - lo) * rs_rng_uniform(r);
}

/* Box-Muller's two uniforms: u1 = 0 has probability 2^-53 per draw; a bound
 * keeps a damaged (all-zero) state from spinning here forever */
static void box_muller_uniforms(rs_rng *r, double *u1, double *u2) {
    double a = rs_rng_uniform(r);
    for (int tries = 0; a <= 0.0 && tries < 64; tries++) a = rs_rng_uniform(r);
    if (a <= 0.0) a = 0x1.0p-53;
    *u1 = a;
    *u2 = rs_rng_uniform(r);
}

/* the pair's two normals; rs_rng_normal and rs_rng_normals_make share it */
static inline void box_muller(double u1, double u2, double *c, double *s) {
    double rad = sqrt(-2.0 * log(u1));
    *s = rad * sin(2.0 * M_PI * u2);
    *c = rad * cos(2.0 * M_PI * u2);
}

double rs_rng_normal(rs_rng *r) {
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u1, u2, c;
    box_muller_uniforms(r, &u1, &u2);
    box_muller(u1, u2, &c, &r->spare);
    r->has_spare = 1;
    return c;
}

void rs_rng_normals_draw(rs_rng *r, rs_normals *nb, size_t n) {
    nb->n = n;
    nb->lead = 0;
    nb->lead_value = 0.0;
    if (n && r->has_spare) {
        nb->lead = 1;
        nb->lead_value = r->spare;
        r->has_spare = 0;
    }
    size_t m = n - (size_t)nb->lead, pairs = (m + 1) / 2;
    for (size_t k = 0; k < pairs; k++) box_muller_uniforms(r, nb->u + 2 * k, nb->u + 2 * k + 1);
    if (pairs) {
        /* the last pair's sine stays in r->spare, as the calls leave it (a
         * checkpoint stores the field); pending when m is odd */
        double c;
        box_muller(nb->u[2 * (pairs - 1)], nb->u[2 * (pairs - 1) + 1], &c, &r->spare);
        r->has_spare = (int)(m % 2);
    }
}

void rs_rng_normals_make(const rs_normals *nb, float *x, size_t b, size_t e) {
    if (e > nb->n) e = nb->n;
    if (b >= e) return;
    if (nb->lead && b == 0) x[b++] = (float)nb->lead_value;
    const size_t L = (size_t)nb->lead;
    for (size_t k = (b - L) / 2; L + 2 * k < e; k++) {
        double c, s;
        box_muller(nb->u[2 * k], nb->u[2 * k + 1], &c, &s);
        size_t i = L + 2 * k;
        if (i >= b) x[i] = (float)c;
        if (i + 1 >= b && i + 1 < e) x[i + 1] = (float)s;
    }
}

uint64_t rs_rng_below(rs_rng *r, uint64_t n) {
    if (n <= 1) return 0;
    /* rejection to avoid modulo bias */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = rs_rng_u64(r);
    while (x >= lim);
    return x % n;
}

double rs_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void rs_rng_pack(const rs_rng *r, int64_t *o) {
    for (int i = 0; i < 4; i++)
        o[i] = (int64_t)r->s[i];
    o[4] = r->has_spare;
    memcpy(&o[5], &r->spare, sizeof(double));
}

int rs_rng_unpack(rs_rng *r, const int64_t *o) {
    double spare;
    memcpy(&spare, &o[5], sizeof spare);
    /* xoshiro never reaches the all-zero state (it would stay there, and
     * the normal sampler would draw zeros forever): only a damaged file
     * holds it */
    if ((o[0] | o[1] | o[2] | o[3]) == 0 || (o[4] != 0 && o[4] != 1) || !isfinite(spare)) {
        rs_set_error("damaged random-number state (all zero, or a bad cached normal)");
        return -1;
    }
    for (int i = 0; i < 4; i++)
        r->s[i] = (uint64_t)o[i];
    r->has_spare = (int)o[4];
    r->spare = spare;
    return 0;
}

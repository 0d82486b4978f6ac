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

double rs_rng_normal(rs_rng *r) {
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    /* u1 = 0 has probability 2^-53 per draw; a bound keeps a damaged
     * (all-zero) state from spinning here forever */
    double u1 = rs_rng_uniform(r), u2;
    for (int tries = 0; u1 <= 0.0 && tries < 64; tries++) u1 = rs_rng_uniform(r);
    if (u1 <= 0.0) u1 = 0x1.0p-53;
    u2 = rs_rng_uniform(r);
    double rad = sqrt(-2.0 * log(u1));
    r->spare = rad * sin(2.0 * M_PI * u2);
    r->has_spare = 1;
    return rad * cos(2.0 * M_PI * u2);
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

/* test_rng.c — rsoup's RNG streams (common/rs_rng.c) against a fixed table,
 * tests/fixtures/rng_streams.txt. The same table is what python/rsoup.py's
 * Rng is checked against (tests/cli_python.py), so the two agree through it,
 * and a change to the C generator, which would change every seeded result,
 * shows here first.
 *
 * Regenerate the table (only when the stream is meant to change):
 *   build/test_rng --print > tests/fixtures/rng_streams.txt */
#include "rs_common.h"
#include "rs_test.h"

#include <inttypes.h>
#include <string.h>

#define N_DRAWS 8

/* (seed, stream) pairs: a plain one, the zero seed, a seed above 2^63, and
 * the noise stream of `rsoup eval --stochastic --seed 1000`, episode 3 */
static const uint64_t g_cases[][2] = {
    {1, 0}, {0, 0}, {9223372036854775813ull, 7}, {1000, (1ull << 40) + 3}};
#define N_CASES ((int)(sizeof g_cases / sizeof g_cases[0]))

static void print_table(FILE *f) {
    fprintf(f, "# rsoup's RNG (common/rs_rng.c) on fixed (seed, stream) pairs; written by\n"
               "# 'build/test_rng --print', checked by tests/test_rng.c and tests/cli_python.py.\n"
               "# u64: rs_rng_u64 draws (hex); uniform: rs_rng_uniform; normal: rs_rng_normal\n"
               "# (doubles in C99 %%a hex). Each line starts from a freshly seeded generator.\n");
    for (int c = 0; c < N_CASES; c++) {
        rs_rng r;
        rs_rng_seed(&r, g_cases[c][0], g_cases[c][1]);
        fprintf(f, "u64 %" PRIu64 " %" PRIu64, g_cases[c][0], g_cases[c][1]);
        for (int i = 0; i < N_DRAWS; i++) fprintf(f, " %016" PRIx64, rs_rng_u64(&r));
        fprintf(f, "\n");
        rs_rng_seed(&r, g_cases[c][0], g_cases[c][1]);
        fprintf(f, "uniform %" PRIu64 " %" PRIu64, g_cases[c][0], g_cases[c][1]);
        for (int i = 0; i < N_DRAWS; i++) fprintf(f, " %a", rs_rng_uniform(&r));
        fprintf(f, "\n");
        rs_rng_seed(&r, g_cases[c][0], g_cases[c][1]);
        fprintf(f, "normal %" PRIu64 " %" PRIu64, g_cases[c][0], g_cases[c][1]);
        for (int i = 0; i < N_DRAWS; i++) fprintf(f, " %a", rs_rng_normal(&r));
        fprintf(f, "\n");
    }
}

static void test_table_matches_fixture(void) {
    const char *path = RSOUP_SRC_DIR "/tests/fixtures/rng_streams.txt";
    size_t n = 0;
    char *want = rs_read_file(path, &n);
    CHECK(want != NULL, "cannot read %s", path);
    if (!want) return;
    char *got = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&got, &len);
    print_table(f);
    fclose(f);
    CHECK(len == n && memcmp(got, want, n) == 0,
          "the RNG streams differ from %s (regenerate it only if the change is meant)", path);
    free(got);
    free(want);
}

static void test_spare_normal(void) {
    /* Box-Muller gives two normals per pair of uniforms: the second is the
     * cached spare, and seeding clears it */
    rs_rng a, b;
    rs_rng_seed(&a, 5, 1);
    rs_rng_normal(&a);
    CHECK(a.has_spare == 1, "no spare after one normal");
    rs_rng_seed(&a, 5, 1);
    rs_rng_seed(&b, 5, 1);
    CHECK(a.has_spare == 0 && rs_rng_normal(&a) == rs_rng_normal(&b), "reseeding keeps a spare");
}

static void test_normals_in_two_steps(void) {
    /* draw + make on any split of the range equals n calls of rs_rng_normal,
     * bit for bit, and leaves the generator where the calls leave it: with
     * and without a spare pending, n even and odd, split anywhere */
    for (int start = 0; start < 2; start++)
        for (size_t n = 0; n < 12; n++)
            for (size_t cut = 0; cut <= n; cut++) {
                rs_rng a, b;
                rs_rng_seed(&a, 9, 4);
                rs_rng_seed(&b, 9, 4);
                if (start) {
                    rs_rng_normal(&a); /* leaves a spare */
                    rs_rng_normal(&b);
                }
                float want[12], got[12];
                double u[13];
                for (size_t i = 0; i < n; i++) want[i] = (float)rs_rng_normal(&a);
                rs_normals nb = {.u = u};
                rs_rng_normals_draw(&b, &nb, n);
                /* the second part first: ranges may come in any order */
                rs_rng_normals_make(&nb, got, cut, n);
                rs_rng_normals_make(&nb, got, 0, cut);
                CHECK(memcmp(want, got, sizeof(float) * n) == 0,
                      "start %d, n %zu, cut %zu: values differ", start, n, cut);
                CHECK(a.has_spare == b.has_spare && a.spare == b.spare &&
                          !memcmp(a.s, b.s, sizeof a.s) && rs_rng_normal(&a) == rs_rng_normal(&b),
                      "start %d, n %zu: the generator is left elsewhere", start, n);
            }
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--print")) {
        print_table(stdout);
        return 0;
    }
    static const rs_test_case cases[] = {T(test_table_matches_fixture), T(test_spare_normal),
                                        T(test_normals_in_two_steps)};
    return rs_test_run(__FILE__, cases, (int)(sizeof cases / sizeof cases[0]));
}

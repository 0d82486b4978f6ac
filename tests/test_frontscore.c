/* test_frontscore.c — one front's scores (lab/rs_frontscore.h) against
 * computations written here: the non-dominated rows by pairwise
 * comparison, the 2-D hypervolume by a grid over every coordinate, EUM by
 * its definition on the 2-D lattice, the default reference point by its
 * formula over both blocks; the baseline rows scored apart on the same
 * point; the errors name the file and what it lacks; which lists of
 * policies name the same experts, whether a front was made from them and
 * may stand for their soups. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rs_common.h"
#include "rs_frontscore.h"
#include "rs_test.h"
#include "rs_test_brute.h"

static const char *NAMES[2] = {"risky", "cautious"};

static void add(rs_front *f, rs_front_kind kind, const char *label, double x, double y) {
    double lam[2] = {0.5, 0.5}, obj[2] = {x, y};
    rs_front_row r = {kind, label, lam, 1, obj, NULL, NULL, NULL, NAN};
    rs_front_add(f, &r);
}

/* soups, experts and baselines from a seeded generator, with one soup
 * repeated (two rows, one point) and one dominated by construction */
static rs_front *make_front(uint64_t seed) {
    rs_front *f = rs_front_new(2, 2, NAMES, 0, NULL);
    rs_rng g;
    rs_rng_seed(&g, seed, 3);
    add(f, RS_KIND_EXPERT, "e0", 10 + rs_rng_uniform(&g), rs_rng_uniform(&g));
    add(f, RS_KIND_EXPERT, "e1", rs_rng_uniform(&g), 10 + rs_rng_uniform(&g));
    for (int i = 0; i < 9; i++) {
        double t = i / 8.0;
        add(f, RS_KIND_SOUP, "s", 10 * t + 2 * rs_rng_uniform(&g),
            10 * (1 - t) + 2 * rs_rng_uniform(&g));
    }
    add(f, RS_KIND_SOUP, "copy", f->obj[2 * 4], f->obj[2 * 4 + 1]);
    add(f, RS_KIND_SOUP, "low", -3, -4);
    add(f, RS_KIND_BASELINE, "m0", 3 + rs_rng_uniform(&g), 4 + rs_rng_uniform(&g));
    add(f, RS_KIND_BASELINE, "m1", 14, -6); /* below every soup in one objective */
    return f;
}

/* the points of the kinds in mask, and how many of them no other point
 * dominates (weakly better everywhere, strictly somewhere) */
static int points_of(const rs_front *f, unsigned mask, double *p, int *nondom) {
    int m = 0;
    for (int i = 0; i < f->n; i++)
        if (mask & RS_KIND_BIT(f->kind[i]))
            p[2 * m] = f->obj[2 * i], p[2 * m + 1] = f->obj[2 * i + 1], m++;
    *nondom = 0;
    for (int i = 0; i < m; i++) {
        int dom = 0;
        for (int j = 0; j < m && !dom; j++)
            dom = p[2 * j] >= p[2 * i] && p[2 * j + 1] >= p[2 * i + 1] &&
                  (p[2 * j] > p[2 * i] || p[2 * j + 1] > p[2 * i + 1]);
        *nondom += !dom;
    }
    return m;
}

static void test_scores_by_hand(void) {
    rs_front *f = make_front(11);
    const unsigned kinds = RS_KIND_BIT(RS_KIND_SOUP) | RS_KIND_BIT(RS_KIND_EXPERT);
    double p[64], b[64];
    int nd, bnd;
    int n = points_of(f, kinds, p, &nd), nb = points_of(f, RS_KIND_BIT(RS_KIND_BASELINE), b, &bnd);
    /* the default reference point, over both blocks */
    double ref[2];
    for (int j = 0; j < 2; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < n; i++)
            lo = fmin(lo, p[2 * i + j]), hi = fmax(hi, p[2 * i + j]);
        for (int i = 0; i < nb; i++)
            lo = fmin(lo, b[2 * i + j]), hi = fmax(hi, b[2 * i + j]);
        ref[j] = lo - 0.1 * (hi - lo);
    }
    rs_frontscore s;
    CHECK(rs_frontscore_open(&s, f, "f.csv", kinds) == 0, "open: %s", rs_last_error());
    CHECK(s.main.n == n && s.baseline.n == nb, "rows %d %d, want %d %d", s.main.n, s.baseline.n, n,
          nb);
    CHECK(rs_frontscore_score(&s, NULL, 0.1, 50) == 0, "score: %s", rs_last_error());
    CHECK(s.ref_computed, "the reference point was computed");
    for (int j = 0; j < 2; j++)
        CHECK_CLOSE(s.ref[j], ref[j], 1e-12, 1e-12, "default ref");
    CHECK_CLOSE(s.main.hv, rs_test_hv_grid(p, n, ref), 1e-9, 1e-12, "soups' hypervolume");
    CHECK_CLOSE(s.main.eum, rs_test_eum_2d(p, n, 50), 1e-9, 1e-12, "soups' EUM");
    CHECK(s.main.n_nondom == nd, "non-dominated rows %d, want %d", s.main.n_nondom, nd);
    CHECK(s.main.cardinality == nd - 1, "the copied soup counts once: %d", s.main.cardinality);
    CHECK_CLOSE(s.baseline.hv, rs_test_hv_grid(b, nb, ref), 1e-9, 1e-12, "baseline's hypervolume");
    CHECK(s.baseline.n_nondom == bnd, "baseline non-dominated %d, want %d", s.baseline.n_nondom,
          bnd);
    /* the minimum of an objective sits on a margin-0 reference point */
    rs_frontscore_free(&s);
    CHECK(rs_frontscore_open(&s, f, "f.csv", kinds) == 0, "reopen");
    double given[2] = {0, 0};
    CHECK(rs_frontscore_score(&s, given, 0.1, 50) == 0 && !s.ref_computed, "given ref");
    int below = 0;
    for (int i = 0; i < n; i++)
        below += !(p[2 * i] > 0 && p[2 * i + 1] > 0);
    CHECK(s.main.below_ref == below && below > 0, "below the ref %d, want %d", s.main.below_ref,
          below);
    CHECK_CLOSE(s.main.hv, rs_test_hv_grid(p, n, given), 1e-9, 1e-12, "hypervolume on a given ref");
    rs_frontscore_free(&s);
    /* baselines among the kinds: one block, none apart */
    CHECK(rs_frontscore_open(&s, f, "f.csv", kinds | RS_KIND_BIT(RS_KIND_BASELINE)) == 0 &&
              s.main.n == n + nb && s.baseline.n == 0 && s.baseline_kinds == 0,
          "baselines scored with the soups: %d rows", s.main.n);
    rs_frontscore_free(&s);
    rs_front_free(f);
}

static void test_errors_name_the_file(void) {
    rs_front *f = make_front(5);
    rs_frontscore s;
    CHECK(rs_frontscore_open(&s, f, "f.csv", RS_KIND_BIT(RS_KIND_INIT)) != 0 &&
              strstr(rs_last_error(),
                     "'f.csv' has no rows of kind init (it has: 11 soup, 2 expert, 2 baseline)"),
          "no rows: %s", rs_last_error());
    rs_frontscore_free(&s);
    f->obj[2 * 3 + 1] = NAN;
    CHECK(rs_frontscore_open(&s, f, "f.csv", RS_KIND_BIT(RS_KIND_SOUP)) != 0 &&
              strstr(rs_last_error(), "'f.csv': soup row 's': objective 'cautious' is nan"),
          "non-finite: %s", rs_last_error());
    rs_frontscore_free(&s);
    rs_front_free(f);
    /* a plain CSV scores its points whatever the kinds, and compares with
     * a front by objective names alone */
    rs_front *a = make_front(5), *pl = rs_front_new(0, 2, NAMES, 0, NULL);
    pl->plain = 1;
    add(pl, RS_KIND_POINT, "1", 1, 2);
    CHECK(rs_frontscore_open(&s, pl, "p.csv", RS_KIND_BIT(RS_KIND_SOUP)) == 0 && s.main.n == 1,
          "plain points: %s", rs_last_error());
    rs_frontscore_free(&s);
    CHECK(rs_front_same_objectives(a, pl) == 0, "same objectives: %s", rs_last_error());
    const char *other[2] = {"cautious", "risky"};
    rs_front *q = rs_front_new(0, 2, other, 0, NULL);
    q->plain = 1;
    CHECK(rs_front_same_objectives(a, q) != 0 &&
              strstr(rs_last_error(), "(risky,cautious) and (cautious,risky)"),
          "another order: %s", rs_last_error());
    rs_front_free(a);
    rs_front_free(pl);
    rs_front_free(q);
}

/* a run folder with a policy file of the given bytes */
static void run_dir(const char *root, const char *name, const char *bytes) {
    char p[600];
    snprintf(p, sizeof p, "%s/%s", root, name);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/%s/policy.safetensors", root, name);
    FILE *f = fopen(p, "w");
    if (f) fputs(bytes, f), fclose(f);
}

/* which lists name the same experts: spellings of one folder, order, count,
 * copies, and lists longer than any fixed buffer (once cut at 4096
 * characters: lists that differed only past it were the same) */
static void test_same_policies(void) {
    char d[] = "/tmp/rs_test_samepol_XXXXXX";
    CHECK(mkdtemp(d) != NULL, "mkdtemp");
    run_dir(d, "a", "expert a"), run_dir(d, "b", "expert b"), run_dir(d, "c", "expert a");
    char ab[256], ab2[300], ba[256], a1[128], cb[256];
    snprintf(ab, sizeof ab, "%s/a;%s/b", d, d);
    snprintf(ab2, sizeof ab2, "%s/a/policy.safetensors;%s/./b/", d, d);
    snprintf(ba, sizeof ba, "%s/b;%s/a", d, d);
    snprintf(a1, sizeof a1, "%s/a", d);
    snprintf(cb, sizeof cb, "%s/c;%s/b", d, d);
    CHECK(rs_same_policies(ab, ab2) == 1, "one folder, two spellings");
    CHECK(rs_same_policies(ab, ba) == 0, "order matters");
    CHECK(rs_same_policies(ab, a1) == 0 && rs_same_policies(a1, ab) == 0, "count matters");
    CHECK(rs_same_policies(cb, ab) == 1, "a copy of an expert is that expert");
    static char x[6000], y[6000];
    int n = 0;
    for (int i = 0; i < 5; i++)
        n += snprintf(x + n, sizeof x - (size_t)n, "%s/%0999d;", d, i);
    memcpy(y, x, sizeof y);
    CHECK(rs_same_policies(x, y) == 1, "a long list and itself");
    y[n - 3] = 'z'; /* the last path, past 4096 characters */
    CHECK(n > 4096 && rs_same_policies(x, y) == 0, "lists differing at character %d", n - 3);
    /* a front records its experts; one that records none is taken as made from any */
    const char *paths[2] = {ab2, NULL};
    char pa[128], pb[128];
    snprintf(pa, sizeof pa, "%s/a/policy.safetensors", d);
    snprintf(pb, sizeof pb, "%s/b/policy.safetensors", d);
    rs_front *f = make_front(1);
    CHECK(rs_front_made_from(f, paths, 1) == 1, "a front without provenance");
    rs_front_set_meta(f, "experts", ab);
    const char *fw[2] = {pa, pb}, *bw[2] = {pb, pa};
    CHECK(rs_front_made_from(f, fw, 2) == 1 && rs_front_made_from(f, bw, 2) == 0 &&
              rs_front_made_from(f, fw, 1) == 0,
          "a front's experts against the ones given");
    rs_front_free(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    CHECK(system(cmd) == 0, "cleanup");
}

/* a front file for the viewer's figure: refused when made from other
 * experts or holding a NaN in a soup or expert row (a baseline's is not
 * drawn as the soup); passed on when it cannot be read here */
static void test_fits_experts(void) {
    char d[] = "/tmp/rs_test_fits_XXXXXX", p[128], a[128], b[128];
    CHECK(mkdtemp(d) != NULL, "mkdtemp");
    run_dir(d, "a", "expert a"), run_dir(d, "b", "expert b");
    snprintf(a, sizeof a, "%s/a/policy.safetensors", d);
    snprintf(b, sizeof b, "%s/b/policy.safetensors", d);
    const char *ab[2] = {a, b}, *ba[2] = {b, a};
    snprintf(p, sizeof p, "%s/f.csv", d);
    static const char *rows[3] = {"soup,x,0.5,0.5,2,100,1,50\n", "soup,x,0.5,0.5,2,nan,1,50\n",
                                  "baseline,m,0,0,2,nan,1,50\n"};
    for (int r = 0; r < 3; r++) {
        FILE *f = fopen(p, "w");
        if (!f) break;
        fprintf(f,
                "# experts: %s;%s\nkind,label,lambda:0,lambda:1,episodes,obj:default,"
                "std:default,length\n%s",
                a, b, rows[r]);
        fclose(f);
        int nan_soup = r == 1;
        CHECK(rs_front_fits_experts(p, ab, 2) == !nan_soup, "row %d: %s", r, rs_last_error());
        if (nan_soup) CHECK(strstr(rs_last_error(), "is nan") != NULL, "%s", rs_last_error());
        CHECK(rs_front_fits_experts(p, ba, 2) == 0 && strstr(rs_last_error(), "was made from"),
              "other experts: %s", rs_last_error());
    }
    snprintf(p, sizeof p, "%s/none.csv", d);
    CHECK(rs_front_fits_experts(p, ab, 2) == 1 && rs_front_fits_experts("/dev/null", ab, 2) == 1,
          "a front its reader reports on");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    CHECK(system(cmd) == 0, "cleanup");
}

RS_TEST_MAIN(T(test_scores_by_hand), T(test_errors_name_the_file), T(test_same_policies),
             T(test_fits_experts))

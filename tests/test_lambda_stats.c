/* test_lambda_stats.c — the per-λ statistics of K experts over replicates
 * (lambda_stats.csv, the simplex figure's data) against a brute-force
 * recomputation over the lattice: each point's rows found by scanning every
 * front, the mean and standard error summed here, the plane from the
 * vertices, the figure's coordinates in closed form, dominance by the
 * definition over every pair, the best point per reward by a scan. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_lambda_stats.h"
#include "rs_test.h"

#define K 3
#define D 3
#define RES 4 /* lattice resolution: 15 points */
#define NREP 3

static unsigned long long g_seed = 12345;
static double urand(void) { /* an LCG of our own: any numbers will do */
    g_seed = g_seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(g_seed >> 11) / 9007199254740992.0;
}

/* replicate r's front on the lattice, its rows in an order of its own; skip
 * (a composition index) leaves one point out */
static rs_front *make_front(int r, int skip) {
    const char *obj[D] = {"obj:velocity", "obj:height", "obj:energy"}, *terms[] = {"t"};
    rs_front *f = rs_front_new(K, D, obj, 1, terms);
    int cs[32][K], n = 0;
    for (int a = RES; a >= 0; a--)
        for (int b = RES - a; b >= 0; b--)
            cs[n][0] = a, cs[n][1] = b, cs[n][2] = RES - a - b, n++;
    int perm[32];
    for (int q = 0; q < n; q++)
        perm[q] = r == 0 ? q : (q * 7 + 3 * r) % n; /* 7 is prime to 15 */
    for (int q = 0; q < n; q++) {
        const int *c = cs[perm[q]];
        if (perm[q] == skip) continue;
        double lam[K], o[D], sd[D] = {1, 1, 1};
        for (int i = 0; i < K; i++)
            lam[i] = (double)c[i] / RES;
        for (int k = 0; k < D; k++)
            o[k] = 200 * lam[k] + 600 * urand() + 50 * r;
        rs_front_row row = {RS_KIND_SOUP, "s", lam, 2, o, sd, NULL, NULL, NAN};
        rs_front_add(f, &row);
        if (q == 2) { /* an expert and an init row: not soups, not on the lattice */
            double el[K] = {1, 0, 0}, eo[D] = {1e9, 1e9, 1e9};
            rs_front_row e = {RS_KIND_EXPERT, "e", el, 2, eo, sd, NULL, NULL, NAN};
            rs_front_add(f, &e);
        }
    }
    return f;
}

/* rows of f at λ, by a linear scan */
static int scan(const rs_front *f, const double *lam) {
    for (int i = 0; i < f->n; i++) {
        if (f->kind[i] != RS_KIND_SOUP) continue;
        int ok = 1;
        for (int j = 0; j < K; j++)
            ok &= fabs(f->lambda[i * K + j] - lam[j]) < 1e-12;
        if (ok) return i;
    }
    return -1;
}

static void test_against_brute_force(void) {
    rs_front *fr[NREP], *ctl[NREP] = {0};
    for (int r = 0; r < NREP; r++)
        fr[r] = make_front(r, r == 2 ? 5 : -1);
    ctl[1] = make_front(1, -1);
    rs_lambda_stats *s =
        rs_lambda_stats_new((const rs_front *const *)fr, (const rs_front *const *)ctl, NREP);
    CHECK(s != NULL, "%s", rs_last_error());
    if (!s) return;
    CHECK(s->n_pts == 15 && s->n_experts == K && s->n_obj == D && s->n_reps == NREP &&
              s->n_ctl == 1,
          "shape %d %d %d %d %d", s->n_pts, s->n_experts, s->n_obj, s->n_reps, s->n_ctl);
    double bm[15][D];
    for (int p = 0; p < s->n_pts; p++) {
        const double *lam = s->lambda + p * K;
        /* the first front's order */
        int r0 = scan(fr[0], lam);
        CHECK(r0 >= 0 && memcmp(lam, fr[0]->lambda + r0 * K, sizeof(double) * K) == 0,
              "point %d's λ", p);
        /* the figure: x = λ_1 + λ_2 / 2, y = λ_2 √3 / 2 */
        CHECK_CLOSE(s->xy[2 * p], lam[1] + lam[2] / 2, 1e-12, 0, "x");
        CHECK_CLOSE(s->xy[2 * p + 1], lam[2] * sqrt(3) / 2, 1e-12, 0, "y");
        for (int k = 0; k < D; k++) {
            double v[NREP], sum = 0, mn = INFINITY, mx = -INFINITY;
            int m = 0;
            for (int r = 0; r < NREP; r++) {
                int row = scan(fr[r], lam);
                if (row < 0) continue;
                v[m] = fr[r]->obj[row * D + k];
                sum += v[m], mn = fmin(mn, v[m]), mx = fmax(mx, v[m]);
                m++;
            }
            double mean = sum / m, ss = 0;
            for (int i = 0; i < m; i++)
                ss += (v[i] - mean) * (v[i] - mean);
            bm[p][k] = mean;
            const int i = p * D + k;
            CHECK(s->n[p] == m, "point %d: n %d, want %d", p, s->n[p], m);
            CHECK_CLOSE(s->mean[i], mean, 1e-9, 1e-12, "mean");
            CHECK_CLOSE(s->se[i], sqrt(ss / (m - 1) / m), 1e-9, 1e-12, "s.e.");
            CHECK(s->lo[i] >= mn - 1e-9 && s->lo[i] <= mean + 1e-9 && s->hi[i] <= mx + 1e-9 &&
                      s->hi[i] >= mean - 1e-9,
                  "interval [%g, %g] around %g within [%g, %g]", s->lo[i], s->hi[i], mean, mn, mx);
            int crow = scan(ctl[1], lam);
            CHECK_CLOSE(s->control[i], ctl[1]->obj[crow * D + k], 0, 0, "control");
        }
    }
    /* replicate 3 lacks one point */
    int short_pts = 0;
    for (int p = 0; p < s->n_pts; p++)
        short_pts += s->n[p] == NREP - 1;
    CHECK(short_pts == 1, "points over 2 replicates: %d", short_pts);
    /* the plane: the vertices' means mixed by λ */
    for (int p = 0; p < s->n_pts; p++)
        for (int k = 0; k < D; k++) {
            double pl = 0;
            for (int i = 0; i < K; i++)
                for (int q = 0; q < s->n_pts; q++)
                    if (s->lambda[q * K + i] == 1) pl += s->lambda[p * K + i] * bm[q][k];
            CHECK_CLOSE(s->plane[p * D + k], pl, 1e-9, 1e-12, "plane");
        }
    /* dominance over every pair, by its definition */
    int nd = 0;
    for (int p = 0; p < s->n_pts; p++) {
        int dominated = 0;
        for (int q = 0; q < s->n_pts; q++) {
            int ge = 1, gt = 0;
            for (int k = 0; k < D; k++)
                ge &= bm[q][k] >= bm[p][k], gt |= bm[q][k] > bm[p][k];
            dominated |= q != p && ge && gt;
        }
        CHECK(s->nondominated[p] == !dominated, "point %d: nondominated %d", p, s->nondominated[p]);
        nd += !dominated;
    }
    CHECK(nd >= 2 && nd < s->n_pts, "the test's data should have some dominated points (%d of %d)",
          nd, s->n_pts);
    for (int k = 0; k < D; k++) {
        int b = 0;
        for (int p = 1; p < s->n_pts; p++)
            if (bm[p][k] > bm[b][k]) b = p;
        CHECK(s->best[k] == b, "best on %d: %d, want %d", k, s->best[k], b);
    }
    /* the file: a comment, the header with the names, one line per point */
    const char *names[D] = {"velocity", "height", "energy"};
    char path[] = "/tmp/rs_test_lambda_stats_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd >= 0) {
        close(fd);
        CHECK(rs_lambda_stats_write(s, names, path) == 0, "%s", rs_last_error());
        FILE *fp = fopen(path, "r");
        char line[4096];
        int lines = 0;
        while (fp && fgets(line, sizeof line, fp)) {
            if (lines == 1)
                CHECK(!strncmp(line,
                               "lambda:velocity,lambda:height,lambda:energy,x,y,n,velocity:mean,"
                               "velocity:lo,",
                               76),
                      "header %s", line);
            lines++;
        }
        if (fp) fclose(fp);
        CHECK(lines == 2 + s->n_pts, "lines %d", lines);
        const char *bad[D] = {"velocity", "he,ight", "energy"};
        CHECK(rs_lambda_stats_write(s, bad, path) != 0 && strstr(rs_last_error(), "he,ight"),
              "a comma in a name");
        unlink(path);
    }
    rs_lambda_stats_free(s);
    for (int r = 0; r < NREP; r++)
        rs_front_free(fr[r]);
    rs_front_free(ctl[1]);
}

/* fronts of another number of experts: refused, naming both counts */
static void test_lattice_mismatch(void) {
    rs_front *a = make_front(0, -1);
    const char *obj[D] = {"obj:velocity", "obj:height", "obj:energy"}, *terms[] = {"t"};
    rs_front *b = rs_front_new(2, D, obj, 1, terms);
    double lam[2] = {1, 0}, o[D] = {1, 2, 3};
    rs_front_row row = {RS_KIND_SOUP, "s", lam, 1, o, NULL, NULL, NULL, NAN};
    rs_front_add(b, &row);
    const rs_front *two[2] = {a, b};
    CHECK(rs_lambda_stats_new(two, NULL, 2) == NULL, "a 2-expert front among 3-expert ones");
    CHECK(strstr(rs_last_error(), "2 experts") && strstr(rs_last_error(), "of 3"), "message: %s",
          rs_last_error());
    const rs_front *ctl[2] = {b, NULL}, *one[2] = {a, a};
    CHECK(rs_lambda_stats_new(one, ctl, 2) == NULL && strstr(rs_last_error(), "control front"),
          "a control of 2 experts: %s", rs_last_error());
    rs_front_free(a);
    rs_front_free(b);
}

RS_TEST_MAIN(T(test_against_brute_force), T(test_lattice_mismatch))

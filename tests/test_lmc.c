/* test_lmc.c — H1 on K experts: the barrier along every edge of the
 * simplex and against the experts' plane in its interior, on fronts built
 * here whose dips are known by construction (a plane Σ λ_i v_i minus a dip
 * at chosen lattice points), and edge (0, 1) of two experts against
 * rs_lmc_of_front bit for bit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"
#include "rs_lmc.h"
#include "rs_test.h"

#define KK 6 /* lattice resolution: λ = c / KK */

/* the dip (> 0: below the plane) at the lattice point c of three experts,
 * on objective 0; objective 1 is the plane itself */
static double dip3(const int c[3]) {
    if (c[0] == 3 && c[1] == 3 && c[2] == 0) return 400;  /* edge 0-1, its middle */
    if (c[0] == 0 && c[1] == 2 && c[2] == 4) return -150; /* edge 1-2: above the line */
    if (c[0] == 2 && c[1] == 2 && c[2] == 2) return 250;  /* interior: the centroid */
    if (c[0] == 1 && c[1] == 4 && c[2] == 1) return 90;   /* interior, smaller */
    return 0;
}

static const double V3[3] = {1000, 3000, 2000}; /* the experts' returns, objective 0 */

/* a 3-expert front on the lattice of resolution KK, rows in a scrambled
 * order, with expert and init rows mixed in (which the paths skip) */
static rs_front *front3(double std0) {
    const char *obj[] = {"velocity", "height"}, *terms[] = {"t"};
    rs_front *f = rs_front_new(3, 2, obj, 1, terms);
    int n = 0, cs[64][3];
    for (int a = 0; a <= KK; a++)
        for (int b = 0; a + b <= KK; b++)
            cs[n][0] = a, cs[n][1] = b, cs[n][2] = KK - a - b, n++;
    for (int q = 0; q < n; q++) {
        const int *c = cs[(q * 11) % n]; /* 11 is prime to 28: a permutation */
        double lam[3], o[2] = {0, 0}, sd[2] = {std0, 1};
        for (int i = 0; i < 3; i++) {
            lam[i] = (double)c[i] / KK;
            o[0] += lam[i] * V3[i];
            o[1] += lam[i] * 10 * (i + 1);
        }
        o[0] -= dip3(c);
        rs_front_row r = {RS_KIND_SOUP, "s", lam, 4, o, sd, NULL, NULL, NAN};
        rs_front_add(f, &r);
        if (q == 3) {
            double el[3] = {0, 1, 0}, eo[2] = {-1e6, -1e6};
            rs_front_row e = {RS_KIND_EXPERT, "e", el, 4, eo, sd, NULL, NULL, NAN};
            rs_front_add(f, &e);
        }
    }
    return f;
}

static void test_edges_of_three(void) {
    rs_front *f = front3(20); /* s.e. 20 / sqrt(4) = 10 */
    CHECK(f->n == 29, "rows %d", f->n);
    rs_lmc m;
    double L[32], R[32];
    int n = 0;
    /* edge 0-1: 7 points, the dip of 400 at λ_1 = 0.5, 40 s.e.; scale |1000 - 3000| */
    CHECK(rs_lmc_edge_of_front(f, 0, 1, 0, 0.1, &m, L, R, &n) == 0, "%s", rs_last_error());
    CHECK(n == KK + 1, "edge 0-1 has %d points", n);
    for (int i = 0; i < n; i++)
        CHECK_CLOSE(L[i], (double)i / KK, 1e-12, 0, "edge λ sorted");
    CHECK_CLOSE(m.barrier, 400, 1e-9, 0, "edge 0-1 barrier");
    CHECK_CLOSE(m.barrier_lambda, 0.5, 1e-12, 0, "edge 0-1 barrier's λ");
    CHECK_CLOSE(m.scale, 2000, 1e-9, 0, "edge 0-1 scale");
    CHECK_CLOSE(m.z, 40, 1e-9, 0, "edge 0-1 z");
    CHECK(m.is_barrier, "400 > 200 at 40 s.e. is a barrier");
    /* edge 0-2: straight, no barrier; the interior dips are not on it */
    CHECK(rs_lmc_edge_of_front(f, 0, 2, 0, 0.1, &m, NULL, NULL, &n) == 0 && n == KK + 1,
          "edge 0-2");
    CHECK(m.barrier < 1e-9 && !m.is_barrier, "edge 0-2 barrier %g", m.barrier);
    /* edge 1-2: above the line by 150 at λ_2 = 4/6 */
    CHECK(rs_lmc_edge_of_front(f, 1, 2, 0, 0.1, &m, NULL, NULL, NULL) == 0, "edge 1-2");
    CHECK(m.barrier < 1e-9 && !m.is_barrier, "edge 1-2 barrier %g", m.barrier);
    CHECK_CLOSE(m.max_gain, 150, 1e-9, 0, "edge 1-2 gain");
    CHECK_CLOSE(m.max_gain_lambda, 4.0 / KK, 1e-12, 0, "edge 1-2 gain's λ");
    /* a flat objective has no barrier anywhere */
    CHECK(rs_lmc_edge_of_front(f, 0, 1, 1, 0.1, &m, NULL, NULL, NULL) == 0 && m.barrier < 1e-9,
          "flat");
    /* bad edges */
    CHECK(rs_lmc_edge_of_front(f, 0, 3, 0, 0.1, &m, NULL, NULL, NULL) != 0,
          "edge to expert 3 of 3");
    CHECK(rs_lmc_edge_of_front(f, 1, 1, 0, 0.1, &m, NULL, NULL, NULL) != 0, "edge 1-1");
    rs_front_free(f);
}

static void test_plane_of_three(void) {
    rs_front *f = front3(20);
    rs_lmc m;
    int br = -2, gr = -2, ni = 0;
    CHECK(rs_lmc_plane_of_front(f, 0, 0.1, &m, &br, &gr, &ni) == 0, "%s", rs_last_error());
    /* interior points of the lattice: c_i >= 1 for all three, C(KK-1, 2) */
    CHECK(ni == (KK - 1) * (KK - 2) / 2, "interior points %d", ni);
    CHECK_CLOSE(m.barrier, 250, 1e-9, 0, "plane barrier: the centroid's dip");
    CHECK(br >= 0 && fabs(f->lambda[br * 3] - 1.0 / 3) < 1e-12 &&
              fabs(f->lambda[br * 3 + 1] - 1.0 / 3) < 1e-12,
          "barrier row %d is the centroid", br);
    CHECK(gr == -1 && m.max_gain == 0, "no gain above the plane (row %d, %g)", gr, m.max_gain);
    /* the mean gap over the interior: -(250 + 90) / 10 */
    CHECK_CLOSE(m.area, -(250.0 + 90.0) / ni, 1e-9, 0, "mean gap");
    /* the scale of three experts: max - min = 2000 */
    CHECK_CLOSE(m.scale, 2000, 1e-9, 0, "plane scale");
    CHECK_CLOSE(m.z, 25, 1e-9, 0, "plane z");
    CHECK(m.is_barrier, "250 > 200 at 25 s.e.");
    /* tolerance 0.2 (400): the edge dip stays a barrier, the plane's does not */
    CHECK(rs_lmc_plane_of_front(f, 0, 0.2, &m, NULL, NULL, NULL) == 0 && !m.is_barrier, "tol 0.2");
    rs_front_free(f);
    /* inside the noise (s.e. 200): no barrier */
    f = front3(400);
    CHECK(rs_lmc_plane_of_front(f, 0, 0.1, &m, NULL, NULL, NULL) == 0 && !m.is_barrier &&
              fabs(m.z - 1.25) < 1e-9,
          "noisy plane dip: z %g", m.z);
    rs_front_free(f);
}

static void test_simplex(void) {
    rs_front *f = front3(20);
    rs_lmc_simplex *s = rs_lmc_simplex_new(f, 0.1);
    CHECK(s != NULL, "%s", rs_last_error());
    if (s) {
        CHECK(s->n_edges == 3 && s->has_plane && s->n_interior == 10, "edges %d, interior %d",
              s->n_edges, s->n_interior);
        const int ea[] = {0, 0, 1}, eb[] = {1, 2, 2};
        for (int e = 0; e < 3; e++)
            CHECK(s->edge_a[e] == ea[e] && s->edge_b[e] == eb[e], "edge %d order", e);
        CHECK(s->edge[0 * 2 + 0].is_barrier && !s->edge[1 * 2 + 0].is_barrier &&
                  !s->edge[2 * 2 + 0].is_barrier,
              "edge verdicts");
        CHECK(s->plane[0].is_barrier && !s->plane[1].is_barrier, "plane verdicts");
        CHECK(!s->h1, "H1 holds with two barriers");
        int e = 9, k = 9;
        CHECK(rs_lmc_simplex_first_barrier(s, &e, &k) == 1 && e == 0 && k == 0,
              "first barrier %d %d", e, k);
    }
    rs_lmc_simplex_free(s);
    rs_front_free(f);
    /* the noisy front: the edge's dip (400 at 2 s.e.) is no barrier either */
    f = front3(400);
    s = rs_lmc_simplex_new(f, 0.1);
    CHECK(s && s->h1, "noisy front: H1");
    rs_lmc_simplex_free(s);
    rs_front_free(f);
}

/* a front without the interior's vertex soups, or with an edge cut short */
static void test_simplex_refusals(void) {
    const char *obj[] = {"a"}, *terms[] = {"t"};
    rs_front *f = rs_front_new(3, 1, obj, 1, terms);
    /* only edge 0-1 */
    for (int i = 0; i <= 4; i++) {
        double lam[3] = {1 - i / 4.0, i / 4.0, 0}, o[1] = {i};
        rs_front_row r = {RS_KIND_SOUP, "s", lam, 1, o, NULL, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    rs_lmc m;
    CHECK(rs_lmc_edge_of_front(f, 0, 1, 0, 0.1, &m, NULL, NULL, NULL) == 0, "edge 0-1 present");
    CHECK(rs_lmc_edge_of_front(f, 0, 2, 0, 0.1, &m, NULL, NULL, NULL) != 0 &&
              strstr(rs_last_error(), "edge 0-2"),
          "edge 0-2 absent: %s", rs_last_error());
    CHECK(rs_lmc_plane_of_front(f, 0, 0.1, &m, NULL, NULL, NULL) != 0 &&
              strstr(rs_last_error(), "expert 2"),
          "vertex 2 absent: %s", rs_last_error());
    CHECK(rs_lmc_simplex_new(f, 0.1) == NULL, "simplex of a front without edge 0-2");
    rs_front_free(f);
    /* more experts than the edges' bound: refused, not allocated */
    f = rs_front_new(RS_LMC_MAX_EXPERTS + 1, 1, obj, 1, terms);
    CHECK(f && rs_lmc_simplex_new(f, 0.1) == NULL && strstr(rs_last_error(), "65 experts"), "65 experts: %s",
          rs_last_error());
    rs_front_free(f);
    /* two experts have no plane */
    f = rs_front_new(2, 1, obj, 1, terms);
    CHECK(rs_lmc_plane_of_front(f, 0, 0.1, &m, NULL, NULL, NULL) != 0, "plane of two experts");
    rs_front_free(f);
}

/* two experts: edge (0, 1) is rs_lmc_of_front's path, bit for bit */
static void test_two_experts_same_bits(void) {
    const char *obj[] = {"a"}, *terms[] = {"t"};
    rs_front *f = rs_front_new(2, 1, obj, 1, terms);
    for (int q = 0; q < 11; q++) {
        int i = (q * 7) % 11;
        double lam[2] = {(10 - i) / 10.0, i / 10.0}, o[1] = {sin(i) * 100 + 3 * i}, sd[1] = {5 + i};
        rs_front_row r = {RS_KIND_SOUP, "s", lam, 3, o, sd, NULL, NULL, NAN};
        rs_front_add(f, &r);
    }
    rs_lmc a, b;
    memset(&a, 0x5a, sizeof a);
    memset(&b, 0xa5, sizeof b);
    CHECK(rs_lmc_of_front(f, 0, 0.1, &a, NULL, NULL, NULL) == 0, "%s", rs_last_error());
    CHECK(rs_lmc_edge_of_front(f, 0, 1, 0, 0.1, &b, NULL, NULL, NULL) == 0, "%s", rs_last_error());
    CHECK(!memcmp(&a, &b, sizeof a), "edge 0-1 differs from the 2-expert path");
    rs_lmc_simplex *s = rs_lmc_simplex_new(f, 0.1);
    CHECK(s && s->n_edges == 1 && !s->has_plane && !memcmp(&s->edge[0], &a, sizeof a),
          "simplex of two");
    rs_lmc_simplex_free(s);
    rs_front_free(f);
}

RS_TEST_MAIN(T(test_edges_of_three), T(test_plane_of_three), T(test_simplex),
             T(test_simplex_refusals), T(test_two_experts_same_bits))

/* rs_lmc.h — linear mode connectivity along a two-expert path, and the one
 * rule by which rsoup calls a dip a barrier (used by `rsoup lmc`, `rsoup
 * front`'s summary and the experiment report alike).
 *
 * For returns R(λ_k) on a λ grid (sorted, from 0 to 1): the straight line
 * between the endpoints L(λ) = (1-λ) R(0) + λ R(1); the barrier
 * max_k (L(λ_k) - R(λ_k)) clipped at 0 (how far the path dips below the
 * line); the signed area ∫ (R - L) dλ by the trapezoid rule (> 0: the path
 * lies above the line); and the largest gain above the line.
 *
 * The verdict. A dip is a barrier only when it is both
 *   - statistically clear: more than RS_LMC_Z standard errors of the mean
 *     return at that λ, and
 *   - large against the reward's scale: more than tol = rel_tol * scale,
 *     scale = max(|R(0) - R(1)|, 0.1 * max(|R(0)|, |R(1)|)).
 * The first alone is not enough: with common random numbers and many
 * episodes a dip of half a percent of the return is "4 standard errors".
 * The scale is the gap between the experts' returns on that reward (what
 * interpolating trades), floored at a tenth of their magnitude so that two
 * experts that score alike on a reward do not make every wiggle a barrier. */
#ifndef RS_LMC_H
#define RS_LMC_H

#include "rs_frontfile.h"

#define RS_LMC_Z 2.0
#define RS_LMC_REL_TOL 0.1 /* the default rel_tol */
#define RS_LMC_MAX_EXPERTS 64 /* rs_lmc_simplex_new's bound: 2016 edges */

typedef struct rs_lmc {
    double barrier, barrier_lambda, area, max_gain, max_gain_lambda;
    double se;        /* standard error of the mean at the barrier's λ (NaN unknown) */
    double z;         /* barrier / se (0 without a dip; inf when se = 0) */
    double scale;     /* the reward's scale (see above) */
    double tolerance; /* rel_tol * scale */
    int is_barrier;   /* z > RS_LMC_Z and barrier > tolerance */
} rs_lmc;

/* the path's geometry from n points (sorted by λ); the verdict fields are
 * filled as if se were unknown (z = NaN, is_barrier = 0) */
void rs_lmc_compute(const double *lambda, const double *R, int n, rs_lmc *out);
/* the verdict for a computed path, given the s.e. at its barrier's λ */
void rs_lmc_judge(rs_lmc *m, double r0, double r1, double se, double rel_tol);

/* the verdict with the reward's scale given (rs_lmc_judge's scale is that of
 * two experts; the plane's is that of K, rs_lmc_plane_of_front) */
void rs_lmc_judge_scale(rs_lmc *m, double scale, double se, double rel_tol);

/* The path of objective `obj` through a two-expert front's soup rows
 * (sorted by the second expert's λ, which must run from 0 to 1), its
 * geometry and verdict. Fills lambda/R (caller's buffers of f->n, may be
 * NULL) and *n_path. Returns 0, or -1 (error set) when f is not such a
 * front. */
int rs_lmc_of_front(const rs_front *f, int obj, double rel_tol, rs_lmc *out, double *lambda,
                    double *R, int *n_path);

/* An edge of a K-expert front: the soup rows whose λ is zero (within
 * RS_FRONT_LAMBDA_TOL) for every expert but a and b, sorted by λ_b, which
 * must run from 0 to 1 (on the lattice λ_a = 1 - λ_b there). With two
 * experts, edge (0, 1) is rs_lmc_of_front's path, bit for bit. Same
 * buffers and return as rs_lmc_of_front; -1 (error set) when a or b is not
 * an expert of f or the edge lacks its ends or has fewer than 3 soups. */
int rs_lmc_edge_of_front(const rs_front *f, int a, int b, int obj, double rel_tol, rs_lmc *out,
                         double *lambda, double *R, int *n_path);

/* The interior of a K-expert front (K >= 3): every soup row with at least
 * three nonzero weights against the experts' plane P(λ) = Σ λ_i R(e_i),
 * R(e_i) the soup row at vertex i (λ_i = 1). gap = R(λ) - P(λ); the barrier
 * is the largest -gap clipped at 0, area the mean gap over those soups (> 0:
 * above the plane), max_gain the largest gap; barrier_lambda and
 * max_gain_lambda are NaN, their rows are *barrier_row / *gain_row (-1 when
 * none). The verdict is rs_lmc's with the scale of K experts:
 * max(max_i R(e_i) - min_i R(e_i), 0.1 max_i |R(e_i)|). *n_interior gets
 * how many soups were compared (0: the front has no interior point, and the
 * barrier is 0). Returns 0, or -1 (error set): fewer than 3 experts, a
 * vertex missing. */
int rs_lmc_plane_of_front(const rs_front *f, int obj, double rel_tol, rs_lmc *out, int *barrier_row,
                          int *gain_row, int *n_interior);

/* Every edge of a K-expert front and its interior, on every objective: the
 * H1 verdict of K experts. Edge e joins experts edge_a[e] < edge_b[e], in
 * the order (0,1), (0,2), ..., (0,K-1), (1,2), ...; edge[e * n_obj + k].
 * plane[k] is the interior's (has_plane: K >= 3 and an interior soup
 * exists). h1: no barrier on any edge or the plane on any objective. */
typedef struct rs_lmc_simplex {
    int n_experts, n_obj, n_edges, has_plane, n_interior;
    int *edge_a, *edge_b; /* [n_edges] */
    rs_lmc *edge;         /* [n_edges * n_obj] */
    rs_lmc *plane;        /* [n_obj] */
    int *plane_row;       /* [n_obj]: the row of each plane barrier, -1 none */
    int h1;
} rs_lmc_simplex;

/* NULL (error set: which edge, which objective and why) when some edge has
 * no path; free with rs_lmc_simplex_free (NULL-safe) */
rs_lmc_simplex *rs_lmc_simplex_new(const rs_front *f, double rel_tol);
void rs_lmc_simplex_free(rs_lmc_simplex *s);
/* the first barrier of s as "edge 0-2 on obj 1" style indices: 1 and
 * *edge (-1: the plane), *obj set, or 0 when h1 holds */
int rs_lmc_simplex_first_barrier(const rs_lmc_simplex *s, int *edge, int *obj);

/* The same-reward floor: two experts fine-tuned from one init on the same
 * reward with different seeds (a "twin") part only as far as the
 * fine-tuning itself parts them. A pair's barrier exceeds that floor when
 * it is larger by more than RS_LMC_Z standard errors of the difference
 * (each barrier's s.e. at its own λ; an unknown s.e. counts as 0). */
int rs_lmc_exceeds_floor(const rs_lmc *pair, const rs_lmc *floor);

#endif

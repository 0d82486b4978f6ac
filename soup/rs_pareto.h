/* rs_pareto.h — Pareto metrics of a front of points in reward space.
 *
 * A front is n points of d objectives, row-major: pts[i*d + j] is objective j
 * of point i. Every objective is maximised (larger is better).
 *
 * Error convention: the counting functions return -1 and set rs_last_error();
 * rs_hv and rs_sparsity return -1.0 (they are never negative otherwise);
 * rs_eum returns NAN, because a legitimate expected utility can be negative.
 * The metrics (hv, eum, sparsity, default_ref) reject NaN and ±inf values;
 * dominance and the non-dominated filter accept ±inf and reject NaN. */
#ifndef RS_PARETO_H
#define RS_PARETO_H

/* 1 if a weakly improves on b everywhere and strictly somewhere, else 0.
 * Equal points do not dominate each other. */
int rs_pareto_dominates(const double *a, const double *b, int d);

/* Fill the caller's mask[n]: 1 if point i is dominated by no other point.
 * Equal points are all kept (none dominates another). d = 2 is an
 * O(n log n) sort and sweep; d = 3 sorts and sweeps a 2-D staircase,
 * O(n log n) plus array shifts (O(n²) moves at worst); d >= 4 sorts
 * lexicographically and compares each point with the non-dominated points
 * found so far, O(n·m·d) for a front of size m.
 * Returns the number of non-dominated points, or -1 (error set). */
int rs_pareto_nondominated(const double *pts, int n, int d, int *mask);
/* how many distinct points among pts[n*d] (only rows with mask[i] != 0 when
 * mask is given); O(n log n); -1 (error set) when out of memory */
int rs_pareto_distinct(const double *pts, int n, int d, const int *mask);

/* Hypervolume of the region dominated by the points and bounded below by ref:
 * the volume of ∪_p {x : ref ≤ x ≤ p}. A point that is not strictly better
 * than ref in every objective adds nothing. Exact for every d: d = 2 is a
 * sort and sweep, O(n log n); d = 3 sweeps the last objective while keeping a
 * 2-D staircase, O(n²) worst case; d ≥ 4 is WFG (While, Bradstreet & Barone
 * 2012): sum of exclusive contributions in order of the last objective, each
 * computed from the limited, filtered set in d-1 objectives.
 * Returns the volume (≥ 0), or -1.0 (error set) on d < 1, n < 0, NULL
 * arguments or a non-finite value. n = 0 gives 0. */
double rs_hv(const double *pts, int n, int d, const double *ref);

/* Expected utility: mean over the weight vectors w (weights[n_weights*d]) of
 * max_p w·p. The weights are used as given (not normalised). Needs n >= 1 and
 * n_weights >= 1. Returns NAN (error set) on bad input. */
double rs_eum(const double *pts, int n, int d, const double *weights, int n_weights);

/* rs_eum with the simplex lattice of resolution k over d objectives as the
 * weights (rs_lattice_fill(d, k, ...): C(k+d-1, d-1) uniform weight vectors). */
double rs_eum_uniform(const double *pts, int n, int d, int k);

/* Sparsity as in PGMORL (Xu et al. 2020) and MORL-Baselines: on the
 * non-dominated set P (duplicates counted once), for each objective sort the
 * values and sum the squared gaps between neighbours; divide the total by
 * |P| - 1. 0 when |P| < 2. Returns -1.0 (error set) on bad input. */
double rs_sparsity(const double *pts, int n, int d);

/* A default hypervolume reference point, written into the caller's ref[d]:
 *   ref_j = min_j - margin_frac * (max_j - min_j)            if max_j > min_j
 *   ref_j = min_j - margin_frac * max(1, |min_j|)             if max_j == min_j
 * over the n >= 1 points. With margin_frac > 0 every point is strictly better
 * than ref, so each counts toward the volume; with 0, points on the minimum of
 * an objective add nothing. The result depends on the front, so fronts that
 * are to be compared need one shared, recorded reference point instead.
 * Returns 0, or -1 (error set) if n < 1, d < 1, margin_frac < 0 or a value is
 * not finite. */
int rs_pareto_default_ref(const double *pts, int n, int d, double margin_frac, double *ref);

#endif

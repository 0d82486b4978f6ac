/* rs_lattice.h — the simplex lattice of mixing weights.
 *
 * A rewarded soup mixes N experts with weights λ on the simplex. The lattice of
 * resolution k is every λ in {0, 1/k, ..., 1}^N with Σλ_i = 1; it has
 * C(k+N-1, N-1) points. The same lattice doubles as the uniform set of weight
 * vectors for expected utility (rs_eum_uniform).
 *
 * Rows are row-major: out[r*N + i] is λ_i of row r. The order is fixed:
 * the integer compositions c (λ = c/k) in decreasing lexicographic order, so
 *   N=2: (1,0), (1-1/k, 1/k), ..., (0,1)          — λ_2 climbs 0 → 1
 *   N=3, k=2: (1,0,0) (.5,.5,0) (.5,0,.5) (0,1,0) (0,.5,.5) (0,0,1)
 * Each entry is computed as c_i/k, so rows sum to 1 up to rounding. */
#ifndef RS_LATTICE_H
#define RS_LATTICE_H

/* Number of lattice points, C(k+N-1, N-1); -1 (error set) if n_experts < 1,
 * k < 1 or the count does not fit in an int. */
int rs_lattice_count(int n_experts, int k);

/* Fill the caller's buffer out[count*n_experts] in the order above.
 * Returns the count, or -1 (error set). */
int rs_lattice_fill(int n_experts, int k, double *out);

/* Owned copy of the lattice; *count gets the number of rows. NULL on error.
 * Release with rs_lattice_free. */
double *rs_lattice_new(int n_experts, int k, int *count);
void rs_lattice_free(double *lattice);

/* The "--grid G" helper for two experts: G points with λ_2 = i/(G-1),
 * i = 0..G-1, endpoints included (the lattice with N=2, k=G-1). Fills the
 * caller's out[G*2]; returns G, or -1 (error set) if G < 2. */
int rs_lattice_fill_grid2(int g, double *out);

#endif

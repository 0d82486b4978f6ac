/* rs_lattice.c — enumerate the simplex lattice {c/k : c ∈ ℕ^N, Σc = k}. */
#include "rs_lattice.h"

#include <limits.h>
#include <stdlib.h>

#include "rs_common.h"

int rs_lattice_count(int n_experts, int k) {
    if (n_experts < 1 || k < 1) {
        rs_set_error("lattice: need n_experts >= 1 and k >= 1 (got %d, %d)", n_experts, k);
        return -1;
    }
    /* C(k+i, i) = C(k+i-1, i-1) * (k+i) / i, exact at every step */
    long long c = 1;
    for (int i = 1; i < n_experts; i++) {
        if (c > LLONG_MAX / ((long long)k + i)) c = (long long)INT_MAX + 1;
        else c = c * ((long long)k + i) / i;
        if (c > INT_MAX) {
            rs_set_error("lattice: C(%d, %d) points is too many", k + n_experts - 1,
                         n_experts - 1);
            return -1;
        }
    }
    return (int)c;
}

int rs_lattice_fill(int n_experts, int k, double *out) {
    int count = rs_lattice_count(n_experts, k);
    if (count < 0) return -1;
    if (!out) {
        rs_set_error("lattice: NULL output buffer");
        return -1;
    }
    int *c = rs_calloc((size_t)n_experts, sizeof *c);
    if (!c) return -1;
    const int n = n_experts;
    c[0] = k;
    for (int r = 0; r < count; r++) {
        for (int i = 0; i < n; i++) out[(size_t)r * n + i] = (double)c[i] / k;
        /* successor in decreasing lexicographic order: move one unit out of the
         * last non-zero part before the tail, and gather the tail right after it */
        int j = n - 2;
        while (j >= 0 && c[j] == 0) j--;
        if (j < 0) break; /* (0,...,0,k): the last row */
        int tail = c[n - 1];
        c[n - 1] = 0;
        c[j]--;
        c[j + 1] = tail + 1;
    }
    free(c);
    return count;
}

double *rs_lattice_new(int n_experts, int k, int *count) {
    int m = rs_lattice_count(n_experts, k);
    if (m < 0) return NULL;
    double *out = rs_malloc((size_t)m * (size_t)n_experts * sizeof *out);
    if (!out) return NULL;
    if (rs_lattice_fill(n_experts, k, out) < 0) {
        free(out);
        return NULL;
    }
    if (count) *count = m;
    return out;
}

void rs_lattice_free(double *lattice) { free(lattice); }

int rs_lattice_fill_grid2(int g, double *out) {
    if (g < 2) {
        rs_set_error("grid: need at least 2 points (got %d)", g);
        return -1;
    }
    return rs_lattice_fill(2, g - 1, out);
}

/* fuzz_front.c — the front CSV loader (and plain CSVs), its tail handling,
 * and what is read from what it loaded: the LMC path, the verdicts of
 * every edge and the interior of K experts, the per-λ statistics. */
#include "fuzz_common.h"
#include "rs_frontfile.h"
#include "rs_lambda_stats.h"
#include "rs_lmc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = fuzz_file(data, size, ".csv");
    int tail = 0;
    rs_front *f = rs_front_load(p, &tail);
    if (!f) return 0;
    rs_lmc m;
    for (int k = 0; k < f->n_obj; k++) rs_lmc_of_front(f, k, 0.1, &m, NULL, NULL, NULL);
    rs_lmc_simplex_free(rs_lmc_simplex_new(f, 0.1));
    const rs_front *one[1] = {f};
    rs_lambda_stats_free(rs_lambda_stats_new(one, one, 1));
    int n = 0;
    double *o = rs_front_obj_new(f, RS_KINDS_ALL, &n, NULL);
    free(o);
    rs_front_meta(f, "experts");
    rs_front_free(f);
    return 0;
}

/* select_refine.c — `rsoup select --refine`: its options, and
 * lab/rs_refine.h's choice of the experts (the front's provenance, or
 * --experts when the recorded files are not on this machine), search,
 * rescoring and soup writing (select.h). */
#include <string.h>

#include "cli.h"
#include "rs_refine.h"
#include "select.h"

int rs_cli_select_refine(const rs_opt *opts, int no, const rs_front *f, rs_front_row r,
                         const double *w, int by_terms, double *lam_out, double *u_inout,
                         rs_cli_refined *info, const char *out_path) {
    if (f->plain || r.kind != RS_KIND_SOUP) {
        fprintf(stderr, "rsoup select: --refine needs a soup row of a front from 'rsoup front'\n");
        return -2;
    }
    const char *el = rs_refine_experts(f, rs_opt_str(opts, no, "experts"), stderr, "rsoup select");
    if (!el) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        return -2;
    }
    rs_refine rf;
    int rc = -1;
    long iters, episodes = r.episodes, seed, threads, fresh = 0;
    if (rs_refine_open(&rf, f, el, w, by_terms) != 0) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        goto out;
    }
    if (rs_opt_long(opts, no, "iters", 2, 100, &iters) ||
        rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        (rs_opt_str(opts, no, "episodes") &&
         rs_opt_long(opts, no, "episodes", 1, 100000, &episodes)))
        goto out;
    if (rs_refine_search(&rf, r, (int)iters, (int)episodes, (uint64_t)seed, threads, lam_out,
                         u_inout, stderr, "rsoup select") != 0) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        goto out;
    }
    info->n_evals = rf.evals;
    if (rs_opt_long(opts, no, "rescore", 1, 100000, &fresh)) {
        rc = -2;
        goto out;
    }
    /* the winner was the best of rf.evals noisy scores: score it again, and
     * the grid's best beside it, on episodes of a stream no search step used */
    info->fresh_episodes = fresh;
    info->fresh_seed = (uint64_t)seed + 0x5EEDF00Dull;
    if (rs_refine_rescore(&rf, lam_out, r.lambda, (int)fresh, info->fresh_seed, &info->fresh_u,
                          &info->fresh_grid_u) != 0 ||
        (out_path && rs_refine_save(&rf, el, lam_out, out_path) != 0)) {
        fprintf(stderr, "rsoup select: %s\n", rs_last_error());
        goto out;
    }
    rc = 0;
out:
    rs_refine_close(&rf);
    return rc;
}

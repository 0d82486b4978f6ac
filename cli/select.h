/* select.h — `rsoup select`'s pieces: --refine's checks and calls
 * (select_refine.c) and the printing of the choice (select_print.c), apart
 * from its options (cmd_select.c). */
#ifndef RS_CLI_SELECT_H
#define RS_CLI_SELECT_H

#include <stdint.h>

#include "cli.h"
#include "rs_frontfile.h"

/* what --refine found: the search's best (the best of many noisy
 * evaluations, so biased upwards), and the same λ and the grid's best
 * scored again on fresh episodes that no choice looked at */
typedef struct rs_cli_refined {
    int n_evals;
    long fresh_episodes;
    uint64_t fresh_seed;
    double fresh_u, fresh_grid_u;
} rs_cli_refined;

/* --refine around the grid's best row r: the front's experts (recorded in
 * its provenance, or --experts) and lab/rs_refine.h's search; lam_out gets
 * the best λ, *u_inout its utility. 0, -2 for a usage error, -1 for a
 * failure (printed) */
int rs_cli_select_refine(const rs_opt *opts, int no, const rs_front *f, rs_front_row r,
                         const double *w, int by_terms, double *lam_out, double *u_inout,
                         rs_cli_refined *info, const char *out_path);

/* what select chose, for printing */
typedef struct rs_cli_choice {
    const rs_front *f;
    const char *path, *spec, *names, *kt, *out_path;
    const double *w, *ref_lam;
    int nw, by_terms, n_cand, best, best_e, refined;
    double u, ue, ref_u;
    rs_front_row r;
    rs_cli_refined ri;
} rs_cli_choice;
void rs_cli_select_print(const rs_cli_choice *c, int json);

#endif

/* pareto.h — `rsoup pareto`'s printing (pareto_print.c), apart from its
 * options and calls (cmd_pareto.c). */
#ifndef RS_CLI_PARETO_H
#define RS_CLI_PARETO_H

#include "rs_compare.h"
#include "rs_frontscore.h"

/* one front, scored */
typedef struct rs_cli_pareto_one {
    const char *path;
    const rs_frontscore *s;
    int truncated;          /* an incomplete last row was dropped */
    const char *ref_text;   /* --ref, or NULL */
    const char *ref_source; /* how the reference point was chosen */
    double margin;
    long k; /* EUM's lattice resolution */
} rs_cli_pareto_one;
void rs_cli_pareto_print_one(const rs_cli_pareto_one *o, int json);

/* several fronts on one reference point */
typedef struct rs_cli_pareto_many {
    const char *const *paths;
    int n, d;
    const rs_compare_result *res;
    const rs_compare_agg *ag;
    const char *ref_source;
} rs_cli_pareto_many;
void rs_cli_pareto_print_many(const rs_cli_pareto_many *m, int json);

#endif

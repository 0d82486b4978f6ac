/* rs_frontplan.h — one `rsoup front` run as library code: the λ points (a
 * lattice or a file of rows), the front file's provenance, the output made,
 * locked and, on --resume, checked against this run and completed (only the
 * rows it still lacks are evaluated: experts, init, baselines, soups, in that
 * order), then the evaluation, each row appended as it finishes. The caller
 * loads the experts and names the rewards; rs_frontplan_run returns 0 or -1
 * with the error set, and what it has to say as it works (the plan, the
 * Fisher steps, the bar, a restarted or trimmed file) goes to req->log. */
#ifndef RS_FRONTPLAN_H
#define RS_FRONTPLAN_H

#include <stdint.h>
#include <stdio.h>

#include "rs_frontfile.h"
#include "rs_policy.h"

typedef struct rs_frontplan_req {
    int n_experts;
    const char *const *paths; /* the experts' checkpoint files, recorded in the provenance */
    rs_st *const *experts;    /* loaded and checked to mix */
    const rs_env_spec *spec;
    int n_obj; /* the proxy rewards: names and weights over spec's terms */
    const char *const *obj_names;
    const double (*obj_w)[RS_MAX_TERMS];
    /* NULL: the names are the specs (',' as ';'), a file as before names;
     * else obj_names are reward names and these their specs, recorded as
     * "# reward NAME: SPEC" lines (rs_front_set_obj_specs) */
    const char *const *obj_specs;
    const char *lambdas_file; /* λ rows, one comma-separated row each; NULL: the lattice */
    int grid;                 /* the lattice's points per edge */
    int episodes;
    uint64_t seed;
    long threads;      /* 0: all cores */
    const char *model; /* MJCF variant, or NULL */
    int fisher;        /* Fisher-weighted soups (else linear) */
    long fisher_steps;
    /* the texts the user gave for these, recorded in the provenance and
     * compared on a resume as they were written */
    const char *episodes_arg, *seed_arg, *fisher_steps_arg;
    const char *init; /* the shared init's checkpoint, evaluated as an 'init' row, or NULL */
    int n_baselines;
    const char *const *baselines;
    const char *out;
    int resume;      /* complete an existing out */
    FILE *log;       /* notes and progress (NULL: nowhere) */
    const char *who; /* the prefix of its lines, e.g. "rsoup front" */
    int quiet;       /* notes only: no plan, no bar */
} rs_frontplan_req;

typedef struct rs_frontplan_res {
    rs_front *front; /* every row of the file when done (owned: rs_frontplan_res_free) */
    int present;     /* rows that were in the file already */
    int written;     /* rows evaluated and appended by this run */
    int eval_failed; /* the error came during the evaluation: the rows before it are kept */
} rs_frontplan_res;

int rs_frontplan_run(const rs_frontplan_req *req, rs_frontplan_res *res);
void rs_frontplan_res_free(rs_frontplan_res *res);

#endif

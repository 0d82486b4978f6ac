/* rs_lmcreport.h — `rsoup lmc`'s verdicts over one or more fronts of K >= 2
 * experts: every front's barrier along each edge of the λ simplex and,
 * with three or more experts, against the experts' plane inside it
 * (rs_lmc_simplex); over several fronts the mean barrier and area per edge
 * and reward with 95% bootstrap intervals; with twin fronts, each front's
 * same-reward floor. The CLI loads the fronts and prints; this module
 * computes (rs_lmcreport_run), writes the text (rs_lmcreport_print) and
 * builds the JSON (rs_lmcreport_json). With two experts the text and JSON
 * are those `rsoup lmc` printed before K experts existed. */
#ifndef RS_LMCREPORT_H
#define RS_LMCREPORT_H

#include <stdio.h>

#include "rs_lab.h"
#include "rs_lmc.h"
#include "rs_policy.h"

/* `rsoup lmc A B`: the soups θ(λ) = (1-λ) θ_A + λ θ_B at grid points from
 * λ = 0 to 1, evaluated as a front of soup rows to report on */
typedef struct rs_lmcpath_req {
    rs_st *const *experts; /* [2], checked to mix */
    const rs_env_spec *spec;
    int n_obj; /* the rewards: names and weights over spec's terms */
    const char *const *obj_names;
    const double (*obj_w)[RS_MAX_TERMS];
    int grid, episodes;
    uint64_t seed;
    long threads; /* 0: all cores */
    FILE *log;    /* the progress ("lmc: ..."); NULL: none */
    int quiet;    /* no progress */
} rs_lmcpath_req;
/* the front (rs_front_free), or NULL with the error set */
rs_front *rs_lmcreport_path(const rs_lmcpath_req *q);

typedef struct rs_lmcreport_req {
    const rs_front *const *fronts; /* [n], n >= 1, of one schema (rs_front_same_schema) */
    const char *const *files;      /* [n]: how the report names each front */
    int n;
    const rs_front *const *twins;  /* [n] or NULL: each front's same-reward twin front */
    const char *const *twin_files; /* [n] when twins */
    double rel_tol;
} rs_lmcreport_req;

typedef struct rs_lmcreport {
    int n, n_experts, n_obj;
    rs_lmc_simplex **sx; /* [n]: each front's verdicts */
    int *connected;      /* [n]: no barrier anywhere on that front */
    int connected_fronts;
    rs_lmc *floor;       /* [n] with twins: the twin's path on its first reward */
    int *above;          /* [n] with twins: some edge's barrier exceeds the floor */
    char (*expert)[128]; /* [n_experts]: the experts by their rows' labels in the first front,
                          * else "expert i" */
} rs_lmcreport;

#define RS_LMCREPORT_RULE                                                                          \
    "a barrier is a dip of more than 2 standard errors and more than the tolerance"

/* 0, or -1 (error set, naming the front: a path missing, a twin that is not
 * a 2-expert front) with *out left empty */
int rs_lmcreport_run(const rs_lmcreport_req *q, rs_lmcreport *out);
void rs_lmcreport_free(rs_lmcreport *r);
/* the report as text on out */
void rs_lmcreport_print(const rs_lmcreport_req *q, const rs_lmcreport *r, FILE *out);
/* the report as one JSON object (owned by the caller) */
cJSON *rs_lmcreport_json(const rs_lmcreport_req *q, const rs_lmcreport *r);
/* the twins whose first reward is not the fronts' first, as notes on out */
void rs_lmcreport_twin_notes(const rs_lmcreport_req *q, FILE *out);

#endif

/* rs_select.h — `rsoup select`: the row of a front that maximises a user's
 * utility, a weighted sum of its objectives or of its raw reward terms
 * (so that a reward nobody trained for is scored without new rollouts).
 * Refining around the chosen soup is rs_refine.h's. */
#ifndef RS_SELECT_H
#define RS_SELECT_H

#include "rs_frontfile.h"

/* A utility over the front's terms, "forward=1,ctrl=-0.1" (a bare name
 * weighs 1), into w[f->n_terms] (zeros elsewhere). 0, or -1 with an error
 * that starts with the quoted spec: a weight that is not a number, a term
 * the front does not have (the error lists its terms, naming path), a term
 * given twice, no term at all. */
int rs_select_parse_terms(const rs_front *f, const char *path, const char *spec, double *w);

/* A utility over the front's objectives by name, "risky=0.3,cautious=0.7"
 * (a named front's reward names, or an older front's column names, whose
 * weight follows their last '='), into w[f->n_obj]; objectives not named
 * weigh 0. 0, or -1 with the same errors as rs_select_parse_terms's. */
int rs_select_parse_weights(const rs_front *f, const char *path, const char *text, double *w);

typedef struct rs_select_best {
    int row;          /* the best row, or -1 when no candidate has a finite utility */
    double utility;   /* its utility */
    int n_candidates; /* rows of the kinds asked for */
    int n_skipped;    /* of them, those whose utility is not finite */
} rs_select_best;

/* The row of the kinds in mask with the largest utility w . x, x its
 * objectives or (by_terms) its terms; ties go to the first row. Returns
 * out->row. */
int rs_select_best_row(const rs_front *f, unsigned kinds, const double *w, int by_terms,
                       rs_select_best *out);

#endif

/* rs_frontscore.h — one front scored on its own (`rsoup pareto FILE`): the
 * rows of the kinds asked for in one block and the baseline rows in a
 * block of their own, each with its non-dominated set, hypervolume above
 * one reference point (given, or computed from both blocks' points with
 * rs_pareto_default_ref), expected utility over the uniform simplex
 * lattice and sparsity. Several fronts on one reference point are
 * rs_compare.h's.
 *
 * In two steps, so that the caller can read a reference point that needs
 * the objective count between them: open (select and check the rows),
 * score. Each returns 0 or -1 with the error set; release with
 * rs_frontscore_free. */
#ifndef RS_FRONTSCORE_H
#define RS_FRONTSCORE_H

#include "rs_frontfile.h"

/* the rows of some kinds, scored together */
typedef struct rs_frontscore_block {
    int n;           /* rows */
    int *rows;       /* [n] indices into the front */
    double *pts;     /* n x n_obj: their objectives */
    int *mask;       /* [n] 1 where the row is non-dominated (after scoring) */
    int n_nondom;    /* non-dominated rows, repeated points counted each */
    int cardinality; /* distinct non-dominated points */
    double hv, eum, sparsity;
    int below_ref; /* points not strictly above the reference point everywhere */
} rs_frontscore_block;

typedef struct rs_frontscore {
    const rs_front *front;   /* borrowed */
    int d;                   /* objectives */
    unsigned kinds;          /* the kinds of the main block (a plain CSV: its points) */
    unsigned baseline_kinds; /* baseline rows, unless the main block has them; 0 then */
    rs_frontscore_block main, baseline;
    double *ref; /* [d], set by rs_frontscore_score */
    int ref_computed;
} rs_frontscore;

/* The rows of f of the given kinds (a plain CSV's points whatever kinds
 * says) and its baseline rows. -1 (error set, naming path) when f has no
 * objectives, no rows of those kinds (the error lists the kinds it has),
 * a non-finite objective in a row of either block, or out of memory. */
int rs_frontscore_open(rs_frontscore *s, const rs_front *f, const char *path, unsigned kinds);
/* Score both blocks on ref[d] (NULL: the componentwise minimum of both
 * blocks' points minus margin times their range) with EUM's lattice
 * resolution eum_k (>= 1). -1 (error set) on a reference point that cannot
 * be computed or a metric that fails. */
int rs_frontscore_score(rs_frontscore *s, const double *ref, double margin, int eum_k);
void rs_frontscore_free(rs_frontscore *s); /* NULL-safe; leaves s zeroed */

/* The one finiteness check of a front's values (pareto, lmc, view): every
 * objective (with with_std, its std too) of the rows whose kind is in mask
 * is finite. 0, or -1 and an error naming the file, row and objective. */
int rs_front_check_finite(const char *path, const rs_front *f, unsigned mask, int with_std);
/* Two ';'-separated lists name the same policies in the same order: a run
 * folder stands for its policy file, paths are compared resolved ("a;b"
 * and "./a/policy.safetensors;b/" agree), and two files of the same bytes
 * are one expert (a copied or archived expert is still that expert).
 * 1 or 0. */
int rs_same_policies(const char *a, const char *b);
/* f was made from the experts paths[n], in order, as far as its provenance
 * says (rs_same_policies with its "# experts:" line): 1, also when it
 * records none; 0 when it names others. lmc, view and select --refine
 * refuse or set aside a front of other experts with this. */
int rs_front_made_from(const rs_front *f, const char *const *paths, int n);
/* The front file at path may stand for the soups of the experts paths[n]
 * (the viewer's figure draws it as the soup being watched): 0, error set,
 * when it records other experts or a soup or expert row holds a value that
 * is not finite; 1 otherwise, also when it is no regular file or does not
 * load (a pipe is read once, by its reader, who reports what cannot be
 * read). */
int rs_front_fits_experts(const char *path, const char *const *paths, int n);
/* the kinds of mask as "soup,expert" into buf */
void rs_front_kinds_text(char *buf, size_t cap, unsigned mask);
/* the rows of f of the kinds of mask, counted by kind: "21 soup, 2 expert"
 * ("none" when there are none) into buf */
void rs_front_counts_text(char *buf, size_t cap, const rs_front *f, unsigned mask);
/* Two files scored on one reference point score the same objectives:
 * fronts from `rsoup front` agree on experts and terms too
 * (rs_front_same_schema); a plain CSV only on the objectives, by name and
 * order. 0, or -1 (error set). */
int rs_front_same_objectives(const rs_front *a, const rs_front *b);

#endif

/* rs_frontfile.h — the front CSV that `rsoup front` writes and `rsoup pareto`
 * and `rsoup select` read, with resume support for interrupted runs.
 *
 * Format: one header row, then one row per evaluated point; comma-separated,
 * no quoting (labels and names never contain commas — the writer replaces
 * them with ';'):
 *
 *   kind,label,lambda:0,...,lambda:N-1,episodes,obj:<R1>,std:<R1>,...,
 *       term:<t1>,termstd:<t1>,...,length
 *
 *   kind      soup | expert | baseline | init   (point: see plain CSVs below)
 *   label     free text, e.g. "0.35" or a checkpoint's basename
 *   lambda:i  the mixing weight of expert i
 *   episodes  how many episodes the means are over
 *   obj:<R>   mean return under proxy reward R; std:<R> its std over episodes
 *   term:<t>  mean per-episode return of raw reward term t; termstd:<t> its std
 *   length    mean episode length
 *
 * The loader maps columns by name, so their order does not matter; an unknown
 * column is an error. Numbers are written in the shortest form that reads
 * back to the same double; nan and inf are allowed in the file (the metrics
 * reject them later). Blank lines and lines starting with '#' are skipped;
 * "# key: value" lines above the header are kept as provenance (below), and
 * "# reward NAME: SPEC" lines give the spec of the objective NAME (a front
 * whose columns are reward names; rs_front_set_obj_specs).
 *
 * Crash safety: rows are written one at a time and flushed, so an interrupted
 * run leaves its finished rows plus at most one partial row. rs_front_load
 * drops such a tail — a final line without '\n', or a final line with the
 * wrong number of fields — and reports it; rs_front_drop_tail cuts it off the
 * file so that new rows can be appended (`rsoup front --resume`).
 *
 * Plain CSVs: a file without a "kind" column is a plain table of
 * objective vectors (larger is better): a header of names (optional — a
 * first line that is all numbers is data, and the names are f1, f2, ...),
 * then one point per row. Every column is an objective and every row has
 * kind "point" and its 1-based row number as label; there are no experts,
 * terms, std or lengths (NaN). A final line without '\n' is kept when it
 * parses, since hand-written files often lack the last newline. */
#ifndef RS_FRONTFILE_H
#define RS_FRONTFILE_H

#include <stdio.h>

typedef enum {
    RS_KIND_SOUP,
    RS_KIND_EXPERT,
    RS_KIND_BASELINE,
    RS_KIND_INIT,
    RS_KIND_POINT, /* rows of a plain CSV */
    RS_KIND_COUNT
} rs_front_kind;

#define RS_KIND_BIT(k) (1u << (k))
#define RS_KINDS_ALL ((1u << RS_KIND_COUNT) - 1u)
/* λ equality for resume lookups */
#define RS_FRONT_LAMBDA_TOL 1e-9

const char *rs_front_kind_name(rs_front_kind k); /* "soup", ...; "?" if invalid */
/* "soup" -> RS_KIND_SOUP; -1 (error listing the kinds) if unknown */
int rs_front_kind_parse(const char *name, rs_front_kind *out);
/* "soup,expert" -> a mask of RS_KIND_BIT()s; -1 (error) on an unknown or
 * empty kind */
int rs_front_kinds_parse(const char *list, unsigned *mask);

/* One row as the caller sees it; arrays are borrowed. NULL arrays in
 * rs_front_add / rs_front_write_row stand for all-NaN. */
typedef struct rs_front_row {
    rs_front_kind kind;
    const char *label;
    const double *lambda; /* [n_experts] */
    int episodes;
    const double *obj, *std;      /* [n_obj] */
    const double *term, *termstd; /* [n_terms] */
    double length;
} rs_front_row;

/* A front held in memory: the schema, then the rows in flat row-major arrays
 * (row i's objectives are obj[i*n_obj .. i*n_obj + n_obj - 1]). */
typedef struct rs_front {
    int plain; /* 1 if loaded from a plain CSV */
    int n_experts, n_obj, n_terms;
    char **obj_names;  /* [n_obj] */
    char **term_names; /* [n_terms] */

    int n; /* rows */
    rs_front_kind *kind;
    char **label;
    double *lambda; /* [n * n_experts] */
    int *episodes;
    double *obj, *std;      /* [n * n_obj] */
    double *term, *termstd; /* [n * n_terms] */
    double *length;
    int cap;

    /* provenance: "# key: value" lines above the header, in file order
     * (rs_front_meta, rs_front_set_meta; written by rs_front_write_meta) */
    int n_meta;
    char **meta_key, **meta_val;

    /* the objectives' reward specs when the file names its rewards (a
     * "# reward NAME: SPEC" line per objective, below the provenance
     * lines), else NULL, as are the entries of objectives without such a
     * line: those are named by their spec (rs_front_obj_spec) */
    char **obj_specs; /* [n_obj] or NULL */

    /* set by rs_front_load: bytes of the file up to the end of the last
     * complete row, and the 1-based line of a dropped tail (0 if none) */
    long good_bytes;
    int tail_line;
    /* set by rs_front_load: the header's column names in file order (a
     * plain CSV without a header: f1, f2, ...); 0 and NULL otherwise */
    int n_cols;
    char **col_names;
} rs_front;

/* An empty front with this schema. Names must be non-empty, unique within
 * their list, and free of ',', '\n' and '\r'. NULL (error set) otherwise. */
rs_front *rs_front_new(int n_experts, int n_obj, const char *const *obj_names, int n_terms,
                       const char *const *term_names);
void rs_front_free(rs_front *f); /* NULL-safe */

/* Append a copy of a row. Returns its index, or -1 (error set). */
int rs_front_add(rs_front *f, const rs_front_row *r);
/* A view of row i (pointers into f, valid until f changes). */
rs_front_row rs_front_row_at(const rs_front *f, int i);

/* Provenance lines. Keys are lowercase words ([a-z_]); a value's newlines
 * become spaces. rs_front_meta: the last value of key, or NULL.
 * rs_front_write_meta writes every pair as "# key: value" lines, then the
 * reward lines of a named front (below), to go before the header; readers
 * that skip '#' lines see a plain front.
 * Keys rsoup writes: rsoup (version and commit), machine, experts (paths,
 * ';'-separated), mixing (linear | fisher), episodes, seed. */
const char *rs_front_meta(const rs_front *f, const char *key);
int rs_front_set_meta(rs_front *f, const char *key, const char *value);
int rs_front_write_meta(FILE *fp, const rs_front *f);

/* Named rewards. rs_front_set_obj_specs: f's objective names are reward
 * names and specs[n_obj] their specs (no line breaks); the writers then
 * add a "# reward NAME: SPEC" line per objective after the provenance
 * lines, so that readers take the weights from the file rather than from
 * a column name. A front without them is written as before names existed.
 * rs_front_obj_spec: objective k's spec, from its line, else (an older
 * file, a front whose columns are specs) its name with ';' read back as
 * ',' into buf. rs_front_obj_named: 1 when objective k has a spec line. */
int rs_front_set_obj_specs(rs_front *f, const char *const *specs);
const char *rs_front_obj_spec(const rs_front *f, int k, char *buf, size_t n);
int rs_front_obj_named(const rs_front *f, int k);

/* Writers for a file built row by row: the header line for f's schema, then
 * one line per row; each call flushes the stream so that a crash keeps every
 * finished row. The row's arrays follow f's schema. Returns 0, or -1 (error
 * set) on a write error. A plain front writes a plain CSV header/row. */
int rs_front_write_header(FILE *fp, const rs_front *f);
int rs_front_write_row(FILE *fp, const rs_front *f, const rs_front_row *r);
/* Write the whole front to path with rs_write_atomic (temporary file,
 * fsync, rename, fsync of the folder). */
int rs_front_save(const rs_front *f, const char *path);

/* A front file made in one step, for `rsoup front`: path holding f's
 * provenance lines and header and nothing else, or no path at all, whatever
 * stops the write (a kill, a full disk). Written to path.tmp.PID, fsynced,
 * then linked to path, which never replaces an existing file. 0, 1 when path
 * already exists (nothing changed), -1 (error set). */
int rs_front_create(const char *path, const rs_front *f);
/* The provenance lines and header (what rs_front_create writes) onto fp. */
int rs_front_write_head(FILE *fp, const rs_front *f);
/* 1 when the file holds a complete header line (a line that is neither blank
 * nor a '#' comment, ending in '\n'), 0 when it does not (empty, comments
 * only, or a header cut short: a start that never finished), -1 (error set)
 * when it cannot be read. */
int rs_front_has_header(const char *path);

/* Load a front CSV or a plain CSV. Every complete row is loaded; a partial
 * final row (see above) is dropped and *truncated_tail (if non-NULL) set to
 * 1, else 0. Errors (NULL, message naming the file and the 1-based line): an
 * unreadable or empty file, a bad header, a row in the middle of the file
 * with the wrong number of fields, a malformed number or an unknown kind. */
rs_front *rs_front_load(const char *path, int *truncated_tail);

/* A number as the loader reads one: the whole of s is what strtod reads
 * (C locale: decimal, hex, inf, nan). 0, or -1 (nothing stored, no error). */
int rs_front_parse_num(const char *s, double *out);

/* Cut a partial final row off the file at path, so rows can be appended.
 * Returns 1 if a tail was cut, 0 if the file was complete, -1 (error set). */
int rs_front_drop_tail(const char *path);

/* 0 if a and b have the same kind of file, experts count, objectives and
 * term names (in order); -1 and an error naming the difference. Two
 * objectives are the same when their specs are (rs_front_obj_spec) and,
 * where both files name them, their names too: a named front and an older
 * one of the same rewards compare as one schema. */
int rs_front_same_schema(const rs_front *a, const rs_front *b);

/* Rows whose kind is in the mask: their indices into the caller's rows[f->n]
 * (may be NULL); returns how many. */
int rs_front_select(const rs_front *f, unsigned kinds, int *rows);

/* The objective matrix (count x n_obj, row-major) of the rows whose kind is
 * in the mask, in file order; owned, release with free(). *n gets the count,
 * rows (optional, caller's buffer of f->n) their indices. NULL (error set)
 * on allocation failure; a front with no such rows gives a valid empty
 * allocation and *n = 0. */
double *rs_front_obj_new(const rs_front *f, unsigned kinds, int *n, int *rows);

/* Index of the first row whose kind is in the mask and whose λ equals
 * lambda[n_experts] within RS_FRONT_LAMBDA_TOL in every component; -1 if
 * none. */
int rs_front_find_lambda(const rs_front *f, const double *lambda, unsigned kinds);

/* Column lookups: the index of objective/term name, or -1. */
int rs_front_obj_index(const rs_front *f, const char *name);
int rs_front_term_index(const rs_front *f, const char *name);

#endif

/* rs_progress.h — progress display for long work: a one-line bar with rate,
 * ETA and a status text on a terminal, fitted to its width; periodic log
 * lines otherwise.
 *
 * Environment (set by `rsoup experiment` for its jobs): RSOUP_PROGRESS_LABEL
 * prefixes every line ("[expert_risky] train hopper ..."); RSOUP_PROGRESS=lines
 * asks for log lines even on a terminal (jobs running side by side would
 * otherwise draw their bars over each other on one line). */
#ifndef RS_PROGRESS_H
#define RS_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct rs_progress {
    FILE *out; /* where it is drawn (the CLI: stderr); NULL: nowhere */
    const char *what;
    double total;
    double t0, last_print;
    int tty;
    double log_every_s; /* non-terminal: seconds between lines */
    int quiet;
    char label[96]; /* "[job] " or "" */
} rs_progress;

/* out: where to draw (a bar when it is a terminal, log lines otherwise);
 * NULL draws nothing */
void rs_progress_start(rs_progress *p, FILE *out, const char *what, double total);
/* done: units completed so far; status: free text (may be NULL) */
void rs_progress_update(rs_progress *p, double done, const char *status);
void rs_progress_finish(rs_progress *p, double done, const char *status);
/* rs_front_job's progress callback (ctx: an rs_progress): the episodes
 * done, with "N env steps" as the status */
void rs_progress_episodes(void *ctx, long episodes, long steps);

/* The bar's line for a terminal `width` columns wide, in at most width - 1
 * columns (the last one would wrap on some terminals): "WHAT [=====>   ]
 * NUMS STATUS". What gives way, in order: the bar narrows from 24 to 8
 * cells, the status is cut, the bar goes, the line is cut. Columns are
 * counted as UTF-8 characters and a character is never split. width <= 0:
 * no limit (a 24-cell bar). Writes at most cap bytes; returns the columns. */
int rs_progress_layout(char *out, size_t cap, int width, const char *what, double frac,
                       const char *nums, const char *status);
/* the width of the terminal f is (TIOCGWINSZ), or 0 when it is not one */
int rs_progress_term_width(FILE *f);

#endif

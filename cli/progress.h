/* progress.h — progress display for long work: a one-line bar with rate,
 * ETA and a status text on a terminal; periodic log lines otherwise. */
#ifndef RS_PROGRESS_H
#define RS_PROGRESS_H

typedef struct rs_progress {
    const char *what;
    double total;
    double t0, last_print;
    int tty;
    double log_every_s; /* non-terminal: seconds between lines */
    int quiet;
} rs_progress;

void rs_progress_start(rs_progress *p, const char *what, double total);
/* done: units completed so far; status: free text (may be NULL) */
void rs_progress_update(rs_progress *p, double done, const char *status);
void rs_progress_finish(rs_progress *p, double done, const char *status);

#endif

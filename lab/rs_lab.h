/* rs_lab.h — the lab floor's small shared pieces: files written the one atomic
 * way, a helper program run with its output kept off stdout, and numbers in
 * JSON. The lab (lab/) is library code between the soup and the rsoup
 * program: the experiment runner, the run-folder writer's pieces, provenance,
 * folder locks. It never prints to stdout and never exits; what it has to
 * say goes to a FILE * its caller passes (NULL: nothing). */
#ifndef RS_LAB_H
#define RS_LAB_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "rs_common.h"

/* ---- files ---- */
/* mkdir -p; 0 or -1 (errno set; ENAMETOOLONG for a path of RS_PATH_BUF
 * characters or more, refused whole rather than cut) */
int rs_lab_mkdir_p(const char *path);
int rs_lab_exists(const char *path);
/* write text (plus a newline if asked) to path with rs_write_atomic */
int rs_lab_write_file(const char *path, const char *text, int newline);

/* run argv[0] (looked up in PATH) with its stdout on out (NULL: discarded)
 * and its stderr on ours, and wait; 0 when it exits 0 */
int rs_lab_run_quiet(char *const *argv, FILE *out);

/* ---- JSON numbers ---- */
/* a number, or null when it is not finite (JSON has no NaN) */
cJSON *rs_lab_json_num(double v);
cJSON *rs_lab_json_nums(const double *v, int n);
/* {"mean": v, "lo": lo, "hi": hi, "n": n} of a bootstrap interval (the
 * statistic's name as the first key: "mean" or "iqm") */
struct rs_interval;
cJSON *rs_lab_json_interval_named(const struct rs_interval *iv, const char *stat);
#define rs_lab_json_interval(iv) rs_lab_json_interval_named(iv, "mean")

#endif

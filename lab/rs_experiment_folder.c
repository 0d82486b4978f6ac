/* rs_experiment_folder.c — an experiment's folder checked and prepared
 * (rs_experiment_folder.h). */
#include "rs_experiment_folder.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rs_lab.h"
#include "rs_lock.h"

static int has(const char *dir, const char *name) {
    char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat sb;
    return lstat(p, &sb) == 0;
}

/* why dir is taken by another experiment or job (NULL: it is not) */
static const char *taken(const char *dir) {
    if (has(dir, RS_EXP_MARKER) || has(dir, "pretrain/.started")) return "an experiment's folder";
    if (has(dir, ".started") || has(dir, ".done")) return "a job's folder (it holds its stamps)";
    if (rs_exp_path_busy(dir)) return "a folder that a running rsoup process writes";
    return NULL;
}

/* out and every folder above it, to the root (the nearest existing one
 * when out is new; out itself is ours to rerun) */
static int check_above(const char *out) {
    char p[RS_EXP_PATH];
    snprintf(p, sizeof p, "%s", out);
    struct stat sb;
    int self = stat(p, &sb) == 0;
    while (stat(p, &sb) != 0) {
        char *slash = strrchr(p, '/');
        if (!slash)
            snprintf(p, sizeof p, ".");
        else if (slash == p)
            p[1] = 0;
        else
            *slash = 0;
    }
    char *real = realpath(p, NULL);
    if (!real) {
        rs_set_error("cannot resolve %s: %s", p, strerror(errno));
        return -1;
    }
    int bad = 0;
    if (self && (has(real, ".started") || has(real, ".done"))) {
        rs_set_error("%s is a job's folder of another experiment (it holds its stamps): choose "
                     "another --out",
                     out);
        bad = 1;
    }
    for (int first = 1; !bad; first = 0) {
        const char *why = first && self ? NULL : taken(real);
        if (why) {
            rs_set_error("--out %s is inside %s, %s: an experiment may not write there; choose "
                         "another --out",
                         out, real, why);
            bad = 1;
        }
        char *slash = strrchr(real, '/');
        if (!slash || !strcmp(real, "/")) break;
        if (slash == real)
            slash[1] = 0;
        else
            *slash = 0;
    }
    free(real);
    return bad ? -1 : 0;
}

int rs_exp_check_place(const char *out, const rs_job_graph *g) {
    if (check_above(out) != 0) return -1;
    for (int r = 0; r < g->n_reps; r++) {
        const char *d = g->reps[r].dir;
        if (!strcmp(d, out)) continue;
        if (has(d, RS_EXP_MARKER) || rs_exp_path_busy(d)) {
            rs_set_error("%s is %s: choose another --out", d,
                         has(d, RS_EXP_MARKER) ? "another experiment's folder"
                                               : "in use by another rsoup process");
            return -1;
        }
    }
    for (int i = 0; i < g->n; i++)
        if (g->jobs[i].is_train && has(g->jobs[i].dir, RS_EXP_MARKER)) {
            rs_set_error("%s is another experiment's folder: choose another --out", g->jobs[i].dir);
            return -1;
        }
    return 0;
}

static int write_file(const char *dir, const char *name, const char *text, int newline) {
    char p[RS_EXP_PATH + 32];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    if (rs_lab_write_file(p, text, newline) == 0) return 0;
    rs_set_error("cannot write %s: %s", p, strerror(errno));
    return -1;
}

int rs_exp_prepare(const rs_exp_config *c, const char *out, const rs_job_graph *g,
                   void (*on_wait)(const char *dir)) {
    if (rs_lab_mkdir_p(out) != 0) {
        rs_set_error("cannot create %s: %s", out, strerror(errno));
        return -1;
    }
    /* one runner per experiment folder: a second one (a rerun while the
     * first still runs) would start the same jobs into the same folders */
    if (rs_lock_dir(out) < 0 || rs_lock_jobs(out, on_wait) < 0) return -1;
    /* the mark that keeps other experiments out of this folder */
    if (write_file(out, RS_EXP_MARKER, c->name, 1) != 0) return -1;
    for (int r = 0; c->n_seeds && r < g->n_reps; r++)
        if (rs_lab_mkdir_p(g->reps[r].dir) != 0) {
            rs_set_error("cannot create %s: %s", g->reps[r].dir, strerror(errno));
            return -1;
        }
    if (c->ppo_json[0] && write_file(out, "ppo.json", c->ppo_json, 0) != 0) return -1;
    if (c->ft_ppo_json[0] && write_file(out, "ppo_finetune.json", c->ft_ppo_json, 0) != 0)
        return -1;
    return 0;
}

const char *rs_exp_job_state(const rs_job_graph *g, const rs_job *j) {
    return rs_exp_stamp_matches(g, j, "done")      ? "up to date"
           : rs_exp_stamp_matches(g, j, "started") ? "resume"
                                                   : "run";
}

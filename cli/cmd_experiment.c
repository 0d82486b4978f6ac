/* cmd_experiment.c — `rsoup experiment CONFIG`: the whole rewarded-soups
 * protocol, from pretraining to plots and a report, resumable stage by
 * stage. See experiment.h for the job graph. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cli_soup.h"
#include "experiment.h"
#include "rs_fronteval.h"
#include "rs_frontfile.h"
#include "rs_mpi.h"
#include "rs_pareto.h"
#include "rs_ppo.h"
#include "rs_soup.h"
#include <time.h>

extern char **environ;

#define MAX_ARGS 48

typedef enum { J_PENDING, J_RUNNING, J_DONE, J_FAILED, J_SKIPPED } job_state;

typedef struct job {
    char name[64];
    char dir[1100];   /* the job's folder (stamps live here) */
    char out[1100];   /* what it produces (a folder for train, a file for front) */
    int is_train;
    char args[MAX_ARGS][1100];
    int nargs;
    int deps[16], ndeps;
    job_state state;
    pid_t pid;
    char desc[8192];  /* the exact command: the stamp */
    double t0;
    int rank;         /* where it runs */
} job;

typedef struct {
    job jobs[RS_EXP_MAX_JOBS];
    int n;
} job_graph;

static char g_self[1024];

static char *read_small(const char *path) { return rs_read_file(path, NULL); }

static job *add_job(job_graph *g, const char *name, const char *dir, int is_train) {
    job *j = &g->jobs[g->n++];
    memset(j, 0, sizeof *j);
    snprintf(j->name, sizeof j->name, "%s", name);
    snprintf(j->dir, sizeof j->dir, "%s", dir);
    j->is_train = is_train;
    return j;
}

static void arg(job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void arg(job *j, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->args[j->nargs++], sizeof j->args[0], fmt, ap);
    va_end(ap);
}

/* append text to a job's stamp (built in pieces: no snprintf into itself) */
static void desc_append(job *j, const char *text) {
    size_t k = strlen(j->desc), n = strlen(text);
    if (k + n + 1 > sizeof j->desc) n = sizeof j->desc - k - 1;
    memcpy(j->desc + k, text, n);
    j->desc[k + n] = 0;
}

static void finish_desc(job *j) {
    j->desc[0] = 0;
    for (int i = 0; i < j->nargs; i++) {
        if (i) desc_append(j, " ");
        desc_append(j, j->args[i]);
    }
}

/* the weighted sum of reward term vectors, as a term list */
static void scalarised(const rs_env_spec *s, const rs_exp_config *c, const double *mu, char *out, int n) {
    double w[RS_MAX_TERMS] = {0}, wr[RS_MAX_TERMS];
    for (int i = 0; i < c->n_rewards; i++) {
        rs_reward_parse(s, c->reward_specs[i], wr);
        for (int t = 0; t < s->n_terms; t++) w[t] += mu[i] * wr[t];
    }
    rs_reward_format(s, w, out, n);
}

static void build_graph(const rs_exp_config *c, const char *out, int threads, job_graph *g) {
    const rs_env_spec *s = rs_env_find(c->env);
    char dir[1100];
    g->n = 0;
    /* the trainer's hyperparameter overrides, as a file every run reads */
    char ppo_file[1100] = "";
    if (c->ppo_json[0]) snprintf(ppo_file, sizeof ppo_file, "%s/ppo.json", out);
#define TRAIN_COMMON(j, reward, steps, seed)                                                       \
    do {                                                                                           \
        arg(j, "train");                                                                           \
        arg(j, "--env");                                                                           \
        arg(j, "%s", c->env);                                                                      \
        arg(j, "--reward");                                                                        \
        arg(j, "%s", reward);                                                                      \
        arg(j, "--steps");                                                                         \
        arg(j, "%ld", (long)(steps));                                                              \
        arg(j, "--seed");                                                                          \
        arg(j, "%ld", (long)(seed));                                                               \
        arg(j, "--out");                                                                           \
        arg(j, "%s", j->dir);                                                                      \
        if (ppo_file[0]) {                                                                         \
            arg(j, "--config");                                                                    \
            arg(j, "%s", ppo_file);                                                                \
        }                                                                                          \
    } while (0)
    snprintf(dir, sizeof dir, "%s/pretrain", out);
    job *pre = add_job(g, "pretrain", dir, 1);
    TRAIN_COMMON(pre, c->pretrain_reward, c->pretrain_steps, c->pretrain_seed);
    int ipre = 0;
    int iexp[RS_EXP_MAX_REWARDS], imorl[RS_EXP_MAX_MU], ictl[RS_EXP_MAX_REWARDS];
    for (int i = 0; i < c->n_rewards; i++) {
        snprintf(dir, sizeof dir, "%s/expert_%s", out, c->reward_names[i]);
        job *j = add_job(g, "expert", dir, 1);
        snprintf(j->name, sizeof j->name, "expert_%s", c->reward_names[i]);
        TRAIN_COMMON(j, c->reward_specs[i], c->finetune_steps, c->seed + i);
        arg(j, "--init");
        arg(j, "%s/pretrain", out);
        j->deps[j->ndeps++] = ipre;
        iexp[i] = g->n - 1;
    }
    for (int k = 0; k < c->n_mu; k++) {
        char spec[512], nm[64];
        scalarised(s, c, c->mu[k], spec, sizeof spec);
        snprintf(nm, sizeof nm, "morl_%d", k);
        snprintf(dir, sizeof dir, "%s/%s", out, nm);
        job *j = add_job(g, nm, dir, 1);
        TRAIN_COMMON(j, spec, c->morl_steps, c->seed + 100 + k);
        arg(j, "--init");
        arg(j, "%s/pretrain", out);
        j->deps[j->ndeps++] = ipre;
        imorl[k] = g->n - 1;
    }
    if (c->control) {
        for (int i = 0; i < c->n_rewards; i++) {
            snprintf(dir, sizeof dir, "%s/control_%s", out, c->reward_names[i]);
            job *j = add_job(g, "control", dir, 1);
            snprintf(j->name, sizeof j->name, "control_%s", c->reward_names[i]);
            /* independent random inits: other seeds, no shared pretraining */
            TRAIN_COMMON(j, c->reward_specs[i], c->control_steps, c->seed + 1000 + 17 * i);
            ictl[i] = g->n - 1;
        }
    }
    /* the front of soups, with experts, MORL runs and the init in one file */
    char rewards[2048] = "";
    for (int i = 0; i < c->n_rewards; i++) {
        size_t k = strlen(rewards);
        snprintf(rewards + k, sizeof rewards - k, "%s%s", i ? ";" : "", c->reward_specs[i]);
    }
    snprintf(dir, sizeof dir, "%s", out);
    job *fr = add_job(g, "front", dir, 0);
    snprintf(fr->out, sizeof fr->out, "%s/front.csv", out);
    arg(fr, "front");
    for (int i = 0; i < c->n_rewards; i++) {
        arg(fr, "%s/expert_%s", out, c->reward_names[i]);
        fr->deps[fr->ndeps++] = iexp[i];
    }
    arg(fr, "--grid");
    arg(fr, "%d", c->grid);
    arg(fr, "--episodes");
    arg(fr, "%d", c->episodes);
    arg(fr, "--seed");
    arg(fr, "%ld", c->eval_seed);
    arg(fr, "--rewards");
    arg(fr, "%s", rewards);
    arg(fr, "--init");
    arg(fr, "%s/pretrain", out);
    fr->deps[fr->ndeps++] = ipre;
    if (c->n_mu) {
        char bl[4096] = "";
        for (int k = 0; k < c->n_mu; k++) {
            size_t n = strlen(bl);
            snprintf(bl + n, sizeof bl - n, "%s%s/morl_%d", k ? ";" : "", out, k);
            fr->deps[fr->ndeps++] = imorl[k];
        }
        arg(fr, "--baseline");
        arg(fr, "%s", bl);
    }
    arg(fr, "--out");
    arg(fr, "%s", fr->out);
    if (c->control) {
        job *cf = add_job(g, "control_front", dir, 0);
        snprintf(cf->out, sizeof cf->out, "%s/control_front.csv", out);
        arg(cf, "front");
        for (int i = 0; i < c->n_rewards; i++) {
            arg(cf, "%s/control_%s", out, c->reward_names[i]);
            cf->deps[cf->ndeps++] = ictl[i];
        }
        arg(cf, "--grid");
        arg(cf, "%d", c->grid);
        arg(cf, "--episodes");
        arg(cf, "%d", c->episodes);
        arg(cf, "--seed");
        arg(cf, "%ld", c->eval_seed);
        arg(cf, "--rewards");
        arg(cf, "%s", rewards);
        arg(cf, "--out");
        arg(cf, "%s", cf->out);
    }
    /* a job's stamp covers its inputs too: the hashes of its dependencies'
     * stamps (which cover theirs), so changing the fine-tuning budget redoes
     * the experts and everything built on them, but not the pretraining */
    /* ... and the env's own PPO set when the runs take it, so runs made
     * before the set existed (or changed) are not taken as up to date */
    const char *set = c->ppo_own_set ? rs_ppo_env_hparams_json(c->env) : NULL;
    for (int i = 0; i < g->n; i++) {
        job *j = &g->jobs[i];
        if (j->is_train) memcpy(j->out, j->dir, sizeof j->dir);
        finish_desc(j);
        char piece[160];
        if (j->is_train && c->ppo_json[0]) {
            snprintf(piece, sizeof piece, " [ppo.json@%016llx]",
                     (unsigned long long)rs_fnv1a64(c->ppo_json, strlen(c->ppo_json)));
            desc_append(j, piece);
        }
        if (j->is_train && set) {
            snprintf(piece, sizeof piece, " [%s's own hparams@%016llx]", c->env,
                     (unsigned long long)rs_fnv1a64(set, strlen(set)));
            desc_append(j, piece);
        }
        for (int d = 0; d < j->ndeps; d++) {
            const job *dj = &g->jobs[j->deps[d]];
            snprintf(piece, sizeof piece, " [after %s@%016llx]", dj->name,
                     (unsigned long long)rs_fnv1a64(dj->desc, strlen(dj->desc)));
            desc_append(j, piece);
        }
        (void)threads;
    }
#undef TRAIN_COMMON
}

/* stamps: <out>.started / <out>.done hold the job's command */
static void stamp_path(const job *j, const char *which, char *buf, size_t n) {
    if (j->is_train)
        snprintf(buf, n, "%s/.%s", j->dir, which);
    else
        snprintf(buf, n, "%s.%s", j->out, which);
}

static int stamp_matches(const job *j, const char *which) {
    char p[1200];
    stamp_path(j, which, p, sizeof p);
    char *s = rs_cli_exists(p) ? read_small(p) : NULL;
    int ok = s && !strcmp(s, j->desc);
    free(s);
    return ok;
}

static int remove_tree(const char *path) {
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    return system(cmd);
}

/* spawn `rsoup <argv...>` with stdout to logpath; returns the pid or -1 */
static pid_t spawn_rsoup(char *const *argv, const char *logpath) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, g_self, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        rs_set_error("cannot start rsoup: %s", strerror(rc));
        return -1;
    }
    return pid;
}

/* decide how the job runs (fresh or resumed), write its "started" stamp and
 * fill argv (strings in j->args / static buffers) and the stdout log path */
static int prepare_job(job *j, int threads, int quiet, char **argv, char *logp, size_t logn) {
    static char tbuf[16];
    int n = 0;
    argv[n++] = g_self;
    for (int i = 0; i < j->nargs; i++) argv[n++] = j->args[i];
    snprintf(tbuf, sizeof tbuf, "%d", threads);
    argv[n++] = "--threads";
    argv[n++] = tbuf;
    if (quiet) argv[n++] = "--quiet";
    /* a started job with the same command resumes; anything else starts over */
    int resume = stamp_matches(j, "started");
    if (j->is_train) {
        char ts[1200];
        snprintf(ts, sizeof ts, "%s/train.safetensors", j->dir);
        if (resume && rs_cli_exists(ts)) {
            n = 0;
            argv[n++] = g_self;
            argv[n++] = "train";
            argv[n++] = "--resume";
            argv[n++] = j->dir;
            argv[n++] = "--threads";
            argv[n++] = tbuf;
            if (quiet) argv[n++] = "--quiet";
        } else {
            resume = 0;
            remove_tree(j->dir);
        }
        rs_cli_mkdir_p(j->dir);
    } else {
        if (resume && rs_cli_exists(j->out)) argv[n++] = "--resume";
        else {
            resume = 0;
            unlink(j->out);
        }
    }
    argv[n] = NULL;
    char sp[1200];
    stamp_path(j, "started", sp, sizeof sp);
    if (rs_cli_write_file(sp, j->desc, 0) != 0) {
        rs_set_error("cannot write %s", sp);
        return -1;
    }
    if (j->is_train) snprintf(logp, logn, "%s/stdout.txt", j->dir);
    else snprintf(logp, logn, "%s.stdout.txt", j->out);
    return resume;
}

/* a remote job travels as its argv (after argv[0]) joined by \x1f, then the log path */
#define TAG_JOB 11
#define TAG_STOP 12
#define TAG_DONE 13

static int start_job(job *j, int threads, int quiet, int rank) {
    char *argv[MAX_ARGS + 8];
    char logp[1200];
    int resume = prepare_job(j, threads, quiet, argv, logp, sizeof logp);
    if (resume < 0) return -1;
    if (rank == 0) {
        j->pid = spawn_rsoup(argv, logp);
        if (j->pid < 0) return -1;
    } else {
        static char msg[65536];
        size_t k = 0;
        for (int i = 1; argv[i]; i++)
            k += (size_t)snprintf(msg + k, sizeof msg - k, "%s\x1f", argv[i]);
        snprintf(msg + k, sizeof msg - k, "%s", logp);
        if (rs_mpi_send_text(msg, rank, TAG_JOB) != 0) return -1;
        j->pid = 0;
    }
    j->rank = rank;
    j->state = J_RUNNING;
    j->t0 = rs_now();
    if (rank) fprintf(stderr, "experiment: [%s] started on rank %d%s\n", j->name, rank, resume ? " (resuming)" : "");
    else fprintf(stderr, "experiment: [%s] started%s\n", j->name, resume ? " (resuming)" : "");
    return 0;
}

/* ranks > 0: run the jobs rank 0 sends until it says stop */
static int worker_loop(void) {
    static char msg[65536];
    for (;;) {
        int tag;
        rs_mpi_recv_text(msg, sizeof msg, &tag);
        if (tag == TAG_STOP) return 0;
        char *argv[MAX_ARGS + 8];
        int n = 0;
        argv[n++] = g_self;
        char *s = msg, *sep;
        while ((sep = strchr(s, '\x1f')) && n < MAX_ARGS + 6) {
            *sep = 0;
            argv[n++] = s;
            s = sep + 1;
        }
        argv[n] = NULL;
        int status = -1;
        pid_t pid = spawn_rsoup(argv, s);
        if (pid > 0) waitpid(pid, &status, 0);
        char reply[32];
        snprintf(reply, sizeof reply, "%d", status);
        rs_mpi_send_text(reply, 0, TAG_DONE);
    }
}

static volatile sig_atomic_t g_interrupted = 0;
static void on_int(int s) {
    (void)s;
    g_interrupted = 1;
}

static void job_finished(job *j, int status, int *failed) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        char sp[1200];
        stamp_path(j, "done", sp, sizeof sp);
        rs_cli_write_file(sp, j->desc, 0);
        j->state = J_DONE;
        fprintf(stderr, "experiment: [%s] done in %.0f s\n", j->name, rs_now() - j->t0);
    } else {
        j->state = J_FAILED;
        *failed = 1;
        fprintf(stderr, "experiment: [%s] failed (%s %d); its output is in %s — rerun the same "
                        "command to resume\n",
                j->name, WIFEXITED(status) ? "exit" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), j->out);
    }
}

/* run the graph: `parallel` local slots on rank 0, plus one slot on every
 * other MPI rank (a work queue: rank 0 hands out ready jobs as slots free) */
static int run_graph(job_graph *g, int parallel, int threads_per_job, int quiet) {
    for (int i = 0; i < g->n; i++) {
        job *j = &g->jobs[i];
        char marker[1200];
        snprintf(marker, sizeof marker, "%s/policy.safetensors", j->dir);
        if (stamp_matches(j, "done") && rs_cli_exists(j->is_train ? marker : j->out)) {
            j->state = J_SKIPPED;
            fprintf(stderr, "experiment: [%s] up to date, skipped\n", j->name);
        }
    }
    const int R = rs_mpi_active() ? rs_mpi_size() : 1;
    int remote_busy[256] = {0};
    int local_running = 0, remote_running = 0, failed = 0;
    for (;;) {
        int pending = 0;
        for (int i = 0; i < g->n && !failed && !g_interrupted; i++) {
            job *j = &g->jobs[i];
            if (j->state != J_PENDING) continue;
            pending++;
            int ready = 1;
            for (int d = 0; d < j->ndeps; d++) {
                job_state ds = g->jobs[j->deps[d]].state;
                ready &= ds == J_DONE || ds == J_SKIPPED;
            }
            if (!ready) continue;
            int rank = -1;
            for (int r = 1; r < R && r < 256 && rank < 0; r++)
                if (!remote_busy[r]) rank = r;
            if (rank < 0 && local_running < parallel) rank = 0;
            if (rank < 0) continue;
            if (start_job(j, threads_per_job, quiet, rank) != 0) {
                fprintf(stderr, "experiment: %s\n", rs_last_error());
                failed = 1;
                break;
            }
            if (rank) remote_busy[rank] = 1, remote_running++;
            else local_running++;
        }
        if (local_running + remote_running == 0) {
            if (failed || g_interrupted) return -1;
            if (!pending) return 0;
            fprintf(stderr, "experiment: internal error: jobs blocked\n");
            return -1;
        }
        /* wait for a local child, or poll for a remote one */
        int status, got = 0;
        pid_t pid = waitpid(-1, &status, R > 1 ? WNOHANG : 0);
        if (pid > 0) {
            for (int i = 0; i < g->n; i++) {
                job *j = &g->jobs[i];
                if (j->state == J_RUNNING && j->rank == 0 && j->pid == pid) {
                    local_running--;
                    job_finished(j, status, &failed);
                }
            }
            got = 1;
        } else if (pid < 0 && errno != ECHILD && errno != EINTR && R == 1) {
            return -1;
        }
        if (R > 1) {
            char msg[64];
            int sender, tag;
            while (rs_mpi_poll_text(msg, sizeof msg, &sender, &tag)) {
                if (tag != TAG_DONE) continue;
                for (int i = 0; i < g->n; i++) {
                    job *j = &g->jobs[i];
                    if (j->state == J_RUNNING && j->rank == sender) {
                        remote_busy[sender] = 0;
                        remote_running--;
                        job_finished(j, atoi(msg), &failed);
                    }
                }
                got = 1;
            }
            if (!got) {
                struct timespec ts = {0, 20000000};
                nanosleep(&ts, NULL);
            }
        }
    }
}

/* ---- metrics and report ---- */
typedef struct {
    double hv_rs, hv_morl, hv_line, hv_experts, hv_control;
    double eum_rs, eum_morl, eum_line;
    double ref[RS_EXP_MAX_REWARDS];
    const char *ref_source;
    int n_rs, n_morl;
    rs_lmc lmc[RS_EXP_MAX_REWARDS], lmc_ctl[RS_EXP_MAX_REWARDS];
    double z[RS_EXP_MAX_REWARDS], z_ctl[RS_EXP_MAX_REWARDS];
    int have_ctl;
} metrics;

static void lmc_of(const rs_front *f, int k, rs_lmc *m, double *z) {
    int *rows = malloc(sizeof(int) * (size_t)f->n);
    int n = rs_front_select(f, RS_KIND_BIT(RS_KIND_SOUP), rows);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && f->lambda[rows[j] * 2 + 1] < f->lambda[rows[j - 1] * 2 + 1]; j--) {
            int t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    double *L = malloc(sizeof(double) * (size_t)n), *R = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        L[i] = f->lambda[rows[i] * 2 + 1];
        R[i] = f->obj[(size_t)rows[i] * f->n_obj + k];
    }
    rs_lmc_compute(L, R, n, m);
    *z = 0;
    for (int i = 0; i < n; i++)
        if (L[i] == m->barrier_lambda) {
            double se = f->std[(size_t)rows[i] * f->n_obj + k] / sqrt(f->episodes[rows[i]]);
            *z = se > 0 ? m->barrier / se : INFINITY;
        }
    free(L);
    free(R);
    free(rows);
}

static int compute_metrics(const rs_exp_config *c, const char *out, metrics *m) {
    memset(m, 0, sizeof *m);
    char p[1200];
    snprintf(p, sizeof p, "%s/front.csv", out);
    rs_front *f = rs_front_load(p, NULL);
    if (!f) return -1;
    const int d = f->n_obj;
    int n_rs, n_mo, n_ex;
    double *rs = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_SOUP), &n_rs, NULL);
    double *mo = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_BASELINE), &n_mo, NULL);
    double *ex = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_EXPERT), &n_ex, NULL);
    /* the experts' "line": the same λ grid applied to the experts' returns
     * (what soups would score if returns were linear in λ) */
    int *rows = malloc(sizeof(int) * (size_t)f->n);
    int nr = rs_front_select(f, RS_KIND_BIT(RS_KIND_SOUP), rows);
    double *line = calloc((size_t)nr * d + 1, sizeof(double));
    for (int r = 0; r < nr; r++)
        for (int k = 0; k < d; k++)
            for (int e = 0; e < n_ex && e < f->n_experts; e++)
                line[(size_t)r * d + k] += f->lambda[(size_t)rows[r] * f->n_experts + e] * ex[(size_t)e * d + k];
    rs_front *cf = NULL;
    snprintf(p, sizeof p, "%s/control_front.csv", out);
    double *ct = NULL;
    int n_ct = 0;
    if (c->control && rs_cli_exists(p)) {
        cf = rs_front_load(p, NULL);
        if (cf) ct = rs_front_obj_new(cf, RS_KIND_BIT(RS_KIND_SOUP), &n_ct, NULL);
    }
    /* one reference point for every front compared */
    if (c->has_ref) {
        memcpy(m->ref, c->ref, sizeof(double) * d);
        m->ref_source = "given in the config";
    } else {
        int n_all = n_rs + n_mo + n_ex + nr + n_ct;
        double *all = malloc(sizeof(double) * (size_t)n_all * d);
        double *q = all;
        memcpy(q, rs, sizeof(double) * n_rs * d), q += n_rs * d;
        memcpy(q, mo, sizeof(double) * n_mo * d), q += n_mo * d;
        memcpy(q, ex, sizeof(double) * n_ex * d), q += n_ex * d;
        memcpy(q, line, sizeof(double) * nr * d), q += nr * d;
        if (n_ct) memcpy(q, ct, sizeof(double) * n_ct * d);
        rs_pareto_default_ref(all, n_all, d, 0.05, m->ref);
        free(all);
        m->ref_source = "componentwise minimum of all evaluated points minus 5% of the range";
    }
    m->n_rs = n_rs;
    m->n_morl = n_mo;
    m->hv_rs = rs_hv(rs, n_rs, d, m->ref);
    m->hv_morl = n_mo ? rs_hv(mo, n_mo, d, m->ref) : NAN;
    m->hv_line = rs_hv(line, nr, d, m->ref);
    m->hv_experts = rs_hv(ex, n_ex, d, m->ref);
    m->hv_control = n_ct ? rs_hv(ct, n_ct, d, m->ref) : NAN;
    int K = d == 2 ? 100 : 20;
    m->eum_rs = rs_eum_uniform(rs, n_rs, d, K);
    m->eum_morl = n_mo ? rs_eum_uniform(mo, n_mo, d, K) : NAN;
    m->eum_line = rs_eum_uniform(line, nr, d, K);
    if (f->n_experts == 2)
        for (int k = 0; k < d; k++) lmc_of(f, k, &m->lmc[k], &m->z[k]);
    if (cf && cf->n_experts == 2) {
        m->have_ctl = 1;
        for (int k = 0; k < d; k++) lmc_of(cf, k, &m->lmc_ctl[k], &m->z_ctl[k]);
    }
    free(rs);
    free(mo);
    free(ex);
    free(ct);
    free(rows);
    free(line);
    rs_front_free(f);
    rs_front_free(cf);
    return 0;
}

static long steps_of(const rs_exp_config *c, int morl) {
    (void)morl;
    return c->finetune_steps;
}

static void write_report(const rs_exp_config *c, const char *out, const char *config_path,
                         const metrics *m) {
    char p[1200];
    snprintf(p, sizeof p, "%s/report.md", out);
    FILE *f = fopen(p, "w");
    if (!f) return;
    const int d = c->n_rewards;
    fprintf(f, "# Rewarded soups: %s\n\n", c->name);
    fprintf(f, "Config `%s`, env **%s**, %d proxy rewards:", config_path, c->env, d);
    for (int i = 0; i < d; i++) fprintf(f, "%s `%s` = `%s`", i ? "," : "", c->reward_names[i], c->reward_specs[i]);
    fprintf(f, ".\n\n");
    fprintf(f, "Protocol: pretrain on `%s` for %ld steps (shared init) → fine-tune one expert per "
               "reward for %ld steps each → soups on a λ grid (%d points per edge, %d deterministic "
               "episodes each) → MORL baseline: %d runs on scalarised rewards, %ld steps each from "
               "the same init → control: experts trained from independent random inits (%ld steps each).\n\n",
            c->pretrain_reward, c->pretrain_steps, c->finetune_steps, c->grid, c->episodes, c->n_mu,
            c->morl_steps, c->control_steps);
    fprintf(f, "![front](front.png)\n\n![returns along λ](lambda.png)\n\n");
    fprintf(f, "## Hypervolume\n\nReference point (");
    for (int k = 0; k < d; k++) fprintf(f, "%s%.6g", k ? ", " : "", m->ref[k]);
    fprintf(f, "): %s.\n\n", m->ref_source);
    fprintf(f, "| front | points | trainings after the init | hypervolume | expected utility |\n|---|---|---|---|---|\n");
    fprintf(f, "| rewarded soups | %d | %d × %ld steps | %.6g | %.6g |\n", m->n_rs, d, steps_of(c, 0), m->hv_rs, m->eum_rs);
    if (c->n_mu)
        fprintf(f, "| MORL (one run per μ) | %d | %d × %ld steps | %.6g | %.6g |\n", m->n_morl, c->n_mu,
                c->morl_steps, m->hv_morl, m->eum_morl);
    fprintf(f, "| experts' straight line | %d | — | %.6g | %.6g |\n", m->n_rs, m->hv_line, m->eum_line);
    fprintf(f, "| experts alone | %d | — | %.6g | |\n", d, m->hv_experts);
    if (isfinite(m->hv_control))
        fprintf(f, "| control soups (independent inits) | %d | — | %.6g | |\n", m->n_rs, m->hv_control);
    fprintf(f, "\n");
    if (c->n_mu && m->hv_morl > 0) {
        fprintf(f, "Rewarded soups reach **%.1f%%** of MORL's hypervolume with %d fine-tunings "
                   "instead of %d (compute ratio N/M = %.2f).\n\n",
                100 * m->hv_rs / m->hv_morl, d, c->n_mu,
                (double)d * c->finetune_steps / ((double)c->n_mu * c->morl_steps));
    }
    if (d == 2) {
        fprintf(f, "## Linear mode connectivity\n\n");
        fprintf(f, "| experts | reward | barrier | at λ | barrier / s.e. | area above the line |\n|---|---|---|---|---|---|\n");
        for (int k = 0; k < d; k++)
            fprintf(f, "| shared init | %s | %.4g | %.3g | %.2f | %+.4g |\n", c->reward_names[k],
                    m->lmc[k].barrier, m->lmc[k].barrier_lambda, m->z[k], m->lmc[k].area);
        if (m->have_ctl)
            for (int k = 0; k < d; k++)
                fprintf(f, "| independent inits | %s | %.4g | %.3g | %.2f | %+.4g |\n",
                        c->reward_names[k], m->lmc_ctl[k].barrier, m->lmc_ctl[k].barrier_lambda,
                        m->z_ctl[k], m->lmc_ctl[k].area);
        int h1 = m->z[0] <= 2 && m->z[1] <= 2;
        fprintf(f, "\nH1 (shared init ⇒ no barrier, soups at or above the line): **%s** "
                   "(a barrier counts when it exceeds 2 standard errors of the mean).",
                h1 ? "holds" : "does not hold");
        if (m->have_ctl) {
            int ctl_bar = m->z_ctl[0] > 2 || m->z_ctl[1] > 2;
            fprintf(f, " Control with independent inits: **%s**.",
                    ctl_bar ? "barrier, as expected" : "no significant barrier");
        }
        fprintf(f, "\n\n");
    }
    fprintf(f, "## Files\n\n`front.csv` (every point: λ, each reward's return mean/std, every term), "
               "`control_front.csv`, `metrics.json`, `*/log.jsonl` and `*/progress.csv` (training "
               "curves, plotted in `curves.png`), `*/policy.safetensors` (the experts, MORL runs and "
               "init).\n\n![learning curves](curves.png)\n");
    fclose(f);
}

static void write_metrics_json(const rs_exp_config *c, const char *out, const metrics *m) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddItemToObject(o, "reference_point", rs_cli_json_nums(m->ref, c->n_rewards));
    cJSON_AddStringToObject(o, "reference_point_source", m->ref_source);
    cJSON_AddItemToObject(o, "hv_rewarded_soups", rs_cli_json_num(m->hv_rs));
    cJSON_AddItemToObject(o, "hv_morl", rs_cli_json_num(m->hv_morl));
    cJSON_AddItemToObject(o, "hv_expert_line", rs_cli_json_num(m->hv_line));
    cJSON_AddItemToObject(o, "hv_experts", rs_cli_json_num(m->hv_experts));
    cJSON_AddItemToObject(o, "hv_control", rs_cli_json_num(m->hv_control));
    cJSON_AddItemToObject(o, "eum_rewarded_soups", rs_cli_json_num(m->eum_rs));
    cJSON_AddItemToObject(o, "eum_morl", rs_cli_json_num(m->eum_morl));
    cJSON_AddItemToObject(o, "eum_expert_line", rs_cli_json_num(m->eum_line));
    cJSON_AddItemToObject(o, "hv_ratio_rs_over_morl",
                          rs_cli_json_num(m->hv_morl > 0 ? m->hv_rs / m->hv_morl : NAN));
    if (c->n_rewards == 2) {
        cJSON *l = cJSON_AddArrayToObject(o, "lmc");
        for (int k = 0; k < 2; k++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "reward", c->reward_names[k]);
            cJSON_AddNumberToObject(x, "barrier", m->lmc[k].barrier);
            cJSON_AddItemToObject(x, "barrier_in_se", rs_cli_json_num(m->z[k]));
            cJSON_AddNumberToObject(x, "area_above_line", m->lmc[k].area);
            if (m->have_ctl) {
                cJSON_AddNumberToObject(x, "control_barrier", m->lmc_ctl[k].barrier);
                cJSON_AddItemToObject(x, "control_barrier_in_se", rs_cli_json_num(m->z_ctl[k]));
                cJSON_AddNumberToObject(x, "control_area_above_line", m->lmc_ctl[k].area);
            }
            cJSON_AddItemToArray(l, x);
        }
    }
    char *s = cJSON_Print(o);
    char p[1200];
    snprintf(p, sizeof p, "%s/metrics.json", out);
    rs_cli_write_file(p, s, 0);
    free(s);
    cJSON_Delete(o);
}

/* find experiments/plot_front.sh: beside the source tree the binary was built from */
static int run_plots(const char *out) {
    char script[1200];
    const char *cands[] = {"experiments/plot_front.sh", RSOUP_SOURCE_DIR "/experiments/plot_front.sh"};
    script[0] = 0;
    for (int i = 0; i < 2; i++)
        if (rs_cli_exists(cands[i])) {
            snprintf(script, sizeof script, "%s", cands[i]);
            break;
        }
    if (!script[0]) {
        fprintf(stderr, "experiment: experiments/plot_front.sh not found: no plots\n");
        return -1;
    }
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "bash '%s' '%s' >&2", script, out);
    return system(cmd) == 0 ? 0 : -1;
}

static void stop_workers(void) {
    if (!rs_mpi_active() || rs_mpi_rank() != 0) return;
    for (int r = 1; r < rs_mpi_size(); r++) rs_mpi_send_text("stop", r, TAG_STOP);
}

int cmd_experiment(int argc, char **argv) {
    static const rs_cmd_info info = {
        "experiment", "rsoup experiment CONFIG.json [--out DIR] [--jobs N]",
        "Run the rewarded-soups protocol described by CONFIG: pretrain a shared\n"
        "init, fine-tune one expert per proxy reward, evaluate the soups on a λ grid,\n"
        "train the MORL baseline (one run per weighting μ, from the same init), train\n"
        "control experts from independent inits, then compute the metrics\n"
        "(hypervolume of soups vs MORL vs the experts' line, LMC barrier), draw the\n"
        "plots and write DIR/report.md. Every stage is skipped when its outputs exist\n"
        "and match the config; a killed run resumes where it stopped.",
        "Config keys: name, env, rewards {name: spec}, pretrain {reward, steps, seed},\n"
        "finetune {steps}, seed, ppo {hyperparameters}, front {grid, episodes, seed},\n"
        "morl {mu: [...], steps}, control (true/false/{steps}), reference_point, threads.\n"
        "Shipped: experiments/quick.json, hopper_3obj.json, humanoid_paper.json."};
    rs_opt opts[] = {
        {"out", "DIR", "output folder (default: runs/<name>)", NULL, NULL, 0},
        {"jobs", "N", "trainings run at once (threads are shared among them)", "1", NULL, 0},
        {"threads", "T", "threads in all (0: all cores)", "0", NULL, 0},
        {"quiet", NULL, "no per-job progress bars", NULL, NULL, 0},
        {"dry-run", NULL, "print the jobs and what would be skipped, run nothing", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    if (np != 1) {
        fprintf(stderr, "rsoup experiment: give one CONFIG.json (see --help)\n");
        return 2;
    }
    long jobs, threads;
    if (rs_opt_long(opts, no, "jobs", 1, 256, &jobs) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads))
        return 2;
    char *text = rs_read_file(pos[0], NULL);
    if (!text) return rs_cli_fail("experiment");
    rs_exp_config c;
    rc = rs_exp_config_parse(text, pos[0], &c);
    free(text);
    if (rc) return rs_cli_fail(NULL);
    char out[1024];
    if (rs_opt_str(opts, no, "out")) snprintf(out, sizeof out, "%s", rs_opt_str(opts, no, "out"));
    else snprintf(out, sizeof out, "runs/%s", c.name);
    ssize_t L = readlink("/proc/self/exe", g_self, sizeof g_self - 1);
    if (L <= 0) {
        fprintf(stderr, "rsoup experiment: cannot locate the rsoup executable\n");
        return 1;
    }
    g_self[L] = 0;
    /* jobs are plain processes, never part of the MPI job */
    rs_mpi_scrub_env();
    if (rs_mpi_active() && rs_mpi_rank() > 0) return worker_loop();
    job_graph *g = calloc(1, sizeof *g);
    build_graph(&c, out, 0, g);
    int total_threads = threads ? (int)threads : (c.threads ? c.threads : rs_ncores());
    int per_job = total_threads / (int)jobs > 0 ? total_threads / (int)jobs : 1;
    if (rs_opt_flag(opts, no, "dry-run")) {
        for (int i = 0; i < g->n; i++) {
            job *j = &g->jobs[i];
            const char *st = stamp_matches(j, "done") ? "up to date" : stamp_matches(j, "started") ? "resume" : "run";
            printf("%-20s %-11s rsoup %s\n", j->name, st, j->desc);
        }
        stop_workers();
        free(g);
        return 0;
    }
    if (rs_cli_mkdir_p(out) != 0) {
        fprintf(stderr, "rsoup experiment: cannot create %s: %s\n", out, strerror(errno));
        stop_workers();
        free(g);
        return 1;
    }
    if (c.ppo_json[0]) {
        char p[1200];
        snprintf(p, sizeof p, "%s/ppo.json", out);
        rs_cli_write_file(p, c.ppo_json, 0);
    }
    if (rs_mpi_active())
        fprintf(stderr, "experiment %s: %d jobs over %d MPI ranks (+%ld local slot%s on rank 0), %d threads each -> %s\n",
                c.name, g->n, rs_mpi_size(), jobs, jobs > 1 ? "s" : "", per_job, out);
    else
        fprintf(stderr, "experiment %s: %d jobs, %ld at once, %d threads each -> %s\n", c.name, g->n,
                jobs, per_job, out);
    signal(SIGINT, on_int);
    double t0 = rs_now();
    rc = run_graph(g, (int)jobs, per_job, rs_opt_flag(opts, no, "quiet"));
    stop_workers();
    free(g);
    if (rc != 0) {
        fprintf(stderr, "rsoup experiment: stopped%s; rerun the same command to resume\n",
                g_interrupted ? " (interrupted)" : "");
        return 1;
    }
    metrics m;
    if (compute_metrics(&c, out, &m) != 0) return rs_cli_fail("metrics");
    write_metrics_json(&c, out, &m);
    run_plots(out);
    write_report(&c, out, pos[0], &m);
    fprintf(stderr, "experiment %s: done in %.0f s; report: %s/report.md\n", c.name, rs_now() - t0, out);
    printf("hypervolume: rewarded soups %.6g, MORL %.6g (ratio %.3f), experts' line %.6g\n", m.hv_rs,
           m.hv_morl, m.hv_morl > 0 ? m.hv_rs / m.hv_morl : NAN, m.hv_line);
    if (c.n_rewards == 2)
        printf("LMC barrier (shared init): %.4g / %.4g (%.1f / %.1f s.e.)%s\n", m.lmc[0].barrier,
               m.lmc[1].barrier, m.z[0], m.z[1], "");
    return 0;
}

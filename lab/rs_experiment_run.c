/* rs_experiment_run.c — running an experiment's job graph: local child
 * processes on rank 0, and one job at a time on every other MPI rank. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rs_experiment.h"
#include "rs_lab.h"
#include "rs_lock.h"
#include "rs_mpi.h"

extern char **environ;

static char g_self[RS_EXP_PATH];
static FILE *g_log;

void rs_exp_log_to(FILE *f) { g_log = f; }
FILE *rs_exp_log(void) { return g_log; }

void rs_exp_say(const char *fmt, ...) {
    if (!g_log) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g_log, fmt, ap);
    va_end(ap);
}

void rs_exp_set_self(const char *path) { snprintf(g_self, sizeof g_self, "%s", path); }

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

int rs_exp_path_busy(const char *path) {
    /* only folders and regular files: opening a FIFO or a device could block
     * or act. A shared lock, tried and dropped at once, fails exactly while
     * a writer holds its exclusive one; it never blocks and leaves nothing */
    struct stat sb;
    if (lstat(path, &sb) != 0 || !(S_ISDIR(sb.st_mode) || S_ISREG(sb.st_mode))) return 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return 0;
    int busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return busy;
}

static volatile sig_atomic_t g_interrupted = 0;

/* a job of a runner that was killed gets SIGTERM and saves before it exits:
 * its folder (or front file) stays locked for that while. Starting over or
 * resuming in it then would fail ("in use") or, worse, remove files it is
 * still writing, so wait for it, briefly. 0, or -1 (error set) */
#define WAIT_FREE_S 60
static int wait_until_free(const rs_job *j, const char *path) {
    for (int i = 0; rs_exp_path_busy(path); i++) {
        if (g_interrupted) {
            rs_set_error("interrupted while %s was in use", path);
            return -1;
        }
        if (i == 0)
            rs_exp_say(
                    "experiment: [%s] waits for %s: another rsoup process (an earlier run's "
                    "job, still stopping) is writing it\n",
                    j->name, path);
        if (i == WAIT_FREE_S * 10) {
            rs_set_error("%s is still in use by another rsoup process after %d s (another "
                         "experiment's job?): stop it, or choose another --out",
                         path, WAIT_FREE_S);
            return -1;
        }
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* decide how the job runs (fresh or resumed), write its "started" stamp and
 * fill argv (pointers into j->args and static buffers, NULL-terminated; room
 * for nargs + 8) and the stdout log path. 1: resuming, 0: fresh, -1: error */
static int prepare_job(const rs_job_graph *g, rs_job *j, int threads, int quiet, char **argv,
                       char *logp, size_t logn) {
    static char tbuf[16];
    int n = 0;
    argv[n++] = g_self;
    for (int i = 0; i < j->nargs; i++) argv[n++] = j->args[i];
    snprintf(tbuf, sizeof tbuf, "%d", threads);
    argv[n++] = "--threads";
    argv[n++] = tbuf;
    if (quiet) argv[n++] = "--quiet";
    if (wait_until_free(j, j->is_train ? j->dir : j->out) != 0) return -1;
    /* a started job with the same command resumes; anything else starts over */
    int resume = rs_exp_stamp_matches(g, j, "started");
    if (j->is_train) {
        char ts[RS_EXP_PATH + 32];
        snprintf(ts, sizeof ts, "%s/train.safetensors", j->dir);
        if (resume && rs_lab_exists(ts)) {
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
            if (rs_exp_remove_run_dir(j->dir) != 0) return -1;
        }
        if (rs_lab_mkdir_p(j->dir) != 0) {
            rs_set_error("cannot create %s: %s", j->dir, strerror(errno));
            return -1;
        }
    } else {
        if (resume && rs_lab_exists(j->out)) argv[n++] = "--resume";
        else {
            resume = 0;
            unlink(j->out);
        }
    }
    argv[n] = NULL;
    char sp[RS_EXP_PATH + 32];
    rs_exp_stamp_path(j, "started", sp, sizeof sp);
    if (rs_lab_write_file(sp, j->is_train ? j->desc : j->desc_here, 0) != 0) {
        rs_set_error("cannot write %s: %s", sp, strerror(errno));
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
#define MSG_MAX 65536

static int g_parallel = 1; /* local slots */

static int start_job(const rs_job_graph *g, rs_job *j, int threads, int quiet, int rank) {
    char **argv = calloc((size_t)j->nargs + 8, sizeof *argv);
    char logp[RS_EXP_PATH + 32];
    if (!argv) return -1;
    int resume = prepare_job(g, j, threads, quiet, argv, logp, sizeof logp);
    int rc = -1;
    if (resume < 0) goto out;
    if (rank == 0) {
        /* the job's progress names it; jobs side by side write log lines,
         * since their bars would overwrite each other on one terminal line */
        setenv("RSOUP_PROGRESS_LABEL", j->name, 1);
        if (g_parallel > 1) setenv("RSOUP_PROGRESS", "lines", 1);
        j->pid = spawn_rsoup(argv, logp);
        if (j->pid < 0) goto out;
    } else {
        static char msg[MSG_MAX];
        size_t k = 0;
        for (int i = 1; argv[i]; i++) {
            size_t n = strlen(argv[i]);
            if (k + n + 2 >= sizeof msg) {
                rs_set_error("[%s]: command too long to send to rank %d", j->name, rank);
                goto out;
            }
            memcpy(msg + k, argv[i], n);
            msg[k + n] = '\x1f';
            k += n + 1;
        }
        snprintf(msg + k, sizeof msg - k, "%s", logp);
        if (rs_mpi_send_text(msg, rank, TAG_JOB) != 0) goto out;
        j->pid = 0;
    }
    j->rank = rank;
    j->state = J_RUNNING;
    j->t0 = rs_now();
    if (rank) rs_exp_say("experiment: [%s] started on rank %d%s\n", j->name, rank, resume ? " (resuming)" : "");
    else rs_exp_say("experiment: [%s] started%s\n", j->name, resume ? " (resuming)" : "");
    rc = 0;
out:
    free(argv);
    return rc;
}

/* a worker's running child, so that a signal to the worker reaches it */
static volatile pid_t g_worker_child = 0;
static void on_signal(int s) {
    g_interrupted = s;
    if (g_worker_child > 0) kill(g_worker_child, SIGTERM);
}
static void catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int rs_exp_worker_loop(void) {
    static char msg[MSG_MAX];
    catch_signals();
    rs_lock_mark_runner();
    for (;;) {
        int tag;
        rs_mpi_recv_text(msg, sizeof msg, &tag);
        if (tag == TAG_STOP) return 0;
        int n = 1;
        for (const char *p = msg; *p; p++) n += *p == '\x1f';
        char **argv = calloc((size_t)n + 2, sizeof *argv);
        int status = -1;
        if (argv) {
            int k = 0;
            argv[k++] = g_self;
            char *s = msg, *sep;
            while ((sep = strchr(s, '\x1f'))) {
                *sep = 0;
                argv[k++] = s;
                s = sep + 1;
            }
            argv[k] = NULL;
            pid_t pid = spawn_rsoup(argv, s);
            g_worker_child = pid;
            if (pid > 0)
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                }
            g_worker_child = 0;
            free(argv);
        }
        char reply[32];
        snprintf(reply, sizeof reply, "%d", status);
        rs_mpi_send_text(reply, 0, TAG_DONE);
    }
}

void rs_exp_stop_workers(void) {
    if (!rs_mpi_active() || rs_mpi_rank() != 0) return;
    for (int r = 1; r < rs_mpi_size(); r++) rs_mpi_send_text("stop", r, TAG_STOP);
}

static int g_jobs_total, g_jobs_done;
static double g_t_start;

static void job_finished(rs_job *j, int status, int *failed) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        char sp[RS_EXP_PATH + 32];
        rs_exp_stamp_path(j, "done", sp, sizeof sp);
        if (rs_lab_write_file(sp, j->desc, 0) != 0) {
            rs_exp_say("experiment: [%s] finished but its stamp %s could not be written: %s\n",
                    j->name, sp, strerror(errno));
            j->state = J_FAILED;
            (*failed)++;
            return;
        }
        j->state = J_DONE;
        g_jobs_done++;
        rs_exp_say("experiment: [%s] done in %.0f s (%d of %d jobs done, %.0f s so far)\n", j->name,
                rs_now() - j->t0, g_jobs_done, g_jobs_total, rs_now() - g_t_start);
    } else if (g_interrupted) {
        /* stopped on request: it saved what it had and resumes next time */
        j->state = J_FAILED;
        (*failed)++;
        rs_exp_say("experiment: [%s] interrupted; it resumes when the command is rerun\n", j->name);
    } else {
        j->state = J_FAILED;
        (*failed)++;
        rs_exp_say("experiment: [%s] failed (%s %d); its output is in %s%s\n", j->name,
                WIFEXITED(status) ? "exit" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                j->is_train ? j->dir : j->out, j->is_train ? "/stdout.txt" : ".stdout.txt");
    }
}

/* pending jobs whose inputs failed can never run */
static void block_dependents(rs_job_graph *g) {
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < g->n; i++) {
            rs_job *j = &g->jobs[i];
            if (j->state != J_PENDING) continue;
            for (int d = 0; d < j->ndeps; d++) {
                rs_job_state ds = g->jobs[j->deps[d]].state;
                if (ds == J_FAILED || ds == J_BLOCKED) {
                    j->state = J_BLOCKED;
                    changed = 1;
                    rs_exp_say("experiment: [%s] not run: [%s] failed\n", j->name,
                            g->jobs[j->deps[d]].name);
                    break;
                }
            }
        }
    }
}

static void stop_children(rs_job_graph *g) {
    for (int i = 0; i < g->n; i++)
        if (g->jobs[i].state == J_RUNNING && g->jobs[i].rank == 0 && g->jobs[i].pid > 0)
            kill(g->jobs[i].pid, SIGTERM);
}

int rs_exp_run(rs_job_graph *g, int parallel, int threads_per_job, int quiet) {
    g_parallel = parallel;
    g_jobs_total = g->n;
    g_jobs_done = 0;
    g_t_start = rs_now();
    for (int i = 0; i < g->n; i++) {
        rs_job *j = &g->jobs[i];
        char marker[RS_EXP_PATH + 32];
        snprintf(marker, sizeof marker, "%s/policy.safetensors", j->dir);
        if (rs_exp_stamp_matches(g, j, "done") && rs_lab_exists(j->is_train ? marker : j->out)) {
            j->state = J_SKIPPED;
            g_jobs_done++;
            rs_exp_say("experiment: [%s] up to date, skipped\n", j->name);
        }
    }
    /* temporary stamps of a runner killed while it wrote them (the
     * experiment folder itself is swept when it is locked) */
    for (int r = 0; r < g->n_reps; r++)
        rs_lock_sweep_tmp(g->reps[r].dir, NULL);
    catch_signals();
    rs_lock_mark_runner();
    const int R = rs_mpi_active() ? rs_mpi_size() : 1;
    int *remote_busy = calloc((size_t)R + 1, sizeof(int));
    if (!remote_busy) return -2;
    /* jobs with the most work waiting on them (the pretrainings) start
     * first: with several replicates the next replicate's init trains while
     * this one's experts do, instead of every expert queueing ahead of it.
     * Dependencies come before their dependents in the graph, so one
     * backward pass counts (with repeats) what waits on each job. */
    int *unlocks = calloc((size_t)g->n + 1, sizeof(int));
    if (!unlocks) {
        free(remote_busy);
        return -2;
    }
    for (int i = g->n - 1; i >= 0; i--)
        for (int d = 0; d < g->jobs[i].ndeps; d++) unlocks[g->jobs[i].deps[d]] += 1 + unlocks[i];
    int local_running = 0, remote_running = 0, failed = 0, internal = 0, stopping = 0;
    for (;;) {
        if (g_interrupted && !stopping) {
            /* the children got the signal too when it came from the
             * terminal; a kill of the runner alone must reach them as well */
            stop_children(g);
            stopping = 1;
        }
        if (!g_interrupted) block_dependents(g);
        for (;;) {
            if (internal || g_interrupted) break;
            /* the ready job with the most work waiting on it */
            int i = -1;
            for (int k = 0; k < g->n; k++) {
                rs_job *c = &g->jobs[k];
                if (c->state != J_PENDING) continue;
                int ready = 1;
                for (int d = 0; d < c->ndeps; d++) {
                    rs_job_state ds = g->jobs[c->deps[d]].state;
                    ready &= ds == J_DONE || ds == J_SKIPPED;
                }
                if (ready && (i < 0 || unlocks[k] > unlocks[i])) i = k;
            }
            if (i < 0) break;
            rs_job *j = &g->jobs[i];
            int rank = -1;
            for (int r = 1; r < R && rank < 0; r++)
                if (!remote_busy[r]) rank = r;
            if (rank < 0 && local_running < parallel) rank = 0;
            if (rank < 0) break;
            if (start_job(g, j, threads_per_job, quiet, rank) != 0) {
                rs_exp_say("experiment: [%s] cannot start: %s\n", j->name, rs_last_error());
                j->state = J_FAILED;
                failed++;
                continue;
            }
            if (rank) remote_busy[rank] = 1, remote_running++;
            else local_running++;
        }
        if (local_running + remote_running == 0) {
            free(remote_busy);
            free(unlocks);
            if (internal) return -2;
            if (g_interrupted) return -1;
            int left = 0;
            for (int i = 0; i < g->n; i++) left += g->jobs[i].state == J_PENDING;
            if (left) {
                block_dependents(g);
                if (!failed) {
                    rs_exp_say("experiment: internal error: jobs blocked\n");
                    return -2;
                }
            }
            /* again at the end: a job of a killed runner that was still
             * stopping when this run swept at its start (a front killed
             * while it made its file) is gone by now, its temporary file
             * not yet */
            for (int r = 0; r < g->n_reps; r++)
                rs_lock_sweep_tmp(g->reps[r].dir, NULL);
            return failed ? 1 : 0;
        }
        /* wait for a local child, or poll for a remote one */
        int status, got = 0;
        pid_t pid = local_running ? waitpid(-1, &status, R > 1 ? WNOHANG : 0) : 0;
        if (pid > 0) {
            for (int i = 0; i < g->n; i++) {
                rs_job *j = &g->jobs[i];
                if (j->state == J_RUNNING && j->rank == 0 && j->pid == pid) {
                    local_running--;
                    job_finished(j, status, &failed);
                }
            }
            got = 1;
        } else if (pid < 0 && errno != EINTR) {
            rs_exp_say("experiment: waiting for jobs: %s\n", strerror(errno));
            internal = 1;
            local_running = 0;
        }
        if (R > 1) {
            char msg[64];
            int sender, tag;
            while (rs_mpi_poll_text(msg, sizeof msg, &sender, &tag)) {
                if (tag != TAG_DONE) continue;
                for (int i = 0; i < g->n; i++) {
                    rs_job *j = &g->jobs[i];
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

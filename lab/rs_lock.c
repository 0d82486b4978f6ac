/* rs_lock.c — one writer per folder, and jobs that do not outlive their runner.
 *
 * A folder is locked with flock(2) on the folder itself: the kernel drops the
 * lock when the holder exits, however it exits (kill -9 included), so a
 * stale lock cannot exist. The descriptor is close-on-exec and kept for the
 * life of the process. An experiment folder has a second lock, in the file
 * .jobs.lock, that its runner's jobs inherit (rs_lock_jobs). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_lock.h"

/* NAME.tmp.PID: the temporary file of an atomic write by process PID */
static long tmp_owner(const char *name, const char *prefix) {
    size_t np = prefix ? strlen(prefix) : 0;
    if (prefix && (strncmp(name, prefix, np) || strncmp(name + np, ".tmp.", 5))) return -1;
    const char *t = prefix ? name + np : strstr(name, ".tmp.");
    if (!t || t == name) return -1;
    const char *d = t + 5;
    if (!*d) return -1;
    for (const char *c = d; *c; c++)
        if (*c < '0' || *c > '9') return -1;
    return strtol(d, NULL, 10);
}

/* whether process pid still runs. A process that has exited but not yet
 * been reaped (a zombie: a job whose runner died waits for init to collect
 * it, which takes a while on a loaded machine) answers kill(pid, 0) like a
 * running one, yet it will never write again: /proc says which it is */
static int pid_running(long pid) {
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH) return 0;
    char p[64];
    snprintf(p, sizeof p, "/proc/%ld/stat", pid);
    FILE *f = fopen(p, "r");
    if (!f) return errno != ENOENT; /* gone meanwhile; otherwise assume it runs */
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* "pid (comm) S ...": the state follows the last ')' (comm may hold one) */
    const char *r = strrchr(buf, ')');
    if (!r || r[1] != ' ') return 1;
    return !(r[2] == 'Z' || r[2] == 'X' || r[2] == 'x');
}

int rs_lock_sweep_tmp(const char *dir, const char *prefix) {
    DIR *dp = opendir(dir);
    if (!dp) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        long pid = tmp_owner(e->d_name, prefix);
        if (pid <= 0 || pid == (long)getpid()) continue;
        /* a writer that still runs keeps its file */
        if (pid_running(pid)) continue;
        if (unlinkat(dirfd(dp), e->d_name, 0) == 0) n++;
    }
    closedir(dp);
    return n;
}

int rs_lock_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        rs_set_error("cannot open %s: %s", dir, strerror(errno));
        return -1;
    }
    /* a process that holds the lock may be gone already while a child it was
     * starting still has the descriptor, until that child's exec closes it:
     * a moment, so look again for a second before calling the folder busy */
    int r = -1;
    for (int i = 0; i < 20 && (r = flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EWOULDBLOCK; i++)
        usleep(50000);
    if (r != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            rs_set_error("%s is in use by another rsoup process (wait for it to finish, or stop it)",
                         dir);
        else
            rs_set_error("cannot lock %s: %s", dir, strerror(e));
        return -1;
    }
    /* what a writer killed here left half-written */
    rs_lock_sweep_tmp(dir, NULL);
    return fd; /* held until exit */
}

int rs_lock_jobs(const char *dir, void (*on_wait)(const char *dir)) {
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/.jobs.lock", dir) >= (int)sizeof path) {
        rs_set_error("path too long: %s", dir);
        return -1;
    }
    /* not close-on-exec: every job started from here holds it */
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW, 0644);
    if (fd < 0) {
        rs_set_error("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    int r = flock(fd, LOCK_EX | LOCK_NB);
    if (r != 0 && errno == EWOULDBLOCK) {
        if (on_wait) on_wait(dir);
        while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
        }
    }
    if (r != 0) {
        rs_set_error("cannot lock %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    /* the jobs that left temporary files are gone now */
    rs_lock_sweep_tmp(dir, NULL);
    return fd;
}

#define PARENT_ENV "RSOUP_RUNNER_PID"

void rs_lock_mark_runner(void) {
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv(PARENT_ENV, pid, 1);
}

void rs_lock_follow_runner(void) {
    const char *s = getenv(PARENT_ENV);
    if (!s) return;
    long want = strtol(s, NULL, 10);
    /* our own children (plots, a nested runner) follow us, not our runner */
    unsetenv(PARENT_ENV);
    if (want <= 0) return;
    if ((long)getppid() != want) {
        /* started further down (a plot script calling rsoup): not a job */
        if (kill((pid_t)want, 0) == 0 || errno == EPERM) return;
        /* the runner died between starting us and now */
        raise(SIGTERM);
        return;
    }
    /* SIGTERM stops a job the way an interrupt does: it saves and exits, and
     * the rerun of the experiment resumes it */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* the runner may have died before the call above */
    if ((long)getppid() != want) raise(SIGTERM);
}

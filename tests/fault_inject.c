/* fault_inject.c — an LD_PRELOAD shim for the fault tests (cli_faults.sh):
 * makes fsync, rename or fopen fail with a chosen errno, so that a test can
 * check what rsoup does when the disk gives way under a save.
 *
 *   FAULT_OP     fsync | rename | fopen   (unset: the shim does nothing;
 *                fopen: an fopen or open for writing)
 *   FAULT_ERRNO  EIO | ENOSPC | EACCES    (default EIO)
 *   FAULT_PATH   fail only for paths containing this text (default: any)
 *   FAULT_SKIP   let this many matching calls succeed first (default 0)
 *
 * Writes through stdio cannot be caught here (glibc calls its own write);
 * a full disk is tested with a small tmpfs instead. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int g_skipped;

static int wanted(const char *op, const char *path) {
    const char *want = getenv("FAULT_OP");
    if (!want || strcmp(want, op)) return 0;
    const char *sub = getenv("FAULT_PATH");
    if (sub && *sub && (!path || !strstr(path, sub))) return 0;
    const char *skip = getenv("FAULT_SKIP");
    if (skip && g_skipped < atoi(skip)) {
        g_skipped++;
        return 0;
    }
    const char *e = getenv("FAULT_ERRNO");
    errno = !e || !strcmp(e, "EIO") ? EIO : !strcmp(e, "ENOSPC") ? ENOSPC : EACCES;
    return 1;
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    if (wanted("fsync", path)) return -1;
    return real(fd);
}

int rename(const char *from, const char *to) {
    static int (*real)(const char *, const char *);
    if (!real) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (wanted("rename", to)) return -1;
    return real(from, to);
}

FILE *fopen(const char *path, const char *mode) {
    static FILE *(*real)(const char *, const char *);
    if (!real) real = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
    if (strpbrk(mode, "wa") && wanted("fopen", path)) return NULL;
    return real(path, mode);
}

/* rsoup opens its logs and temporary files with open(2) (O_NOFOLLOW,
 * O_EXCL): those opens for writing fail as fopen's do */
int open(const char *path, int flags, ...) {
    static int (*real)(const char *, int, ...);
    if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if ((flags & (O_WRONLY | O_RDWR)) && wanted("fopen", path)) return -1;
    return real(path, flags, mode);
}

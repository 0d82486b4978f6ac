/* rs_io.c — the one rule for where an output may go, the one atomic write
 * and the one content hash every writer and provenance record uses
 * (rs_common.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_common.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv_update(uint64_t h, const unsigned char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t rs_fnv1a64(const void *data, size_t len) { return fnv_update(FNV_OFFSET, data, len); }

uint64_t rs_file_hash(const char *path, char hex[17]) {
    hex[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rs_set_error("cannot open '%s': %s", path, strerror(errno));
        return 0;
    }
    unsigned char buf[65536];
    uint64_t h = FNV_OFFSET;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv_update(h, buf, got);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        rs_set_error("error reading '%s'", path);
        return 0;
    }
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
    return h;
}

/* make the rename itself durable; a failure here loses nothing already written */
static void fsync_parent_dir(const char *path) {
    char *dir = rs_strdup(path);
    if (!dir) return;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash == dir) {
        d = "/";
    } else if (slash) {
        *slash = 0;
        d = dir;
    }
    int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

static const char *kind_of(mode_t m) {
    if (S_ISDIR(m)) return "a folder";
    if (S_ISLNK(m)) return "a symbolic link";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

static void refuse(const char *path, mode_t m) {
    rs_set_error("cannot write '%s': it is %s (rsoup writes only regular files or new names, "
                 "and neither replaces nor writes through anything else: remove it or choose "
                 "another path)",
                 path, kind_of(m));
}

int rs_output_ok(const char *path) {
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT) return 0;
        int err = errno;
        rs_set_error("cannot write '%s': %s", path, strerror(err));
        errno = err;
        return -1;
    }
    if (S_ISREG(sb.st_mode)) return 0;
    refuse(path, sb.st_mode);
    errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
    return -1;
}

FILE *rs_fopen_output(const char *path, const char *mode) {
    const int append = mode[0] == 'a';
    /* O_NOFOLLOW: a link is refused, not followed; O_NONBLOCK: a FIFO
     * without a reader must not hold the open; no O_TRUNC before the file
     * is known to be a regular one */
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
                            (append ? O_APPEND : 0), 0666);
    if (fd < 0) {
        int err = errno;
        struct stat sb;
        if ((err == ELOOP || err == ENXIO || err == EISDIR) && lstat(path, &sb) == 0)
            refuse(path, sb.st_mode);
        else
            rs_set_error("cannot write '%s': %s", path, strerror(err));
        errno = err;
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) sb.st_mode = 0;
    if (!S_ISREG(sb.st_mode)) {
        refuse(path, sb.st_mode);
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if ((fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) ||
        (!append && ftruncate(fd, 0) != 0)) {
        int err = errno;
        rs_set_error("cannot write '%s': %s", path, strerror(err));
        close(fd);
        errno = err;
        return NULL;
    }
    FILE *f = fdopen(fd, append ? "a" : "w");
    if (!f) {
        int err = errno;
        rs_set_error("cannot write '%s': %s", path, strerror(err));
        close(fd);
        errno = err;
    }
    return f;
}

int rs_write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx) {
    if (rs_output_ok(path) != 0) return -1;
    size_t tlen = strlen(path) + 32;
    char *tmp = rs_malloc(tlen);
    if (!tmp) return -1;
    snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
    /* a temporary name left by a dead process of the same pid, or planted
     * as a link, is removed, not written through: the new file is created
     * here (O_EXCL) and is never a link (O_NOFOLLOW) */
    (void)unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f && fd >= 0) close(fd);
    if (!f) {
        int err = errno;
        rs_set_error("save '%s': cannot create temporary file '%s': %s", path, tmp, strerror(err));
        free(tmp);
        errno = err;
        return -1;
    }
    const char *what = NULL;
    int err = 0;
    errno = 0;
    if (write(f, ctx) != 0) {
        what = "write", err = errno;
    } else if (fflush(f) != 0) {
        what = "flush", err = errno;
    } else if (fsync(fileno(f)) != 0) {
        what = "fsync", err = errno;
    }
    if (fclose(f) != 0 && !what) what = "close", err = errno;
    if (!what && rename(tmp, path) != 0) what = "rename", err = errno;
    if (what) {
        rs_set_error("save '%s': %s of '%s' failed: %s", path, what, tmp,
                     err ? strerror(err) : "unknown error");
        unlink(tmp); /* nothing half-written stays behind */
    } else {
        fsync_parent_dir(path);
    }
    free(tmp);
    errno = err;
    return what ? -1 : 0;
}

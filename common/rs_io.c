/* rs_io.c — the one atomic write and the one content hash every writer and
 * provenance record uses (rs_common.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int rs_write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx) {
    size_t tlen = strlen(path) + 32;
    char *tmp = rs_malloc(tlen);
    if (!tmp) return -1;
    snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
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

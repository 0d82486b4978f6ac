/* rs_error.c — thread-local last-error message. */
#include "rs_common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static _Thread_local char g_error[RS_ERROR_MAX];

void rs_set_error(const char *fmt, ...) {
    /* callers often wrap the previous message ("...: %s", rs_last_error()):
     * format into a scratch buffer, so the argument is not overwritten
     * while it is read */
    char buf[sizeof g_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    memcpy(g_error, buf, sizeof buf);
}

const char *rs_last_error(void) { return g_error[0] ? g_error : "unknown error"; }

void rs_clear_error(void) { g_error[0] = 0; }

void *rs_malloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) rs_set_error("out of memory (%zu bytes)", n);
    return p;
}

void *rs_calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) rs_set_error("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *rs_block_new(size_t bytes) {
    size_t n = rs_align64(bytes ? bytes : 1);
    void *p = aligned_alloc(64, n);
    if (!p) {
        rs_set_error("out of memory (%zu bytes)", n);
        return NULL;
    }
    return memset(p, 0, n);
}

char *rs_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = rs_malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int rs_parse_number(const char *s, double lo, double hi, double *out) {
    if (!s) return -1;
    /* strtod would skip leading white space: the whole text is the number */
    if (!*s || isspace((unsigned char)*s)) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

/* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. A
 * pipe (`<(...)`, a FIFO) is let through only when allowed: a read of one
 * with no writer is an end of file, not a wait. Devices never are. */
static FILE *open_for_read(const char *path, const char *mode, int allow_pipe) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        rs_set_error("cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !(S_ISREG(sb.st_mode) || (allow_pipe && S_ISFIFO(sb.st_mode)))) {
        rs_set_error("'%s' is not a regular file", path);
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, mode);
    if (!f) {
        rs_set_error("cannot open '%s': %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

FILE *rs_fopen_regular(const char *path, const char *mode) { return open_for_read(path, mode, 0); }

char *rs_read_file(const char *path, size_t *len) {
    FILE *f = open_for_read(path, "rb", 1);
    if (!f) return NULL;
    /* a regular file too large is refused before a byte is read (a pipe, or
     * a file that grows, meets the same bound in the loop) */
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > RS_READ_MAX) {
        fclose(f);
        rs_set_error("'%s' is larger than %d MiB: not a file rsoup reads whole", path,
                     RS_READ_MAX >> 20);
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                rs_set_error("out of memory reading '%s'", path);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n > RS_READ_MAX) {
            free(buf);
            fclose(f);
            rs_set_error("'%s' is larger than %d MiB: not a file rsoup reads whole", path,
                         RS_READ_MAX >> 20);
            return NULL;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        rs_set_error("error reading '%s'", path);
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

const char *rs_byte_text(unsigned char c, char *buf, size_t n) {
    if (isgraph(c)) snprintf(buf, n, "'%c'", c);
    else snprintf(buf, n, "byte 0x%02x", c);
    return buf;
}

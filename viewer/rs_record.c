/* rs_record.c — raw RGB frames to an ffmpeg pipe, or numbered PNG files. */
#include "rs_record.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_png.h"

struct rs_recorder {
    rs_rec_kind kind;
    int w, h, fps;
    long frames;
    int dead;
    FILE *pipe; /* ffmpeg's stdin; written through its fd */
    int fd;
    char errfile[512]; /* ffmpeg's stderr, shown if it fails (a mkstemp file) */
    rs_png *png;
    char stem[RS_PATH_MAX + 1]; /* PNG frames: stem_000123.png */
    char name[RS_PATH_BUF];     /* scratch for one frame's file name */
    char target[RS_PATH_BUF];
};

int rs_ffmpeg_on_path(void) {
    const char *path = getenv("PATH");
    if (!path) return 0;
    char dir[4096];
    while (*path) {
        const char *c = strchr(path, ':');
        size_t n = c ? (size_t)(c - path) : strlen(path);
        if (n > 0 && n + 8 < sizeof dir) {
            memcpy(dir, path, n);
            memcpy(dir + n, "/ffmpeg", 8);
            if (access(dir, X_OK) == 0) return 1;
        }
        path += n + (c ? 1 : 0);
    }
    return 0;
}

/* 'text' with every ' written as '\'' : safe inside a sh command line */
static void shell_quote(char *dst, size_t cap, const char *s) {
    size_t k = 0;
    if (k + 1 < cap) dst[k++] = '\'';
    for (; *s && k + 5 < cap; s++) {
        if (*s == '\'') {
            memcpy(dst + k, "'\\''", 4);
            k += 4;
        } else {
            dst[k++] = *s;
        }
    }
    if (k + 1 < cap) dst[k++] = '\'';
    dst[k] = 0;
}

rs_recorder *rs_recorder_new(const char *path, int w, int h, int fps, int force_png) {
    if (!path || !*path || w < 2 || h < 2 || fps < 1) {
        rs_set_error("record: need a path, a frame size and a frame rate");
        return NULL;
    }
    if (strlen(path) > RS_PATH_MAX) {
        rs_set_error("record: a path of %zu characters is too long (at most %d)", strlen(path),
                     RS_PATH_MAX);
        return NULL;
    }
    rs_recorder *r = rs_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->w = w;
    r->h = h;
    r->fps = fps;
    r->fd = -1;
    size_t L = strlen(path);
    int want_png = force_png || !rs_ffmpeg_on_path() || (L >= 4 && !strcmp(path + L - 4, ".png"));
    if (!want_png) {
        r->kind = RS_REC_FFMPEG;
        /* quoted, each ' of a name is 4 characters */
        char q[4 * RS_PATH_MAX + 3], eq[4 * sizeof r->errfile + 3], cmd[sizeof q + sizeof eq + 256];
        shell_quote(q, sizeof q, path);
        /* a name nobody can guess or plant a link at: mkstemp makes the
         * file (O_EXCL, mode 0600) before the shell redirects into it */
        const char *td = getenv("TMPDIR");
        if (!td || !*td) td = "/tmp";
        int n = snprintf(r->errfile, sizeof r->errfile, "%s/rsoup_ffmpeg_XXXXXX", td);
        int efd = n > 0 && (size_t)n < sizeof r->errfile ? mkstemp(r->errfile) : -1;
        if (efd < 0) {
            rs_set_error("record: cannot make a log file for ffmpeg in %s: %s", td,
                         n > 0 && (size_t)n < sizeof r->errfile ? strerror(errno) : "path too long");
            free(r);
            return NULL;
        }
        close(efd);
        shell_quote(eq, sizeof eq, r->errfile);
        /* frames arrive bottom-up: vflip; yuv420p needs even sizes */
        snprintf(
            cmd, sizeof cmd,
            "ffmpeg -nostdin -loglevel error -y -f rawvideo -pixel_format rgb24 "
            "-video_size %dx%d -framerate %d -i - -vf 'vflip,crop=trunc(iw/2)*2:trunc(ih/2)*2' "
            "-pix_fmt yuv420p %s 2>%s",
            w, h, fps, q, eq);
        /* a dead ffmpeg must give EPIPE, not kill the viewer */
        signal(SIGPIPE, SIG_IGN);
        fflush(NULL);
        r->pipe = popen(cmd, "w");
        if (!r->pipe) {
            rs_set_error("record: cannot start ffmpeg: %s", strerror(errno));
            unlink(r->errfile);
            free(r);
            return NULL;
        }
        r->fd = fileno(r->pipe);
        snprintf(r->target, sizeof r->target, "%s (ffmpeg)", path);
    } else {
        r->kind = RS_REC_PNG;
        snprintf(r->stem, sizeof r->stem, "%s", path);
        char *dot = strrchr(r->stem, '.'), *slash = strrchr(r->stem, '/');
        if (dot && (!slash || dot > slash)) *dot = 0;
        r->png = rs_png_new(w, h);
        if (!r->png) {
            free(r);
            return NULL;
        }
        snprintf(r->target, sizeof r->target, "%s_%%06d.png", r->stem);
    }
    return r;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int rs_recorder_frame(rs_recorder *r, const unsigned char *rgb) {
    if (r->dead) {
        rs_set_error("record: the recording has stopped after an error");
        return -1;
    }
    if (r->kind == RS_REC_FFMPEG) {
        if (write_all(r->fd, rgb, (size_t)r->w * r->h * 3) != 0) {
            r->dead = 1;
            rs_set_error("record: ffmpeg stopped reading (%s); see %s", strerror(errno),
                         r->errfile);
            return -1;
        }
    } else {
        snprintf(r->name, sizeof r->name, "%s_%06ld.png", r->stem, r->frames);
        if (rs_png_write(r->png, rgb, 1, r->name) != 0) {
            r->dead = 1;
            return -1;
        }
    }
    r->frames++;
    return 0;
}

int rs_recorder_close(rs_recorder *r) {
    if (!r) return 0;
    int rc = r->dead ? -1 : 0;
    if (r->pipe) {
        int st = pclose(r->pipe);
        if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            char msg[512] = "";
            FILE *f = fopen(r->errfile, "r");
            if (f) {
                size_t k = fread(msg, 1, sizeof msg - 1, f);
                msg[k] = 0;
                fclose(f);
                for (char *c = msg; *c; c++)
                    if (*c == '\n') *c = ' ';
            }
            rs_set_error("record: ffmpeg failed (status %d)%s%s", st, msg[0] ? ": " : "", msg);
            rc = -1;
        }
        unlink(r->errfile);
    }
    rs_png_free(r->png);
    free(r);
    return rc;
}

rs_rec_kind rs_recorder_kind(const rs_recorder *r) { return r->kind; }
long rs_recorder_frames(const rs_recorder *r) { return r->frames; }
const char *rs_recorder_target(const rs_recorder *r) { return r->target; }

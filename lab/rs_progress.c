/* rs_progress.c — the progress bar. */
#include "rs_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rs_common.h"

void rs_progress_start(rs_progress *p, FILE *out, const char *what, double total) {
    p->out = out;
    p->what = what;
    p->total = total > 0 ? total : 1;
    p->t0 = p->last_print = rs_now();
    const char *mode = getenv("RSOUP_PROGRESS");
    p->tty = out && isatty(fileno(out)) && !(mode && !strcmp(mode, "lines"));
    p->log_every_s = 10.0;
    p->quiet = !out;
    const char *label = getenv("RSOUP_PROGRESS_LABEL");
    if (label && *label)
        snprintf(p->label, sizeof p->label, "[%.80s] ", label);
    else
        p->label[0] = 0;
}

static void fmt_time(double s, char *buf, size_t n) {
    if (!(s >= 0) || s > 1e7) {
        snprintf(buf, n, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void fmt_count(double x, char *buf, size_t n) {
    if (x >= 1e6) snprintf(buf, n, "%.2fM", x / 1e6);
    else if (x >= 1e4) snprintf(buf, n, "%.1fk", x / 1e3);
    else snprintf(buf, n, "%.0f", x);
}

/* columns of a UTF-8 string (continuation bytes take none) */
static int columns(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* append at most `cols` columns of s to out (len bytes used of cap), never
 * splitting a character; returns the columns appended */
static int append(char *out, size_t cap, size_t *len, const char *s, int cols) {
    int used = 0;
    while (*s) {
        size_t k = 1;
        while (s[k] && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        if (used + 1 > cols || *len + k + 1 > cap) break;
        memcpy(out + *len, s, k);
        *len += k;
        s += k;
        used++;
    }
    out[*len] = 0;
    return used;
}

int rs_progress_layout(char *out, size_t cap, int width, const char *what, double frac,
                       const char *nums, const char *status) {
    if (cap == 0) return 0;
    out[0] = 0;
    if (!status) status = "";
    if (frac < 0 || !(frac == frac)) frac = 0;
    if (frac > 1) frac = 1;
    const int avail = width > 0 ? width - 1 : 1 << 20;
    const int w_what = columns(what), w_nums = columns(nums), w_status = columns(status);
    /* "WHAT [BAR] NUMS" + (" STATUS") */
    const int fixed = w_what + 3 + 1 + w_nums; /* " [" + "] " around the bar */
    int bar = 24, status_cols = w_status;
    if (fixed + bar + (w_status ? 1 + w_status : 0) > avail) {
        /* narrow the bar, then cut the status, then drop the bar */
        int room = avail - fixed - (w_status ? 1 + w_status : 0);
        if (room >= 8)
            bar = room;
        else {
            bar = 8;
            status_cols = avail - fixed - bar - 1;
            if (status_cols < 1) status_cols = 0;
            if (fixed + bar > avail) bar = 0;
            if (!bar) {
                status_cols = avail - (w_what + 1 + w_nums) - 1;
                if (status_cols < 1) status_cols = 0;
            }
        }
    }
    char line[1024];
    size_t len = 0;
    line[0] = 0;
    append(line, sizeof line, &len, what, 1 << 20);
    if (bar) {
        char b[64];
        int filled = (int)(frac * bar);
        for (int i = 0; i < bar; i++)
            b[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
        b[bar] = 0;
        append(line, sizeof line, &len, " [", 2);
        append(line, sizeof line, &len, b, bar);
        append(line, sizeof line, &len, "] ", 2);
    } else
        append(line, sizeof line, &len, " ", 1);
    append(line, sizeof line, &len, nums, 1 << 20);
    if (status_cols > 0) {
        append(line, sizeof line, &len, " ", 1);
        append(line, sizeof line, &len, status, status_cols);
    }
    /* anything still too wide is cut */
    size_t olen = 0;
    return append(out, cap, &olen, line, avail);
}

int rs_progress_term_width(FILE *f) {
    struct winsize ws;
    int fd = fileno(f);
    if (!isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) return 0;
    return ws.ws_col;
}

static void print_line(rs_progress *p, double done, const char *status, int final) {
    double now = rs_now(), el = now - p->t0;
    double rate = el > 0 ? done / el : 0;
    double eta = rate > 0 ? (p->total - done) / rate : -1;
    char e[32], r[32], d[32], tot[32];
    fmt_time(final ? el : eta, e, sizeof e);
    fmt_count(rate, r, sizeof r);
    fmt_count(done, d, sizeof d);
    fmt_count(p->total, tot, sizeof tot);
    double frac = done / p->total;
    if (frac > 1) frac = 1;
    char nums[160], what[256];
    snprintf(nums, sizeof nums, "%3.0f%% %s/%s %s/s %s %s", 100 * frac, d, tot, r,
             final ? "took" : "ETA", e);
    snprintf(what, sizeof what, "%s%s", p->label, p->what);
    if (p->tty) {
        /* fitted to the terminal: a line that wraps leaves its first rows
         * behind on every redraw */
        char line[1024];
        rs_progress_layout(line, sizeof line, rs_progress_term_width(p->out), what, frac, nums,
                           status);
        fprintf(p->out, "\r\033[K%s", line);
        if (final) fputc('\n', p->out);
    } else {
        fprintf(p->out, "%s: %s %s\n", what, nums, status ? status : "");
    }
    fflush(p->out);
}

void rs_progress_update(rs_progress *p, double done, const char *status) {
    if (p->quiet) return;
    double now = rs_now();
    double every = p->tty ? 0.2 : p->log_every_s;
    if (now - p->last_print < every) return;
    p->last_print = now;
    print_line(p, done, status, 0);
}

void rs_progress_finish(rs_progress *p, double done, const char *status) {
    if (p->quiet) return;
    print_line(p, done, status, 1);
}

void rs_progress_episodes(void *ctx, long episodes, long steps) {
    rs_progress *p = ctx;
    char st[64];
    snprintf(st, sizeof st, "%ld env steps", steps);
    rs_progress_update(p, (double)episodes, st);
}

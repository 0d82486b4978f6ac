/* progress.c — the progress bar. */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "rs_common.h"

void rs_progress_start(rs_progress *p, const char *what, double total) {
    p->what = what;
    p->total = total > 0 ? total : 1;
    p->t0 = p->last_print = rs_now();
    p->tty = isatty(2);
    p->log_every_s = 10.0;
    p->quiet = 0;
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
    if (p->tty) {
        char bar[26];
        int w = (int)(frac * 24);
        for (int i = 0; i < 24; i++) bar[i] = i < w ? '=' : (i == w ? '>' : ' ');
        bar[24] = 0;
        fprintf(stderr, "\r\033[K%s [%s] %3.0f%% %s/%s %s/s %s %s %s", p->what, bar, 100 * frac, d,
                tot, r, final ? "took" : "ETA", e, status ? status : "");
        if (final) fputc('\n', stderr);
    } else {
        fprintf(stderr, "%s: %3.0f%% %s/%s %s/s %s %s %s\n", p->what, 100 * frac, d, tot, r,
                final ? "took" : "ETA", e, status ? status : "");
    }
    fflush(stderr);
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

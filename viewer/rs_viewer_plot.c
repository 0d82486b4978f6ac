/* rs_viewer_plot.c — the live Pareto figure: the front from `rsoup front`
 * (soups along λ, the experts), where the current λ sits on it, and the
 * running episode's proxy returns as they accumulate, with the last few
 * finished episodes. Drawn with mjvFigure / mjr_figure. */
#include "rs_viewer_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_soup.h"

/* line slots of the figure */
#define L_FRONT 0
#define L_EXPERT 1 /* n lines */
#define L_NOW(v) (1 + (v)->n)
#define L_TRAIL(v) (2 + (v)->n)
#define L_TIP(v) (3 + (v)->n)
#define L_EST(v) (4 + (v)->n)
#define L_PAST(v) (5 + (v)->n) /* RS_VIEW_PAST lines */

static const float k_palette[RS_VIEW_MAX_EXPERTS][3] = {
    {0.95f, 0.35f, 0.30f}, {0.35f, 0.60f, 1.00f}, {0.40f, 0.85f, 0.35f}, {0.85f, 0.45f, 0.95f},
    {1.00f, 0.60f, 0.20f}, {0.30f, 0.90f, 0.85f}, {0.95f, 0.85f, 0.40f}, {0.70f, 0.70f, 0.70f}};

static void load_front(rs_viewer *v) {
    const char *path = v->o.front;
    int tail = 0;
    rs_front *f = rs_front_load(path, &tail);
    if (!f) {
        rs_view_warn(v, "--front: %s; the figure shows the running episode only", rs_last_error());
        return;
    }
    if (tail) rs_view_warn(v, "--front %s: a partial last row was dropped", path);
    if (f->plain || f->n_experts != v->n) {
        rs_view_warn(v,
                     "--front %s has %d lambda column%s but %d expert%s loaded: it is not this "
                     "soup's front and is not drawn",
                     path, f->n_experts, f->n_experts == 1 ? "" : "s", v->n,
                     v->n == 1 ? " is" : "s are");
        rs_front_free(f);
        return;
    }
    if (f->n_obj < 2) {
        rs_view_warn(v, "--front %s has %d objective column%s; the figure needs two", path,
                     f->n_obj, f->n_obj == 1 ? "" : "s");
        rs_front_free(f);
        return;
    }
    v->order = rs_calloc((size_t)f->n + 1, sizeof(int));
    if (!v->order) {
        rs_front_free(f);
        return;
    }
    v->front = f;
    v->fx = 0;
    v->fy = 1;
    v->show_fig = 1;
}

/* the reward of an axis: the objective's spec as the front gives it (a
 * named front's reward line, else the column name read back as a spec:
 * "forward=1;ctrl=0.001" for "forward=1,ctrl=0.001"), else the expert in
 * the same position */
static int axis_reward(rs_viewer *v, int axis, int col) {
    if (v->front) {
        char buf[1024];
        const char *spec = rs_front_obj_spec(v->front, col, buf, sizeof buf);
        snprintf(v->axname[axis], sizeof v->axname[axis], "%.60s", v->front->obj_names[col]);
        if (rs_reward_parse(v->spec, spec, v->axw[axis]) == 0) return 0;
        if (col < v->n) {
            memcpy(v->axw[axis], v->rw[col], sizeof v->axw[axis]);
            if (!v->opened)
                rs_view_warn(v,
                             "--front objective '%s' is not a reward for %s; the running "
                             "episode is scored on expert %c's reward (%s) for it",
                             v->front->obj_names[col], v->spec->name, 'A' + col, v->reward[col]);
            return 0;
        }
        if (!v->opened)
            rs_view_warn(v,
                         "--front objective '%s' is not a reward for %s: the running episode "
                         "is not plotted",
                         v->front->obj_names[col], v->spec->name);
        return -1;
    }
    if (col >= v->n) return -1;
    memcpy(v->axw[axis], v->rw[col], sizeof v->axw[axis]);
    char name[64];
    snprintf(name, sizeof name, "%.60s", v->label[col]);
    memcpy(v->axname[axis], name, sizeof name);
    return 0;
}

int rs_view_plot_init(rs_viewer *v) {
    if (!v->front_tried) {
        v->front_tried = 1;
        if (v->o.front) load_front(v);
    }
    int nobj = v->front ? v->front->n_obj : v->n;
    if (v->fx < 0 || v->fx >= nobj) v->fx = 0;
    if (v->fy < 0 || v->fy >= nobj) v->fy = nobj > 1 ? 1 : 0;
    if (!v->front) {
        v->fx = 0;
        v->fy = 1;
    }
    int ok0 = axis_reward(v, 0, v->fx) == 0, ok1 = axis_reward(v, 1, v->fy) == 0;
    v->ax_live = ok0 && ok1;
    v->ntrail = 0;
    v->npast = v->past_next = 0;
    v->fig_ready = 0;
    rs_view_plot_order(v);
    return 0;
}

static double objv(const rs_front *f, int row, int col) {
    return f->obj[(size_t)row * f->n_obj + col];
}
static double lamv(const rs_front *f, int row, int i) {
    return f->lambda[(size_t)row * f->n_experts + i];
}

void rs_view_plot_order(rs_viewer *v) {
    v->n_order = 0;
    for (int i = 0; i < RS_VIEW_MAX_EXPERTS; i++)
        v->expert_row[i] = -1;
    const rs_front *f = v->front;
    if (!f) return;
    int n_soup = rs_front_select(f, RS_KIND_BIT(RS_KIND_SOUP), NULL);
    unsigned kinds = n_soup ? RS_KIND_BIT(RS_KIND_SOUP) : RS_KINDS_ALL;
    /* the experts: an expert row, else the soup at that vertex */
    for (int r = 0; r < f->n; r++) {
        for (int i = 0; i < v->n; i++) {
            if (fabs(lamv(f, r, i) - 1.0) > 1e-9) continue;
            int better = v->expert_row[i] < 0 || (f->kind[r] == RS_KIND_EXPERT &&
                                                  f->kind[v->expert_row[i]] != RS_KIND_EXPERT);
            if (better) v->expert_row[i] = r;
        }
    }
    int m = 0;
    for (int r = 0; r < f->n; r++) {
        if (!(kinds & RS_KIND_BIT(f->kind[r]))) continue;
        if (!isfinite(objv(f, r, v->fx)) || !isfinite(objv(f, r, v->fy))) continue;
        if (v->n > 2) {
            /* 3+ experts: the lattice is not a path; draw the non-dominated soups */
            int dominated = 0;
            for (int q = 0; q < f->n && !dominated; q++) {
                if (q == r || !(kinds & RS_KIND_BIT(f->kind[q]))) continue;
                double xq = objv(f, q, v->fx), yq = objv(f, q, v->fy);
                double xr = objv(f, r, v->fx), yr = objv(f, r, v->fy);
                dominated = xq >= xr && yq >= yr && (xq > xr || yq > yr);
            }
            if (dominated) continue;
        }
        v->order[m++] = r;
    }
    /* sort: along λ_B for two experts, along x otherwise (insertion sort: a
     * few dozen rows, at start-up or when the axes change) */
    for (int a = 1; a < m; a++) {
        int r = v->order[a], b = a - 1;
        double key = v->n == 2 ? lamv(f, r, 1) : objv(f, r, v->fx);
        while (b >= 0) {
            int q = v->order[b];
            double kq = v->n == 2 ? lamv(f, q, 1) : objv(f, q, v->fx);
            if (kq <= key) break;
            v->order[b + 1] = q;
            b--;
        }
        v->order[b + 1] = r;
    }
    v->n_order = m > mjMAXLINEPNT ? mjMAXLINEPNT : m;
}

void rs_view_plot_axes_value(const rs_viewer *v, const double *ret, double *x, double *y) {
    double a = 0, b = 0;
    for (int k = 0; k < v->spec->n_terms; k++) {
        a += v->axw[0][k] * ret[k];
        b += v->axw[1][k] * ret[k];
    }
    *x = a;
    *y = b;
}

void rs_view_plot_push(rs_viewer *v) {
    if (!v->ax_live || v->ntrail >= RS_VIEW_TRAIL) return;
    double x, y;
    rs_view_plot_axes_value(v, v->ret, &x, &y);
    v->trail[v->ntrail][0] = (float)x;
    v->trail[v->ntrail][1] = (float)y;
    v->ntrail++;
}

void rs_view_plot_episode_end(rs_viewer *v) {
    if (!v->ax_live) return;
    double x, y;
    rs_view_plot_axes_value(v, v->ret, &x, &y);
    v->past[v->past_next][0] = (float)x;
    v->past[v->past_next][1] = (float)y;
    v->past_next = (v->past_next + 1) % RS_VIEW_PAST;
    if (v->npast < RS_VIEW_PAST) v->npast++;
}

/* where the current λ sits on the front: interpolated along λ_B between
 * neighbouring soups (two experts), else the nearest soup in λ */
static int front_point(const rs_viewer *v, double *x, double *y) {
    const rs_front *f = v->front;
    const double *lam = v->mix->lambda;
    if (!f || v->n_order == 0) return -1;
    if (v->n == 2) {
        const int *o = v->order;
        int m = v->n_order;
        double l = lam[1];
        if (l <= lamv(f, o[0], 1) || m == 1) {
            *x = objv(f, o[0], v->fx);
            *y = objv(f, o[0], v->fy);
            return 0;
        }
        for (int a = 0; a + 1 < m; a++) {
            double la = lamv(f, o[a], 1), lb = lamv(f, o[a + 1], 1);
            if (l <= lb) {
                double t = lb > la ? (l - la) / (lb - la) : 0;
                *x = (1 - t) * objv(f, o[a], v->fx) + t * objv(f, o[a + 1], v->fx);
                *y = (1 - t) * objv(f, o[a], v->fy) + t * objv(f, o[a + 1], v->fy);
                return 0;
            }
        }
        *x = objv(f, o[m - 1], v->fx);
        *y = objv(f, o[m - 1], v->fy);
        return 0;
    }
    int best = -1;
    double bd = INFINITY;
    for (int r = 0; r < f->n; r++) {
        double d = 0;
        for (int i = 0; i < v->n; i++)
            d += fabs(lamv(f, r, i) - lam[i]);
        if (d < bd && isfinite(objv(f, r, v->fx)) && isfinite(objv(f, r, v->fy))) {
            bd = d;
            best = r;
        }
    }
    if (best < 0) return -1;
    *x = objv(f, best, v->fx);
    *y = objv(f, best, v->fy);
    return 0;
}

static void configure(rs_viewer *v) {
    mjvFigure *g = v->fig;
    mjv_defaultFigure(g);
    g->flg_legend = 0; /* drawn under the figure instead: it would hide the front */
    g->flg_extend = 0;
    g->flg_ticklabel[0] = g->flg_ticklabel[1] = 1;
    g->gridsize[0] = 5;
    g->gridsize[1] = 5;
    g->linewidth = 2.0f;
    const float fig[4] = {0.05f, 0.06f, 0.09f, 0.85f}, pane[4] = {0.12f, 0.13f, 0.17f, 0.9f};
    memcpy(g->figurergba, fig, sizeof fig);
    memcpy(g->panergba, pane, sizeof pane);
    snprintf(g->xformat, sizeof g->xformat, "%%.0f");
    snprintf(g->yformat, sizeof g->yformat, "%%.0f");
    snprintf(g->minwidth, sizeof g->minwidth, "-0000");
    snprintf(g->title, sizeof g->title, "%s: y = %.40s", v->front ? "Pareto front" : "returns",
             v->axname[1]);
    snprintf(g->xlabel, sizeof g->xlabel, "x = %.80s", v->axname[0]);
    static const float white[3] = {0.92f, 0.92f, 0.92f}, gold[3] = {1.0f, 0.82f, 0.1f},
                       cyan[3] = {0.3f, 0.95f, 1.0f}, grey[3] = {0.55f, 0.62f, 0.8f};
    for (int l = 0; l < mjMAXLINE; l++)
        g->linename[l][0] = 0;
    memcpy(g->linergb[L_FRONT], white, sizeof white);
    snprintf(g->linename[L_FRONT], sizeof g->linename[0], "%s",
             v->n > 2 ? "front (non-dominated soups)" : "soups along lambda");
    for (int i = 0; i < v->n; i++) {
        memcpy(g->linergb[L_EXPERT + i], k_palette[i], sizeof k_palette[i]);
        snprintf(g->linename[L_EXPERT + i], sizeof g->linename[0], "expert %.60s", v->label[i]);
    }
    memcpy(g->linergb[L_NOW(v)], gold, sizeof gold);
    snprintf(g->linename[L_NOW(v)], sizeof g->linename[0], "current lambda");
    memcpy(g->linergb[L_TRAIL(v)], cyan, sizeof cyan);
    snprintf(g->linename[L_TRAIL(v)], sizeof g->linename[0], "this episode so far");
    memcpy(g->linergb[L_TIP(v)], cyan, sizeof cyan);
    /* magenta: at least 0.8 (summed over r, g, b) from every expert's colour
     * and every other line's, so it is never taken for expert C's green */
    static const float magenta[3] = {1.0f, 0.0f, 0.75f};
    memcpy(g->linergb[L_EST(v)], magenta, sizeof magenta);
    snprintf(g->linename[L_EST(v)], sizeof g->linename[0], "estimate (x%d steps)", RS_MAX_STEPS);
    for (int p = 0; p < RS_VIEW_PAST; p++)
        memcpy(g->linergb[L_PAST(v) + p], grey, sizeof grey);
    snprintf(g->linename[L_PAST(v)], sizeof g->linename[0], "past episodes");
    v->fig_ready = 1;
}

typedef struct {
    double x0, x1, y0, y1;
} box;

static void grow(box *b, double x, double y) {
    if (!isfinite(x) || !isfinite(y)) return;
    if (x < b->x0) b->x0 = x;
    if (x > b->x1) b->x1 = x;
    if (y < b->y0) b->y0 = y;
    if (y > b->y1) b->y1 = y;
}

/* (x, y) moved onto the box's border when it lies outside */
static void pin(const box *b, double *x, double *y) {
    *x = *x < b->x0 ? b->x0 : (*x > b->x1 ? b->x1 : *x);
    *y = *y < b->y0 ? b->y0 : (*y > b->y1 ? b->y1 : *y);
}

/* a diamond marker of half-size (rx, ry) around (x, y) into line l */
static void diamond(mjvFigure *g, int l, double x, double y, double rx, double ry) {
    const double dx[5] = {rx, 0, -rx, 0, rx}, dy[5] = {0, ry, 0, -ry, 0};
    for (int k = 0; k < 5; k++) {
        g->linedata[l][2 * k] = (float)(x + dx[k]);
        g->linedata[l][2 * k + 1] = (float)(y + dy[k]);
    }
    g->linepnt[l] = 5;
}

void rs_view_plot_update(rs_viewer *v) {
    mjvFigure *g = v->fig;
    if (!g) return;
    if (!v->fig_ready) configure(v);
    for (int l = 0; l < mjMAXLINE; l++)
        g->linepnt[l] = 0;
    const rs_front *f = v->front;
    /* The axes: with a front, the front alone, so they stay still while the
     * episode runs and the front fills the figure (the running estimate of
     * a hopper, whose episodes end near 300 steps, lies far beyond it); the
     * live points outside are drawn on the border. Without one, the live
     * points. */
    box b = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    if (f)
        for (int r = 0; r < f->n; r++)
            grow(&b, objv(f, r, v->fx), objv(f, r, v->fy));
    const int by_front = b.x1 >= b.x0;
    /* the running estimate: this episode's rates over a full-length episode,
     * comparable with the front's (full-episode) returns */
    double ex = NAN, ey = NAN;
    if (v->ax_live && v->t > 0) {
        rs_view_plot_axes_value(v, v->ret, &ex, &ey);
        ex *= (double)RS_MAX_STEPS / v->t;
        ey *= (double)RS_MAX_STEPS / v->t;
    }
    if (!by_front) {
        for (int k = 0; k < v->ntrail; k++)
            grow(&b, v->trail[k][0], v->trail[k][1]);
        for (int k = 0; k < v->npast; k++)
            grow(&b, v->past[k][0], v->past[k][1]);
        grow(&b, ex, ey);
    }
    if (!(b.x1 >= b.x0)) b = (box){0, 1, 0, 1};
    double wx = b.x1 - b.x0, wy = b.y1 - b.y0;
    if (wx <= 0) wx = fabs(b.x0) > 0 ? fabs(b.x0) : 1;
    if (wy <= 0) wy = fabs(b.y0) > 0 ? fabs(b.y0) : 1;
    b.x0 -= 0.06 * wx;
    b.x1 += 0.06 * wx;
    b.y0 -= 0.08 * wy;
    b.y1 += 0.08 * wy;
    g->range[0][0] = (float)b.x0;
    g->range[0][1] = (float)b.x1;
    g->range[1][0] = (float)b.y0;
    g->range[1][1] = (float)b.y1;
    double rx = 0.012 * (b.x1 - b.x0), ry = 0.02 * (b.y1 - b.y0);

    if (f) {
        for (int k = 0; k < v->n_order; k++) {
            g->linedata[L_FRONT][2 * k] = (float)objv(f, v->order[k], v->fx);
            g->linedata[L_FRONT][2 * k + 1] = (float)objv(f, v->order[k], v->fy);
        }
        g->linepnt[L_FRONT] = v->n_order;
        /* one non-dominated soup (three or more experts, one soup best on
         * both axes) makes a line of one point, which draws nothing */
        if (v->n_order == 1)
            diamond(g, L_FRONT, objv(f, v->order[0], v->fx), objv(f, v->order[0], v->fy), rx, ry);
        for (int i = 0; i < v->n; i++)
            if (v->expert_row[i] >= 0)
                diamond(g, L_EXPERT + i, objv(f, v->expert_row[i], v->fx),
                        objv(f, v->expert_row[i], v->fy), 1.5 * rx, 1.5 * ry);
        double x, y;
        if (front_point(v, &x, &y) == 0) diamond(g, L_NOW(v), x, y, 2.2 * rx, 2.2 * ry);
    }
    if (v->ax_live) {
        for (int k = 0; k < v->ntrail; k++) {
            double x = v->trail[k][0], y = v->trail[k][1];
            pin(&b, &x, &y);
            g->linedata[L_TRAIL(v)][2 * k] = (float)x;
            g->linedata[L_TRAIL(v)][2 * k + 1] = (float)y;
        }
        g->linepnt[L_TRAIL(v)] = v->ntrail;
        if (v->ntrail > 0)
            diamond(g, L_TIP(v), g->linedata[L_TRAIL(v)][2 * (v->ntrail - 1)],
                    g->linedata[L_TRAIL(v)][2 * (v->ntrail - 1) + 1], rx, ry);
        if (isfinite(ex) && isfinite(ey)) {
            pin(&b, &ex, &ey);
            diamond(g, L_EST(v), ex, ey, 1.4 * rx, 1.4 * ry);
        }
        for (int k = 0; k < v->npast; k++) {
            double x = v->past[k][0], y = v->past[k][1];
            pin(&b, &x, &y);
            diamond(g, L_PAST(v) + k, x, y, 0.8 * rx, 0.8 * ry);
        }
    }
}

void rs_view_plot_legend(rs_viewer *v, mjrRect fig) {
    const mjvFigure *g = v->fig;
    int lines[mjMAXLINE], m = 0;
    for (int l = 0; l < mjMAXLINE && m < mjMAXLINE; l++)
        if (g->linepnt[l] > 0 && g->linename[l][0]) lines[m++] = l;
    int rows = (m + 1) / 2, h = v->con.charHeight + 6, w = fig.width / 2;
    for (int k = 0; k < m; k++) {
        const float *c = g->linergb[lines[k]];
        mjrRect r = {fig.left + (k % 2) * w, fig.bottom - (k / 2 + 1) * h, w, h};
        mjr_label(r, mjFONT_NORMAL, g->linename[lines[k]], 0.05f, 0.06f, 0.09f, 0.85f, c[0], c[1],
                  c[2], &v->con);
    }
    (void)rows;
}

int rs_view_plot_legend_rows(const rs_viewer *v) {
    const mjvFigure *g = v->fig;
    int m = 0;
    for (int l = 0; l < mjMAXLINE; l++)
        m += g->linepnt[l] > 0 && g->linename[l][0];
    return (m + 1) / 2;
}

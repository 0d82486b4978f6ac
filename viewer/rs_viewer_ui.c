/* rs_viewer_ui.c — the mjui panel (λ sliders, simulation and view
 * controls), the keyboard, and the text overlays. */
#include "rs_viewer_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the panel ---- */

static void def(rs_viewer *v, int *k, int type, const char *name, int state, void *pdata,
                const char *other) {
    if (*k >= RS_VIEW_MAXDEFS - 1) return;
    mjuiDef *d = &v->defs[(*k)++];
    d->type = type;
    snprintf(d->name, sizeof d->name, "%.39s", name);
    d->state = state;
    d->pdata = pdata;
    snprintf(d->other, sizeof d->other, "%s", other ? other : "");
}

static mjuiItem *find_item(mjUI *ui, const char *name) {
    for (int s = 0; s < ui->nsect; s++)
        for (int i = 0; i < ui->sect[s].nitem; i++)
            if (!strcmp(ui->sect[s].item[i].name, name)) return &ui->sect[s].item[i];
    return NULL;
}

/* slider names: mjui shows about 20 characters; keep "A: reward" short */
static void slider_name(const rs_viewer *v, int i, char *buf, size_t cap) {
    snprintf(buf, cap, "%.18s", v->label[i]);
}

int rs_view_ui_build(rs_viewer *v) {
    mjUI *ui = v->ui;
    ui->spacing = mjui_themeSpacing(0);
    ui->color = mjui_themeColor(0);
    /* the space below a short panel: dark, like the panel, not grey */
    const float dark[3] = {0.1f, 0.1f, 0.12f};
    memcpy(ui->color.master, dark, sizeof dark);
    ui->rectid = RECT_UI;
    ui->auxid = 0;
    ui->userdata = v;
    v->defs = rs_calloc(RS_VIEW_MAXDEFS, sizeof(mjuiDef));
    if (!v->defs) return -1;
    int k = 0;
    char name[64], range[64];

    def(v, &k, mjITEM_SECTION, "Soup", 1, NULL, "");
    if (v->n == 2) {
        v->ui_lam[0] = v->target[1];
        def(v, &k, mjITEM_SLIDERNUM, "lambda", 1, &v->ui_lam[0], "0 1");
    } else if (v->n > 2) {
        for (int i = 0; i < v->n; i++) {
            v->ui_lam[i] = v->target[i];
            slider_name(v, i, name, sizeof name);
            def(v, &k, mjITEM_SLIDERNUM, name, 1, &v->ui_lam[i], "0 1");
        }
        def(v, &k, mjITEM_BUTTON, "Equal weights", 1, NULL, "");
    }

    def(v, &k, mjITEM_SECTION, "Simulation", 1, NULL, "");
    def(v, &k, mjITEM_CHECKINT, "Pause", 1, &v->paused, "");
    def(v, &k, mjITEM_BUTTON, "Reset", 1, NULL, "");
    snprintf(range, sizeof range, "%g %g", RS_VIEW_SPEED_MIN, RS_VIEW_SPEED_MAX);
    def(v, &k, mjITEM_SLIDERNUM, "Speed", 1, &v->speed, range);
    v->ui_seed = (int)(v->seed & 0x7fffffff);
    def(v, &k, mjITEM_EDITINT, "Seed", 1, &v->ui_seed, "1 0 2147483647");
    def(v, &k, mjITEM_CHECKINT, "Stochastic", 1, &v->stochastic, "");
    def(v, &k, mjITEM_CHECKINT, "Record", 1, &v->recording, "");

    def(v, &k, mjITEM_SECTION, "View", 1, NULL, "");
    def(v, &k, mjITEM_CHECKINT, "Track torso", 1, &v->track, "");
    def(v, &k, mjITEM_CHECKINT, "Info", 1, &v->show_info, "");
    def(v, &k, mjITEM_CHECKINT, "Reward terms", 1, &v->show_terms, "");
    def(v, &k, mjITEM_CHECKINT, "Pareto figure", 1, &v->show_fig, "");
    def(v, &k, mjITEM_CHECKINT, "Help", 1, &v->show_help, "");
    def(v, &k, mjITEM_CHECKBYTE, "Shadows", 1, &v->scn.flags[mjRND_SHADOW], "");
    def(v, &k, mjITEM_CHECKBYTE, "Reflections", 1, &v->scn.flags[mjRND_REFLECTION], "");
    if (v->front && v->front->n_obj > 2) {
        v->ui_fx = v->fx;
        v->ui_fy = v->fy;
        snprintf(range, sizeof range, "0 %d", v->front->n_obj - 1);
        def(v, &k, mjITEM_SLIDERINT, "Figure x", 1, &v->ui_fx, range);
        def(v, &k, mjITEM_SLIDERINT, "Figure y", 1, &v->ui_fy, range);
    }
    v->defs[k].type = mjITEM_END;
    mjui_add(ui, v->defs);
    mjui_resize(ui, &v->con);
    /* the panel is drawn into an aux buffer of its full height, then copied */
    mjr_addAux(ui->auxid, ui->width, ui->maxheight, ui->spacing.samples, &v->con);
    v->it_reset = find_item(ui, "Reset");
    v->it_equal = find_item(ui, "Equal weights");
    return 0;
}

int rs_viewer_item_point(rs_viewer *v, const char *name, double frac, double *x, double *y) {
    if (!v->ui) return -1;
    mjuiItem *it = find_item(v->ui, name);
    if (!it) return -1;
    /* item rectangles are in the panel image, whose top is the panel's top
     * (scrolled by ui->scroll) */
    mjrRect p = v->uis->rect[RECT_UI];
    *x = p.left + it->rect.left + frac * it->rect.width;
    double from_top = v->ui->height - (it->rect.bottom + 0.5 * it->rect.height);
    *y = p.bottom + p.height - from_top + v->ui->scroll;
    return 0;
}

int rs_viewer_slider_point(rs_viewer *v, int k, double frac, double *x, double *y) {
    char name[64] = "lambda";
    if (v->n > 2) {
        if (k < 0 || k >= v->n) return -1;
        slider_name(v, k, name, sizeof name);
    } else if (v->n < 2) {
        return -1;
    }
    return rs_viewer_item_point(v, name, frac, x, y);
}

void rs_view_simplex_set(double *lambda, int n, int k, double v) {
    if (n < 1 || k < 0 || k >= n) return;
    if (!(v >= 0.0)) v = 0.0; /* also NaN */
    if (v > 1.0) v = 1.0;
    if (n == 1) {
        lambda[0] = 1.0;
        return;
    }
    double rest = 0.0;
    for (int i = 0; i < n; i++)
        if (i != k) rest += lambda[i] > 0 ? lambda[i] : 0.0;
    for (int i = 0; i < n; i++) {
        if (i == k) continue;
        double share = rest > 0 ? (lambda[i] > 0 ? lambda[i] : 0.0) / rest : 1.0 / (n - 1);
        lambda[i] = share * (1.0 - v);
    }
    lambda[k] = v;
}

void rs_view_ui_item(rs_viewer *v, mjuiItem *it) {
    int n = v->n;
    /* the user's choice of shadows stands: FAST no longer adapts */
    if (it->pdata == (void *)&v->scn.flags[mjRND_SHADOW]) v->adapt = 0;
    if (it->pdata && (double *)it->pdata >= v->ui_lam && (double *)it->pdata < v->ui_lam + n) {
        double lam[RS_VIEW_MAX_EXPERTS];
        memcpy(lam, v->target, sizeof lam);
        if (n == 2) {
            double x = v->ui_lam[0];
            lam[0] = 1.0 - x;
            lam[1] = x;
        } else {
            int k = (int)((double *)it->pdata - v->ui_lam);
            rs_view_simplex_set(lam, n, k, v->ui_lam[k]);
            v->focus = k;
        }
        rs_viewer_set_lambda(v, lam);
    } else if (it == v->it_equal) {
        double lam[RS_VIEW_MAX_EXPERTS];
        for (int i = 0; i < n; i++)
            lam[i] = 1.0 / n;
        rs_viewer_set_lambda(v, lam);
    } else if (it == v->it_reset) {
        rs_view_reset_episode(v, 1);
    } else if (it->pdata == &v->ui_seed) {
        v->seed = (uint64_t)v->ui_seed;
        rs_view_reset_episode(v, 1);
    } else if (it->pdata == &v->recording) {
        /* the checkbox flipped the flag already: make the recorder follow */
        if ((v->recording != 0) != (v->rec != NULL)) rs_view_record_toggle(v);
    } else if (it->pdata == &v->track) {
        memset(v->track_off, 0, sizeof v->track_off);
    } else if (it->pdata == &v->ui_fx || it->pdata == &v->ui_fy) {
        v->fx = v->ui_fx;
        v->fy = v->ui_fy;
        rs_view_plot_init(v);
        rs_view_plot_order(v);
    }
    v->ui_dirty = 1;
}

/* ---- keys ---- */

void rs_view_key(rs_viewer *v, int key, int mods) {
    switch (key) {
    case GLFW_KEY_SPACE:
        v->paused = !v->paused;
        break;
    case GLFW_KEY_BACKSPACE:
        rs_view_reset_episode(v, 1);
        break;
    case GLFW_KEY_LEFT:
        rs_view_nudge(v, -RS_VIEW_NUDGE);
        break;
    case GLFW_KEY_RIGHT:
        rs_view_nudge(v, RS_VIEW_NUDGE);
        break;
    case GLFW_KEY_UP:
        if (v->n > 2) v->focus = (v->focus + v->n - 1) % v->n;
        break;
    case GLFW_KEY_DOWN:
        if (v->n > 2) v->focus = (v->focus + 1) % v->n;
        break;
    case GLFW_KEY_LEFT_BRACKET:
        v->speed = fmax(RS_VIEW_SPEED_MIN, v->speed / 2);
        break;
    case GLFW_KEY_RIGHT_BRACKET:
        v->speed = fmin(RS_VIEW_SPEED_MAX, v->speed * 2);
        break;
    case GLFW_KEY_R:
        rs_view_record_toggle(v);
        break;
    case GLFW_KEY_S:
        v->stochastic = !v->stochastic;
        break;
    case GLFW_KEY_F:
        v->show_fig = !v->show_fig;
        break;
    case GLFW_KEY_I:
        v->show_info = !v->show_info;
        break;
    case GLFW_KEY_T:
        v->show_terms = !v->show_terms;
        break;
    case GLFW_KEY_C:
        v->track = !v->track;
        memset(v->track_off, 0, sizeof v->track_off);
        break;
    case GLFW_KEY_H:
    case GLFW_KEY_F1:
        v->show_help = !v->show_help;
        break;
    case GLFW_KEY_TAB:
        v->show_ui = !v->show_ui;
        break;
    case GLFW_KEY_ESCAPE:
    case GLFW_KEY_Q:
        v->quit = 1;
        break;
    default:
        return;
    }
    (void)mods;
    v->ui_dirty = 1;
}

/* ---- text ---- */

/* append to a fixed buffer (never allocates; truncates at the end) */
static void cat(char *buf, size_t cap, const char *fmt, ...) RS_PRINTF(3, 4);
static void cat(char *buf, size_t cap, const char *fmt, ...) {
    size_t k = strlen(buf);
    if (k + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + k, cap - k, fmt, ap);
    va_end(ap);
}

void rs_view_text(rs_viewer *v) {
    const rs_env_spec *s = v->spec;
    char *L = v->txt_l, *R = v->txt_r;
    size_t cl = sizeof v->txt_l, cr = sizeof v->txt_r;
    L[0] = R[0] = 0;
    const double *lam = v->mix->lambda;
    cat(L, cl, "lambda");
    for (int i = 0; i < v->n; i++)
        cat(R, cr, "%s%c%s %.3f", i ? "  " : "", 'A' + i, (v->n > 2 && i == v->focus) ? "*" : "",
            lam[i]);
    cat(R, cr, "\n");
    double secs = v->t * v->env->dt;
    cat(L, cl, "\nepisode");
    cat(R, cr, "%ld  (step %d, %.2f s)\n", v->episode, v->t, secs);
    if (v->show_terms) {
        cat(L, cl, "\n\nterm");
        cat(R, cr, "\n%10s %10s\n", "return", "per s");
        for (int k = 0; k < s->n_terms; k++) {
            cat(L, cl, "\n%s", s->terms[k]);
            cat(R, cr, "%10.2f %10.2f\n", v->ret[k], secs > 0 ? v->ret[k] / secs : 0.0);
        }
        cat(L, cl, "\n\nproxy reward");
        cat(R, cr, "\n%10s %10s\n", "return", "last ep.");
        for (int i = 0; i < v->n; i++) {
            cat(L, cl, "\n%.40s", v->label[i]);
            double last = 0;
            for (int k = 0; k < s->n_terms; k++)
                last += v->rw[i][k] * v->last_ret[k];
            if (v->have_last)
                cat(R, cr, "%10.2f %10.2f\n", rs_view_proxy_return(v, i), last);
            else
                cat(R, cr, "%10.2f %10s\n", rs_view_proxy_return(v, i), "-");
        }
        if (v->have_last) {
            cat(L, cl, "\nlast length");
            cat(R, cr, "%d\n", v->last_len);
        }
    }
    /* a trailing newline would leave an empty last line */
    size_t k = strlen(R);
    if (k && R[k - 1] == '\n') R[k - 1] = 0;

    char *S = v->txt_status;
    size_t cs = sizeof v->txt_status;
    S[0] = 0;
    cat(S, cs, "%s  %.0f fps  speed %.3gx  %s  seed %llu", s->name, v->fps, v->speed,
        v->stochastic ? "stochastic" : "deterministic", (unsigned long long)v->seed);
    if (v->paused) cat(S, cs, "  PAUSED");
    if (v->rec)
        cat(S, cs, "  REC %ld", rs_recorder_frames(v->rec));
    else if (v->rec_msg[0])
        cat(S, cs, "  (%.200s)", v->rec_msg);
    cat(S, cs, "  H: help");
}

static const char k_help_l[] = "space\nbackspace\nleft / right\nup / down\n[  ]\nR\nS\nF  I  T\nC\n"
                               "Tab\nH\nEsc  Q\nmouse";
static const char k_help_r[] = "pause / run\nreset the episode (same seed)\nlambda -/+ 0.05\n"
                               "expert the arrows move (3+ experts)\nspeed / 2, x 2\n"
                               "record on / off\nstochastic / deterministic actions\n"
                               "figure, info, reward terms\ntrack the torso / free camera\n"
                               "panel\nthis help\nquit\n"
                               "left drag rotate, right drag pan, scroll zoom (shift: horizontal)";

void rs_view_overlays(rs_viewer *v, mjrRect scene) {
    if (v->show_info) {
        mjr_overlay(mjFONT_NORMAL, mjGRID_TOPRIGHT, scene, v->txt_l, v->txt_r, &v->con);
        mjr_overlay(mjFONT_NORMAL, mjGRID_BOTTOMLEFT, scene, v->txt_status, NULL, &v->con);
    }
    if (v->show_help)
        mjr_overlay(mjFONT_NORMAL, mjGRID_TOPLEFT, scene, k_help_l, k_help_r, &v->con);
    if (v->show_fig && v->fig) {
        /* bottom left, above the status line: the robot is in the centre and
         * the readouts are top right */
        int w = (int)(0.40 * scene.width), h = (int)(0.42 * scene.height);
        if (w > 520) w = 520;
        if (h > 400) h = 400;
        int legend = rs_view_plot_legend_rows(v) * (v->con.charHeight + 6);
        mjrRect r = {scene.left + 4, 12 + 2 * v->con.charHeight + legend, w, h};
        mjr_figure(r, v->fig, &v->con);
        rs_view_plot_legend(v, r);
    }
}

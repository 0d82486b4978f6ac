/* rs_viewer.c — the viewer's lifecycle, simulation, events and capture.
 * The panel and overlays live in rs_viewer_ui.c, the figure in
 * rs_viewer_plot.c. */
#include "rs_viewer_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rs_png.h"
#include "rs_soup.h"

void rs_viewer_default_opts(rs_viewer_opts *o) {
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->speed = 1.0;
    o->fps = 30;
    o->vsync = 1;
}

/* ---- render cost ---- */

static const char *const k_quality_names[] = {"auto", "full", "fast", "plain"};

const char *rs_view_quality_name(rs_view_quality q) {
    return q >= RS_VIEW_QUALITY_AUTO && q <= RS_VIEW_QUALITY_PLAIN ? k_quality_names[q] : "?";
}

int rs_view_quality_parse(const char *name, rs_view_quality *q) {
    for (int i = 0; i <= RS_VIEW_QUALITY_PLAIN; i++)
        if (name && !strcmp(name, k_quality_names[i])) {
            *q = (rs_view_quality)i;
            return 0;
        }
    return -1;
}

int rs_view_renderer_is_software(const char *renderer) {
    /* Mesa's CPU drivers, Google's SwiftShader, Windows' fallback */
    static const char *const cpu[] = {"llvmpipe", "softpipe", "swrast", "Software Rasterizer",
                                      "SwiftShader", "Basic Render"};
    for (size_t i = 0; renderer && i < sizeof cpu / sizeof cpu[0]; i++)
        if (strstr(renderer, cpu[i])) return 1;
    return 0;
}

void rs_view_quality_settings(rs_view_quality q, int *shadows, int *reflections, double *scale) {
    *shadows = q != RS_VIEW_QUALITY_PLAIN;
    *reflections = q == RS_VIEW_QUALITY_FULL || q == RS_VIEW_QUALITY_AUTO;
    *scale = 1.0;
    if (q == RS_VIEW_QUALITY_FAST) *scale = RS_VIEW_FAST_SCALE;
}

void rs_view_warn(rs_viewer *v, const char *fmt, ...) {
    size_t k = strlen(v->warn);
    if (k + 2 >= sizeof v->warn) return;
    if (k) v->warn[k++] = '\n';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->warn + k, sizeof v->warn - k, fmt, ap);
    va_end(ap);
}

const char *rs_viewer_warnings(const rs_viewer *v) { return v->warn; }

/* ---- loading (no window) ---- */

static int load_experts(rs_viewer *v, rs_viewer_err *err) {
    const rs_viewer_opts *o = &v->o;
    rs_st *st[RS_VIEW_MAX_EXPERTS] = {0};
    int rc = -1;
    *err = RS_VIEWER_ERR_LOAD;
    for (int i = 0; i < v->n; i++) {
        if (o->policies) {
            st[i] = rs_st_new();
            if (!st[i] || rs_policy_to_st(o->policies[i], st[i]) != 0) goto done;
        } else if (!(st[i] = rs_policy_st_load(o->paths[i]))) {
            goto done;
        }
    }
    /* the same checks (and messages) as `rsoup soup`, before any window */
    if (rs_soup_check(st, v->n) != 0 || rs_mix_check_lambda(v->target, v->n) != 0) {
        *err = RS_VIEWER_ERR_MIX;
        goto done;
    }
    for (int i = 0; i < v->n; i++) {
        char what[64];
        snprintf(what, sizeof what, "expert %d", i);
        v->experts[i] = rs_policy_from_st(st[i], o->paths ? o->paths[i] : what);
        if (!v->experts[i]) goto done;
    }
    rc = 0;
done:
    for (int i = 0; i < v->n; i++)
        rs_st_free(st[i]);
    return rc;
}

static void expert_labels(rs_viewer *v) {
    for (int i = 0; i < v->n; i++) {
        const rs_policy *p = v->experts[i];
        snprintf(v->reward[i], sizeof v->reward[i], "%.255s", p->reward);
        if (!p->reward[0] || rs_reward_parse(v->spec, p->reward, v->rw[i]) != 0) {
            rs_view_warn(v,
                         "expert %c has no usable 'reward' metadata%s%s: its proxy return uses "
                         "the env's default reward",
                         'A' + i, p->reward[0] ? " " : "", p->reward);
            rs_reward_parse(v->spec, "default", v->rw[i]);
            snprintf(v->reward[i], sizeof v->reward[i], "default");
        }
        char label[sizeof v->label[0]];
        snprintf(label, sizeof label, "%c: %.80s", 'A' + i, v->reward[i]);
        memcpy(v->label[i], label, sizeof label);
    }
}

rs_viewer *rs_viewer_new(const rs_viewer_opts *o, rs_viewer_err *err) {
    rs_viewer_err dummy;
    if (!err) err = &dummy;
    *err = RS_VIEWER_ERR_OTHER;
    if (o->n < 1 || o->n > RS_VIEW_MAX_EXPERTS || (!o->paths && !o->policies)) {
        rs_set_error("the viewer takes 1 to %d experts, got %d", RS_VIEW_MAX_EXPERTS, o->n);
        return NULL;
    }
    rs_mujoco_init();
    rs_viewer *v = rs_calloc(1, sizeof *v);
    if (!v) return NULL;
    v->o = *o;
    if (v->o.fps < 1) v->o.fps = 30;
    if (!(v->o.speed > 0)) v->o.speed = 1.0;
    v->n = o->n;
    /* initial λ: given, or the middle of the simplex */
    if (o->lambda) {
        memcpy(v->target, o->lambda, sizeof(double) * (size_t)v->n);
    } else {
        for (int i = 0; i < v->n; i++)
            v->target[i] = 1.0 / v->n;
        if (v->n == 2) v->target[0] = v->target[1] = 0.5;
    }
    if (load_experts(v, err) != 0) goto fail;
    *err = RS_VIEWER_ERR_LOAD;
    v->spec = rs_policy_env(v->experts[0]);
    if (!v->spec) goto fail;
    v->m = rs_model_load(v->spec, o->model);
    if (!v->m) goto fail;
    v->env = rs_env_new(v->spec, v->m, NULL, o->seed, 0);
    if (!v->env) goto fail;
    *err = RS_VIEWER_ERR_OTHER;
    v->mix = rs_mixer_new(v->experts, v->n);
    if (!v->mix || rs_mixer_set(v->mix, v->target) != 0) goto fail;
    expert_labels(v);

    const rs_policy *p = v->mix->live;
    int W = p->pi->sizes[p->pi->n_layers];
    v->obs = rs_calloc((size_t)p->obs_dim, sizeof(float));
    v->nobs = rs_calloc((size_t)p->obs_dim, sizeof(float));
    v->out = rs_calloc((size_t)W, sizeof(float));
    v->act = rs_calloc((size_t)p->act_dim, sizeof(float));
    v->scratch = rs_calloc(rs_mlp_scratch_size(p->pi), sizeof(float));
    if (!v->obs || !v->nobs || !v->out || !v->act || !v->scratch) goto fail;

    v->seed = o->seed;
    v->speed = v->o.speed;
    v->stochastic = o->stochastic;
    v->track = 1;
    v->show_ui = v->show_info = v->show_terms = 1;
    v->focus = v->n > 1 ? 1 : 0;
    rs_view_reset_episode(v, 1);

    if (rs_view_plot_init(v) != 0) goto fail;
    *err = RS_VIEWER_OK;
    return v;
fail:
    rs_viewer_free(v);
    return NULL;
}

/* ---- simulation ---- */

void rs_view_reset_episode(rs_viewer *v, int reseed) {
    /* reseeding replays the same start: compare two λ on one initial state */
    if (reseed) {
        rs_env_seed(v->env, v->seed, 0);
        rs_rng_seed(&v->noise, v->seed, 1);
    }
    rs_env_reset(v->env, v->obs);
    memset(v->ret, 0, sizeof v->ret);
    v->t = 0;
    v->ntrail = 0;
    v->episode++;
}

double rs_view_proxy_return(const rs_viewer *v, int i) {
    double r = 0;
    for (int k = 0; k < v->spec->n_terms; k++)
        r += v->rw[i][k] * v->ret[k];
    return r;
}

void rs_viewer_apply_pending(rs_viewer *v) {
    if (!v->pending) return;
    /* a λ that fails the check (cannot happen from the panel) is dropped */
    rs_mixer_set(v->mix, v->target);
    v->pending = 0;
}

static void policy_step(rs_viewer *v) {
    rs_viewer_apply_pending(v); /* λ changes land between steps, never inside one */
    const rs_policy *p = v->mix->live;
    rs_normalizer_apply(p->norm, v->obs, v->nobs, 1);
    rs_mlp_forward1(p->pi, v->nobs, v->out, v->scratch);
    rs_policy_head(p, v->out, v->stochastic ? &v->noise : NULL, v->act);
    double r;
    int term = 0, trunc = 0;
    if (rs_env_step(v->env, v->act, v->obs, v->terms, &r, &term, &trunc) != 0) {
        term = 1; /* non-finite action from a broken mix: start over */
    } else {
        for (int k = 0; k < v->spec->n_terms; k++)
            v->ret[k] += v->terms[k];
        v->t++;
        v->steps++;
        rs_view_plot_push(v);
    }
    if (term || trunc) {
        memcpy(v->last_ret, v->ret, sizeof v->ret);
        v->last_len = v->t;
        v->have_last = 1;
        rs_view_plot_episode_end(v);
        rs_view_reset_episode(v, 0);
    }
}

static int advance(rs_viewer *v) {
    double now = rs_now();
    double wall = now - v->wall_last;
    v->wall_last = now;
    if (wall > 0.1 || wall < 0) wall = 0.1; /* after a stall, do not race to catch up */
    /* batch modes and recordings advance by video time: reproducible videos */
    double dt = (v->o.frames > 0 || v->rec) ? v->speed / v->o.fps : wall * v->speed;
    if (v->paused) {
        v->sim_debt = 0;
        rs_viewer_apply_pending(v);
        return 0;
    }
    v->sim_debt += dt;
    int k = 0;
    while (v->sim_debt >= v->env->dt * (1 - 1e-9) && k < 250) {
        policy_step(v);
        v->sim_debt -= v->env->dt;
        k++;
    }
    if (k == 250) v->sim_debt = 0;
    rs_viewer_apply_pending(v); /* the readouts show the λ that acts next */
    return k;
}

/* λ along the path through the experts A -> B -> C ..., s in [0, 1] */
static void sweep_lambda(const rs_viewer *v, double s, double *lam) {
    memset(lam, 0, sizeof(double) * (size_t)v->n);
    if (v->n == 1) {
        lam[0] = 1;
        return;
    }
    double u = s * (v->n - 1);
    int seg = (int)floor(u);
    if (seg >= v->n - 1) seg = v->n - 2;
    double f = u - seg;
    if (f > 1) f = 1;
    lam[seg] = 1.0 - f;
    lam[seg + 1] = f;
}

int rs_viewer_set_lambda(rs_viewer *v, const double *lambda) {
    if (rs_mix_check_lambda(lambda, v->n) != 0) return -1;
    memcpy(v->target, lambda, sizeof(double) * (size_t)v->n);
    for (int i = 0; i < v->n; i++)
        v->ui_lam[i] = lambda[i];
    if (v->n == 2) v->ui_lam[0] = lambda[1];
    v->pending = 1;
    v->ui_dirty = 1;
    return 0;
}

void rs_view_nudge(rs_viewer *v, double delta) {
    double lam[RS_VIEW_MAX_EXPERTS];
    memcpy(lam, v->target, sizeof lam);
    if (v->n == 2) {
        double x = lam[1] + delta;
        x = x < 0 ? 0 : (x > 1 ? 1 : x);
        x = round(x * 1e6) / 1e6; /* 0.05 steps land on 0.05 multiples */
        lam[0] = 1.0 - x;
        lam[1] = x;
    } else if (v->n > 2) {
        rs_view_simplex_set(lam, v->n, v->focus, lam[v->focus] + delta);
    }
    rs_viewer_set_lambda(v, lam);
}

/* ---- recording ---- */

int rs_view_record_toggle(rs_viewer *v) {
    if (v->rec) {
        long nf = rs_recorder_frames(v->rec);
        char target[RS_PATH_BUF];
        snprintf(target, sizeof target, "%s", rs_recorder_target(v->rec));
        int rc = rs_recorder_close(v->rec);
        v->rec = NULL;
        v->recording = 0;
        if (rc != 0)
            snprintf(v->rec_msg, sizeof v->rec_msg, "recording failed: %s", rs_last_error());
        else
            snprintf(v->rec_msg, sizeof v->rec_msg, "wrote %ld frames: %.400s", nf, target);
        fprintf(stderr, "rsoup view: %s\n", v->rec_msg);
        v->ui_dirty = 1;
        return rc;
    }
    char path[1024];
    if (v->o.record)
        snprintf(path, sizeof path, "%s", v->o.record);
    else
        snprintf(path, sizeof path, "rsoup_view_%ld.mp4", (long)time(NULL));
    v->rec = rs_recorder_new(path, v->capw, v->caph, v->o.fps, v->o.force_png);
    v->recording = v->rec != NULL;
    v->ui_dirty = 1;
    if (!v->rec) {
        snprintf(v->rec_msg, sizeof v->rec_msg, "cannot record: %s", rs_last_error());
        fprintf(stderr, "rsoup view: %s\n", v->rec_msg);
        return -1;
    }
    snprintf(v->rec_msg, sizeof v->rec_msg, "recording %.400s", rs_recorder_target(v->rec));
    fprintf(stderr, "rsoup view: %s\n", v->rec_msg);
    return 0;
}

/* ---- events ---- */

static void layout(rs_viewer *v) {
    mjuiState *s = v->uis;
    int uiw = v->show_ui ? v->ui->width : 0;
    if (uiw > v->lw / 2) uiw = v->lw / 2;
    s->nrect = RECT_COUNT;
    s->rect[RECT_WINDOW] = (mjrRect){0, 0, v->lw, v->lh};
    s->rect[RECT_UI] = (mjrRect){0, 0, uiw, v->lh};
    s->rect[RECT_SCENE] = (mjrRect){uiw, 0, v->lw - uiw, v->lh};
}

static void set_mouse_rect(rs_viewer *v) {
    mjuiState *s = v->uis;
    s->mouserect = 0;
    for (int r = RECT_COUNT - 1; r >= 1; r--) {
        mjrRect q = s->rect[r];
        if (q.width > 0 && s->x >= q.left && s->x < q.left + q.width && s->y >= q.bottom &&
            s->y < q.bottom + q.height)
            s->mouserect = r;
    }
}

/* a pan while tracking moves the point looked at relative to the body */
static void track_offset(rs_viewer *v) {
    if (!v->track) return;
    const mjtNum *com = v->env->d->subtree_com + 3 * v->cam.trackbodyid;
    for (int k = 0; k < 3; k++)
        v->track_off[k] = v->cam.lookat[k] - com[k];
}

void rs_viewer_event(rs_viewer *v) {
    mjuiState *s = v->uis;
    layout(v);
    if (s->type == mjEVENT_PRESS || s->type == mjEVENT_MOVE || s->type == mjEVENT_SCROLL)
        set_mouse_rect(v);
    if (s->type == mjEVENT_PRESS) {
        s->dragrect = s->mouserect;
        s->dragbutton = s->button;
    }
    /* the panel sees every event first */
    int ui_owns = 0;
    if (v->show_ui && v->ui) {
        mjuiItem *it = mjui_event(v->ui, s, &v->con);
        if (it) rs_view_ui_item(v, it);
        int mouse = s->type == mjEVENT_PRESS || s->type == mjEVENT_MOVE ||
                    s->type == mjEVENT_SCROLL || s->type == mjEVENT_RELEASE;
        ui_owns =
            it != NULL ||
            (mouse && (s->dragrect == RECT_UI || (s->dragrect == 0 && s->mouserect == RECT_UI))) ||
            (s->type == mjEVENT_KEY && v->ui->editsect);
    }
    if (!ui_owns) {
        mjrRect r = s->rect[RECT_SCENE];
        double hgt = r.height > 0 ? r.height : 1;
        if (s->type == mjEVENT_KEY) {
            rs_view_key(v, s->key, (s->shift ? 1 : 0) | (s->control ? 2 : 0));
        } else if (s->type == mjEVENT_MOVE && s->dragrect == RECT_SCENE &&
                   (s->left || s->right || s->middle)) {
            int action = s->right  ? (s->shift ? mjMOUSE_MOVE_H : mjMOUSE_MOVE_V)
                         : s->left ? (s->shift ? mjMOUSE_ROTATE_H : mjMOUSE_ROTATE_V)
                                   : mjMOUSE_ZOOM;
            mjv_moveCamera(v->m, action, s->dx / hgt, -s->dy / hgt, &v->scn, &v->cam);
            track_offset(v);
        } else if (s->type == mjEVENT_SCROLL && s->mouserect == RECT_SCENE) {
            mjv_moveCamera(v->m, mjMOUSE_ZOOM, 0, -0.05 * s->sy, &v->scn, &v->cam);
        }
    }
    if (s->type == mjEVENT_RELEASE) {
        s->dragrect = 0;
        s->dragbutton = 0;
    }
}

static rs_viewer *of(GLFWwindow *w) { return glfwGetWindowUserPointer(w); }

/* window coordinates (origin top left) -> layout coordinates (origin bottom left) */
static void to_layout(rs_viewer *v, double wx, double wy) {
    mjuiState *s = v->uis;
    double sx = v->winw > 0 ? (double)v->lw / v->winw : 1.0;
    double sy = v->winh > 0 ? (double)v->lh / v->winh : 1.0;
    double x = wx * sx, y = v->lh - wy * sy;
    s->dx = x - s->x;
    s->dy = y - s->y;
    s->x = x;
    s->y = y;
}

static void mods_to_state(mjuiState *s, int mods) {
    s->shift = (mods & GLFW_MOD_SHIFT) != 0;
    s->control = (mods & GLFW_MOD_CONTROL) != 0;
    s->alt = (mods & GLFW_MOD_ALT) != 0;
}

static void on_cursor(GLFWwindow *w, double x, double y) {
    rs_viewer *v = of(w);
    to_layout(v, x, y);
    v->uis->type = mjEVENT_MOVE;
    rs_viewer_event(v);
}

static void on_button(GLFWwindow *w, int button, int act, int mods) {
    rs_viewer *v = of(w);
    mjuiState *s = v->uis;
    mods_to_state(s, mods);
    s->left = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
    s->right = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS;
    s->middle = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_MIDDLE) == GLFW_PRESS;
    s->button = button == GLFW_MOUSE_BUTTON_LEFT    ? mjBUTTON_LEFT
                : button == GLFW_MOUSE_BUTTON_RIGHT ? mjBUTTON_RIGHT
                                                    : mjBUTTON_MIDDLE;
    double x, y;
    glfwGetCursorPos(w, &x, &y);
    to_layout(v, x, y);
    s->dx = s->dy = 0;
    if (act == GLFW_PRESS) {
        double now = glfwGetTime();
        s->doubleclick = now - s->buttontime < 0.25;
        s->buttontime = now;
    }
    s->type = act == GLFW_PRESS ? mjEVENT_PRESS : mjEVENT_RELEASE;
    rs_viewer_event(v);
}

static void on_scroll(GLFWwindow *w, double sx, double sy) {
    rs_viewer *v = of(w);
    mjuiState *s = v->uis;
    s->sx = sx;
    s->sy = sy;
    s->dx = s->dy = 0;
    s->type = mjEVENT_SCROLL;
    rs_viewer_event(v);
}

static void on_key(GLFWwindow *w, int key, int scancode, int act, int mods) {
    if (act == GLFW_RELEASE) return;
    rs_viewer *v = of(w);
    mjuiState *s = v->uis;
    mods_to_state(s, mods);
    s->key = key;
    s->keytime = glfwGetTime();
    s->type = mjEVENT_KEY;
    rs_viewer_event(v);
}

static void on_size(GLFWwindow *w, int width, int height) {
    rs_viewer *v = of(w);
    v->winw = width;
    v->winh = height;
}

static void on_fbsize(GLFWwindow *w, int width, int height) {
    rs_viewer *v = of(w);
    v->fbw = width;
    v->fbh = height;
    v->ui_dirty = 1;
}

/* ---- window ---- */

static char g_glfw_msg[512];
static void on_glfw_error(int code, const char *msg) {
    snprintf(g_glfw_msg, sizeof g_glfw_msg, "%s (GLFW error 0x%x)", msg, code);
}

int rs_viewer_open(rs_viewer *v, rs_viewer_err *err) {
    rs_viewer_err dummy;
    if (!err) err = &dummy;
    *err = RS_VIEWER_ERR_DISPLAY;
    const char *disp = getenv("DISPLAY"), *way = getenv("WAYLAND_DISPLAY");
    if ((!disp || !*disp) && (!way || !*way)) {
        rs_set_error("no display: neither DISPLAY nor WAYLAND_DISPLAY is set");
        return -1;
    }
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        rs_set_error("cannot open the display '%s': %s", disp ? disp : way, g_glfw_msg);
        return -1;
    }
    int w = v->o.width > 0 ? v->o.width : v->m->vis.global.offwidth;
    int h = v->o.height > 0 ? v->o.height : v->m->vis.global.offheight;
    glfwWindowHint(GLFW_VISIBLE, v->o.hidden ? GLFW_FALSE : GLFW_TRUE);
    glfwWindowHint(GLFW_SAMPLES, 0); /* MSAA on llvmpipe costs more than it shows */
    char title[256];
    snprintf(title, sizeof title, "rsoup view — %s, %d expert%s", v->spec->name, v->n,
             v->n > 1 ? "s" : "");
    v->win = glfwCreateWindow(w, h, title, NULL, NULL);
    if (!v->win) {
        rs_set_error("cannot create an OpenGL window: %s", g_glfw_msg);
        return -1;
    }
    v->opened = 1;
    *err = RS_VIEWER_ERR_OTHER;
    glfwMakeContextCurrent(v->win);
    glfwSwapInterval(v->o.vsync ? 1 : 0);
    glfwSetWindowUserPointer(v->win, v);
    glfwGetWindowSize(v->win, &v->winw, &v->winh);
    glfwGetFramebufferSize(v->win, &v->fbw, &v->fbh);

    /* the render cost: FULL on a GPU, FAST on a renderer that runs on the
     * CPU, FULL for batch frames (files, where the time per frame does not
     * matter); looked up at run time: rsoup does not link libGL itself */
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get = (get_string_fn)glfwGetProcAddress("glGetString");
    const unsigned char *rname = get ? get(GL_RENDERER) : NULL;
    snprintf(v->renderer, sizeof v->renderer, "%s", rname ? (const char *)rname : "?");
    v->software = rs_view_renderer_is_software(v->renderer);
    v->quality = v->o.quality;
    if (v->quality == RS_VIEW_QUALITY_AUTO)
        v->quality = v->software && v->o.frames <= 0 ? RS_VIEW_QUALITY_FAST : RS_VIEW_QUALITY_FULL;
    /* FAST draws the scene into the offscreen buffer: without multisampling,
     * which on a CPU renderer costs more than the pixels saved */
    if (v->quality == RS_VIEW_QUALITY_FAST) v->m->vis.quality.offsamples = 0;

    mjv_defaultCamera(&v->cam);
    mjv_defaultOption(&v->vopt);
    mjv_defaultPerturb(&v->pert);
    mjv_defaultScene(&v->scn);
    mjr_defaultContext(&v->con);
    mjv_makeScene(v->m, &v->scn, 2000);
    v->scn_made = 1;
    /* HiDPI: scale the fonts with the framebuffer */
    int scale = v->winw > 0 ? (int)(100.0 * v->fbw / v->winw + 0.5) : 100;
    scale = scale < 125 ? 100 : scale < 175 ? 150 : scale < 225 ? 200 : 250;
    mjr_makeContext(v->m, &v->con, scale);
    v->con_made = 1;
    if (!v->con.offFBO) {
        rs_set_error(
            "the render context has no offscreen buffer (offwidth/offheight in the model?)");
        return -1;
    }
    v->capw = v->con.offWidth;
    v->caph = v->con.offHeight;
    v->rgb = rs_malloc((size_t)v->capw * v->caph * 3);
    v->ui = rs_calloc(1, sizeof(mjUI));
    v->uis = rs_calloc(1, sizeof(mjuiState));
    v->fig = rs_calloc(1, sizeof(mjvFigure));
    if (!v->rgb || !v->ui || !v->uis || !v->fig) return -1;

    /* camera: follow the torso, seen from the side */
    v->cam.type = mjCAMERA_TRACKING;
    v->cam.trackbodyid = 1;
    v->cam.distance = 1.6 * v->m->stat.extent;
    v->cam.azimuth = 90;
    v->cam.elevation = -12;
    int shadows, reflections;
    rs_view_quality_settings(v->quality, &shadows, &reflections, &v->scale);
    v->scn.flags[mjRND_SHADOW] = (mjtByte)shadows;
    v->scn.flags[mjRND_REFLECTION] = (mjtByte)reflections;
    v->adapt = v->quality == RS_VIEW_QUALITY_FAST && v->o.frames <= 0;
    v->adapt_t0 = -1;
    v->scn.flags[mjRND_SKYBOX] = 1;

    v->lw = v->fbw;
    v->lh = v->fbh;
    if (rs_view_ui_build(v) != 0) return -1;
    layout(v);
    mjui_update(-1, -1, v->ui, v->uis, &v->con);
    rs_view_plot_update(v);

    glfwSetCursorPosCallback(v->win, on_cursor);
    glfwSetMouseButtonCallback(v->win, on_button);
    glfwSetScrollCallback(v->win, on_scroll);
    glfwSetKeyCallback(v->win, on_key);
    glfwSetWindowSizeCallback(v->win, on_size);
    glfwSetFramebufferSizeCallback(v->win, on_fbsize);

    if (v->o.record && rs_view_record_toggle(v) != 0) return -1;
    v->wall_last = rs_now();
    v->fps_t0 = v->wall_last;
    *err = RS_VIEWER_OK;
    return 0;
}

/* ---- rendering ---- */

/* A plane is infinite for contacts but drawn as a finite square (40 m for
 * the cheetah: its PPO and SAC policies leave it within 10 s). Draw each
 * world-fixed, horizontal plane under the camera instead, moved along its
 * own x and y axes by whole texture periods so the pattern stays fixed to
 * the ground. MuJoCo 2.2 maps a plane's texture as s = scl*x/2 - 1/2 with
 * scl = texrepeat/size, or texrepeat when texuniform: a period of
 * 2*size/texrepeat, or 2/texrepeat. */
static void floor_follows_camera(rs_viewer *v) {
    const mjModel *m = v->m;
    for (int i = 0; i < v->scn.ngeom; i++) {
        mjvGeom *g = v->scn.geoms + i;
        if (g->type != mjGEOM_PLANE || g->objtype != mjOBJ_GEOM) continue;
        int id = g->objid, mat = m->geom_matid[id];
        if (m->geom_bodyid[id] != 0 || fabsf(g->mat[8]) < 0.9999f) continue;
        const mjtNum *base = v->env->d->geom_xpos + 3 * id;
        double shift[3] = {0, 0, 0};
        for (int k = 0; k < 2; k++) {
            double half = m->geom_size[3 * id + k];
            double rep =
                mat >= 0 && m->mat_texrepeat[2 * mat + k] > 0 ? m->mat_texrepeat[2 * mat + k] : 1;
            double period = mat >= 0 && m->mat_texuniform[mat] ? 2 / rep : 2 * half / rep;
            if (!(half > 0) || !(period > 0)) continue; /* size 0: drawn infinite already */
            /* the plane's axis k in world coordinates: column k of its frame */
            const float ax[3] = {g->mat[k], g->mat[3 + k], g->mat[6 + k]};
            double along = 0;
            for (int j = 0; j < 3; j++)
                along += (v->cam.lookat[j] - base[j]) * ax[j];
            double steps = round(along / period);
            for (int j = 0; j < 3; j++)
                shift[j] += steps * period * ax[j];
        }
        for (int j = 0; j < 3; j++)
            g->pos[j] = (float)(base[j] + shift[j]);
    }
    /* a directional light's position only places its shadow map: centre it
     * on the point looked at, or robots far from the origin cast no shadow */
    for (int i = 0; i < v->scn.nlight; i++) {
        mjvLight *l = v->scn.lights + i;
        if (!l->directional || l->headlight) continue;
        l->pos[0] = (float)v->cam.lookat[0];
        l->pos[1] = (float)v->cam.lookat[1];
    }
}

/* the part of the offscreen buffer a window scene of w x h renders into at
 * the viewer's scale (never larger than the buffer) */
static mjrRect scaled_rect(const rs_viewer *v, mjrRect scene) {
    double s = v->scale;
    if (s * scene.width > v->capw) s = (double)v->capw / scene.width;
    if (s * scene.height > v->caph) s = (double)v->caph / scene.height;
    int w = (int)(s * scene.width + 0.5), h = (int)(s * scene.height + 0.5);
    return (mjrRect){0, 0, w > 1 ? w : 1, h > 1 ? h : 1};
}

static void render(rs_viewer *v) {
    /* a window frame at a scale below 1 draws the scene into the offscreen
     * buffer, fewer pixels, and scales it up into the window (linear); the
     * text, figure and panel are then drawn at the window's own resolution */
    const int scaled = !v->offscreen && v->scale < 1;
    v->renders++;
    mjr_setBuffer(v->offscreen || scaled ? mjFB_OFFSCREEN : mjFB_WINDOW, &v->con);
    layout(v);
    if (v->ui_dirty) {
        mjui_update(-1, -1, v->ui, v->uis, &v->con);
        v->ui_dirty = 0;
    }
    mjrRect scene = v->uis->rect[RECT_SCENE];
    v->cam.type = v->track ? mjCAMERA_TRACKING : mjCAMERA_FREE;
    if (v->track) {
        /* MuJoCo's tracking camera follows the body through a low-pass
         * filter, which trails far behind at high speed or low frame rates;
         * pin it to the body (plus the user's pan) so the filter has nothing
         * to do */
        const mjtNum *com = v->env->d->subtree_com + 3 * v->cam.trackbodyid;
        for (int k = 0; k < 3; k++)
            v->cam.lookat[k] = com[k] + v->track_off[k];
    }
    mjv_updateScene(v->m, v->env->d, &v->vopt, &v->pert, &v->cam, mjCAT_ALL, &v->scn);
    floor_follows_camera(v);
    if (scaled) {
        mjrRect low = scaled_rect(v, scene);
        mjr_render(low, &v->scn, &v->con);
        mjr_blitBuffer(low, scene, 1, 0, &v->con);
        mjr_setBuffer(mjFB_WINDOW, &v->con);
    } else {
        mjr_render(scene, &v->scn, &v->con);
    }
    rs_view_overlays(v, scene);
    if (v->show_ui) {
        mjui_render(v->ui, v->uis, &v->con);
    }
}

/* draw the current state into the offscreen buffer and read it back */
static void render_offscreen(rs_viewer *v, int read) {
    int lw = v->lw, lh = v->lh, off = v->offscreen;
    v->offscreen = 1;
    v->lw = v->capw;
    v->lh = v->caph;
    if (lw != v->lw || lh != v->lh) v->ui_dirty = 1;
    render(v);
    if (read) mjr_readPixels(v->rgb, NULL, (mjrRect){0, 0, v->capw, v->caph}, &v->con);
    /* show it in the window too */
    mjr_blitBuffer((mjrRect){0, 0, v->capw, v->caph}, (mjrRect){0, 0, v->fbw, v->fbh}, 1, 0,
                   &v->con);
    mjr_setBuffer(mjFB_WINDOW, &v->con);
    v->offscreen = off;
    (void)lw;
    (void)lh;
}

/* FAST's step down, decided once on the frame rate of seconds 1 to 3 (the
 * first second pays for start-up): a recording's fixed-time frames do not
 * count */
void rs_view_adapt(rs_viewer *v, double now) {
    if (!v->adapt) return;
    if (v->rec) {
        v->adapt_t0 = -1;
        return;
    }
    if (v->adapt_t0 < 0) {
        v->adapt_t0 = now + 1.0;
        v->adapt_f0 = -1;
        return;
    }
    if (now < v->adapt_t0) return;
    if (v->adapt_f0 < 0) {
        v->adapt_t0 = now;
        v->adapt_f0 = v->frames;
        return;
    }
    if (now - v->adapt_t0 < 2.0) return;
    double fps = (v->frames - v->adapt_f0) / (now - v->adapt_t0);
    if (fps < RS_VIEW_FAST_MIN_FPS) {
        v->scn.flags[mjRND_SHADOW] = 0;
        v->scale = RS_VIEW_FAST_STEP_SCALE;
        v->ui_dirty = 1;
    }
    v->adapt = 0;
}

int rs_viewer_frame(rs_viewer *v) {
    if (!v->opened) {
        rs_set_error("the viewer window is not open");
        return -1;
    }
    glfwPollEvents();
    if (glfwWindowShouldClose(v->win)) v->quit = 1;
    if (v->quit) return 0;
    if (v->o.sweep && v->o.frames > 1) {
        double lam[RS_VIEW_MAX_EXPERTS];
        sweep_lambda(v, (double)v->frames / (v->o.frames - 1), lam);
        rs_viewer_set_lambda(v, lam);
    }
    advance(v);
    rs_view_text(v);
    rs_view_plot_update(v);

    double t0 = rs_now();
    int capture = v->rec != NULL || v->o.frames > 0;
    int last = v->o.frames > 0 && v->frames + 1 >= v->o.frames;
    if (capture && !v->rec && !last && v->o.hidden) {
        /* a batch frame nobody sees or records (--screenshot keeps only the
         * last): the simulation advances, nothing is drawn */
    } else if (capture) {
        render_offscreen(v, v->rec != NULL || (last && v->o.screenshot));
        if (v->rec && rs_recorder_frame(v->rec, v->rgb) != 0) {
            snprintf(v->rec_msg, sizeof v->rec_msg, "%s", rs_last_error());
            v->rec_failed = 1;
            rs_view_record_toggle(v);
        }
    } else {
        if (v->lw != v->fbw || v->lh != v->fbh) v->ui_dirty = 1;
        v->lw = v->fbw;
        v->lh = v->fbh;
        v->offscreen = 0;
        render(v);
    }
    glfwSwapBuffers(v->win);
    v->render_s += rs_now() - t0;
    v->frames++;
    v->fps_frames++;
    double now = rs_now();
    if (now - v->fps_t0 >= 0.5) {
        v->fps = v->fps_frames / (now - v->fps_t0);
        v->fps_t0 = now;
        v->fps_frames = 0;
    }
    rs_view_adapt(v, now);
    if (v->rec_failed) return -1;
    if (v->o.frames > 0 && v->frames >= v->o.frames) return 0;
    return 1;
}

int rs_viewer_run(rs_viewer *v) {
    int rc;
    while ((rc = rs_viewer_frame(v)) == 1) {
    }
    if (rc < 0) return -1;
    if (v->o.screenshot) {
        if (v->o.frames <= 0) {
            const unsigned char *rgb;
            int w, h;
            rs_viewer_capture(v, &rgb, &w, &h);
        }
        if (rs_png_save(v->o.screenshot, v->rgb, v->capw, v->caph, 1) != 0) return -1;
    }
    return 0;
}

int rs_viewer_capture(rs_viewer *v, const unsigned char **rgb, int *w, int *h) {
    if (!v->opened) {
        rs_set_error("the viewer window is not open");
        return -1;
    }
    rs_view_text(v);
    rs_view_plot_update(v);
    render_offscreen(v, 1);
    *rgb = v->rgb;
    *w = v->capw;
    *h = v->caph;
    return 0;
}

int rs_viewer_screenshot(rs_viewer *v, const char *path) {
    const unsigned char *rgb;
    int w, h;
    if (rs_viewer_capture(v, &rgb, &w, &h) != 0) return -1;
    return rs_png_save(path, rgb, w, h, 1);
}

/* ---- teardown and accessors ---- */

int rs_viewer_free(rs_viewer *v) {
    if (!v) return 0;
    int rc = 0;
    if (v->rec) rc = rs_view_record_toggle(v);
    if (v->opened) {
        if (v->con_made) mjr_freeContext(&v->con);
        if (v->scn_made) mjv_freeScene(&v->scn);
        /* GLFW stays initialised for the process (a later viewer reuses
         * it): glfwTerminate would unload the GL driver, whose lifetime
         * allocations LeakSanitizer then reports from an unnamed module
         * that no suppression can match */
        glfwDestroyWindow(v->win);
    }
    free(v->ui);
    free(v->uis);
    free(v->defs);
    free(v->fig);
    free(v->rgb);
    rs_front_free(v->front);
    free(v->order);
    free(v->obs);
    free(v->nobs);
    free(v->out);
    free(v->act);
    free(v->scratch);
    rs_mixer_free(v->mix);
    rs_env_free(v->env);
    if (v->m) mj_deleteModel(v->m);
    for (int i = 0; i < v->n; i++)
        rs_policy_free(v->experts[i]);
    free(v);
    return rc;
}

const rs_policy *rs_viewer_live_policy(const rs_viewer *v) { return v->mix->live; }
int rs_viewer_n_experts(const rs_viewer *v) { return v->n; }
void rs_viewer_lambda(const rs_viewer *v, double *lambda) {
    memcpy(lambda, v->mix->lambda, sizeof(double) * (size_t)v->n);
}
long rs_viewer_frames_drawn(const rs_viewer *v) { return v->frames; }
long rs_viewer_steps(const rs_viewer *v) { return v->steps; }
mjUI *rs_viewer_ui(rs_viewer *v) { return v->ui; }
mjuiState *rs_viewer_uistate(rs_viewer *v) { return v->uis; }

/* ---- benchmark ---- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int rs_viewer_bench_run(rs_viewer *v, int frames, int mixes, rs_viewer_bench *out) {
    memset(out, 0, sizeof *out);
    if (!v->opened || frames < 1 || mixes < 1) {
        rs_set_error("bench: open the viewer first; frames and mixes must be positive");
        return -1;
    }
    glfwSwapInterval(0);
    v->show_fig = v->front != NULL || v->n >= 2;
    for (int i = 0; i < 5; i++)
        rs_viewer_frame(v); /* warm up */
    /* a FAST window settles its settings in its first 3 s: time what it keeps */
    for (double t = rs_now(); v->adapt && rs_now() - t < 10;)
        rs_viewer_frame(v);
    long s0 = v->steps;
    double r0 = v->render_s, t0 = rs_now();
    for (int i = 0; i < frames; i++)
        rs_viewer_frame(v);
    double el = rs_now() - t0;
    out->frames = frames;
    out->fps = frames / el;
    out->sim_steps_per_frame = (double)(v->steps - s0) / frames;
    out->render_ms = 1e3 * (v->render_s - r0) / frames;

    double *ts = rs_malloc(sizeof(double) * (size_t)mixes);
    if (!ts) return -1;
    /* the mix alone */
    double lam[RS_VIEW_MAX_EXPERTS];
    for (int i = 0; i < mixes; i++) {
        sweep_lambda(v, (i % 101) / 100.0, lam);
        double a = rs_now();
        rs_mixer_set(v->mix, lam);
        ts[i] = 1e6 * (rs_now() - a);
    }
    qsort(ts, (size_t)mixes, sizeof *ts, cmp_double);
    out->mix_us_median = ts[mixes / 2];
    out->mix_us_p99 = ts[(int)(0.99 * (mixes - 1))];
    out->mix_us_max = ts[mixes - 1];
    /* a press on the first λ slider, through the panel, until the weights are live */
    double x0, y0, x1, y1;
    if (rs_viewer_slider_point(v, 0, 0.1, &x0, &y0) == 0 &&
        rs_viewer_slider_point(v, 0, 0.9, &x1, &y1) == 0) {
        mjuiState *s = v->uis;
        for (int i = 0; i < mixes; i++) {
            double a = rs_now();
            s->x = (i & 1) ? x1 : x0;
            s->y = y0;
            s->left = 1;
            s->button = mjBUTTON_LEFT;
            s->type = mjEVENT_PRESS;
            rs_viewer_event(v);
            rs_viewer_apply_pending(v);
            ts[i] = 1e6 * (rs_now() - a);
            s->left = 0;
            s->type = mjEVENT_RELEASE;
            rs_viewer_event(v);
        }
        qsort(ts, (size_t)mixes, sizeof *ts, cmp_double);
        out->event_us_median = ts[mixes / 2];
        out->event_us_p99 = ts[(int)(0.99 * (mixes - 1))];
        out->event_us_max = ts[mixes - 1];
    } else {
        out->event_us_median = out->event_us_p99 = out->event_us_max = NAN;
    }
    free(ts);
    out->n_params = (int)v->mix->numel;
    out->width = v->fbw;
    out->height = v->fbh;
    memcpy(out->renderer, v->renderer, sizeof out->renderer);
    out->software = v->software;
    out->quality = v->quality;
    out->shadows = v->scn.flags[mjRND_SHADOW];
    out->reflections = v->scn.flags[mjRND_REFLECTION];
    out->scale = v->scale;
    glfwSwapInterval(v->o.vsync ? 1 : 0);
    return 0;
}

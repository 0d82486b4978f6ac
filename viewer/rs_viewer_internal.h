/* rs_viewer_internal.h — the viewer's state, shared by the viewer's files
 * (rs_viewer.c: lifecycle, simulation, events; rs_viewer_ui.c: panel, text
 * overlays; rs_viewer_plot.c: the live Pareto figure). Not a public header. */
#ifndef RS_VIEWER_INTERNAL_H
#define RS_VIEWER_INTERNAL_H

#include <GLFW/glfw3.h>

#include "rs_frontfile.h"
#include "rs_mix.h"
#include "rs_record.h"
#include "rs_viewer.h"

#define RS_VIEW_PAST 10    /* completed episodes marked in the figure */
#define RS_VIEW_TRAIL 1000 /* points of the running episode (mjMAXLINEPNT) */
#define RS_VIEW_MAXDEFS 48
#define RS_VIEW_NUDGE 0.05
#define RS_VIEW_SPEED_MIN 0.0625
#define RS_VIEW_SPEED_MAX 4.0

/* uistate rectangles */
enum { RECT_WINDOW = 0, RECT_UI = 1, RECT_SCENE = 2, RECT_COUNT = 3 };

struct rs_viewer {
    rs_viewer_opts o;
    char warn[4096];

    /* ---- experts and the live soup ---- */
    int n;
    rs_policy *experts[RS_VIEW_MAX_EXPERTS];
    char label[RS_VIEW_MAX_EXPERTS][96];   /* "A: risky" */
    char reward[RS_VIEW_MAX_EXPERTS][256]; /* proxy reward text (training reward) */
    double rw[RS_VIEW_MAX_EXPERTS][RS_MAX_TERMS];
    rs_mixer *mix; /* the live soup: rs_mix.h's arithmetic, as `rsoup soup` */
    double target[RS_VIEW_MAX_EXPERTS]; /* the λ asked for (pending or live) */
    int pending;
    int focus; /* the expert whose weight ←/→ move */

    /* ---- simulation ---- */
    const rs_env_spec *spec;
    mjModel *m;
    rs_env *env;
    float *obs, *nobs, *out, *act, *scratch;
    double terms[RS_MAX_TERMS];
    rs_rng noise; /* stochastic actions */
    uint64_t seed;
    long episode;
    int t;
    double ret[RS_MAX_TERMS]; /* per-term returns of the running episode */
    double last_ret[RS_MAX_TERMS];
    int last_len, have_last;
    long steps;
    double sim_debt;
    double wall_last;

    /* ---- controls (bound to the panel) ---- */
    int paused, stochastic, recording, track;
    int show_ui, show_info, show_terms, show_fig, show_help;
    double speed;
    int ui_seed;
    double ui_lam[RS_VIEW_MAX_EXPERTS];
    int ui_fx, ui_fy;
    int quit;

    /* ---- front and figure ---- */
    int front_tried, fig_ready;
    rs_front *front;                     /* NULL, or loaded and matching the experts */
    int expert_row[RS_VIEW_MAX_EXPERTS]; /* front row of each expert, -1 if none */
    int *order;                          /* front rows drawn as the front, in drawing order */
    int n_order;
    int fx, fy; /* objective columns on the axes */
    double axw[2][RS_MAX_TERMS];
    int ax_live; /* the axes' rewards are known: the running episode is plotted */
    char axname[2][128];
    float trail[RS_VIEW_TRAIL][2];
    int ntrail;
    float past[RS_VIEW_PAST][2];
    int npast, past_next;
    mjvFigure *fig;

    /* ---- window and rendering ---- */
    GLFWwindow *win;
    int opened;
    int winw, winh; /* window size in screen units */
    int fbw, fbh;   /* its framebuffer */
    int lw, lh;     /* layout size: the buffer rendered into */
    int offscreen;  /* render target: 1 offscreen buffer, 0 the window */
    mjvScene scn;
    mjvCamera cam;
    double track_off[3]; /* lookat - tracked body's com, set by panning */
    mjvOption vopt;
    mjvPerturb pert;
    mjrContext con;
    int scn_made, con_made;
    mjUI *ui;
    mjuiState *uis;
    mjuiDef *defs;
    mjuiItem *it_reset, *it_equal;
    int ui_dirty;

    /* ---- capture ---- */
    unsigned char *rgb; /* offW x offH x 3 */
    int capw, caph;
    rs_recorder *rec;
    int rec_failed;
    char rec_msg[512];

    /* ---- text ---- */
    char txt_l[2048], txt_r[2048], txt_status[512];
    double fps, fps_t0;
    long fps_frames;
    long frames;
    double render_s; /* time spent rendering, for the benchmark */

    /* ---- render cost ---- */
    char renderer[128];      /* GL_RENDERER */
    int software;            /* the renderer runs on the CPU */
    rs_view_quality quality; /* in effect (never AUTO) */
    double scale;            /* window frames: the scene's pixels per window pixel, per axis */
    long renders;            /* scenes drawn (batch frames nobody keeps are not) */
    /* FAST's one step down: while adapt is set, the frame rate from 1 s to
     * 3 s after opening is measured, and under RS_VIEW_FAST_MIN_FPS the
     * shadows go (scene at RS_VIEW_FAST_STEP_SCALE); touching the shadows
     * on the panel ends it */
    int adapt;
    double adapt_t0;
    long adapt_f0;
};

/* rs_viewer.c: FAST's step down, called after each frame with the time */
void rs_view_adapt(rs_viewer *v, double now);

/* rs_viewer_ui.c */
int rs_view_ui_build(rs_viewer *v);               /* after the render context exists */
void rs_view_ui_item(rs_viewer *v, mjuiItem *it); /* a panel item changed */
void rs_view_key(rs_viewer *v, int key, int mods);
void rs_view_text(rs_viewer *v); /* refresh the overlay strings */
void rs_view_overlays(rs_viewer *v, mjrRect scene);
/* The λ slider's rule for 3+ experts: put v (clamped to [0, 1]) on
 * coordinate k of a point on the simplex and rescale the others so that the
 * point stays on it: each other coordinate keeps its share of what is left
 * (1 - v); if they were all 0, the rest is split equally among them. */
void rs_view_simplex_set(double *lambda, int n, int k, double v);

/* rs_viewer_plot.c */
int rs_view_plot_init(rs_viewer *v);    /* front schema -> axes, figure defaults */
void rs_view_plot_order(rs_viewer *v);  /* front rows to draw, after the axes change */
void rs_view_plot_update(rs_viewer *v); /* figure data from the current state */
void rs_view_plot_push(rs_viewer *v);   /* a step of the running episode */
void rs_view_plot_episode_end(rs_viewer *v);
void rs_view_plot_legend(rs_viewer *v, mjrRect fig); /* coloured names under the figure */
int rs_view_plot_legend_rows(const rs_viewer *v);
void rs_view_plot_axes_value(const rs_viewer *v, const double *ret, double *x, double *y);

/* rs_viewer.c */
void rs_view_warn(rs_viewer *v, const char *fmt, ...) RS_PRINTF(2, 3);
void rs_view_nudge(rs_viewer *v, double delta);
void rs_view_reset_episode(rs_viewer *v, int reseed);
int rs_view_record_toggle(rs_viewer *v);
double rs_view_proxy_return(const rs_viewer *v, int i); /* expert i's reward, this episode */

#endif

/* rs_viewer.h — the interactive soup viewer: a robot driven by θ(λ), with λ
 * scrubbed live from an mjui panel.
 *
 * Two phases, so that the command line can tell its errors apart:
 *   rs_viewer_new   loads the experts (checked with rs_soup_check: the same
 *                   error as `rsoup soup`), the model, the env and the
 *                   optional front; no window, no display needed.
 *   rs_viewer_open  GLFW window, MuJoCo render context, UI, figure; fails
 *                   with RS_VIEWER_ERR_DISPLAY when there is no display.
 * Then rs_viewer_run (the loop) or rs_viewer_frame (one frame) and
 * rs_viewer_free.
 *
 * Every buffer is allocated by new/open; a frame never allocates. λ changes
 * (slider, keys, sweep) are queued and applied between two policy steps.
 * A frame advances the simulation by wall-clock time × speed, or, in the
 * batch modes (frames > 0: --screenshot, --sweep, a recording), by exactly
 * speed / fps seconds, so videos are reproducible. */
#ifndef RS_VIEWER_H
#define RS_VIEWER_H

#include <stdint.h>

#include <mujoco/mujoco.h>

#include "rs_policy.h"

#define RS_VIEW_MAX_EXPERTS 8

typedef enum {
    RS_VIEWER_OK = 0,
    RS_VIEWER_ERR_LOAD,    /* a file could not be read or is not a policy */
    RS_VIEWER_ERR_MIX,     /* the experts do not mix (rs_soup_check's message) */
    RS_VIEWER_ERR_DISPLAY, /* no display / GLFW could not start */
    RS_VIEWER_ERR_OTHER
} rs_viewer_err;

/* What the 3D scene costs to draw. A software renderer (Mesa's llvmpipe
 * under Xvfb: what a remote server gives) fills every pixel on the CPU, and
 * shadows and reflections each add a pass over the whole scene, so on it the
 * window defaults to the cheaper FAST settings; a GPU keeps FULL. Batch
 * frames (--screenshot, --sweep, --frames) are files, not interaction, and
 * render FULL unless asked otherwise. */
typedef enum {
    RS_VIEW_QUALITY_AUTO = 0, /* FULL on a GPU or in batch mode, FAST on a software renderer */
    RS_VIEW_QUALITY_FULL,     /* shadows and reflections, every pixel drawn */
    RS_VIEW_QUALITY_FAST,     /* see rs_view_quality_settings */
    RS_VIEW_QUALITY_PLAIN     /* no shadows or reflections, every pixel drawn */
} rs_view_quality;

/* FAST: shadows without reflections, the scene at 40 % of the window's width
 * and height; a window that still draws fewer than 30 frames/s in its first
 * seconds drops the shadows, the scene at 50 %. Measured on Xvfb + llvmpipe,
 * 2 cores, humanoid at 1280x720 with the panel and figure (docs/viewer.md):
 * full 17 frames/s, fast 33, fast after the step 45, plain 38. */
#define RS_VIEW_FAST_SCALE 0.4
#define RS_VIEW_FAST_MIN_FPS 30.0
#define RS_VIEW_FAST_STEP_SCALE 0.5

/* "auto", "full", "fast", "plain" */
const char *rs_view_quality_name(rs_view_quality q);
/* 0, or -1 for a name not above */
int rs_view_quality_parse(const char *name, rs_view_quality *q);
/* a GL_RENDERER string that names a renderer running on the CPU */
int rs_view_renderer_is_software(const char *renderer);
/* what a (resolved, not AUTO) quality draws: shadows, reflections, and the
 * fraction of the window's width and height the scene is rendered at before
 * it is scaled up (linear filter) under the panel and text, which stay sharp */
void rs_view_quality_settings(rs_view_quality q, int *shadows, int *reflections, double *scale);

typedef struct rs_viewer_opts {
    /* experts: checkpoint paths, or in-memory policies (bench, tests) */
    const char *const *paths;
    rs_policy *const *policies;
    int n;
    const double *lambda; /* initial λ[n]; NULL: (0.5, 0.5) or uniform */
    const char *front;    /* front CSV (rsoup front) or NULL */
    const char *model;    /* MJCF variant or NULL */
    uint64_t seed;
    int stochastic;
    double speed;           /* simulated seconds per wall second */
    int width, height;      /* window; 0: the model's offscreen size */
    int hidden;             /* no visible window (batch modes) */
    int frames;             /* > 0: fixed-time frames, quit after this many */
    int fps;                /* video frame rate (fixed-time frames) */
    const char *record;     /* record from the first frame */
    const char *screenshot; /* PNG of the last frame */
    int sweep;              /* λ sweeps the experts' path over the frames */
    int force_png;          /* PNG frames even when ffmpeg is on PATH */
    int vsync;
    rs_view_quality quality; /* AUTO by default */
} rs_viewer_opts;

void rs_viewer_default_opts(rs_viewer_opts *o);

typedef struct rs_viewer rs_viewer;

/* NULL on failure; *err (if non-NULL) says which kind, rs_last_error() the
 * message. Warnings (a front that does not match the experts, ...) are kept
 * for rs_viewer_warnings. */
rs_viewer *rs_viewer_new(const rs_viewer_opts *o, rs_viewer_err *err);
/* newline-separated warnings from new/open; "" if none */
const char *rs_viewer_warnings(const rs_viewer *v);
int rs_viewer_open(rs_viewer *v, rs_viewer_err *err);
/* one frame: events, simulation, render, capture; returns 1 to go on, 0
 * when the user quit or the batch is done, -1 on an error (recording) */
int rs_viewer_frame(rs_viewer *v);
/* frames until quit; the screenshot, if asked for, is written at the end.
 * 0, or -1 (error set). */
int rs_viewer_run(rs_viewer *v);
/* stop a recording (if any) and release everything; NULL-safe. Returns the
 * recording's status (0 or -1, error set). */
int rs_viewer_free(rs_viewer *v);

/* ---- state, for the command line, tests and benchmarks ---- */
const rs_policy *rs_viewer_live_policy(const rs_viewer *v);
int rs_viewer_n_experts(const rs_viewer *v);
/* λ of the live weights (applied) */
void rs_viewer_lambda(const rs_viewer *v, double *lambda);
/* queue λ (applied before the next policy step or at the end of the frame
 * when paused); 0, or -1 if λ is not on the simplex */
int rs_viewer_set_lambda(rs_viewer *v, const double *lambda);
/* apply a queued λ now (what the frame loop does between policy steps) */
void rs_viewer_apply_pending(rs_viewer *v);
long rs_viewer_frames_drawn(const rs_viewer *v);
long rs_viewer_steps(const rs_viewer *v);

/* the UI and its event state: tests drive the panel with constructed
 * events exactly as the GLFW callbacks do (fill the state, then call
 * rs_viewer_event) */
mjUI *rs_viewer_ui(rs_viewer *v);
mjuiState *rs_viewer_uistate(rs_viewer *v);
void rs_viewer_event(rs_viewer *v);
/* the centre of a UI item in event coordinates (x right, y up from the
 * bottom of the window's framebuffer); -1 if there is no such item */
int rs_viewer_item_point(rs_viewer *v, const char *name, double frac, double *x, double *y);
/* the same for a λ slider: the only one (2 experts) or expert k's (3+) */
int rs_viewer_slider_point(rs_viewer *v, int k, double frac, double *x, double *y);

/* render the current state into the offscreen buffer and read it back:
 * *rgb (w*h*3, bottom-up rows) stays valid until the next call. No
 * allocation after the first call. */
int rs_viewer_capture(rs_viewer *v, const unsigned char **rgb, int *w, int *h);
int rs_viewer_screenshot(rs_viewer *v, const char *path);

typedef struct rs_viewer_bench {
    int frames;
    double fps; /* whole frames: events, sim, render, UI, figure, swap */
    double sim_steps_per_frame;
    double render_ms;                             /* mean time in the render part of a frame */
    double mix_us_median, mix_us_p99, mix_us_max; /* rs_mixer_set alone */
    double event_us_median, event_us_p99, event_us_max; /* slider event -> weights live */
    int n_params;                                       /* floats + doubles mixed per update */
    int width, height;                                  /* framebuffer */
    char renderer[128]; /* GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" */
    int software;       /* rs_view_renderer_is_software(renderer) */
    rs_view_quality quality; /* in effect (never AUTO) */
    int shadows, reflections;
    double scale; /* of the scene's pixels, per axis */
} rs_viewer_bench;
int rs_viewer_bench_run(rs_viewer *v, int frames, int mixes, rs_viewer_bench *out);

#endif

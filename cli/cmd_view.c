/* cmd_view.c — `rsoup view`: watch θ(λ) run and scrub λ live (viewer/).
 * The options become a view request (the viewer's options, the experts'
 * files or --bench's random ones, λ); the viewer runs it; --bench's
 * figures are printed by view_print.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_view.h"

#ifndef RSOUP_HAVE_VIEWER

int cmd_view(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "rsoup view: this rsoup was built without the viewer (RSOUP_VIEWER=OFF, or "
                    "GLFW was not found at configure time: install libglfw3-dev and rebuild)\n");
    return 1;
}

#else

#include "rs_bench.h"
#include "rs_frontscore.h"
#include "rs_soup.h"
#include "rs_viewer.h"

#define HEADLESS_HINT                                                                              \
    "  run it headless under a virtual X server, e.g.\n"                                           \
    "    xvfb-run -a -s \"-screen 0 1280x800x24\" rsoup view A B --screenshot shot.png "           \
    "--frames 60\n"

/* what the command line asks of the viewer: its options (o points into
 * the rest), and what the command does around it */
typedef struct view_req {
    rs_viewer_opts o;
    int bench, json;
    long frames; /* --frames (0: not given): the batch's frames, or the benchmark's */
    char pbuf[RS_VIEW_MAX_EXPERTS][RS_PATH_BUF];
    const char *paths[RS_VIEW_MAX_EXPERTS];
    double lambda[RS_VIEW_MAX_EXPERTS];
    rs_policy *rand_ex[2]; /* --bench's experts when none are given */
} view_req;

/* the viewer's settings from the options; 0, or 2 (printed) */
static int view_settings(const rs_opt *opts, int no, view_req *q) {
    rs_viewer_opts *o = &q->o;
    rs_viewer_default_opts(o);
    long seed, fps;
    double speed;
    if (rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "fps", 1, 240, &fps) || rs_opt_double(opts, no, "speed", &speed))
        return 2;
    if (rs_opt_str(opts, no, "frames")) {
        if (rs_opt_long(opts, no, "frames", 1, 10000000, &q->frames)) return 2;
    }
    if (!(speed > 0) || speed > 100) {
        fprintf(stderr, "rsoup view: --speed must be in (0, 100]\n");
        return 2;
    }
    const char *size = rs_opt_str(opts, no, "size");
    if (size && (sscanf(size, "%dx%d", &o->width, &o->height) != 2 || o->width < 64 ||
                 o->height < 64 || o->width > 8192 || o->height > 8192)) {
        fprintf(stderr, "rsoup view: --size expects WxH like 1280x720, got '%s'\n", size);
        return 2;
    }
    o->seed = (uint64_t)seed;
    o->speed = speed;
    o->fps = (int)fps;
    o->stochastic = rs_opt_flag(opts, no, "stochastic");
    if (rs_view_quality_parse(rs_opt_str(opts, no, "quality"), &o->quality) != 0) {
        fprintf(stderr, "rsoup view: --quality is auto, full, fast or plain, got '%s'\n",
                rs_opt_str(opts, no, "quality"));
        return 2;
    }
    if (rs_opt_flag(opts, no, "plain")) o->quality = RS_VIEW_QUALITY_PLAIN;
    o->front = rs_opt_str(opts, no, "front");
    o->model = rs_opt_str(opts, no, "model");
    o->record = rs_opt_str(opts, no, "record");
    o->force_png = rs_opt_flag(opts, no, "png-frames");
    o->screenshot = rs_opt_str(opts, no, "screenshot");
    o->sweep = rs_opt_flag(opts, no, "sweep");
    if (o->sweep && !o->record && !o->screenshot) {
        fprintf(stderr, "rsoup view: --sweep renders a video: give --record FILE\n");
        return 2;
    }
    if (!q->frames && (o->screenshot || o->sweep)) q->frames = o->sweep ? 240 : 60;
    /* --frames with --bench is the benchmark's length, not batch mode */
    o->frames = q->bench ? 0 : (int)q->frames;
    o->hidden = (o->screenshot || o->sweep || q->frames > 0) && !q->bench;
    if (q->bench) o->vsync = 0;
    return 0;
}

/* the experts (files, or --bench's random ones for --env), the initial λ
 * and whether --front may be drawn; 0, or the exit status (printed) */
static int view_experts(const rs_opt *opts, int no, const char *const *pos, int np, view_req *q) {
    rs_viewer_opts *o = &q->o;
    for (int i = 0; i < np; i++)
        q->paths[i] = rs_run_file(pos[i], 0, q->pbuf[i], sizeof q->pbuf[i]);
    if (np > 0) {
        o->paths = q->paths;
        o->n = np;
    } else {
        const rs_env_spec *s = rs_env_find(rs_opt_str(opts, no, "env"));
        if (!s) return rs_cli_bad_arg("view --bench");
        if (rs_bench_experts(s, 2, q->rand_ex) != 0) return rs_cli_fail("view --bench");
        o->policies = q->rand_ex;
        o->n = 2;
    }
    const char *lt = rs_opt_str(opts, no, "lambda");
    if (lt) {
        if (o->n == 1 ? strcmp(lt, "1") != 0 : rs_soup_parse_lambda(lt, o->n, q->lambda) != 0) {
            fprintf(stderr, "rsoup view: %s\n",
                    o->n == 1 ? "one expert: lambda can only be 1" : rs_last_error());
            return 2;
        }
        if (o->n == 1) q->lambda[0] = 1;
        o->lambda = q->lambda;
    }
    /* a front of other experts, or holding a NaN, would be drawn as this
     * soup's without a word: it is left out, and the view still runs */
    if (o->front && np > 0 && !rs_front_fits_experts(o->front, q->paths, np)) {
        fprintf(stderr, "rsoup view: warning: --front %s: it is not drawn\n", rs_last_error());
        o->front = NULL;
    }
    return 0;
}

/* the viewer made (--bench's random experts released: it holds their mix)
 * and its window opened; NULL (printed) if not */
static rs_viewer *view_open(view_req *q) {
    rs_viewer_err err;
    rs_viewer *v = rs_viewer_new(&q->o, &err);
    rs_policy_free(q->rand_ex[0]);
    rs_policy_free(q->rand_ex[1]);
    q->rand_ex[0] = q->rand_ex[1] = NULL;
    if (!v) {
        if (err == RS_VIEWER_ERR_MIX)
            rs_cli_print_mix_error("view", q->paths, q->o.n);
        else
            rs_cli_fail("view");
        return NULL;
    }
    rs_cli_view_warnings(v);
    if (rs_viewer_open(v, &err) != 0) {
        if (err == RS_VIEWER_ERR_DISPLAY)
            fprintf(stderr, "rsoup view: %s\n" HEADLESS_HINT, rs_last_error());
        else
            rs_cli_fail("view");
        rs_viewer_free(v);
        return NULL;
    }
    return v;
}

int cmd_view(int argc, char **argv) {
    static const rs_cmd_info info = {
        "view", "rsoup view A B [C ...] [--front FILE] [--lambda L] [--model FILE] [--seed S] ...",
        "Open a window where the robot runs the soup theta(lambda) = sum_i lambda_i theta_i of\n"
        "the expert checkpoints, and scrub lambda live on the panel's slider(s) (one\n"
        "for two experts; one per expert, kept on the simplex, for more). Readouts:\n"
        "each reward term's return and rate in the current episode, and the proxy\n"
        "rewards' returns (each expert's training reward). With --front (a CSV from\n"
        "`rsoup front` for the same experts) a live Pareto figure shows the front,\n"
        "the experts, where the current lambda sits on it and the running episode.\n"
        "\n"
        "keys: space pause, backspace reset (same seed), left/right lambda -/+ 0.05,\n"
        "[ ] speed, R record, S stochastic, F figure, C camera, H help, Esc/Q quit.\n"
        "mouse: left drag rotate, right drag pan, scroll zoom.\n"
        "\n"
        "Batch modes: --screenshot FILE.png writes the last of --frames N frames;\n"
        "--sweep records lambda going from A to B (to C ...) over the frames; --record\n"
        "FILE writes a video through ffmpeg when it is on PATH, else numbered PNG\n"
        "frames FILE_000000.png ... Batch frames advance the simulation by exactly\n"
        "speed/fps seconds, so videos are reproducible. The capture size is the\n"
        "model's <visual><global offwidth offheight> (1280x720).\n"
        "--bench prints frames/s and the slider-to-live-weights latency (random\n"
        "experts for --env when none are given).",
        "examples:\n"
        "  rsoup view runs/risky runs/cautious --front front.csv --lambda 0.3\n"
        "  xvfb-run -a -s \"-screen 0 1280x800x24\" rsoup view a.st b.st --screenshot v.png "
        "--frames 90\n"
        "  xvfb-run -a rsoup view a.st b.st --sweep --record sweep.mp4 --frames 240\n"
        "  xvfb-run -a rsoup view --bench --env humanoid"};
    rs_opt opts[] = {
        {"front", "FILE", "front CSV of these experts (rsoup front) for the Pareto figure", NULL,
         NULL, 0},
        {"lambda", "L", "initial weights: 'x' (2 experts: weight of B) or 'w1,w2,...'", NULL, NULL,
         0},
        {"model", "FILE", "MJCF variant of the robot", NULL, NULL, 0},
        {"seed", "S", "episode seed (reset replays it)", "1", NULL, 0},
        {"stochastic", NULL, "sample actions instead of the mean", NULL, NULL, 0},
        {"speed", "X", "simulated seconds per second", "1", NULL, 0},
        {"size", "WxH", "window size (default: the model's offscreen size)", NULL, NULL, 0},
        {"quality", "Q",
         "auto (full on a GPU, fast on a software renderer), full, fast or plain", "auto", NULL,
         0},
        {"plain", NULL, "the same as --quality plain: no shadows or reflections", NULL, NULL, 0},
        {"record", "FILE", "record a video from the start (ffmpeg, else PNG frames)", NULL, NULL,
         0},
        {"png-frames", NULL, "record PNG frames even when ffmpeg is on PATH", NULL, NULL, 0},
        {"screenshot", "FILE", "write the last frame as a PNG and quit", NULL, NULL, 0},
        {"frames", "N", "frames to run in batch mode (screenshot 60, sweep 240)", NULL, NULL, 0},
        {"fps", "N", "video frame rate of batch frames and recordings", "30", NULL, 0},
        {"sweep", NULL, "sweep lambda from A to B (to C ...) over the frames and quit", NULL, NULL,
         0},
        {"bench", NULL, "measure frames/s and slider latency, then quit", NULL, NULL, 0},
        {"env", "NAME", "env of the random experts --bench uses when none are given", "humanoid",
         NULL, 0},
        {"json", NULL, "--bench: one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[RS_VIEW_MAX_EXPERTS + 1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, RS_VIEW_MAX_EXPERTS + 1);
    if (rc) return rc < 0 ? 2 : 0;
    view_req q = {.bench = rs_opt_flag(opts, no, "bench"), .json = rs_opt_flag(opts, no, "json")};
    if (np > RS_VIEW_MAX_EXPERTS) {
        fprintf(stderr, "rsoup view: at most %d experts\n", RS_VIEW_MAX_EXPERTS);
        return 2;
    }
    if (np < 1 && !q.bench) {
        fprintf(stderr,
                "rsoup view: give the expert checkpoints to mix (see 'rsoup view --help')\n");
        return 2;
    }
    if ((rc = view_settings(opts, no, &q)) != 0 ||
        (rc = view_experts(opts, no, pos, np, &q)) != 0) {
        rs_policy_free(q.rand_ex[0]);
        rs_policy_free(q.rand_ex[1]);
        return rc;
    }
    rs_viewer *v = view_open(&q);
    if (!v) return 1;
    if (q.bench) {
        rs_viewer_bench b;
        if (rs_viewer_bench_run(v, q.frames > 0 ? (int)q.frames : 200, 2000, &b) != 0)
            rc = rs_cli_fail("view --bench");
        else
            rs_cli_view_bench_print(v, &b, q.json);
    } else if (rs_viewer_run(v) != 0) {
        rc = rs_cli_fail("view");
    } else if (q.o.screenshot) {
        fprintf(stderr, "rsoup view: wrote %s (frame %ld)\n", q.o.screenshot,
                rs_viewer_frames_drawn(v));
    }
    if (rs_viewer_free(v) != 0 && rc == 0) rc = rs_cli_fail("view");
    return rc;
}

#endif

/* cmd_view.c — `rsoup view`: watch θ(λ) run and scrub λ live (viewer/). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

#include "cli_soup.h"
#include "rs_frontscore.h"
#include "rs_soup.h"
#include "rs_viewer.h"

#define HEADLESS_HINT                                                                              \
    "  run it headless under a virtual X server, e.g.\n"                                           \
    "    xvfb-run -a -s \"-screen 0 1280x800x24\" rsoup view A B --screenshot shot.png "           \
    "--frames 60\n"

/* two random experts for the benchmark when none are given */
static int random_experts(const char *env, rs_policy **out) {
    const rs_env_spec *s = rs_env_find(env);
    if (!s) return -1;
    const int hidden[2] = {64, 64};
    for (int i = 0; i < 2; i++) {
        out[i] = rs_policy_new(RS_ALGO_PPO, s->obs_dim, s->act_dim, (float)s->act_bound, hidden, 2,
                               RS_ACT_TANH);
        if (!out[i]) return -1;
        rs_rng rng;
        rs_rng_seed(&rng, 7, (uint64_t)i);
        rs_mlp_init_orthogonal(out[i]->pi, &rng, 1.41421356f, 0.01f);
        snprintf(out[i]->env, sizeof out[i]->env, "%s", s->name);
        const char *preset = s->presets[i < s->n_presets ? i : 0].name;
        snprintf(out[i]->reward, sizeof out[i]->reward, "%s", preset);
        rs_reward_parse(s, preset, out[i]->reward_w);
    }
    return 0;
}

/* The figure draws --front as the soup being watched: a front made from
 * other experts (its "# experts:" line) or holding a NaN would be drawn as
 * if it were this soup's, without a word. Such a front is left out, with a
 * warning: the view still runs, as for a front of another expert count.
 * 1 when it may be drawn. */
static int front_fits(const char *front, const char *const *paths, int n) {
    struct stat sb;
    /* a pipe is read once, by the viewer; what cannot be read, it reports */
    if (stat(front, &sb) != 0 || !S_ISREG(sb.st_mode)) return 1;
    rs_front *f = rs_front_load(front, NULL);
    if (!f) return 1;
    int ok = 1;
    if (!rs_front_made_from(f, paths, n)) {
        fprintf(stderr, "rsoup view: warning: --front %s was made from '%s', not from the experts "
                        "given: it is not drawn\n",
                front, rs_front_meta(f, "experts"));
        ok = 0;
    } else if (!f->plain &&
               rs_front_check_finite(front, f, RS_KIND_BIT(RS_KIND_SOUP) | RS_KIND_BIT(RS_KIND_EXPERT),
                                     0) != 0) {
        fprintf(stderr, "rsoup view: warning: --front %s: it is not drawn\n", rs_last_error());
        ok = 0;
    }
    rs_front_free(f);
    return ok;
}

static void print_warnings(const rs_viewer *v) {
    const char *w = rs_viewer_warnings(v);
    while (*w) {
        const char *e = strchr(w, '\n');
        int n = e ? (int)(e - w) : (int)strlen(w);
        fprintf(stderr, "rsoup view: warning: %.*s\n", n, w);
        w += n + (e ? 1 : 0);
    }
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
    int bench = rs_opt_flag(opts, no, "bench");
    if (np > RS_VIEW_MAX_EXPERTS) {
        fprintf(stderr, "rsoup view: at most %d experts\n", RS_VIEW_MAX_EXPERTS);
        return 2;
    }
    if (np < 1 && !bench) {
        fprintf(stderr,
                "rsoup view: give the expert checkpoints to mix (see 'rsoup view --help')\n");
        return 2;
    }
    rs_viewer_opts o;
    rs_viewer_default_opts(&o);
    long seed, frames = 0, fps;
    double speed;
    if (rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "fps", 1, 240, &fps) || rs_opt_double(opts, no, "speed", &speed))
        return 2;
    if (rs_opt_str(opts, no, "frames")) {
        if (rs_opt_long(opts, no, "frames", 1, 10000000, &frames)) return 2;
    }
    if (!(speed > 0) || speed > 100) {
        fprintf(stderr, "rsoup view: --speed must be in (0, 100]\n");
        return 2;
    }
    const char *size = rs_opt_str(opts, no, "size");
    if (size && (sscanf(size, "%dx%d", &o.width, &o.height) != 2 || o.width < 64 || o.height < 64 ||
                 o.width > 8192 || o.height > 8192)) {
        fprintf(stderr, "rsoup view: --size expects WxH like 1280x720, got '%s'\n", size);
        return 2;
    }
    o.seed = (uint64_t)seed;
    o.speed = speed;
    o.fps = (int)fps;
    o.stochastic = rs_opt_flag(opts, no, "stochastic");
    if (rs_view_quality_parse(rs_opt_str(opts, no, "quality"), &o.quality) != 0) {
        fprintf(stderr, "rsoup view: --quality is auto, full, fast or plain, got '%s'\n",
                rs_opt_str(opts, no, "quality"));
        return 2;
    }
    if (rs_opt_flag(opts, no, "plain")) o.quality = RS_VIEW_QUALITY_PLAIN;
    o.front = rs_opt_str(opts, no, "front");
    o.model = rs_opt_str(opts, no, "model");
    o.record = rs_opt_str(opts, no, "record");
    o.force_png = rs_opt_flag(opts, no, "png-frames");
    o.screenshot = rs_opt_str(opts, no, "screenshot");
    o.sweep = rs_opt_flag(opts, no, "sweep");
    if (o.sweep && !o.record && !o.screenshot) {
        fprintf(stderr, "rsoup view: --sweep renders a video: give --record FILE\n");
        return 2;
    }
    if (!frames && (o.screenshot || o.sweep)) frames = o.sweep ? 240 : 60;
    /* --frames with --bench is the benchmark's length, not batch mode */
    o.frames = bench ? 0 : (int)frames;
    o.hidden = (o.screenshot || o.sweep || frames > 0) && !bench;

    char pbuf[RS_VIEW_MAX_EXPERTS][RS_PATH_BUF];
    const char *paths[RS_VIEW_MAX_EXPERTS];
    rs_policy *rand_ex[2] = {0};
    for (int i = 0; i < np; i++)
        paths[i] = rs_run_file(pos[i], 0, pbuf[i], sizeof pbuf[i]);
    if (np > 0) {
        o.paths = paths;
        o.n = np;
    } else {
        if (!rs_env_find(rs_opt_str(opts, no, "env"))) return rs_cli_bad_arg("view --bench");
        if (random_experts(rs_opt_str(opts, no, "env"), rand_ex) != 0) {
            rs_policy_free(rand_ex[0]);
            rs_policy_free(rand_ex[1]);
            return rs_cli_fail("view --bench");
        }
        o.policies = rand_ex;
        o.n = 2;
    }
    double lambda[RS_VIEW_MAX_EXPERTS];
    const char *lt = rs_opt_str(opts, no, "lambda");
    if (lt) {
        if (o.n == 1 ? strcmp(lt, "1") != 0 : rs_soup_parse_lambda(lt, o.n, lambda) != 0) {
            fprintf(stderr, "rsoup view: %s\n",
                    o.n == 1 ? "one expert: lambda can only be 1" : rs_last_error());
            return 2;
        }
        if (o.n == 1) lambda[0] = 1;
        o.lambda = lambda;
    }
    if (bench) o.vsync = 0;
    if (o.front && np > 0 && !front_fits(o.front, paths, np)) o.front = NULL;

    rs_viewer_err err;
    rs_viewer *v = rs_viewer_new(&o, &err);
    rs_policy_free(rand_ex[0]);
    rs_policy_free(rand_ex[1]);
    if (!v) {
        if (err == RS_VIEWER_ERR_MIX)
            rs_cli_print_mix_error("view", paths, o.n);
        else
            rs_cli_fail("view");
        return 1;
    }
    print_warnings(v);
    if (rs_viewer_open(v, &err) != 0) {
        if (err == RS_VIEWER_ERR_DISPLAY)
            fprintf(stderr, "rsoup view: %s\n" HEADLESS_HINT, rs_last_error());
        else
            rs_cli_fail("view");
        rs_viewer_free(v);
        return 1;
    }
    rc = 0;
    if (bench) {
        rs_viewer_bench b;
        int bf = frames > 0 ? (int)frames : 200;
        if (rs_viewer_bench_run(v, bf, 2000, &b) != 0) {
            rc = rs_cli_fail("view --bench");
        } else {
            const rs_policy *p = rs_viewer_live_policy(v);
            char arch[128];
            int hidden[RS_MLP_MAX_LAYERS];
            for (int l = 0; l + 1 < p->pi->n_layers; l++)
                hidden[l] = p->pi->sizes[l + 1];
            rs_arch_format(hidden, p->pi->n_layers - 1, arch, sizeof arch);
            if (rs_opt_flag(opts, no, "json")) {
                cJSON *j = cJSON_CreateObject();
                cJSON_AddStringToObject(j, "env", p->env);
                cJSON_AddNumberToObject(j, "experts", rs_viewer_n_experts(v));
                cJSON_AddStringToObject(j, "arch", arch);
                cJSON_AddStringToObject(j, "renderer", b.renderer);
                cJSON_AddBoolToObject(j, "software", b.software);
                cJSON_AddStringToObject(j, "quality", rs_view_quality_name(b.quality));
                cJSON_AddBoolToObject(j, "shadows", b.shadows);
                cJSON_AddBoolToObject(j, "reflections", b.reflections);
                cJSON_AddNumberToObject(j, "scale", b.scale);
                cJSON_AddNumberToObject(j, "width", b.width);
                cJSON_AddNumberToObject(j, "height", b.height);
                cJSON_AddNumberToObject(j, "frames", b.frames);
                cJSON_AddNumberToObject(j, "fps", b.fps);
                cJSON_AddNumberToObject(j, "render_ms", b.render_ms);
                cJSON_AddNumberToObject(j, "sim_steps_per_frame", b.sim_steps_per_frame);
                cJSON_AddNumberToObject(j, "mixed_values", b.n_params);
                cJSON_AddNumberToObject(j, "mix_us_median", b.mix_us_median);
                cJSON_AddNumberToObject(j, "mix_us_p99", b.mix_us_p99);
                cJSON_AddNumberToObject(j, "mix_us_max", b.mix_us_max);
                cJSON_AddNumberToObject(j, "slider_to_live_us_median", b.event_us_median);
                cJSON_AddNumberToObject(j, "slider_to_live_us_p99", b.event_us_p99);
                cJSON_AddNumberToObject(j, "slider_to_live_us_max", b.event_us_max);
                rs_json_print(j);
            } else {
                printf("rsoup view --bench: %s, %d experts (%s), %dx%d window, panel + overlays + "
                       "figure\n",
                       p->env, rs_viewer_n_experts(v), arch, b.width, b.height);
                printf("  renderer               %s (%s)\n", b.renderer,
                       b.software ? "software" : "hardware");
                printf("  quality                %s: shadows %s, reflections %s, scene at %.0f%% "
                       "of the window's width and height\n",
                       rs_view_quality_name(b.quality), b.shadows ? "on" : "off",
                       b.reflections ? "on" : "off", 100 * b.scale);
                printf("  frames/s               %8.1f   (%d frames; render %.1f ms/frame, %.1f "
                       "sim steps/frame)\n",
                       b.fps, b.frames, b.render_ms, b.sim_steps_per_frame);
                printf("  mix of %d values     median %7.1f us   p99 %7.1f us   max %8.1f us\n",
                       b.n_params, b.mix_us_median, b.mix_us_p99, b.mix_us_max);
                printf("  slider event -> live   median %7.1f us   p99 %7.1f us   max %8.1f us\n",
                       b.event_us_median, b.event_us_p99, b.event_us_max);
            }
        }
    } else if (rs_viewer_run(v) != 0) {
        rc = rs_cli_fail("view");
    } else if (o.screenshot) {
        fprintf(stderr, "rsoup view: wrote %s (frame %ld)\n", o.screenshot,
                rs_viewer_frames_drawn(v));
    }
    if (rs_viewer_free(v) != 0 && rc == 0) rc = rs_cli_fail("view");
    return rc;
}

#endif

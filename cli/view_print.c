/* view_print.c — what `rsoup view` prints beyond its errors: the viewer's
 * warnings, one line each, and --bench's figures (the live policy's env and
 * architecture, the renderer and quality, frames/s and the latencies of the
 * mix and of a slider event) as text or one JSON object (cli_view.h). */
#ifdef RSOUP_HAVE_VIEWER
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_view.h"
#include "rs_viewer.h"

static void bench_json(const rs_policy *p, int n_experts, const char *arch,
                       const rs_viewer_bench *b) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "env", p->env);
    cJSON_AddNumberToObject(j, "experts", n_experts);
    cJSON_AddStringToObject(j, "arch", arch);
    cJSON_AddStringToObject(j, "renderer", b->renderer);
    cJSON_AddBoolToObject(j, "software", b->software);
    cJSON_AddStringToObject(j, "quality", rs_view_quality_name(b->quality));
    cJSON_AddBoolToObject(j, "shadows", b->shadows);
    cJSON_AddBoolToObject(j, "reflections", b->reflections);
    cJSON_AddNumberToObject(j, "scale", b->scale);
    cJSON_AddNumberToObject(j, "width", b->width);
    cJSON_AddNumberToObject(j, "height", b->height);
    cJSON_AddNumberToObject(j, "frames", b->frames);
    cJSON_AddNumberToObject(j, "fps", b->fps);
    cJSON_AddNumberToObject(j, "render_ms", b->render_ms);
    cJSON_AddNumberToObject(j, "sim_steps_per_frame", b->sim_steps_per_frame);
    cJSON_AddNumberToObject(j, "mixed_values", b->n_params);
    cJSON_AddNumberToObject(j, "mix_us_median", b->mix_us_median);
    cJSON_AddNumberToObject(j, "mix_us_p99", b->mix_us_p99);
    cJSON_AddNumberToObject(j, "mix_us_max", b->mix_us_max);
    cJSON_AddNumberToObject(j, "slider_to_live_us_median", b->event_us_median);
    cJSON_AddNumberToObject(j, "slider_to_live_us_p99", b->event_us_p99);
    cJSON_AddNumberToObject(j, "slider_to_live_us_max", b->event_us_max);
    rs_json_print(j);
}

static void bench_text(const rs_policy *p, int n_experts, const char *arch,
                       const rs_viewer_bench *b) {
    printf("rsoup view --bench: %s, %d experts (%s), %dx%d window, panel + overlays + figure\n",
           p->env, n_experts, arch, b->width, b->height);
    printf("  renderer               %s (%s)\n", b->renderer,
           b->software ? "software" : "hardware");
    printf("  quality                %s: shadows %s, reflections %s, scene at %.0f%% of the "
           "window's width and height\n",
           rs_view_quality_name(b->quality), b->shadows ? "on" : "off",
           b->reflections ? "on" : "off", 100 * b->scale);
    printf("  frames/s               %8.1f   (%d frames; render %.1f ms/frame, %.1f sim "
           "steps/frame)\n",
           b->fps, b->frames, b->render_ms, b->sim_steps_per_frame);
    printf("  mix of %d values     median %7.1f us   p99 %7.1f us   max %8.1f us\n", b->n_params,
           b->mix_us_median, b->mix_us_p99, b->mix_us_max);
    printf("  slider event -> live   median %7.1f us   p99 %7.1f us   max %8.1f us\n",
           b->event_us_median, b->event_us_p99, b->event_us_max);
}

void rs_cli_view_warnings(const rs_viewer *v) {
    const char *w = rs_viewer_warnings(v);
    while (*w) {
        const char *e = strchr(w, '\n');
        int n = e ? (int)(e - w) : (int)strlen(w);
        fprintf(stderr, "rsoup view: warning: %.*s\n", n, w);
        w += n + (e ? 1 : 0);
    }
}

void rs_cli_view_bench_print(const rs_viewer *v, const rs_viewer_bench *b, int json) {
    const rs_policy *p = rs_viewer_live_policy(v);
    char arch[128];
    int hidden[RS_MLP_MAX_LAYERS];
    for (int l = 0; l + 1 < p->pi->n_layers; l++)
        hidden[l] = p->pi->sizes[l + 1];
    rs_arch_format(hidden, p->pi->n_layers - 1, arch, sizeof arch);
    if (json)
        bench_json(p, rs_viewer_n_experts(v), arch, b);
    else
        bench_text(p, rs_viewer_n_experts(v), arch, b);
}

#endif

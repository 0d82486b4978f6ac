/* cmd_front.c — `rsoup front`: evaluate soups on a λ grid into a front CSV.
 * The flags become an rs_frontplan request (lab/rs_frontplan.h: planning,
 * resume, evaluation); this file prints what it returns. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_frontplan.h"

#define MAX_EXPERTS 16
#define MAX_FILES 32

static int split_list(char *text, const char **out, int max) {
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(text, ";", &save); t && n < max; t = strtok_r(NULL, ";", &save)) out[n++] = t;
    return n;
}

/* the front as one JSON object, or as a table and where it went */
static void print_front(const rs_front *f, const rs_rewardset *obj, const char *env, long episodes,
                        const char *out, int json) {
    const int np = f->n_experts;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", out);
        cJSON_AddStringToObject(o, "env", env);
        cJSON_AddNumberToObject(o, "episodes", (double)episodes);
        cJSON *names = cJSON_AddArrayToObject(o, "objectives");
        for (int k = 0; k < obj->n; k++) cJSON_AddItemToArray(names, cJSON_CreateString(obj->name[k]));
        cJSON *rows = cJSON_AddArrayToObject(o, "rows");
        for (int r = 0; r < f->n; r++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "kind", rs_front_kind_name(f->kind[r]));
            cJSON_AddStringToObject(x, "label", f->label[r]);
            cJSON_AddItemToObject(x, "lambda", rs_lab_json_nums(f->lambda + (size_t)r * np, np));
            cJSON_AddNumberToObject(x, "episodes", f->episodes[r]);
            cJSON *rw_j = cJSON_AddArrayToObject(x, "rewards");
            for (int k = 0; k < obj->n; k++)
                rs_cli_json_stat(rw_j, "reward", obj->name[k], f->obj[(size_t)r * obj->n + k],
                                 f->std[(size_t)r * obj->n + k]);
            cJSON *tm_j = cJSON_AddArrayToObject(x, "terms");
            for (int t = 0; t < f->n_terms; t++)
                rs_cli_json_stat(tm_j, "name", f->term_names[t], f->term[(size_t)r * f->n_terms + t],
                                 f->termstd[(size_t)r * f->n_terms + t]);
            cJSON_AddItemToObject(x, "length", rs_lab_json_num(f->length[r]));
            cJSON_AddItemToArray(rows, x);
        }
        rs_json_print(o);
        return;
    }
    printf("%-9s %-24s", "kind", "label");
    for (int k = 0; k < obj->n; k++) printf(" %14.14s", obj->name[k]);
    printf(" %8s\n", "length");
    for (int r = 0; r < f->n; r++) {
        printf("%-9s %-24.24s", rs_front_kind_name(f->kind[r]), f->label[r]);
        for (int k = 0; k < obj->n; k++) printf(" %14.2f", f->obj[(size_t)r * obj->n + k]);
        printf(" %8.1f\n", f->length[r]);
    }
    printf("\nwrote %s — score it with 'rsoup pareto %s'\n", out, out);
}

/* rsoup front --help */
static const rs_cmd_info front_info = {
    "front",
    "rsoup front A B [C ...] [--grid G | --lambdas FILE] [--episodes K] [--rewards R1,R2] "
    "[--names N1,N2] [--out FILE]",
    "Evaluate the soups θ(λ) = Σ λ_i θ_i of the expert policies A, B, ... on a\n"
    "grid of λ — G points from 0 to 1 for two experts (λ is the weight of B),\n"
    "the simplex lattice with G points per edge for more — with K deterministic\n"
    "episodes each, in parallel. Every reward term's mean and std and each proxy\n"
    "reward's return are written to FILE (CSV, one row per point), together with\n"
    "the experts themselves and any --baseline/--init checkpoints, so they plot\n"
    "together. Rows are written as they finish: an interrupted run keeps them and\n"
    "--resume completes it.",
    "Experts whose recorded inits differ are warned about (soups assume one\n"
    "shared init). Proxy rewards default to the experts' own training rewards.\n"
    "Separate rewards that are term lists with ';': --rewards 'forward=1;ctrl=1'.\n"
    "--names gives each reward a name (letters, digits, '_', '-'), one per reward in\n"
    "order: the columns are obj:<name>, and a '# reward <name>: <spec>' line above\n"
    "the header keeps each spec; without --names the columns are the specs ('\n"
    "written as ';'), as before.\n"
    "example: rsoup front runs/risky runs/cautious --grid 21 --episodes 10 --out front.csv\n"
    "         rsoup front runs/fast runs/calm --rewards 'risky;forward=1,ctrl=2' "
    "--names fast,calm"};
int cmd_front(int argc, char **argv) {
    rs_opt opts[] = {
        {"grid", "G", "points per edge of the λ grid", "11", NULL, 0},
        {"lambdas", "FILE", "λ points, one comma-separated row each", NULL, NULL, 0},
        {"episodes", "K", "episodes per point", "10", NULL, 0},
        {"rewards", "R1,R2", "proxy rewards (default: the experts' training rewards)", NULL, NULL, 0},
        {"names", "N1,N2", "a name per reward, for the columns and plots", NULL, NULL, 0},
        {"out", "FILE", "front CSV", "front.csv", NULL, 0},
        {"resume", NULL, "complete an interrupted FILE", NULL, NULL, 0},
        {"baseline", "CKPT", "extra checkpoints to evaluate (';'-separated), e.g. MORL runs", NULL, NULL, 0},
        {"init", "CKPT", "the shared initialisation, evaluated as an 'init' row", NULL, NULL, 0},
        {"seed", "S", "evaluation seed", "1000", NULL, 0},
        {"threads", "T", "threads (0: all cores)", "0", NULL, 0},
        {"model", "FILE", "MJCF variant of the robot", NULL, NULL, 0},
        {"method", "M", "linear soups, or fisher (Fisher-weighted, PPO policies)", "linear", NULL, 0},
        {"fisher-steps", "N", "env steps of each expert's rollouts for its Fisher", "5000", NULL, 0},
        {"quiet", NULL, "no progress output", NULL, NULL, 0},
        {"json", NULL, "print the front as one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[MAX_EXPERTS];
    int np = 0;
    int rc = rs_cli_parse(&front_info, opts, no, argc, argv, pos, &np, MAX_EXPERTS);
    if (rc) return rc < 0 ? 2 : 0;
    if (np < 2) {
        fprintf(stderr, "rsoup front: give at least two experts (see --help)\n");
        return 2;
    }
    long grid, episodes, seed, threads;
    if (rs_opt_long(opts, no, "grid", 2, 1001, &grid) ||
        rs_opt_long(opts, no, "episodes", 1, 100000, &episodes) ||
        rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads))
        return 2;
    const char *method = rs_opt_str(opts, no, "method");
    long fsteps = 0;
    if (strcmp(method, "linear") && strcmp(method, "fisher")) {
        fprintf(stderr, "rsoup front: unknown --method '%s' (valid: linear, fisher)\n", method);
        return 2;
    }
    if (rs_opt_long(opts, no, "fisher-steps", 100, 100000000, &fsteps)) return 2;
    char pbuf[MAX_EXPERTS][RS_PATH_BUF];
    const char *paths[MAX_EXPERTS];
    for (int i = 0; i < np; i++) paths[i] = rs_run_file(pos[i], 0, pbuf[i], sizeof pbuf[i]);
    rs_st *ex[MAX_EXPERTS] = {0};
    const rs_env_spec *spec = NULL;
    rc = 1;
    if (rs_cli_load_experts("front", paths, np, ex, &spec) != 0) goto done;
    rs_cli_warn_inits("front", ex, paths, np);
    static rs_rewardset obj;
    const char *rw = rs_opt_str(opts, no, "rewards"), *nm = rs_opt_str(opts, no, "names");
    if ((rw ? rs_cli_rewards_parse(spec, rw, &obj) : rs_cli_rewards_of_experts(spec, ex, np, &obj)) != 0) {
        fprintf(stderr, "rsoup front: %s\n", rs_last_error());
        if (rw) rc = 2; /* --rewards is wrong; else an expert's file lacks its reward */
        goto done;
    }
    if (nm && rs_rewardset_name(&obj, nm) != 0) {
        fprintf(stderr, "rsoup front: --names: %s\n", rs_last_error());
        rc = 2;
        goto done;
    }
    const char *onames[RS_REWARDSET_MAX], *ospecs[RS_REWARDSET_MAX];
    for (int k = 0; k < obj.n; k++) onames[k] = obj.name[k], ospecs[k] = obj.spec[k];
    /* the baselines and the init, as checkpoint files */
    char filebuf[RS_CLI_ARG_MAX + 1] = "", ibuf[RS_PATH_BUF];
    static char bbuf[MAX_FILES][RS_PATH_BUF];
    const char *files[MAX_FILES];
    int n_files = 0;
    const char *bl = rs_opt_str(opts, no, "baseline");
    if (bl) {
        snprintf(filebuf, sizeof filebuf, "%s", bl);
        n_files = split_list(filebuf, files, MAX_FILES);
    }
    for (int i = 0; i < n_files; i++) files[i] = rs_run_file(files[i], 0, bbuf[i], sizeof bbuf[i]);
    const char *init = rs_opt_str(opts, no, "init");
    const char *out = rs_opt_str(opts, no, "out");
    rs_frontplan_req q = {
        .n_experts = np, .paths = paths, .experts = ex, .spec = spec, .n_obj = obj.n,
        .obj_names = onames, .obj_w = (const double(*)[RS_MAX_TERMS])obj.w,
        .obj_specs = obj.named ? ospecs : NULL,
        .lambdas_file = rs_opt_str(opts, no, "lambdas"), .grid = (int)grid,
        .episodes = (int)episodes, .seed = (uint64_t)seed, .threads = threads,
        .model = rs_opt_str(opts, no, "model"), .fisher = !strcmp(method, "fisher"),
        .fisher_steps = fsteps, .episodes_arg = rs_opt_str(opts, no, "episodes"),
        .seed_arg = rs_opt_str(opts, no, "seed"), .fisher_steps_arg = rs_opt_str(opts, no, "fisher-steps"),
        .init = init ? rs_run_file(init, 0, ibuf, sizeof ibuf) : NULL, .n_baselines = n_files,
        .baselines = files, .out = out, .resume = rs_opt_flag(opts, no, "resume"), .log = stderr,
        .who = "rsoup front", .quiet = rs_opt_flag(opts, no, "quiet")};
    rs_frontplan_res res;
    if (rs_frontplan_run(&q, &res) != 0) {
        if (res.eval_failed)
            fprintf(stderr, "\nrsoup front: %s (rows finished so far are in %s; --resume continues)\n",
                    rs_last_error(), out);
        else
            fprintf(stderr, "rsoup front: %s\n", rs_last_error());
        goto done;
    }
    print_front(res.front, &obj, spec->name, episodes, out, rs_opt_flag(opts, no, "json"));
    rs_frontplan_res_free(&res);
    rc = 0;
done:
    for (int i = 0; i < np; i++) rs_st_free(ex[i]);
    return rc;
}

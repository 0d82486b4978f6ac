/* cmd_eval.c — `rsoup eval`: per-term returns of a policy, and the returns
 * of the rewards asked for (lab/rs_evalrun.h runs the episodes). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_evalrun.h"
#include "cli_soup.h"

/* whether a --reward value names anything: not empty, not only ';' and blanks */
static int has_spec(const char *v) {
    for (; *v; v++)
        if (*v != ';' && !isspace((unsigned char)*v)) return 1;
    return 0;
}

/* the rewards reported, as specs and weights over the env's terms */
typedef struct {
    int n;
    char specs[RS_EVALRUN_MAX_REWARDS][RS_EVALRUN_SPEC_MAX];
    double w[RS_EVALRUN_MAX_REWARDS][RS_MAX_TERMS];
} rewards;

/* --reward's specs (given: a reward list, ';'-separated, or ','-separated
 * presets), else the policy's own; each parsed over the env's terms. 0, or the exit status (printed): a --reward
 * of the command line is wrong, the policy's own is a file's */
static int read_rewards(rewards *rw, char *given, const rs_evalrun *e, const char *path) {
    rw->n = 0;
    if (given[0]) {
        /* a list, as every command reads one (rs_rewardset) */
        static rs_rewardset set;
        if (rs_cli_rewards_parse(e->spec, given, &set) != 0) return rs_cli_bad_arg("eval");
        for (int k = 0; k < set.n && rw->n < RS_EVALRUN_MAX_REWARDS; k++, rw->n++) {
            snprintf(rw->specs[rw->n], sizeof rw->specs[0], "%s", set.spec[k]);
            memcpy(rw->w[rw->n], set.w[k], sizeof rw->w[0]);
        }
        return 0;
    }
    for (int i = 0; i < e->n_own; i++)
        snprintf(rw->specs[rw->n++], sizeof rw->specs[0], "%s", e->own[i]);
    for (int r = 0; r < rw->n; r++)
        if (rs_cli_reward(e->spec, rw->specs[r], rw->w[r]) != 0)
            return !strcmp(rw->specs[r], "default") ? rs_cli_bad_arg("eval") : rs_cli_fail(path);
    return 0;
}

static void print_json(const rs_evalrun *e, const rewards *rw, const char *path, long seed,
                       int per_episode) {
    const rs_eval_result *res = &e->res;
    const rs_env_spec *s = e->spec;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "policy", path);
    cJSON_AddStringToObject(o, "env", s->name);
    cJSON_AddNumberToObject(o, "episodes", res->episodes);
    cJSON_AddNumberToObject(o, "seed", (double)seed);
    cJSON_AddNumberToObject(o, "length_mean", e->length_mean);
    cJSON_AddNumberToObject(o, "length_std", e->length_std);
    cJSON *ra = cJSON_AddArrayToObject(o, "rewards");
    for (int r = 0; r < rw->n; r++) {
        double m, sd;
        rs_eval_reward_stats(res, rw->w[r], &m, &sd);
        rs_cli_json_stat(ra, "reward", rw->specs[r], m, sd);
    }
    cJSON *t = cJSON_AddArrayToObject(o, "terms");
    for (int k = 0; k < s->n_terms; k++) {
        double m, sd;
        rs_eval_term_stats(res, k, &m, &sd);
        rs_cli_json_stat(t, "name", s->terms[k], m, sd);
    }
    cJSON_AddNumberToObject(o, "action_sq_per_step", e->action_sq);
    cJSON_AddNumberToObject(o, "action_saturated", e->action_sat);
    cJSON_AddNumberToObject(o, "env_steps_per_s", e->steps_per_s);
    if (per_episode) {
        cJSON *pe = cJSON_AddArrayToObject(o, "per_episode");
        for (int i = 0; i < res->episodes; i++) {
            const double *ti = res->terms + (size_t)i * res->n_terms;
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "episode", i);
            cJSON_AddNumberToObject(x, "length", res->length[i]);
            cJSON *er = cJSON_AddArrayToObject(x, "rewards");
            for (int r = 0; r < rw->n; r++)
                rs_cli_json_value(er, "reward", rw->specs[r], "return",
                                  rs_eval_episode_reward(res, i, rw->w[r]));
            cJSON *et = cJSON_AddArrayToObject(x, "terms");
            for (int k = 0; k < s->n_terms; k++)
                rs_cli_json_value(et, "name", s->terms[k], "return", ti[k]);
            cJSON_AddItemToArray(pe, x);
        }
    }
    rs_json_print(o);
}

/* every episode: its length, the rewards R1, R2, ... and the terms */
static void print_episodes(const rs_evalrun *e, const rewards *rw) {
    const rs_eval_result *res = &e->res;
    const rs_env_spec *s = e->spec;
    printf("\n  %7s %7s", "episode", "length");
    for (int r = 0; r < rw->n; r++) {
        char h[16];
        snprintf(h, sizeof h, "R%d", r + 1);
        printf(" %12s", h);
    }
    for (int k = 0; k < s->n_terms; k++)
        printf(" %12.12s", s->terms[k]);
    printf("\n");
    for (int i = 0; i < res->episodes; i++) {
        const double *ti = res->terms + (size_t)i * res->n_terms;
        printf("  %7d %7d", i, res->length[i]);
        for (int r = 0; r < rw->n; r++)
            printf(" %12.2f", rs_eval_episode_reward(res, i, rw->w[r]));
        for (int k = 0; k < s->n_terms; k++)
            printf(" %12.2f", ti[k]);
        printf("\n");
    }
}

static void print_text(const rs_evalrun *e, const rewards *rw, const char *path, long seed,
                       int per_episode) {
    const rs_eval_result *res = &e->res;
    const rs_env_spec *s = e->spec;
    printf("%s on %s: %d episodes (seed %ld), length %.1f ± %.1f\n", path, s->name, res->episodes,
           seed, e->length_mean, e->length_std);
    printf("\n  %-14s %12s %10s\n", "term", "return", "std");
    for (int k = 0; k < s->n_terms; k++) {
        double m, sd;
        rs_eval_term_stats(res, k, &m, &sd);
        printf("  %-14s %12.2f %10.2f\n", s->terms[k], m, sd);
    }
    printf("\n  %-40s %12s %10s\n", "reward", "return", "std");
    for (int r = 0; r < rw->n; r++) {
        double m, sd;
        rs_eval_reward_stats(res, rw->w[r], &m, &sd);
        char label[16] = "";
        if (per_episode) snprintf(label, sizeof label, "R%d ", r + 1);
        printf("  %s%-*s %12.2f %10.2f\n", label, 40 - (int)strlen(label), rw->specs[r], m, sd);
    }
    if (per_episode) print_episodes(e, rw);
    printf("\n  actions: sum(a^2) %.3f per step, %.1f %% of components within 1 %% of the bound\n",
           e->action_sq, 100 * e->action_sat);
    printf("\n  %.0f env steps/s\n", e->steps_per_s);
}

/* --reward may repeat: its values, ';'-joined, into rewards[cap]; the other
 * arguments into args. Returns their count; *empty: a value named nothing */
static int gather_rewards(int argc, char **argv, char *rewards, size_t cap, char **args,
                          int *empty) {
    int nargs = 0;
    for (int i = 0; i < argc && nargs < 256; i++) {
        if (!strcmp(argv[i], "--reward") && i + 1 < argc) {
            size_t n = strlen(rewards);
            *empty |= !has_spec(argv[i + 1]);
            snprintf(rewards + n, cap - n, "%s%s", n ? ";" : "", argv[++i]);
            continue;
        }
        args[nargs++] = argv[i];
    }
    return nargs;
}

int cmd_eval(int argc, char **argv) {
    static const rs_cmd_info info = {
        "eval",
        "rsoup eval POLICY [--episodes K] [--reward SPEC]... [--seed S] [--per-episode] [--json]",
        "Run K episodes of POLICY (a policy.safetensors or a run directory) with\n"
        "deterministic (mean) actions, in parallel, and report every reward term's\n"
        "return (mean and std), the episode lengths, and the return of each reward\n"
        "given with --reward (repeatable, or a list: ';'-separated, or presets\n"
        "','-separated as every command reads one; default: the reward the\n"
        "policy was trained on, or for a soup each of its experts' rewards, and the\n"
        "env's default). --per-episode adds every\n"
        "episode's length, rewards and terms: a mean hides whether all episodes\n"
        "dropped a little or a few failed. In the table the rewards are columns\n"
        "R1, R2, ... as numbered above it. In JSON every reward and term is an\n"
        "object naming it (\"reward\": spec, \"name\": term) with its mean and\n"
        "std, or per episode its \"return\" (docs/formats.md, \"JSON output\").",
        "example: rsoup eval runs/hopper --episodes 20 --reward risky --reward cautious"};
    rs_opt opts[] = {
        {"episodes", "K", "episodes", "10", NULL, 0},
        {"reward", "SPEC", "reward(s) to score: a list, ';'-separated (or presets ','-separated)", NULL, NULL, 0},
        {"seed", "S", "evaluation seed (episode i uses stream i)", "1000", NULL, 0},
        {"threads", "T", "threads (0: all cores)", "0", NULL, 0},
        {"model", "FILE", "MJCF variant of the robot", NULL, NULL, 0},
        {"stochastic", NULL, "sample actions instead of the mean", NULL, NULL, 0},
        {"per-episode", NULL, "also report each episode", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    char given[2048] = "";
    char *args[256];
    int empty_reward = 0;
    int nargs = gather_rewards(argc, argv, given, sizeof given, args, &empty_reward);
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, nargs, args, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    const char *eq_form = rs_opt_flag(opts, no, "reward") ? rs_opt_str(opts, no, "reward") : NULL;
    if (eq_form) { /* --reward=SPEC, which the generic parser took */
        size_t n = strlen(given);
        empty_reward |= !has_spec(eq_form);
        snprintf(given + n, sizeof given - n, "%s%s", n ? ";" : "", eq_form);
    }
    if (empty_reward) {
        /* an empty spec would fall back to the policy's own reward unseen */
        fprintf(stderr, "rsoup eval: --reward needs a reward spec (a preset, term list or mix); "
                        "got an empty one\n");
        return 2;
    }
    if (np != 1) {
        fprintf(stderr, "rsoup eval: give one POLICY (see --help)\n");
        return 2;
    }
    long episodes, seed, threads;
    if (rs_opt_long(opts, no, "episodes", 1, 100000, &episodes) ||
        rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads))
        return 2;
    char buf[RS_PATH_BUF];
    const char *path = rs_run_file(pos[0], 0, buf, sizeof buf);
    rs_evalrun e;
    rewards rw;
    if (rs_evalrun_open(&e, path) != 0) {
        rs_evalrun_close(&e);
        return rs_cli_fail(NULL);
    }
    if ((rc = read_rewards(&rw, given, &e, path)) != 0) {
        rs_evalrun_close(&e);
        return rc;
    }
    rs_evalrun_req req = {rs_opt_str(opts, no, "model"), (int)episodes, (uint64_t)seed, threads,
                          !rs_opt_flag(opts, no, "stochastic")};
    if (rs_evalrun_run(&e, &req) != 0) {
        rs_evalrun_close(&e);
        return rs_cli_fail("eval");
    }
    const int per_episode = rs_opt_flag(opts, no, "per-episode");
    if (rs_opt_flag(opts, no, "json"))
        print_json(&e, &rw, path, seed, per_episode);
    else
        print_text(&e, &rw, path, seed, per_episode);
    rs_evalrun_close(&e);
    return 0;
}

/* cmd_eval.c — `rsoup eval` (per-term returns of a policy) and `rsoup act`
 * (a policy's actions for observations given as CSV). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "rs_eval.h"

/* whether a --reward value names anything: not empty, not only ';' and blanks */
static int has_spec(const char *v) {
    for (; *v; v++)
        if (*v != ';' && !isspace((unsigned char)*v)) return 1;
    return 0;
}

/* A model the simulation cannot run (timestep 0, gravity NaN or 1e30, a NaN
 * body position) ends every episode at its first step with non-finite
 * returns. train stops on the non-finite loss they make; eval must not
 * print them as results either. 0, or -1 with the error naming the model. */
static int returns_finite(const rs_eval_result *res, const rs_env_spec *s, const char *model) {
    for (int i = 0; i < res->episodes; i++)
        for (int k = 0; k < res->n_terms; k++) {
            double v = res->terms[(size_t)i * res->n_terms + k];
            if (isfinite(v)) continue;
            rs_set_error("episode %d: term '%s' returned %g: the simulation of %s diverged (check "
                         "its timestep, gravity and bodies); no results",
                         i, s->terms[k], v, model ? model : "the embedded model");
            return -1;
        }
    return 0;
}

int cmd_eval(int argc, char **argv) {
    static const rs_cmd_info info = {
        "eval",
        "rsoup eval POLICY [--episodes K] [--reward SPEC]... [--seed S] [--per-episode] [--json]",
        "Run K episodes of POLICY (a policy.safetensors or a run directory) with\n"
        "deterministic (mean) actions, in parallel, and report every reward term's\n"
        "return (mean and std), the episode lengths, and the return of each reward\n"
        "given with --reward (repeatable, or ';'-separated; default: the reward the\n"
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
        {"reward", "SPEC", "reward(s) to score, ';'-separated", NULL, NULL, 0},
        {"seed", "S", "evaluation seed (episode i uses stream i)", "1000", NULL, 0},
        {"threads", "T", "threads (0: all cores)", "0", NULL, 0},
        {"model", "FILE", "MJCF variant of the robot", NULL, NULL, 0},
        {"stochastic", NULL, "sample actions instead of the mean", NULL, NULL, 0},
        {"per-episode", NULL, "also report each episode", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    /* --reward may repeat: gather its values before the generic parser */
    char rewards[2048] = "";
    char *args[256];
    int nargs = 0, empty_reward = 0;
    for (int i = 0; i < argc && nargs < 256; i++) {
        if (!strcmp(argv[i], "--reward") && i + 1 < argc) {
            size_t n = strlen(rewards);
            empty_reward |= !has_spec(argv[i + 1]);
            snprintf(rewards + n, sizeof rewards - n, "%s%s", n ? ";" : "", argv[++i]);
            continue;
        }
        args[nargs++] = argv[i];
    }
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, nargs, args, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    const char *eq_form = rs_opt_flag(opts, no, "reward") ? rs_opt_str(opts, no, "reward") : NULL;
    if (eq_form) { /* --reward=SPEC, which the generic parser took */
        size_t n = strlen(rewards);
        empty_reward |= !has_spec(eq_form);
        snprintf(rewards + n, sizeof rewards - n, "%s%s", n ? ";" : "", eq_form);
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
    char buf[1100];
    const char *path = rs_run_file(pos[0], 0, buf, sizeof buf);
    rs_st *st = rs_policy_st_load(path);
    rs_policy *p = st ? rs_policy_from_st(st, path) : NULL;
    if (!p) {
        rs_st_free(st);
        return rs_cli_fail(NULL);
    }
    /* a soup records its experts' rewards; its own `reward` is only the
     * first expert's, copied */
    cJSON *soup_rewards =
        cJSON_Parse(rs_st_meta(st, "soup_rewards") ? rs_st_meta(st, "soup_rewards") : "");
    rs_st_free(st);
    if (!cJSON_IsArray(soup_rewards)) {
        cJSON_Delete(soup_rewards);
        soup_rewards = NULL;
    }
    const rs_env_spec *s = rs_policy_env(p);
    if (!s) {
        cJSON_Delete(soup_rewards);
        rs_policy_free(p);
        return rs_cli_fail(path);
    }
    /* rewards to report */
    char specs[16][512];
    int nr = 0;
    if (rewards[0]) {
        char *save = NULL;
        for (char *t = strtok_r(rewards, ";", &save); t && nr < 16; t = strtok_r(NULL, ";", &save))
            snprintf(specs[nr++], sizeof specs[0], "%s", t);
    } else {
        /* the policy's own reward, or each of a soup's experts' rewards;
         * then the env's default */
        const char *own[16];
        int n_own = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, soup_rewards) {
            if (cJSON_IsString(it) && *it->valuestring && n_own < 15)
                own[n_own++] = it->valuestring;
        }
        if (!soup_rewards && p->reward[0]) own[n_own++] = p->reward;
        own[n_own++] = "default";
        for (int i = 0; i < n_own; i++) {
            int dup = 0;
            for (int r = 0; r < nr; r++)
                dup |= !strcmp(specs[r], own[i]);
            if (!dup) snprintf(specs[nr++], sizeof specs[0], "%s", own[i]);
        }
    }
    cJSON_Delete(soup_rewards);
    double W[16][RS_MAX_TERMS];
    for (int r = 0; r < nr; r++)
        if (rs_cli_reward(s, specs[r], W[r]) != 0) {
            rs_policy_free(p);
            /* a --reward of the command line is wrong; the policy's own is a file's */
            return rewards[0] || !strcmp(specs[r], "default") ? rs_cli_bad_arg("eval")
                                                              : rs_cli_fail(path);
        }
    const char *model_path = rs_opt_str(opts, no, "model");
    mjModel *model = rs_model_load(s, model_path);
    rs_pool *pool = model ? rs_pool_new((int)threads) : NULL;
    rs_eval_result res;
    if (!pool || rs_eval_policy(p, s, model, (int)episodes, (uint64_t)seed,
                                !rs_opt_flag(opts, no, "stochastic"), pool, &res) != 0) {
        rs_pool_free(pool);
        if (model) mj_deleteModel(model);
        rs_policy_free(p);
        return rs_cli_fail("eval");
    }
    if (returns_finite(&res, s, model_path) != 0) {
        rs_eval_result_free(&res);
        rs_pool_free(pool);
        mj_deleteModel(model);
        rs_policy_free(p);
        return rs_cli_fail("eval");
    }
    const int per_episode = rs_opt_flag(opts, no, "per-episode");
    double lm = 0, ls = 0;
    for (int i = 0; i < res.episodes; i++) lm += res.length[i];
    lm /= res.episodes;
    for (int i = 0; i < res.episodes; i++) ls += (res.length[i] - lm) * (res.length[i] - lm);
    ls = sqrt(ls / res.episodes);
    if (rs_opt_flag(opts, no, "json")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "policy", path);
        cJSON_AddStringToObject(o, "env", s->name);
        cJSON_AddNumberToObject(o, "episodes", res.episodes);
        cJSON_AddNumberToObject(o, "seed", (double)seed);
        cJSON_AddNumberToObject(o, "length_mean", lm);
        cJSON_AddNumberToObject(o, "length_std", ls);
        cJSON *ra = cJSON_AddArrayToObject(o, "rewards");
        for (int r = 0; r < nr; r++) {
            double m, sd;
            rs_eval_reward_stats(&res, W[r], &m, &sd);
            rs_cli_json_stat(ra, "reward", specs[r], m, sd);
        }
        cJSON *t = cJSON_AddArrayToObject(o, "terms");
        for (int k = 0; k < s->n_terms; k++) {
            double m, sd;
            rs_eval_term_stats(&res, k, &m, &sd);
            rs_cli_json_stat(t, "name", s->terms[k], m, sd);
        }
        double asq, asat;
        rs_eval_action_stats(&res, &asq, &asat);
        cJSON_AddNumberToObject(o, "action_sq_per_step", asq);
        cJSON_AddNumberToObject(o, "action_saturated", asat);
        cJSON_AddNumberToObject(o, "env_steps_per_s", res.steps / (res.seconds > 0 ? res.seconds : 1e-9));
        if (per_episode) {
            cJSON *pe = cJSON_AddArrayToObject(o, "per_episode");
            for (int i = 0; i < res.episodes; i++) {
                const double *ti = res.terms + (size_t)i * res.n_terms;
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, "episode", i);
                cJSON_AddNumberToObject(e, "length", res.length[i]);
                cJSON *er = cJSON_AddArrayToObject(e, "rewards");
                for (int r = 0; r < nr; r++)
                    rs_cli_json_value(er, "reward", specs[r], "return",
                                      rs_eval_episode_reward(&res, i, W[r]));
                cJSON *et = cJSON_AddArrayToObject(e, "terms");
                for (int k = 0; k < s->n_terms; k++)
                    rs_cli_json_value(et, "name", s->terms[k], "return", ti[k]);
                cJSON_AddItemToArray(pe, e);
            }
        }
        rs_json_print(o);
    } else {
        printf("%s on %s: %d episodes (seed %ld), length %.1f ± %.1f\n", path, s->name,
               res.episodes, seed, lm, ls);
        printf("\n  %-14s %12s %10s\n", "term", "return", "std");
        for (int k = 0; k < s->n_terms; k++) {
            double m, sd;
            rs_eval_term_stats(&res, k, &m, &sd);
            printf("  %-14s %12.2f %10.2f\n", s->terms[k], m, sd);
        }
        printf("\n  %-40s %12s %10s\n", "reward", "return", "std");
        for (int r = 0; r < nr; r++) {
            double m, sd;
            rs_eval_reward_stats(&res, W[r], &m, &sd);
            char label[16] = "";
            if (per_episode) snprintf(label, sizeof label, "R%d ", r + 1);
            printf("  %s%-*s %12.2f %10.2f\n", label, 40 - (int)strlen(label), specs[r], m, sd);
        }
        if (per_episode) {
            printf("\n  %7s %7s", "episode", "length");
            for (int r = 0; r < nr; r++) {
                char h[16];
                snprintf(h, sizeof h, "R%d", r + 1);
                printf(" %12s", h);
            }
            for (int k = 0; k < s->n_terms; k++)
                printf(" %12.12s", s->terms[k]);
            printf("\n");
            for (int i = 0; i < res.episodes; i++) {
                const double *ti = res.terms + (size_t)i * res.n_terms;
                printf("  %7d %7d", i, res.length[i]);
                for (int r = 0; r < nr; r++)
                    printf(" %12.2f", rs_eval_episode_reward(&res, i, W[r]));
                for (int k = 0; k < s->n_terms; k++)
                    printf(" %12.2f", ti[k]);
                printf("\n");
            }
        }
        double asq, asat;
        rs_eval_action_stats(&res, &asq, &asat);
        printf("\n  actions: sum(a^2) %.3f per step, %.1f %% of components within 1 %% of the bound\n",
               asq, 100 * asat);
        printf("\n  %.0f env steps/s\n", res.steps / (res.seconds > 0 ? res.seconds : 1e-9));
    }
    rs_eval_result_free(&res);
    rs_pool_free(pool);
    mj_deleteModel(model);
    rs_policy_free(p);
    return 0;
}

int cmd_act(int argc, char **argv) {
    static const rs_cmd_info info = {
        "act", "rsoup act POLICY [--obs FILE|-] [--json]",
        "Read raw (unnormalised) observations, one comma-separated row of obs_dim\n"
        "numbers per line, and print the policy's deterministic action for each row\n"
        "(comma-separated, clipped to the action bounds). Lines starting with '#'\n"
        "are skipped. Each row is answered as soon as it is read, so a program can\n"
        "feed one observation and read its action back. With --json the answer to\n"
        "each row is one JSON object on its own line (JSON Lines):\n"
        "{\"line\": N, \"action\": [a1, ...]}, N the input line it answers.",
        "example: echo 1.25,0,0,0,0,0,0,0,0,0,0 | rsoup act runs/hopper/policy.safetensors"};
    rs_opt opts[] = {
        {"obs", "FILE", "observations, '-' for stdin", "-", NULL, 0},
        {"json", NULL, "one JSON object per row (JSON Lines) instead of CSV", NULL, NULL, 0}};
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    if (np != 1) {
        fprintf(stderr, "rsoup act: give one POLICY (see --help)\n");
        return 2;
    }
    const int json = rs_opt_flag(opts, no, "json");
    char buf[1100];
    rs_policy *p = rs_policy_load(rs_run_file(pos[0], 0, buf, sizeof buf));
    if (!p) return rs_cli_fail(NULL);
    const char *in = rs_opt_str(opts, no, "obs");
    FILE *f = strcmp(in, "-") ? fopen(in, "r") : stdin;
    struct stat sb;
    if (f && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        /* a folder opens, then reads as nothing: no rows, no answers, exit 0 */
        fclose(f);
        rs_policy_free(p);
        fprintf(stderr, "rsoup act: --obs '%s' is a folder, not a file of observations\n", in);
        return 1;
    }
    if (!f) {
        rs_policy_free(p);
        fprintf(stderr, "rsoup act: cannot open '%s': %s\n", in, strerror(errno));
        return 1;
    }
    rs_mlp_ws *ws = rs_mlp_ws_new(p->pi, 1);
    float *obs = malloc(sizeof(float) * p->obs_dim), *nb = malloc(sizeof(float) * p->obs_dim);
    float *act = malloc(sizeof(float) * p->act_dim);
    /* a row of obs_dim numbers, generously: a longer line is not an
     * observation (and /dev/zero must not grow the buffer forever) */
    const size_t cap = (size_t)p->obs_dim * 64 + 1024;
    char *line = malloc(cap + 1);
    if (!ws || !obs || !nb || !act || !line) {
        fprintf(stderr, "rsoup act: out of memory\n");
        rc = 1;
        goto out;
    }
    long lineno = 0;
    rc = 0;
    int got;
    while ((got = rs_obs_read_row(f, line, cap)) != 0) {
        lineno++;
        if (got < 0) {
            fprintf(stderr, "rsoup act: line %ld is longer than %zu characters or holds a NUL byte: "
                            "not one %s observation\n", lineno, cap, p->env);
            rc = 1;
            break;
        }
        int parsed = rs_obs_parse(line, p->obs_dim, obs);
        if (parsed == 0) continue;
        if (parsed < 0) {
            fprintf(stderr, "rsoup act: line %ld: expected %d finite numbers (the %s observation)\n",
                    lineno, p->obs_dim, p->env);
            rc = 1;
            break;
        }
        rs_policy_act_det(p, ws, obs, 1, nb, act);
        if (json) printf("{\"line\": %ld, \"action\": [", lineno);
        for (int j = 0; j < p->act_dim; j++)
            printf("%s%.9g", j ? (json ? ", " : ",") : "", (double)act[j]);
        printf(json ? "]}\n" : "\n");
        /* answered now, not when a buffer fills: a program feeding one row
         * at a time waits for this line */
        fflush(stdout);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "rsoup act: error reading '%s': %s\n", in, strerror(errno));
        rc = 1;
    }
out:
    free(line);
    if (f != stdin) fclose(f);
    free(obs);
    free(nb);
    free(act);
    rs_mlp_ws_free(ws);
    rs_policy_free(p);
    return rc;
}

/* cmd_rollout.c — `rsoup rollout`: a random or zero policy on the envs, the
 * quickest check that an env, its terms and its resets behave. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_rollout.h"
#include "rs_vecenv.h"

int cmd_rollout(int argc, char **argv) {
    static const rs_cmd_info info = {
        "rollout",
        "rsoup rollout [--env E|all] [--model FILE] [--policy random|zero] [--episodes K] [--json]",
        "Run a random (uniform in the action bounds) or zero policy for K episodes\n"
        "and print, per env, the mean return under --reward, the episode length and\n"
        "each reward term's mean episode return.",
        "example: rsoup rollout --env hopper --episodes 20 --reward cautious"};
    rs_opt opts[] = {
        {"env", "E", "environment name, or 'all'", "all", NULL, 0},
        {"reward", "SPEC", "reward to report (preset, term list or mix)", "default", NULL, 0},
        {"policy", "P", "random or zero", "random", NULL, 0},
        {"episodes", "K", "episodes per env", "10", NULL, 0},
        {"envs", "N", "parallel envs", "8", NULL, 0},
        {"threads", "T", "threads (0: all cores)", "0", NULL, 0},
        {"seed", "S", "random seed", "1", NULL, 0},
        {"model", "FILE", "MJCF variant of the robot (with --env)", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    int rc = rs_cli_parse(&info, opts, no, argc, argv, NULL, NULL, 0);
    if (rc) return rc < 0 ? 2 : 0;
    long episodes, n_envs, threads, seed;
    if (rs_opt_long(opts, no, "episodes", 1, 1000000, &episodes) ||
        rs_opt_long(opts, no, "envs", 1, 4096, &n_envs) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads) ||
        rs_opt_long(opts, no, "seed", 0, 1L << 62, &seed))
        return 2;
    const char *policy = rs_opt_str(opts, no, "policy");
    if (strcmp(policy, "random") && strcmp(policy, "zero")) {
        fprintf(stderr, "rsoup rollout: --policy must be 'random' or 'zero', got '%s'\n", policy);
        return 2;
    }
    const char *env = rs_opt_str(opts, no, "env");
    const char *reward = rs_opt_str(opts, no, "reward");
    int all = !strcmp(env, "all");
    if (!all && !rs_env_find(env)) return rs_cli_bad_arg("rollout");
    const char *model = rs_opt_str(opts, no, "model");
    if (model && all) {
        fprintf(stderr, "rsoup rollout: --model is one robot's variant: give --env too\n");
        return 2;
    }
    /* a bad reward is said before any table is printed */
    for (int i = 0; i < rs_env_count(); i++) {
        const rs_env_spec *s = rs_env_spec_at(i);
        double w[RS_MAX_TERMS];
        if ((all || !strcmp(s->name, env)) && rs_reward_parse(s, reward, w) != 0) {
            fprintf(stderr, "rsoup rollout: %s: %s\n", s->name, rs_last_error());
            return 2;
        }
    }
    if (model) { /* a variant that does not load is said before any table too */
        mjModel *m = rs_model_load(rs_env_find(env), model);
        if (!m) return rs_cli_fail("rollout");
        mj_deleteModel(m);
    }
    int json = rs_opt_flag(opts, no, "json");
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    cJSON *arr = json ? cJSON_AddArrayToObject(root, "rollouts") : NULL;
    if (!json)
        printf("%-12s %8s %10s %9s %8s %11s  %s\n", "env", "episodes", "return", "(std)", "length",
               "env steps/s", "term returns");
    for (int i = 0; i < rs_env_count(); i++) {
        const rs_env_spec *s = rs_env_spec_at(i);
        if (!all && strcmp(s->name, env)) continue;
        rs_rollout_result r;
        double w[RS_MAX_TERMS];
        if (rs_cli_reward(s, reward, w) != 0 ||
            rs_rollout(s, model, w, policy, (int)episodes, (int)n_envs, (int)threads,
                       (uint64_t)seed, &r) != 0) {
            cJSON_Delete(root);
            return rs_cli_fail(s->name);
        }
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "env", s->name);
            cJSON_AddStringToObject(o, "policy", policy);
            if (model) cJSON_AddStringToObject(o, "model", model);
            cJSON_AddNumberToObject(o, "episodes", r.episodes);
            cJSON_AddNumberToObject(o, "length_mean", r.len_mean);
            cJSON_AddNumberToObject(o, "env_steps_per_s", r.steps_per_s);
            rs_cli_json_stat(cJSON_AddArrayToObject(o, "rewards"), "reward", reward, r.ret_mean,
                             r.ret_std);
            cJSON *t = cJSON_AddArrayToObject(o, "terms");
            for (int k = 0; k < s->n_terms; k++)
                rs_cli_json_stat(t, "name", s->terms[k], r.terms_mean[k], r.terms_std[k]);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%-12s %8d %10.2f %9.2f %8.1f %11.0f ", s->name, r.episodes, r.ret_mean,
                   r.ret_std, r.len_mean, r.steps_per_s);
            for (int k = 0; k < s->n_terms; k++) printf(" %s=%.3g", s->terms[k], r.terms_mean[k]);
            printf("\n");
        }
    }
    if (json) rs_json_print(root);
    return 0;
}

/* front_experts.c — what `rsoup front` and `rsoup lmc` start from: the
 * experts, loaded and checked to mix, and the proxy rewards (given, or the
 * experts' own). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_policy.h"
#include "rs_soup.h"

int rs_cli_rewards_parse(const rs_env_spec *s, const char *text, rs_rewardset *o) {
    if (rs_rewardset_parse(o, s, text, NULL) != 0) return -1;
    for (int k = 0; k < o->n; k++) rs_cli_reward_warn(s, o->w[k]);
    return 0;
}

/* the experts' own training rewards, without repeats */
int rs_cli_rewards_of_experts(const rs_env_spec *s, rs_st *const *ex, int n, rs_rewardset *o) {
    memset(o, 0, sizeof *o);
    for (int i = 0; i < n; i++) {
        const char *r = rs_st_meta(ex[i], "reward");
        if (!r || !*r) {
            rs_set_error("expert %d has no 'reward' metadata: give --rewards", i);
            return -1;
        }
        int dup = 0;
        for (int k = 0; k < o->n; k++) dup |= !strcmp(o->spec[k], r);
        if (!dup && rs_rewardset_add(o, s, NULL, r) != 0) return -1;
    }
    return 0;
}

/* load experts, check they mix, find their env */
int rs_cli_load_experts(const char *cmd, const char *const *paths, int n, rs_st **ex,
                        const rs_env_spec **spec) {
    for (int i = 0; i < n; i++) {
        ex[i] = rs_policy_st_load(paths[i]);
        if (!ex[i]) {
            fprintf(stderr, "rsoup %s: expert %d: %s\n", cmd, i, rs_last_error());
            return -1;
        }
    }
    if (rs_soup_check(ex, n) != 0) {
        fprintf(stderr, "rsoup %s: these experts do not mix: %s\n", cmd, rs_last_error());
        return -1;
    }
    const char *env = rs_st_meta(ex[0], "env");
    *spec = rs_env_find(env ? env : "");
    if (!*spec) {
        fprintf(stderr, "rsoup %s: %s\n", cmd, rs_last_error());
        return -1;
    }
    return 0;
}

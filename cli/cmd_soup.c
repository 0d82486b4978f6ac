/* cmd_soup.c — `rsoup soup`: mix expert policy checkpoints into one,
 * θ(λ) = Σ λ_i θ_i (Rame et al. 2023), and write it as a checkpoint. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_soup.h"
#include "rs_fisher.h"

#define MAX_EXPERTS 64

/* every float of the mix finite, variances >= 0, the action bound a
 * positive number: what every policy loader checks */
static int soup_values_ok(const rs_st *st) {
    for (int k = 0; k < rs_st_count(st); k++) {
        const rs_tensor *t = rs_st_at(st, k);
        const int64_t n = rs_tensor_numel(t);
        const int var = !strcmp(t->name, "obs_norm.var") || !strcmp(t->name, "obs_norm.count");
        for (int64_t i = 0; i < n; i++) {
            double v = t->dtype == RS_DT_F32 ? ((const float *)t->data)[i]
                       : t->dtype == RS_DT_F64 ? ((const double *)t->data)[i] : 0.0;
            if (!isfinite(v) || (var && v < 0)) {
                rs_set_error("the mix has %g in %s[%lld]: an expert holds a non-finite or "
                             "negative value there", v, t->name, (long long)i);
                return -1;
            }
        }
    }
    const char *b = rs_st_meta(st, "act_bound");
    if (b) {
        char *end;
        double v = strtod(b, &end);
        if (*end || !(v > 0) || !isfinite(v)) {
            rs_set_error("act_bound '%s' is not a positive number", b);
            return -1;
        }
    }
    return 0;
}

int cmd_soup(int argc, char **argv) {
    static const rs_cmd_info info = {
        "soup", "rsoup soup A B [C ...] --lambda L --out FILE [--json]",
        "Mix expert policy checkpoints (.safetensors) into one policy with weights\n"
        "lambda on the simplex: every float tensor becomes sum_i lambda_i * tensor_i,\n"
        "computed in double and rounded once; integer tensors must be equal. The\n"
        "experts must share env, algo, architecture, activation, sizes and tensor\n"
        "shapes. The soup records lambda and its parents (paths and FNV-1a hashes).\n"
        "If the experts' observation normaliser statistics differ they are mixed\n"
        "too, with a warning. Experts whose recorded inits differ (their init\n"
        "checkpoints' hashes, or their seeds for runs from scratch) are mixed with\n"
        "a warning too: rewarded soups assume one shared init.",
        "An expert may be given as a run directory: its policy.safetensors is used.\n"
        "lambda: with two experts a single number is the weight of the SECOND one\n"
        "(0 gives A, 1 gives B); otherwise one weight per expert, summing to 1.\n"
        "examples:\n"
        "  rsoup soup fwd.safetensors jump.safetensors --lambda 0.3 --out soup.safetensors\n"
        "  rsoup soup a.st b.st c.st --lambda 0.2,0.3,0.5 --out abc.safetensors"};
    rs_opt opts[] = {
        {"lambda", "L", "mixing weights: 'x' (2 experts) or 'w1,w2,...'", NULL, NULL, 0},
        {"out", "FILE", "where to write the soup (atomically)", NULL, NULL, 0},
        {"method", "M", "linear (Σ λ_i θ_i) or fisher (Fisher-weighted, PPO policies)", "linear", NULL, 0},
        {"fisher-steps", "N", "env steps of each expert's rollouts for its Fisher", "5000", NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *paths[MAX_EXPERTS];
    static char resolved[MAX_EXPERTS][1024];
    int n = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, paths, &n, MAX_EXPERTS);
    if (rc) return rc < 0 ? 2 : 0;
    for (int i = 0; i < n; i++)
        paths[i] = rs_run_file(paths[i], 0, resolved[i], sizeof resolved[i]);
    if (n < 2) {
        fprintf(stderr,
                "rsoup soup: needs at least two expert checkpoints, got %d (see 'rsoup "
                "soup --help')\n",
                n);
        return 2;
    }
    const char *method = rs_opt_str(opts, no, "method");
    int fisher = !strcmp(method, "fisher");
    if (!fisher && strcmp(method, "linear")) {
        fprintf(stderr, "rsoup soup: unknown --method '%s' (valid: linear, fisher)\n", method);
        return 2;
    }
    long fisher_steps;
    if (rs_opt_long(opts, no, "fisher-steps", 100, 100000000, &fisher_steps)) return 2;
    const char *lam_text = rs_opt_str(opts, no, "lambda");
    const char *out_path = rs_opt_str(opts, no, "out");
    if (!lam_text || !out_path) {
        fprintf(stderr, "rsoup soup: --%s is required (see 'rsoup soup --help')\n",
                lam_text ? "out" : "lambda");
        return 2;
    }
    double lambda[MAX_EXPERTS];
    if (rs_soup_parse_lambda(lam_text, n, lambda) < 0) {
        fprintf(stderr, "rsoup soup: %s\n", rs_last_error());
        return 2;
    }
    int json = rs_opt_flag(opts, no, "json");

    rs_st *experts[MAX_EXPERTS] = {0};
    rs_st *soup = NULL;
    int status = 1, norm_mixed = 0;
    for (int i = 0; i < n; i++) {
        experts[i] = rs_policy_st_load(paths[i]);
        if (!experts[i]) {
            rs_cli_fail("soup");
            goto done;
        }
    }
    rs_cli_warn_inits("soup", experts, paths, n);
    if (rs_soup_mix(experts, n, lambda, &soup, &norm_mixed) < 0) {
        rs_cli_print_mix_error("soup", paths, n);
        goto done;
    }
    if (fisher) {
        /* each expert's diagonal Fisher from its own rollouts, then the
         * Fisher-weighted mix of the learned tensors */
        rs_st *fishers[MAX_EXPERTS] = {0};
        const char *env = rs_st_meta(experts[0], "env");
        const rs_env_spec *spec = rs_env_find(env ? env : "");
        int frc = spec ? 0 : -1;
        for (int i = 0; i < n && frc == 0; i++) {
            if (lambda[i] == 0) continue;
            fprintf(stderr, "rsoup soup: Fisher of expert %d (%ld steps)\n", i, fisher_steps);
            frc = rs_fisher_diag(experts[i], spec, fisher_steps, 1000 + (uint64_t)i, &fishers[i]);
        }
        /* experts with λ = 0 need a placeholder of the right shape */
        for (int i = 0; i < n && frc == 0; i++)
            if (!fishers[i]) {
                for (int k = 0; k < n; k++)
                    if (fishers[k]) {
                        fishers[i] = fishers[k];
                        break;
                    }
            }
        rs_st *fs = NULL;
        if (frc == 0) frc = rs_soup_mix_fisher(experts, fishers, n, lambda, &fs);
        for (int i = 0; i < n; i++) {
            int dup = 0;
            for (int k = 0; k < i; k++) dup |= fishers[k] == fishers[i];
            if (!dup) rs_st_free(fishers[i]);
        }
        if (frc != 0) {
            rs_cli_fail("soup --method fisher");
            goto done;
        }
        rs_st_free(soup);
        soup = fs;
    }
    /* write only what the policy loaders accept: a NaN weight or normaliser
     * in one expert would make a soup that nothing can read */
    if (soup_values_ok(soup) != 0) {
        rs_cli_fail("soup: nothing written");
        goto done;
    }
    if (rs_soup_set_parents(soup, paths, n) < 0 || rs_st_save(soup, out_path) < 0) {
        rs_cli_fail("soup");
        goto done;
    }
    status = 0;

    /* what was done */
    int n_mixed = 0, n_int = 0, n_norm = 0;
    for (int k = 0; k < rs_st_count(soup); k++) {
        const rs_tensor *t = rs_st_at(soup, k);
        if (t->dtype == RS_DT_F32 || t->dtype == RS_DT_F64)
            n_mixed++;
        else
            n_int++;
        if (!strncmp(t->name, "obs_norm.", 9)) n_norm++;
    }
    const char *norm_state = !n_norm      ? "none (no obs_norm.* tensors)"
                             : norm_mixed ? "mixed (the experts' statistics differ)"
                                          : "shared (identical in the experts that are mixed)";
    if (norm_mixed)
        fprintf(stderr,
                "rsoup soup: warning: the experts' observation normaliser statistics "
                "(obs_norm.*) differ, so they were interpolated as well; soups work best when "
                "the experts share one normaliser (fine-tune from a shared init with it frozen)\n");
    char hex[MAX_EXPERTS][17];
    for (int i = 0; i < n; i++)
        rs_file_hash(paths[i], hex[i]);
    const rs_st *e0 = experts[0];
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "out", out_path);
        cJSON_AddStringToObject(root, "method", fisher ? "fisher" : "linear");
        cJSON_AddItemToObject(root, "lambda", cJSON_CreateDoubleArray(lambda, n));
        cJSON *arr = cJSON_AddArrayToObject(root, "experts");
        for (int i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "path", paths[i]);
            cJSON_AddStringToObject(o, "fnv1a64", hex[i]);
            cJSON_AddNumberToObject(o, "lambda", lambda[i]);
            const char *r = rs_st_meta(experts[i], "reward");
            if (r)
                cJSON_AddStringToObject(o, "reward", r);
            else
                cJSON_AddNullToObject(o, "reward");
            cJSON_AddItemToArray(arr, o);
        }
        static const char *const keys[] = {"env", "algo", "arch", "activation"};
        for (int k = 0; k < 4; k++) {
            const char *v = rs_st_meta(e0, keys[k]);
            if (v)
                cJSON_AddStringToObject(root, keys[k], v);
            else
                cJSON_AddNullToObject(root, keys[k]);
        }
        cJSON_AddNumberToObject(root, "n_tensors", rs_st_count(soup));
        cJSON_AddNumberToObject(root, "n_mixed", n_mixed);
        cJSON_AddNumberToObject(root, "n_integer_copied", n_int);
        cJSON_AddBoolToObject(root, "normalizer_mixed", norm_mixed);
        rs_json_print(root);
    } else {
        const char *env = rs_st_meta(e0, "env"), *algo = rs_st_meta(e0, "algo"),
                   *arch = rs_st_meta(e0, "arch");
        printf("mixed %d experts (%s; env %s, algo %s, arch %s) into %s\n", n, fisher ? "Fisher-weighted" : "linear", env ? env : "?",
               algo ? algo : "?", arch ? arch : "?", out_path);
        printf("  %-10s %-16s  %s\n", "lambda", "fnv1a64", "expert (reward)");
        for (int i = 0; i < n; i++) {
            const char *r = rs_st_meta(experts[i], "reward");
            printf("  %-10.6g %-16s  %s%s%s%s\n", lambda[i], hex[i], paths[i], r ? " (" : "",
                   r ? r : "", r ? ")" : "");
        }
        printf("tensors: %d (%d mixed, %d integer copied)\n", rs_st_count(soup), n_mixed, n_int);
        printf("observation normaliser: %s\n", norm_state);
    }
done:
    for (int i = 0; i < n; i++)
        rs_st_free(experts[i]);
    rs_st_free(soup);
    return status;
}

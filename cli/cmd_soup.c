/* cmd_soup.c — `rsoup soup`: mix expert policy checkpoints into one,
 * θ(λ) = Σ λ_i θ_i (Rame et al. 2023), and write it as a checkpoint
 * (lab/rs_soupmake.h makes it; this file says what happened). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_policy.h"
#include "rs_soup.h"
#include "rs_soupmake.h"

#define MAX_EXPERTS RS_SOUPMAKE_MAX_EXPERTS

typedef struct {
    const char *const *paths;
    int n;
    double lambda[MAX_EXPERTS];
    int fisher, json;
    long fisher_steps;
    const char *out;
} soup_args;

static void print_json(const rs_soupmake *m, const soup_args *a, int norm_mixed) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "out", a->out);
    cJSON_AddStringToObject(root, "method", a->fisher ? "fisher" : "linear");
    cJSON_AddItemToObject(root, "lambda", cJSON_CreateDoubleArray(a->lambda, a->n));
    cJSON *arr = cJSON_AddArrayToObject(root, "experts");
    for (int i = 0; i < a->n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", a->paths[i]);
        cJSON_AddStringToObject(o, "fnv1a64", m->hex[i]);
        cJSON_AddNumberToObject(o, "lambda", a->lambda[i]);
        const char *r = rs_st_meta(m->experts[i], "reward");
        if (r)
            cJSON_AddStringToObject(o, "reward", r);
        else
            cJSON_AddNullToObject(o, "reward");
        cJSON_AddItemToArray(arr, o);
    }
    static const char *const keys[] = {"env", "algo", "arch", "activation"};
    for (int k = 0; k < 4; k++) {
        const char *v = rs_st_meta(m->experts[0], keys[k]);
        if (v)
            cJSON_AddStringToObject(root, keys[k], v);
        else
            cJSON_AddNullToObject(root, keys[k]);
    }
    cJSON_AddNumberToObject(root, "n_tensors", m->n_tensors);
    cJSON_AddNumberToObject(root, "n_mixed", m->n_mixed);
    cJSON_AddNumberToObject(root, "n_integer_copied", m->n_int);
    cJSON_AddBoolToObject(root, "normalizer_mixed", norm_mixed);
    rs_json_print(root);
}

static void print_text(const rs_soupmake *m, const soup_args *a, int norm_mixed) {
    const rs_st *e0 = m->experts[0];
    const char *env = rs_st_meta(e0, "env"), *algo = rs_st_meta(e0, "algo"),
               *arch = rs_st_meta(e0, "arch");
    const char *norm_state = !m->n_norm   ? "none (no obs_norm.* tensors)"
                             : norm_mixed ? "mixed (the experts' statistics differ)"
                                          : "shared (identical in the experts that are mixed)";
    printf("mixed %d experts (%s; env %s, algo %s, arch %s) into %s\n", a->n,
           a->fisher ? "Fisher-weighted" : "linear", env ? env : "?", algo ? algo : "?",
           arch ? arch : "?", a->out);
    printf("  %-10s %-16s  %s\n", "lambda", "fnv1a64", "expert (reward)");
    for (int i = 0; i < a->n; i++) {
        const char *r = rs_st_meta(m->experts[i], "reward");
        printf("  %-10.6g %-16s  %s%s%s%s\n", a->lambda[i], m->hex[i], a->paths[i], r ? " (" : "",
               r ? r : "", r ? ")" : "");
    }
    printf("tensors: %d (%d mixed, %d integer copied)\n", m->n_tensors, m->n_mixed, m->n_int);
    printf("observation normaliser: %s\n", norm_state);
}

/* load, mix (linear, then Fisher-weighted if asked), check, write, print:
 * the exit status */
static int make(const soup_args *a) {
    rs_soupmake m;
    int status = 1, norm_mixed = 0;
    if (rs_soupmake_load(&m, a->paths, a->n) != 0) {
        rs_cli_fail("soup");
        goto done;
    }
    rs_cli_warn_inits("soup", m.experts, a->paths, a->n);
    if (rs_soup_mix(m.experts, a->n, a->lambda, &m.soup, &norm_mixed) < 0) {
        rs_cli_print_mix_error("soup", a->paths, a->n);
        goto done;
    }
    /* each expert's diagonal Fisher from its own rollouts, then the
     * Fisher-weighted mix of the learned tensors */
    if (a->fisher &&
        rs_soupmake_fisher(&m, a->lambda, a->fisher_steps, stderr, "rsoup soup") != 0) {
        rs_cli_fail("soup --method fisher");
        goto done;
    }
    /* write only what the policy loaders accept: a NaN weight or normaliser
     * in one expert would make a soup that nothing can read */
    if (rs_soupmake_check(&m) != 0) {
        rs_cli_fail("soup: nothing written");
        goto done;
    }
    if (rs_soupmake_write(&m, a->out) != 0) {
        rs_cli_fail("soup");
        goto done;
    }
    status = 0;
    if (norm_mixed)
        fprintf(stderr,
                "rsoup soup: warning: the experts' observation normaliser statistics "
                "(obs_norm.*) differ, so they were interpolated as well; soups work best when "
                "the experts share one normaliser (fine-tune from a shared init with it frozen)\n");
    if (a->json)
        print_json(&m, a, norm_mixed);
    else
        print_text(&m, a, norm_mixed);
done:
    rs_soupmake_free(&m);
    return status;
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
    soup_args a = {.paths = paths};
    int rc = rs_cli_parse(&info, opts, no, argc, argv, paths, &a.n, MAX_EXPERTS);
    if (rc) return rc < 0 ? 2 : 0;
    for (int i = 0; i < a.n; i++)
        paths[i] = rs_run_file(paths[i], 0, resolved[i], sizeof resolved[i]);
    if (a.n < 2) {
        fprintf(stderr,
                "rsoup soup: needs at least two expert checkpoints, got %d (see 'rsoup "
                "soup --help')\n",
                a.n);
        return 2;
    }
    const char *method = rs_opt_str(opts, no, "method");
    a.fisher = !strcmp(method, "fisher");
    if (!a.fisher && strcmp(method, "linear")) {
        fprintf(stderr, "rsoup soup: unknown --method '%s' (valid: linear, fisher)\n", method);
        return 2;
    }
    if (rs_opt_long(opts, no, "fisher-steps", 100, 100000000, &a.fisher_steps)) return 2;
    const char *lam_text = rs_opt_str(opts, no, "lambda");
    a.out = rs_opt_str(opts, no, "out");
    if (!lam_text || !a.out) {
        fprintf(stderr, "rsoup soup: --%s is required (see 'rsoup soup --help')\n",
                lam_text ? "out" : "lambda");
        return 2;
    }
    if (rs_soup_parse_lambda(lam_text, a.n, a.lambda) < 0) {
        fprintf(stderr, "rsoup soup: %s\n", rs_last_error());
        return 2;
    }
    a.json = rs_opt_flag(opts, no, "json");
    return make(&a);
}

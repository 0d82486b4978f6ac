/* cmd_envs.c — `rsoup envs`: what each environment observes, accepts and
 * reports. */
#include <string.h>

#include "cli.h"

static cJSON *env_json(const rs_env_spec *s) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "summary", s->summary);
    cJSON_AddNumberToObject(o, "obs_dim", s->obs_dim);
    cJSON_AddNumberToObject(o, "act_dim", s->act_dim);
    cJSON_AddNumberToObject(o, "act_low", -s->act_bound);
    cJSON_AddNumberToObject(o, "act_high", s->act_bound);
    cJSON_AddNumberToObject(o, "frame_skip", s->frame_skip);
    cJSON_AddNumberToObject(o, "max_steps", RS_MAX_STEPS);
    cJSON *terms = cJSON_AddArrayToObject(o, "terms");
    for (int i = 0; i < s->n_terms; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", s->terms[i]);
        cJSON_AddStringToObject(t, "doc", s->term_docs[i]);
        cJSON_AddItemToArray(terms, t);
    }
    cJSON *presets = cJSON_AddArrayToObject(o, "presets");
    for (int i = 0; i < s->n_presets; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", s->presets[i].name);
        cJSON_AddStringToObject(p, "weights", s->presets[i].spec);
        cJSON_AddStringToObject(p, "doc", s->presets[i].doc);
        cJSON_AddItemToArray(presets, p);
    }
    return o;
}

int cmd_envs(int argc, char **argv) {
    static const rs_cmd_info info = {
        "envs", "rsoup envs [NAME] [--json]",
        "List the MuJoCo locomotion environments: observation and action sizes,\n"
        "action bounds, the reward terms each reports per step, and the reward\n"
        "presets (weight vectors over the terms). Give NAME for one env in detail.",
        "Rewards on the command line are a preset ('default', 'risky', ...), a term\n"
        "list ('forward=1,healthy=1,ctrl=0.001') or a mix ('0.3*risky+0.7*cautious').\n"
        "Cost terms (ctrl, energy, contact) are already negative: weight them positively."};
    rs_opt opts[] = {{"json", NULL, "print one JSON object on stdout", NULL, NULL, 0}};
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    const rs_env_spec *only = NULL;
    if (np == 1 && !(only = rs_env_find(pos[0]))) return rs_cli_bad_arg("envs");

    if (rs_opt_flag(opts, no, "json")) {
        cJSON *root = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(root, "envs");
        for (int i = 0; i < rs_env_count(); i++) {
            const rs_env_spec *s = rs_env_spec_at(i);
            if (!only || only == s) cJSON_AddItemToArray(arr, env_json(s));
        }
        rs_json_print(root);
        return 0;
    }
    if (!only) {
        printf("%-12s %4s %4s %-12s %s\n", "env", "obs", "act", "bounds", "terms");
        for (int i = 0; i < rs_env_count(); i++) {
            const rs_env_spec *s = rs_env_spec_at(i);
            char bounds[32], terms[256] = "";
            snprintf(bounds, sizeof bounds, "[%g, %g]", -s->act_bound, s->act_bound);
            for (int k = 0; k < s->n_terms; k++) {
                strcat(terms, k ? " " : "");
                strcat(terms, s->terms[k]);
            }
            printf("%-12s %4d %4d %-12s %s\n", s->name, s->obs_dim, s->act_dim, bounds, terms);
        }
        printf("\npresets:\n");
        for (int i = 0; i < rs_env_count(); i++) {
            const rs_env_spec *s = rs_env_spec_at(i);
            printf("  %-12s", s->name);
            for (int k = 0; k < s->n_presets; k++) printf(" %s", s->presets[k].name);
            printf("\n");
        }
        printf("\n'rsoup envs NAME' shows one env's terms and preset weights.\n");
        return 0;
    }
    const rs_env_spec *s = only;
    printf("%s — %s\n", s->name, s->summary);
    printf("  observation %d floats, action %d in [%g, %g], frame skip %d, %d steps max\n",
           s->obs_dim, s->act_dim, -s->act_bound, s->act_bound, s->frame_skip, RS_MAX_STEPS);
    printf("\nterms (per step):\n");
    for (int k = 0; k < s->n_terms; k++) printf("  %-12s %s\n", s->terms[k], s->term_docs[k]);
    printf("\npresets:\n");
    for (int k = 0; k < s->n_presets; k++)
        printf("  %-14s %-42s %s\n", s->presets[k].name, s->presets[k].spec, s->presets[k].doc);
    return 0;
}

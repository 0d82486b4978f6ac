/* select_print.c — what `rsoup select` prints: the chosen row, the best
 * expert beside it, what --refine found; as text or one JSON object
 * (select.h). */
#include <math.h>
#include <stdio.h>

#include "select.h"

static void print_json(const rs_cli_choice *c) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", c->path);
    cJSON_AddStringToObject(root, "kinds", c->kt);
    if (c->by_terms) {
        cJSON *o = cJSON_AddObjectToObject(root, "reward");
        for (int j = 0; j < c->f->n_terms; j++)
            if (c->w[j] != 0) cJSON_AddNumberToObject(o, c->f->term_names[j], c->w[j]);
    } else {
        cJSON_AddItemToObject(root, "weights", rs_lab_json_nums(c->w, c->nw));
    }
    cJSON_AddNumberToObject(root, "n_candidates", c->n_cand);
    cJSON_AddNumberToObject(root, "utility", c->u);
    cJSON *b = cJSON_AddObjectToObject(root, "best");
    cJSON_AddNumberToObject(b, "row", c->best + 1);
    cJSON_AddStringToObject(b, "kind", rs_front_kind_name(c->r.kind));
    cJSON_AddStringToObject(b, "label", c->r.label);
    if (!c->f->plain) {
        cJSON_AddItemToObject(b, "lambda", rs_lab_json_nums(c->r.lambda, c->f->n_experts));
        cJSON_AddNumberToObject(b, "episodes", c->r.episodes);
        cJSON_AddItemToObject(b, "length", rs_lab_json_num(c->r.length));
    }
    cJSON *ob = cJSON_AddArrayToObject(b, "rewards");
    for (int j = 0; j < c->f->n_obj; j++)
        rs_cli_json_stat(ob, "reward", c->f->obj_names[j], c->r.obj[j], c->r.std[j]);
    if (c->f->n_terms) {
        cJSON *tb = cJSON_AddArrayToObject(b, "terms");
        for (int j = 0; j < c->f->n_terms; j++)
            rs_cli_json_stat(tb, "name", c->f->term_names[j], c->r.term[j], c->r.termstd[j]);
    }
    if (c->refined) {
        cJSON *x = cJSON_AddObjectToObject(root, "refined");
        cJSON_AddItemToObject(x, "lambda", rs_lab_json_nums(c->ref_lam, c->f->n_experts));
        /* utility and gain_over_grid: the search's (biased upwards) */
        cJSON_AddNumberToObject(x, "utility", c->ref_u);
        cJSON_AddNumberToObject(x, "gain_over_grid", c->ref_u - c->u);
        cJSON_AddNumberToObject(x, "evaluations", c->ri.n_evals);
        cJSON *fr = cJSON_AddObjectToObject(x, "fresh");
        cJSON_AddNumberToObject(fr, "episodes", c->ri.fresh_episodes);
        cJSON_AddNumberToObject(fr, "seed", (double)c->ri.fresh_seed);
        cJSON_AddNumberToObject(fr, "utility", c->ri.fresh_u);
        cJSON_AddNumberToObject(fr, "grid_best_utility", c->ri.fresh_grid_u);
        cJSON_AddNumberToObject(fr, "gain_over_grid", c->ri.fresh_u - c->ri.fresh_grid_u);
        if (c->out_path) cJSON_AddStringToObject(x, "out", c->out_path);
    }
    if (c->best_e >= 0) {
        cJSON *e = cJSON_AddObjectToObject(root, "best_expert");
        cJSON_AddStringToObject(e, "label", c->f->label[c->best_e]);
        cJSON_AddNumberToObject(e, "utility", c->ue);
    }
    rs_json_print(root);
}

static void print_text(const rs_cli_choice *c) {
    printf("best of %d %s row%s", c->n_cand, c->kt, c->n_cand == 1 ? "" : "s");
    if (c->by_terms)
        printf(" for reward %s:\n", c->spec);
    else {
        printf(" for weights (");
        for (int j = 0; j < c->nw; j++)
            printf("%s%g", j ? ", " : "", c->w[j]);
        printf(") on (%s):\n", c->names);
    }
    printf("  label     %s (%s, row %d)\n", c->r.label, rs_front_kind_name(c->r.kind), c->best + 1);
    if (!c->f->plain) {
        printf("  lambda    (");
        for (int i = 0; i < c->f->n_experts; i++)
            printf("%s%.6g", i ? ", " : "", c->r.lambda[i]);
        printf(")\n");
    }
    printf("  utility   %.10g\n", c->u);
    printf("  expected returns:");
    for (int j = 0; j < c->f->n_obj; j++) {
        printf(" %s %.6g", c->f->obj_names[j], c->r.obj[j]);
        if (isfinite(c->r.std[j])) printf(" (std %.3g)", c->r.std[j]);
        printf("%s", j + 1 < c->f->n_obj ? "," : "");
    }
    printf("\n");
    if (c->by_terms) {
        printf("  terms:");
        for (int j = 0; j < c->f->n_terms; j++)
            printf(" %s %.6g (weight %g)%s", c->f->term_names[j], c->r.term[j], c->w[j],
                   j + 1 < c->f->n_terms ? "," : "");
        printf("\n");
    }
    if (!c->f->plain) printf("  over %d episodes, mean length %.1f\n", c->r.episodes, c->r.length);
    if (c->best_e >= 0)
        printf("for comparison: the best expert row (%s) has utility %.10g\n",
               c->f->label[c->best_e], c->ue);
    if (c->refined) {
        printf("refined (%d evaluations around the grid's best): lambda (", c->ri.n_evals);
        for (int i = 0; i < c->f->n_experts; i++)
            printf("%s%.6g", i ? ", " : "", c->ref_lam[i]);
        printf("), utility %.10g in the search (%+.4g over the grid; the best of %d noisy "
               "scores, so biased upwards)\n",
               c->ref_u, c->ref_u - c->u, c->ri.n_evals);
        printf("  on %ld fresh episodes: utility %.10g, the grid's best %.10g (%+.4g)\n",
               c->ri.fresh_episodes, c->ri.fresh_u, c->ri.fresh_grid_u,
               c->ri.fresh_u - c->ri.fresh_grid_u);
        if (c->out_path) printf("  wrote the refined soup to %s\n", c->out_path);
    }
}

void rs_cli_select_print(const rs_cli_choice *c, int json) {
    if (json)
        print_json(c);
    else
        print_text(c);
}

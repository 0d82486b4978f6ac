/* pareto_print.c — what `rsoup pareto` prints: one front's blocks and
 * scores, or several fronts' scores and their bootstrap intervals, as text
 * or as one JSON object (pareto.h). */
#include <stdio.h>

#include "cli.h"
#include "cli_soup.h"
#include "pareto.h"
#include "rs_lattice.h"

static void print_block(const rs_front *f, const rs_frontscore_block *b, const char *indent) {
    int d = f->n_obj;
    printf("%snon-dominated: %d of %d rows", indent, b->n_nondom, b->n);
    if (b->cardinality != b->n_nondom) printf(" (%d distinct points)", b->cardinality);
    printf("\n");
    printf("%s  %-8s %-20s", indent, "kind", "label");
    for (int j = 0; j < d; j++)
        printf(" %12.12s", f->obj_names[j]);
    printf("\n");
    for (int i = 0; i < b->n; i++) {
        if (!b->mask[i]) continue;
        int r = b->rows[i];
        printf("%s  %-8s %-20s", indent, rs_front_kind_name(f->kind[r]), f->label[r]);
        for (int j = 0; j < d; j++)
            printf(" %12.6g", b->pts[(size_t)i * d + j]);
        printf("\n");
    }
}

/* add the block's fields to o; returns o */
static cJSON *block_json(cJSON *o, const rs_front *f, const rs_frontscore_block *b, int k) {
    int d = f->n_obj;
    cJSON_AddNumberToObject(o, "n_points", b->n);
    cJSON *nd = cJSON_AddArrayToObject(o, "nondominated");
    for (int i = 0; i < b->n; i++) {
        if (!b->mask[i]) continue;
        int r = b->rows[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "kind", rs_front_kind_name(f->kind[r]));
        cJSON_AddStringToObject(p, "label", f->label[r]);
        if (!f->plain)
            cJSON_AddItemToObject(
                p, "lambda", rs_lab_json_nums(f->lambda + (size_t)r * f->n_experts, f->n_experts));
        cJSON_AddItemToObject(p, "values", rs_lab_json_nums(b->pts + (size_t)i * d, d));
        cJSON_AddItemToArray(nd, p);
    }
    cJSON_AddNumberToObject(o, "hypervolume", b->hv);
    cJSON_AddNumberToObject(o, "eum", b->eum);
    cJSON_AddNumberToObject(o, "eum_k", k);
    cJSON_AddNumberToObject(o, "eum_n_weights", rs_lattice_count(d, k));
    cJSON_AddNumberToObject(o, "sparsity", b->sparsity);
    cJSON_AddNumberToObject(o, "cardinality", b->cardinality);
    cJSON_AddNumberToObject(o, "n_nondominated_rows", b->n_nondom);
    cJSON_AddNumberToObject(o, "points_not_above_ref", b->below_ref);
    return o;
}

static void one_json(const rs_cli_pareto_one *o) {
    const rs_frontscore *s = o->s;
    const rs_front *f = s->front;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", o->path);
    cJSON_AddStringToObject(root, "format", f->plain ? "plain" : "front");
    cJSON_AddItemToObject(root, "objectives",
                          cJSON_CreateStringArray((const char *const *)f->obj_names, s->d));
    cJSON *ka = cJSON_AddArrayToObject(root, "kinds");
    for (int j = 0; j < RS_KIND_COUNT; j++)
        if (s->kinds & RS_KIND_BIT(j))
            cJSON_AddItemToArray(ka, cJSON_CreateString(rs_front_kind_name((rs_front_kind)j)));
    cJSON_AddBoolToObject(root, "truncated_tail", o->truncated);
    cJSON_AddItemToObject(root, "ref", rs_lab_json_nums(s->ref, s->d));
    cJSON_AddStringToObject(root, "ref_source", o->ref_source);
    if (!o->ref_text) cJSON_AddNumberToObject(root, "ref_margin", o->margin);
    block_json(root, f, &s->main, (int)o->k);
    if (s->baseline.n)
        cJSON_AddItemToObject(root, "baseline",
                              block_json(cJSON_CreateObject(), f, &s->baseline, (int)o->k));
    rs_json_print(root);
}

static void one_text(const rs_cli_pareto_one *o) {
    const rs_frontscore *s = o->s;
    const rs_front *f = s->front;
    const rs_frontscore_block *m = &s->main, *b = &s->baseline;
    const int d = s->d;
    char names[1024], ct[256];
    rs_cli_join(names, sizeof names, f->obj_names, d);
    rs_front_counts_text(ct, sizeof ct, f, s->kinds);
    if (f->plain)
        printf("%s: %d point%s; %d objective%s: %s\n", o->path, m->n, m->n == 1 ? "" : "s", d,
               d == 1 ? "" : "s", names);
    else
        printf("%s: %d point%s (%s); %d objective%s: %s\n", o->path, m->n, m->n == 1 ? "" : "s", ct,
               d, d == 1 ? "" : "s", names);
    print_block(f, m, "");
    printf("hypervolume: %.10g\n", m->hv);
    printf("  reference point: (");
    for (int j = 0; j < d; j++)
        printf("%s%.10g", j ? ", " : "", s->ref[j]);
    printf("): %s%s\n", o->ref_source,
           o->ref_text ? ""
           : b->n      ? " of all points scored, baselines included"
                       : "");
    printf("EUM: %.10g (K = %ld: %d uniform weight vectors)\n", m->eum, o->k,
           rs_lattice_count(d, (int)o->k));
    printf("sparsity: %.10g\n", m->sparsity);
    printf("cardinality: %d (distinct non-dominated points)\n", m->cardinality);
    if (b->n) {
        printf("\nbaseline rows (%d), scored separately with the same reference point and "
               "weights:\n",
               b->n);
        print_block(f, b, "  ");
        printf("  hypervolume: %.10g\n  EUM: %.10g\n  sparsity: %.10g\n  cardinality: %d\n", b->hv,
               b->eum, b->sparsity, b->cardinality);
    }
}

void rs_cli_pareto_print_one(const rs_cli_pareto_one *o, int json) {
    if (json)
        one_json(o);
    else
        one_text(o);
}

static void many_json(const rs_cli_pareto_many *x) {
    const rs_compare_agg *ag = x->ag;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "ref", rs_lab_json_nums(x->res->ref, x->d));
    cJSON_AddStringToObject(root, "ref_source", x->ref_source);
    cJSON *fa = cJSON_AddArrayToObject(root, "fronts");
    for (int i = 0; i < x->n; i++) {
        const rs_compare_front *m = &x->res->front[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", x->paths[i]);
        cJSON_AddItemToObject(o, "hypervolume", rs_lab_json_num(m->hv));
        cJSON_AddItemToObject(o, "eum", rs_lab_json_num(m->eum));
        cJSON_AddItemToObject(o, "baseline_hypervolume", rs_lab_json_num(m->baseline_hv));
        cJSON_AddItemToObject(o, "baseline_eum", rs_lab_json_num(m->baseline_eum));
        cJSON_AddItemToObject(o, "hv_ratio_over_baseline", rs_lab_json_num(m->ratio));
        cJSON_AddItemToArray(fa, o);
    }
    cJSON *ja = cJSON_AddObjectToObject(root, "aggregate");
    cJSON_AddItemToObject(ja, "hypervolume", rs_lab_json_interval(&ag->hv));
    cJSON_AddItemToObject(ja, "eum", rs_lab_json_interval(&ag->eum));
    cJSON_AddItemToObject(ja, "baseline_hypervolume", rs_lab_json_interval(&ag->baseline_hv));
    cJSON_AddItemToObject(ja, "baseline_eum", rs_lab_json_interval(&ag->baseline_eum));
    cJSON_AddItemToObject(ja, "hv_ratio_over_baseline", rs_lab_json_interval(&ag->ratio));
    cJSON_AddStringToObject(ja, "interval",
                            "95% percentile bootstrap of the mean over fronts, 10000 resamples");
    rs_json_print(root);
}

static void many_text(const rs_cli_pareto_many *x) {
    const rs_compare_agg *ag = x->ag;
    printf("%d fronts, one reference point (", x->n);
    for (int j = 0; j < x->d; j++)
        printf("%s%.10g", j ? ", " : "", x->res->ref[j]);
    printf("): %s\n", x->ref_source);
    for (int i = 0; i < x->n; i++) {
        const rs_compare_front *m = &x->res->front[i];
        printf("  %s: hypervolume %.6g, EUM %.6g", x->paths[i], m->hv, m->eum);
        if (m->n_baseline)
            printf("; baseline hypervolume %.6g (ratio %.3f)", m->baseline_hv, m->ratio);
        printf("\n");
    }
    printf("over %d fronts (mean [95%% bootstrap interval]):\n", x->n);
    printf("  hypervolume %.6g [%.6g, %.6g], EUM %.6g [%.6g, %.6g]\n", ag->hv.value, ag->hv.lo,
           ag->hv.hi, ag->eum.value, ag->eum.lo, ag->eum.hi);
    if (ag->baseline_hv.n)
        printf("  baseline hypervolume %.6g [%.6g, %.6g]; ratio %.3f [%.3f, %.3f] over %d fronts "
               "with baselines\n",
               ag->baseline_hv.value, ag->baseline_hv.lo, ag->baseline_hv.hi, ag->ratio.value,
               ag->ratio.lo, ag->ratio.hi, ag->ratio.n);
}

void rs_cli_pareto_print_many(const rs_cli_pareto_many *m, int json) {
    if (json)
        many_json(m);
    else
        many_text(m);
}

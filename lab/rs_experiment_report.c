/* rs_experiment_report.c — an experiment's results: per replicate the
 * hypervolumes of every front against one shared reference point, the LMC
 * verdicts and the degenerate cases we can detect; across replicates means
 * and interquartile means with 95% bootstrap intervals and verdict counts;
 * then metrics.json, the tables the plots read, the plots and report.md. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_compare.h"
#include "rs_experiment.h"
#include "rs_frontfile.h"
#include "rs_lambda_stats.h"
#include "rs_lab.h"
#include "rs_lmc.h"
#include "rs_pareto.h"
#include "rs_provenance.h"
#include "rs_rollout.h"
#include "rs_stats.h"

#define D_MAX RS_EXP_MAX_REWARDS
/* experts trade off when each gives up at least this fraction of the
 * front's span on every other expert's reward */
#define RS_TRADE_MIN 0.1

/* one replicate's results */
typedef struct {
    int ok;                 /* its front exists and every job it needs finished */
    char status[256];       /* "ok" or what failed */
    rs_front *f, *cf;       /* front and control front (cf may be NULL) */
    rs_compare_front m;     /* its fronts' scores on the shared reference point */
    rs_lmc lmc[D_MAX], lmc_ctl[D_MAX];
    int have_lmc, have_ctl;
    int h1;                 /* no barrier on any reward */
    int ctl_barrier;        /* a barrier on some reward of the control path */
    double expert_own[D_MAX], init_own[D_MAX]; /* expert i and the init on reward i */
    int expert_not_better[D_MAX];
    int morl_dominating;    /* MORL points that dominate every soup */
    double best[D_MAX];     /* best return of any soup or expert on each reward */
    double span[D_MAX];     /* best minus worst return of any soup or expert on each reward */
    /* what expert i gives up on reward k against expert k, as a fraction of
     * span[k] (NAN on the diagonal); the experts trade off when every such
     * loss is at least RS_TRADE_MIN */
    double loss[D_MAX][D_MAX];
    int have_trade, trades;
    double expert_on[D_MAX][D_MAX]; /* expert i's return on reward k */
    double gain[D_MAX], gain_rel[D_MAX]; /* expert i's return on reward i minus the init's,
                                          * absolute and as a fraction of |init's| */
    rs_front *tf;           /* the twin's front (finetune.twin), or NULL */
    rs_lmc twin;            /* its path on the first reward: the same-reward floor */
    int have_twin;
    int beyond_floor;       /* the pair's barrier exceeds the floor on some reward */
    /* three or more experts: every edge and the interior (rs_lmc_simplex),
     * of the front and of the control front */
    rs_lmc_simplex *sx, *sx_ctl;
    char lmc_why[256];      /* why there is no H1 verdict, when there is none */
} rep_result;

static void rep_free(rep_result *x) {
    rs_front_free(x->f);
    rs_front_free(x->cf);
    rs_front_free(x->tf);
    rs_lmc_simplex_free(x->sx);
    rs_lmc_simplex_free(x->sx_ctl);
}


/* the replicate's status from its jobs' states */
static void rep_status(const rs_job_graph *g, int r, rep_result *x) {
    snprintf(x->status, sizeof x->status, "ok");
    x->ok = 1;
    for (int i = 0; i < g->n; i++) {
        const rs_job *j = &g->jobs[i];
        if (j->rep != r) continue;
        if (j->state == J_FAILED || j->state == J_BLOCKED || j->state == J_PENDING ||
            j->state == J_RUNNING) {
            const char *base = strrchr(j->name, '/') ? strrchr(j->name, '/') + 1 : j->name;
            if (x->ok) snprintf(x->status, sizeof x->status, "%s %s", base,
                                j->state == J_FAILED ? "failed" : "did not run");
            /* only the main front is needed for the replicate's results */
            if (!strcmp(base, "control_front") || !strncmp(base, "control_", 8) ||
                !strncmp(base, "twin_", 5))
                continue;
            x->ok = 0;
        }
    }
}

/* what a replicate shows beyond its hypervolumes and EUMs (rs_compare, in
 * report_reference_point): LMC verdicts, degenerate cases, best returns */
static void rep_metrics(const rs_exp_config *c, rep_result *x) {
    const rs_front *f = x->f;
    const int d = f->n_obj;
    int n_ex, n_rs, n_morl;
    double *rs = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_SOUP), &n_rs, NULL);
    double *mo = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_BASELINE), &n_morl, NULL);
    double *ex = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_EXPERT), &n_ex, NULL);
    int n_in = 0;
    double *in = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_INIT), &n_in, NULL);
    if (f->n_experts == 2) {
        x->have_lmc = 1;
        x->h1 = 1;
        for (int k = 0; k < d; k++)
            if (rs_lmc_of_front(f, k, c->lmc_tol, &x->lmc[k], NULL, NULL, NULL) == 0) x->h1 &= !x->lmc[k].is_barrier;
            else if (x->have_lmc) {
                x->have_lmc = x->h1 = 0;
                snprintf(x->lmc_why, sizeof x->lmc_why, "no path on %s: %.150s", c->reward_names[k], rs_last_error());
            }
    } else if (f->n_experts >= 3) {
        /* every edge (each pair of experts) and the interior */
        x->sx = rs_lmc_simplex_new(f, c->lmc_tol);
        if (x->sx) x->have_lmc = 1, x->h1 = x->sx->h1;
        else snprintf(x->lmc_why, sizeof x->lmc_why, "%.190s", rs_last_error());
    }
    if (x->cf && x->cf->n_experts == 2) {
        x->have_ctl = 1;
        for (int k = 0; k < d; k++)
            if (rs_lmc_of_front(x->cf, k, c->lmc_tol, &x->lmc_ctl[k], NULL, NULL, NULL) == 0)
                x->ctl_barrier |= x->lmc_ctl[k].is_barrier;
            else x->have_ctl = 0;
    } else if (x->cf && x->cf->n_experts >= 3 && (x->sx_ctl = rs_lmc_simplex_new(x->cf, c->lmc_tol))) {
        x->have_ctl = 1;
        x->ctl_barrier = !x->sx_ctl->h1;
    }
    /* degenerate cases: an expert no better than the init on its own
     * reward; MORL points that dominate every soup */
    for (int k = 0; k < d; k++) {
        x->expert_own[k] = k < n_ex ? ex[(size_t)k * d + k] : NAN;
        x->init_own[k] = n_in ? in[k] : NAN;
        x->expert_not_better[k] = n_in && k < n_ex && !(x->expert_own[k] > x->init_own[k]);
        for (int i = 0; i < d; i++) x->expert_on[i][k] = i < n_ex ? ex[(size_t)i * d + k] : NAN;
        x->gain[k] = x->expert_own[k] - x->init_own[k];
        x->gain_rel[k] = x->gain[k] / fabs(x->init_own[k]);
        x->best[k] = -INFINITY;
        double worst = INFINITY;
        for (int i = 0; i < n_rs; i++)
            x->best[k] = fmax(x->best[k], rs[(size_t)i * d + k]), worst = fmin(worst, rs[(size_t)i * d + k]);
        for (int i = 0; i < n_ex; i++)
            x->best[k] = fmax(x->best[k], ex[(size_t)i * d + k]), worst = fmin(worst, ex[(size_t)i * d + k]);
        x->span[k] = x->best[k] - worst;
    }
    /* the trade-off: each expert against the others on their own rewards */
    x->have_trade = n_ex == d && d >= 2;
    x->trades = x->have_trade;
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++) {
            x->loss[i][k] = NAN;
            if (!x->have_trade || i == k) continue;
            x->loss[i][k] = x->span[k] > 0 ? (x->expert_own[k] - x->expert_on[i][k]) / x->span[k] : 0;
            x->trades &= x->loss[i][k] >= RS_TRADE_MIN;
        }
    for (int m = 0; m < n_morl; m++) {
        int all = n_rs > 0;
        for (int i = 0; i < n_rs && all; i++) all &= rs_pareto_dominates(mo + (size_t)m * d, rs + (size_t)i * d, d);
        x->morl_dominating += all;
    }
    if (x->tf && x->tf->n_experts == 2 &&
        rs_lmc_of_front(x->tf, 0, c->lmc_tol, &x->twin, NULL, NULL, NULL) == 0) {
        x->have_twin = 1;
        for (int k = 0; x->have_lmc && !x->sx && k < d; k++) x->beyond_floor |= rs_lmc_exceeds_floor(&x->lmc[k], &x->twin);
        /* three or more experts: some edge's barrier exceeds the floor */
        for (int e = 0; x->sx && e < x->sx->n_edges * d; e++)
            x->beyond_floor |= rs_lmc_exceeds_floor(&x->sx->edge[e], &x->twin);
    }
    free(rs);
    free(mo);
    free(ex);
    free(in);
}

/* the interval of v[0..m) (the mean) */
static rs_interval over_vals(const double *v, int m) {
    rs_interval iv = {NAN, NAN, NAN, 0};
    rs_stat_bootstrap(v, m, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &iv);
    return iv;
}

/* each expert's gain over the init on its own reward (rel: as a fraction),
 * over the replicates that finished */
static rs_interval over_gain(const rep_result *x, int n, int k, int rel) {
    double v[RS_EXP_MAX_SEEDS];
    int m = 0;
    for (int r = 0; r < n; r++)
        if (x[r].ok && isfinite(x[r].gain[k])) v[m++] = rel ? x[r].gain_rel[k] : x[r].gain[k];
    return over_vals(v, m);
}

static rs_interval over_twin(const rep_result *x, int n) {
    double v[RS_EXP_MAX_SEEDS];
    int m = 0;
    for (int r = 0; r < n; r++)
        if (x[r].ok && x[r].have_twin) v[m++] = x[r].twin.barrier;
    return over_vals(v, m);
}

/* ---- aggregates ---- */
/* metrics.json's names for the comparison's scores, per replicate
 * (rs_compare_front) and over replicates (rs_compare_agg) */
typedef struct {
    const char *key;
    size_t front_off, agg_off;
} metric_def;

#define M(key, field) {key, offsetof(rs_compare_front, field), offsetof(rs_compare_agg, field)}
static const metric_def METRICS[] = {
    M("hv_rewarded_soups", hv),         M("hv_morl", baseline_hv),
    M("hv_expert_line", line_hv),       M("hv_experts", experts_hv),
    M("hv_control", control_hv),        M("eum_rewarded_soups", eum),
    M("eum_morl", baseline_eum),        M("eum_expert_line", line_eum),
    M("hv_ratio_rs_over_morl", ratio),
};
#undef M
#define N_METRICS ((int)(sizeof METRICS / sizeof METRICS[0]))

static double front_field(const rs_compare_front *m, size_t off) {
    return *(const double *)((const char *)m + off);
}
static const rs_interval *agg_field(const rs_compare_agg *a, size_t off) {
    return (const rs_interval *)((const char *)a + off);
}

/* the LMC verdicts on reward k (ctl: of the control path) over the
 * finished replicates that have them */
static rs_compare_lmc_agg over_lmc(const rep_result *x, int n, int k, int ctl) {
    const rs_lmc *v[RS_EXP_MAX_SEEDS];
    rs_compare_lmc_agg la;
    for (int r = 0; r < n; r++)
        v[r] = !x[r].ok || !(ctl ? x[r].have_ctl : x[r].have_lmc) ? NULL
               : ctl                                               ? &x[r].lmc_ctl[k]
                                                                   : &x[r].lmc[k];
    rs_compare_lmc_aggregate(v, n, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &la);
    return la;
}

/* three or more experts: edge e's verdict on reward k (e = -1: the plane's) */
static const rs_lmc *sx_at(const rs_lmc_simplex *s, int e, int k) {
    return !s ? NULL : e < 0 ? (s->has_plane ? &s->plane[k] : NULL) : &s->edge[(size_t)e * s->n_obj + k];
}

/* a barrier on reward k on some edge or the plane */
static int sx_barrier_on(const rs_lmc_simplex *s, int k) {
    int any = s->has_plane && s->plane[k].is_barrier;
    for (int e = 0; e < s->n_edges; e++) any |= s->edge[(size_t)e * s->n_obj + k].is_barrier;
    return any;
}

/* as over_lmc, for edge e (-1: the plane) of the replicates' simplices */
static rs_compare_lmc_agg over_sx(const rep_result *x, int n, int e, int k, int ctl) {
    const rs_lmc *v[RS_EXP_MAX_SEEDS];
    rs_compare_lmc_agg la;
    for (int r = 0; r < n; r++) v[r] = x[r].ok ? sx_at(ctl ? x[r].sx_ctl : x[r].sx, e, k) : NULL;
    rs_compare_lmc_aggregate(v, n, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &la);
    return la;
}

/* the first replicate's simplex (the edges' order is every replicate's) */
static const rs_lmc_simplex *first_sx(const rep_result *x, int n) {
    for (int r = 0; r < n; r++)
        if (x[r].ok && x[r].sx) return x[r].sx;
    return NULL;
}

/* "1.234e+06 [1.1e+06, 1.3e+06]", or just the value for one replicate */
static const char *fmt_iv(char *buf, size_t n, const rs_interval *iv, const char *num) {
    char a[64], b[64], v[64];
    if (iv->n == 0) {
        snprintf(buf, n, "—");
        return buf;
    }
    snprintf(v, sizeof v, num, iv->value);
    if (iv->n == 1) {
        snprintf(buf, n, "%s", v);
        return buf;
    }
    snprintf(a, sizeof a, num, iv->lo);
    snprintf(b, sizeof b, num, iv->hi);
    snprintf(buf, n, "%s [%s, %s]", v, a, b);
    return buf;
}

/* per-λ mean over replicates with its bootstrap interval and s.e., for the
 * plots: lambda_stats.csv (two experts only) */
static void write_lambda_stats(const char *out, rep_result *x, int n, int d, char *const *names) {
    const rs_front *f0 = NULL;
    for (int r = 0; r < n && !f0; r++)
        if (x[r].ok && x[r].f->n_experts == 2) f0 = x[r].f;
    if (!f0) return;
    int np = 0;
    const size_t cap = (size_t)f0->n + 1;
    double *lam = malloc(sizeof(double) * cap); /* the λ grid, from the first front */
    double *L = malloc(sizeof(double) * cap), *R = malloc(sizeof(double) * cap);
    double *all = calloc((size_t)n * cap * d * 2, sizeof(double));
    char p[RS_EXP_PATH + 32];
    snprintf(p, sizeof p, "%s/lambda_stats.csv", out);
    FILE *fp = lam && L && R && all ? fopen(p, "w") : NULL;
    if (!fp) goto done;
    /* only the path's λ and returns are read here: the tolerance plays no part */
    rs_lmc tmp;
    rs_lmc_of_front(f0, 0, RS_LMC_REL_TOL, &tmp, lam, R, &np);
    /* all[((r * np + i) * d + k) * 2 + {0: soup, 1: control}] */
    int m = 0, mc = 0;
    for (int r = 0; r < n; r++) {
        if (!x[r].ok || x[r].f->n_experts != 2) continue;
        int ok = 1, okc = x[r].cf != NULL;
        for (int k = 0; k < d && ok; k++) {
            int nk = 0;
            ok = rs_lmc_of_front(x[r].f, k, RS_LMC_REL_TOL, &tmp, L, R, &nk) == 0 && nk == np;
            for (int i = 0; ok && i < np; i++) all[(((size_t)m * np + i) * d + k) * 2] = R[i];
        }
        for (int k = 0; k < d && okc && ok; k++) {
            int nk = 0;
            okc = rs_lmc_of_front(x[r].cf, k, RS_LMC_REL_TOL, &tmp, L, R, &nk) == 0 && nk == np;
            for (int i = 0; okc && i < np; i++) all[(((size_t)m * np + i) * d + k) * 2 + 1] = R[i];
        }
        if (!ok) continue;
        if (!okc)
            for (int i = 0; i < np; i++)
                for (int k = 0; k < d; k++) all[(((size_t)m * np + i) * d + k) * 2 + 1] = NAN;
        mc += okc;
        m++;
    }
    fprintf(fp, "# per-λ returns over %d replicates: mean, 95%% bootstrap interval of the mean, "
                "standard error; line = the experts' straight line (mean over replicates); "
                "control = control soups' mean (%d replicates)\n", m, mc);
    fprintf(fp, "lambda,n");
    for (int k = 0; k < d; k++)
        fprintf(fp, ",%s:mean,%s:lo,%s:hi,%s:se,%s:line,%s:control", names[k], names[k], names[k],
                names[k], names[k], names[k]);
    fprintf(fp, "\n");
    double *v = malloc(sizeof(double) * (size_t)(m + 1));
    for (int i = 0; v && i < np; i++) {
        fprintf(fp, "%.10g,%d", lam[i], m);
        for (int k = 0; k < d; k++) {
            for (int r = 0; r < m; r++) v[r] = all[(((size_t)r * np + i) * d + k) * 2];
            rs_interval iv;
            rs_stat_bootstrap(v, m, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &iv);
            double ss = 0;
            for (int r = 0; r < m; r++) ss += (v[r] - iv.value) * (v[r] - iv.value);
            double se = m > 1 ? sqrt(ss / (m - 1) / m) : 0;
            double line = 0;
            for (int r = 0; r < m; r++) {
                double r0 = all[(((size_t)r * np + 0) * d + k) * 2];
                double r1 = all[(((size_t)r * np + np - 1) * d + k) * 2];
                line += ((1 - lam[i]) * r0 + lam[i] * r1) / m;
            }
            for (int r = 0; r < m; r++) v[r] = all[(((size_t)r * np + i) * d + k) * 2 + 1];
            rs_interval ic;
            rs_stat_bootstrap(v, m, RS_STAT_MEAN, 0.95, 0, 0, &ic);
            fprintf(fp, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g", iv.value, iv.lo, iv.hi, se, line, ic.value);
        }
        fprintf(fp, "\n");
    }
    free(v);
done:
    if (fp) fclose(fp);
    free(lam);
    free(L);
    free(R);
    free(all);
}

/* find experiments/plot_front.sh: beside the source tree the binary was built from */
static int run_plots(const char *out) {
    const char *cands[] = {"experiments/plot_front.sh", RSOUP_SOURCE_DIR "/experiments/plot_front.sh"};
    const char *script = NULL;
    for (int i = 0; i < 2 && !script; i++)
        if (rs_lab_exists(cands[i])) script = cands[i];
    if (!script) {
        rs_exp_say("experiment: experiments/plot_front.sh not found: no plots\n");
        return -1;
    }
    char *argv[] = {"bash", (char *)script, (char *)out, NULL};
    return rs_lab_run_quiet(argv, rs_exp_log());
}

static void mean_of_zero_policy(const rs_exp_config *c, double *zero) {
    const rs_env_spec *s = rs_env_find(c->env);
    rs_rollout_result rr;
    for (int k = 0; k < c->n_rewards; k++) zero[k] = NAN;
    double wd[RS_MAX_TERMS];
    if (rs_reward_parse(s, "default", wd) != 0 ||
        rs_rollout(s, NULL, wd, "zero", c->episodes > 20 ? c->episodes : 20, 4, 1,
                   (uint64_t)c->eval_seed, &rr) != 0)
        return;
    for (int k = 0; k < c->n_rewards; k++) {
        double w[RS_MAX_TERMS];
        if (rs_reward_parse(s, c->reward_specs[k], w) != 0) continue;
        zero[k] = 0;
        for (int t = 0; t < s->n_terms; t++) zero[k] += w[t] * rr.terms_mean[t];
    }
}

/* the reference point of DIR/metrics.json: 1 with d numbers in ref, 0 when
 * there is no readable one (a first report) */
static int prev_reference(const char *dir, int d, double *ref) {
    char p[RS_EXP_PATH + 32];
    snprintf(p, sizeof p, "%s/metrics.json", dir);
    char *s = rs_lab_exists(p) ? rs_read_file(p, NULL) : NULL;
    cJSON *o = s ? cJSON_Parse(s) : NULL;
    free(s);
    const cJSON *a = o ? cJSON_GetObjectItemCaseSensitive(o, "reference_point") : NULL;
    int ok = cJSON_IsArray(a) && cJSON_GetArraySize(a) == d;
    for (int k = 0; ok && k < d; k++) {
        const cJSON *v = cJSON_GetArrayItem(a, k);
        ok = cJSON_IsNumber(v);
        if (ok) ref[k] = v->valuedouble;
    }
    cJSON_Delete(o);
    return ok;
}

/* the trainings' own time: the sum over the graph's training jobs of the
 * time_s of their progress.csv's last line (it carries on across resumes),
 * so that a report remade later still says what the runs cost; *n: how
 * many trainings had one */
static double trainings_wall_time_s(const rs_job_graph *g, int *n) {
    double sum = 0;
    *n = 0;
    for (int i = 0; i < g->n; i++) {
        const rs_job *j = &g->jobs[i];
        if (!j->is_train) continue;
        char p[RS_EXP_PATH + 32], line[4096], last[4096] = "";
        snprintf(p, sizeof p, "%s/progress.csv", j->out);
        FILE *f = fopen(p, "r");
        if (!f) continue;
        while (fgets(line, sizeof line, f))
            if (line[0] >= '0' && line[0] <= '9') memcpy(last, line, sizeof last);
        fclose(f);
        /* iter,step,time_s,... */
        const char *c = strchr(last, ',');
        c = c ? strchr(c + 1, ',') : NULL;
        char *end;
        double t = c ? strtod(c + 1, &end) : NAN;
        if (c && end != c + 1 && isfinite(t) && t >= 0) sum += t, (*n)++;
    }
    return sum;
}

static FILE *g_headline;
void rs_exp_report_headline_to(FILE *f) { g_headline = f; }

/* the counts of verdicts and caveats over the finished replicates */
typedef struct {
    int h1_count, lmc_n, ctl_count, ctl_n, ge_morl, morl_n;
    int exp_bad[D_MAX], morl_dom, zero_best[D_MAX], zero_beats_expert[D_MAX];
    int bar_count[D_MAX], ctl_bar_count[D_MAX];
    int twin_n, floor_count, twin_bar, gain_ok[D_MAX], gain_n[D_MAX];
    int beats[D_MAX][D_MAX]; /* expert i scores >= expert k on reward k */
    int trade_ok, trade_n;   /* replicates whose experts trade off (RS_TRADE_MIN) */
} verdict_counts;

/* a report as it is made, stage by stage (rs_exp_report) */
typedef struct {
    const rs_exp_config *c;
    const char *config_path, *out;
    const rs_job_graph *g;
    double wall_s;
    int threads;
    int n, d;                 /* replicates, rewards */
    rep_result *x;            /* per replicate */
    int n_ok;                 /* replicates that finished */
    double ref[D_MAX];        /* the reference point, shared by every front */
    const char *ref_source;
    double prev_ref[D_MAX];   /* the folder's last report's, when it moved */
    int moved;
    double zero[D_MAX];       /* a motionless robot's return on each reward */
    rs_compare_result cmp;    /* the finished replicates' fronts, compared */
    rs_compare_agg agg, agg_iqm; /* their mean and IQM over the replicates */
    verdict_counts v;
    rs_lambda_stats *ls;      /* three or more experts: per λ over replicates */
    char names_buf[D_MAX][64];
    char *names[D_MAX];
} report;

/* load: each replicate's status from its jobs, and its fronts (front,
 * twin, control); 0, or -1 (error set) when no replicate finished */
static int report_load(report *R) {
    const rs_exp_config *c = R->c;
    const rs_job_graph *g = R->g;
    const int n = R->n;
    const int d = R->d;
    rep_result *x = R->x = calloc((size_t)n, sizeof *x);
    if (!x) return -1;
    int n_ok = 0;
    char p[RS_EXP_PATH + 64];
    for (int r = 0; r < n; r++) {
        rep_status(g, r, &x[r]);
        snprintf(p, sizeof p, "%s/front.csv", g->reps[r].dir);
        if (x[r].ok && rs_lab_exists(p)) x[r].f = rs_front_load(p, NULL);
        if (x[r].ok && !x[r].f) {
            x[r].ok = 0;
            snprintf(x[r].status, sizeof x[r].status, "front.csv unreadable: %.200s", rs_last_error());
        }
        if (x[r].ok && x[r].f->n_obj != d) {
            x[r].ok = 0;
            snprintf(x[r].status, sizeof x[r].status, "front.csv has %d rewards, not %d", x[r].f->n_obj, d);
        }
        /* one expert per reward: a λ lattice of another size is not this experiment's */
        if (x[r].ok && x[r].f->n_experts != d) {
            x[r].ok = 0;
            snprintf(x[r].status, sizeof x[r].status,
                     "front.csv mixes %d experts (its λ columns), the config has %d rewards (one expert each)",
                     x[r].f->n_experts, d);
        }
        snprintf(p, sizeof p, "%s/twin_front.csv", g->reps[r].dir);
        if (x[r].ok && c->twin && rs_lab_exists(p)) x[r].tf = rs_front_load(p, NULL);
        if (x[r].tf && x[r].tf->n_obj != d) {
            rs_front_free(x[r].tf);
            x[r].tf = NULL;
        }
        snprintf(p, sizeof p, "%s/control_front.csv", g->reps[r].dir);
        if (x[r].ok && c->control && rs_lab_exists(p)) x[r].cf = rs_front_load(p, NULL);
        if (x[r].cf && (x[r].cf->n_obj != d || x[r].cf->n_experts != d)) {
            rs_exp_say("experiment: %s: %d rewards and %d experts, not %d: left out\n", p, x[r].cf->n_obj,
                       x[r].cf->n_experts, d);
            rs_front_free(x[r].cf);
            x[r].cf = NULL;
        }
        n_ok += x[r].ok;
    }
    R->n_ok = n_ok;
    if (n_ok == 0) {
        rs_set_error("no replicate finished: no front to report on");
        for (int r = 0; r < n; r++) rep_free(&x[r]);
        free(x);
        R->x = NULL;
        return -1;
    }
    return 0;
}

/* the reference point and every finished replicate's fronts scored on it
 * (rs_compare): the config's point, else one from every evaluated point of
 * every finished replicate (soups, MORL, experts, the experts' line, the
 * control soups); and whether it moved since this folder's last report
 * (said in report.md and in the log). 0, or -1 (error set) when the
 * config's point is not below every point, or out of memory */
static int report_reference_point(report *R) {
    const rs_exp_config *c = R->c;
    const char *out = R->out;
    const int n = R->n;
    const int d = R->d;
    rep_result *x = R->x;
    /* replicates are at most RS_EXP_MAX_SEEDS (the config refuses more) */
    const rs_front *fronts[RS_EXP_MAX_SEEDS], *control[RS_EXP_MAX_SEEDS];
    const char *names[RS_EXP_MAX_SEEDS];
    int m = 0;
    for (int r = 0; r < n; r++)
        if (x[r].ok) fronts[m] = x[r].f, control[m] = x[r].cf, names[m++] = R->g->reps[r].dir;
    /* the report's EUM resolution: 20 for one reward, unlike `rsoup
     * pareto`'s 1 (docs/decisions.md) */
    rs_compare_req req = {.n = m,
                          .fronts = fronts,
                          .names = names,
                          .control = control,
                          .soup_kinds = RS_KIND_BIT(RS_KIND_SOUP),
                          .baseline_kinds = RS_KIND_BIT(RS_KIND_BASELINE),
                          .experts = 1,
                          .ref = c->has_ref ? c->ref : NULL,
                          .margin = 0.05,
                          .eum_k = d == 2 ? 100 : 20};
    int rc = rs_compare_run(&req, &R->cmp);
    if (rc < 0) return -1;
    for (int r = 0, i = 0; r < n; r++)
        if (x[r].ok) x[r].m = R->cmp.front[i++];
    /* one reference point for every front of every replicate */
    double *ref = R->ref;
    memcpy(ref, R->cmp.ref, sizeof(double) * d);
    const char *ref_source =
        c->has_ref ? "given in the config"
        : n > 1    ? "componentwise minimum of every evaluated point of every replicate minus 5% of the range"
                   : "componentwise minimum of all evaluated points minus 5% of the range";
    R->ref_source = ref_source;
    /* the last report of this folder: when its reference point differs, its
     * hypervolumes are on another scale (a seed added, a point moved). Said
     * in report.md and on stderr; metrics.json stays what this data alone
     * gives, so that a resumed experiment's equals an uninterrupted one's */
    double *prev_ref = R->prev_ref;
    int moved = 0;
    {
        double pr[D_MAX] = {0};
        if (prev_reference(out, d, pr) == 1) {
            /* metrics.json keeps 15 significant digits: a point read back
             * differs from the one computed in the last bits */
            for (int k = 0; k < d; k++)
                moved |= fabs(pr[k] - ref[k]) > 1e-12 * fmax(1.0, fmax(fabs(pr[k]), fabs(ref[k])));
            memcpy(prev_ref, pr, sizeof pr);
        }
    }
    if (moved) {
        rs_exp_say("experiment: note: the reference point moved since this folder's last report (");
        for (int k = 0; k < d; k++) rs_exp_say("%s%.6g", k ? ", " : "", prev_ref[k]);
        rs_exp_say(" -> ");
        for (int k = 0; k < d; k++) rs_exp_say("%s%.6g", k ? ", " : "", ref[k]);
        rs_exp_say("): hypervolumes are not comparable with that report's%s\n",
                c->has_ref ? "" : "; give reference_point in the config to fix it");
    }
    R->moved = moved;
    return 0;
}

/* metrics: each finished replicate's hypervolumes, LMC verdicts and
 * caveats against the reference point; a motionless robot's returns */
static void report_metrics(report *R) {
    const rs_exp_config *c = R->c;
    const int n = R->n;
    rep_result *x = R->x;
    for (int r = 0; r < n; r++)
        if (x[r].ok) rep_metrics(c, &x[r]);
    mean_of_zero_policy(c, R->zero);
}

/* aggregate: means and interquartile means over the finished replicates
 * with their bootstrap intervals, and the counts of verdicts and caveats */
static void report_aggregate(report *R) {
    const rs_exp_config *c = R->c;
    const int n = R->n;
    const int d = R->d;
    rep_result *x = R->x;
    const double *zero = R->zero;
    /* over the finished replicates: the fronts compared */
    rs_compare_aggregate(&R->cmp, RS_STAT_MEAN, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &R->agg);
    rs_compare_aggregate(&R->cmp, RS_STAT_IQM, 0.95, RS_BOOT_RESAMPLES, RS_BOOT_SEED, &R->agg_iqm);
    verdict_counts v = {0};
    for (int r = 0; r < n; r++) {
        if (!x[r].ok) continue;
        if (x[r].have_twin) v.twin_n++, v.twin_bar += x[r].twin.is_barrier;
        if (x[r].have_twin && x[r].have_lmc) v.floor_count += x[r].beyond_floor;
        for (int k = 0; k < d; k++)
            if (isfinite(x[r].gain_rel[k])) v.gain_n[k]++, v.gain_ok[k] += x[r].gain_rel[k] >= 0.2;
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++) v.beats[i][k] += i != k && x[r].expert_on[i][k] >= x[r].expert_own[k];
        if (x[r].have_lmc) v.lmc_n++, v.h1_count += x[r].h1;
        if (x[r].have_trade) v.trade_n++, v.trade_ok += x[r].trades;
        if (x[r].have_ctl) v.ctl_n++, v.ctl_count += x[r].ctl_barrier;
        if (isfinite(x[r].m.ratio)) v.morl_n++, v.ge_morl += x[r].m.ratio >= 1;
        v.morl_dom += x[r].morl_dominating > 0;
        for (int k = 0; k < d; k++) {
            v.exp_bad[k] += x[r].expert_not_better[k];
            v.zero_best[k] += zero[k] >= x[r].best[k];
            v.zero_beats_expert[k] += zero[k] >= x[r].expert_own[k];
            v.bar_count[k] += x[r].have_lmc && (x[r].sx ? sx_barrier_on(x[r].sx, k) : x[r].lmc[k].is_barrier);
            v.ctl_bar_count[k] += x[r].have_ctl &&
                                  (x[r].sx_ctl ? sx_barrier_on(x[r].sx_ctl, k) : x[r].lmc_ctl[k].is_barrier);
        }
    }
    R->v = v;
    for (int k = 0; k < d; k++) {
        snprintf(R->names_buf[k], sizeof R->names_buf[k], "%s", c->reward_names[k]);
        R->names[k] = R->names_buf[k];
    }
}

/* lambda_stats.csv of three or more experts (rs_lambda_stats), kept in
 * R->ls for report.md and metrics.json; said in the log when it cannot be
 * made */
static void report_lambda_stats(report *R) {
    const rs_front *fr[RS_EXP_MAX_SEEDS], *cf[RS_EXP_MAX_SEEDS];
    int m = 0;
    for (int r = 0; r < R->n; r++)
        if (R->x[r].ok) fr[m] = R->x[r].f, cf[m++] = R->x[r].cf;
    char p[RS_EXP_PATH + 32];
    snprintf(p, sizeof p, "%s/lambda_stats.csv", R->out);
    R->ls = m ? rs_lambda_stats_new(fr, cf, m) : NULL;
    if (!R->ls || rs_lambda_stats_write(R->ls, (const char *const *)R->names, p) != 0)
        rs_exp_say("experiment: no %s: %s\n", p, rs_last_error());
}

/* "velocity-height": edge e's experts by their rewards' names */
static const char *edge_name(const report *R, const rs_lmc_simplex *s, int e, char *buf, size_t n) {
    if (e < 0) snprintf(buf, n, "interior");
    else snprintf(buf, n, "%s-%s", R->c->reward_names[s->edge_a[e]], R->c->reward_names[s->edge_b[e]]);
    return buf;
}

/* one verdict of a replicate's simplex (of front f), for metrics.json */
static cJSON *json_sx_one(const report *R, const rs_front *f, const rs_lmc_simplex *s, int e, int k) {
    const rs_lmc *m = sx_at(s, e, k);
    cJSON *q = cJSON_CreateObject();
    char b[160];
    cJSON_AddStringToObject(q, "where", edge_name(R, s, e, b, sizeof b));
    cJSON_AddStringToObject(q, "reward", R->c->reward_names[k]);
    cJSON_AddNumberToObject(q, "barrier", m->barrier);
    /* on an edge the weight of its second expert; inside, the soup's λ in full */
    if (e >= 0) cJSON_AddItemToObject(q, "barrier_lambda", rs_lab_json_num(m->barrier_lambda));
    else if (s->plane_row[k] < 0) cJSON_AddNullToObject(q, "barrier_lambda");
    else cJSON_AddItemToObject(q, "barrier_lambda",
                               rs_lab_json_nums(f->lambda + (size_t)s->plane_row[k] * f->n_experts, f->n_experts));
    cJSON_AddItemToObject(q, "barrier_in_se", rs_lab_json_num(m->z));
    cJSON_AddItemToObject(q, "tolerance", rs_lab_json_num(m->tolerance));
    cJSON_AddBoolToObject(q, "is_barrier", m->is_barrier);
    cJSON_AddNumberToObject(q, e < 0 ? "mean_gap_to_plane" : "area_above_line", m->area);
    return q;
}

/* metrics.json, three or more experts: the verdicts of every edge and the
 * interior over replicates (lmc_simplex), the best λ per reward and the
 * non-dominated soups (lambda) */
static void json_simplex(const report *R, cJSON *o) {
    const rs_lmc_simplex *s0 = first_sx(R->x, R->n);
    const int d = R->d;
    char b[160];
    if (s0) {
        cJSON *js = cJSON_AddObjectToObject(o, "lmc_simplex");
        cJSON_AddStringToObject(js, "rule", "each edge: the soups with only its two experts weighted against "
                                            "their straight line; interior: every other soup against the "
                                            "experts' plane (their returns mixed by λ)");
        cJSON *a = cJSON_AddArrayToObject(js, "verdicts");
        /* the edges, then the interior (e = -1) */
        for (int i = 0; i < s0->n_edges + s0->has_plane; i++)
            for (int k = 0, e = i < s0->n_edges ? i : -1; k < d; k++) {
                cJSON *q = cJSON_CreateObject();
                cJSON_AddStringToObject(q, "where", edge_name(R, s0, e, b, sizeof b));
                cJSON_AddStringToObject(q, "reward", R->c->reward_names[k]);
                rs_compare_lmc_agg la = over_sx(R->x, R->n, e, k, 0);
                cJSON_AddItemToObject(q, "barrier", rs_lab_json_interval_named(&la.barrier, "mean"));
                cJSON_AddItemToObject(q, e < 0 ? "mean_gap_to_plane" : "area_above_line",
                                      rs_lab_json_interval_named(&la.area, "mean"));
                cJSON_AddNumberToObject(q, "replicates_with_barrier", la.n_barrier);
                cJSON_AddNumberToObject(q, "of", la.n);
                if (R->v.ctl_n) {
                    la = over_sx(R->x, R->n, e, k, 1);
                    cJSON_AddItemToObject(q, "control_barrier", rs_lab_json_interval_named(&la.barrier, "mean"));
                    cJSON_AddNumberToObject(q, "control_replicates_with_barrier", la.n_barrier);
                }
                cJSON_AddItemToArray(a, q);
            }
    }
    const rs_lambda_stats *ls = R->ls;
    if (!ls) return;
    cJSON *jl = cJSON_AddObjectToObject(o, "lambda");
    cJSON *jb = cJSON_AddArrayToObject(jl, "best");
    for (int k = 0; k < d; k++) {
        int p = ls->best[k];
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "reward", R->c->reward_names[k]);
        if (p >= 0) {
            rs_interval iv = {ls->mean[(size_t)p * d + k], ls->lo[(size_t)p * d + k], ls->hi[(size_t)p * d + k], ls->n[p]};
            cJSON_AddItemToObject(q, "lambda", rs_lab_json_nums(ls->lambda + (size_t)p * ls->n_experts, ls->n_experts));
            cJSON_AddItemToObject(q, "return", rs_lab_json_interval_named(&iv, "mean"));
        }
        cJSON_AddItemToArray(jb, q);
    }
    cJSON *jn = cJSON_AddArrayToObject(jl, "nondominated");
    for (int p = 0; p < ls->n_pts; p++) {
        if (!ls->nondominated[p]) continue;
        cJSON *q = cJSON_CreateObject();
        cJSON_AddItemToObject(q, "lambda", rs_lab_json_nums(ls->lambda + (size_t)p * ls->n_experts, ls->n_experts));
        cJSON *rv = cJSON_AddArrayToObject(q, "returns");
        for (int k = 0; k < d; k++) {
            rs_interval iv = {ls->mean[(size_t)p * d + k], ls->lo[(size_t)p * d + k], ls->hi[(size_t)p * d + k], ls->n[p]};
            cJSON *e = rs_lab_json_interval_named(&iv, "mean");
            cJSON_AddStringToObject(e, "reward", R->c->reward_names[k]);
            cJSON_AddItemToArray(rv, e);
        }
        cJSON_AddItemToArray(jn, q);
    }
}

/* metrics.json's per_replicate: each replicate's scores and verdicts */
static void json_per_replicate(const report *R, cJSON *o) {
    const rs_exp_config *c = R->c;
    const rs_job_graph *g = R->g;
    const int n = R->n;
    const int d = R->d;
    const rep_result *x = R->x;
    cJSON *jr = cJSON_AddArrayToObject(o, "per_replicate");
    for (int r = 0; r < n; r++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "seed", (double)g->reps[r].seed);
        cJSON_AddStringToObject(e, "dir", g->reps[r].dir);
        cJSON_AddStringToObject(e, "status", x[r].status);
        if (x[r].ok) {
            for (int i = 0; i < N_METRICS; i++)
                cJSON_AddItemToObject(e, METRICS[i].key, rs_lab_json_num(front_field(&x[r].m, METRICS[i].front_off)));
            if (x[r].sx) {
                cJSON_AddBoolToObject(e, "h1_holds", x[r].h1);
                cJSON *l = cJSON_AddArrayToObject(e, "lmc_simplex");
                for (int i = 0; i < x[r].sx->n_edges + x[r].sx->has_plane; i++)
                    for (int k = 0; k < d; k++)
                        cJSON_AddItemToArray(l, json_sx_one(R, x[r].f, x[r].sx, i < x[r].sx->n_edges ? i : -1, k));
            } else if (!x[r].have_lmc && x[r].lmc_why[0]) {
                cJSON_AddStringToObject(e, "h1_not_measured", x[r].lmc_why);
            } else if (x[r].have_lmc) {
                cJSON_AddBoolToObject(e, "h1_holds", x[r].h1);
                cJSON *l = cJSON_AddArrayToObject(e, "lmc");
                for (int k = 0; k < d; k++) {
                    const rs_lmc *m = &x[r].lmc[k];
                    cJSON *q = cJSON_CreateObject();
                    cJSON_AddStringToObject(q, "reward", c->reward_names[k]);
                    cJSON_AddNumberToObject(q, "barrier", m->barrier);
                    cJSON_AddItemToObject(q, "barrier_lambda", rs_lab_json_num(m->barrier_lambda));
                    cJSON_AddItemToObject(q, "barrier_in_se", rs_lab_json_num(m->z));
                    cJSON_AddItemToObject(q, "tolerance", rs_lab_json_num(m->tolerance));
                    cJSON_AddBoolToObject(q, "is_barrier", m->is_barrier);
                    cJSON_AddNumberToObject(q, "area_above_line", m->area);
                    if (x[r].have_ctl) {
                        const rs_lmc *mc = &x[r].lmc_ctl[k];
                        cJSON_AddNumberToObject(q, "control_barrier", mc->barrier);
                        cJSON_AddItemToObject(q, "control_barrier_in_se", rs_lab_json_num(mc->z));
                        cJSON_AddBoolToObject(q, "control_is_barrier", mc->is_barrier);
                        cJSON_AddNumberToObject(q, "control_area_above_line", mc->area);
                    }
                    cJSON_AddItemToObject(q, "expert_own_return", rs_lab_json_num(x[r].expert_own[k]));
                    cJSON_AddItemToObject(q, "init_return", rs_lab_json_num(x[r].init_own[k]));
                    cJSON_AddItemToArray(l, q);
                }
            }
            cJSON_AddNumberToObject(e, "morl_points_dominating_every_soup", x[r].morl_dominating);
            if (x[r].have_twin) {
                cJSON *t = cJSON_AddObjectToObject(e, "twin");
                cJSON_AddNumberToObject(t, "barrier", x[r].twin.barrier);
                cJSON_AddItemToObject(t, "barrier_lambda", rs_lab_json_num(x[r].twin.barrier_lambda));
                cJSON_AddItemToObject(t, "barrier_in_se", rs_lab_json_num(x[r].twin.z));
                cJSON_AddBoolToObject(t, "is_barrier", x[r].twin.is_barrier);
                cJSON_AddNumberToObject(t, "area_above_line", x[r].twin.area);
                cJSON_AddBoolToObject(t, "pair_exceeds_floor", x[r].beyond_floor);
            }
            cJSON *gg = cJSON_AddArrayToObject(e, "expert_gain");
            for (int k = 0; k < d; k++) cJSON_AddItemToArray(gg, rs_lab_json_num(x[r].gain[k]));
            if (x[r].have_trade) {
                cJSON *lm = cJSON_AddArrayToObject(e, "expert_loss_of_span");
                for (int i = 0; i < d; i++) {
                    cJSON *row = cJSON_CreateArray();
                    for (int k = 0; k < d; k++) cJSON_AddItemToArray(row, rs_lab_json_num(x[r].loss[i][k]));
                    cJSON_AddItemToArray(lm, row);
                }
                cJSON_AddBoolToObject(e, "experts_trade_off", x[r].trades);
            }
        }
        cJSON_AddItemToArray(jr, e);
    }
}

/* metrics.json: everything, per replicate and aggregated */
static void report_write_metrics_json(const report *R) {
    const rs_exp_config *c = R->c;
    const rs_job_graph *g = R->g;
    const char *out = R->out;
    const char *config_path = R->config_path;
    const double wall_s = R->wall_s;
    const int threads = R->threads;
    const int n = R->n;
    const int d = R->d;
    const int n_ok = R->n_ok;
    rep_result *x = R->x;
    const double *ref = R->ref;
    const char *ref_source = R->ref_source;
    const double *zero = R->zero;
    const rs_compare_agg *agg = &R->agg;
    const rs_compare_agg *agg_iqm = &R->agg_iqm;
    const verdict_counts *v = &R->v;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddItemToObject(o, "provenance", rs_provenance_json(threads, wall_s));
    int n_tr;
    double tr_s = trainings_wall_time_s(g, &n_tr);
    cJSON_AddNumberToObject(o, "trainings", n_tr);
    cJSON_AddNumberToObject(o, "trainings_wall_time_s", tr_s);
    cJSON_AddStringToObject(o, "config", config_path);
    cJSON *js = cJSON_AddArrayToObject(o, "seeds");
    for (int r = 0; r < n; r++) cJSON_AddItemToArray(js, cJSON_CreateNumber((double)g->reps[r].seed));
    cJSON_AddNumberToObject(o, "replicates", n);
    cJSON_AddNumberToObject(o, "replicates_finished", n_ok);
    cJSON_AddItemToObject(o, "reference_point", rs_lab_json_nums(ref, d));
    cJSON_AddStringToObject(o, "reference_point_source", ref_source);
    cJSON_AddStringToObject(o, "interval", "95% percentile bootstrap over the finished replicates, 10000 resamples (fixed seed)");
    /* the headline numbers at the top: the mean over replicates */
    for (int i = 0; i < N_METRICS; i++)
        cJSON_AddItemToObject(o, METRICS[i].key, rs_lab_json_num(agg_field(agg, METRICS[i].agg_off)->value));
    cJSON *ag = cJSON_AddObjectToObject(o, "aggregate");
    for (int i = 0; i < N_METRICS; i++) {
        cJSON *m = rs_lab_json_interval_named(agg_field(agg, METRICS[i].agg_off), "mean");
        cJSON *q = rs_lab_json_interval_named(agg_field(agg_iqm, METRICS[i].agg_off), "iqm");
        cJSON_AddItemToObject(m, "iqm", cJSON_Duplicate(cJSON_GetObjectItem(q, "iqm"), 1));
        cJSON_AddItemToObject(m, "iqm_lo", cJSON_Duplicate(cJSON_GetObjectItem(q, "lo"), 1));
        cJSON_AddItemToObject(m, "iqm_hi", cJSON_Duplicate(cJSON_GetObjectItem(q, "hi"), 1));
        cJSON_Delete(q);
        cJSON_AddItemToObject(ag, METRICS[i].key, m);
    }
    cJSON *vd = cJSON_AddObjectToObject(o, "verdicts");
    cJSON_AddNumberToObject(vd, "h1_holds", v->h1_count);
    cJSON_AddNumberToObject(vd, "h1_of", v->lmc_n);
    cJSON_AddNumberToObject(vd, "soups_ge_morl_hv", v->ge_morl);
    cJSON_AddNumberToObject(vd, "soups_ge_morl_hv_of", v->morl_n);
    cJSON_AddNumberToObject(vd, "control_barrier", v->ctl_count);
    cJSON_AddNumberToObject(vd, "control_barrier_of", v->ctl_n);
    cJSON_AddNumberToObject(vd, "experts_trade_off", v->trade_ok);
    cJSON_AddNumberToObject(vd, "experts_trade_off_of", v->trade_n);
    cJSON_AddNumberToObject(vd, "lmc_tolerance_rel", c->lmc_tol);
    cJSON *jl = cJSON_AddArrayToObject(o, "lmc");
    for (int k = 0; d == 2 && k < d; k++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "reward", c->reward_names[k]);
        rs_compare_lmc_agg la = over_lmc(x, n, k, 0);
        cJSON_AddItemToObject(e, "barrier", rs_lab_json_interval_named(&la.barrier, "mean"));
        cJSON_AddItemToObject(e, "area_above_line", rs_lab_json_interval_named(&la.area, "mean"));
        cJSON_AddNumberToObject(e, "replicates_with_barrier", v->bar_count[k]);
        if (v->ctl_n) {
            la = over_lmc(x, n, k, 1);
            cJSON_AddItemToObject(e, "control_barrier", rs_lab_json_interval_named(&la.barrier, "mean"));
            cJSON_AddItemToObject(e, "control_area_above_line", rs_lab_json_interval_named(&la.area, "mean"));
            cJSON_AddNumberToObject(e, "control_replicates_with_barrier", v->ctl_bar_count[k]);
        }
        cJSON_AddItemToObject(e, "motionless_return", rs_lab_json_num(zero[k]));
        cJSON_AddItemToArray(jl, e);
    }
    json_simplex(R, o);
    cJSON *jg = cJSON_AddArrayToObject(o, "expert_gain");
    for (int k = 0; k < d; k++) {
        cJSON *e = cJSON_CreateObject();
        rs_interval ga = over_gain(x, n, k, 0), gr = over_gain(x, n, k, 1);
        cJSON_AddStringToObject(e, "reward", c->reward_names[k]);
        cJSON_AddItemToObject(e, "gain", rs_lab_json_interval_named(&ga, "mean"));
        cJSON_AddItemToObject(e, "gain_relative", rs_lab_json_interval_named(&gr, "mean"));
        cJSON_AddNumberToObject(e, "replicates_gaining_20_percent", v->gain_ok[k]);
        cJSON_AddNumberToObject(e, "of", v->gain_n[k]);
        cJSON_AddItemToArray(jg, e);
    }
    if (v->twin_n) {
        cJSON *e = cJSON_AddObjectToObject(o, "twin");
        rs_interval tb = over_twin(x, n);
        cJSON_AddStringToObject(e, "reward", c->reward_names[0]);
        cJSON_AddItemToObject(e, "barrier", rs_lab_json_interval_named(&tb, "mean"));
        cJSON_AddNumberToObject(e, "replicates_with_barrier", v->twin_bar);
        cJSON_AddNumberToObject(e, "pair_exceeds_floor", v->floor_count);
        cJSON_AddNumberToObject(e, "of", v->twin_n);
    }
    json_per_replicate(R, o);
    char *s = cJSON_Print(o);
    char p[RS_EXP_PATH + 64];
    snprintf(p, sizeof p, "%s/metrics.json", out);
    if (!s || rs_lab_write_file(p, s, 1) != 0) rs_exp_say("experiment: cannot write %s\n", p);
    free(s);
    cJSON_Delete(o);
}

/* report.md, stage by stage (report_write_md) */

/* the title, the rewards, the replicates, the protocol, the replicates that did not finish */
static void md_intro(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const rs_job_graph *g = R->g;
    const char *config_path = R->config_path;
    const double wall_s = R->wall_s;
    const int n = R->n;
    const int d = R->d;
    const int n_ok = R->n_ok;
    const rep_result *x = R->x;
    char prov[1024];
    rs_provenance_line(prov, sizeof prov, R->threads);
    fprintf(f, "# Rewarded soups: %s\n\n", c->name);
    fprintf(f, "Config `%s`, env **%s**, %d proxy rewards:", config_path, c->env, d);
    for (int i = 0; i < d; i++) fprintf(f, "%s `%s` = `%s`", i ? "," : "", c->reward_names[i], c->reward_specs[i]);
    fprintf(f, ".\n\n");
    if (c->n_seeds) {
        fprintf(f, "**%d replicate%s** (seeds", n, n == 1 ? "" : "s");
        for (int r = 0; r < n; r++) fprintf(f, "%s %ld", r ? "," : "", g->reps[r].seed);
        fprintf(f, "; replicate s uses every seed of the config plus %ld·s), %d finished. ",
                RS_EXP_SEED_STRIDE, n_ok);
        fprintf(f, "Figures are the mean over replicates with a 95%% percentile-bootstrap interval "
                   "[lo, hi] (10000 resamples); with few seeds the interval only shows how much they "
                   "disagree.\n\n");
    } else {
        fprintf(f, "**Single seed** (the config's seeds, no `seeds` key): every figure below is one "
                   "draw; run with `--seeds 3` or more for intervals.\n\n");
    }
    int n_tr;
    double tr_s = trainings_wall_time_s(g, &n_tr);
    fprintf(f, "Made by %s; this run took %.0f s (finished stages are reused across runs)", prov, wall_s);
    if (n_tr) fprintf(f, "; the %d trainings' own times add to %.0f s", n_tr, tr_s);
    fprintf(f, ".\n\n");
    if (c->pretrain_from[0])
        fprintf(f, "Protocol: the shared init is the pretraining of `%s` (on `%s`, %ld steps)", c->pretrain_from,
                c->pretrain_reward, c->pretrain_steps);
    else
        fprintf(f, "Protocol: pretrain on `%s` for %ld steps (shared init)", c->pretrain_reward,
                c->pretrain_steps);
    fprintf(f, " → fine-tune one expert per reward for %ld steps each%s%s → soups on a λ grid (%d points "
               "per edge, %d deterministic episodes each) → MORL baseline: %d runs on scalarised "
               "rewards, %ld steps each from the same init, with the experts' fine-tuning settings",
            c->finetune_steps, c->shared_seed ? ", all with one seed (shared fine-tuning noise)" : "",
            c->twin ? " (and a twin on the first reward)" : "", c->grid, c->episodes,
            c->n_mu, c->morl_steps);
    if (c->control) fprintf(f, " → control: experts trained from independent random inits (%ld steps each)", c->control_steps);
    fprintf(f, ".\n\n");
    fprintf(f, "Fine-tuning settings (experts, MORL%s): `%s`.\n\n", c->twin ? ", twin" : "",
            c->ft_ppo_json[0] ? c->ft_ppo_json : c->ppo_json[0] ? c->ppo_json : "{} (the defaults, no fine-tuning set)");
    for (int r = 0; r < n; r++)
        if (!x[r].ok)
            fprintf(f, "> **Replicate seed %ld did not finish** (%s): it is left out of every "
                       "aggregate; rerun the same command to resume it.\n\n",
                    g->reps[r].seed, x[r].status);
}

/* the verdicts in words */
static void md_verdicts(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const int n = R->n;
    const int d = R->d;
    const rep_result *x = R->x;
    const rs_compare_agg *agg = &R->agg;
    const verdict_counts *v = &R->v;
    char b1[160];
    fprintf(f, "## Verdicts\n\n");
    if (v->morl_n)
        fprintf(f, "- **Soups vs MORL**: the soups' hypervolume is %s of MORL's (ratio; 1 = equal), "
                   "with %d fine-tunings instead of %d (compute ratio N/M = %.2f); soups ≥ MORL in "
                   "**%d of %d** replicates%s.\n",
                fmt_iv(b1, sizeof b1, &agg->ratio, "%.3f"), d, c->n_mu,
                (double)d * c->finetune_steps / ((double)c->n_mu * c->morl_steps), v->ge_morl, v->morl_n,
                agg->ratio.n < 2 ? ""
                /* a percentile bootstrap over a handful of values only shows
                 * how much they disagree: no "clearly" below 5 replicates */
                : agg->ratio.n < 5 && agg->ratio.lo > 1 ? "; the interval lies above 1, but with fewer than 5 replicates it shows only how much they disagree"
                : agg->ratio.n < 5 && agg->ratio.hi < 1 ? "; the interval lies below 1, but with fewer than 5 replicates it shows only how much they disagree"
                : agg->ratio.n < 5 ? "; the interval includes 1"
                : agg->ratio.lo > 1 ? "; over replicates the soups' hypervolume is higher (the interval lies above 1)"
                : agg->ratio.hi < 1 ? "; over replicates MORL's hypervolume is higher (the interval lies below 1)"
                                : "; over replicates there is no clear difference (the interval includes 1)");
    const int simplex = first_sx(x, n) != NULL;
    if (v->lmc_n && !simplex)
        fprintf(f, "- **H1** (experts fine-tuned from a shared init are linearly connected: no "
                   "barrier along the soup path on any reward): holds in **%d of %d** replicates.\n",
                v->h1_count, v->lmc_n);
    else if (v->lmc_n)
        fprintf(f, "- **H1** (experts fine-tuned from a shared init are linearly connected: no "
                   "barrier along any edge of the λ simplex, the soups of each pair of experts, nor "
                   "below the experts' plane inside it, the other soups against the experts' returns "
                   "mixed by λ; on any reward): holds in **%d of %d** replicates.\n",
                v->h1_count, v->lmc_n);
    for (int r = 0; r < n && !v->lmc_n; r++)
        if (x[r].ok && x[r].lmc_why[0]) {
            fprintf(f, "- **H1**: not measured (seed %ld: %s).\n", R->g->reps[r].seed, x[r].lmc_why);
            break;
        }
    if (v->twin_n && v->lmc_n)
        fprintf(f, "- **H1 against the same-reward floor** (a second expert on `%s` from the same "
                   "init, another seed: how far two fine-tunings part when the rewards do not "
                   "differ): %s barrier exceeds the twin's by more than 2 standard errors "
                   "in **%d of %d** replicates; the twin itself has a barrier in %d of %d.\n",
                c->reward_names[0], simplex ? "some edge's" : "the pair's", v->floor_count, v->twin_n, v->twin_bar,
                v->twin_n);
    if (v->ctl_n)
        fprintf(f, "- **Control** (experts from independent inits): a barrier in **%d of %d** "
                   "replicates (H1 predicts one).\n", v->ctl_count, v->ctl_n);
    fprintf(f, "- **Experts against their init** (each on its own reward):");
    for (int k = 0; k < d; k++) {
        rs_interval gr = over_gain(x, n, k, 1);
        char pct[160];
        if (gr.n == 0) snprintf(pct, sizeof pct, "—");
        else if (gr.n == 1) snprintf(pct, sizeof pct, "%+.0f %%", 100 * gr.value);
        else snprintf(pct, sizeof pct, "%+.0f %% [%+.0f, %+.0f]", 100 * gr.value, 100 * gr.lo, 100 * gr.hi);
        fprintf(f, "%s `%s` %s, at least +20 %% in %d of %d", k ? ";" : "", c->reward_names[k], pct,
                v->gain_ok[k], v->gain_n[k]);
    }
    fprintf(f, ".\n");
    if (v->trade_n)
        fprintf(f, "- **Experts trade off** (each gives up at least %.0f %% of the front's span on every "
                   "other expert's reward): in **%d of %d** replicates.\n",
                100 * RS_TRADE_MIN, v->trade_ok, v->trade_n);
    if (v->lmc_n)
        fprintf(f, "\nA dip counts as a barrier when it exceeds %.0f standard errors of the mean "
                   "return *and* %.2g × the reward's scale (the gap between the experts' returns, at "
                   "least a tenth of their size%s).\n",
                RS_LMC_Z, c->lmc_tol,
                simplex ? "; inside the simplex, the largest gap between the experts' returns" : "");
}

/* the figures */
static void md_figures(const report *R, FILE *f) {
    if (R->d == 2) {
        fprintf(f, "\n![front](front.png)\n\n![returns along λ](lambda.png)\n\n");
        return;
    }
    fprintf(f, "\n![front](front.png)\n\n![returns along each edge of the λ simplex](lambda.png)\n\n"
               "![mean return over the λ simplex, per reward](simplex.png)\n\n");
}

/* the hypervolumes and expected utilities over replicates */
static void md_hypervolume(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const int d = R->d;
    const int n_ok = R->n_ok;
    const double *ref = R->ref;
    const char *ref_source = R->ref_source;
    const double *prev_ref = R->prev_ref;
    const int moved = R->moved;
    const rs_compare_agg *agg = &R->agg;
    const rs_compare_agg *agg_iqm = &R->agg_iqm;
    char b1[160], b2[160];
    char prov[1024];
    fprintf(f, "## Hypervolume\n\nReference point (");
    for (int k = 0; k < d; k++) fprintf(f, "%s%.6g", k ? ", " : "", ref[k]);
    fprintf(f, "), shared by every replicate: %s.\n\n", ref_source);
    if (moved) {
        fprintf(f, "> **The reference point moved** since this folder's last report (it was (");
        for (int k = 0; k < d; k++) fprintf(f, "%s%.6g", k ? ", " : "", prev_ref[k]);
        fprintf(f, ")): the hypervolumes below are not comparable with that report's, seed by "
                   "seed.%s\n\n", c->has_ref ? "" : " A fixed `reference_point` in the config keeps it.");
    }
    fprintf(f, "| front | trainings after the init | hypervolume | expected utility |\n|---|---|---|---|\n");
    const struct {
        const char *label;
        const rs_interval *hv, *eum; /* eum NULL: no EUM column */
    } rows[] = {
        {"rewarded soups", &agg->hv, &agg->eum},
        {"MORL (one run per μ)", &agg->baseline_hv, &agg->baseline_eum},
        {"experts' straight line", &agg->line_hv, &agg->line_eum},
        {"experts alone", &agg->experts_hv, NULL},
        {"control soups (independent inits)", &agg->control_hv, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (rows[i].hv->n == 0) continue;
        char trn[96] = "—";
        if (rows[i].hv == &agg->hv) snprintf(trn, sizeof trn, "%d × %ld steps", d, c->finetune_steps);
        if (rows[i].hv == &agg->baseline_hv) snprintf(trn, sizeof trn, "%d × %ld steps", c->n_mu, c->morl_steps);
        if (rows[i].hv == &agg->control_hv)
            snprintf(trn, sizeof trn, "%d × %ld steps, no shared init", d, c->control_steps);
        fprintf(f, "| %s | %s | %s | %s |\n", rows[i].label, trn, fmt_iv(b1, sizeof b1, rows[i].hv, "%.4g"),
                rows[i].eum ? fmt_iv(b2, sizeof b2, rows[i].eum, "%.5g") : "");
    }
    if (n_ok >= 4)
        fprintf(f, "\nInterquartile means (robust to one odd seed): soups %s, MORL %s, ratio %s.\n",
                fmt_iv(b1, sizeof b1, &agg_iqm->hv, "%.4g"), fmt_iv(b2, sizeof b2, &agg_iqm->baseline_hv, "%.4g"),
                fmt_iv(prov, sizeof prov, &agg_iqm->ratio, "%.3f"));
    if (c->control)
        fprintf(f, "\nWhat each front is for: the **control** soups mix experts trained from "
                   "independent inits, to show what interpolation does without a shared init "
                   "(H1's counterfactual). Their hypervolume is not a quality claim: a control "
                   "that collapses to a trivial gait can still cover a large area when that gait "
                   "scores well on one reward.\n");
}

/* linear mode connectivity of two experts: the path per reward */
static void md_lmc_pair(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const int n = R->n;
    const int d = R->d;
    const rep_result *x = R->x;
    const verdict_counts *v = &R->v;
    char b1[160], b2[160];
    if (d == 2 && v->lmc_n) {
        fprintf(f, "\n## Linear mode connectivity\n\n");
        fprintf(f, "| experts | reward | barrier | replicates with a barrier | area above the line |\n|---|---|---|---|---|\n");
        for (int ctl = 0; ctl < 1 + (v->ctl_n > 0); ctl++)
            for (int k = 0; k < d; k++) {
                rs_compare_lmc_agg la = over_lmc(x, n, k, ctl);
                const rs_interval bi = la.barrier, ai = la.area;
                fprintf(f, "| %s | %s | %s | %d of %d | %s |\n", ctl ? "independent inits" : "shared init",
                        c->reward_names[k], fmt_iv(b1, sizeof b1, &bi, "%.4g"),
                        ctl ? v->ctl_bar_count[k] : v->bar_count[k], ctl ? v->ctl_n : v->lmc_n,
                        fmt_iv(b2, sizeof b2, &ai, "%+.4g"));
            }
        if (v->twin_n) {
            double va[RS_EXP_MAX_SEEDS];
            int m = 0;
            for (int r = 0; r < n; r++)
                if (x[r].ok && x[r].have_twin) va[m++] = x[r].twin.area;
            rs_interval ti = over_twin(x, n), ta = over_vals(va, m);
            fprintf(f, "| same-reward twin (the floor) | %s | %s | %d of %d | %s |\n", c->reward_names[0],
                    fmt_iv(b1, sizeof b1, &ti, "%.4g"), v->twin_bar, v->twin_n, fmt_iv(b2, sizeof b2, &ta, "%+.4g"));
            fprintf(f, "\nThe twin is a second expert on `%s`, fine-tuned from the same init with "
                       "another seed: its barrier is what fine-tuning alone does to the path, "
                       "with no trade-off between rewards. A pair's barrier well above it comes "
                       "from the rewards; one near it, from the fine-tuning.\n",
                    c->reward_names[0]);
        }
    }
}

/* "(0.667, 0.333, 0)": a λ of K experts */
static const char *fmt_lambda(const double *l, int K, char *buf, size_t n) {
    size_t u = (size_t)snprintf(buf, n, "(");
    for (int i = 0; i < K && u < n; i++) u += (size_t)snprintf(buf + u, n - u, "%s%.3g", i ? ", " : "", l[i]);
    if (u < n) snprintf(buf + u, n - u, ")");
    return buf;
}

/* linear mode connectivity of three or more experts: every edge and the
 * interior, per reward, over replicates (and the control's, the twin) */
static void md_lmc_simplex(const report *R, FILE *f) {
    const rs_lmc_simplex *s0 = first_sx(R->x, R->n);
    if (!s0 || !R->v.lmc_n) return;
    char b1[160], b2[160], w[160];
    fprintf(f, "\n## Linear mode connectivity on the simplex\n\nAn edge holds the soups of one pair of "
               "experts (every other weight 0), judged against the straight line between the pair. "
               "The interior holds the other %d soup%s, judged against the experts' plane (their "
               "returns mixed by the soup's λ): the barrier is the largest drop below it, and the last "
               "column the mean gap over those soups.\n\n", s0->n_interior, s0->n_interior == 1 ? "" : "s");
    fprintf(f, "| experts | where | reward | barrier | replicates with a barrier | area above the line "
               "(edge) or mean gap to the plane (interior) |\n|---|---|---|---|---|---|\n");
    for (int ctl = 0; ctl < 1 + (R->v.ctl_n > 0); ctl++)
        for (int i = 0; i < s0->n_edges + s0->has_plane; i++)
            for (int k = 0, e = i < s0->n_edges ? i : -1; k < R->d; k++) {
                rs_compare_lmc_agg la = over_sx(R->x, R->n, e, k, ctl);
                if (!la.n) continue;
                fprintf(f, "| %s | %s | %s | %s | %d of %d | %s |\n", ctl ? "independent inits" : "shared init",
                        edge_name(R, s0, e, w, sizeof w), R->c->reward_names[k],
                        fmt_iv(b1, sizeof b1, &la.barrier, "%.4g"), la.n_barrier, la.n,
                        fmt_iv(b2, sizeof b2, &la.area, "%+.4g"));
            }
    if (R->v.twin_n) {
        double va[RS_EXP_MAX_SEEDS];
        int m = 0;
        for (int r = 0; r < R->n; r++)
            if (R->x[r].ok && R->x[r].have_twin) va[m++] = R->x[r].twin.area;
        rs_interval ti = over_twin(R->x, R->n), ta = over_vals(va, m);
        fprintf(f, "| same-reward twin (the floor) | %s-twin | %s | %s | %d of %d | %s |\n",
                R->c->reward_names[0], R->c->reward_names[0], fmt_iv(b1, sizeof b1, &ti, "%.4g"),
                R->v.twin_bar, R->v.twin_n, fmt_iv(b2, sizeof b2, &ta, "%+.4g"));
    }
}

/* three or more experts: the λ that maximises each reward, and the soups
 * no other soup beats on every reward (lambda_stats.csv, the simplex figure) */
static void md_lambda_simplex(const report *R, FILE *f) {
    const rs_lambda_stats *ls = R->ls;
    if (!ls) return;
    const int K = ls->n_experts, d = R->d;
    char b1[160], lb[200];
    fprintf(f, "\n## Soups over the λ simplex\n\nMean over %d replicate%s at each point of the λ "
               "lattice (`lambda_stats.csv`, drawn in `simplex.png`); λ lists the weights of the experts "
               "on ", ls->n_reps, ls->n_reps == 1 ? "" : "s");
    for (int i = 0; i < K; i++) fprintf(f, "%s`%s`", i ? (i == K - 1 ? " and " : ", ") : "", R->c->reward_names[i]);
    fprintf(f, ", in that order.\n\n| reward | the λ that maximises it | its mean return |\n|---|---|---|\n");
    for (int k = 0; k < d; k++) {
        int p = ls->best[k];
        if (p < 0) continue;
        rs_interval iv = {ls->mean[(size_t)p * d + k], ls->lo[(size_t)p * d + k], ls->hi[(size_t)p * d + k], ls->n[p]};
        fprintf(f, "| %s | %s | %s |\n", R->c->reward_names[k], fmt_lambda(ls->lambda + (size_t)p * K, K, lb, sizeof lb),
                fmt_iv(b1, sizeof b1, &iv, "%.4g"));
    }
    fprintf(f, "\nThe non-dominated soups (no other point's means are as high on every reward and higher "
               "on one), numbered as in `simplex.png`:\n\n| # | λ |");
    for (int k = 0; k < d; k++) fprintf(f, " %s |", R->c->reward_names[k]);
    fprintf(f, "\n|---|---|");
    for (int k = 0; k < d; k++) fprintf(f, "---|");
    fprintf(f, "\n");
    for (int p = 0, num = 0; p < ls->n_pts; p++) {
        if (!ls->nondominated[p]) continue;
        fprintf(f, "| %d | %s |", ++num, fmt_lambda(ls->lambda + (size_t)p * K, K, lb, sizeof lb));
        for (int k = 0; k < d; k++) {
            rs_interval iv = {ls->mean[(size_t)p * d + k], ls->lo[(size_t)p * d + k], ls->hi[(size_t)p * d + k], ls->n[p]};
            fprintf(f, " %s |", fmt_iv(b1, sizeof b1, &iv, "%.4g"));
        }
        fprintf(f, "\n");
    }
}

/* each expert against the init on its own reward */
static void md_experts(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const int n = R->n;
    const int d = R->d;
    const rep_result *x = R->x;
    const verdict_counts *v = &R->v;
    char b1[160], b2[160];
    fprintf(f, "\n## Experts against their init\n\nEach expert's return on its own reward "
               "against the shared init's (the fine-tuning's gain; the paper's experts gained 79 %% "
               "and more).\n\n| reward | init | expert | gain | gain, %% of the init | replicates with "
               "≥ +20 %% |\n|---|---|---|---|---|---|\n");
    for (int k = 0; k < d; k++) {
        double vi[RS_EXP_MAX_SEEDS], ve[RS_EXP_MAX_SEEDS];
        int m = 0;
        for (int r = 0; r < n; r++)
            if (x[r].ok && isfinite(x[r].gain[k])) vi[m] = x[r].init_own[k], ve[m++] = x[r].expert_own[k];
        rs_interval ii = over_vals(vi, m), ie = over_vals(ve, m), ga = over_gain(x, n, k, 0),
                    gr = over_gain(x, n, k, 1);
        char b3[160], b4[160];
        rs_interval gp = gr;
        gp.value *= 100, gp.lo *= 100, gp.hi *= 100;
        fprintf(f, "| %s | %s | %s | %s | %s %% | %d of %d |\n", c->reward_names[k],
                fmt_iv(b1, sizeof b1, &ii, "%.4g"), fmt_iv(b2, sizeof b2, &ie, "%.4g"),
                fmt_iv(b3, sizeof b3, &ga, "%+.4g"), fmt_iv(b4, sizeof b4, &gp, "%+.0f"), v->gain_ok[k],
                v->gain_n[k]);
    }
}

/* per replicate: what each expert gives up on the others' rewards */
static void md_tradeoff(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const int d = R->d;
    const rep_result *x = R->x;
    if (!R->v.trade_n) return;
    fprintf(f, "\n## Do the experts trade off?\n\nOn each reward the front's span is the best minus "
               "the worst return of any soup or expert. An expert *gives up* on another expert's "
               "reward what it scores below that expert there (negative: it scores above). The "
               "experts trade off when each gives up at least %.0f %% of the span on every other "
               "expert's reward.\n\n| seed |", 100 * RS_TRADE_MIN);
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++)
            if (i != k) fprintf(f, " `%s` expert on `%s` |", c->reward_names[i], c->reward_names[k]);
    fprintf(f, " trades off |\n|---|");
    for (int i = 0; i < d * (d - 1); i++) fprintf(f, "---|");
    fprintf(f, "---|\n");
    for (int r = 0; r < R->n; r++) {
        if (!x[r].ok || !x[r].have_trade) continue;
        fprintf(f, "| %ld |", R->g->reps[r].seed);
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++)
                if (i != k)
                    fprintf(f, " %.4g (%+.0f %% of %.4g) |", x[r].expert_own[k] - x[r].expert_on[i][k],
                            100 * x[r].loss[i][k], x[r].span[k]);
        fprintf(f, " %s |\n", x[r].trades ? "yes" : "**no**");
    }
}

/* the degenerate cases found, in words */
static void md_caveats(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const int d = R->d;
    const int n_ok = R->n_ok;
    const double *zero = R->zero;
    const verdict_counts *v = &R->v;
    const int(*beats)[D_MAX] = R->v.beats;
    /* degenerate cases, in words */
    int any = 0;
#define FLAG(...)                                                                                  \
    do {                                                                                           \
        if (!any++) fprintf(f, "\n## Caveats found in these results\n\n");                       \
        fprintf(f, "- " __VA_ARGS__);                                                              \
    } while (0)
    for (int k = 0; k < d; k++) {
        if (v->exp_bad[k])
            FLAG("The **%s** expert does not beat the shared init on its own reward in %d of %d "
                 "replicates: its fine-tuning did not help there, so that end of the front is the "
                 "init's.\n", c->reward_names[k], v->exp_bad[k], n_ok);
        if (v->zero_best[k])
            FLAG("A **motionless robot** (zero actions: %.4g) scores at least as well on `%s` as "
                 "every soup and expert in %d of %d replicates: this reward is maximised by not "
                 "moving, and a front that includes stillness looks good on it for free.\n",
                 zero[k], c->reward_names[k], v->zero_best[k], n_ok);
        else if (v->zero_beats_expert[k])
            FLAG("A motionless robot (zero actions: %.4g) scores at least as well on `%s` as the "
                 "expert trained for it in %d of %d replicates.\n",
                 zero[k], c->reward_names[k], v->zero_beats_expert[k], n_ok);
    }
    if (v->morl_dom)
        FLAG("In %d of %d replicates a **MORL run dominates every soup** (better on every reward): "
             "there the soups are not on the front at all.\n", v->morl_dom, n_ok);
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++)
            if (beats[i][k])
                FLAG("The **%s** expert scores at least as well as the %s expert on `%s`, that "
                     "expert's own reward, in %d of %d replicates: there the experts do not trade "
                     "off as their rewards say.\n", c->reward_names[i], c->reward_names[k],
                     c->reward_names[k], beats[i][k], n_ok);
#undef FLAG
}

/* a replicate's H1 cell: holds, fails (and where, with three or more
 * experts), or why it was not measured */
static void md_h1_cell(const report *R, const rep_result *x, char *buf, size_t n) {
    int e, k;
    char b[160];
    if (!x->have_lmc) snprintf(buf, n, x->lmc_why[0] ? "— (not measured: %s)" : "—", x->lmc_why);
    else if (x->h1) snprintf(buf, n, "holds");
    else if (x->sx && rs_lmc_simplex_first_barrier(x->sx, &e, &k))
        snprintf(buf, n, "fails (first barrier: %s%s on %s)", e < 0 ? "" : "edge ",
                 edge_name(R, x->sx, e, b, sizeof b), R->c->reward_names[k]);
    else snprintf(buf, n, "fails");
}

/* one line per replicate */
static void md_per_replicate(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    const rs_job_graph *g = R->g;
    const int n = R->n;
    const int d = R->d;
    const rep_result *x = R->x;
    const verdict_counts *v = &R->v;
    fprintf(f, "\n## Per replicate\n\n| seed | status | soups HV | MORL HV | ratio |");
    for (int k = 0; d == 2 && k < d; k++) fprintf(f, " barrier %s (s.e.) |", c->reward_names[k]);
    if (v->twin_n) fprintf(f, " twin %s (s.e.) |", c->reward_names[0]);
    fprintf(f, " H1 |\n|---|---|---|---|---|");
    for (int k = 0; d == 2 && k < d; k++) fprintf(f, "---|");
    if (v->twin_n) fprintf(f, "---|");
    fprintf(f, "---|\n");
    for (int r = 0; r < n; r++) {
        fprintf(f, "| %ld | %s |", g->reps[r].seed, x[r].status);
        if (!x[r].ok) {
            fprintf(f, " | | |%s%s |\n", d == 2 ? " | |" : "", v->twin_n ? " |" : "");
            continue;
        }
        fprintf(f, " %.4g | %.4g | %.3f |", x[r].m.hv, x[r].m.baseline_hv, x[r].m.ratio);
        for (int k = 0; d == 2 && k < d; k++)
            fprintf(f, " %.4g (%.1f)%s |", x[r].lmc[k].barrier, x[r].lmc[k].z, x[r].lmc[k].is_barrier ? " **barrier**" : "");
        if (v->twin_n && x[r].have_twin)
            fprintf(f, " %.4g (%.1f)%s |", x[r].twin.barrier, x[r].twin.z, x[r].twin.is_barrier ? " **barrier**" : "");
        else if (v->twin_n)
            fprintf(f, " — |");
        char h1[300];
        md_h1_cell(R, &x[r], h1, sizeof h1);
        fprintf(f, " %s%s |\n", h1,
                x[r].have_twin && x[r].have_lmc ? (x[r].beyond_floor ? ", above the floor" : ", within the floor") : "");
    }
}

/* the files of the folder */
static void md_files(const report *R, FILE *f) {
    const rs_exp_config *c = R->c;
    fprintf(f, "\n## Files\n\n`metrics.json` (everything above, per replicate and aggregated), "
               "`lambda_stats.csv` (per-λ means and intervals over replicates, what `lambda.png` "
               "draws%s), %s`front.csv` per replicate (every point: λ, each reward's return mean/std, "
               "every term), %s`*/log.jsonl` and `*/progress.csv` (training "
               "curves, plotted in `curves.png`), `*/policy.safetensors` (the experts, MORL runs "
               "and init%s).\n\n![learning curves](curves.png)\n",
            R->d == 2 ? "" : " along each edge and `simplex.png` over the whole simplex",
            c->n_seeds ? "`seed_<s>/` (one replicate each), " : "",
            c->control ? "`control_front.csv` (the control's soups), " : "",
            c->control ? ", controls" : "");
}

/* report.md: the verdicts, the tables and the caveats in words; 0, or -1
 * (said in the log) when it cannot be written */
static int report_write_md(const report *R) {
    char p[RS_EXP_PATH + 64];
    snprintf(p, sizeof p, "%s/report.md", R->out);
    FILE *f = fopen(p, "w");
    if (!f) {
        rs_exp_say("experiment: cannot write %s\n", p);
        return -1;
    }
    md_intro(R, f);
    md_verdicts(R, f);
    md_figures(R, f);
    md_hypervolume(R, f);
    md_lmc_pair(R, f);
    md_lmc_simplex(R, f);
    md_lambda_simplex(R, f);
    md_experts(R, f);
    md_tradeoff(R, f);
    md_caveats(R, f);
    md_per_replicate(R, f);
    md_files(R, f);
    fclose(f);
    return 0;
}

/* the headline, where the caller asks (rs_exp_report_headline_to) */
static void report_headline(const report *R) {
    const rs_job_graph *g = R->g;
    const int n = R->n;
    const int n_ok = R->n_ok;
    const rs_compare_agg *agg = &R->agg;
    const verdict_counts *v = &R->v;
    FILE *hl = g_headline;
    if (!hl) return;
    char b1[160], b2[160], b3[160];
    fprintf(hl, "replicates: %d of %d finished (seeds", n_ok, n);
    for (int r = 0; r < n; r++)
        fprintf(hl, "%s %ld", r ? "," : "", g->reps[r].seed);
    fprintf(hl, ")\n");
    fprintf(hl, "hypervolume: rewarded soups %s, MORL %s, ratio %s\n",
            fmt_iv(b1, sizeof b1, &agg->hv, "%.4g"), fmt_iv(b2, sizeof b2, &agg->baseline_hv, "%.4g"),
            fmt_iv(b3, sizeof b3, &agg->ratio, "%.3f"));
    if (v->morl_n) fprintf(hl, "soups >= MORL hypervolume in %d of %d replicates\n", v->ge_morl, v->morl_n);
    if (v->lmc_n)
        fprintf(hl, "H1 (no LMC barrier, shared init) holds in %d of %d replicates\n", v->h1_count,
                v->lmc_n);
    if (v->ctl_n)
        fprintf(hl, "control (independent inits): a barrier in %d of %d replicates\n", v->ctl_count,
                v->ctl_n);
}

int rs_exp_report(const rs_exp_config *c, const char *config_path, const char *out,
                  const rs_job_graph *g, double wall_s, int threads) {
    report *R = calloc(1, sizeof *R);
    if (!R) return -1;
    *R = (report){.c = c, .config_path = config_path, .out = out, .g = g, .wall_s = wall_s,
                  .threads = threads, .n = g->n_reps, .d = c->n_rewards};
    if (report_load(R) != 0) {
        free(R);
        return -1;
    }
    if (report_reference_point(R) != 0) {
        for (int r = 0; r < R->n; r++) rep_free(&R->x[r]);
        free(R->x);
        free(R);
        return -1;
    }
    report_metrics(R);
    report_aggregate(R);
    if (R->d == 2) write_lambda_stats(out, R->x, R->n, R->d, R->names);
    else report_lambda_stats(R);
    report_write_metrics_json(R);
    run_plots(out);
    /* no report.md, no headline */
    if (report_write_md(R) == 0) report_headline(R);
    for (int r = 0; r < R->n; r++) rep_free(&R->x[r]);
    free(R->x);
    rs_lambda_stats_free(R->ls);
    rs_compare_free(&R->cmp);
    free(R);
    return 0;
}

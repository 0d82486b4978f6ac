/* cmd_select.c — `rsoup select`: after training, pick the soup that best fits
 * a user's preference — the row of a front maximising a weighted sum of its
 * objectives (or of its raw term returns). The choice is lab/rs_select.h's,
 * --refine is select_refine.c's, the printing select_print.c's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_soup.h"
#include "rs_select.h"
#include "select.h"

/* the utility's weights into w: --reward's over the front's terms (spec),
 * else --weights over its objectives (wtext; names: theirs, joined). 0, or
 * the exit status (printed). */
static int read_utility(const rs_front *f, const char *path, const char *wtext, const char *spec, double *w,
                        char *names, size_t cap) {
    const int nw = spec ? f->n_terms : f->n_obj;
    if (spec) {
        if (f->n_terms == 0) {
            fprintf(stderr,
                    "rsoup select: '%s' has no term:<t> columns, so --reward cannot be "
                    "scored; use --weights over its objectives (%s)\n",
                    path, rs_cli_join(names, cap, f->obj_names, f->n_obj));
            return 1;
        }
        if (rs_select_parse_terms(f, path, spec, w) < 0) {
            fprintf(stderr, "rsoup select: --reward %s\n", rs_last_error());
            return 2;
        }
        return 0;
    }
    /* by name: "risky=0.3,cautious=0.7" (the objectives not named weigh 0) */
    if (strchr(wtext, '=')) {
        if (rs_select_parse_weights(f, path, wtext, w) < 0) {
            fprintf(stderr, "rsoup select: --weights %s\n", rs_last_error());
            return 2;
        }
        return 0;
    }
    int bad = 0, got = rs_cli_numbers(wtext, w, nw, &bad);
    if (got < 0) {
        fprintf(stderr, "rsoup select: --weights '%s': '%s' is not a finite number\n", wtext,
                wtext + bad);
        return 2;
    }
    if (got != nw) {
        fprintf(stderr,
                "rsoup select: --weights '%s' has %d value%s but '%s' has %d "
                "objective%s (%s)\n",
                wtext, got, got == 1 ? "" : "s", path, nw, nw == 1 ? "" : "s", names);
        return 2;
    }
    return 0;
}

/* the choice among the rows of mask, the best expert beside it (when experts
 * were not candidates) and --refine; printed. The exit status. */
static int choose(const rs_opt *opts, int no, const rs_front *f, const char *path, unsigned mask,
                  const char *wtext, const char *spec, int json) {
    int status = 1, by_terms = spec != NULL;
    int nw = by_terms ? f->n_terms : f->n_obj;
    double *w = rs_calloc((size_t)nw + 1, sizeof *w);
    char names[1024];
    rs_cli_join(names, sizeof names, by_terms ? f->term_names : f->obj_names, nw);
    if (!w) {
        rs_cli_fail("select");
        goto done;
    }
    if ((status = read_utility(f, path, wtext, spec, w, names, sizeof names)) != 0) goto done;
    status = 1;
    rs_select_best b;
    int best = rs_select_best_row(f, mask, w, by_terms, &b);
    char kt[128] = "";
    for (int k = 0; k < RS_KIND_COUNT; k++)
        if (mask & RS_KIND_BIT(k))
            snprintf(kt + strlen(kt), sizeof kt - strlen(kt), "%s%s", kt[0] ? "," : "",
                     rs_front_kind_name((rs_front_kind)k));
    if (b.n_skipped)
        fprintf(stderr, "rsoup select: warning: skipped %d row%s whose utility is not finite\n",
                b.n_skipped, b.n_skipped == 1 ? "" : "s");
    if (best < 0) {
        fprintf(stderr, "rsoup select: '%s' has no %srows of kind %s to choose from\n", path,
                b.n_candidates ? "finite " : "", kt);
        goto done;
    }
    /* experts for comparison, when they were not candidates */
    rs_select_best e = {-1, 0, 0, 0};
    if (!(mask & RS_KIND_BIT(RS_KIND_EXPERT)))
        rs_select_best_row(f, RS_KIND_BIT(RS_KIND_EXPERT), w, by_terms, &e);
    rs_front_row r = rs_front_row_at(f, best);
    int refined = 0;
    rs_cli_refined ri = {0};
    double ref_lam[16], ref_u = b.utility;
    const char *out_path = rs_opt_str(opts, no, "out");
    if (out_path && !rs_opt_flag(opts, no, "refine")) {
        fprintf(stderr, "rsoup select: --out writes the refined soup: it goes with --refine "
                        "(for a grid row, rsoup soup A B --lambda ... --out FILE)\n");
        status = 2;
        goto done;
    }
    if (rs_opt_flag(opts, no, "refine")) {
        int frc = rs_cli_select_refine(opts, no, f, r, w, by_terms, ref_lam, &ref_u, &ri, out_path);
        if (frc != 0) {
            if (frc == -2) status = 2; /* a usage error */
            goto done;
        }
        refined = 1;
    }
    rs_cli_choice c = {.f = f,
                       .path = path,
                       .spec = spec,
                       .names = names,
                       .kt = kt,
                       .out_path = out_path,
                       .w = w,
                       .ref_lam = ref_lam,
                       .nw = nw,
                       .by_terms = by_terms,
                       .n_cand = b.n_candidates,
                       .best = best,
                       .best_e = e.row,
                       .refined = refined,
                       .u = b.utility,
                       .ue = e.utility,
                       .ref_u = ref_u,
                       .r = r,
                       .ri = ri};
    rs_cli_select_print(&c, json);
    status = 0;
done:
    free(w);
    return status;
}

int cmd_select(int argc, char **argv) {
    static const rs_cmd_info info = {
        "select", "rsoup select FILE (--weights w1,w2,... | --reward SPEC) [--kinds soup] [--json]",
        "Pick the row of a front (a CSV from 'rsoup front', or a plain CSV) that\n"
        "maximises a utility: with --weights, sum_i w_i * obj_i over the objectives\n"
        "in file order, or by name (risky=0.7,cautious=0.3; objectives not named weigh\n"
        "0; weights need not sum to 1, and may be negative); with\n"
        "--reward, sum_t w_t * term_t over the raw reward terms recorded in the\n"
        "term:<t> columns, so a reward nobody trained for is scored without new\n"
        "rollouts. Prints the row's lambda, label, expected returns and utility.",
        "examples:\n"
        "  rsoup select front.csv --weights 0.7,0.3\n"
        "  rsoup select front.csv --weights risky=0.7,cautious=0.3\n"
        "  rsoup select front.csv --weights 0.7,0.3 --refine --experts 'runs/a;runs/b'\n"
        "  rsoup select front.csv --reward forward=1,ctrl=0.1,healthy=1"};
    rs_opt opts[] = {
        {"weights", "w1,w2,...", "one weight per objective (obj: column), or name=w pairs", NULL, NULL, 0},
        {"reward", "SPEC", "term=weight pairs over the term: columns", NULL, NULL, 0},
        {"kinds", "K,...", "row kinds to choose among (soup, expert, baseline, init)", "soup", NULL,
         0},
        {"refine", NULL, "evaluate new soups around the best grid point to beat the grid", NULL, NULL, 0},
        {"experts", "A;B;...", "--refine: the front's experts, in order (default: those it records)", NULL, NULL, 0},
        {"iters", "N", "--refine: evaluations (2 experts) or rounds (more)", "8", NULL, 0},
        {"episodes", "K", "--refine: episodes per evaluation (default: the front's)", NULL, NULL, 0},
        {"seed", "S", "--refine: evaluation seed (use the front's)", "1000", NULL, 0},
        {"threads", "T", "--refine: threads (0: all cores)", "0", NULL, 0},
        {"rescore", "K", "--refine: fresh episodes the winner (and the grid's best) is scored on", "20", NULL, 0},
        {"out", "FILE", "--refine: write the refined soup (a policy file, as rsoup soup)", NULL, NULL, 0},
        {"json", NULL, "print one JSON object on stdout", NULL, NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int npos = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &npos, 1);
    if (rc) return rc < 0 ? 2 : 0;
    if (npos != 1) {
        fprintf(stderr, "rsoup select: which front? (usage: %s)\n", info.usage);
        return 2;
    }
    const char *path = pos[0];
    const char *wtext = rs_opt_str(opts, no, "weights");
    const char *spec = rs_opt_str(opts, no, "reward");
    if (!wtext == !spec) {
        fprintf(stderr, "rsoup select: give exactly one of --weights and --reward\n");
        return 2;
    }
    unsigned mask;
    if (rs_front_kinds_parse(rs_opt_str(opts, no, "kinds"), &mask) < 0) {
        fprintf(stderr, "rsoup select: --%s\n", rs_last_error());
        return 2;
    }
    rs_front *f = rs_cli_front_load("select", path, NULL);
    if (!f) return 1;
    if (f->plain) mask = RS_KIND_BIT(RS_KIND_POINT);
    int status = choose(opts, no, f, path, mask, wtext, spec, rs_opt_flag(opts, no, "json"));
    rs_front_free(f);
    return status;
}

/* test_select.c — a front's best row for a utility (lab/rs_select.h)
 * against a loop written here over every row and every weight vector of a
 * seeded set; term specs parse to the weights they name, and the bad ones
 * are refused with the spec quoted; which experts select --refine mixes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_refine.h"
#include "rs_select.h"
#include "rs_test.h"

static const char *OBJ[2] = {"risky", "cautious"};
static const char *TERMS[3] = {"forward", "healthy", "ctrl"};

static rs_front *make_front(uint64_t seed) {
    rs_front *f = rs_front_new(2, 2, OBJ, 3, TERMS);
    rs_rng g;
    rs_rng_seed(&g, seed, 1);
    for (int i = 0; i < 12; i++) {
        double lam[2] = {i / 11.0, 1 - i / 11.0}, obj[2], term[3];
        for (int j = 0; j < 2; j++)
            obj[j] = 10 * rs_rng_uniform(&g) - 5;
        for (int j = 0; j < 3; j++)
            term[j] = 10 * rs_rng_uniform(&g) - 5;
        if (i == 7) obj[1] = NAN; /* a row no utility over objectives can rank */
        rs_front_kind k = i < 2 ? RS_KIND_EXPERT : i == 11 ? RS_KIND_BASELINE : RS_KIND_SOUP;
        rs_front_row r = {k, "r", lam, 1, obj, NULL, term, NULL, NAN};
        rs_front_add(f, &r);
    }
    return f;
}

static void test_best_row_by_brute_force(void) {
    rs_front *f = make_front(4);
    rs_rng g;
    rs_rng_seed(&g, 9, 0);
    const unsigned soups = RS_KIND_BIT(RS_KIND_SOUP);
    for (int trial = 0; trial < 50; trial++) {
        const int by_terms = trial % 2, n = by_terms ? 3 : 2;
        double w[3];
        for (int j = 0; j < n; j++)
            w[j] = 2 * rs_rng_uniform(&g) - 1;
        int want = -1, cand = 0, skip = 0;
        double wu = 0;
        for (int i = 0; i < f->n; i++) {
            if (f->kind[i] != RS_KIND_SOUP) continue;
            cand++;
            const double *x = by_terms ? f->term + 3 * i : f->obj + 2 * i;
            double u = 0;
            for (int j = 0; j < n; j++)
                u += w[j] * x[j];
            if (!isfinite(u)) {
                skip++;
                continue;
            }
            if (want < 0 || u > wu) want = i, wu = u;
        }
        rs_select_best b;
        int got = rs_select_best_row(f, soups, w, by_terms, &b);
        CHECK(got == want && b.row == want, "trial %d: row %d, want %d", trial, got, want);
        CHECK_CLOSE(b.utility, wu, 0, 0, "utility");
        CHECK(b.n_candidates == cand && b.n_skipped == skip, "candidates %d/%d, skipped %d/%d",
              b.n_candidates, cand, b.n_skipped, skip);
    }
    rs_select_best b;
    double w[2] = {1, 1};
    CHECK(rs_select_best_row(f, RS_KIND_BIT(RS_KIND_INIT), w, 0, &b) == -1 && b.n_candidates == 0,
          "no rows of a kind: none chosen");
    rs_front_free(f);
}

static void test_term_specs(void) {
    rs_front *f = make_front(4);
    double w[3] = {7, 7, 7};
    CHECK(rs_select_parse_terms(f, "f.csv", " forward=1.5, ctrl = -0.25", w) == 0 && w[0] == 1.5 &&
              w[1] == 0 && w[2] == -0.25,
          "weights %g %g %g (%s)", w[0], w[1], w[2], rs_last_error());
    CHECK(rs_select_parse_terms(f, "f.csv", "healthy", w) == 0 && w[0] == 0 && w[1] == 1,
          "a bare name weighs 1");
    static const char *const bad[][2] = {
        {"forward=x", "'forward=x': weight 'x' of term 'forward' is not a number"},
        {"spin=1",
         "'spin=1': unknown term 'spin' (valid terms in 'f.csv': forward, healthy, ctrl)"},
        {"ctrl,ctrl=2", "'ctrl,ctrl=2': term 'ctrl' is given twice"},
        {",", "',' names no term (give term=weight pairs over: forward, healthy, ctrl)"},
    };
    for (int i = 0; i < 4; i++)
        CHECK(rs_select_parse_terms(f, "f.csv", bad[i][0], w) != 0 &&
                  !strcmp(rs_last_error(), bad[i][1]),
              "'%s': %s", bad[i][0], rs_last_error());
    rs_front_free(f);
}

/* select --refine's experts: the front's own, the given ones standing in
 * (with a note) only for recorded files that are gone, refused otherwise */
static void test_refine_experts(void) {
    const char *names[1] = {"default"};
    rs_front *f = rs_front_new(2, 1, names, 0, NULL);
    char d[] = "/tmp/rs_test_refexp_XXXXXX", rec[128], gone[128];
    CHECK(f && mkdtemp(d) != NULL, "setup");
    CHECK(!rs_refine_experts(f, NULL, NULL, "t") && strstr(rs_last_error(), "give --experts"),
          "no experts known: %s", rs_last_error());
    CHECK(!strcmp(rs_refine_experts(f, "x;y", NULL, "t"), "x;y"), "given, none recorded");
    snprintf(rec, sizeof rec, "%s;%s", d, d); /* recorded files that are here */
    rs_front_set_meta(f, "experts", rec);
    CHECK(rs_refine_experts(f, NULL, NULL, "t") == rs_front_meta(f, "experts"), "recorded");
    CHECK(!rs_refine_experts(f, "x;y", NULL, "t") && strstr(rs_last_error(), "not the experts"),
          "others than the recorded ones here: %s", rs_last_error());
    snprintf(gone, sizeof gone, "%s/gone;%s", d, d);
    rs_front_set_meta(f, "experts", gone);
    FILE *log = tmpfile();
    char note[512] = "";
    CHECK(log && !strcmp(rs_refine_experts(f, "x;y", log, "t"), "x;y"), "gone: the given");
    if (log) rewind(log), fgets(note, sizeof note, log), fclose(log);
    CHECK(!strncmp(note, "t: note: the front's experts", 28) && strstr(note, gone), "note: %s",
          note);
    rs_front_set_meta(f, "mixing", "fisher (5000 steps)");
    CHECK(!rs_refine_experts(f, "x;y", NULL, "t") && strstr(rs_last_error(), "mixes linearly"),
          "a Fisher front: %s", rs_last_error());
    rs_front_free(f);
    rmdir(d);
}

RS_TEST_MAIN(T(test_best_row_by_brute_force), T(test_term_specs), T(test_refine_experts))

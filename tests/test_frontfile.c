/* test_frontfile.c — the front CSV: a write/load round trip, files cut at
 * every byte of their last row, resuming by cutting the tail and appending,
 * malformed rows in the middle, plain CSVs, and λ lookups. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_common.h"
#include "rs_frontfile.h"
#include "rs_rewardset.h"
#include "rs_test.h"

static char g_dir[64];

static const char *tmp_path(const char *name) {
    static char buf[8][256];
    static int k = 0;
    char *p = buf[k++ % 8];
    if (!g_dir[0]) {
        strcpy(g_dir, "/tmp/rs_front_XXXXXX");
        if (!mkdtemp(g_dir)) exit(2);
    }
    snprintf(p, 256, "%s/%s", g_dir, name);
    return p;
}

static void write_text(const char *path, const char *text, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) exit(2);
    if (n && fwrite(text, 1, n, f) != n) exit(2);
    fclose(f);
}

static char *read_text(const char *path, size_t *n) { return rs_read_file(path, n); }

static int has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* a small front: 2 experts, objectives (fwd, jump), terms (forward, ctrl) */
static rs_front *sample(int n_soups) {
    const char *obj[2] = {"fwd", "jump"}, *terms[2] = {"forward", "ctrl"};
    rs_front *f = rs_front_new(2, 2, obj, 2, terms);
    for (int i = 0; i < n_soups; i++) {
        double l2 = n_soups > 1 ? (double)i / (n_soups - 1) : 0.0;
        double lam[2] = {1 - l2, l2};
        double o[2] = {100.0 * (1 - l2) + 0.1, 50.0 * l2 - 1.0 / 3.0};
        double s[2] = {1.5, 2.25};
        double t[2] = {o[0] * 2, -0.001 * i};
        double ts[2] = {0.5, 1e-9};
        char label[32];
        snprintf(label, sizeof label, "%.2f", l2);
        rs_front_row r = {RS_KIND_SOUP, label, lam, 10, o, s, t, ts, 999.5 - i};
        rs_front_add(f, &r);
    }
    double le[2] = {1, 0}, o[2] = {100.1, -1.0 / 3.0};
    rs_front_row e = {RS_KIND_EXPERT, "a,b.safetensors", le, 10, o, NULL, NULL, NULL, 1000};
    rs_front_add(f, &e);
    double ob[2] = {80, 20};
    rs_front_row b = {RS_KIND_BASELINE, "morl", NULL, 5, ob, NULL, NULL, NULL, 1000};
    rs_front_add(f, &b);
    return f;
}

static int same_num(double a, double b) { return a == b || (isnan(a) && isnan(b)); }

static int same_front(const rs_front *a, const rs_front *b) {
    if (rs_front_same_schema(a, b) || a->n != b->n) return 0;
    for (int i = 0; i < a->n; i++) {
        if (a->kind[i] != b->kind[i] || strcmp(a->label[i], b->label[i]) ||
            a->episodes[i] != b->episodes[i] || !same_num(a->length[i], b->length[i]))
            return 0;
        for (int k = 0; k < a->n_experts; k++)
            if (!same_num(a->lambda[i * a->n_experts + k], b->lambda[i * a->n_experts + k]))
                return 0;
        for (int j = 0; j < a->n_obj; j++)
            if (!same_num(a->obj[i * a->n_obj + j], b->obj[i * a->n_obj + j]) ||
                !same_num(a->std[i * a->n_obj + j], b->std[i * a->n_obj + j]))
                return 0;
        for (int j = 0; j < a->n_terms; j++)
            if (!same_num(a->term[i * a->n_terms + j], b->term[i * a->n_terms + j]) ||
                !same_num(a->termstd[i * a->n_terms + j], b->termstd[i * a->n_terms + j]))
                return 0;
    }
    return 1;
}

/* write header and rows the way `rsoup front` does */
static void write_front(const char *path, const rs_front *f) {
    FILE *fp = fopen(path, "w");
    rs_front_write_header(fp, f);
    for (int i = 0; i < f->n; i++) {
        rs_front_row r = rs_front_row_at(f, i);
        rs_front_write_row(fp, f, &r);
    }
    fclose(fp);
}

static void test_roundtrip(void) {
    rs_front *f = sample(5);
    const char *p = tmp_path("rt.csv");
    write_front(p, f);
    size_t n;
    char *text = read_text(p, &n);
    const char *want = "kind,label,lambda:0,lambda:1,episodes,obj:fwd,std:fwd,obj:jump,std:jump,"
                       "term:forward,termstd:forward,term:ctrl,termstd:ctrl,length\n";
    CHECK(text && !strncmp(text, want, strlen(want)), "header: %.160s", text ? text : "");
    CHECK(text && has(text, "\nsoup,0.25,0.75,0.25,10,75.1,1.5,"), "a soup row, shortest numbers");
    CHECK(text && has(text, "\nexpert,a;b.safetensors,1,0,10,"), "comma in label replaced");
    CHECK(text && has(text, "\nbaseline,morl,nan,nan,5,80,nan,20,nan,"), "NaN spelled nan");
    free(text);
    int trunc = -1;
    rs_front *g = rs_front_load(p, &trunc);
    CHECK(g != NULL, "%s", rs_last_error());
    if (g) {
        CHECK(trunc == 0 && g->tail_line == 0, "complete file flagged truncated");
        CHECK(!g->plain && g->n_experts == 2 && g->n_obj == 2 && g->n_terms == 2, "schema");
        CHECK(g->n == 7, "rows %d", g->n);
        /* the label was cleaned on write, so compare after cleaning */
        free(f->label[5]);
        f->label[5] = rs_strdup("a;b.safetensors");
        CHECK(same_front(f, g), "round trip differs (values must read back exactly)");
        CHECK(rs_front_obj_index(g, "jump") == 1 && rs_front_term_index(g, "ctrl") == 1 &&
                  rs_front_obj_index(g, "nope") == -1,
              "name lookups");
    }
    /* save (atomic) gives the same file as the row-by-row writer */
    const char *p2 = tmp_path("rt2.csv");
    CHECK(g && rs_front_save(g, p2) == 0, "%s", rs_last_error());
    size_t n1, n2;
    char *t1 = read_text(p, &n1), *t2 = read_text(p2, &n2);
    CHECK(t1 && t2 && n1 == n2 && !memcmp(t1, t2, n1), "save differs from write_row");
    free(t1);
    free(t2);
    rs_front_free(g);
    rs_front_free(f);
}

/* columns in another order, CRLF line ends, comments and blank lines */
static void test_lenient_reading(void) {
    const char *p = tmp_path("order.csv");
    const char *text = "# a comment\r\n"
                       "label,kind,obj:b,episodes,lambda:1,std:b,length,lambda:0,std:a,obj:a\r\n"
                       "\r\n"
                       "x, soup ,2,3,0.5,0.1,100,0.5,0.2,1\r\n";
    write_text(p, text, strlen(text));
    rs_front *f = rs_front_load(p, NULL);
    CHECK(f != NULL, "%s", rs_last_error());
    if (f) {
        CHECK(f->n == 1 && f->n_obj == 2 && !strcmp(f->obj_names[0], "b") &&
                  !strcmp(f->obj_names[1], "a"),
              "objective order is the order of obj: columns");
        CHECK(f->obj[0] == 2 && f->obj[1] == 1 && f->std[0] == 0.1 && f->std[1] == 0.2,
              "values by column name");
        CHECK(f->kind[0] == RS_KIND_SOUP && f->episodes[0] == 3 && f->length[0] == 100,
              "fixed columns");
    }
    rs_front_free(f);
}

/* cut the file at every byte inside its last row */
static void test_truncated_tail(void) {
    rs_front *f = sample(4);
    const char *p = tmp_path("full.csv"), *q = tmp_path("cut.csv");
    write_front(p, f);
    size_t n;
    char *text = read_text(p, &n);
    /* start of the last row */
    size_t last = n - 1;
    while (last > 0 && text[last - 1] != '\n')
        last--;
    int bad = 0;
    for (size_t cut = last; cut < n; cut++) {
        write_text(q, text, cut);
        int trunc = -1;
        rs_front *g = rs_front_load(q, &trunc);
        if (!g) {
            bad++;
            fprintf(stderr, "cut at %zu: %s\n", cut, rs_last_error());
            continue;
        }
        int want_trunc = cut > last; /* at `last` the file just ends after a full row */
        if (g->n != f->n - 1 || trunc != want_trunc || g->good_bytes != (long)last) {
            bad++;
            fprintf(stderr, "cut at %zu: rows %d trunc %d good %ld\n", cut, g->n, trunc,
                    g->good_bytes);
        }
        rs_front_free(g);
    }
    CHECK(bad == 0, "%d cut positions misread", bad);

    /* cuts inside earlier rows: everything before the cut row survives */
    size_t row2 = 0;
    for (int nl = 0; row2 < n && nl < 3; row2++)
        nl += text[row2] == '\n';
    write_text(q, text, row2 + 5);
    int trunc = 0;
    rs_front *g = rs_front_load(q, &trunc);
    CHECK(g && g->n == 2 && trunc == 1 && g->tail_line == 4, "cut in row 3: n=%d tail line %d",
          g ? g->n : -1, g ? g->tail_line : -1);
    rs_front_free(g);

    /* a complete final line with the wrong field count is a tail too */
    char *extra = malloc(n + 16);
    memcpy(extra, text, n);
    memcpy(extra + n, "soup,0.5,0.5\n", 13);
    write_text(q, extra, n + 13);
    g = rs_front_load(q, &trunc);
    CHECK(g && g->n == f->n && trunc == 1, "short final row");
    rs_front_free(g);
    free(extra);

    /* a header cut mid-write cannot be resumed */
    write_text(q, text, 20);
    g = rs_front_load(q, &trunc);
    CHECK(!g && has(rs_last_error(), "header line is incomplete"), "cut header: %s",
          rs_last_error());
    free(text);
    rs_front_free(f);
}

/* resume: cut the partial row off, append the missing rows, load = original */
static void test_resume(void) {
    rs_front *f = sample(6);
    const char *p = tmp_path("full2.csv"), *q = tmp_path("resume.csv");
    write_front(p, f);
    size_t n;
    char *text = read_text(p, &n);
    size_t cut = n / 2; /* somewhere inside a row */
    CHECK(text[cut - 1] != '\n', "cut should fall inside a row");
    write_text(q, text, cut);

    CHECK(rs_front_drop_tail(q) == 1, "drop_tail: %s", rs_last_error());
    CHECK(rs_front_drop_tail(q) == 0, "second drop_tail finds nothing");
    int trunc = -1;
    rs_front *done = rs_front_load(q, &trunc);
    CHECK(done && trunc == 0, "after drop_tail the file is clean");
    if (done) {
        CHECK(rs_front_same_schema(done, f) == 0, "schema: %s", rs_last_error());
        FILE *fp = fopen(q, "a");
        int appended = 0;
        for (int i = 0; i < f->n; i++) {
            rs_front_row r = rs_front_row_at(f, i);
            unsigned kinds = RS_KIND_BIT(r.kind);
            if (r.kind == RS_KIND_SOUP && rs_front_find_lambda(done, r.lambda, kinds) >= 0)
                continue; /* already evaluated */
            if (r.kind != RS_KIND_SOUP && i < done->n) continue;
            rs_front_write_row(fp, f, &r);
            appended++;
        }
        fclose(fp);
        CHECK(appended == f->n - done->n, "appended %d, want %d", appended, f->n - done->n);
        rs_front *all = rs_front_load(q, &trunc);
        CHECK(all && trunc == 0 && all->n == f->n, "resumed file: %d rows", all ? all->n : -1);
        size_t m;
        char *t2 = read_text(q, &m);
        CHECK(t2 && m == n && !memcmp(t2, text, n), "resumed file differs from the full one");
        free(t2);
        rs_front_free(all);
    }
    rs_front_free(done);
    free(text);
    rs_front_free(f);
}

static void expect_load_error(const char *name, const char *text, const char *want) {
    const char *p = tmp_path(name);
    write_text(p, text, strlen(text));
    rs_clear_error();
    rs_front *f = rs_front_load(p, NULL);
    CHECK(f == NULL, "%s: should not load", name);
    CHECK(has(rs_last_error(), want), "%s: message '%s' lacks '%s'", name, rs_last_error(), want);
    rs_front_free(f);
}

static void test_malformed(void) {
    const char *h = "kind,label,lambda:0,lambda:1,episodes,obj:a,std:a,length\n";
    char buf[512];
    snprintf(buf, sizeof buf,
             "%ssoup,x,1,0,3,1.5,0,10\nsoup,y,0.5,0.5,3,1.2.3,0,10\n"
             "soup,z,0,1,3,2,0,10\n",
             h);
    expect_load_error("bad_num.csv", buf, "line 3: column 'obj:a': '1.2.3' is not a number");
    snprintf(buf, sizeof buf, "%ssoup,x,1,0,3,1.5,0\nsoup,z,0,1,3,2,0,10\n", h);
    expect_load_error("bad_count.csv", buf, "line 2 has 7 fields, the header has 8");
    snprintf(buf, sizeof buf, "%ssoop,x,1,0,3,1.5,0,10\nsoup,z,0,1,3,2,0,10\n", h);
    expect_load_error("bad_kind.csv", buf, "line 2: unknown kind 'soop'");
    snprintf(buf, sizeof buf, "%ssoup,x,1,0,3,,0,10\nsoup,z,0,1,3,2,0,10\n", h);
    expect_load_error("empty_num.csv", buf, "line 2: column 'obj:a': '' is not a number");
    snprintf(buf, sizeof buf, "%ssoup,x,1,0,2.5,1,0,10\n", h);
    expect_load_error("bad_episodes.csv", buf, "'episodes': '2.5' is not a count");
    /* a complete final row with a bad number is an error, not a tail */
    snprintf(buf, sizeof buf, "%ssoup,x,1,0,3,abc,0,10\n", h);
    expect_load_error("bad_last.csv", buf, "line 2: column 'obj:a': 'abc'");
    /* headers */
    expect_load_error("no_len.csv", "kind,label,episodes,obj:a,std:a\n",
                      "column 'length' is missing");
    expect_load_error("no_std.csv", "kind,label,episodes,obj:a,length\n", "'obj:a' has no 'std:a'");
    expect_load_error("orphan_std.csv", "kind,label,episodes,obj:a,std:a,std:b,length\n",
                      "column 'std:b' has no matching 'obj:b'");
    expect_load_error("unknown.csv", "kind,label,episodes,obj:a,std:a,length,speed\n",
                      "unknown column 'speed'");
    expect_load_error("lam_gap.csv", "kind,label,lambda:0,lambda:2,episodes,length\n",
                      "column lambda:1 is missing");
    expect_load_error("dup.csv", "kind,label,episodes,obj:a,std:a,obj:a,length\n",
                      "'obj:a' appears twice");
    expect_load_error("empty.csv", "", "empty file");
    write_text(tmp_path("nul.csv"), "a,b\n1,\0002\n", 9);
    CHECK(rs_front_load(tmp_path("nul.csv"), NULL) == NULL && has(rs_last_error(), "NUL"),
          "NUL bytes: %s", rs_last_error());
    CHECK(rs_front_load(tmp_path("does_not_exist.csv"), NULL) == NULL &&
              has(rs_last_error(), "does_not_exist.csv"),
          "missing file: %s", rs_last_error());
}

static void test_plain_csv(void) {
    const char *p = tmp_path("plain.csv");
    const char *text = "speed,energy\n1,3\n2,2\n3,1"; /* no final newline */
    write_text(p, text, strlen(text));
    int trunc = -1;
    rs_front *f = rs_front_load(p, &trunc);
    CHECK(f != NULL, "%s", rs_last_error());
    if (f) {
        CHECK(f->plain && f->n == 3 && f->n_obj == 2 && trunc == 0, "plain: n=%d trunc=%d", f->n,
              trunc);
        CHECK(!strcmp(f->obj_names[0], "speed") && !strcmp(f->obj_names[1], "energy"), "names");
        CHECK(f->kind[0] == RS_KIND_POINT && !strcmp(f->label[2], "3"), "kind point, label 3");
        CHECK(f->obj[4] == 3 && f->obj[5] == 1, "values");
        CHECK(f->n_experts == 0 && f->n_terms == 0 && isnan(f->std[0]), "no experts/terms/std");
        int n = -1, rows[3];
        double *m = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_POINT), &n, rows);
        CHECK(m && n == 3 && m[0] == 1 && m[1] == 3 && rows[2] == 2, "matrix");
        free(m);
    }
    rs_front_free(f);
    /* a cut final line of a plain file is a tail */
    text = "speed,energy\n1,3\n2,2\n3,";
    write_text(p, text, strlen(text));
    f = rs_front_load(p, &trunc);
    CHECK(f && f->n == 2 && trunc == 1, "plain cut row");
    rs_front_free(f);
    /* no header: names f1, f2 */
    text = "1,3\n2.5,2\n";
    write_text(p, text, strlen(text));
    f = rs_front_load(p, &trunc);
    CHECK(f && f->n == 2 && !strcmp(f->obj_names[1], "f2") && f->obj[2] == 2.5,
          "headerless plain CSV");
    rs_front_free(f);
    expect_load_error("plain_bad.csv", "a,b\n1,x\n2,2\n",
                      "line 2: column 'b': 'x' is not a number");
    expect_load_error("plain_count.csv", "a,b\n1,2,3\n2,2\n", "line 2 has 3 fields");
}

static void test_queries(void) {
    rs_front *f = sample(11);
    double lam[2] = {0.7, 0.3};
    int i = rs_front_find_lambda(f, lam, RS_KIND_BIT(RS_KIND_SOUP));
    CHECK(i == 3, "λ (0.7, 0.3) is row 3, got %d", i);
    double near[2] = {0.7 + 5e-10, 0.3 - 5e-10}, far[2] = {0.7 + 1e-8, 0.3 - 1e-8};
    CHECK(rs_front_find_lambda(f, near, RS_KIND_BIT(RS_KIND_SOUP)) == 3, "within 1e-9");
    CHECK(rs_front_find_lambda(f, far, RS_KIND_BIT(RS_KIND_SOUP)) == -1, "beyond 1e-9");
    double e[2] = {1, 0};
    CHECK(rs_front_find_lambda(f, e, RS_KIND_BIT(RS_KIND_SOUP)) == 0, "soup at (1,0)");
    CHECK(rs_front_find_lambda(f, e, RS_KIND_BIT(RS_KIND_EXPERT)) == 11, "expert at (1,0)");
    CHECK(rs_front_find_lambda(f, lam, RS_KIND_BIT(RS_KIND_EXPERT)) == -1, "no expert at 0.3");

    unsigned mask = 0;
    CHECK(rs_front_kinds_parse("soup, expert", &mask) == 0 &&
              mask == (RS_KIND_BIT(RS_KIND_SOUP) | RS_KIND_BIT(RS_KIND_EXPERT)),
          "kinds mask");
    CHECK(rs_front_kinds_parse("soup,expret", &mask) == -1 &&
              has(rs_last_error(), "unknown kind 'expret'"),
          "bad kind: %s", rs_last_error());
    CHECK(rs_front_kinds_parse("", &mask) == -1, "empty kinds");
    int n = 0;
    double *m = rs_front_obj_new(f, mask, &n, NULL);
    CHECK(m && n == 12 && m[22] == 100.1, "soup+expert matrix: n=%d", n);
    free(m);
    m = rs_front_obj_new(f, RS_KIND_BIT(RS_KIND_INIT), &n, NULL);
    CHECK(m && n == 0, "no init rows");
    free(m);
    CHECK(rs_front_select(f, RS_KIND_BIT(RS_KIND_BASELINE), NULL) == 1, "one baseline");

    /* schema checks for resume */
    const char *o2[2] = {"fwd", "jmp"}, *t2[2] = {"forward", "ctrl"};
    rs_front *g = rs_front_new(2, 2, o2, 2, t2);
    CHECK(rs_front_same_schema(f, g) == -1 && has(rs_last_error(), "(fwd,jump) and (fwd,jmp)"),
          "schema diff: %s", rs_last_error());
    rs_front_free(g);
    const char *dup[2] = {"a", "a"}, *comma[1] = {"a,b"};
    CHECK(rs_front_new(0, 2, dup, 0, NULL) == NULL && has(rs_last_error(), "appears twice"),
          "dup names");
    CHECK(rs_front_new(0, 1, comma, 0, NULL) == NULL && has(rs_last_error(), "comma"),
          "comma in name");
    rs_front_free(f);
}

static void cleanup(void) {
    char cmd[128];
    if (!g_dir[0]) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

/* Named rewards: a front written with specs for its names keeps a
 * "# reward NAME: SPEC" line each and reads them back; a front without
 * them writes no such line and its names read back as specs; a named and
 * an older front of the same rewards share a schema, other specs do not;
 * reward lines that name no column or repeat one are refused. */
static void test_named_rewards(void) {
    const char *names[2] = {"fast", "calm"}, *specs[2] = {"risky", "forward=1.25,healthy=5,ctrl=1.8"};
    const char *terms[1] = {"forward"};
    rs_front *f = rs_front_new(2, 2, names, 1, terms);
    CHECK(f && rs_front_set_obj_specs(f, specs) == 0, "set specs: %s", rs_last_error());
    if (!f) return;
    rs_front_set_meta(f, "episodes", "1");
    const double lam[2] = {1, 0}, ob[2] = {3, 4};
    rs_front_row r = {RS_KIND_EXPERT, "a", lam, 1, ob, NULL, NULL, NULL, 9};
    rs_front_add(f, &r);
    const char *p = tmp_path("named.csv");
    CHECK(rs_front_save(f, p) == 0, "save: %s", rs_last_error());
    size_t n = 0;
    char *txt = read_text(p, &n);
    CHECK(txt && has(txt, "# episodes: 1\n# reward fast: risky\n# reward calm: "
                          "forward=1.25,healthy=5,ctrl=1.8\nkind,label,"),
          "reward lines after the provenance, before the header: %s", txt ? txt : "(none)");
    CHECK(txt && has(txt, ",obj:fast,std:fast,obj:calm,std:calm,"), "columns carry the names");
    free(txt);
    rs_front *g = rs_front_load(p, NULL);
    CHECK(g != NULL, "load: %s", rs_last_error());
    char buf[256];
    if (g) {
        CHECK(rs_front_obj_named(g, 0) && rs_front_obj_named(g, 1), "both named on load");
        CHECK(!strcmp(rs_front_obj_spec(g, 1, buf, sizeof buf), specs[1]), "spec read back: %s",
              rs_front_obj_spec(g, 1, buf, sizeof buf));
        CHECK(!strcmp(g->obj_names[0], "fast"), "name read back");
        CHECK(rs_front_meta(g, "reward") == NULL && !strcmp(rs_front_meta(g, "episodes"), "1"),
              "reward lines are no provenance keys");
        rs_rewardset rs;
        CHECK(rs_rewardset_of_front(&rs, rs_env_find("hopper"), g) == 0 && rs.named && rs.n == 2 &&
                  !strcmp(rs.name[1], "calm") && !strcmp(rs.spec[1], specs[1]),
              "the front's reward set: %s", rs_last_error());
        double w[RS_MAX_TERMS];
        rs_reward_parse(rs_env_find("hopper"), specs[1], w);
        CHECK(!memcmp(w, rs.w[1], sizeof w), "its weights are the spec's");
    }
    /* the same rewards, named by their specs (a front as before names) */
    const char *old_names[2] = {"risky", "forward=1.25;healthy=5;ctrl=1.8"};
    rs_front *o = rs_front_new(2, 2, old_names, 1, terms);
    const char *po = tmp_path("old.csv");
    CHECK(o && rs_front_save(o, po) == 0, "save the older kind");
    txt = read_text(po, &n);
    CHECK(txt && !has(txt, "# reward"), "no reward line without names");
    free(txt);
    rs_front *ol = rs_front_load(po, NULL);
    CHECK(ol && !rs_front_obj_named(ol, 1) &&
              !strcmp(rs_front_obj_spec(ol, 1, buf, sizeof buf), "forward=1.25,healthy=5,ctrl=1.8"),
          "an older front's name reads back as its spec");
    if (g && ol) {
        CHECK(rs_front_same_schema(g, ol) == 0, "named and older fronts of one set: one schema: %s",
              rs_last_error());
        rs_rewardset rs;
        CHECK(rs_rewardset_of_front(&rs, rs_env_find("hopper"), ol) == 0 && !rs.named &&
                  !strcmp(rs.name[1], old_names[1]) && !strcmp(rs.spec[1], specs[1]),
              "an older front's set: names as columns, specs read back");
    }
    const char *other[2] = {"risky", "cautious"};
    rs_front *h = rs_front_new(2, 2, names, 1, terms);
    if (h && g) {
        rs_front_set_obj_specs(h, other);
        CHECK(rs_front_same_schema(g, h) != 0 && has(rs_last_error(), "different objectives"),
              "the same names with other specs differ");
    }
    /* bad reward lines */
    const char *hd = "kind,label,lambda:0,lambda:1,episodes,obj:fast,std:fast,length\n";
    char bad[512];
    snprintf(bad, sizeof bad, "# reward slow: risky\n%s", hd);
    write_text(tmp_path("bad1.csv"), bad, strlen(bad));
    rs_front *b = rs_front_load(tmp_path("bad1.csv"), NULL);
    CHECK(!b && has(rs_last_error(), "reward 'slow' is no obj: column"), "a line for no column: %s",
          rs_last_error());
    rs_front_free(b);
    snprintf(bad, sizeof bad, "# reward fast: risky\n# reward fast: cautious\n%s", hd);
    write_text(tmp_path("bad2.csv"), bad, strlen(bad));
    b = rs_front_load(tmp_path("bad2.csv"), NULL);
    CHECK(!b && has(rs_last_error(), "line 2: reward 'fast' is given twice"), "a repeated line: %s",
          rs_last_error());
    rs_front_free(b);
    rs_front_free(f);
    rs_front_free(g);
    rs_front_free(o);
    rs_front_free(ol);
    rs_front_free(h);
}

/* The one parser of a reward list: the ';'/',' rule, names given in order,
 * and each bad input said by name. */
static void test_rewardset_parse(void) {
    const rs_env_spec *s = rs_env_find("hopper");
    rs_rewardset r;
    CHECK(rs_rewardset_parse(&r, s, "risky,cautious", NULL) == 0 && r.n == 2 && !r.named &&
              !strcmp(r.name[1], "cautious"),
          "presets split on ','");
    CHECK(rs_rewardset_parse(&r, s, "risky;forward=1,ctrl=2", "fast,calm") == 0 && r.n == 2 &&
              r.named && !strcmp(r.name[1], "calm") && !strcmp(r.spec[1], "forward=1,ctrl=2"),
          "term lists split on ';', named: %s", rs_last_error());
    CHECK(rs_rewardset_parse(&r, s, "forward=1,ctrl=2", NULL) == 0 && r.n == 1 &&
              !strcmp(r.name[0], "forward=1;ctrl=2"),
          "one term list is one reward, named by its spec with ';'");
    CHECK(rs_rewardset_find(&r, "forward=1;ctrl=2") == 0, "find by name");
    struct {
        const char *list, *names, *err;
    } bad[] = {
        {"risky;cautious", "a,a", "reward name 'a' is given twice"},
        {"risky;cautious", "a;b,c", "reward name 'a;b' holds ';'"},
        {"risky;cautious", "a:b,c", "holds ':'"},
        {"risky;cautious", "a", "1 name ('a') for 2 rewards"},
        {"risky;cautious", "a,b,c", "3 names ('a,b,c') for 2 rewards"},
        {"risky;cautious", "a,", "an empty reward name"},
        {"risky;nope", "a,b", "bad reward 'nope'"},
        {" ; ", NULL, "no reward in"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(rs_rewardset_parse(&r, s, bad[i].list, bad[i].names) != 0 &&
                  has(rs_last_error(), bad[i].err),
              "'%s' / '%s': want '%s', got '%s'", bad[i].list, bad[i].names ? bad[i].names : "",
              bad[i].err, rs_last_error());
}

static void test_cleanup(void) { cleanup(); }

RS_TEST_MAIN(T(test_roundtrip), T(test_lenient_reading), T(test_truncated_tail), T(test_resume),
             T(test_malformed), T(test_plain_csv), T(test_queries), T(test_named_rewards),
             T(test_rewardset_parse), T(test_cleanup))

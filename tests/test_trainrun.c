/* test_trainrun.c — the run folder's log surgery on resume
 * (lab/rs_trainrun.c): rows past the checkpoint and a partial last line are
 * dropped, an old progress.csv gets today's columns; each checked against
 * bytes written out by hand here. And the lab's reporting hooks: a progress
 * bar or an experiment log given no FILE says nothing, given one says it
 * there. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_experiment.h"
#include "rs_progress.h"
#include "rs_test.h"
#include "rs_trainrun.h"

static char g_dir[] = "/tmp/rs_test_trainrun.XXXXXX";

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path) {
    char *t = rs_read_file(path, NULL);
    return t ? t : strdup("(unreadable)");
}

static void test_trim_jsonl(void) {
    char p[256];
    snprintf(p, sizeof p, "%s/log.jsonl", g_dir);
    put(p, "{\"update\":1,\"step\":100}\n{\"update\":2,\"step\":200}\n"
           "{\"update\":3,\"step\":300}\n{\"update\":4,\"st");
    CHECK(rs_trainrun_trim_log(p, 200, 0) == 0, "trim: %s", rs_last_error());
    char *t = get(p);
    CHECK(!strcmp(t, "{\"update\":1,\"step\":100}\n{\"update\":2,\"step\":200}\n"),
          "rows past step 200 and the partial line dropped: '%s'", t);
    free(t);
    /* nothing to drop: the file is left as it is */
    CHECK(rs_trainrun_trim_log(p, 200, 0) == 0, "trim again: %s", rs_last_error());
    t = get(p);
    CHECK(!strcmp(t, "{\"update\":1,\"step\":100}\n{\"update\":2,\"step\":200}\n"), "'%s'", t);
    free(t);
}

static void test_trim_csv(void) {
    char p[256];
    snprintf(p, sizeof p, "%s/progress.csv", g_dir);
    put(p, "iter,step,ep_return\n1,100,5\n2,200,6\n3,300,7\n");
    CHECK(rs_trainrun_trim_log(p, 250, 1) == 0, "trim: %s", rs_last_error());
    char *t = get(p);
    CHECK(!strcmp(t, "iter,step,ep_return\n1,100,5\n2,200,6\n"), "header and rows <= 250: '%s'", t);
    free(t);
}

static void test_relayout(void) {
    char p[256];
    snprintf(p, sizeof p, "%s/old.csv", g_dir);
    /* an older rsoup's columns: "update" first, no evaluation */
    put(p, "update,step,ep_return,old_only\n1,100,5,x\n2,200,6,y\n");
    CHECK(rs_trainrun_csv_relayout(p, "iter,step,ep_return,eval_return") == 0, "relayout: %s",
          rs_last_error());
    char *t = get(p);
    CHECK(!strcmp(t, "iter,step,ep_return,eval_return\n1,100,5,\n2,200,6,\n"),
          "today's header, values under their names, new columns empty: '%s'", t);
    free(t);
    /* today's header already: untouched */
    CHECK(rs_trainrun_csv_relayout(p, "iter,step,ep_return,eval_return") == 0, "again");
    t = get(p);
    CHECK(!strcmp(t, "iter,step,ep_return,eval_return\n1,100,5,\n2,200,6,\n"), "'%s'", t);
    free(t);
}

static void test_hooks(void) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    /* no FILE: the library says nothing (and does not crash) */
    rs_exp_log_to(NULL);
    rs_exp_say("experiment: [%s] done\n", "x");
    rs_progress p;
    rs_progress_start(&p, NULL, "front", 10);
    CHECK(p.quiet, "a bar with nowhere to draw is quiet");
    rs_progress_finish(&p, 10, "");
    /* a FILE: it says it there, in the caller's words */
    rs_exp_log_to(f);
    rs_exp_say("experiment: [%s] done\n", "x");
    rs_progress_start(&p, f, "front", 10);
    rs_progress_finish(&p, 10, "ok");
    rs_exp_log_to(NULL);
    fclose(f);
    CHECK(!strncmp(buf, "experiment: [x] done\n", 21), "the log's line first: '%s'", buf);
    CHECK(strstr(buf + 21, "front: 100% 10/10") != NULL && strstr(buf, " ok\n") != NULL,
          "then the bar's final line (not a terminal: a log line): '%s'", buf);
    free(buf);
}

static void cleanup(void) {
    const char *names[] = {"log.jsonl", "progress.csv", "old.csv"};
    char p[256];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", g_dir, names[i]);
        unlink(p);
    }
    rmdir(g_dir);
}

static void setup(void) {
    if (!mkdtemp(g_dir)) abort();
    atexit(cleanup);
}

RS_TEST_MAIN(T(setup), T(test_trim_jsonl), T(test_trim_csv), T(test_relayout), T(test_hooks))

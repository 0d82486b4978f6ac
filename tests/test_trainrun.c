/* test_trainrun.c — the run folder's log surgery on resume
 * (lab/rs_trainrun.c): rows past the checkpoint and a partial last line are
 * dropped, an old progress.csv gets today's columns; each checked against
 * bytes written out by hand here. The logs a run writes as it runs: one
 * log.jsonl line per iteration at its step, progress.csv's header and rows,
 * and a write error (a full disk) reported, not dropped. A new run's config
 * in its layers: the env's own set over the defaults, the user's --config
 * and flags over the set. And the lab's
 * reporting hooks: a progress bar or an experiment log given no FILE says
 * nothing, given one says it there. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_experiment.h"
#include "rs_ppo.h"
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

/* a tiny PPO run's logs, written for two iterations and read back */
static void test_run_logs(void) {
    const rs_trainer_ops *ops = rs_trainer_find("ppo");
    rs_train r = {.ops = ops};
    r.cfg = calloc(1, ops->config_size);
    ops->config_default(r.cfg);
    cJSON *o = cJSON_Parse(ops->tiny_config);
    CHECK(ops->config_from_json(r.cfg, o, "tiny.") == 0 &&
              ops->config_set(r.cfg, "threads", "1") == 0,
          "tiny config: %s", rs_last_error());
    cJSON_Delete(o);
    r.spec = rs_env_find(ops->run_info(r.cfg).env);
    CHECK(r.spec && rs_reward_parse(r.spec, ops->run_info(r.cfg).reward, r.w) == 0,
          "env and reward");
    r.trainer = ops->create(r.cfg);
    CHECK(r.trainer != NULL, "create: %s", rs_last_error());
    rs_trainrun_logs L;
    CHECK(rs_trainrun_logs_open(&r, g_dir, 0, 1, &L) == 0 && L.csv_new, "open: %s",
          rs_last_error());
    rs_trainrun_logs_header(&L, &r);
    long steps[2];
    for (int i = 0; i < 2; i++) {
        CHECK(ops->iterate(r.trainer, &r.st) == 0, "iterate: %s", rs_last_error());
        steps[i] = ops->global_step(r.trainer);
        CHECK(rs_trainrun_logs_write(&L, &r, 1.5 * (i + 1), 100) == 0, "write: %s",
              rs_last_error());
    }
    rs_trainrun_logs_close(&L);
    char p[256], header[4096];
    snprintf(p, sizeof p, "%s/config.json", g_dir);
    CHECK(access(p, F_OK) == 0, "a new run writes config.json");
    snprintf(p, sizeof p, "%s/log.jsonl", g_dir);
    char *log = get(p);
    int lines = 0;
    for (char *save = NULL, *l = log ? strtok_r(log, "\n", &save) : NULL; l;
         l = strtok_r(NULL, "\n", &save), lines++) {
        cJSON *x = cJSON_Parse(l);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(x, "step");
        CHECK(lines < 2 && cJSON_IsNumber(st) && (long)st->valuedouble == steps[lines],
              "line %d: %s", lines, l);
        cJSON_Delete(x);
    }
    CHECK(lines == 2, "%d log lines", lines);
    free(log);
    snprintf(p, sizeof p, "%s/progress.csv", g_dir);
    char *csv = get(p);
    rs_trainrun_csv_header(header, sizeof header, &r);
    CHECK(csv && !strncmp(csv, header, strlen(header)) && csv[strlen(header)] == '\n',
          "progress.csv starts with its header: %s", csv ? csv : "none");
    free(csv);
    /* a full disk: the write fails now, naming the logs */
    CHECK(rs_trainrun_logs_open(&r, g_dir, 1, 0, &L) == 0 && !L.csv_new, "reopen as a resume");
    fclose(L.csv);
    L.csv = fopen("/dev/full", "w");
    CHECK(L.csv && rs_trainrun_logs_write(&L, &r, 1, 1) != 0 &&
              strstr(rs_last_error(), "log.jsonl or progress.csv: No space left on device"),
          "a full disk: %s", rs_last_error());
    rs_trainrun_logs_close(&L);
    rs_train_free(&r);
}

static void test_config_layers(void) {
    const rs_trainer_ops *ops = rs_trainer_find("ppo");
    rs_train r = {.ops = ops};
    r.cfg = calloc(1, ops->config_size);
    const rs_ppo_config *c = r.cfg;
    ops->config_default(r.cfg);
    const int def_minibatches = c->minibatches;
    cJSON *user = cJSON_Parse("{\"n_steps\": 128}");
    const char *keys[2] = {"env", "epochs"}, *vals[2] = {"halfcheetah", "3"};
    rs_trainrun_layers L;
    CHECK(rs_trainrun_config_new(&r, user, "u.json", keys, vals, 2, &L) == 0, "layers: %s",
          rs_last_error());
    CHECK(L.env_set && L.env_source && strstr(L.env_source, "HalfCheetah") && !L.finetune_set &&
              L.bad_flag == -1,
          "the env's set applied, no fine-tuning set");
    /* the set's values where the user gave none; the user's over the set */
    CHECK(fabs(c->lr - 2.0633e-05) < 1e-12 && c->minibatches == 8 && def_minibatches != 8,
          "the set: lr %g, minibatches %d", c->lr, c->minibatches);
    CHECK(c->epochs == 3 && c->n_steps == 128 && !strcmp(c->env, "halfcheetah"),
          "the user's: epochs %d, n_steps %d, env %s", c->epochs, c->n_steps, c->env);
    /* --hparams cleanrl: no set */
    ops->config_default(r.cfg);
    const char *k2[2] = {"env", "hparams"}, *v2[2] = {"halfcheetah", "cleanrl"};
    CHECK(rs_trainrun_config_new(&r, NULL, NULL, k2, v2, 2, &L) == 0 && !L.env_set &&
              c->minibatches == def_minibatches,
          "cleanrl keeps the defaults");
    /* a refused flag is named; a bad --config key is an error */
    ops->config_default(r.cfg);
    const char *v3[2] = {"halfcheetah", "many"};
    CHECK(rs_trainrun_config_new(&r, NULL, NULL, keys, v3, 2, &L) == 1 && L.bad_flag == 1 &&
              !L.env_set,
          "bad flag %d", L.bad_flag);
    cJSON_Delete(user);
    user = cJSON_Parse("{\"no_such_key\": 1}");
    ops->config_default(r.cfg);
    CHECK(rs_trainrun_config_new(&r, user, "u.json", keys, vals, 2, &L) == -1 &&
              strstr(rs_last_error(), "u.json"),
          "bad config: %s", rs_last_error());
    cJSON_Delete(user);
    rs_train_free(&r);
}

static void cleanup(void) {
    const char *names[] = {"log.jsonl", "progress.csv", "old.csv", "config.json",
                           "provenance.json"};
    char p[256];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", g_dir, names[i]);
        unlink(p);
    }
    rmdir(g_dir);
}

static void setup(void) {
    if (!mkdtemp(g_dir)) abort();
    atexit(cleanup);
}

RS_TEST_MAIN(T(setup), T(test_trim_jsonl), T(test_trim_csv), T(test_relayout), T(test_run_logs),
             T(test_config_layers), T(test_hooks))

/* test_trainers.c — every algorithm of the trainer registry, through its
 * ops table alone (what `rsoup train` sees): a run saved halfway on 2
 * threads and resumed on 1 ends with the same policy file and training
 * checkpoint, byte for byte, as the uninterrupted run on 1 thread (and with
 * the same policy file and checkpoint tensors as the run on 2 threads);
 * evaluations between iterations leave the run's bits as they were, and
 * repeat exactly; the checkpoint carries the algorithm's training format,
 * which every policy loader refuses; the registry finds each algorithm by
 * name and by format. A new algorithm is tested here by its registry line. */
#include <cjson/cJSON.h>
#include <string.h>
#include <unistd.h>

#include "rs_test.h"
#include "rs_trainer.h"

/* the algorithm's tiny run on `threads` threads; *cfg is the caller's to free */
static void *make(const rs_trainer_ops *ops, const char *threads, void **cfg) {
    *cfg = calloc(1, ops->config_size);
    ops->config_default(*cfg);
    cJSON *o = cJSON_Parse(ops->tiny_config);
    CHECK(o && ops->config_from_json(*cfg, o, "tiny_config.") == 0, "%s tiny config: %s",
          ops->name, rs_last_error());
    cJSON_Delete(o);
    CHECK(ops->config_set(*cfg, "threads", threads) == 0, "%s threads: %s", ops->name,
          rs_last_error());
    void *t = ops->create(*cfg);
    CHECK(t != NULL, "%s create: %s", ops->name, rs_last_error());
    return t;
}

/* rs_trainer_evaluate on t, checked: the episodes asked for, each of some length */
static void evaluate(const rs_trainer_ops *ops, void *t, int episodes, rs_eval_result *r) {
    int ok = rs_trainer_evaluate(ops, t, episodes, r) == 0;
    CHECK(ok, "%s evaluate: %s", ops->name, rs_last_error());
    if (!ok) memset(r, 0, sizeof *r);
    CHECK(!ok || (r->episodes == episodes && r->length[0] > 0 && r->length[episodes - 1] > 0),
          "%s evaluate: %d episodes, want %d", ops->name, r->episodes, episodes);
}

/* the same episodes, term for term and step for step */
static int same_eval(const rs_eval_result *a, const rs_eval_result *b) {
    return a->terms && b->terms && a->episodes == b->episodes && a->n_terms == b->n_terms &&
           !memcmp(a->terms, b->terms, sizeof(double) * (size_t)a->episodes * a->n_terms) &&
           !memcmp(a->length, b->length, sizeof(int) * (size_t)a->episodes);
}

/* iterations until finished, or n of them (n > 0), with an evaluation of
 * `eval` episodes after each (0: none); the count done */
static int run_eval(const rs_trainer_ops *ops, void *t, int n, int eval) {
    rs_trainer_stats st;
    int k = 0;
    while (!ops->finished(t) && (n <= 0 || k < n)) {
        if (ops->iterate(t, &st) != 0) {
            CHECK(0, "%s iterate: %s", ops->name, rs_last_error());
            break;
        }
        k++;
        CHECK(st.iter > 0 && st.step == ops->global_step(t), "%s stats: iter %ld step %ld",
              ops->name, st.iter, st.step);
        if (eval) {
            rs_eval_result r;
            evaluate(ops, t, eval, &r);
            rs_eval_result_free(&r);
        }
    }
    return k;
}

static int run(const rs_trainer_ops *ops, void *t, int n) { return run_eval(ops, t, n, 0); }

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(*n ? *n : 1);
    if (b && fread(b, 1, *n, f) != *n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static int same_file(const char *a, const char *b) {
    size_t na = 0, nb = 0;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

/* train.safetensors and policy.safetensors of t as dir/<tag>.train, .policy */
static void save(const rs_trainer_ops *ops, void *t, const char *dir, const char *tag) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.train", dir, tag);
    CHECK(rs_trainer_save(ops, t, path) == 0, "%s save: %s", ops->name, rs_last_error());
    snprintf(path, sizeof path, "%s/%s.policy", dir, tag);
    CHECK(rs_policy_save(ops->policy(t), path) == 0, "%s policy: %s", ops->name, rs_last_error());
}

/* every tensor the same, in the same order (the metadata may differ: a
 * checkpoint's train_config names its thread count) */
static int same_tensors(const char *a, const char *b) {
    rs_st *x = rs_st_load(a), *y = rs_st_load(b);
    int same = x && y && rs_st_count(x) == rs_st_count(y);
    for (int i = 0; same && i < rs_st_count(x); i++) {
        const rs_tensor *s = rs_st_at(x, i), *t = rs_st_at(y, i);
        same = !strcmp(s->name, t->name) && s->nbytes == t->nbytes &&
               memcmp(s->data, t->data, s->nbytes) == 0;
    }
    rs_st_free(x);
    rs_st_free(y);
    return same;
}

/* the policy files byte for byte; the checkpoints byte for byte, or
 * (tensors_only) tensor by tensor */
static void check_same(const rs_trainer_ops *ops, const char *dir, const char *a, const char *b,
                       const char *what, int tensors_only) {
    char pa[512], pb[512];
    const char *ext[2] = {"train", "policy"};
    for (int i = 0; i < 2; i++) {
        snprintf(pa, sizeof pa, "%s/%s.%s", dir, a, ext[i]);
        snprintf(pb, sizeof pb, "%s/%s.%s", dir, b, ext[i]);
        int same = i == 0 && tensors_only ? same_tensors(pa, pb) : same_file(pa, pb);
        CHECK(same, "%s: %s: %s.%s and %s.%s differ", ops->name, what, a, ext[i], b, ext[i]);
    }
}

static void test_one(const rs_trainer_ops *ops) {
    char dir[] = "/tmp/rs_trainers_XXXXXX", path[512];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    CHECK(rs_trainer_find(ops->name) == ops && rs_trainer_for_format(ops->train_format) == ops,
          "%s: registry lookups", ops->name);

    void *c1, *c2, *c3, *c4;
    void *full = make(ops, "1", &c1);
    int total = full ? run(ops, full, 0) : 0;
    CHECK(total >= 2, "%s: the tiny run has %d iterations (want >= 2)", ops->name, total);
    save(ops, full, dir, "full");
    /* the same run on 2 threads */
    void *two = make(ops, "2", &c2);
    if (two) run(ops, two, 0);
    save(ops, two, dir, "two");
    /* half on 2 threads, saved; the rest on 1 after a resume */
    void *half = make(ops, "2", &c3);
    if (half) run(ops, half, total / 2);
    snprintf(path, sizeof path, "%s/half.train", dir);
    CHECK(rs_trainer_save(ops, half, path) == 0, "%s save: %s", ops->name, rs_last_error());
    void *res = make(ops, "1", &c4);
    CHECK(res && rs_trainer_load(ops, res, path) == 0, "%s resume: %s", ops->name, rs_last_error());
    CHECK(res && ops->global_step(res) == ops->global_step(half), "%s: resumed at step %ld, saved at %ld",
          ops->name, res ? ops->global_step(res) : -1, ops->global_step(half));
    int rest = res ? run(ops, res, 0) : 0;
    CHECK(total / 2 + rest == total, "%s: %d + %d iterations, want %d", ops->name, total / 2, rest,
          total);
    save(ops, res, dir, "resumed");
    check_same(ops, dir, "full", "two", "1 and 2 threads", 1);
    check_same(ops, dir, "full", "resumed", "resumed and uninterrupted", 0);

    /* evaluating after every iteration trains the same bits (`rsoup train
     * --eval-every 1`); an evaluation does not depend on the thread count,
     * and one of the same policy gives the same episodes again */
    void *c5, *ev = make(ops, "2", &c5);
    if (ev) run_eval(ops, ev, 0, 3);
    save(ops, ev, dir, "evaluated");
    check_same(ops, dir, "two", "evaluated", "with and without evaluations", 0);
    rs_eval_result e1, e2, e3;
    evaluate(ops, full, 3, &e1);
    evaluate(ops, ev, 3, &e2);
    evaluate(ops, ev, 3, &e3);
    CHECK(same_eval(&e1, &e2) && same_eval(&e2, &e3), "%s: evaluations of the same policy differ",
          ops->name);
    rs_eval_result_free(&e1);
    rs_eval_result_free(&e2);
    rs_eval_result_free(&e3);

    /* the checkpoint is a training format: a trainer reads it, policy loaders refuse it */
    rs_st *m = rs_st_load_meta(path);
    CHECK(m && !strcmp(rs_st_meta(m, "format"), RS_TRAIN_FORMAT) &&
              !strcmp(rs_st_meta(m, "format_train"), ops->train_format) &&
              rs_st_meta(m, "train_config"),
          "%s: checkpoint metadata", ops->name);
    rs_st_free(m);
    CHECK(rs_policy_load(path) == NULL && strstr(rs_last_error(), "is a training checkpoint"),
          "%s: a policy loader took the checkpoint: %s", ops->name, rs_last_error());
    CHECK(rs_policy_st_load(path) == NULL && strstr(rs_last_error(), "is a training checkpoint"),
          "%s: rs_policy_st_load took the checkpoint: %s", ops->name, rs_last_error());
    /* ... and another algorithm's trainer refuses it too */
    for (int i = 0; rs_trainer_at(i); i++) {
        const rs_trainer_ops *o = rs_trainer_at(i);
        if (o == ops) continue;
        void *co, *t = make(o, "1", &co);
        CHECK(t && rs_trainer_load(o, t, path) == -1 && strstr(rs_last_error(), ops->train_format),
              "%s loaded a %s checkpoint: %s", o->name, ops->name, rs_last_error());
        if (t) o->destroy(t);
        free(co);
    }

    void *ts[5] = {full, two, half, res, ev}, *cs[5] = {c1, c2, c3, c4, c5};
    for (int i = 0; i < 5; i++) {
        if (ts[i]) ops->destroy(ts[i]);
        free(cs[i]);
    }
    const char *tags[5] = {"full", "two", "half", "resumed", "evaluated"};
    for (int i = 0; i < 5; i++)
        for (int e = 0; e < 2; e++) {
            snprintf(path, sizeof path, "%s/%s.%s", dir, tags[i], e ? "policy" : "train");
            unlink(path);
        }
    rmdir(dir);
}

static void test_every_trainer(void) {
    int n = 0;
    for (int i = 0; rs_trainer_at(i); i++, n++)
        test_one(rs_trainer_at(i));
    CHECK(n >= 2, "registry has %d algorithms", n);
    CHECK(rs_trainer_find("ddpg") == NULL && strstr(rs_last_error(), "ddpg"), "unknown name");
}

RS_TEST_MAIN(T(test_every_trainer))

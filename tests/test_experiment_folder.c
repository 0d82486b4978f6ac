/* test_experiment_folder.c — an experiment's folder (lab/rs_experiment_folder.h):
 * refused inside another experiment's folder, a job's folder or as one,
 * and when a replicate's folder is another experiment's; a fresh one is
 * prepared with its marker, the replicates' folders and the trainings'
 * config files, each read back here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_experiment_folder.h"
#include "rs_lab.h"
#include "rs_test.h"

static const char *CONFIG =
    "{\"name\": \"tiny\", \"env\": \"hopper\", \"rewards\": {\"risky\": \"risky\", \"cautious\": "
    "\"cautious\"}, \"pretrain\": {\"steps\": 2048}, \"finetune\": {\"steps\": 1024}, "
    "\"seeds\": 2, \"ppo\": {\"n_steps\": 64}, \"front\": {\"grid\": 3, \"episodes\": 1}}";

static void touch(const char *dir, const char *name) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (f) fclose(f);
}

static int graph(const char *out, rs_exp_config *c, rs_job_graph *g) {
    if (rs_exp_config_parse(CONFIG, "tiny.json", c) != 0) return -1;
    return rs_exp_graph_build(c, out, g);
}

static void test_place_and_prepare(void) {
    char dir[] = "/tmp/rs_test_expfolder_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char other[600], inside[700], job[600], fresh[600], p[1200];
    snprintf(other, sizeof other, "%s/other", dir);
    snprintf(inside, sizeof inside, "%s/other/sub/x", dir);
    snprintf(job, sizeof job, "%s/job", dir);
    snprintf(fresh, sizeof fresh, "%s/fresh", dir);
    mkdir(other, 0755), mkdir(job, 0755);
    touch(other, RS_EXP_MARKER);
    touch(job, ".started");
    rs_exp_config c;
    rs_job_graph g;
    CHECK(graph(inside, &c, &g) == 0, "graph: %s", rs_last_error());
    CHECK(rs_exp_check_place(inside, &g) != 0 &&
              strstr(rs_last_error(), "an experiment's folder") &&
              strstr(rs_last_error(), "--out ") && strstr(rs_last_error(), "other"),
          "inside an experiment: %s", rs_last_error());
    rs_exp_graph_free(&g);
    CHECK(graph(job, &c, &g) == 0, "graph");
    CHECK(rs_exp_check_place(job, &g) != 0 && strstr(rs_last_error(), "is a job's folder"),
          "a job's folder: %s", rs_last_error());
    rs_exp_graph_free(&g);
    /* a replicate's folder that is another experiment's */
    CHECK(graph(fresh, &c, &g) == 0 && g.n_reps == 2, "graph of 2 replicates");
    CHECK(rs_exp_check_place(fresh, &g) == 0, "fresh: %s", rs_last_error());
    mkdir(fresh, 0755), mkdir(g.reps[1].dir, 0755);
    touch(g.reps[1].dir, RS_EXP_MARKER);
    CHECK(rs_exp_check_place(fresh, &g) != 0 &&
              strstr(rs_last_error(), "another experiment's folder"),
          "a replicate that is an experiment: %s", rs_last_error());
    snprintf(p, sizeof p, "%s/%s", g.reps[1].dir, RS_EXP_MARKER);
    unlink(p);
    /* prepared: marker, replicates, config files */
    CHECK(rs_exp_prepare(&c, fresh, &g, NULL) == 0, "prepare: %s", rs_last_error());
    snprintf(p, sizeof p, "%s/%s", fresh, RS_EXP_MARKER);
    char *m = rs_read_file(p, NULL);
    CHECK(m && !strcmp(m, "tiny\n"), "marker: %s", m ? m : "none");
    free(m);
    struct stat sb;
    for (int r = 0; r < g.n_reps; r++)
        CHECK(stat(g.reps[r].dir, &sb) == 0 && S_ISDIR(sb.st_mode), "replicate %d's folder", r);
    snprintf(p, sizeof p, "%s/ppo.json", fresh);
    char *ppo = rs_read_file(p, NULL);
    CHECK(ppo && !strcmp(ppo, c.ppo_json), "ppo.json: %s", ppo ? ppo : "none");
    free(ppo);
    /* a dry run's view of a job never started */
    CHECK(!strcmp(rs_exp_job_state(&g, &g.jobs[0]), "run"), "state %s",
          rs_exp_job_state(&g, &g.jobs[0]));
    rs_exp_graph_free(&g);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
}

/* a folder name past RS_PATH_BUF is refused whole: no cut prefix of it is
 * made (it once was, silently) */
static void test_mkdir_long(void) {
    char dir[] = "/tmp/rs_test_mkdir_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char p[RS_PATH_BUF + 64], first[64];
    int n = snprintf(p, sizeof p, "%s", dir);
    while (n < RS_PATH_BUF + 10)
        n += snprintf(p + n, sizeof p - (size_t)n, "/abcdefghi");
    snprintf(first, sizeof first, "%s/abcdefghi", dir);
    struct stat sb;
    errno = 0;
    CHECK(rs_lab_mkdir_p(p) != 0 && errno == ENAMETOOLONG, "a %zu-character path: errno %d",
          strlen(p), errno);
    CHECK(stat(first, &sb) != 0, "a prefix of the refused path was made");
    /* one that fits is made with its parents */
    p[RS_PATH_BUF - 40] = 0;
    CHECK(rs_lab_mkdir_p(p) == 0 && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode), "mkdir -p: %s",
          strerror(errno));
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
}

RS_TEST_MAIN(T(test_place_and_prepare), T(test_mkdir_long))

/* cmd_experiment.c — `rsoup experiment CONFIG`: the whole rewarded-soups
 * protocol over one or more seeds, from pretraining to plots and a report,
 * resumable stage by stage. See rs_experiment.h for the job graph and
 * rs_experiment_folder.h for the folder's checks and preparation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "rs_experiment.h"
#include "rs_experiment_folder.h"
#include "rs_mpi.h"
#include "rs_pool.h"

/* a runner killed with kill -9 left jobs that are still saving */
static void say_waiting(const char *dir) {
    fprintf(stderr, "experiment: waiting for the jobs of a stopped run of %s to save and exit\n", dir);
}

/* --json: what the run did, from the job states and metrics.json */
static void print_summary(const rs_exp_config *c, const rs_job_graph *g, const char *out, int rc,
                          int report_ok, double wall_s) {
    int count[J_BLOCKED + 1] = {0};
    for (int i = 0; i < g->n; i++)
        count[g->jobs[i].state]++;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddStringToObject(o, "out", out);
    cJSON_AddStringToObject(o, "status",
                            rc < 0      ? "interrupted"
                            : rc > 0    ? "failed"
                            : report_ok ? "ok"
                                        : "no report");
    cJSON_AddNumberToObject(o, "jobs", g->n);
    cJSON_AddNumberToObject(o, "jobs_done", count[J_DONE]);
    cJSON_AddNumberToObject(o, "jobs_skipped", count[J_SKIPPED]);
    cJSON_AddNumberToObject(o, "jobs_failed", count[J_FAILED]);
    cJSON_AddNumberToObject(o, "jobs_not_run",
                            count[J_BLOCKED] + count[J_PENDING] + count[J_RUNNING]);
    cJSON *failed = cJSON_AddArrayToObject(o, "failed");
    for (int i = 0; i < g->n; i++)
        if (g->jobs[i].state == J_FAILED)
            cJSON_AddItemToArray(failed, cJSON_CreateString(g->jobs[i].name));
    cJSON_AddNumberToObject(o, "replicates", g->n_reps);
    char path[RS_EXP_PATH + 32];
    snprintf(path, sizeof path, "%s/metrics.json", out);
    cJSON *m = NULL;
    char *text = report_ok ? rs_read_file(path, NULL) : NULL;
    if (text) m = cJSON_Parse(text);
    free(text);
    const cJSON *fin = cJSON_GetObjectItemCaseSensitive(m, "replicates_finished");
    cJSON_AddNumberToObject(o, "replicates_finished", cJSON_IsNumber(fin) ? fin->valuedouble : 0);
    cJSON_AddItemToObject(o, "metrics", m ? cJSON_CreateString(path) : cJSON_CreateNull());
    cJSON_Delete(m);
    snprintf(path, sizeof path, "%s/report.md", out);
    cJSON_AddItemToObject(o, "report", report_ok ? cJSON_CreateString(path) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "wall_time_s", wall_s);
    rs_json_print(o);
}

/* --dry-run: every job, what a run would do with it and its command */
static int dry_run(const rs_job_graph *g, const char *out, int json) {
    size_t cap = 65536;
    char *cmd = malloc(cap);
    if (!cmd) {
        fprintf(stderr, "rsoup experiment: out of memory\n");
        return 1;
    }
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    cJSON *arr = json ? cJSON_AddArrayToObject(root, "jobs") : NULL;
    if (json) cJSON_AddStringToObject(root, "out", out);
    for (int i = 0; i < g->n; i++) {
        const rs_job *j = &g->jobs[i];
        const char *st = rs_exp_job_state(g, j);
        rs_exp_job_command(j, cmd, cap);
        /* the stamp's inputs beyond the command, as a shell comment */
        const char *extra = strstr(j->desc, " [");
        if (json) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "name", j->name);
            cJSON_AddStringToObject(x, "state", st);
            cJSON_AddStringToObject(x, "command", cmd);
            cJSON_AddItemToArray(arr, x);
        } else
            printf("%-28s %-11s %s%s%s\n", j->name, st, cmd, extra ? "  #" : "",
                   extra ? extra : "");
    }
    if (json) rs_json_print(root);
    free(cmd);
    return 0;
}

/* the experiment's options */
typedef struct {
    const char *config_path;
    char out[RS_EXP_PATH];
    long jobs;
    int total_threads, per_job, quiet, json;
} exp_args;

/* the jobs run, then the report: the exit status */
static int run(const rs_exp_config *c, rs_job_graph *g, const exp_args *a) {
    char reps[64] = "";
    if (c->n_seeds)
        snprintf(reps, sizeof reps, " (%d replicate%s)", c->n_seeds, c->n_seeds > 1 ? "s" : "");
    if (rs_mpi_active())
        fprintf(stderr,
                "experiment %s: %d jobs%s over %d MPI ranks (+%ld local slot%s on rank 0), %d "
                "threads each -> %s\n",
                c->name, g->n, reps, rs_mpi_size(), a->jobs, a->jobs > 1 ? "s" : "", a->per_job,
                a->out);
    else
        fprintf(stderr, "experiment %s: %d jobs%s, %ld at once, %d threads each -> %s\n", c->name,
                g->n, reps, a->jobs, a->per_job, a->out);
    double t0 = rs_now();
    int rc = rs_exp_run(g, (int)a->jobs, a->per_job, a->quiet);
    rs_exp_stop_workers();
    if (rc < 0) {
        if (rc == -1)
            fprintf(stderr, "rsoup experiment: stopped; rerun the same command to resume\n");
        else
            fprintf(stderr,
                    "rsoup experiment: stopped by the error above; finished jobs are kept\n");
        if (a->json) print_summary(c, g, a->out, rc, 0, rs_now() - t0);
        return 1;
    }
    /* a failed job leaves the other replicates' results: report on them */
    rs_exp_report_headline_to(a->json ? stderr : stdout);
    int report = rs_exp_report(c, a->config_path, a->out, g, rs_now() - t0, a->total_threads);
    if (report != 0)
        fprintf(stderr, "rsoup experiment: no report: %s\n", rs_last_error());
    else
        fprintf(stderr, "experiment %s: done in %.0f s; report: %s/report.md\n", c->name,
                rs_now() - t0, a->out);
    if (a->json) print_summary(c, g, a->out, rc, report == 0, rs_now() - t0);
    if (rc > 0) {
        fprintf(stderr,
                "rsoup experiment: some jobs failed (see above; their logs name the cause); "
                "after fixing it, rerun the same command: finished jobs are kept\n");
        return 1;
    }
    return report != 0;
}

int cmd_experiment(int argc, char **argv) {
    static const rs_cmd_info info = {
        "experiment",
        "rsoup experiment CONFIG.json [--out DIR] [--seeds K|s1,s2,...] [--jobs N] [--json]",
        "Run the rewarded-soups protocol described by CONFIG: pretrain a shared\n"
        "init, fine-tune one expert per proxy reward, evaluate the soups on a λ grid,\n"
        "train the MORL baseline (one run per weighting μ, from the same init), train\n"
        "control experts from independent inits, then compute the metrics\n"
        "(hypervolume of soups vs MORL vs the experts' line, LMC barrier), draw the\n"
        "plots and write DIR/report.md. With seeds, the whole protocol is replicated\n"
        "once per seed (DIR/seed_<s>/) and the report gives means with 95% bootstrap\n"
        "intervals and verdict counts (\"H1 holds in 4 of 5 seeds\"). Every stage is\n"
        "skipped when its outputs exist and match the config (adding a seed trains\n"
        "only the new replicate); a killed run resumes where it stopped; a failed\n"
        "job stops only what depends on it. Each job's progress is prefixed with its\n"
        "name; with --jobs above 1 the jobs write periodic log lines, not bars.\n"
        "--json prints a summary at the end (docs/formats.md, \"JSON output\").",
        "Config keys: name, env, rewards {name: spec}, pretrain {reward, steps, seed,\n"
        "from}, finetune {steps, ppo, twin}, seed, seeds (K or [s1, ...]), algo (ppo),\n"
        "ppo {hyperparameters}, front {grid, episodes, seed}, morl {mu: [...], steps},\n"
        "control (true/false/{steps}), lmc {tolerance}, reference_point, threads,\n"
        "comment. The fine-tuning stages (experts, MORL runs, twin) take ppo, then\n"
        "rsoup's fine-tuning set (rsoup train --help), then finetune.ppo (the anchors\n"
        "kl_init, critic_warmup go there); pretraining and controls take ppo alone.\n"
        "finetune.twin: a second expert on the first reward (another seed) and its\n"
        "front: the same-reward floor the H1 verdict is compared with. pretrain.from:\n"
        "fine-tune another experiment's inits (DIR/seed_<s>/pretrain) instead of\n"
        "pretraining. Shipped: experiments/quick.json (the demo), hopper_full.json,\n"
        "halfcheetah_full.json, hopper_3obj.json, humanoid_paper.json, lmc_map/*.json."};
    rs_opt opts[] = {
        {"out", "DIR", "output folder (default: runs/<name>)", NULL, NULL, 0},
        {"seeds", "S", "replicates: a count K (seeds 1..K) or a list 1,2,3 (overrides the config)",
         NULL, NULL, 0},
        {"jobs", "N", "trainings run at once (threads are shared among them)", "1", NULL, 0},
        {"threads", "T", "threads in all (0: all cores)", "0", NULL, 0},
        {"quiet", NULL, "no per-job progress output", NULL, NULL, 0},
        {"dry-run", NULL, "print the jobs and what would be skipped, run nothing", NULL, NULL, 0},
        {"json", NULL, "print a JSON summary on stdout at the end (with --dry-run: the jobs)", NULL,
         NULL, 0},
    };
    const int no = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[1];
    int np = 0;
    int rc = rs_cli_parse(&info, opts, no, argc, argv, pos, &np, 1);
    if (rc) return rc < 0 ? 2 : 0;
    if (np != 1) {
        fprintf(stderr, "rsoup experiment: give one CONFIG.json (see --help)\n");
        return 2;
    }
    exp_args a = {.config_path = pos[0],
                  .quiet = rs_opt_flag(opts, no, "quiet"),
                  .json = rs_opt_flag(opts, no, "json")};
    long threads;
    if (rs_opt_long(opts, no, "jobs", 1, 256, &a.jobs) ||
        rs_opt_long(opts, no, "threads", 0, 1024, &threads))
        return 2;
    char *text = rs_read_file(pos[0], NULL);
    if (!text) return rs_cli_fail("experiment");
    rs_exp_config c;
    rc = rs_exp_config_parse(text, pos[0], &c);
    free(text);
    if (rc) return rs_cli_fail(NULL);
    if (rs_opt_str(opts, no, "seeds") && rs_exp_seeds_parse(rs_opt_str(opts, no, "seeds"), &c) != 0) {
        fprintf(stderr, "rsoup experiment: %s\n", rs_last_error());
        return 2;
    }
    const char *o = rs_opt_str(opts, no, "out");
    if ((size_t)snprintf(a.out, sizeof a.out, o ? "%s" : "runs/%s", o ? o : c.name) >=
        sizeof a.out - 64) {
        fprintf(stderr, "rsoup experiment: --out is too long (at most %d bytes)\n", RS_EXP_PATH - 65);
        return 2;
    }
    char self[RS_EXP_PATH];
    ssize_t L = readlink("/proc/self/exe", self, sizeof self - 1);
    if (L <= 0) {
        fprintf(stderr, "rsoup experiment: cannot locate the rsoup executable\n");
        return 1;
    }
    self[L] = 0;
    rs_exp_set_self(self);
    /* the runner and the report say what they do on stderr */
    rs_exp_log_to(stderr);
    /* jobs are plain processes, never part of the MPI job */
    rs_mpi_scrub_env();
    if (rs_mpi_active() && rs_mpi_rank() > 0) return rs_exp_worker_loop();
    rs_job_graph g;
    a.total_threads = threads ? (int)threads : (c.threads ? c.threads : rs_ncores());
    a.per_job = a.total_threads / (int)a.jobs > 0 ? a.total_threads / (int)a.jobs : 1;
    if (rs_exp_graph_build(&c, a.out, &g) != 0 || rs_exp_check_place(a.out, &g) != 0 ||
        (!rs_opt_flag(opts, no, "dry-run") && rs_exp_prepare(&c, a.out, &g, say_waiting) != 0)) {
        fprintf(stderr, "rsoup experiment: %s\n", rs_last_error());
        rs_exp_graph_free(&g);
        rs_exp_stop_workers();
        return 1;
    }
    if (rs_opt_flag(opts, no, "dry-run")) {
        rc = dry_run(&g, a.out, a.json);
        rs_exp_stop_workers();
    } else {
        rc = run(&c, &g, &a);
    }
    rs_exp_graph_free(&g);
    return rc;
}

/* cli.h — shared pieces of the rsoup subcommands: option parsing, output. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "rs_common.h"
#include "rs_env.h"

/* ---- options ----
 * A subcommand declares its options in a table; rs_cli_parse fills values,
 * collects positional arguments and prints --help generated from the table. */
typedef struct rs_opt {
    const char *name;    /* long name without "--" */
    const char *metavar; /* NULL: a flag without value */
    const char *help;
    const char *def;     /* default shown in --help and returned when unset */
    const char *value;   /* filled by the parser */
    int set;
} rs_opt;

typedef struct rs_cmd_info {
    const char *name;
    const char *usage;       /* e.g. "rsoup envs [--json]" */
    const char *description; /* a paragraph */
    const char *epilog;      /* examples, notes; may be NULL */
} rs_cmd_info;

/* the longest path (a positional argument, a FILE/DIR/CKPT option) and the
 * longest other option value the parser accepts: every buffer a path is
 * built in has room for a path this long plus a file name */
#define RS_CLI_PATH_MAX 1024
#define RS_CLI_ARG_MAX 4096
/* 0: parsed; 1: --help printed (exit 0); -1: error printed (exit 2) */
int rs_cli_parse(const rs_cmd_info *info, rs_opt *opts, int nopts, int argc, char **argv,
                 const char **pos, int *npos, int maxpos);
const char *rs_opt_str(const rs_opt *opts, int nopts, const char *name);
int rs_opt_flag(const rs_opt *opts, int nopts, const char *name);
/* numeric getters: -1 and a message on stderr when the value does not parse */
int rs_opt_long(const rs_opt *opts, int nopts, const char *name, long lo, long hi, long *out);
int rs_opt_double(const rs_opt *opts, int nopts, const char *name, double *out);
void rs_cli_usage(const rs_cmd_info *info, const rs_opt *opts, int nopts, FILE *f);

/* ---- errors and output ---- */
/* exit statuses: 0 done; 2 the command line is wrong (unknown command or
 * option, a missing or bad value, an unknown env or reward given on it); 1
 * the run failed (a file missing, unreadable or unusable, training, I/O) */
int rs_cli_fail(const char *context); /* prints "rsoup: context: rs_last_error()", returns 1 */
int rs_cli_bad_arg(const char *cmd);  /* prints "rsoup cmd: rs_last_error()", returns 2 */
void rs_json_print(cJSON *obj);       /* prints to stdout and frees */
/* per-reward and per-term quantities in --json (json_out.c): append to list
 * {key: name} (key "reward" for a reward spec, "name" for a term), with
 * "mean" and "std" (a statistic over episodes) or one number under vkey
 * ("return" for one episode); non-finite numbers are null; the object */
cJSON *rs_cli_json_named(cJSON *list, const char *key, const char *name);
cJSON *rs_cli_json_stat(cJSON *list, const char *key, const char *name, double mean, double std);
cJSON *rs_cli_json_value(cJSON *list, const char *key, const char *name, const char *vkey,
                         double v);
/* parse a reward spec for an env; on a negative weight on a cost term, warn */
int rs_cli_reward(const rs_env_spec *s, const char *text, double *w);
int rs_stderr_tty(void);

/* ---- files ---- */
int rs_cli_mkdir_p(const char *path);   /* mkdir -p; 0 or -1 (errno set) */
int rs_cli_exists(const char *path);
/* write text (plus a newline if asked) to path with rs_write_atomic */
int rs_cli_write_file(const char *path, const char *text, int newline);
/* lock a folder against a second rsoup writer (flock on the folder, dropped
 * when the process exits, kill -9 included): a descriptor kept open until
 * exit, or -1 with the error set ("... is in use by another rsoup process") */
int rs_cli_lock_dir(const char *dir);
/* remove the temporary files (NAME.tmp.PID, NAME starting with prefix when
 * prefix is not NULL) that writers no longer running left in dir; the count */
int rs_cli_sweep_tmp(const char *dir, const char *prefix);
/* the experiment runner marks its environment before starting jobs; a job
 * started so gets SIGTERM (save and stop) when its runner dies, even by
 * kill -9, instead of writing on as an orphan (lock.c) */
void rs_cli_mark_runner(void);
void rs_cli_follow_runner(void); /* call early in main, once */
/* 1 when two ';'-separated lists name the same policies in the same order
 * ("a;b" and "./a/policy.safetensors;b/" do) */
int rs_cli_same_paths(const char *a, const char *b);
/* run argv[0] (looked up in PATH) with its stdout on our stderr and wait;
 * 0 when it exits 0 */
int rs_cli_run_quiet(char *const *argv);
/* the soup library names experts by index ("expert 2: ..."); print the
 * error with their paths: "rsoup CMD: cannot mix: expert 2 (path): ..." */
void rs_cli_print_mix_error(const char *cmd, const char *const *paths, int n);

/* ---- observations as text (rsoup act; obs_text.c) ---- */
/* one line of f into buf without its '\n': 1, 0 at the end, -1 when the line
 * has cap characters or more or holds a NUL byte */
int rs_cli_read_row(FILE *f, char *buf, size_t cap);
/* "v1,v2,..." (commas and/or blanks) into dim floats: 1, 0 for a blank or
 * '#' line, -1 when it is not dim finite float numbers */
int rs_cli_parse_obs(const char *line, int dim, float *out);

/* ---- benches (loadavg.c) ---- */
/* the 1-minute load average (NAN when unknown), with a one-line warning on
 * stderr when it exceeds the cores: timings then are not the machine's */
double rs_cli_load_check(const char *cmd);
/* "load_1min" and "load_over_cores" into a bench's JSON */
void rs_cli_json_load(cJSON *o, double load);

/* ---- a random or zero policy on one env (rsoup rollout) ---- */
typedef struct rs_rollout_result {
    const rs_env_spec *spec;
    int episodes;
    double ret_mean, ret_std, len_mean;
    double terms_mean[RS_MAX_TERMS]; /* mean episode return of each term */
    double terms_std[RS_MAX_TERMS];  /* and its std over the episodes */
    double steps_per_s;
} rs_rollout_result;
/* policy "random" (uniform in the action bounds) or "zero", on the embedded
 * model or model_path (a user's variant); 0 or -1 (error set) */
int rs_cli_rollout(const rs_env_spec *s, const char *model_path, const char *reward,
                   const char *policy, int episodes, int n_envs, int threads, uint64_t seed,
                   rs_rollout_result *out);

/* ---- provenance (provenance.c) ---- */
const char *rs_cli_commit(void);                  /* "abc123def456", "-dirty" appended, or "unknown" */
void rs_cli_cpu_model(char *buf, size_t n);       /* /proc/cpuinfo's model name */
void rs_cli_blas_info(char *buf, size_t n);       /* the BLAS build and the kernel in use */
/* "rsoup 0.1.0 (commit ...), CPU, BLAS, T threads" */
void rs_cli_provenance_line(char *buf, size_t n, int threads);
/* {rsoup_version, git_commit, cpu, blas, threads, wall_time_s (if >= 0), date} */
cJSON *rs_cli_provenance_json(int threads, double wall_s);

/* ---- subcommands ---- */
int cmd_envs(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_rollout(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_act(int argc, char **argv);
int cmd_front(int argc, char **argv);
int cmd_lmc(int argc, char **argv);
int cmd_experiment(int argc, char **argv);

#endif

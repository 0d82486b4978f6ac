/* cli.h — shared pieces of the rsoup subcommands: option parsing, output. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "rs_common.h"
#include "rs_env.h"
#include "rs_lab.h"
#include "rs_lock.h"
#include "rs_obs_text.h"
#include "rs_provenance.h"

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

/* the longest path (a positional argument, a FILE/DIR/CKPT option) is
 * RS_PATH_MAX (rs_common.h: every buffer a path is built in, RS_PATH_BUF,
 * has room for one plus a file name); the longest other option value: */
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
/* that warning alone, for weights parsed elsewhere (a reward set) */
void rs_cli_reward_warn(const rs_env_spec *s, const double *w);
int rs_stderr_tty(void);

/* ---- files ---- */
/* the soup library names experts by index ("expert 2: ..."); print the
 * error with their paths: "rsoup CMD: cannot mix: expert 2 (path): ..." */
void rs_cli_print_mix_error(const char *cmd, const char *const *paths, int n);

/* ---- benches (loadavg.c) ---- */
/* the 1-minute load average (NAN when unknown), with a one-line warning on
 * stderr when it exceeds the cores: timings then are not the machine's */
double rs_cli_load_check(const char *cmd);
/* "load_1min" and "load_over_cores" into a bench's JSON */
void rs_cli_json_load(cJSON *o, double load);

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

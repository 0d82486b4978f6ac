/* main.c — the rsoup program: dispatches to one file per subcommand. */
#include <cblas.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rs_blas.h"
#include "cli_view.h"
#include "rs_mpi.h"
#include "cli_soup.h"

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} rs_subcommand;

static const rs_subcommand g_cmds[] = {
    {"envs", cmd_envs, "list environments: sizes, bounds, reward terms and presets"},
    {"rollout", cmd_rollout, "run a random (or zero) policy and summarise the episodes"},
    {"train", cmd_train, "train a PPO or SAC policy for one reward (an expert, or the shared init)"},
    {"eval", cmd_eval, "evaluate a policy: per-term returns over deterministic episodes"},
    {"act", cmd_act, "print a policy's deterministic actions for observations read as CSV"},
    {"soup", cmd_soup, "mix expert checkpoints: θ = Σ λ_i θ_i"},
    {"front", cmd_front, "evaluate soups on a λ grid (plus experts, baselines) into a front CSV"},
    {"pareto", cmd_pareto, "score a front: non-dominated set, hypervolume, expected utility"},
    {"select", cmd_select, "pick the λ that maximises your own preference over the rewards"},
    {"lmc", cmd_lmc, "linear mode connectivity between two experts (hypothesis H1)"},
    {"experiment", cmd_experiment, "run the whole protocol from a JSON config: pretrain → experts → soups → MORL → report"},
    {"view", cmd_view, "watch a soup run and scrub lambda live"},
    {"bench", cmd_bench, "measure throughput against MuJoCo's raw mj_step"},
};
#define N_CMDS ((int)(sizeof g_cmds / sizeof g_cmds[0]))

static void usage(FILE *f) {
    fprintf(f, "rsoup %s — rewarded soups on MuJoCo locomotion\n\n", RS_VERSION);
    fprintf(f, "usage: rsoup <command> [options]   (rsoup <command> --help for details)\n\n");
    fprintf(f, "commands:\n");
    for (int i = 0; i < N_CMDS; i++) fprintf(f, "  %-10s %s\n", g_cmds[i].name, g_cmds[i].summary);
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv) {
    /* before anything else: it may re-execute the program (so that OpenBLAS
     * loads the kernels every AVX2+FMA CPU shares), and an MPI rank must not
     * have joined its job in an image it then throws away */
    if (rs_blas_pin(argv)) fprintf(stderr, "rsoup: warning: %s\n", rs_last_error());
    /* Every batch rsoup hands to BLAS is small (a few hundred rows at most)
     * and its own thread pool already runs one policy per thread: OpenBLAS's
     * threads would only spin against them (eval of a 256-256 policy ran 5x
     * slower, most of it in sched_yield). Trainers that want BLAS threads
     * (SAC's --blas-threads) set their own. */
    openblas_set_num_threads(1);
    rs_lock_follow_runner();
    rs_mpi_init(&argc, &argv);
    int rc = dispatch(argc, argv);
    /* results go to stdout: a full disk or a closed pipe there is a failure,
     * not a success with the results lost */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "rsoup: cannot write the results to standard output: %s\n", strerror(errno));
        if (rc == 0) rc = 1;
    }
    rs_mpi_finalize();
    return rc;
}

static int dispatch(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("rsoup %s (commit %s)\n", RS_VERSION, rs_provenance_commit());
        printf("numerics: %s\n", rs_blas_provenance());
        return 0;
    }
    for (int i = 0; i < N_CMDS; i++)
        if (!strcmp(argv[1], g_cmds[i].name)) return g_cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "rsoup: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}

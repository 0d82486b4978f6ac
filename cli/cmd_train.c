/* cmd_train.c — `rsoup train`: any algorithm of the trainer registry (PPO
 * by default, SAC with --algo sac) on one env and reward, with progress, a
 * JSONL log of every iteration, atomic checkpoints and bit-exact resume. The
 * run itself is train_run.c's; this file has the usage, whose algorithm
 * sections come from each one's ops table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "train_run.h"

static const char *g_usage =
    "usage: rsoup train --env E --reward SPEC --steps N --seed S --out DIR [options]\n"
    "       rsoup train --resume DIR [--steps N] [--threads T]\n"
    "\n"
    "Train a PPO (default) or SAC (--algo sac, see below) policy on one env and\n"
    "reward. DIR receives config.json, log.jsonl\n"
    "(one JSON line per update), policy.safetensors (the policy alone: what soups\n"
    "mix) and train.safetensors (plus value net, optimiser, normalisers, RNG and\n"
    "env states), both written atomically after the first update, every\n"
    "--save-every updates, at least every 10 minutes, and at the end\n"
    "(--save-every 0: at the end only).\n"
    "\n"
    "options:\n"
    "  --algo A              ppo or sac                                     (ppo)\n"
    "  --env E               environment (rsoup envs)                       (hopper)\n"
    "  --reward SPEC         preset, term list or mix of presets            (default)\n"
    "  --steps N             total env steps, e.g. 1e6                      (1000000)\n"
    "  --seed S              run seed                                       (1)\n"
    "  --out DIR             run directory (must not hold a run already)\n"
    "  --init CKPT           start from a pretrained run (dir, train.safetensors\n"
    "                        or policy.safetensors): the shared init of a soup\n"
    "  --freeze-obs-norm     keep the observation statistics fixed (default with --init)\n"
    "  --update-obs-norm     keep updating them even with --init\n"
    "  --config FILE         JSON object of hyperparameters (keys below)\n"
    "  --threads T           env threads, 0 = all cores                     (0)\n"
    "  --model FILE          MJCF variant of the robot\n"
    "  --resume DIR          continue a run exactly where it stopped\n"
    "  --max-updates K       stop (and save) after K updates in this invocation\n"
    "  --eval-every K        evaluate every K updates (SAC: iterations)     (0: off)\n"
    "                        and at the end: E deterministic episodes on the run's\n"
    "                        reward, on envs of their own whose episode i starts from\n"
    "                        (run seed + 1000000, i) as in rsoup eval --seed; training\n"
    "                        is unchanged. log.jsonl \"eval\", progress.csv eval_return\n"
    "  --eval-episodes E     episodes per evaluation                        (10)\n"
    "  --quiet               no progress output\n"
    "  --json                print a JSON summary on stdout at the end\n"
    "  --KEY VALUE           any hyperparameter below, e.g. --lr 1e-4 --n-envs 4\n"
    "\n"
    "hyperparameters (key, meaning, default; CleanRL/SB3 MuJoCo defaults):\n";

/* command lines that show an algorithm at work, after its section of the
 * help (the algorithm's table says what it is; how to call it is the CLI's) */
static const struct {
    const char *algo, *text;
} g_examples[] = {
    {"sac", "\nSAC examples:\n"
            "  rsoup train --algo sac --env halfcheetah --steps 1e6 --save-replay --out "
            "runs/hc_sac\n"
            "  rsoup train --resume runs/hc_sac\n"
            "  rsoup train --algo sac --env halfcheetah --reward risky --init runs/hc_sac "
            "--steps 3e5 --out runs/hc_risky\n"},
};

static void help(void) {
    fputs(g_usage, stdout);
    for (int i = 0; rs_trainer_at(i); i++) {
        rs_trainer_at(i)->help(stdout);
        for (size_t k = 0; k < sizeof g_examples / sizeof g_examples[0]; k++)
            if (!strcmp(g_examples[k].algo, rs_trainer_at(i)->name)) fputs(g_examples[k].text, stdout);
    }
    printf("\nexamples:\n"
           "  rsoup train --env hopper --steps 1e6 --out runs/hopper\n"
           "  rsoup train --env hopper --reward cautious --init runs/pre --steps 5e5 --out "
           "runs/cautious\n"
           "  rsoup train --env hopper --steps 1e6 --eval-every 20 --out runs/hopper  "
           "# 10 eval episodes every 20 updates\n");
}

int cmd_train(int argc, char **argv) {
    const rs_trainer_ops *ops = rs_train_choose(argc, argv);
    rs_train_args a;
    int rc = rs_train_parse(&a, ops, argc, argv);
    if (rc < 0) {
        help();
        return 0;
    }
    if (rc) return rc;
    rs_train r;
    rc = rs_train_config(&r, ops, &a);
    return rc ? rc : rs_train_run(&r, &a);
}

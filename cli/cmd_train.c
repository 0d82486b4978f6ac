/* cmd_train.c — `rsoup train`: PPO (here) or SAC (cmd_train_sac.c) on one
 * env and reward, with progress, a JSONL log of every update, atomic
 * checkpoints and bit-exact resume. The run itself, the same for both, is
 * train_run.c's; this file has the usage and PPO's own lines. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "rs_mpi.h"
#include "train_run.h"

static const char *g_usage =
    "usage: rsoup train --env E --reward SPEC --steps N --seed S --out DIR [options]\n"
    "       rsoup train --resume DIR [--steps N] [--threads T]\n"
    "\n"
    "Train a PPO (default) or SAC (--algo sac, see below) policy on one env and\n"
    "reward. DIR receives config.json, log.jsonl\n"
    "(one JSON line per update), policy.safetensors (the policy alone: what soups\n"
    "mix) and train.safetensors (plus value net, optimiser, normalisers, RNG and\n"
    "env states), both written atomically every --save-every updates and at the end.\n"
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
    "  --quiet               no progress output\n"
    "  --json                print a JSON summary on stdout at the end\n"
    "  --KEY VALUE           any hyperparameter below, e.g. --lr 1e-4 --n-envs 4\n"
    "\n"
    "hyperparameters (key, meaning, default; CleanRL/SB3 MuJoCo defaults):\n";

static void help(void) {
    fputs(g_usage, stdout);
    rs_ppo_config_help(stdout);
    rs_train_sac_help(stdout);
    printf("\nexamples:\n"
           "  rsoup train --env hopper --steps 1e6 --out runs/hopper\n"
           "  rsoup train --env hopper --reward cautious --init runs/pre --steps 5e5 --out "
           "runs/cautious\n");
}

void rs_train_ppo_numbers(cJSON *o, const rs_ppo_stats *s) {
    cJSON_AddNumberToObject(o, "rollout_s", s->rollout_s);
    cJSON_AddNumberToObject(o, "update_s", s->update_s);
    if (rs_mpi_active()) {
        cJSON_AddNumberToObject(o, "ranks", rs_mpi_size());
        cJSON_AddNumberToObject(o, "comm_s", s->comm_s);
        cJSON_AddNumberToObject(o, "comm_update_s", s->comm_update_s);
    }
    cJSON_AddNumberToObject(o, "lr", s->lr);
    cJSON_AddNumberToObject(o, "pg_loss", s->pg_loss);
    cJSON_AddNumberToObject(o, "v_loss", s->v_loss);
    cJSON_AddNumberToObject(o, "entropy", s->entropy);
    cJSON_AddNumberToObject(o, "approx_kl", s->approx_kl);
    cJSON_AddNumberToObject(o, "clipfrac", s->clipfrac);
    cJSON_AddNumberToObject(o, "grad_norm", s->grad_norm);
    if (isfinite(s->explained_var)) cJSON_AddNumberToObject(o, "explained_var", s->explained_var);
}

void rs_train_ppo_banner(const rs_train *r, const char *dir) {
    const rs_ppo_config *c = &r->ppo_cfg;
    if (rs_mpi_active()) {
        int gmb = rs_ppo_global_minibatch(c, rs_mpi_size()), share = gmb / rs_mpi_size();
        fprintf(stderr,
                "rsoup train: data-parallel over %d MPI ranks: %d envs each, global batch %d, "
                "minibatch %d (%d per rank)\n",
                rs_mpi_size(), c->n_envs, c->n_envs * c->n_steps * rs_mpi_size(), gmb, share);
        if (c->minibatches == 0 && share < c->minibatch && share < 64 &&
            (c->n_envs * c->n_steps) % c->minibatch == 0)
            fprintf(stderr,
                    "rsoup train: note: each rank computes only %d samples per minibatch; "
                    "--minibatches %d keeps the one-process share (%d) at any rank count "
                    "(docs/mpi.md)\n",
                    share, c->n_envs * c->n_steps / c->minibatch, c->minibatch);
    }
    fprintf(stderr,
            "rsoup train: %s, reward %s, %ld steps (%ld updates of %d), seed %ld, "
            "obs norm %s -> %s\n",
            c->env, c->reward, c->total_steps, rs_ppo_num_updates(r->ppo),
            c->n_envs * c->n_steps * rs_mpi_size(), c->seed,
            c->freeze_obs_norm == 1 || (c->freeze_obs_norm == -1 && c->init[0]) ? "frozen"
                                                                                : "updated",
            dir);
}

int cmd_train(int argc, char **argv) {
    rs_algo algo = rs_train_wants_sac(argc, argv) ? RS_ALGO_SAC : RS_ALGO_PPO;
    rs_train_args a;
    int rc = rs_train_parse(&a, algo, argc, argv);
    if (rc < 0) {
        help();
        return 0;
    }
    if (rc) return rc;
    rs_train r;
    rc = rs_train_config(&r, algo, &a);
    return rc ? rc : rs_train_run(&r, &a);
}

/* cmd_train.c — `rsoup train`: PPO on one env and reward, with progress,
 * a JSONL log of every update, atomic checkpoints and bit-exact resume. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "progress.h"
#include "rs_ppo.h"
#include "rs_mpi.h"

/* SAC lives in cmd_train_sac.c; cmd_train hands over when asked for it */
int rs_train_wants_sac(int argc, char **argv);
void rs_train_sac_help(FILE *f);
int cmd_train_sac(int argc, char **argv);

static volatile sig_atomic_t g_stop = 0;
static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

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

static cJSON *stats_json(const rs_ppo_stats *s, const rs_env_spec *spec, double elapsed,
                         double sps) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "update", (double)s->update);
    cJSON_AddNumberToObject(o, "step", (double)s->global_step);
    cJSON_AddNumberToObject(o, "time_s", elapsed);
    cJSON_AddNumberToObject(o, "steps_per_s", sps);
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
    cJSON_AddNumberToObject(o, "episodes", s->episodes);
    if (s->window) {
        cJSON_AddNumberToObject(o, "ep_return", s->ep_return);
        cJSON_AddNumberToObject(o, "ep_length", s->ep_length);
        cJSON *t = cJSON_AddObjectToObject(o, "ep_terms");
        for (int k = 0; k < spec->n_terms; k++) cJSON_AddNumberToObject(t, spec->terms[k], s->ep_terms[k]);
    }
    return o;
}

static int save_all(rs_ppo *p, const char *dir) {
    char path[1100];
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    if (rs_ppo_save_train(p, path) != 0) return -1;
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    return rs_policy_save(rs_ppo_policy(p), path);
}

/* the user's --config object, then the flags; 1 (message printed) on a bad
 * flag, -1 (error set) on a bad config */
static int apply_user(rs_ppo_config *cfg, const char *config, const cJSON *user,
                      const char *const *keys, const char *const *vals, int nkv) {
    if (user) {
        char where[600];
        snprintf(where, sizeof where, "%s: ", config);
        if (rs_ppo_config_from_json(cfg, user, where) != 0) return -1;
    }
    for (int k = 0; k < nkv; k++)
        if (rs_ppo_config_set(cfg, keys[k], vals[k]) != 0) {
            fprintf(stderr, "rsoup train: --%s: %s\n", keys[k], rs_last_error());
            return 1;
        }
    return 0;
}

int cmd_train(int argc, char **argv) {
    if (rs_train_wants_sac(argc, argv)) return cmd_train_sac(argc, argv);
    rs_ppo_config cfg;
    rs_ppo_config_default(&cfg);
    const char *out = NULL, *resume = NULL, *config = NULL;
    long max_updates = -1;
    int quiet = 0, json = 0;
    /* flags that override the config, applied after --config / resume */
    const char *keys[64], *vals[64];
    char keybuf[64][64];
    int nkv = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(g_usage, stdout);
            rs_ppo_config_help(stdout);
            rs_train_sac_help(stdout);
            printf("\nexamples:\n"
                   "  rsoup train --env hopper --steps 1e6 --out runs/hopper\n"
                   "  rsoup train --env hopper --reward cautious --init runs/pre --steps 5e5 --out runs/cautious\n");
            return 0;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "rsoup train: unexpected argument '%s' (see --help)\n", a);
            return 2;
        }
        char key[64];
        snprintf(key, sizeof key, "%s", a + 2);
        for (char *c = key; *c; c++)
            if (*c == '-') *c = '_';
        if (!strcmp(key, "freeze_obs_norm")) {
            keys[nkv] = "freeze_obs_norm", vals[nkv++] = "1";
            continue;
        }
        if (!strcmp(key, "update_obs_norm")) {
            keys[nkv] = "freeze_obs_norm", vals[nkv++] = "0";
            continue;
        }
        if (!strcmp(key, "quiet")) {
            quiet = 1;
            continue;
        }
        if (!strcmp(key, "json")) {
            json = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "rsoup train: option '%s' needs a value\n", a);
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(key, "out")) out = v;
        else if (!strcmp(key, "resume")) resume = v;
        else if (!strcmp(key, "config")) config = v;
        else if (!strcmp(key, "algo")) {
            if (strcmp(v, "ppo") && strcmp(v, "sac")) { /* sac reaches here only with --help */
                fprintf(stderr, "rsoup train: unknown --algo %s (ppo or sac)\n", v);
                return 2;
            }
        } else if (!strcmp(key, "max_updates")) {
            char *end;
            max_updates = strtol(v, &end, 10);
            if (*end || max_updates < 1) {
                fprintf(stderr, "rsoup train: --max-updates expects a positive integer\n");
                return 2;
            }
        } else {
            if (!strcmp(key, "steps")) snprintf(key, sizeof key, "total_steps");
            if (nkv >= 64) return 2;
            snprintf(keybuf[nkv], sizeof keybuf[nkv], "%s", key);
            keys[nkv] = keybuf[nkv];
            vals[nkv++] = v;
        }
    }
    /* data-parallel runs: every rank trains, rank 0 alone writes */
    const int io = rs_mpi_rank() == 0;
    if (!io) quiet = 1, json = 0;
    const char *dir = resume ? resume : out;
    if (!dir) {
        fprintf(stderr, "rsoup train: give --out DIR (or --resume DIR); see --help\n");
        return 2;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    if (resume) {
        rs_st *st = rs_st_load(path);
        if (!st) return rs_cli_fail("resume");
        const char *js = rs_st_meta(st, "train_config");
        cJSON *o = js ? cJSON_Parse(js) : NULL;
        int rc = o ? rs_ppo_config_from_json(&cfg, o, "train_config.") : -1;
        if (!o) rs_set_error("%s has no readable train_config metadata", path);
        cJSON_Delete(o);
        rs_st_free(st);
        if (rc) return rs_cli_fail("resume");
        rs_ppo_config base = cfg;
        for (int k = 0; k < nkv; k++) {
            if (rs_ppo_config_set(&cfg, keys[k], vals[k]) != 0) return rs_cli_fail(NULL);
            if (strcmp(keys[k], "total_steps") && strcmp(keys[k], "threads") &&
                strcmp(keys[k], "save_every")) {
                fprintf(stderr, "rsoup train: --%s cannot change when resuming (only --steps, "
                                "--threads, --save-every can)\n", keys[k]);
                return 2;
            }
        }
        (void)base;
    } else {
        cJSON *user = NULL;
        if (config) {
            char *text = rs_read_file(config, NULL);
            if (!text) return rs_cli_fail("--config");
            user = cJSON_Parse(text);
            if (!user) {
                fprintf(stderr, "rsoup train: --config %s is not valid JSON (near: %.40s)\n", config,
                        cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
                free(text);
                return 1;
            }
            free(text);
        }
        /* generic defaults < the env's own set (hparams auto) < --config < flags;
         * the env (and hparams) may come from --config or a flag, so the user's
         * settings are applied once to learn them and again over the env's set */
        int rc = apply_user(&cfg, config, user, keys, vals, nkv);
        if (!rc && (rc = rs_ppo_config_env_defaults(&cfg)) == 1) {
            rc = apply_user(&cfg, config, user, keys, vals, nkv);
            if (!rc && io && !quiet)
                fprintf(stderr, "rsoup train: %s uses its own hyperparameters (%s; see --help; "
                                "--hparams cleanrl for the generic ones)\n",
                        cfg.env, rs_ppo_env_hparams_source(cfg.env));
        }
        cJSON_Delete(user);
        if (rc < 0) return rs_cli_fail(NULL);
        if (rc > 0) return 2;
        if (io && rs_cli_exists(path)) {
            fprintf(stderr, "rsoup train: %s already holds a run; continue it with --resume %s "
                            "or choose another --out\n", dir, dir);
            return 1;
        }
    }
    const rs_env_spec *spec = rs_env_find(cfg.env);
    if (!spec) return rs_cli_fail(NULL);
    double w[RS_MAX_TERMS];
    if (rs_cli_reward(spec, cfg.reward, w) != 0) return rs_cli_fail(NULL);
    if (rs_ppo_config_check(&cfg) != 0) return rs_cli_fail("config");
    if (io && !resume && rs_cli_mkdir_p(dir) != 0) {
        fprintf(stderr, "rsoup train: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }

    rs_ppo *p = rs_ppo_new(&cfg);
    if (!p) return rs_cli_fail("train");
    if (resume) {
        if (rs_ppo_load_train(p, path) != 0) {
            rs_ppo_free(p);
            return rs_cli_fail(NULL);
        }
    } else {
        if (cfg.init[0] && rs_ppo_load_init(p, cfg.init) != 0) {
            rs_ppo_free(p);
            return rs_cli_fail("--init");
        }
        char *js = rs_ppo_config_to_json(&cfg);
        snprintf(path, sizeof path, "%s/config.json", dir);
        if (io) rs_cli_write_file(path, js, 1);
        free(js);
    }
    snprintf(path, sizeof path, "%s/log.jsonl", dir);
    FILE *log = fopen(io ? path : "/dev/null", resume ? "a" : "w");
    if (!log) {
        fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
        rs_ppo_free(p);
        return 1;
    }
    /* the same numbers as CSV, for gnuplot and spreadsheets */
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    int csv_new = !resume || !rs_cli_exists(path);
    FILE *csv = fopen(io ? path : "/dev/null", csv_new ? "w" : "a");
    if (!csv) {
        fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
        fclose(log);
        rs_ppo_free(p);
        return 1;
    }
    if (csv_new) {
        fprintf(csv, "update,step,time_s,steps_per_s,ep_return,ep_length");
        for (int t = 0; t < spec->n_terms; t++) fprintf(csv, ",%s", spec->terms[t]);
        fprintf(csv, "\n");
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    rs_progress prog;
    char what[64];
    snprintf(what, sizeof what, "train %s", cfg.env);
    long start_step = rs_ppo_global_step(p);
    rs_progress_start(&prog, what, (double)rs_ppo_num_updates(p) * cfg.n_envs * cfg.n_steps * rs_mpi_size());
    prog.quiet = quiet;
    if (!quiet && rs_mpi_active()) {
        int gmb = rs_ppo_global_minibatch(&cfg, rs_mpi_size()), share = gmb / rs_mpi_size();
        fprintf(stderr, "rsoup train: data-parallel over %d MPI ranks: %d envs each, global batch %d, "
                        "minibatch %d (%d per rank)\n",
                rs_mpi_size(), cfg.n_envs, cfg.n_envs * cfg.n_steps * rs_mpi_size(), gmb, share);
        if (cfg.minibatches == 0 && share < cfg.minibatch && share < 64 &&
            (cfg.n_envs * cfg.n_steps) % cfg.minibatch == 0)
            fprintf(stderr, "rsoup train: note: each rank computes only %d samples per minibatch; "
                            "--minibatches %d keeps the one-process share (%d) at any rank count "
                            "(docs/mpi.md)\n",
                    share, cfg.n_envs * cfg.n_steps / cfg.minibatch,
                    cfg.minibatch);
    }
    if (!quiet)
        fprintf(stderr, "rsoup train: %s, reward %s, %ld steps (%ld updates of %d), seed %ld, "
                        "obs norm %s -> %s\n",
                cfg.env, cfg.reward, cfg.total_steps, rs_ppo_num_updates(p),
                cfg.n_envs * cfg.n_steps * rs_mpi_size(), cfg.seed,
                cfg.freeze_obs_norm == 1 || (cfg.freeze_obs_norm == -1 && cfg.init[0]) ? "frozen" : "updated",
                dir);
    double t0 = rs_now();
    rs_ppo_stats st = {0};
    long done_here = 0;
    int rc = 0;
    while (rs_ppo_update_index(p) < rs_ppo_num_updates(p) && !g_stop) {
        if (rs_ppo_iterate(p, &st) != 0) {
            fprintf(stderr, "\nrsoup train: %s\n", rs_last_error());
            rc = 1;
            break;
        }
        double el = rs_now() - t0;
        double sps = (double)(st.global_step - start_step) / (el > 0 ? el : 1e-9);
        cJSON *o = stats_json(&st, spec, el, sps);
        char *line = cJSON_PrintUnformatted(o);
        fprintf(log, "%s\n", line);
        fflush(log);
        free(line);
        cJSON_Delete(o);
        if (st.window) {
            fprintf(csv, "%ld,%ld,%.3f,%.1f,%.6g,%.6g", st.update, st.global_step, el, sps,
                    st.ep_return, st.ep_length);
            for (int t = 0; t < spec->n_terms; t++) fprintf(csv, ",%.6g", st.ep_terms[t]);
            fprintf(csv, "\n");
            fflush(csv);
        }
        char status[256] = "";
        if (st.window) {
            int k = snprintf(status, sizeof status, "return %.1f len %.0f", st.ep_return, st.ep_length);
            for (int t = 0; t < spec->n_terms && k < (int)sizeof status; t++)
                if (w[t] != 0)
                    k += snprintf(status + k, sizeof status - (size_t)k, " %s %.3g", spec->terms[t],
                                  st.ep_terms[t]);
        }
        rs_progress_update(&prog, (double)st.global_step, status);
        done_here++;
        if (io && cfg.save_every > 0 && st.update % cfg.save_every == 0 && save_all(p, dir) != 0) {
            fprintf(stderr, "\nrsoup train: saving: %s\n", rs_last_error());
            rc = 1;
            break;
        }
        if (max_updates > 0 && done_here >= max_updates) break;
    }
    fclose(log);
    fclose(csv);
    if (rc == 0 && io) {
        if (save_all(p, dir) != 0) {
            fprintf(stderr, "rsoup train: saving: %s\n", rs_last_error());
            rc = 1;
        } else {
            rs_progress_finish(&prog, (double)rs_ppo_global_step(p), "");
            if (g_stop)
                fprintf(stderr, "rsoup train: interrupted; saved %s at step %ld — continue with "
                                "'rsoup train --resume %s'\n", dir, rs_ppo_global_step(p), dir);
            else if (!quiet)
                fprintf(stderr, "rsoup train: saved %s/policy.safetensors (step %ld)\n", dir,
                        rs_ppo_global_step(p));
        }
    }
    if (json && rc == 0) {
        double el = rs_now() - t0;
        cJSON *o = stats_json(&st, spec, el, (double)(rs_ppo_global_step(p) - start_step) / (el > 0 ? el : 1e-9));
        cJSON_AddStringToObject(o, "dir", dir);
        rs_json_print(o);
    }
    rs_ppo_free(p);
    return rc ? rc : (g_stop ? 130 : 0);
}

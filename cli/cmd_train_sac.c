/* cmd_train_sac.c — `rsoup train --algo sac`: the SAC side of rsoup train,
 * with the same run directory as PPO (config.json, log.jsonl, progress.csv,
 * policy.safetensors, train.safetensors), progress, atomic checkpoints and
 * bit-exact resume (when the replay buffer is saved). cmd_train.c hands over
 * here when rs_train_wants_sac() says so. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "progress.h"
#include "rs_sac.h"

/* shared with cmd_train.c */
int rs_train_wants_sac(int argc, char **argv);
void rs_train_sac_help(FILE *f);
int cmd_train_sac(int argc, char **argv);

static volatile sig_atomic_t g_stop = 0;
static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

int rs_train_wants_sac(int argc, char **argv) {
    const char *resume = NULL, *config = NULL;
    for (int i = 1; i < argc; i++) /* --help is cmd_train's, for both algorithms */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 0;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--algo")) return !strcmp(argv[i + 1], "sac");
        if (!strcmp(argv[i], "--resume")) resume = argv[i + 1];
        if (!strcmp(argv[i], "--config")) config = argv[i + 1];
    }
    if (resume) {
        char path[1100], *js = NULL;
        int has;
        snprintf(path, sizeof path, "%s/train.safetensors", resume);
        int sac = rs_sac_peek_train(path, &js, &has) == 0;
        free(js);
        return sac;
    }
    if (config) {
        char *text = rs_read_file(config, NULL);
        cJSON *o = text ? cJSON_Parse(text) : NULL;
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "algo");
        int sac = cJSON_IsString(a) && !strcmp(a->valuestring, "sac");
        cJSON_Delete(o);
        free(text);
        return sac;
    }
    return 0;
}

void rs_train_sac_help(FILE *f) {
    fprintf(f,
            "\nSAC (--algo sac; CleanRL's sac_continuous_action): one iteration is log_every env\n"
            "steps and one line of log.jsonl / progress.csv; --save-every counts iterations;\n"
            "--max-iters K stops (and saves) after K iterations. policy.safetensors is the actor\n"
            "(what soups mix, identity observation normaliser); train.safetensors adds critics,\n"
            "targets, optimisers, log_alpha, RNG and env states, and the replay buffer only\n"
            "with --save-replay. --resume needs that buffer and refuses a run saved without it\n"
            "(the run could not continue exactly): continue such a run in a new one with\n"
            "--init DIR, which loads actor, critics, targets and log_alpha (and skips the\n"
            "random warm-up unless --random-steps says otherwise).\n"
            "\nSAC replay buffer: 4*(2*obs + act + 1) + 1 bytes per transition x buffer_size\n"
            "(pages are touched as it fills; --save-replay writes the filled part, and saving\n"
            "or resuming briefly needs about twice that):\n");
    rs_sac_config d;
    rs_sac_config_default(&d);
    for (int i = 0; i < rs_env_count(); i++) {
        const rs_env_spec *s = rs_env_spec_at(i);
        size_t b = rs_replay_bytes_per_transition(s->obs_dim, s->act_dim);
        double tot = (double)b * d.buffer_size;
        fprintf(f, "  %-12s %5zu B/transition  %8.1f MB at %.0e%s\n", s->name, b, tot / 1e6,
                (double)d.buffer_size, strcmp(s->name, d.env) ? "" : "  (default env)");
    }
    fprintf(f, "\nSAC hyperparameters (key, meaning, default; CleanRL defaults):\n");
    rs_sac_config_help(f);
    fprintf(
        f,
        "\nSAC examples:\n"
        "  rsoup train --algo sac --env halfcheetah --steps 1e6 --save-replay --out runs/hc_sac\n"
        "  rsoup train --resume runs/hc_sac\n"
        "  rsoup train --algo sac --env halfcheetah --reward risky --init runs/hc_sac "
        "--steps 3e5 --out runs/hc_risky\n");
}

static cJSON *stats_json(const rs_sac_stats *s, const rs_env_spec *spec, double elapsed,
                         double sps) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "iter", (double)s->iter);
    cJSON_AddNumberToObject(o, "step", (double)s->global_step);
    cJSON_AddNumberToObject(o, "time_s", elapsed);
    cJSON_AddNumberToObject(o, "steps_per_s", sps);
    cJSON_AddNumberToObject(o, "updates", (double)s->updates);
    cJSON_AddNumberToObject(o, "iter_s", s->iter_s);
    cJSON_AddNumberToObject(o, "update_s", s->update_s);
    cJSON_AddNumberToObject(o, "env_s", s->env_s);
    cJSON_AddNumberToObject(o, "act_s", s->act_s);
    if (s->iter_updates && s->update_s > 0)
        cJSON_AddNumberToObject(o, "updates_per_s", s->iter_updates / s->update_s);
    if (isfinite(s->q_loss)) {
        cJSON_AddNumberToObject(o, "q_loss", s->q_loss);
        cJSON_AddNumberToObject(o, "q1", s->q1);
        cJSON_AddNumberToObject(o, "q2", s->q2);
    }
    if (isfinite(s->actor_loss)) {
        cJSON_AddNumberToObject(o, "actor_loss", s->actor_loss);
        cJSON_AddNumberToObject(o, "entropy", s->entropy);
    }
    if (isfinite(s->alpha_loss)) cJSON_AddNumberToObject(o, "alpha_loss", s->alpha_loss);
    cJSON_AddNumberToObject(o, "alpha", s->alpha);
    cJSON_AddNumberToObject(o, "episodes", s->episodes);
    if (s->window) {
        cJSON_AddNumberToObject(o, "ep_return", s->ep_return);
        cJSON_AddNumberToObject(o, "ep_length", s->ep_length);
        cJSON_AddNumberToObject(o, "last_return", s->last_return);
        cJSON *t = cJSON_AddObjectToObject(o, "ep_terms");
        for (int k = 0; k < spec->n_terms; k++)
            cJSON_AddNumberToObject(t, spec->terms[k], s->ep_terms[k]);
    }
    return o;
}

static int save_all(rs_sac *p, const char *dir) {
    char path[1100];
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    if (rs_sac_save_train(p, path) != 0) return -1;
    snprintf(path, sizeof path, "%s/policy.safetensors", dir);
    return rs_policy_save(rs_sac_policy(p), path);
}

int cmd_train_sac(int argc, char **argv) {
    rs_sac_config cfg;
    rs_sac_config_default(&cfg);
    const char *out = NULL, *resume = NULL, *config = NULL;
    long max_iters = -1;
    int quiet = 0, json = 0;
    const char *keys[64], *vals[64];
    char keybuf[64][64];
    int nkv = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "rsoup train: unexpected argument '%s' (see --help)\n", a);
            return 2;
        }
        char key[64];
        snprintf(key, sizeof key, "%s", a + 2);
        for (char *c = key; *c; c++)
            if (*c == '-') *c = '_';
        if (!strcmp(key, "quiet") || !strcmp(key, "json") || !strcmp(key, "save_replay")) {
            if (key[0] == 'q')
                quiet = 1;
            else if (key[0] == 'j')
                json = 1;
            else
                keys[nkv] = "save_replay", vals[nkv++] = "1";
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "rsoup train: option '%s' needs a value\n", a);
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(key, "out"))
            out = v;
        else if (!strcmp(key, "resume"))
            resume = v;
        else if (!strcmp(key, "config"))
            config = v;
        else if (!strcmp(key, "algo")) {
            if (strcmp(v, "sac")) {
                fprintf(stderr, "rsoup train: --algo %s: this run is SAC\n", v);
                return 2;
            }
        } else if (!strcmp(key, "max_iters") || !strcmp(key, "max_updates")) {
            char *end;
            max_iters = strtol(v, &end, 10);
            if (*end || max_iters < 1) {
                fprintf(stderr, "rsoup train: --%s expects a positive integer\n", a + 2);
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
    const char *dir = resume ? resume : out;
    if (!dir) {
        fprintf(stderr, "rsoup train: give --out DIR (or --resume DIR); see --help\n");
        return 2;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/train.safetensors", dir);
    if (resume) {
        char *js = NULL;
        int has_replay = 0;
        if (rs_sac_peek_train(path, &js, &has_replay) != 0) return rs_cli_fail("resume");
        cJSON *o = cJSON_Parse(js);
        free(js);
        int rc = o ? rs_sac_config_from_json(&cfg, o, "train_config.") : -1;
        if (!o) rs_set_error("%s has no readable train_config metadata", path);
        cJSON_Delete(o);
        if (rc) return rs_cli_fail("resume");
        if (!has_replay) {
            fprintf(stderr,
                    "rsoup train: cannot resume %s: it was saved without its replay buffer, so "
                    "the run cannot continue exactly.\n  Continue from its actor and critics in "
                    "a new run instead:\n    rsoup train --algo sac --init %s --env %s --reward "
                    "'%s' --steps N --out NEWDIR\n  (pass --save-replay to runs you want to "
                    "resume)\n",
                    dir, dir, cfg.env, cfg.reward);
            return 1;
        }
        for (int k = 0; k < nkv; k++) {
            if (rs_sac_config_set(&cfg, keys[k], vals[k]) != 0) return rs_cli_fail(NULL);
            if (strcmp(keys[k], "total_steps") && strcmp(keys[k], "threads") &&
                strcmp(keys[k], "blas_threads") && strcmp(keys[k], "save_every") &&
                strcmp(keys[k], "save_replay")) {
                fprintf(stderr,
                        "rsoup train: --%s cannot change when resuming (only --steps, "
                        "--threads, --blas-threads, --save-every, --save-replay can)\n",
                        keys[k]);
                return 2;
            }
        }
    } else {
        if (config) {
            char *text = rs_read_file(config, NULL);
            if (!text) return rs_cli_fail("--config");
            cJSON *o = cJSON_Parse(text);
            if (!o) {
                fprintf(stderr, "rsoup train: --config %s is not valid JSON (near: %.40s)\n",
                        config, cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
                free(text);
                return 1;
            }
            free(text);
            char where[600];
            snprintf(where, sizeof where, "%s: ", config);
            int rc = rs_sac_config_from_json(&cfg, o, where);
            cJSON_Delete(o);
            if (rc) return rs_cli_fail(NULL);
        }
        for (int k = 0; k < nkv; k++)
            if (rs_sac_config_set(&cfg, keys[k], vals[k]) != 0) {
                fprintf(stderr, "rsoup train: --%s: %s\n", keys[k], rs_last_error());
                return 2;
            }
        if (rs_cli_exists(path)) {
            fprintf(stderr,
                    "rsoup train: %s already holds a run; continue it with --resume %s "
                    "or choose another --out\n",
                    dir, dir);
            return 1;
        }
    }
    const rs_env_spec *spec = rs_env_find(cfg.env);
    if (!spec) return rs_cli_fail(NULL);
    double w[RS_MAX_TERMS];
    if (rs_cli_reward(spec, cfg.reward, w) != 0) return rs_cli_fail(NULL);
    if (rs_sac_config_check(&cfg) != 0) return rs_cli_fail("config");
    if (!resume && rs_cli_mkdir_p(dir) != 0) {
        fprintf(stderr, "rsoup train: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }

    rs_sac *p = rs_sac_new(&cfg);
    if (!p) return rs_cli_fail("train");
    if (resume) {
        if (rs_sac_load_train(p, path) != 0) {
            rs_sac_free(p);
            return rs_cli_fail(NULL);
        }
    } else {
        if (cfg.init[0] && rs_sac_load_init(p, cfg.init) != 0) {
            rs_sac_free(p);
            return rs_cli_fail("--init");
        }
        char *js = rs_sac_config_to_json(&cfg);
        snprintf(path, sizeof path, "%s/config.json", dir);
        rs_cli_write_file(path, js, 1);
        free(js);
    }
    snprintf(path, sizeof path, "%s/log.jsonl", dir);
    FILE *log = fopen(path, resume ? "a" : "w");
    if (!log) {
        fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
        rs_sac_free(p);
        return 1;
    }
    /* the columns of PPO's progress.csv (plot scripts read step and ep_return) */
    snprintf(path, sizeof path, "%s/progress.csv", dir);
    int csv_new = !resume || !rs_cli_exists(path);
    FILE *csv = fopen(path, csv_new ? "w" : "a");
    if (!csv) {
        fprintf(stderr, "rsoup train: cannot write %s: %s\n", path, strerror(errno));
        fclose(log);
        rs_sac_free(p);
        return 1;
    }
    if (csv_new) {
        fprintf(csv, "iter,step,time_s,steps_per_s,ep_return,ep_length");
        for (int t = 0; t < spec->n_terms; t++)
            fprintf(csv, ",%s", spec->terms[t]);
        fprintf(csv, ",alpha,q_loss,updates_per_s\n");
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    rs_progress prog;
    char what[64];
    snprintf(what, sizeof what, "sac %s", cfg.env);
    long start_step = rs_sac_global_step(p);
    rs_progress_start(&prog, what, (double)cfg.total_steps);
    prog.quiet = quiet;
    if (!quiet) {
        const rs_replay *rb = rs_sac_replay(p);
        fprintf(stderr,
                "rsoup train: sac on %s, reward %s, %ld steps, seed %ld, batch %d, utd %g, replay "
                "%ld x %zu B = %.0f MB%s -> %s\n",
                cfg.env, cfg.reward, cfg.total_steps, cfg.seed, cfg.batch_size, cfg.utd,
                rb->capacity, rs_replay_bytes_per_transition(rb->obs_dim, rb->act_dim),
                (double)rb->capacity * rs_replay_bytes_per_transition(rb->obs_dim, rb->act_dim) /
                    1e6,
                cfg.save_replay ? " (saved with checkpoints)" : "", dir);
    }
    double t0 = rs_now();
    rs_sac_stats st = {0};
    long done_here = 0;
    int rc = 0;
    while (rs_sac_iter_index(p) < rs_sac_num_iters(p) && !g_stop) {
        if (rs_sac_iterate(p, &st) != 0) {
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
        double ups = st.iter_updates && st.update_s > 0 ? st.iter_updates / st.update_s : 0;
        if (st.window) {
            fprintf(csv, "%ld,%ld,%.3f,%.1f,%.6g,%.6g", st.iter, st.global_step, el, sps,
                    st.ep_return, st.ep_length);
            for (int t = 0; t < spec->n_terms; t++)
                fprintf(csv, ",%.6g", st.ep_terms[t]);
            fprintf(csv, ",%.6g,%.6g,%.1f\n", st.alpha, isfinite(st.q_loss) ? st.q_loss : 0.0, ups);
            fflush(csv);
        }
        char status[256] = "";
        if (st.window) {
            int k = snprintf(status, sizeof status, "return %.1f len %.0f alpha %.3g upd/s %.0f",
                             st.ep_return, st.ep_length, st.alpha, ups);
            for (int t = 0; t < spec->n_terms && k < (int)sizeof status; t++)
                if (w[t] != 0)
                    k += snprintf(status + k, sizeof status - (size_t)k, " %s %.3g", spec->terms[t],
                                  st.ep_terms[t]);
        }
        rs_progress_update(&prog, (double)st.global_step, status);
        done_here++;
        if (cfg.save_every > 0 && st.iter % cfg.save_every == 0 && save_all(p, dir) != 0) {
            fprintf(stderr, "\nrsoup train: saving: %s\n", rs_last_error());
            rc = 1;
            break;
        }
        if (max_iters > 0 && done_here >= max_iters) break;
    }
    fclose(log);
    fclose(csv);
    if (rc == 0) {
        if (save_all(p, dir) != 0) {
            fprintf(stderr, "rsoup train: saving: %s\n", rs_last_error());
            rc = 1;
        } else {
            rs_progress_finish(&prog, (double)rs_sac_global_step(p), "");
            if (g_stop && cfg.save_replay)
                fprintf(stderr,
                        "rsoup train: interrupted; saved %s at step %ld — continue with "
                        "'rsoup train --resume %s'\n",
                        dir, rs_sac_global_step(p), dir);
            else if (g_stop)
                fprintf(stderr,
                        "rsoup train: interrupted; saved %s at step %ld without the "
                        "replay buffer — continue from its weights with --init %s in a "
                        "new run\n",
                        dir, rs_sac_global_step(p), dir);
            else if (!quiet)
                fprintf(stderr, "rsoup train: saved %s/policy.safetensors (step %ld)\n", dir,
                        rs_sac_global_step(p));
        }
    }
    if (json && rc == 0) {
        double el = rs_now() - t0;
        cJSON *o = stats_json(&st, spec, el,
                              (double)(rs_sac_global_step(p) - start_step) / (el > 0 ? el : 1e-9));
        cJSON_AddStringToObject(o, "dir", dir);
        rs_json_print(o);
    }
    rs_sac_free(p);
    return rc ? rc : (g_stop ? 130 : 0);
}

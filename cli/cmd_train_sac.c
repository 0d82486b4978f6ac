/* cmd_train_sac.c — `rsoup train --algo sac`: the SAC side of rsoup train,
 * with the same run directory as PPO (config.json, log.jsonl, progress.csv,
 * policy.safetensors, train.safetensors), progress, atomic checkpoints and
 * bit-exact resume (when the replay buffer is saved). train_run.c runs it;
 * this file says when a run is SAC and has SAC's own lines. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "train_run.h"

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

void rs_train_sac_numbers(cJSON *o, const rs_sac_stats *s) {
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
}

void rs_train_sac_banner(const rs_train *r, const char *dir) {
    const rs_sac_config *c = &r->sac_cfg;
    const rs_replay *rb = rs_sac_replay(r->sac);
    size_t b = rs_replay_bytes_per_transition(rb->obs_dim, rb->act_dim);
    fprintf(stderr,
            "rsoup train: sac on %s, reward %s, %ld steps, seed %ld, batch %d, utd %g, replay "
            "%ld x %zu B = %.0f MB%s -> %s\n",
            c->env, c->reward, c->total_steps, c->seed, c->batch_size, c->utd, rb->capacity, b,
            (double)rb->capacity * b / 1e6, c->save_replay ? " (saved with checkpoints)" : "", dir);
}

int rs_train_sac_no_replay(const rs_train *r, const char *dir) {
    fprintf(stderr,
            "rsoup train: cannot resume %s: it was saved without its replay buffer, so "
            "the run cannot continue exactly.\n  Continue from its actor and critics in "
            "a new run instead:\n    rsoup train --algo sac --init %s --env %s --reward "
            "'%s' --steps N --out NEWDIR\n  (pass --save-replay to runs you want to "
            "resume)\n",
            dir, dir, r->sac_cfg.env, r->sac_cfg.reward);
    return 1;
}

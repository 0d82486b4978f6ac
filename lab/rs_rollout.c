/* rs_rollout.c — a random or zero policy on one env: `rsoup rollout`, and the
 * experiment report's zero-action floor. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_rollout.h"
#include "rs_vecenv.h"

int rs_rollout(const rs_env_spec *s, const char *model_path, const double *w, const char *policy,
               int episodes, int n_envs, int threads, uint64_t seed, rs_rollout_result *out) {
    rs_vecenv *v = rs_vecenv_new(s, model_path, n_envs, w, seed, NULL, threads);
    if (!v) return -1;
    rs_rng rng;
    rs_rng_seed(&rng, seed, 1u << 20);
    float *act = calloc((size_t)v->n * v->act_dim, sizeof(float));
    double *rets = calloc((size_t)episodes, sizeof(double));
    double *terms = calloc((size_t)episodes * s->n_terms, sizeof(double));
    if (!act || !rets || !terms) {
        free(act);
        free(rets);
        free(terms);
        rs_vecenv_free(v);
        rs_set_error("out of memory for %d episodes", episodes);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->spec = s;
    int done = 0, zero = !strcmp(policy, "zero");
    long steps = 0;
    double t0 = rs_now();
    while (done < episodes) {
        for (int k = 0; k < v->n * v->act_dim; k++)
            act[k] = zero ? 0.f : (float)rs_rng_uniform_range(&rng, -s->act_bound, s->act_bound);
        if (rs_vecenv_step(v, act) != 0) break;
        steps += v->n;
        for (int i = 0; i < v->n && done < episodes; i++) {
            if (!(v->terminated[i] || v->truncated[i])) continue;
            rets[done] = v->done_return[i];
            out->len_mean += v->done_len[i];
            for (int k = 0; k < s->n_terms; k++)
                terms[(size_t)done * s->n_terms + k] = v->done_terms[(size_t)i * s->n_terms + k];
            done++;
        }
    }
    double dt = rs_now() - t0;
    out->episodes = done;
    for (int i = 0; i < done; i++) out->ret_mean += rets[i] / done;
    for (int i = 0; i < done; i++) out->ret_std += (rets[i] - out->ret_mean) * (rets[i] - out->ret_mean) / done;
    out->ret_std = sqrt(out->ret_std);
    out->len_mean /= done ? done : 1;
    for (int k = 0; k < s->n_terms; k++) {
        double m = 0, q = 0;
        for (int e = 0; e < done; e++)
            m += terms[(size_t)e * s->n_terms + k];
        m /= done ? done : 1;
        for (int e = 0; e < done; e++) {
            double d = terms[(size_t)e * s->n_terms + k] - m;
            q += d * d;
        }
        out->terms_mean[k] = m;
        out->terms_std[k] = sqrt(q / (done ? done : 1));
    }
    out->steps_per_s = steps / (dt > 0 ? dt : 1e-9);
    free(act);
    free(rets);
    free(terms);
    rs_vecenv_free(v);
    return 0;
}


/* rs_env.c — the env core: registry, model loading, reset/step, rewards. */
#include "rs_env.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- registry: one spec per robot file ---- */
extern const rs_env_spec rs_spec_hopper, rs_spec_walker2d, rs_spec_halfcheetah, rs_spec_ant,
    rs_spec_humanoid, rs_spec_swimmer;

static const rs_env_spec *const g_specs[] = {&rs_spec_hopper,   &rs_spec_walker2d,
                                             &rs_spec_halfcheetah, &rs_spec_ant,
                                             &rs_spec_humanoid, &rs_spec_swimmer};
#define N_SPECS ((int)(sizeof g_specs / sizeof g_specs[0]))

int rs_env_count(void) { return N_SPECS; }

const rs_env_spec *rs_env_spec_at(int i) { return (i >= 0 && i < N_SPECS) ? g_specs[i] : NULL; }

const rs_env_spec *rs_env_find(const char *name) {
    for (int i = 0; i < N_SPECS; i++)
        if (name && strcmp(g_specs[i]->name, name) == 0) return g_specs[i];
    char list[256] = "";
    for (int i = 0; i < N_SPECS; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, g_specs[i]->name);
    }
    rs_set_error("unknown env '%s' (valid: %s)", name ? name : "(null)", list);
    return NULL;
}

int rs_env_term_index(const rs_env_spec *s, const char *term) {
    for (int i = 0; i < s->n_terms; i++)
        if (strcmp(s->terms[i], term) == 0) return i;
    return -1;
}

/* ---- MuJoCo error handling ----
 * The default mju_error prints, waits for Enter and exits. Ours records the
 * message; model loading goes through mj_loadXML's own error buffer, so a
 * bad file never reaches this handler. A real engine error mid-simulation is
 * unrecoverable: report it on stderr and abort. */
static _Thread_local char g_mj_warning[512];

static void on_mj_error(const char *msg) {
    fprintf(stderr, "rsoup: MuJoCo error: %s\n", msg);
    abort();
}

static void on_mj_warning(const char *msg) {
    snprintf(g_mj_warning, sizeof g_mj_warning, "%s", msg);
}

static pthread_once_t g_mj_once = PTHREAD_ONCE_INIT;
static void mj_init_once(void) {
    mju_user_error = on_mj_error;
    mju_user_warning = on_mj_warning;
}
void rs_mujoco_init(void) { pthread_once(&g_mj_once, mj_init_once); }

/* ---- models ---- */
typedef struct {
    const char *name;
    const char *text;
    size_t len;
} rs_asset;
extern const rs_asset rs_assets[];

static mjModel *load_embedded(const char *asset) {
    const rs_asset *a = NULL;
    for (int i = 0; rs_assets[i].name; i++)
        if (strcmp(rs_assets[i].name, asset) == 0) a = &rs_assets[i];
    if (!a) {
        rs_set_error("embedded model '%s' missing from this build", asset);
        return NULL;
    }
    mjVFS *vfs = rs_malloc(sizeof *vfs); /* ~2 MB: never on the stack */
    if (!vfs) return NULL;
    mj_defaultVFS(vfs);
    mjModel *m = NULL;
    if (mj_makeEmptyFileVFS(vfs, a->name, (int)a->len) != 0) {
        rs_set_error("cannot stage model '%s' in MuJoCo's VFS", asset);
    } else {
        int k = mj_findFileVFS(vfs, a->name);
        memcpy(vfs->filedata[k], a->text, a->len);
        char err[1000] = "";
        m = mj_loadXML(a->name, vfs, err, sizeof err);
        if (!m) rs_set_error("embedded model '%s': %s", asset, err);
    }
    mj_deleteVFS(vfs);
    free(vfs);
    return m;
}

/* check a model fits the robot: joints in qpos order, actuator count, bodies */
static int validate_model(const rs_env_spec *s, const mjModel *m, const char *path) {
    char want[512];
    snprintf(want, sizeof want, "%s", s->joints);
    int j = 0;
    for (char *save = NULL, *tok = strtok_r(want, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save), j++) {
        if (j >= m->njnt) {
            rs_set_error("model '%s' does not fit env '%s': it has %d joints, expected joint "
                         "'%s' at index %d (joints: %s)",
                         path, s->name, m->njnt, tok, j, s->joints);
            return -1;
        }
        const char *got = mj_id2name(m, mjOBJ_JOINT, j);
        if (!got || strcmp(got, tok) != 0) {
            rs_set_error("model '%s' does not fit env '%s': joint %d is '%s', expected '%s' "
                         "(joints in order: %s)",
                         path, s->name, j, got ? got : "(unnamed)", tok, s->joints);
            return -1;
        }
    }
    if (j != m->njnt) {
        rs_set_error("model '%s' does not fit env '%s': %d joints, expected %d (%s)", path,
                     s->name, m->njnt, j, s->joints);
        return -1;
    }
    if (m->nu != s->act_dim) {
        rs_set_error("model '%s' does not fit env '%s': %d actuators, expected %d", path,
                     s->name, m->nu, s->act_dim);
        return -1;
    }
    if (s->nbody && m->nbody != s->nbody) {
        rs_set_error("model '%s' does not fit env '%s': %d bodies, expected %d (the "
                     "observation includes per-body quantities)",
                     path, s->name, m->nbody, s->nbody);
        return -1;
    }
    return 0;
}

mjModel *rs_model_load(const rs_env_spec *s, const char *path) {
    rs_mujoco_init();
    mjModel *m;
    if (path) {
        /* a regular file, checked without blocking: a FIFO would hang the open */
        FILE *f = rs_fopen_regular(path, "rb");
        if (!f) {
            char m[RS_ERROR_MAX];
            snprintf(m, sizeof m, "%s", rs_last_error());
            rs_set_error("model file: %s", m);
            return NULL;
        }
        fclose(f);
        char err[1000] = "";
        m = mj_loadXML(path, NULL, err, sizeof err);
        if (!m) {
            rs_set_error("model '%s' does not load: %s", path, err);
            return NULL;
        }
    } else {
        m = load_embedded(s->asset);
        if (!m) return NULL;
    }
    if (validate_model(s, m, path ? path : s->asset) != 0) {
        mj_deleteModel(m);
        return NULL;
    }
    return m;
}

/* ---- env lifecycle ---- */
rs_env *rs_env_new(const rs_env_spec *s, mjModel *shared_model, const double *weights,
                   uint64_t seed, uint64_t stream) {
    rs_env *e = rs_calloc(1, sizeof *e);
    if (!e) return NULL;
    e->spec = s;
    if (shared_model) {
        e->m = shared_model;
    } else {
        e->m = rs_model_load(s, NULL);
        e->owns_model = 1;
        if (!e->m) {
            free(e);
            return NULL;
        }
    }
    e->d = mj_makeData(e->m);
    if (!e->d) {
        rs_set_error("mj_makeData failed for '%s'", s->name);
        rs_env_free(e);
        return NULL;
    }
    if (weights)
        memcpy(e->weights, weights, sizeof(double) * (size_t)s->n_terms);
    else if (rs_reward_parse(s, "default", e->weights) != 0) {
        rs_env_free(e);
        return NULL;
    }
    e->dt = e->m->opt.timestep * s->frame_skip;
    rs_env_seed(e, seed, stream);
    return e;
}

rs_env *rs_env_make(const char *name, const double *weights, uint64_t seed) {
    const rs_env_spec *s = rs_env_find(name);
    return s ? rs_env_new(s, NULL, weights, seed, 0) : NULL;
}

void rs_env_free(rs_env *e) {
    if (!e) return;
    if (e->d) mj_deleteData(e->d);
    if (e->owns_model && e->m) mj_deleteModel(e->m);
    free(e);
}

void rs_env_seed(rs_env *e, uint64_t seed, uint64_t stream) { rs_rng_seed(&e->rng, seed, stream); }

void rs_env_observe(const rs_env *e, float *obs) { e->spec->observe(e, obs); }

int rs_env_state_bad(const rs_env *e) {
    const mjModel *m = e->m;
    const mjData *d = e->d;
    for (int i = 0; i < m->nq; i++)
        if (!isfinite(d->qpos[i])) return 1;
    for (int i = 0; i < m->nv; i++)
        if (!isfinite(d->qvel[i])) return 1;
    return 0;
}

void rs_env_reset(rs_env *e, float *obs) {
    const mjModel *m = e->m;
    mjData *d = e->d;
    const rs_env_spec *s = e->spec;
    double c = s->noise_scale;
    mj_resetData(m, d);
    /* Gymnasium v4: qpos0 + U(±c); qvel U(±c), or N(0, c²) for the
     * cheetah-style robots (halfcheetah, ant) */
    for (int i = 0; i < m->nq; i++) d->qpos[i] = m->qpos0[i] + rs_rng_uniform_range(&e->rng, -c, c);
    for (int i = 0; i < m->nv; i++)
        d->qvel[i] = s->noise_kind == RS_NOISE_UNIFORM_NORMAL ? c * rs_rng_normal(&e->rng)
                                                              : rs_rng_uniform_range(&e->rng, -c, c);
    mj_forward(m, d);
    if (s->needs_contact_forces) mj_rnePostConstraint(m, d);
    e->t = 0;
    e->init_z = s->z_qpos >= 0 ? d->qpos[s->z_qpos] : 0.0;
    e->energy_acc = 0.0;
    if (s->on_reset) s->on_reset(e);
    if (obs) s->observe(e, obs);
}

int rs_env_step(rs_env *e, const float *action, float *obs, double *terms, double *reward,
                int *terminated, int *truncated) {
    const rs_env_spec *s = e->spec;
    const mjModel *m = e->m;
    mjData *d = e->d;
    for (int i = 0; i < s->act_dim; i++) {
        if (!isfinite(action[i])) {
            rs_set_error("%s: action[%d] is %g; non-finite actions never reach the simulation",
                         s->name, i, (double)action[i]);
            return -1;
        }
        d->ctrl[i] = action[i]; /* MuJoCo clamps to ctrlrange (ctrllimited) */
    }
    s->before(e);
    /* MuJoCo resets the data itself when the state blows up (bad qpos, qvel
     * or qacc); its warning counters are how we see that happened */
    int warn0 = d->warning[mjWARN_BADQPOS].number + d->warning[mjWARN_BADQVEL].number +
                d->warning[mjWARN_BADQACC].number;
    /* energy: mechanical power Σ|force·velocity| integrated over substeps */
    double energy = 0.0;
    for (int k = 0; k < s->frame_skip; k++) {
        mj_step(m, d);
        double p = 0.0;
        for (int i = 0; i < m->nu; i++) p += fabs(d->actuator_force[i] * d->actuator_velocity[i]);
        energy += p * m->opt.timestep;
    }
    e->energy_acc = energy;
    if (s->needs_contact_forces) mj_rnePostConstraint(m, d);
    e->t++;
    double tmp[RS_MAX_TERMS];
    double *tv = terms ? terms : tmp;
    /* the terms rs_terms.h's table computes, then the robot's own */
    for (int i = 0; i < s->n_terms; i++)
        if (s->term_fn[i]) tv[i] = s->term_fn[i](e, action);
    if (s->after) s->after(e, action, tv);
    int term = s->terminated ? s->terminated(e) : 0;
    int warn1 = d->warning[mjWARN_BADQPOS].number + d->warning[mjWARN_BADQVEL].number +
                d->warning[mjWARN_BADQACC].number;
    if (warn1 != warn0 || rs_env_state_bad(e)) term = 1; /* diverged: end the episode */
    double r = 0.0;
    for (int i = 0; i < s->n_terms; i++) r += e->weights[i] * tv[i];
    if (reward) *reward = r;
    if (terminated) *terminated = term;
    if (truncated) *truncated = !term && e->t >= RS_MAX_STEPS;
    if (obs) s->observe(e, obs);
    return 0;
}

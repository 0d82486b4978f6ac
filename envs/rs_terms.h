/* rs_terms.h — the reward terms and presets the robots share, each written
 * once, as X-macro tables (the way MuJoCo's mjxmacro.h lists its fields).
 * Internal to envs/ (and tests/test_envs.c).
 *
 * A robot file lists its terms, in the order it reports them, and its presets:
 *
 *     #define TERMS(T, W, O) T(FORWARD) T(HEALTHY) T(CTRL) W(JUMP, "its words") T(ENERGY)
 *     #define PRESETS(T, W, P) P(default, "forward=1,ctrl=0.1", "...") T(risky) T(cautious) ...
 *
 *   T(ID)              a table row as it stands: name, words and formula
 *   W(ID, doc)         a table row in the robot's own words (same name, same formula)
 *   O(ID, doc)         the row's name, measured by the robot's own after()
 *   P(name, spec, doc) a preset only this robot has
 *
 * and expands them with RS_TERM_IDS (its enum), RS_SPEC_TERMS and
 * RS_SPEC_PRESETS (its rs_env_spec fields). A term only one robot reports is
 * a row of the same shape in that robot's file (#define RS_TERM_SPIN(X) ...),
 * listed with T like the others. */
#ifndef RS_TERMS_H
#define RS_TERMS_H

#include <stddef.h>

#include "rs_env.h"

/* ---- terms: X(ID, name, doc, formula) ----
 * formula: the function the env core applies after every step (rs_env_step,
 * before the robot's after()), or RS_BY_ROBOT where each robot measures the
 * term its own way in after(). Costs are negative terms (docs/decisions.md). */
#define RS_BY_ROBOT NULL

#define RS_TERM_FORWARD(X)                                                                         \
    X(FORWARD, "forward", "x velocity of the torso (m/s)", rs_term_forward)
#define RS_TERM_HEALTHY(X)                                                                         \
    X(HEALTHY, "healthy", "1 per step while the episode runs", rs_term_healthy)
#define RS_TERM_CTRL(X) X(CTRL, "ctrl", "-sum(a^2)", rs_term_ctrl)
#define RS_TERM_Y_VELOCITY(X)                                                                      \
    X(Y_VELOCITY, "y_velocity", "y velocity of the torso (m/s)", rs_term_y_velocity)
#define RS_TERM_CONTACT(X)                                                                         \
    X(CONTACT, "contact", "-sum(external contact forces^2)", RS_BY_ROBOT)
#define RS_TERM_JUMP(X) X(JUMP, "jump", "torso height above its reset height (m)", rs_term_jump)
#define RS_TERM_ENERGY(X)                                                                          \
    X(ENERGY, "energy", "-sum |actuator force * joint velocity| * dt (J)", rs_term_energy)

/* the whole table, for whoever walks every row */
#define RS_TERMS(X)                                                                                \
    RS_TERM_FORWARD(X) RS_TERM_HEALTHY(X) RS_TERM_CTRL(X) RS_TERM_Y_VELOCITY(X)                    \
        RS_TERM_CONTACT(X) RS_TERM_JUMP(X) RS_TERM_ENERGY(X)

/* the shared formulas (rs_terms.c); a is the action as given, before MuJoCo's
 * clamp. forward and y_velocity are the rates of qpos[0] and qpos[1] (a slide
 * or free joint) over the step: the robot's before callback records them
 * (rs_record_x, rs_record_xy in rs_robot.h). */
rs_term_fn rs_term_forward;    /* (qpos[0] - before[0]) / dt */
rs_term_fn rs_term_y_velocity; /* (qpos[1] - before[1]) / dt */
rs_term_fn rs_term_healthy;    /* 1: v4 pays the bonus on every step, the last included */
rs_term_fn rs_term_ctrl;       /* -sum(a^2) */
rs_term_fn rs_term_jump;       /* qpos[z_qpos] - its value at reset */
rs_term_fn rs_term_energy;     /* -sum |actuator force * velocity| * timestep over the substeps */

/* ---- presets: X(name, spec, doc) ----
 * Written over the robot's velocity objective: a robot file defines
 * RS_VELOCITY, its v4 forward weight and healthy bonus as a term list
 * ("forward=1,healthy=1"), and RS_VELOCITY_DOC, the same in words
 * ("vx + healthy"), before its spec. risky and cautious keep the bonus
 * (docs/decisions.md). */
#define RS_PRESET_risky(X) X(risky, RS_VELOCITY, "velocity, no control cost")
#define RS_PRESET_cautious(X) X(cautious, RS_VELOCITY ",ctrl=1", "velocity - 1.0*sum(a^2)")
#define RS_PRESET_mo_velocity(X)                                                                   \
    X(mo_velocity, RS_VELOCITY, "MO-Gymnasium objective 1: " RS_VELOCITY_DOC)

#define RS_PRESETS(X) RS_PRESET_risky(X) RS_PRESET_cautious(X) RS_PRESET_mo_velocity(X)

/* what the docs promise on every robot (docs/design.md, "Env spec");
 * default is presets[0] */
#define RS_TERMS_EVERY_ROBOT "forward", "healthy", "ctrl", "energy"
#define RS_PRESETS_EVERY_ROBOT "default", "risky", "cautious", "mo_velocity", "mo_energy"

/* ---- expanding a robot's lists ---- */
#define RS_TERM_COL_NAME(ID, name, doc, formula) name,
#define RS_TERM_COL_DOC(ID, name, doc, formula) doc,
#define RS_TERM_COL_FORMULA(ID, name, doc, formula) formula,
#define RS_T_ID(ID) ID,
#define RS_W_ID(ID, doc) ID,
#define RS_T_ONE(ID) +1
#define RS_W_ONE(ID, doc) +1
#define RS_T_NAME(ID) RS_TERM_##ID(RS_TERM_COL_NAME)
#define RS_W_NAME(ID, doc) RS_TERM_##ID(RS_TERM_COL_NAME)
#define RS_T_DOC(ID) RS_TERM_##ID(RS_TERM_COL_DOC)
#define RS_W_DOC(ID, doc) doc,
#define RS_T_FORMULA(ID) RS_TERM_##ID(RS_TERM_COL_FORMULA)
#define RS_W_FORMULA(ID, doc) RS_TERM_##ID(RS_TERM_COL_FORMULA)
#define RS_O_FORMULA(ID, doc) RS_BY_ROBOT,

/* the robot's term indices: enum { RS_TERM_IDS(TERMS) }; */
#define RS_TERM_IDS(LIST) LIST(RS_T_ID, RS_W_ID, RS_W_ID)
/* its spec's n_terms, terms, term_docs and term_fn */
#define RS_SPEC_TERMS(LIST)                                                                        \
    .n_terms = 0 LIST(RS_T_ONE, RS_W_ONE, RS_W_ONE),                                               \
    .terms = {LIST(RS_T_NAME, RS_W_NAME, RS_W_NAME)},                                              \
    .term_docs = {LIST(RS_T_DOC, RS_W_DOC, RS_W_DOC)},                                             \
    .term_fn = {LIST(RS_T_FORMULA, RS_W_FORMULA, RS_O_FORMULA)}

#define RS_PRESET_ROW(name, spec, doc) {#name, spec, doc},
#define RS_PRESET_COL_SPEC(name, spec, doc) spec
#define RS_PT_ONE(name) +1
#define RS_PW_ONE(name, doc) +1
#define RS_PP_ONE(name, spec, doc) +1
#define RS_PT_ROW(name) RS_PRESET_##name(RS_PRESET_ROW)
#define RS_PW_ROW(name, doc) {#name, RS_PRESET_##name(RS_PRESET_COL_SPEC), doc},

/* its spec's n_presets and presets */
#define RS_SPEC_PRESETS(LIST)                                                                      \
    .n_presets = 0 LIST(RS_PT_ONE, RS_PW_ONE, RS_PP_ONE),                                          \
    .presets = {LIST(RS_PT_ROW, RS_PW_ROW, RS_PRESET_ROW)}

#endif

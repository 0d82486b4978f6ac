/* rs_rewardset.h — a set of proxy rewards as values: each a name, its spec
 * text and its weight vector over one env's terms.
 *
 * The one parser of a reward list (`--rewards`, with `--names` beside it):
 * every command, the runner and the viewer that take several rewards build
 * a set here, and a front file gives one back (rs_rewardset_of_front), so
 * nothing downstream re-parses a column name. A single spec stays
 * rs_reward_parse's.
 *
 * Names: letters, digits, '_' and '-' (as an experiment config's reward
 * names), at most RS_REWARD_NAME_MAX - 1 bytes, unique within a set. A set
 * without names names each reward by its spec, ',' written as ';' (the
 * front CSV's column rule), as every file before names existed. */
#ifndef RS_REWARDSET_H
#define RS_REWARDSET_H

#include "rs_env.h"
#include "rs_frontfile.h"

#define RS_REWARDSET_MAX 16
#define RS_REWARD_NAME_MAX 64

typedef struct rs_rewardset {
    int n;
    int named; /* 1 when the rewards were given names, 0 when each is named by its spec */
    char name[RS_REWARDSET_MAX][RS_REWARD_MAX_LEN + 1];
    char spec[RS_REWARDSET_MAX][RS_REWARD_MAX_LEN + 1];
    double w[RS_REWARDSET_MAX][RS_MAX_TERMS]; /* over the env's terms; 0 without an env */
} rs_rewardset;

/* 0 when name is a valid reward name, else -1 and an error naming it and
 * what it holds */
int rs_reward_name_check(const char *name);

/* Append one reward. name NULL: named by its spec. s NULL: the spec is kept
 * as text and not parsed (w stays 0). 0, or -1 (error naming the reward). */
int rs_rewardset_add(rs_rewardset *r, const rs_env_spec *s, const char *name, const char *spec);

/* Parse a reward list into r (emptied first): specs separated by ';', or by
 * ',' when the list holds neither ';' nor '=' ("risky,cautious"; a term list
 * "forward=1,ctrl=1" is one reward). names: NULL, or one name per reward,
 * ','-separated, in the list's order. 0, or -1 with an error naming the bad
 * spec or name, a repeated name or a count that differs. */
int rs_rewardset_parse(rs_rewardset *r, const rs_env_spec *s, const char *list, const char *names);

/* Give the rewards of r names (','-separated, one per reward). 0 or -1. */
int rs_rewardset_name(rs_rewardset *r, const char *names);

/* Index of the reward called name, or -1. */
int rs_rewardset_find(const rs_rewardset *r, const char *name);

/* The rewards a front scores, as the file gives them: its objectives' names
 * and specs (rs_front_obj_spec: a named file's "# reward NAME: SPEC" lines,
 * an older file's column names read back as specs), parsed over s's terms
 * when s is given. 0, or -1 (error naming the objective). */
int rs_rewardset_of_front(rs_rewardset *r, const rs_env_spec *s, const rs_front *f);

#endif

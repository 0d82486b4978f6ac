/* rs_config.h — hyperparameter tables: one table of fields (name, type,
 * offset in the config struct, help) drives defaults shown in --help,
 * `--KEY VALUE` flags, JSON configs (unknown keys and wrong types are errors
 * naming the key path) and the config.json written beside every run. */
#ifndef RS_CONFIG_H
#define RS_CONFIG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { RS_CFG_INT, RS_CFG_LONG, RS_CFG_DBL, RS_CFG_BOOL, RS_CFG_STR } rs_cfg_kind;

typedef struct rs_cfg_field {
    const char *name;
    rs_cfg_kind kind;
    size_t off, size;
    const char *help;
    /* NULL: always written to JSON. Else the name of an int field: this one
     * is written only while that one is not 0. For keys added after runs
     * were made whose default changes nothing: those runs' config.json and
     * checkpoints keep their bytes, and an old config still reads the same. */
    const char *only_if;
    /* NULL, or (string fields) the value with which the key is left out of
     * files, for the same reason: a key added later whose default changes
     * nothing */
    const char *omit_value;
} rs_cfg_field;

typedef struct rs_cfg_table {
    const rs_cfg_field *fields;
    int n;
    const char *label; /* in messages: "unknown <label>key" ("" or "SAC ") */
    const char *algo;  /* NULL, or the value an "algo" key must have (then written too) */
    int name_w, help_w; /* --help column widths */
} rs_cfg_table;

#define RS_CFG_FIELD(type, name, kind, help)                                                       \
    { #name, kind, offsetof(type, name), sizeof(((type *)0)->name), help, NULL, NULL }
/* a field written only while the int field `cond` is not 0 (only_if above) */
#define RS_CFG_FIELD_IF(type, name, kind, help, cond)                                              \
    { #name, kind, offsetof(type, name), sizeof(((type *)0)->name), help, cond, NULL }
/* a string field written only while its value is not `value` (omit_value) */
#define RS_CFG_FIELD_UNLESS(type, name, help, value)                                               \
    { #name, RS_CFG_STR, offsetof(type, name), sizeof(((type *)0)->name), help, NULL, value }

/* the fields every trainer's config starts with (same names, kinds, help) */
#define RS_CFG_RUN_FIELDS(type)                                                                    \
    RS_CFG_FIELD(type, env, RS_CFG_STR, "environment"),                                            \
        RS_CFG_FIELD(type, reward, RS_CFG_STR, "reward spec (preset, term list or mix)"),          \
        RS_CFG_FIELD(type, model, RS_CFG_STR,                                                      \
                     "MJCF file replacing the embedded model (\"\" = embedded)"),                  \
        RS_CFG_FIELD(type, total_steps, RS_CFG_LONG, "env steps in total"),                        \
        RS_CFG_FIELD(type, seed, RS_CFG_LONG, "run seed")

/* JSON text as rsoup reads a config: one value, then nothing but white
 * space, and no object that holds a key twice. cJSON keeps both copies of a
 * repeated key and a lookup sees the first, so '"seeds": [1, 2], "seeds":
 * [3]' would silently plan seeds 1 and 2. The parsed value (a cJSON *; the
 * caller deletes it), or NULL and an error "<where>: line N: ..." naming
 * the fault or the repeated key's path. */
void *rs_json_parse(const char *text, const char *where);
/* the repeated-key rule alone, on JSON already parsed (every object at any
 * depth): 0, or -1 and the error "<where><path>: given twice ..." */
int rs_json_unique_keys(const void *cjson, const char *where);

/* one key from text ("lr", "3e-4"); -1 + error when unknown or malformed */
int rs_cfg_set(const rs_cfg_table *t, void *cfg, const char *key, const char *value);
/* a JSON object of keys; `where` prefixes error paths ("file.json: ppo.");
 * a key given twice is an error, like an unknown one */
int rs_cfg_from_json(const rs_cfg_table *t, void *cfg, const void *cjson_obj, const char *where);
/* the whole config as JSON text (caller frees), less the only_if fields
 * whose condition is 0 and the omit_value fields that hold that value */
char *rs_cfg_to_json(const rs_cfg_table *t, const void *cfg);
/* one line per key (every one): name, help, the default value */
void rs_cfg_help(const rs_cfg_table *t, const void *defaults, FILE *out);

#endif

/* json_out.c — what every subcommand shares in how it answers: the one
 * shape --json gives a quantity per reward or per term (docs/formats.md,
 * "JSON output": a list, in the command's order, of objects that name their
 * reward ("reward": spec) or term ("name": term) and carry the numbers), and
 * the exit status of a command line that asks for something wrong. */
#include <math.h>
#include <stdio.h>

#include "cli.h"

static void add_num(cJSON *o, const char *key, double v) {
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *rs_cli_json_named(cJSON *list, const char *key, const char *name) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, key, name);
    cJSON_AddItemToArray(list, o);
    return o;
}

cJSON *rs_cli_json_stat(cJSON *list, const char *key, const char *name, double mean, double std) {
    cJSON *o = rs_cli_json_named(list, key, name);
    add_num(o, "mean", mean);
    add_num(o, "std", std);
    return o;
}

cJSON *rs_cli_json_value(cJSON *list, const char *key, const char *name, const char *vkey,
                         double v) {
    cJSON *o = rs_cli_json_named(list, key, name);
    add_num(o, vkey, v);
    return o;
}

int rs_cli_bad_arg(const char *cmd) {
    fprintf(stderr, "rsoup %s: %s\n", cmd, rs_last_error());
    return 2;
}

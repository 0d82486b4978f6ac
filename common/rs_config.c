/* rs_config.c — table-driven hyperparameters (see rs_config.h). */
#include "rs_config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_common.h"

static const rs_cfg_field *find(const rs_cfg_table *t, const char *key) {
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->fields[i].name, key)) return &t->fields[i];
    return NULL;
}

static void unknown_key(const rs_cfg_table *t, const char *where, const char *key) {
    char list[1024] = "";
    for (int i = 0; i < t->n; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, t->fields[i].name);
    }
    rs_set_error("%s%s: unknown %skey (valid: %s)", where, key, t->label, list);
}

int rs_cfg_set(const rs_cfg_table *t, void *cfg, const char *key, const char *value) {
    const rs_cfg_field *f = find(t, key);
    if (!f) {
        unknown_key(t, "", key);
        return -1;
    }
    char *base = (char *)cfg + f->off, *end;
    switch (f->kind) {
    case RS_CFG_STR:
        if (strlen(value) >= f->size) {
            rs_set_error("%s: value too long (max %zu characters)", key, f->size - 1);
            return -1;
        }
        strcpy(base, value);
        return 0;
    case RS_CFG_BOOL:
        if (!strcmp(value, "1") || !strcmp(value, "true")) *(int *)base = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false")) *(int *)base = 0;
        else {
            rs_set_error("%s: expected true/false, got '%s'", key, value);
            return -1;
        }
        return 0;
    case RS_CFG_INT:
    case RS_CFG_LONG: {
        double v = strtod(value, &end);
        if (end == value || *end || v != floor(v) || fabs(v) > 4e18 ||
            (f->kind == RS_CFG_INT && fabs(v) > 2e9)) {
            rs_set_error("%s: expected an integer, got '%s'", key, value);
            return -1;
        }
        if (f->kind == RS_CFG_INT) *(int *)base = (int)v;
        else *(long *)base = (long)v;
        return 0;
    }
    case RS_CFG_DBL: {
        double v = strtod(value, &end);
        if (end == value || *end || !isfinite(v)) {
            rs_set_error("%s: expected a number, got '%s'", key, value);
            return -1;
        }
        *(double *)base = v;
        return 0;
    }
    }
    return -1;
}

static int cmp_keys(const void *a, const void *b) {
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* the path of a key in messages: "ppo.lr", "runs[2].seed" */
static int unique_keys(const cJSON *v, char *path, size_t cap, const char *where) {
    size_t len = strlen(path);
    if (cJSON_IsArray(v)) {
        int i = 0;
        for (const cJSON *it = v->child; it; it = it->next, i++) {
            snprintf(path + len, cap - len, "[%d]", i);
            if (unique_keys(it, path, cap, where)) return -1;
        }
        path[len] = 0;
        return 0;
    }
    if (!cJSON_IsObject(v)) return 0;
    int n = 0;
    for (const cJSON *it = v->child; it; it = it->next) n++;
    /* sorted, so that an object of many keys costs n log n, not n² */
    const cJSON **keys = rs_malloc(sizeof *keys * (size_t)(n ? n : 1));
    if (!keys) return -1;
    n = 0;
    for (const cJSON *it = v->child; it; it = it->next) keys[n++] = it;
    qsort(keys, (size_t)n, sizeof *keys, cmp_keys);
    for (int i = 1; i < n; i++)
        if (!strcmp(keys[i - 1]->string, keys[i]->string)) {
            rs_set_error("%s%s%s%s: given twice (JSON keeps one of them, silently: remove the "
                         "other)",
                         where, path, len ? "." : "", keys[i]->string);
            free(keys);
            return -1;
        }
    free(keys);
    for (const cJSON *it = v->child; it; it = it->next) {
        snprintf(path + len, cap - len, "%s%s", len ? "." : "", it->string);
        if (unique_keys(it, path, cap, where)) return -1;
    }
    path[len] = 0;
    return 0;
}

int rs_json_unique_keys(const void *cjson, const char *where) {
    char path[1024] = "";
    return unique_keys(cjson, path, sizeof path, where ? where : "");
}

void *rs_json_parse(const char *text, const char *where) {
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 0);
    const char *at = NULL, *why = NULL;
    if (!root) {
        at = cJSON_GetErrorPtr();
        why = "not valid JSON";
    } else {
        const char *t = end;
        while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') t++;
        if (*t) at = t, why = "text after the JSON value";
    }
    if (why) {
        int line = 1;
        for (const char *q = text; at && q < at; q++) line += *q == '\n';
        rs_set_error("%s: line %d: %s (near '%.30s')", where, line, why, at ? at : "?");
        cJSON_Delete(root);
        return NULL;
    }
    char w[600];
    snprintf(w, sizeof w, "%s: ", where);
    if (rs_json_unique_keys(root, w) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

int rs_cfg_from_json(const rs_cfg_table *t, void *cfg, const void *obj, const char *where) {
    const cJSON *o = obj;
    if (!cJSON_IsObject(o)) {
        rs_set_error("%s: expected a JSON object", where);
        return -1;
    }
    if (rs_json_unique_keys(o, where) != 0) return -1;
    for (const cJSON *it = o->child; it; it = it->next) {
        /* "algo" selects the trainer; it is not a hyperparameter */
        if (t->algo && !strcmp(it->string, "algo")) {
            if (!cJSON_IsString(it) || strcmp(it->valuestring, t->algo)) {
                rs_set_error("%salgo: this is a %s config, got %s", where, t->algo,
                             cJSON_IsString(it) ? it->valuestring : "a non-string");
                return -1;
            }
            continue;
        }
        const rs_cfg_field *f = find(t, it->string);
        if (!f) {
            unknown_key(t, where, it->string);
            return -1;
        }
        char *base = (char *)cfg + f->off;
        const char *want = NULL;
        switch (f->kind) {
        case RS_CFG_STR:
            if (!cJSON_IsString(it)) want = "a string";
            else if (strlen(it->valuestring) >= f->size) want = "a shorter string";
            else strcpy(base, it->valuestring);
            break;
        case RS_CFG_BOOL:
            if (cJSON_IsBool(it)) *(int *)base = cJSON_IsTrue(it);
            else want = "true or false";
            break;
        case RS_CFG_INT:
        case RS_CFG_LONG:
            if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble) ||
                fabs(it->valuedouble) > (f->kind == RS_CFG_INT ? 2e9 : 4e18))
                want = "an integer";
            else if (f->kind == RS_CFG_INT) *(int *)base = (int)it->valuedouble;
            else *(long *)base = (long)it->valuedouble;
            break;
        case RS_CFG_DBL:
            if (cJSON_IsNumber(it)) *(double *)base = it->valuedouble;
            else want = "a number";
            break;
        }
        if (want) {
            rs_set_error("%s%s: expected %s", where, it->string, want);
            return -1;
        }
    }
    return 0;
}

/* the config as a JSON object: every field (all), or those written to files */
static cJSON *to_obj(const rs_cfg_table *t, const void *cfg, int all) {
    cJSON *o = cJSON_CreateObject();
    if (t->algo) cJSON_AddStringToObject(o, "algo", t->algo);
    for (int i = 0; i < t->n; i++) {
        const rs_cfg_field *f = &t->fields[i];
        const char *base = (const char *)cfg + f->off;
        if (!all && f->only_if) {
            const rs_cfg_field *c = find(t, f->only_if);
            if (c && c->kind == RS_CFG_INT && *(const int *)((const char *)cfg + c->off) == 0)
                continue;
        }
        if (!all && f->omit_value && f->kind == RS_CFG_STR && !strcmp(base, f->omit_value))
            continue;
        switch (f->kind) {
        case RS_CFG_STR: cJSON_AddStringToObject(o, f->name, base); break;
        case RS_CFG_BOOL: cJSON_AddBoolToObject(o, f->name, *(const int *)base); break;
        case RS_CFG_INT: cJSON_AddNumberToObject(o, f->name, *(const int *)base); break;
        case RS_CFG_LONG: cJSON_AddNumberToObject(o, f->name, (double)*(const long *)base); break;
        case RS_CFG_DBL: cJSON_AddNumberToObject(o, f->name, *(const double *)base); break;
        }
    }
    return o;
}

char *rs_cfg_to_json(const rs_cfg_table *t, const void *cfg) {
    cJSON *o = to_obj(t, cfg, 0);
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}

void rs_cfg_help(const rs_cfg_table *t, const void *defaults, FILE *out) {
    cJSON *o = to_obj(t, defaults, 1);
    for (int i = 0; i < t->n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, t->fields[i].name);
        char *vs = cJSON_PrintUnformatted(v);
        fprintf(out, "  %-*s %-*s %s\n", t->name_w, t->fields[i].name, t->help_w, t->fields[i].help, vs);
        free(vs);
    }
    cJSON_Delete(o);
}

/* cli_util.c — option parsing and output helpers for the subcommands. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static rs_opt *find_opt(rs_opt *opts, int nopts, const char *name, size_t len) {
    for (int i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) return &opts[i];
    return NULL;
}

void rs_cli_usage(const rs_cmd_info *info, const rs_opt *opts, int nopts, FILE *f) {
    fprintf(f, "usage: %s\n\n%s\n", info->usage, info->description);
    if (nopts) fprintf(f, "\noptions:\n");
    for (int i = 0; i < nopts; i++) {
        char left[64];
        if (opts[i].metavar)
            snprintf(left, sizeof left, "--%s %s", opts[i].name, opts[i].metavar);
        else
            snprintf(left, sizeof left, "--%s", opts[i].name);
        fprintf(f, "  %-24s %s", left, opts[i].help);
        if (opts[i].def) fprintf(f, " (default: %s)", opts[i].def);
        fprintf(f, "\n");
    }
    fprintf(f, "  %-24s %s\n", "--help", "show this help");
    if (info->epilog) fprintf(f, "\n%s\n", info->epilog);
}

int rs_cli_parse(const rs_cmd_info *info, rs_opt *opts, int nopts, int argc, char **argv,
                 const char **pos, int *npos, int maxpos) {
    int np = 0;
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            rs_cli_usage(info, opts, nopts, stdout);
            return 1;
        }
        if (!only_pos && a[0] == '-' && a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            rs_opt *o = find_opt(opts, nopts, name, len);
            if (!o) {
                fprintf(stderr, "rsoup %s: unknown option '--%.*s' (see 'rsoup %s --help')\n",
                        info->name, (int)len, name, info->name);
                return -1;
            }
            if (o->metavar) {
                if (eq) {
                    o->value = eq + 1;
                } else if (i + 1 < argc) {
                    o->value = argv[++i];
                } else {
                    fprintf(stderr, "rsoup %s: option '--%s' needs a value (%s)\n", info->name,
                            o->name, o->metavar);
                    return -1;
                }
                /* paths and lists are copied into fixed buffers: refuse what
                 * would not fit rather than cut it */
                int is_path = !strcmp(o->metavar, "FILE") || !strcmp(o->metavar, "DIR");
                size_t vl = strlen(o->value), cap = is_path ? RS_PATH_MAX : RS_CLI_ARG_MAX;
                if (vl > cap) {
                    fprintf(stderr, "rsoup %s: the value of --%s has %zu characters; at most %zu are taken\n",
                            info->name, o->name, vl, cap);
                    return -1;
                }
            } else if (eq) {
                fprintf(stderr, "rsoup %s: option '--%s' takes no value\n", info->name, o->name);
                return -1;
            }
            o->set = 1;
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] != 0 && !(a[1] >= '0' && a[1] <= '9')) {
            fprintf(stderr, "rsoup %s: unknown option '%s' (options are --long; see --help)\n",
                    info->name, a);
            return -1;
        }
        if (np >= maxpos) {
            fprintf(stderr, "rsoup %s: unexpected argument '%s' (see 'rsoup %s --help')\n",
                    info->name, a, info->name);
            return -1;
        }
        if (strlen(a) > RS_PATH_MAX) {
            fprintf(stderr, "rsoup %s: an argument of %zu characters is too long (at most %d)\n",
                    info->name, strlen(a), RS_PATH_MAX);
            return -1;
        }
        pos[np++] = a;
    }
    if (npos) *npos = np;
    return 0;
}

static const rs_opt *get(const rs_opt *opts, int nopts, const char *name) {
    for (int i = 0; i < nopts; i++)
        if (strcmp(opts[i].name, name) == 0) return &opts[i];
    return NULL;
}

const char *rs_opt_str(const rs_opt *opts, int nopts, const char *name) {
    const rs_opt *o = get(opts, nopts, name);
    if (!o) return NULL;
    return o->set ? o->value : o->def;
}

int rs_opt_flag(const rs_opt *opts, int nopts, const char *name) {
    const rs_opt *o = get(opts, nopts, name);
    return o && o->set;
}

int rs_opt_long(const rs_opt *opts, int nopts, const char *name, long lo, long hi, long *out) {
    const char *s = rs_opt_str(opts, nopts, name);
    if (!s) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end); /* accepts 1e6 as well as 1000000 */
    if (end == s || *end || errno || v != floor(v) || v < (double)lo || v > (double)hi) {
        fprintf(stderr, "rsoup: --%s expects an integer in [%ld, %ld], got '%s'\n", name, lo, hi,
                s);
        return -1;
    }
    *out = (long)v;
    return 0;
}

int rs_opt_double(const rs_opt *opts, int nopts, const char *name, double *out) {
    const char *s = rs_opt_str(opts, nopts, name);
    if (!s) return -1;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v)) {
        fprintf(stderr, "rsoup: --%s expects a number, got '%s'\n", name, s);
        return -1;
    }
    *out = v;
    return 0;
}

int rs_cli_fail(const char *context) {
    fprintf(stderr, "rsoup: %s%s%s\n", context ? context : "", context ? ": " : "",
            rs_last_error());
    return 1;
}

void rs_json_print(cJSON *obj) {
    char *s = cJSON_Print(obj);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
    cJSON_Delete(obj);
}

int rs_cli_reward(const rs_env_spec *s, const char *text, double *w) {
    if (rs_reward_parse(s, text, w) != 0) return -1;
    rs_cli_reward_warn(s, w);
    return 0;
}

void rs_cli_reward_warn(const rs_env_spec *s, const double *w) {
    /* terms that are costs are already negative (ctrl = -Σa²): a negative
     * weight on them pays the policy for effort, which is rarely meant */
    for (int i = 0; i < s->n_terms; i++) {
        const char *t = s->terms[i];
        if (w[i] < 0 && (!strcmp(t, "ctrl") || !strcmp(t, "energy") || !strcmp(t, "contact")))
            fprintf(stderr,
                    "rsoup: warning: '%s' is already a cost (%s); weight %g rewards it. Use a "
                    "positive weight to penalise, e.g. %s=%g\n",
                    t, s->term_docs[i], w[i], t, -w[i]);
    }
}

int rs_stderr_tty(void) { return isatty(2); }

void rs_cli_print_mix_error(const char *cmd, const char *const *paths, int n) {
    const char *e = rs_last_error();
    fprintf(stderr, "rsoup %s: cannot mix: ", cmd);
    while (*e) {
        int k = -1, used = 0;
        if (strncmp(e, "expert ", 7) == 0 && isdigit((unsigned char)e[7]) &&
            sscanf(e + 7, "%d%n", &k, &used) == 1 && k >= 0 && k < n) {
            fprintf(stderr, "expert %d (%s)", k, paths[k]);
            e += 7 + used;
            continue;
        }
        fputc(*e++, stderr);
    }
    fputc('\n', stderr);
}

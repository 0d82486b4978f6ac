/* fuzz_paths.c — the experiment runner's paths and names as the programs it
 * hands them see them. The input is at once:
 *   - a config "name": accepted only as one plain path component (checked
 *     here by what it may not hold, not by rs_exp_name_check's own list),
 *     through rs_exp_name_check and through the config parser alike;
 *   - an --out path: every job's command line as --dry-run prints it for a
 *     shell (rs_exp_job_command), read back by the POSIX shell's rules, is
 *     the job's arguments exactly, with nothing the shell would expand;
 *   - a plot's text: what plot_str (experiments/plot_common.sh) makes of it,
 *     read by gnuplot, prints back as the text (a ' as ’, a control
 *     character as a space) and nothing else, and creates nothing.
 * The gnuplot part needs bash, gnuplot and the source tree (the current
 * folder, as scripts/fuzz.sh runs it, or $RSOUP_SRC); without them it is
 * skipped, with a note. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "rs_experiment.h"
#include "fuzz_common.h"

/* ---- names ---- */

/* what a folder name handed to the shell, gnuplot or the file system must
 * not hold: a way up or across (/, . and .. as a whole), a leading '-'
 * (an option), control bytes, quotes and every shell or gnuplot operator */
static void check_name(const char *s) {
    if (!*s || !strcmp(s, ".") || !strcmp(s, "..") || s[0] == '-' || s[0] == '.') abort();
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || strchr("/'\"`$\\;&|<>(){}[]*?!~# \t@=", *p)) abort();
}

static void fuzz_name(const char *s) {
    if (rs_exp_name_check(s) == 0) check_name(s);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", s);
    cJSON_AddStringToObject(o, "env", "hopper");
    cJSON *rw = cJSON_AddObjectToObject(o, "rewards");
    cJSON_AddStringToObject(rw, "a", "risky");
    cJSON_AddStringToObject(rw, "b", "cautious");
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    rs_exp_config *c = calloc(1, sizeof *c);
    if (!text || !c) abort();
    if (rs_exp_config_parse(text, "fuzz.json", c) == 0) check_name(c->name);
    free(c);
    free(text);
}

/* ---- command lines ---- */

/* the words a POSIX shell reads from line, for lines as rs_exp_job_command
 * writes them: words between spaces, '...' quoted, \' a quote. Any other
 * character outside quotes that the shell would act on (an expansion, a
 * redirection, a second command, a comment, a glob, a line break) aborts:
 * the shell would not read back the words that were written. words[] gets
 * owned strings; returns their count. */
static int shell_words(const char *line, char **words, int max) {
    static const char plain[] = "-_./=,:+@%";
    int n = 0;
    const char *p = line;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        size_t cap = strlen(p) + 1, k = 0;
        char *w = malloc(cap);
        if (!w || n == max) abort();
        while (*p && *p != ' ') {
            if (*p == '\'') {
                const char *e = strchr(p + 1, '\'');
                if (!e) abort(); /* an unterminated quote */
                memcpy(w + k, p + 1, (size_t)(e - p - 1));
                k += (size_t)(e - p - 1);
                p = e + 1;
            } else if (*p == '\\' && p[1] == '\'') {
                w[k++] = '\'';
                p += 2;
            } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9') || strchr(plain, *p)) {
                w[k++] = *p++;
            } else {
                abort(); /* the shell would act on it */
            }
        }
        w[k] = 0;
        words[n++] = w;
    }
    return n;
}

static rs_exp_config g_cfg;
static char g_line[1 << 16];

static void fuzz_out(const char *out) {
    if (!g_cfg.env[0]) {
        static const char *cfg =
            "{\"name\": \"paths\", \"env\": \"hopper\", \"seeds\": [1, 2], \"rewards\": "
            "{\"risky\": "
            "\"risky\", \"cautious\": \"cautious\"}, \"pretrain\": {\"steps\": 256}, \"finetune\": "
            "{\"steps\": 256}, \"ppo\": {\"n_steps\": 64}, \"morl\": {\"mu\": [0.5]}, \"control\": "
            "true}";
        if (rs_exp_config_parse(cfg, "fuzz.json", &g_cfg) != 0) abort();
    }
    rs_job_graph g;
    if (rs_exp_graph_build(&g_cfg, out, &g) == 0) {
        for (int i = 0; i < g.n; i++) {
            const rs_job *j = &g.jobs[i];
            rs_exp_job_command(j, g_line, sizeof g_line);
            char *w[256];
            int n = shell_words(g_line, w, 256);
            if (n != j->nargs + 1 || strcmp(w[0], "rsoup")) abort();
            for (int a = 0; a < j->nargs; a++)
                if (strcmp(w[a + 1], j->args[a])) abort();
            for (int a = 0; a < n; a++)
                free(w[a]);
        }
    }
    rs_exp_graph_free(&g);
}

/* ---- plot text ---- */

static int g_to = -1, g_from = -1, g_gp_off;
static char *g_prev; /* the text before, reported when gnuplot dies */
static char g_scratch[PATH_MAX];

/* one line from the helper up to its NUL; NULL when it is gone */
static char *helper_say(const char *text) {
    size_t n = strlen(text) + 1;
    if (write(g_to, text, n) != (ssize_t)n) return NULL;
    size_t cap = 256, k = 0;
    char *s = malloc(cap);
    for (;;) {
        char c;
        if (!s || read(g_from, &c, 1) != 1) {
            free(s);
            return NULL;
        }
        if (!c) break;
        if (k + 1 == cap) s = realloc(s, cap *= 2);
        if (s) s[k++] = c;
    }
    s[k] = 0;
    return s;
}

static void remove_scratch(void) { rmdir(g_scratch); }

static void start_helper(void) {
    const char *src = getenv("RSOUP_SRC") ? getenv("RSOUP_SRC") : ".";
    char common[PATH_MAX], helper[PATH_MAX], p[PATH_MAX];
    snprintf(p, sizeof p, "%s/experiments/plot_common.sh", src);
    int have = realpath(p, common) != NULL;
    snprintf(p, sizeof p, "%s/tests/fuzz/plot_text.sh", src);
    have = have && realpath(p, helper) != NULL;
    snprintf(g_scratch, sizeof g_scratch, "/tmp/rsoup_fuzz_paths_%d", (int)getpid());
    int to[2], from[2];
    if (!have || mkdir(g_scratch, 0700) != 0 || pipe(to) || pipe(from)) {
        fprintf(stderr, "fuzz_paths: no experiments/plot_common.sh here (run from the source tree "
                        "or set RSOUP_SRC): the gnuplot part is skipped\n");
        g_gp_off = 1;
        return;
    }
    atexit(remove_scratch);
    signal(SIGPIPE, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[1]);
        close(from[0]);
        if (chdir(g_scratch) != 0) _exit(127);
        execlp("bash", "bash", helper, common, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    g_to = to[1];
    g_from = from[0];
    char *probe = pid > 0 ? helper_say("probe") : NULL;
    if (!probe || strcmp(probe, "probe\n")) {
        fprintf(stderr,
                "fuzz_paths: bash or gnuplot does not answer (%s): the gnuplot part is "
                "skipped\n",
                probe ? probe : "no reply");
        g_gp_off = 1;
    }
    free(probe);
}

static void fuzz_plot_text(const char *text) {
    if (g_to < 0 && !g_gp_off) start_helper();
    if (g_gp_off) return;
    /* what gnuplot must print: the text, a ' as ’, control bytes as spaces */
    size_t n = strlen(text);
    char *want = malloc(3 * n + 2), *w = want;
    if (!want) abort();
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\'') {
            memcpy(w, "\xe2\x80\x99", 3);
            w += 3;
        } else {
            *w++ = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
        }
    }
    *w++ = '\n';
    *w = 0;
    char *got = helper_say(text);
    if (!got || strcmp(got, want)) {
        fprintf(stderr, "fuzz_paths: gnuplot printed\n%s\ninstead of\n%s\n",
                got ? got : "(nothing: it died)", want);
        /* a gnuplot that died may have been killed by the text before */
        if (!got) fprintf(stderr, "fuzz_paths: the text before was\n%s\n", g_prev ? g_prev : "");
        abort();
    }
    free(g_prev);
    g_prev = strdup(text);
    /* and ran nothing: its folder stays empty */
    DIR *d = opendir(g_scratch);
    if (!d) abort();
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            fprintf(stderr, "fuzz_paths: gnuplot created %s\n", e->d_name);
            abort();
        }
    closedir(d);
    free(got);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* a path or a name is a C string: up to the first NUL, of bounded size */
    char *s = fuzz_text(data, size > 2048 ? 2048 : size);
    fuzz_name(s);
    fuzz_out(s);
    fuzz_plot_text(s);
    free(s);
    return 0;
}

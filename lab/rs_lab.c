/* rs_lab.c — the lab floor's shared pieces (rs_lab.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rs_lab.h"
#include "rs_stats.h"

int rs_lab_mkdir_p(const char *path) {
    char buf[RS_PATH_BUF];
    if (strlen(path) >= sizeof buf) { /* never make a cut name */
        errno = ENAMETOOLONG;
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    return 0;
}

int rs_lab_exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

typedef struct {
    const char *text;
    int newline;
} text_ctx;

static int write_text(FILE *f, void *ctx) {
    const text_ctx *c = ctx;
    if (fputs(c->text, f) == EOF) return -1;
    return c->newline && fputc('\n', f) == EOF ? -1 : 0;
}

int rs_lab_write_file(const char *path, const char *text, int newline) {
    text_ctx c = {text, newline};
    return rs_write_atomic(path, write_text, &c);
}

int rs_lab_run_quiet(char *const *argv, FILE *out) {
    /* a helper program (the plot script): its stdout goes where the caller
     * says (the CLI: its stderr), so that stdout keeps only the command's own
     * results */
    if (out) fflush(out);
    int fd = out ? fileno(out) : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        if (!out) close(fd);
        return -1;
    }
    if (pid == 0) {
        dup2(fd, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (!out) close(fd);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

cJSON *rs_lab_json_num(double v) {
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

cJSON *rs_lab_json_nums(const double *v, int n) {
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, rs_lab_json_num(v[i]));
    return a;
}

cJSON *rs_lab_json_interval_named(const rs_interval *iv, const char *stat) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, stat, rs_lab_json_num(iv->value));
    cJSON_AddItemToObject(o, "lo", rs_lab_json_num(iv->lo));
    cJSON_AddItemToObject(o, "hi", rs_lab_json_num(iv->hi));
    cJSON_AddNumberToObject(o, "n", iv->n);
    return o;
}

/* rs_provenance.c — what made a result: rsoup's version and commit, the CPU,
 * the BLAS kernel, threads, time. Written into reports, metrics.json, run
 * configs and front CSV headers, so a record says where it came from. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rs_blas.h"
#include "rs_common.h"
#include "rs_provenance.h"

extern const char rs_build_commit[];

const char *rs_provenance_commit(void) { return rs_build_commit; }

void rs_provenance_cpu_model(char *buf, size_t n) {
    snprintf(buf, n, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10)) {
            const char *v = strchr(line, ':');
            if (!v) break;
            v++;
            while (*v == ' ' || *v == '\t') v++;
            snprintf(buf, n, "%s", v);
            buf[strcspn(buf, "\n")] = 0;
            break;
        }
    fclose(f);
}

void rs_provenance_blas_info(char *buf, size_t n) {
    /* the kernels in use, pinned or not (rs_blas.h) */
    snprintf(buf, n, "%s", rs_blas_provenance());
}

void rs_provenance_line(char *buf, size_t n, int threads) {
    char cpu[256], blas[256];
    rs_provenance_cpu_model(cpu, sizeof cpu);
    rs_provenance_blas_info(blas, sizeof blas);
    snprintf(buf, n, "rsoup %s (commit %s), %s, %s, %d thread%s", RS_VERSION, rs_provenance_commit(), cpu,
             blas, threads, threads == 1 ? "" : "s");
}

cJSON *rs_provenance_json(int threads, double wall_s) {
    char cpu[256], blas[256], date[64];
    rs_provenance_cpu_model(cpu, sizeof cpu);
    rs_provenance_blas_info(blas, sizeof blas);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "rsoup_version", RS_VERSION);
    cJSON_AddStringToObject(o, "git_commit", rs_provenance_commit());
    cJSON_AddStringToObject(o, "cpu", cpu);
    cJSON_AddStringToObject(o, "blas", blas);
    cJSON_AddNumberToObject(o, "threads", threads);
    if (wall_s >= 0) cJSON_AddNumberToObject(o, "wall_time_s", wall_s);
    cJSON_AddStringToObject(o, "date", date);
    return o;
}

/* rs_provenance.h — what made a result: rsoup's version and commit, the CPU,
 * the BLAS kernel, threads, time (rs_provenance.c). */
#ifndef RS_PROVENANCE_H
#define RS_PROVENANCE_H

#include <cjson/cJSON.h>
#include <stddef.h>

const char *rs_provenance_commit(void); /* "abc123def456", "-dirty" appended, or "unknown" */
void rs_provenance_cpu_model(char *buf, size_t n); /* /proc/cpuinfo's model name */
void rs_provenance_blas_info(char *buf, size_t n); /* the BLAS build and the kernel in use */
/* "rsoup 0.1.0 (commit ...), CPU, BLAS, T threads" */
void rs_provenance_line(char *buf, size_t n, int threads);
/* {rsoup_version, git_commit, cpu, blas, threads, wall_time_s (if >= 0), date} */
cJSON *rs_provenance_json(int threads, double wall_s);

#endif

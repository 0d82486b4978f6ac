/* loadavg.c — the benches' check that the machine is not already busy:
 * timings taken while the load exceeds the cores are not the machine's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "rs_pool.h"

double rs_cli_load_check(const char *cmd) {
    /* RSOUP_LOADAVG_FILE stands for /proc/loadavg (the tests set a load) */
    const char *path = getenv("RSOUP_LOADAVG_FILE");
    FILE *f = fopen(path && *path ? path : "/proc/loadavg", "r");
    double load = NAN;
    if (f) {
        if (fscanf(f, "%lf", &load) != 1) load = NAN;
        fclose(f);
    }
    const int cores = rs_ncores();
    if (load > cores)
        fprintf(stderr,
                "rsoup %s: warning: the 1-minute load average is %.2f on %d cores: other work "
                "shares the CPUs, so these timings are lower and noisier than the machine's\n",
                cmd, load, cores);
    return load;
}

void rs_cli_json_load(cJSON *o, double load) {
    if (isfinite(load))
        cJSON_AddNumberToObject(o, "load_1min", load);
    else
        cJSON_AddNullToObject(o, "load_1min");
    cJSON_AddBoolToObject(o, "load_over_cores", load > rs_ncores());
}

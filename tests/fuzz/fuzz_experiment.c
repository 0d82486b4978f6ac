/* fuzz_experiment.c — experiment configs (JSON, with every key's checks),
 * --seeds lists, and the job graph a valid config expands into. */
#include "rs_experiment.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_text(data, size);
    rs_exp_config *c = calloc(1, sizeof *c);
    if (rs_exp_config_parse(s, "fuzz.json", c) == 0) {
        rs_job_graph g;
        if (rs_exp_graph_build(c, "/tmp/rsoup_fuzz_out", &g) == 0) {
        }
        rs_exp_graph_free(&g);
    }
    rs_exp_seeds_parse(s, c);
    free(c);
    free(s);
    return 0;
}

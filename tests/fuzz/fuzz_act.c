/* fuzz_act.c — rsoup act's input: lines of comma-separated observations,
 * read with the bounded line reader, for every observation size rsoup has. */
#include "rs_obs_text.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const int dims[] = {1, 8, 11, 17, 27, 376};
    float obs[376];
    for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
        FILE *f = fmemopen((void *)data, size, "r");
        if (!f) return 0;
        const size_t cap = (size_t)dims[d] * 64 + 1024;
        char *line = malloc(cap + 1);
        if (!line) abort();
        int got;
        while ((got = rs_obs_read_row(f, line, cap)) > 0)
            if (rs_obs_parse(line, dims[d], obs) > 0)
                for (int k = 0; k < dims[d]; k++)
                    if (!(obs[k] == obs[k]) || obs[k] > 3.5e38f || obs[k] < -3.5e38f) abort();
        free(line);
        fclose(f);
    }
    return 0;
}

/* fuzz_reward.c — reward specs (presets, term lists, mixes) on every env. */
#include "fuzz_common.h"
#include "rs_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_text(data, size);
    double w[RS_MAX_TERMS];
    char out[1024];
    for (int i = 0; i < rs_env_count(); i++) {
        const rs_env_spec *e = rs_env_spec_at(i);
        if (rs_reward_parse(e, s, w) == 0) rs_reward_format(e, w, out, sizeof out);
    }
    free(s);
    return 0;
}

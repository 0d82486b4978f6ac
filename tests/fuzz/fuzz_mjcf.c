/* fuzz_mjcf.c — an MJCF variant given with --model: MuJoCo's XML parser and
 * compiler, then rsoup's checks that the model fits the env (first byte:
 * which env). Errors must come back as messages, never as a crash. */
#include "fuzz_common.h"
#include "rs_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const rs_env_spec *s = rs_env_spec_at(data[0] % rs_env_count());
    const char *path = fuzz_file(data + 1, size - 1, ".xml");
    mjModel *m = rs_model_load(s, path);
    if (m) mj_deleteModel(m);
    return 0;
}

/* fuzz_config.c — PPO and SAC hyperparameter JSON (what --config reads:
 * the strict parse, repeated keys refused) and the checks a config must
 * pass. */
#include <cjson/cJSON.h>

#include "fuzz_common.h"
#include "rs_config.h"
#include "rs_ppo.h"
#include "rs_sac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_text(data, size);
    cJSON_Delete(rs_json_parse(s, "fuzz"));
    /* the table readers refuse repeated keys themselves: feed them all */
    cJSON *o = cJSON_Parse(s);
    if (o) {
        rs_ppo_config pc;
        rs_ppo_config_default(&pc);
        if (rs_ppo_config_from_json(&pc, o, "fuzz: ") == 0) rs_ppo_config_check(&pc);
        rs_sac_config sc;
        rs_sac_config_default(&sc);
        if (rs_sac_config_from_json(&sc, o, "fuzz: ") == 0) rs_sac_config_check(&sc);
        cJSON_Delete(o);
    }
    free(s);
    return 0;
}

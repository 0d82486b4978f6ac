/* fuzz_safetensors.c — the safetensors reader, then everything that
 * interprets a policy file's tensors after the format check (the policy
 * loader, the soup checks). */
#include "fuzz_common.h"
#include "rs_policy.h"
#include "rs_safetensors.h"
#include "rs_soup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = fuzz_file(data, size, ".safetensors");
    rs_st *st = rs_st_load(p);
    if (!st) return 0;
    rs_policy *pol = rs_policy_from_st(st, p);
    rs_policy_free(pol);
    rs_st *two[2] = {st, st};
    rs_soup_check(two, 2);
    rs_st_free(st);
    return 0;
}

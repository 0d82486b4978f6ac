/* fuzz_lambda.c — λ strings ("0.3", "0.2,0.3,0.5") for 1 to 8 experts. */
#include "fuzz_common.h"
#include "rs_soup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_text(data, size);
    double lam[8];
    for (int n = 1; n <= 8; n++) rs_soup_parse_lambda(s, n, lam);
    free(s);
    return 0;
}

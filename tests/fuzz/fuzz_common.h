/* fuzz_common.h — what the libFuzzer targets share: inputs that the code
 * under test reads from a path are written to one scratch file first. */
#ifndef RS_FUZZ_COMMON_H
#define RS_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the input as a file (one per process, rewritten each time) */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix) {
    static char path[256];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/rsoup_fuzz_%d%s", (int)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    return path;
}

/* the input as a NUL-terminated string (owned) */
static inline char *fuzz_text(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif

/* rs_test.h — a tiny test harness: CHECK records failures and goes on,
 * RS_TEST_MAIN runs the listed tests and exits non-zero on any failure. */
#ifndef RS_TEST_H
#define RS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int rs_test_failures = 0;
static int rs_test_checks = 0;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        rs_test_checks++;                                                       \
        if (!(cond)) {                                                          \
            rs_test_failures++;                                                 \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fprintf(stderr, "\n");                                              \
        }                                                                       \
    } while (0)

/* |a-b| <= atol + rtol*|b| */
#define CHECK_CLOSE(a, b, atol, rtol, what)                                     \
    do {                                                                        \
        double _a = (double)(a), _b = (double)(b);                              \
        CHECK(fabs(_a - _b) <= (atol) + (rtol)*fabs(_b), "%s: got %.10g, want %.10g", what, _a, _b); \
    } while (0)

typedef struct {
    const char *name;
    void (*fn)(void);
} rs_test_case;

static inline int rs_test_run(const char *file, const rs_test_case *cases, int n) {
    int failed_cases = 0;
    for (int i = 0; i < n; i++) {
        int before = rs_test_failures;
        cases[i].fn();
        int bad = rs_test_failures - before;
        fprintf(stderr, "  %-40s %s\n", cases[i].name, bad ? "FAIL" : "ok");
        if (bad) failed_cases++;
    }
    printf("%s: %d passed, %d failed\n", file, n - failed_cases, failed_cases);
    return failed_cases ? 1 : 0;
}

#define RS_TEST_MAIN(...)                                                       \
    int main(void) {                                                            \
        static const rs_test_case cases[] = {__VA_ARGS__};                      \
        return rs_test_run(__FILE__, cases, (int)(sizeof cases / sizeof cases[0])); \
    }
#define T(fn) {#fn, fn}

/* 1 under AddressSanitizer, which owns malloc: tests that count allocations
 * through an interposer skip the counts there */
#if defined(__SANITIZE_ADDRESS__)
#define RS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RS_TEST_ASAN 1
#endif
#endif
#ifndef RS_TEST_ASAN
#define RS_TEST_ASAN 0
#endif

#endif

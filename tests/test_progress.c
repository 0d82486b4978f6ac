/* test_progress.c — the progress bar's line fitted to a terminal width
 * (lab/rs_progress.c): what gives way first, and that no width is exceeded. */
#include <string.h>

#include "rs_progress.h"
#include "rs_test.h"

static int cols(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* the string ends on a whole UTF-8 character */
static int whole_utf8(const char *s) {
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0) return n == 0;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    return want == n - (i - 1);
}

static const char *WHAT = "[expert_risky] train hopper";
static const char *NUMS = " 50% 250.0k/500.0k 12.3k/s ETA 0:20";
static const char *STATUS =
    "return 1234.5 (len 812) forward=812.3 healthy=812 ctrl=-12.3 jump=-4.5 energy=-33.2";

static void test_unlimited(void) {
    char a[1024], b[1024];
    int n = rs_progress_layout(a, sizeof a, 0, WHAT, 0.5, NUMS, STATUS);
    rs_progress_layout(b, sizeof b, 1000, WHAT, 0.5, NUMS, STATUS);
    CHECK(!strcmp(a, b), "a wide terminal gives the whole line: '%s' vs '%s'", a, b);
    CHECK(n == cols(a), "returns its columns: %d vs %d", n, cols(a));
    CHECK(strstr(a, "[============>           ]") != NULL, "a 24-cell bar half full: %s", a);
    CHECK(strstr(a, STATUS) != NULL && strstr(a, NUMS) != NULL, "all of it: %s", a);
}

static void test_every_width_fits(void) {
    char a[1024];
    for (int w = 1; w <= 200; w++) {
        int n = rs_progress_layout(a, sizeof a, w, WHAT, 0.3, NUMS, STATUS);
        CHECK(n == cols(a) && n <= w - 1, "width %d: %d columns: '%s'", w, n, a);
    }
}

static void test_what_gives_way(void) {
    char a[1024];
    const int full = 27 + 4 + 24 + 35 + 1 + cols(STATUS);
    /* a few columns short: the bar narrows, the status stays whole */
    rs_progress_layout(a, sizeof a, full - 5, WHAT, 0.5, NUMS, STATUS);
    CHECK(strstr(a, STATUS) && strstr(a, NUMS) && strstr(a, "[") && cols(a) == full - 6,
          "bar narrowed: %s", a);
    /* 100 columns: an 8-cell bar, the numbers whole, the status cut */
    rs_progress_layout(a, sizeof a, 100, WHAT, 0.5, NUMS, STATUS);
    CHECK(strstr(a, "[====>   ]") && strstr(a, NUMS) && !strstr(a, STATUS) &&
              strstr(a, "return 1234") && cols(a) == 99,
          "100 columns: %s", a);
    /* 60: the bar goes before the numbers do */
    rs_progress_layout(a, sizeof a, 66, WHAT, 0.5, NUMS, STATUS);
    CHECK(!strchr(a + strlen(WHAT), '[') && strstr(a, NUMS), "66 columns: %s", a);
    /* narrower than the numbers: cut, from the start kept */
    rs_progress_layout(a, sizeof a, 20, WHAT, 0.5, NUMS, STATUS);
    CHECK(!strncmp(a, WHAT, 19) && cols(a) == 19, "20 columns: %s", a);
}

static void test_utf8_never_split(void) {
    char a[1024];
    const char *st = "λ=0.25 σ=1.5 ☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃";
    for (int w = 1; w <= 120; w++) {
        int n = rs_progress_layout(a, sizeof a, w, "front", 0.9, NUMS, st);
        CHECK(whole_utf8(a) && n <= w - 1, "width %d: '%s'", w, a);
    }
    /* a small buffer: cut, still whole characters */
    rs_progress_layout(a, 12, 0, "λλλλλλλλ", 0, NUMS, st);
    CHECK(whole_utf8(a) && strlen(a) < 12, "small buffer: '%s'", a);
}

static void test_fraction_bounds(void) {
    char a[256];
    rs_progress_layout(a, sizeof a, 0, "x", 2.0, "n", NULL);
    CHECK(strstr(a, "[========================]") != NULL, "over 1 is full: %s", a);
    rs_progress_layout(a, sizeof a, 0, "x", -1, "n", NULL);
    CHECK(strstr(a, "[>                       ]") != NULL, "below 0 is empty: %s", a);
}

RS_TEST_MAIN(T(test_unlimited), T(test_every_width_fits), T(test_what_gives_way),
             T(test_utf8_never_split), T(test_fraction_bounds))

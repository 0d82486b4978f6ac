/* test_viewer.c — the soup viewer, headless under Xvfb.
 *
 * Without a GL context: the PNG writer (checksums against published check
 * values, every image decoded again by an independent inflater written
 * here), the live mixer against rs_soup_mix bit for bit, the simplex slider
 * rule. Under xvfb-run (the test re-executes itself inside it; it skips,
 * exit 0, only when xvfb-run is missing): the viewer renders a robot
 * (screenshot pixels differ from the same view with the robot hidden),
 * synthetic panel events on the λ slider(s) make the live weights exactly
 * rs_soup_mix's for the λ the slider shows, keys nudge λ, the frame loop
 * allocates nothing after start-up (malloc counted through an interposer
 * in builds without sanitizers), and the error paths: experts that do not
 * mix, a front for other experts, no display. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RSOUP_HAVE_VIEWER
int main(void) {
    printf("test_viewer: SKIP: rsoup was built without the viewer (GLFW not found)\n");
    return 0;
}
#else

#include "rs_test.h"

#include "rs_mix.h"
#include "rs_png.h"
#include "rs_soup.h"
#include "rs_viewer.h"
#include "rs_viewer_internal.h"

/* ---- counting allocations (not under ASan, which owns malloc) ---- */
#define COUNT_MALLOC (!RS_TEST_ASAN)

/* The code that is ours to keep allocation-free: this executable (rsoup's
 * libraries are linked in statically), libmujoco, OpenBLAS. The GL driver
 * (Mesa), X11 and GLFW are not ours and are only reported. An allocation is
 * charged to the first caller outside libc, so strdup or fopen called from
 * our code counts as ours while Mesa's own mallocs do not. */
typedef struct {
    uintptr_t lo, hi;
    int libc;
} code_range;
static code_range g_ranges[32];
static int g_nranges;
static volatile int g_counting;
static long g_ours, g_all, g_mj;

static int add_ranges(struct dl_phdr_info *info, size_t size, void *data) {
    const char *name = info->dlpi_name;
    int libc = name && strstr(name, "/libc.so") != NULL;
    int mine = !name || !name[0] || strstr(name, "libmujoco") || strstr(name, "libopenblas");
    for (int i = 0; (mine || libc) && i < info->dlpi_phnum && g_nranges < 32; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
        g_ranges[g_nranges].lo = info->dlpi_addr + ph->p_vaddr;
        g_ranges[g_nranges].hi = g_ranges[g_nranges].lo + ph->p_memsz;
        g_ranges[g_nranges].libc = libc;
        g_nranges++;
    }
    return 0;
}

#if COUNT_MALLOC
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
static _Thread_local int g_in_hook;

/* 1: ours, 0: not, -1: libc */
static int owner(void *addr) {
    uintptr_t a = (uintptr_t)addr;
    for (int i = 0; i < g_nranges; i++)
        if (a >= g_ranges[i].lo && a < g_ranges[i].hi) return g_ranges[i].libc ? -1 : 1;
    return 0;
}

static void note(void *caller) {
    if (!g_counting || g_in_hook) return;
    g_in_hook = 1;
    __atomic_fetch_add(&g_all, 1, __ATOMIC_RELAXED);
    int who = owner(caller);
    if (who < 0) { /* called from inside libc: find who called libc */
        void *bt[16];
        int n = backtrace(bt, 16), i = 0;
        while (i < n && bt[i] != caller)
            i++; /* skip this hook and malloc itself */
        for (i++; i < n && who < 0; i++)
            who = owner(bt[i]);
    }
    if (who > 0) __atomic_fetch_add(&g_ours, 1, __ATOMIC_RELAXED);
    g_in_hook = 0;
}
void *malloc(size_t n) {
    note(__builtin_return_address(0));
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    note(__builtin_return_address(0));
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    note(__builtin_return_address(0));
    return __libc_realloc(p, n);
}
void free(void *p) { __libc_free(p); }
#endif

/* MuJoCo's own allocator, whatever libc call it makes underneath */
static void *mj_alloc(size_t n) {
    if (g_counting) g_mj++;
    void *p = NULL;
    return posix_memalign(&p, 64, n ? n : 1) == 0 ? p : NULL;
}
static void mj_free(void *p) { free(p); }

/* the GL stack keeps some allocations for the process lifetime */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
    return "leak:libGLX\nleak:libGL.so\nleak:libGLdispatch\nleak:swrast_dri\nleak:libgallium\n"
           "leak:libLLVM\nleak:libX11\nleak:libxcb\nleak:libglfw\nleak:libdrm\nleak:libglapi\n"
           "leak:dri\nleak:libopenblas\n";
}

/* ---- fixtures ---- */

static char g_dir[256];
static char g_model[300]; /* hopper with a small offscreen buffer: fast captures */
static char g_a[300], g_b[300], g_c[300], g_bad[300], g_front[300], g_front3[300];
static char g_front_named[300];

static rs_policy *make_expert(uint64_t seed, const char *reward, const int *hidden, int nh) {
    rs_policy *p = rs_policy_new(RS_ALGO_PPO, 11, 3, 1.0f, hidden, nh, RS_ACT_TANH);
    rs_rng rng;
    rs_rng_seed(&rng, seed, 0);
    rs_mlp_init_uniform_fanin(p->pi, &rng);
    for (int j = 0; j < 3; j++)
        p->log_std[j] = (float)rs_rng_uniform_range(&rng, -1.0, 0.0);
    for (int k = 0; k < 11; k++) {
        p->norm->mean[k] = rs_rng_uniform_range(&rng, -0.5, 0.5);
        p->norm->var[k] = rs_rng_uniform_range(&rng, 0.5, 2.0);
    }
    p->norm->count = 1000.0 + (double)seed;
    snprintf(p->env, sizeof p->env, "hopper");
    snprintf(p->reward, sizeof p->reward, "%s", reward);
    return p;
}

static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static int setup(void) {
    snprintf(g_dir, sizeof g_dir, "%s/rs_test_viewer.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(g_dir)) return -1;
    const int h2[2] = {16, 16}, h3[2] = {16, 8};
    snprintf(g_a, sizeof g_a, "%s/a.safetensors", g_dir);
    snprintf(g_b, sizeof g_b, "%s/b.safetensors", g_dir);
    snprintf(g_c, sizeof g_c, "%s/c.safetensors", g_dir);
    snprintf(g_bad, sizeof g_bad, "%s/bad.safetensors", g_dir);
    rs_policy *a = make_expert(1, "default", h2, 2), *b = make_expert(2, "cautious", h2, 2),
              *c = make_expert(3, "risky", h2, 2), *bad = make_expert(4, "default", h3, 2);
    int rc = rs_policy_save(a, g_a) | rs_policy_save(b, g_b) | rs_policy_save(c, g_c) |
             rs_policy_save(bad, g_bad);
    rs_policy_free(a);
    rs_policy_free(b);
    rs_policy_free(c);
    rs_policy_free(bad);
    /* a front for A and B (objectives named as `rsoup front` names them) and one for three */
    snprintf(g_front, sizeof g_front, "%s/front.csv", g_dir);
    snprintf(g_front3, sizeof g_front3, "%s/front3.csv", g_dir);
    rc |= write_text(g_front, "kind,label,lambda:0,lambda:1,episodes,obj:default,std:default,"
                              "obj:cautious,std:cautious,length\n"
                              "soup,0,1,0,2,100,1,20,1,50\n"
                              "soup,0.5,0.5,0.5,2,80,1,60,1,50\n"
                              "soup,1,0,1,2,40,1,90,1,50\n");
    /* the same front with named rewards (`rsoup front --names`): the
     * weights are the reward lines', not the column names' */
    snprintf(g_front_named, sizeof g_front_named, "%s/front_named.csv", g_dir);
    rc |= write_text(g_front_named, "# reward fast: default\n"
                                    "# reward calm: forward=1,ctrl=2\n"
                                    "kind,label,lambda:0,lambda:1,episodes,obj:fast,std:fast,"
                                    "obj:calm,std:calm,length\n"
                                    "soup,0,1,0,2,100,1,20,1,50\n"
                                    "soup,0.5,0.5,0.5,2,80,1,60,1,50\n"
                                    "soup,1,0,1,2,40,1,90,1,50\n");
    /* three experts: the lattice of resolution 2, its soups
     * (0.5, 0, 0.5) and (0, 0, 1) dominated on (default, cautious) */
    rc |= write_text(g_front3, "kind,label,lambda:0,lambda:1,lambda:2,episodes,obj:default,std:default,"
                               "obj:cautious,std:cautious,obj:risky,std:risky,length\n"
                               "expert,a,1,0,0,2,100,1,20,1,5,1,50\n"
                               "expert,b,0,1,0,2,40,1,70,1,6,1,50\n"
                               "expert,c,0,0,1,2,60,1,30,1,9,1,50\n"
                               "soup,1;0;0,1,0,0,2,100,1,20,1,5,1,50\n"
                               "soup,0.5;0.5;0,0.5,0.5,0,2,80,1,60,1,7,1,50\n"
                               "soup,0.5;0;0.5,0.5,0,0.5,2,70,1,25,1,8,1,50\n"
                               "soup,0;1;0,0,1,0,2,40,1,70,1,6,1,50\n"
                               "soup,0;0.5;0.5,0,0.5,0.5,2,55,1,65,1,8,1,50\n"
                               "soup,0;0;1,0,0,1,2,60,1,30,1,9,1,50\n");
    /* the hopper model with a 640x360 offscreen buffer */
    char src[600];
    snprintf(src, sizeof src, "%s/envs/assets/hopper.xml", RSOUP_SRC_DIR);
    char *xml = rs_read_file(src, NULL);
    if (!xml) return -1;
    char *at = strstr(xml, "offwidth=\"1280\" offheight=\"720\"");
    if (!at) {
        free(xml);
        return -1;
    }
    memcpy(at, "offwidth=\"640\"  offheight=\"360\"", 31);
    snprintf(g_model, sizeof g_model, "%s/hopper_small.xml", g_dir);
    rc |= write_text(g_model, xml);
    free(xml);
    return rc ? -1 : 0;
}

static void teardown(void) {
    if (getenv("RS_TEST_VIEWER_KEEP")) {
        fprintf(stderr, "test_viewer: kept %s\n", g_dir);
        return;
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

static rs_viewer *open_viewer(const char *const *paths, int n, const double *lam,
                              const char *front) {
    rs_viewer_opts o;
    rs_viewer_default_opts(&o);
    o.paths = paths;
    o.n = n;
    o.lambda = lam;
    o.front = front;
    o.model = g_model;
    o.hidden = 1;
    o.vsync = 0;
    o.width = 800;
    o.height = 450;
    rs_viewer_err err;
    rs_viewer *v = rs_viewer_new(&o, &err);
    if (!v) {
        fprintf(stderr, "rs_viewer_new: %s\n", rs_last_error());
        return NULL;
    }
    if (rs_viewer_open(v, &err) != 0) {
        fprintf(stderr, "rs_viewer_open: %s\n", rs_last_error());
        rs_viewer_free(v);
        return NULL;
    }
    return v;
}

/* ---- an inflater for what rs_png writes (stored and fixed-Huffman blocks),
 * written from RFC 1951 independently of the encoder ---- */
typedef struct {
    const unsigned char *p;
    size_t n, pos;
    unsigned bit, nb;
} bits_in;

static int rbit(bits_in *b) {
    if (!b->nb) {
        if (b->pos >= b->n) return -1;
        b->bit = b->p[b->pos++];
        b->nb = 8;
    }
    int r = b->bit & 1;
    b->bit >>= 1;
    b->nb--;
    return r;
}
static long rbits(bits_in *b, int n) { /* extra bits: least significant first */
    long v = 0;
    for (int i = 0; i < n; i++) {
        int x = rbit(b);
        if (x < 0) return -1;
        v |= (long)x << i;
    }
    return v;
}
static long rcode(bits_in *b, int n) { /* Huffman codes: most significant first */
    long v = 0;
    for (int i = 0; i < n; i++) {
        int x = rbit(b);
        if (x < 0) return -1;
        v = v << 1 | x;
    }
    return v;
}

static long inflate_fixed(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
    static const int lbase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const int lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    static const int dbase[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                  33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                  1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    static const int dext[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    bits_in b = {in, n, 0, 0, 0};
    size_t o = 0;
    int last;
    do {
        last = rbit(&b);
        long type = rbits(&b, 2);
        if (last < 0 || type < 0) return -1;
        if (type == 0) {
            b.nb = 0;
            if (b.pos + 4 > n) return -1;
            size_t len = in[b.pos] | in[b.pos + 1] << 8;
            b.pos += 4;
            if (b.pos + len > n || o + len > cap) return -1;
            memcpy(out + o, in + b.pos, len);
            b.pos += len;
            o += len;
            continue;
        }
        if (type != 1) return -1;
        for (;;) {
            long c = rcode(&b, 7), sym;
            if (c < 0) return -1;
            if (c <= 0x17) {
                sym = 256 + c;
            } else {
                c = c << 1 | rbit(&b);
                if (c >= 0x30 && c <= 0xBF) {
                    sym = c - 0x30;
                } else if (c >= 0xC0 && c <= 0xC7) {
                    sym = 280 + c - 0xC0;
                } else {
                    c = c << 1 | rbit(&b);
                    if (c < 0x190 || c > 0x1FF) return -1;
                    sym = 144 + c - 0x190;
                }
            }
            if (sym < 256) {
                if (o >= cap) return -1;
                out[o++] = (unsigned char)sym;
            } else if (sym == 256) {
                break;
            } else {
                int li = (int)sym - 257;
                if (li >= 29) return -1;
                long len = lbase[li] + rbits(&b, lext[li]);
                long dc = rcode(&b, 5);
                if (dc < 0 || dc >= 30) return -1;
                long dist = dbase[dc] + rbits(&b, dext[dc]);
                if (dist > (long)o || o + (size_t)len > cap) return -1;
                for (long k = 0; k < len; k++, o++)
                    out[o] = out[o - (size_t)dist];
            }
        }
    } while (!last);
    return (long)o;
}

static uint32_t be32r(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 bit by bit, to check the table-driven one */
static uint32_t crc_slow(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* decode a PNG from rs_png into top-down RGB; 0 on success */
static int png_decode(const unsigned char *f, size_t n, int *w, int *h, unsigned char **rgb) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (n < 8 || memcmp(f, sig, 8)) return -1;
    size_t pos = 8;
    unsigned char *z = NULL;
    size_t zn = 0;
    *w = *h = 0;
    while (pos + 12 <= n) {
        uint32_t len = be32r(f + pos);
        const unsigned char *type = f + pos + 4;
        if (pos + 12 + len > n) break;
        if (crc_slow(type, len + 4) != be32r(f + pos + 8 + len)) {
            free(z);
            return -2;
        }
        if (!memcmp(type, "IHDR", 4)) {
            *w = (int)be32r(type + 4);
            *h = (int)be32r(type + 8);
            if (type[12] != 8 || type[13] != 2) break;
        } else if (!memcmp(type, "IDAT", 4)) {
            z = realloc(z, zn + len);
            memcpy(z + zn, type + 4, len);
            zn += len;
        }
        pos += 12 + len;
    }
    if (!z || *w < 1 || *h < 1 || zn < 6 || ((z[0] << 8) | z[1]) % 31 != 0) {
        free(z);
        return -1;
    }
    size_t rb = (size_t)*w * 3, fsz = (size_t)*h * (rb + 1);
    unsigned char *raw = malloc(fsz);
    long got = inflate_fixed(z + 2, zn - 6, raw, fsz);
    int ok = got == (long)fsz && rs_adler32(1, raw, fsz) == be32r(z + zn - 4);
    free(z);
    if (!ok) {
        free(raw);
        return -3;
    }
    *rgb = malloc((size_t)*h * rb);
    for (int y = 0; y < *h; y++) {
        const unsigned char *src = raw + (rb + 1) * (size_t)y;
        unsigned char *row = *rgb + rb * (size_t)y, *up = y ? row - rb : NULL;
        for (size_t x = 0; x < rb; x++) {
            int a = x >= 3 ? row[x - 3] : 0, b = up ? up[x] : 0, c = (up && x >= 3) ? up[x - 3] : 0;
            int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
            int pr = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
            int pred = src[0] == 0   ? 0
                       : src[0] == 1 ? a
                       : src[0] == 2 ? b
                       : src[0] == 3 ? (a + b) / 2
                                     : pr;
            row[x] = (unsigned char)(src[1 + x] + pred);
        }
    }
    free(raw);
    return 0;
}

static int png_file_matches(const char *path, const unsigned char *bottom_up, int w, int h) {
    size_t n;
    char *f = rs_read_file(path, &n);
    if (!f) return 0;
    int pw, ph;
    unsigned char *rgb = NULL;
    int rc = png_decode((const unsigned char *)f, n, &pw, &ph, &rgb);
    free(f);
    int same = rc == 0 && pw == w && ph == h;
    for (int y = 0; same && y < h; y++)
        same = !memcmp(rgb + (size_t)y * w * 3, bottom_up + (size_t)(h - 1 - y) * w * 3,
                       (size_t)w * 3);
    free(rgb);
    return same;
}

/* ---- PNG writer ---- */

static void test_png_checksums(void) {
    CHECK(rs_crc32(0, "123456789", 9) == 0xCBF43926u, "crc32 check value: %08x",
          rs_crc32(0, "123456789", 9));
    CHECK(rs_adler32(1, "Wikipedia", 9) == 0x11E60398u, "adler32 of 'Wikipedia': %08x",
          rs_adler32(1, "Wikipedia", 9));
    /* in pieces == at once */
    unsigned char buf[10000];
    for (int i = 0; i < 10000; i++)
        buf[i] = (unsigned char)(i * 7 + (i >> 5));
    CHECK(rs_crc32(rs_crc32(0, buf, 3333), buf + 3333, 6667) == crc_slow(buf, 10000),
          "crc32 chained");
    CHECK(rs_adler32(rs_adler32(1, buf, 7000), buf + 7000, 3000) == rs_adler32(1, buf, 10000),
          "adler32 chained");
}

static void test_png_roundtrip(void) {
    /* smooth gradients, flat areas and noise: every filter, literals and matches */
    const int W = 97, H = 61;
    unsigned char *img = malloc((size_t)W * H * 3);
    rs_rng r;
    rs_rng_seed(&r, 5, 0);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned char *p = img + 3 * ((size_t)y * W + x);
            if (y < 20) {
                p[0] = (unsigned char)(x * 2);
                p[1] = (unsigned char)(y * 4);
                p[2] = 90;
            } else if (y < 40) {
                p[0] = p[1] = p[2] = (x / 10) % 2 ? 200 : 30;
            } else {
                p[0] = (unsigned char)rs_rng_below(&r, 256);
                p[1] = (unsigned char)rs_rng_below(&r, 256);
                p[2] = (unsigned char)x;
            }
        }
    char path[400];
    snprintf(path, sizeof path, "%s/rt.png", g_dir);
    CHECK(rs_png_save(path, img, W, H, 1) == 0, "png save: %s", rs_last_error());
    CHECK(png_file_matches(path, img, W, H), "decoded PNG differs from the image");
    /* a 1x1 and a flat image (one long run of matches) */
    unsigned char px[3] = {1, 2, 3};
    CHECK(rs_png_save(path, px, 1, 1, 0) == 0 && png_file_matches(path, px, 1, 1), "1x1 PNG");
    memset(img, 77, (size_t)W * H * 3);
    CHECK(rs_png_save(path, img, W, H, 1) == 0 && png_file_matches(path, img, W, H), "flat PNG");
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size < 2000, "a flat image compresses: %ld bytes",
          (long)sb.st_size);
    free(img);
}

/* ---- live mixing without a window ---- */

static void same_as_soup(const rs_policy *live, rs_st *const *sts, int n, const double *lam,
                         const char *what) {
    rs_st *soup = NULL;
    if (rs_soup_mix(sts, n, lam, &soup, NULL) != 0) {
        CHECK(0, "%s: rs_soup_mix: %s", what, rs_last_error());
        return;
    }
    rs_policy *want = rs_policy_from_st(soup, "soup");
    rs_st_free(soup);
    CHECK(want != NULL, "%s: soup does not load: %s", what, rs_last_error());
    if (!want) return;
    int d = live->obs_dim;
    CHECK(!memcmp(live->pi->params, want->pi->params, sizeof(float) * want->pi->n_params),
          "%s: actor weights differ from rs_soup_mix", what);
    CHECK(!memcmp(live->log_std, want->log_std, sizeof(float) * 3), "%s: log_std differs", what);
    CHECK(!memcmp(live->norm->mean, want->norm->mean, sizeof(double) * d) &&
              !memcmp(live->norm->var, want->norm->var, sizeof(double) * d) &&
              !memcmp(&live->norm->count, &want->norm->count, sizeof(double)),
          "%s: normaliser statistics differ", what);
    rs_policy_free(want);
}

static void load_sts(const char *const *paths, int n, rs_st **sts, rs_policy **ps) {
    for (int i = 0; i < n; i++) {
        sts[i] = rs_st_load(paths[i]);
        if (ps) ps[i] = rs_policy_from_st(sts[i], paths[i]);
    }
}

static void test_livemix_bits(void) {
    const char *paths[3] = {g_a, g_b, g_c};
    rs_st *sts[3];
    rs_policy *ps[3];
    load_sts(paths, 3, sts, ps);
    rs_mixer *lm = rs_mixer_new(ps, 3);
    CHECK(lm != NULL, "mixer_new: %s", rs_last_error());
    if (lm) {
        const double cases[][3] = {{1, 0, 0},
                                   {0, 1, 0},
                                   {0, 0, 1},
                                   {0.5, 0.5, 0},
                                   {0.2, 0.3, 0.5},
                                   {0.7, 0, 0.3},
                                   {1.0 / 3, 1.0 / 3, 1.0 / 3},
                                   {0.1 + 1e-7, 0.4, 0.5}}; /* Σ != 1 within the tolerance */
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            char what[64];
            snprintf(what, sizeof what, "3 experts, case %zu", c);
            CHECK(rs_mixer_set(lm, cases[c]) == 0, "%s: %s", what, rs_last_error());
            same_as_soup(lm->live, sts, 3, cases[c], what);
        }
        const double bad[3] = {0.5, 0.6, 0};
        float before = lm->live->pi->params[0];
        CHECK(rs_mixer_set(lm, bad) != 0, "λ off the simplex is refused");
        CHECK(lm->live->pi->params[0] == before, "a refused λ leaves the weights alone");
        rs_mixer_free(lm);
    }
    /* two experts on the slider's (1 - x, x) */
    rs_mixer *l2 = rs_mixer_new(ps, 2);
    for (int k = 0; k <= 20; k++) {
        double x = k * 0.05, lam[2] = {1.0 - x, x};
        char what[64];
        snprintf(what, sizeof what, "2 experts, x=%.2f", x);
        CHECK(l2 && rs_mixer_set(l2, lam) == 0, "%s", what);
        if (l2) same_as_soup(l2->live, sts, 2, lam, what);
    }
    rs_mixer_free(l2);
    for (int i = 0; i < 3; i++) {
        rs_st_free(sts[i]);
        rs_policy_free(ps[i]);
    }
}

static void test_simplex_rule(void) {
    double l[3] = {0.2, 0.3, 0.5};
    rs_view_simplex_set(l, 3, 2, 0.6); /* the others keep their 2:3 ratio in 0.4 */
    CHECK_CLOSE(l[2], 0.6, 1e-15, 0, "set coordinate");
    CHECK_CLOSE(l[0], 0.16, 1e-15, 0, "others rescaled (0)");
    CHECK_CLOSE(l[1], 0.24, 1e-15, 0, "others rescaled (1)");
    double e[3] = {0, 0, 1};
    rs_view_simplex_set(e, 3, 2, 0.4); /* the others were 0: split equally */
    CHECK_CLOSE(e[0], 0.3, 1e-15, 0, "equal split");
    CHECK_CLOSE(e[1], 0.3, 1e-15, 0, "equal split");
    rs_view_simplex_set(e, 3, 0, 1.7); /* clamped */
    CHECK(e[0] == 1.0 && e[1] == 0 && e[2] == 0, "clamped to a vertex: %g %g %g", e[0], e[1], e[2]);
    CHECK(rs_mix_check_lambda(l, 3) == 0 && rs_mix_check_lambda(e, 3) == 0,
          "stays on the simplex");
}

/* ---- errors before any window ---- */

static void test_mismatch_before_window(void) {
    const char *paths[2] = {g_a, g_bad};
    rs_viewer_opts o;
    rs_viewer_default_opts(&o);
    o.paths = paths;
    o.n = 2;
    rs_viewer_err err = RS_VIEWER_OK;
    rs_viewer *v = rs_viewer_new(&o, &err);
    CHECK(v == NULL && err == RS_VIEWER_ERR_MIX, "experts that do not mix are refused (err %d)",
          err);
    /* the same words as rs_soup_check (what `rsoup soup` prints) */
    char got[1024];
    snprintf(got, sizeof got, "%s", rs_last_error());
    rs_st *sts[2];
    load_sts(paths, 2, sts, NULL);
    rs_soup_check(sts, 2);
    CHECK(!strcmp(got, rs_last_error()), "message '%s' vs rs_soup_check's '%s'", got,
          rs_last_error());
    CHECK(strstr(got, "arch") != NULL, "names the mismatch: %s", got);
    rs_st_free(sts[0]);
    rs_st_free(sts[1]);
    rs_viewer_free(v);
}

static void test_no_display(void) {
    const char *paths[2] = {g_a, g_b};
    rs_viewer_opts o;
    rs_viewer_default_opts(&o);
    o.paths = paths;
    o.n = 2;
    o.model = g_model;
    char disp[256] = "", way[256] = "";
    if (getenv("DISPLAY")) snprintf(disp, sizeof disp, "%s", getenv("DISPLAY"));
    if (getenv("WAYLAND_DISPLAY")) snprintf(way, sizeof way, "%s", getenv("WAYLAND_DISPLAY"));
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    rs_viewer *v = rs_viewer_new(&o, NULL);
    rs_viewer_err err = RS_VIEWER_OK;
    CHECK(v && rs_viewer_open(v, &err) != 0 && err == RS_VIEWER_ERR_DISPLAY,
          "no display is reported as such (err %d: %s)", err, rs_last_error());
    rs_viewer_free(v);
    if (disp[0]) setenv("DISPLAY", disp, 1);
    if (way[0]) setenv("WAYLAND_DISPLAY", way, 1);
}

/* ---- with a window (Xvfb) ---- */

/* move to fraction frac of λ slider k, press, optionally drag to frac2, release */
static void slide(rs_viewer *v, int k, double frac, double frac2) {
    double x, y, x2, y2;
    if (rs_viewer_slider_point(v, k, frac, &x, &y) != 0 ||
        rs_viewer_slider_point(v, k, frac2, &x2, &y2) != 0) {
        CHECK(0, "no slider %d", k);
        return;
    }
    mjuiState *s = rs_viewer_uistate(v);
    s->dx = x - s->x;
    s->dy = y - s->y;
    s->x = x;
    s->y = y;
    s->type = mjEVENT_MOVE;
    rs_viewer_event(v);
    s->left = 1;
    s->button = mjBUTTON_LEFT;
    s->type = mjEVENT_PRESS;
    rs_viewer_event(v);
    if (frac2 != frac) {
        s->dx = x2 - s->x;
        s->dy = 0;
        s->x = x2;
        s->type = mjEVENT_MOVE;
        rs_viewer_event(v);
    }
    s->left = 0;
    s->type = mjEVENT_RELEASE;
    rs_viewer_event(v);
}

static void key(rs_viewer *v, int k) {
    mjuiState *s = rs_viewer_uistate(v);
    s->type = mjEVENT_KEY;
    s->key = k;
    rs_viewer_event(v);
}

static double pixel_variance(const unsigned char *rgb, size_t n) {
    double m = 0, m2 = 0;
    for (size_t i = 0; i < n; i++)
        m += rgb[i];
    m /= n;
    for (size_t i = 0; i < n; i++)
        m2 += (rgb[i] - m) * (rgb[i] - m);
    return m2 / n;
}

static void test_render_and_screenshot(void) {
    const char *paths[2] = {g_a, g_b};
    rs_viewer *v = open_viewer(paths, 2, NULL, g_front);
    CHECK(v != NULL, "viewer opens under Xvfb");
    if (!v) return;
    CHECK(rs_viewer_warnings(v)[0] == 0, "a matching front gives no warning: %s",
          rs_viewer_warnings(v));
    CHECK(v->front && v->n_order == 3 && v->show_fig && v->ax_live, "the front is drawn");
    for (int i = 0; i < 4; i++)
        CHECK(rs_viewer_frame(v) == 1, "frame %d", i);
    const unsigned char *rgb;
    int w, h;
    CHECK(rs_viewer_capture(v, &rgb, &w, &h) == 0 && w == 640 && h == 360,
          "capture at the model's offscreen size: %dx%d", w, h);
    size_t n = (size_t)w * h * 3;
    double var = pixel_variance(rgb, n);
    CHECK(var > 100, "the image is not blank (variance %.1f)", var);
    unsigned char *with = malloc(n), *without = malloc(n);
    /* the robot alone (no text or figure over it), then the same view with
     * the robot's geoms in a hidden group */
    v->show_info = v->show_fig = 0;
    rs_viewer_capture(v, &rgb, &w, &h);
    memcpy(with, rgb, n);
    mjModel *m = v->m;
    int saved[64];
    for (int g = 0; g < m->ngeom && g < 64; g++) {
        saved[g] = m->geom_group[g];
        if (m->geom_bodyid[g] != 0) m->geom_group[g] = 5;
    }
    rs_viewer_capture(v, &rgb, &w, &h);
    memcpy(without, rgb, n);
    for (int g = 0; g < m->ngeom && g < 64; g++)
        m->geom_group[g] = saved[g];
    /* the scene's centre (the tracked torso) must differ from the background */
    mjrRect sc = v->uis->rect[RECT_SCENE];
    int cx = sc.left + sc.width / 2, cy = sc.bottom + sc.height / 2, differ = 0, total = 0;
    for (int y = cy - h / 4; y < cy + h / 4; y++)
        for (int x = cx - sc.width / 6; x < cx + sc.width / 6; x++) {
            const unsigned char *a = with + 3 * ((size_t)y * w + x);
            const unsigned char *b = without + 3 * ((size_t)y * w + x);
            total++;
            differ += abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) > 60;
        }
    CHECK(differ > total / 50,
          "the robot shows at the centre: %d of %d pixels differ from the background", differ,
          total);
    /* the PNG on disk decodes to the captured pixels */
    char path[400];
    snprintf(path, sizeof path, "%s/shot.png", g_dir);
    CHECK(rs_viewer_screenshot(v, path) == 0, "screenshot: %s", rs_last_error());
    CHECK(png_file_matches(path, v->rgb, w, h), "screenshot decodes to the frame");
    free(with);
    free(without);
    rs_viewer_free(v);
}

/* Planes are drawn finite (hopper's floor is 40 m across) but a runner goes
 * further. 500 m out the floor must still be drawn under the robot (the
 * bottom of the scene changes when the floor is hidden), and the view must
 * be the one at 0 m (the checker fixed to the ground: hopper's period is
 * 2 * 20 m / 40 repeats = 1 m), while half a period further it differs. */
static double bottom_diff(const unsigned char *a, const unsigned char *b, int w, mjrRect sc,
                          int thresh) {
    int differ = 0, total = 0;
    for (int y = sc.bottom + 2; y < sc.bottom + sc.height / 5; y++)
        for (int x = sc.left + 2; x < sc.left + sc.width - 2; x++) {
            const unsigned char *p = a + 3 * ((size_t)y * w + x), *q = b + 3 * ((size_t)y * w + x);
            total++;
            differ += abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) > thresh;
        }
    return (double)differ / total;
}

static void test_floor_far_away(void) {
    const char *paths[2] = {g_a, g_b};
    rs_viewer *v = open_viewer(paths, 2, NULL, NULL);
    CHECK(v != NULL, "viewer opens under Xvfb");
    if (!v) return;
    v->show_info = v->show_fig = v->show_terms = 0;
    mjModel *m = v->m;
    mjData *d = v->env->d;
    int floor = mj_name2id(m, mjOBJ_GEOM, "floor");
    CHECK(floor >= 0, "the hopper has a geom named floor");
    if (floor < 0) {
        rs_viewer_free(v);
        return;
    }
    const unsigned char *rgb;
    int w, h;
    rs_viewer_capture(v, &rgb, &w, &h);
    size_t n = (size_t)w * h * 3;
    /* x0 + 500 for three x0 against x0 (a wrong period could still look right
     * from one place), half a period on, and the floor hidden */
    const double xs[8] = {0, 500, 0.3, 500.3, 0.6, 500.6, 500.5, 500};
    unsigned char *img[8];
    for (int k = 0; k < 8; k++) {
        d->qpos[0] = xs[k];
        mj_forward(m, d);
        int group = m->geom_group[floor];
        if (k == 7) m->geom_group[floor] = 5;
        rs_viewer_capture(v, &rgb, &w, &h);
        m->geom_group[floor] = group;
        img[k] = malloc(n);
        memcpy(img[k], rgb, n);
    }
    mjrRect sc = v->uis->rect[RECT_SCENE];
    double drawn = bottom_diff(img[1], img[7], w, sc, 12);
    CHECK(drawn > 0.5, "500 m out the floor covers %.0f%% of the bottom of the scene", 100 * drawn);
    for (int k = 0; k < 6; k += 2) {
        double same = bottom_diff(img[k], img[k + 1], w, sc, 12);
        CHECK(same < 0.02, "the floor at %g m differs from the floor at %g m in %.1f%% of pixels",
              xs[k + 1], xs[k], 100 * same);
    }
    double half = bottom_diff(img[1], img[6], w, sc, 12);
    CHECK(half > 0.3, "half a checker period further only %.1f%% of pixels change", 100 * half);
    for (int k = 0; k < 8; k++)
        free(img[k]);
    rs_viewer_free(v);
}

static void test_slider_two_experts(void) {
    const char *paths[2] = {g_a, g_b};
    rs_st *sts[2];
    load_sts(paths, 2, sts, NULL);
    double lam0[2] = {0.5, 0.5};
    rs_viewer *v = open_viewer(paths, 2, lam0, g_front);
    if (!v) {
        CHECK(0, "viewer opens");
        return;
    }
    rs_viewer_frame(v);
    double lam[2];
    /* a click at 30% of the slider */
    slide(v, 0, 0.3, 0.3);
    rs_viewer_frame(v);
    rs_viewer_lambda(v, lam);
    CHECK(fabs(lam[1] - 0.3) < 0.03, "click at 30%% of the slider: lambda_B = %g", lam[1]);
    CHECK(lam[0] == 1.0 - lam[1], "lambda = (1 - x, x): %.17g %.17g", lam[0], lam[1]);
    same_as_soup(rs_viewer_live_policy(v), sts, 2, lam, "slider click");
    /* a drag from 10% to 85% */
    slide(v, 0, 0.1, 0.85);
    rs_viewer_apply_pending(v);
    rs_viewer_lambda(v, lam);
    CHECK(fabs(lam[1] - 0.85) < 0.03, "drag to 85%%: lambda_B = %g", lam[1]);
    same_as_soup(rs_viewer_live_policy(v), sts, 2, lam, "slider drag");
    /* the keys: -0.05 twice, then +0.05 */
    double before = lam[1];
    key(v, GLFW_KEY_LEFT);
    key(v, GLFW_KEY_LEFT);
    key(v, GLFW_KEY_RIGHT);
    rs_viewer_frame(v);
    rs_viewer_lambda(v, lam);
    CHECK(fabs(lam[1] - (round(before * 1e6) / 1e6 - 0.05)) < 1e-9, "arrows: %g -> %g", before,
          lam[1]);
    same_as_soup(rs_viewer_live_policy(v), sts, 2, lam, "arrow keys");
    /* dragged past the left end: expert A itself, byte for byte */
    slide(v, 0, 0.1, -0.5);
    rs_viewer_apply_pending(v);
    rs_viewer_lambda(v, lam);
    CHECK(lam[1] == 0 && lam[0] == 1, "left end is expert A: %g", lam[1]);
    same_as_soup(rs_viewer_live_policy(v), sts, 2, lam, "left end");
    /* other keys: pause, speed, help, quit */
    key(v, GLFW_KEY_SPACE);
    CHECK(v->paused == 1, "space pauses");
    long st = rs_viewer_steps(v);
    rs_viewer_frame(v);
    CHECK(rs_viewer_steps(v) == st, "paused: no steps");
    key(v, GLFW_KEY_RIGHT_BRACKET);
    CHECK(v->speed == 2.0, "] doubles the speed: %g", v->speed);
    key(v, GLFW_KEY_H);
    CHECK(v->show_help == 1, "H shows the help");
    rs_viewer_frame(v);
    key(v, GLFW_KEY_ESCAPE);
    CHECK(rs_viewer_frame(v) == 0, "Esc quits");
    rs_viewer_free(v);
    rs_st_free(sts[0]);
    rs_st_free(sts[1]);
}

static void test_slider_three_experts(void) {
    const char *paths[3] = {g_a, g_b, g_c};
    rs_st *sts[3];
    load_sts(paths, 3, sts, NULL);
    rs_viewer *v = open_viewer(paths, 3, NULL, g_front);
    if (!v) {
        CHECK(0, "viewer opens");
        return;
    }
    /* the 2-expert front does not belong to three experts: warned, not drawn */
    CHECK(strstr(rs_viewer_warnings(v), "lambda column") != NULL, "front mismatch warned: '%s'",
          rs_viewer_warnings(v));
    CHECK(v->front == NULL, "mismatched front not drawn");
    rs_viewer_frame(v);
    double lam[3];
    slide(v, 2, 0.6, 0.6);
    rs_viewer_frame(v);
    rs_viewer_lambda(v, lam);
    CHECK(fabs(lam[2] - 0.6) < 0.03, "C's slider at 60%%: %g", lam[2]);
    CHECK(fabs(lam[0] - lam[1]) < 1e-12, "A and B keep equal shares: %g %g", lam[0], lam[1]);
    CHECK(fabs(lam[0] + lam[1] + lam[2] - 1) < 1e-12, "on the simplex");
    same_as_soup(rs_viewer_live_policy(v), sts, 3, lam, "3 experts, slider C");
    CHECK(fabs(v->ui_lam[0] - lam[0]) < 1e-12, "the other sliders follow");
    slide(v, 0, 0.95, 0.95);
    rs_viewer_apply_pending(v);
    rs_viewer_lambda(v, lam);
    same_as_soup(rs_viewer_live_policy(v), sts, 3, lam, "3 experts, slider A");
    rs_viewer_free(v);
    for (int i = 0; i < 3; i++)
        rs_st_free(sts[i]);
}

static void test_frame_loop_allocates_nothing(void) {
    const char *paths[2] = {g_a, g_b};
    rs_viewer *v = open_viewer(paths, 2, NULL, g_front);
    if (!v) {
        CHECK(0, "viewer opens");
        return;
    }
    v->o.force_png = 1;
    char rec[400];
    snprintf(rec, sizeof rec, "%s/rec.mp4", g_dir);
    v->o.record = rec;
    v->speed = 4; /* random experts fall at once: episode ends are exercised */
    for (int i = 0; i < 3; i++)
        rs_viewer_frame(v);
    long ep0 = v->episode;
    g_ours = g_all = g_mj = 0;
    g_counting = 1;
    for (int i = 0; i < 24; i++) {
        if (i == 4) slide(v, 0, 0.2, 0.7);
        if (i == 6) key(v, GLFW_KEY_RIGHT);
        if (i == 8) key(v, GLFW_KEY_S); /* stochastic actions */
        if (i == 10) key(v, GLFW_KEY_BACKSPACE);
        if (i == 12) key(v, GLFW_KEY_H);
        if (i == 14) { /* starting a recording allocates its buffers: not counted */
            g_counting = 0;
            rs_view_record_toggle(v);
            g_counting = 1;
        }
        rs_viewer_frame(v);
    }
    g_counting = 0;
    long frames_rec = v->rec ? rs_recorder_frames(v->rec) : 0;
    rs_view_record_toggle(v);
    fprintf(stderr,
            "    24 frames (%ld episodes, %ld recorded): %ld allocations from rsoup, libmujoco "
            "or OpenBLAS, %ld by MuJoCo's allocator, %ld in all (GL driver, X11)\n",
            v->episode - ep0, frames_rec, g_ours, g_mj, g_all);
#if COUNT_MALLOC
    CHECK(g_ours == 0, "the frame loop allocated %ld times", g_ours);
#else
    fprintf(stderr, "    (sanitizer build: malloc is not counted; MuJoCo's allocator is)\n");
#endif
    CHECK(g_mj == 0, "MuJoCo allocated %ld times in the frame loop", g_mj);
    CHECK(v->episode > ep0, "an episode ended or was reset while counting");
    CHECK(frames_rec == 10, "recorded %ld frames", frames_rec);
    char f0[400];
    snprintf(f0, sizeof f0, "%s/rec_000000.png", g_dir);
    CHECK(access(f0, R_OK) == 0, "PNG frames written: %s", f0);
    rs_viewer_free(v);
}

/* The render cost: names, the software-renderer test, AUTO's choice under
 * Xvfb (llvmpipe: FAST for a window, FULL for batch frames), and a batch
 * screenshot drawing only its last frame. */
static void test_quality(void) {
    CHECK(rs_view_renderer_is_software("llvmpipe (LLVM 15.0.6, 256 bits)") &&
              rs_view_renderer_is_software("softpipe") &&
              rs_view_renderer_is_software("Google SwiftShader") &&
              !rs_view_renderer_is_software("NVIDIA GeForce RTX 3080/PCIe/SSE2") &&
              !rs_view_renderer_is_software("AMD Radeon RX 6800 (radeonsi, navi21, LLVM 15.0.6)") &&
              !rs_view_renderer_is_software(NULL),
          "software renderers are told from GPUs by GL_RENDERER");
    for (int q = RS_VIEW_QUALITY_AUTO; q <= RS_VIEW_QUALITY_PLAIN; q++) {
        rs_view_quality back = RS_VIEW_QUALITY_AUTO;
        CHECK(rs_view_quality_parse(rs_view_quality_name((rs_view_quality)q), &back) == 0 &&
                  back == (rs_view_quality)q,
              "quality %d's name reads back", q);
    }
    rs_view_quality q;
    CHECK(rs_view_quality_parse("best", &q) == -1 && rs_view_quality_parse(NULL, &q) == -1,
          "unknown quality names are refused");
    int sh, re;
    double sc;
    rs_view_quality_settings(RS_VIEW_QUALITY_FULL, &sh, &re, &sc);
    CHECK(sh && re && sc == 1, "full: shadows, reflections, every pixel");
    rs_view_quality_settings(RS_VIEW_QUALITY_PLAIN, &sh, &re, &sc);
    CHECK(!sh && !re && sc == 1, "plain: neither, every pixel");
    rs_view_quality_settings(RS_VIEW_QUALITY_FAST, &sh, &re, &sc);
    CHECK(sh && sc > 0 && sc < 1, "fast: shadows kept, fewer pixels (scale %g)", sc);

    const char *paths[2] = {g_a, g_b};
    rs_viewer *v = open_viewer(paths, 2, NULL, NULL);
    CHECK(v != NULL, "viewer opens under Xvfb");
    if (!v) return;
    CHECK(v->software && v->quality == RS_VIEW_QUALITY_FAST && v->scale < 1,
          "a window on %s defaults to fast (quality %s, scale %g)", v->renderer,
          rs_view_quality_name(v->quality), v->scale);
    long r0 = v->renders;
    for (int i = 0; i < 3; i++)
        CHECK(rs_viewer_frame(v) == 1, "scaled window frame %d", i);
    CHECK(v->renders == r0 + 3, "each window frame draws the scene");
    /* the step down, on a clock and frame count of the test's own: 25
     * frames/s in seconds 1 to 3 drops the shadows, once */
    v->adapt = 1;
    v->adapt_t0 = -1;
    v->scn.flags[mjRND_SHADOW] = 1;
    v->scale = RS_VIEW_FAST_SCALE;
    v->frames = 0;
    rs_view_adapt(v, 100.0); /* the first frame: the first second is skipped */
    v->frames = 30;
    rs_view_adapt(v, 101.0); /* counting starts */
    v->frames = 30 + 40;
    rs_view_adapt(v, 102.5);
    CHECK(v->adapt && v->scn.flags[mjRND_SHADOW], "no decision before 2 s of frames");
    v->frames = 30 + 50;
    rs_view_adapt(v, 103.0);
    CHECK(!v->adapt && !v->scn.flags[mjRND_SHADOW] && v->scale == RS_VIEW_FAST_STEP_SCALE,
          "25 frames/s: shadows off, scene at %g", v->scale);
    /* 40 frames/s keeps them */
    v->adapt = 1;
    v->adapt_t0 = -1;
    v->scn.flags[mjRND_SHADOW] = 1;
    v->scale = RS_VIEW_FAST_SCALE;
    v->frames = 0;
    rs_view_adapt(v, 200.0);
    rs_view_adapt(v, 201.0);
    v->frames = 80;
    rs_view_adapt(v, 203.0);
    CHECK(!v->adapt && v->scn.flags[mjRND_SHADOW] && v->scale == RS_VIEW_FAST_SCALE,
          "40 frames/s: shadows stay");
    rs_viewer_free(v);

    rs_viewer_opts o;
    rs_viewer_default_opts(&o);
    o.paths = paths;
    o.n = 2;
    o.model = g_model;
    o.hidden = 1;
    o.vsync = 0;
    o.frames = 5;
    char shot[400];
    snprintf(shot, sizeof shot, "%s/quality_shot.png", g_dir);
    o.screenshot = shot;
    rs_viewer_err err;
    v = rs_viewer_new(&o, &err);
    CHECK(v && rs_viewer_open(v, &err) == 0, "a batch viewer opens: %s", rs_last_error());
    if (!v) return;
    CHECK(v->quality == RS_VIEW_QUALITY_FULL && v->scale == 1,
          "batch frames render full quality (%s)", rs_view_quality_name(v->quality));
    CHECK(rs_viewer_run(v) == 0 && v->frames == 5, "five batch frames: %s", rs_last_error());
    CHECK(v->renders == 1, "a screenshot draws only the frame it keeps (%ld drawn)", v->renders);
    struct stat stt;
    CHECK(stat(shot, &stt) == 0 && stt.st_size > 0, "the screenshot is written");
    rs_viewer_free(v);
}

/* With a front, the figure's axes are the front's: a running episode far
 * outside it (a short hopper episode's 1000-step estimate) moves neither
 * axis, and its points are drawn on the border. */
static void test_figure_axes_follow_front(void) {
    const char *paths[2] = {g_a, g_b};
    rs_viewer *v = open_viewer(paths, 2, NULL, g_front);
    CHECK(v != NULL && v->front && v->ax_live, "viewer with a front opens");
    if (!v) return;
    v->t = 0;
    v->ntrail = v->npast = 0;
    rs_view_plot_update(v);
    float r[2][2];
    memcpy(r, v->fig->range, sizeof r);
    CHECK(r[0][1] > r[0][0] && r[1][1] > r[1][0], "the axes have extent");
    v->t = 10;
    for (int i = 0; i < RS_MAX_TERMS; i++)
        v->ret[i] = 1e5 * (i % 2 ? -1 : 1);
    v->trail[0][0] = 1e7f;
    v->trail[0][1] = -1e7f;
    v->ntrail = 1;
    v->past[0][0] = -1e7f;
    v->past[0][1] = 1e7f;
    v->npast = 1;
    rs_view_plot_update(v);
    CHECK(!memcmp(r, v->fig->range, sizeof r), "far live points do not move the axes");
    double wx = r[0][1] - r[0][0], wy = r[1][1] - r[1][0];
    int inside = 1, drawn = 0;
    for (int l = 0; l < mjMAXLINE; l++)
        for (int k = 0; k < v->fig->linepnt[l]; k++) {
            float x = v->fig->linedata[l][2 * k], y = v->fig->linedata[l][2 * k + 1];
            drawn++;
            inside &= x >= r[0][0] - 0.05 * wx && x <= r[0][1] + 0.05 * wx &&
                      y >= r[1][0] - 0.05 * wy && y <= r[1][1] + 0.05 * wy;
        }
    CHECK(inside && drawn > 0, "every point drawn lies on the figure (%d points)", drawn);
    rs_viewer_free(v);
}

/* A front that names its rewards: drawn without a warning, its axes named
 * by the names and scored on the specs of its reward lines. */
static void test_named_front(void) {
    const char *paths[2] = {g_a, g_b};
    rs_viewer *v = open_viewer(paths, 2, NULL, g_front_named);
    CHECK(v != NULL && v->front && v->ax_live, "viewer with a named front opens and draws it");
    if (!v) return;
    CHECK(rs_viewer_warnings(v)[0] == 0, "a named front gives no warning: %s", rs_viewer_warnings(v));
    CHECK(!strcmp(v->axname[0], "fast") && !strcmp(v->axname[1], "calm"), "axes named '%s', '%s'",
          v->axname[0], v->axname[1]);
    double w0[RS_MAX_TERMS], w1[RS_MAX_TERMS];
    const rs_env_spec *s = rs_env_find("hopper");
    rs_reward_parse(s, "default", w0);
    rs_reward_parse(s, "forward=1,ctrl=2", w1);
    size_t nb = sizeof(double) * (size_t)s->n_terms;
    CHECK(!memcmp(v->axw[0], w0, nb) && !memcmp(v->axw[1], w1, nb),
          "the axes' weights are the reward lines' specs");
    rs_viewer_free(v);
}

/* Three experts with their front (the lattice of resolution 2, the experts'
 * rows): the figure draws the soups that no other soup beats on both axes,
 * found here by brute force over the rows, and no marker of the live
 * episode shares an expert's colour. */
static void test_front_three_experts(void) {
    const char *paths[3] = {g_a, g_b, g_c};
    rs_viewer *v = open_viewer(paths, 3, NULL, g_front3);
    CHECK(v != NULL && v->front != NULL, "viewer with a 3-expert front opens and keeps it: %s",
          v ? rs_viewer_warnings(v) : "");
    if (!v || !v->front) {
        if (v) rs_viewer_free(v);
        return;
    }
    v->t = 10;
    for (int i = 0; i < RS_MAX_TERMS; i++) v->ret[i] = 3 + i;
    rs_view_plot_update(v);
    const rs_front *f = v->front;
    /* the non-dominated soups on (default, cautious), brute force */
    int want = 0;
    for (int r = 0; r < f->n; r++) {
        if (f->kind[r] != RS_KIND_SOUP) continue;
        int dom = 0;
        for (int q = 0; q < f->n; q++) {
            if (q == r || f->kind[q] != RS_KIND_SOUP) continue;
            double xq = f->obj[q * 3], yq = f->obj[q * 3 + 1], xr = f->obj[r * 3], yr = f->obj[r * 3 + 1];
            dom |= xq >= xr && yq >= yr && (xq > xr || yq > yr);
        }
        if (dom) continue;
        want++;
        int found = 0;
        for (int k = 0; k < v->fig->linepnt[0]; k++)
            found |= v->fig->linedata[0][2 * k] == (float)f->obj[r * 3] &&
                     v->fig->linedata[0][2 * k + 1] == (float)f->obj[r * 3 + 1];
        CHECK(found, "non-dominated soup %d (%g, %g) drawn", r, f->obj[r * 3], f->obj[r * 3 + 1]);
    }
    CHECK(want == 4 && v->fig->linepnt[0] == want, "front line: %d points, want %d", v->fig->linepnt[0], want);
    /* every expert's marker, and the estimate's colour apart from all of them */
    const int est = 4 + 3;
    CHECK(v->fig->linepnt[est] > 0 && strstr(v->fig->linename[est], "estimate"), "the estimate is drawn");
    for (int i = 0; i < 3; i++) {
        CHECK(v->fig->linepnt[1 + i] > 0, "expert %d's marker drawn", i);
        const float *a = v->fig->linergb[1 + i], *b = v->fig->linergb[est];
        double d = fabs(a[0] - b[0]) + fabs(a[1] - b[1]) + fabs(a[2] - b[2]);
        CHECK(d > 0.5, "the estimate's colour is expert %c's (distance %g)", 'A' + i, d);
    }
    rs_viewer_free(v);
    /* one soup best on both axes: still drawn, as a marker around it */
    char one[400];
    snprintf(one, sizeof one, "%s/front3_one.csv", g_dir);
    write_text(one, "kind,label,lambda:0,lambda:1,lambda:2,episodes,obj:default,std:default,obj:cautious,"
                    "std:cautious,length\n"
                    "soup,a,1,0,0,2,50,1,20,1,50\nsoup,ab,0.5,0.5,0,2,90,1,80,1,50\n"
                    "soup,b,0,1,0,2,40,1,70,1,50\nsoup,c,0,0,1,2,60,1,30,1,50\n");
    v = open_viewer(paths, 3, NULL, one);
    CHECK(v != NULL && v->front != NULL, "a front with one non-dominated soup is kept");
    if (!v || !v->front) {
        if (v) rs_viewer_free(v);
        return;
    }
    rs_view_plot_update(v);
    float cx = 0, cy = 0;
    for (int k = 0; k < 4; k++) cx += v->fig->linedata[0][2 * k] / 4, cy += v->fig->linedata[0][2 * k + 1] / 4;
    CHECK(v->fig->linepnt[0] == 5 && fabsf(cx - 90) < 1e-3f && fabsf(cy - 80) < 1e-3f,
          "the lone soup: %d points around (%g, %g)", v->fig->linepnt[0], cx, cy);
    rs_viewer_free(v);
}

/* a recording's path of RS_PATH_MAX characters is kept whole (its frames'
 * names were cut by one); a longer one is refused, not cut */
static void test_record_long_path(void) {
    char p[RS_PATH_MAX + 2];
    memset(p, 'a', sizeof p - 1);
    p[sizeof p - 1] = 0;
    CHECK(rs_recorder_new(p, 4, 4, 30, 1) == NULL && strstr(rs_last_error(), "too long"),
          "a %zu-character path: %s", strlen(p), rs_last_error());
    p[RS_PATH_MAX] = 0;
    memcpy(p + RS_PATH_MAX - 4, ".png", 4);
    rs_recorder *r = rs_recorder_new(p, 4, 4, 30, 1);
    CHECK(r != NULL, "a %d-character path: %s", RS_PATH_MAX, rs_last_error());
    if (!r) return;
    char want[RS_PATH_BUF];
    snprintf(want, sizeof want, "%.*s_%%06d.png", RS_PATH_MAX - 4, p);
    CHECK(!strcmp(rs_recorder_target(r), want), "target of %zu characters, want %zu",
          strlen(rs_recorder_target(r)), strlen(want));
    rs_recorder_close(r);
}

static const rs_test_case k_cases[] = {
    T(test_record_long_path),
    T(test_png_checksums),
    T(test_png_roundtrip),
    T(test_livemix_bits),
    T(test_simplex_rule),
    T(test_mismatch_before_window),
    T(test_no_display),
    T(test_render_and_screenshot),
    T(test_floor_far_away),
    T(test_slider_two_experts),
    T(test_slider_three_experts),
    T(test_frame_loop_allocates_nothing),
    T(test_quality),
    T(test_figure_axes_follow_front),
    T(test_named_front),
    T(test_front_three_experts),
};

static int on_path(const char *prog) {
    const char *p = getenv("PATH");
    char buf[4096];
    while (p && *p) {
        const char *c = strchr(p, ':');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
        if (n && access(buf, X_OK) == 0) return 1;
        p += n + (c ? 1 : 0);
    }
    return 0;
}

/* run this program again under xvfb-run, in a private TMPDIR (xvfb-run
 * keeps its auth file there and fails if it cannot remove it); the tests'
 * verdict comes back through a file so that xvfb-run's own exit status
 * cannot mask it */
static int rerun_under_xvfb(void) {
    if (!on_path("xvfb-run")) {
        printf("test_viewer: SKIP: xvfb-run not found (install xvfb: scripts/setup.sh)\n");
        return 0;
    }
    char self[4096];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    if (k <= 0) {
        perror("test_viewer: /proc/self/exe");
        return 1;
    }
    self[k] = 0;
    char dir[512], result[600];
    snprintf(dir, sizeof dir, "%s/rs_test_viewer_x.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("test_viewer: mkdtemp");
        return 1;
    }
    snprintf(result, sizeof result, "%s/result", dir);
    setenv("RS_TEST_VIEWER_RESULT", result, 1);
    setenv("TMPDIR", dir, 1);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("xvfb-run", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", self, (char *)NULL);
        perror("test_viewer: xvfb-run");
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    int rc = 1, xrc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FILE *f = fopen(result, "r");
    if (!f || fscanf(f, "%d", &rc) != 1) {
        fprintf(stderr, "test_viewer: xvfb-run ended (status %d) before the tests finished\n", xrc);
        rc = 1;
    } else if (xrc != 0 && xrc != 5) {
        /* the tests finished, then the process failed: a sanitizer report at exit
         * (5 is xvfb-run failing to remove its own temporary directory) */
        fprintf(stderr, "test_viewer: the test process exited with status %d\n", xrc);
        rc = 1;
    }
    if (f) fclose(f);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "test_viewer: could not remove %s\n", dir);
    return rc;
}

int main(void) {
    const char *result = getenv("RS_TEST_VIEWER_RESULT");
    if (!result) return rerun_under_xvfb();
    mju_user_malloc = mj_alloc;
    mju_user_free = mj_free;
    dl_iterate_phdr(add_ranges, NULL);
    void *prime[2];
    backtrace(prime, 2); /* its first call loads the unwinder (and allocates) */
    if (setup() != 0) {
        fprintf(stderr, "test_viewer: cannot create the fixtures in %s\n", g_dir);
        return 1;
    }
    int rc = rs_test_run(__FILE__, k_cases, (int)(sizeof k_cases / sizeof k_cases[0]));
    teardown();
    FILE *f = fopen(result, "w");
    if (f) {
        fprintf(f, "%d\n", rc);
        fclose(f);
    }
    return rc;
}

#endif

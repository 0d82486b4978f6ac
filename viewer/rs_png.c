/* rs_png.c — PNG writer: row filters, LZ77 + fixed-Huffman deflate, zlib
 * framing, CRC-32 chunks. */
#include "rs_png.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_common.h"

/* ---- checksums ---- */

static uint32_t g_crc_table[256];
static int g_crc_ready;

static void crc_init(void) {
    /* reflected CRC-32, polynomial 0xEDB88320 (PNG spec, annex D) */
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        g_crc_table[n] = c;
    }
    g_crc_ready = 1;
}

uint32_t rs_crc32(uint32_t crc, const void *data, size_t n) {
    if (!g_crc_ready) crc_init(); /* idempotent: a race writes the same values */
    const unsigned char *p = data;
    uint32_t c = crc ^ 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = g_crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

uint32_t rs_adler32(uint32_t adler, const void *data, size_t n) {
    const unsigned char *p = data;
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    while (n > 0) {
        /* 5552 bytes is the most that cannot overflow 32 bits before the modulo */
        size_t k = n < 5552 ? n : 5552;
        n -= k;
        while (k--) {
            a += *p++;
            b += a;
        }
        a %= 65521u;
        b %= 65521u;
    }
    return (b << 16) | a;
}

/* ---- bit output, least significant bit first (RFC 1951 §3.1.1) ---- */

typedef struct {
    unsigned char *p;
    size_t n;
    uint64_t bits;
    int nb;
} bitw;

static inline void put_bits(bitw *w, uint32_t v, int n) {
    w->bits |= (uint64_t)v << w->nb;
    w->nb += n;
    while (w->nb >= 8) {
        w->p[w->n++] = (unsigned char)w->bits;
        w->bits >>= 8;
        w->nb -= 8;
    }
}

static inline uint32_t reverse_bits(uint32_t v, int n) {
    uint32_t r = 0;
    for (int i = 0; i < n; i++)
        r |= ((v >> i) & 1u) << (n - 1 - i);
    return r;
}

/* Huffman codes are sent most significant bit first: store them reversed */
static uint16_t g_lit_code[288];
static uint8_t g_lit_len[288];
static uint8_t g_dist_code[30];
static int g_codes_ready;

static const uint16_t k_len_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                        15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                        67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t k_len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                        2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t k_dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t k_dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                         6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void codes_init(void) {
    /* the fixed literal/length code (RFC 1951 §3.2.6) */
    for (int v = 0; v < 288; v++) {
        uint32_t code;
        int len;
        if (v < 144) {
            code = 0x30 + (uint32_t)v;
            len = 8;
        } else if (v < 256) {
            code = 0x190 + (uint32_t)(v - 144);
            len = 9;
        } else if (v < 280) {
            code = (uint32_t)(v - 256);
            len = 7;
        } else {
            code = 0xC0 + (uint32_t)(v - 280);
            len = 8;
        }
        g_lit_code[v] = (uint16_t)reverse_bits(code, len);
        g_lit_len[v] = (uint8_t)len;
    }
    for (int d = 0; d < 30; d++)
        g_dist_code[d] = (uint8_t)reverse_bits((uint32_t)d, 5);
    g_codes_ready = 1;
}

static inline void put_literal(bitw *w, int v) { put_bits(w, g_lit_code[v], g_lit_len[v]); }

static void put_match(bitw *w, int len, int dist) {
    int lc = 28;
    while (k_len_base[lc] > len)
        lc--;
    put_literal(w, 257 + lc);
    if (k_len_extra[lc]) put_bits(w, (uint32_t)(len - k_len_base[lc]), k_len_extra[lc]);
    int dc = 29;
    while (k_dist_base[dc] > dist)
        dc--;
    put_bits(w, g_dist_code[dc], 5);
    if (k_dist_extra[dc]) put_bits(w, (uint32_t)(dist - k_dist_base[dc]), k_dist_extra[dc]);
}

/* ---- LZ77 over the filtered bytes ---- */

#define HASH_BITS 15
#define WSIZE 32768
#define WMASK (WSIZE - 1)
#define MAX_CHAIN 12
#define MIN_MATCH 3
#define MAX_MATCH 258

static inline uint32_t hash3(const unsigned char *s) {
    uint32_t v = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void deflate_fixed(rs_png *p, bitw *w, const unsigned char *src, size_t n) {
    int32_t *head = p->head, *prev = p->prev;
    for (int i = 0; i < (1 << HASH_BITS); i++)
        head[i] = -1;
    put_bits(w, 1, 1); /* BFINAL */
    put_bits(w, 1, 2); /* BTYPE 01: fixed Huffman codes */
    size_t i = 0;
    while (i < n) {
        int best = 0;
        size_t best_d = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = hash3(src + i);
            int32_t j = head[h];
            size_t maxlen = n - i < MAX_MATCH ? n - i : MAX_MATCH;
            for (int depth = 0; j >= 0 && depth < MAX_CHAIN; depth++) {
                size_t d = i - (size_t)j;
                if (d > WSIZE) break;
                if (src[j + best] == src[i + best]) {
                    size_t l = 0;
                    while (l < maxlen && src[j + l] == src[i + l])
                        l++;
                    if ((int)l > best) {
                        best = (int)l;
                        best_d = d;
                        if (l == maxlen) break;
                    }
                }
                int32_t nj = prev[j & WMASK];
                if (nj >= j) break; /* a slot reused by a newer position: chain ends */
                j = nj;
            }
            prev[i & WMASK] = head[h];
            head[h] = (int32_t)i;
        }
        if (best >= MIN_MATCH) {
            put_match(w, best, (int)best_d);
            /* index the positions inside the match so later data finds them */
            for (size_t k = i + 1; k < i + (size_t)best && k + MIN_MATCH <= n; k++) {
                uint32_t h = hash3(src + k);
                prev[k & WMASK] = head[h];
                head[h] = (int32_t)k;
            }
            i += (size_t)best;
        } else {
            put_literal(w, src[i]);
            i++;
        }
    }
    put_literal(w, 256); /* end of block */
    if (w->nb) put_bits(w, 0, 8 - w->nb);
}

/* ---- row filters (PNG spec §9) ---- */

static inline int paeth(int a, int b, int c) {
    int pp = a + b - c;
    int pa = abs(pp - a), pb = abs(pp - b), pc = abs(pp - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

static void filter_rows(rs_png *p, const unsigned char *rgb, int bottom_up) {
    const size_t rb = (size_t)p->w * 3;
    for (int y = 0; y < p->h; y++) {
        const unsigned char *row = rgb + rb * (size_t)(bottom_up ? p->h - 1 - y : y);
        const unsigned char *up = y == 0 ? NULL : rgb + rb * (size_t)(bottom_up ? p->h - y : y - 1);
        unsigned char *dst = p->filt + (rb + 1) * (size_t)y;
        /* cost of each filter: sum of |bytes| read as signed */
        long cost[5] = {0, 0, 0, 0, 0};
        for (size_t x = 0; x < rb; x++) {
            int a = x >= 3 ? row[x - 3] : 0, b = up ? up[x] : 0, c = (up && x >= 3) ? up[x - 3] : 0;
            int r = row[x];
            cost[0] += abs((signed char)(unsigned char)r);
            cost[1] += abs((signed char)(unsigned char)(r - a));
            cost[2] += abs((signed char)(unsigned char)(r - b));
            cost[3] += abs((signed char)(unsigned char)(r - ((a + b) >> 1)));
            cost[4] += abs((signed char)(unsigned char)(r - paeth(a, b, c)));
        }
        int f = 0;
        for (int k = 1; k < 5; k++)
            if (cost[k] < cost[f]) f = k;
        dst[0] = (unsigned char)f;
        for (size_t x = 0; x < rb; x++) {
            int a = x >= 3 ? row[x - 3] : 0, b = up ? up[x] : 0, c = (up && x >= 3) ? up[x - 3] : 0;
            int pred = f == 0   ? 0
                       : f == 1 ? a
                       : f == 2 ? b
                       : f == 3 ? (a + b) >> 1
                                : paeth(a, b, c);
            dst[1 + x] = (unsigned char)(row[x] - pred);
        }
    }
}

/* ---- the file ---- */

static inline void be32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

rs_png *rs_png_new(int w, int h) {
    if (w < 1 || h < 1 || w > 16384 || h > 16384) {
        rs_set_error("png: bad image size %dx%d", w, h);
        return NULL;
    }
    if (!g_codes_ready) codes_init();
    if (!g_crc_ready) crc_init();
    rs_png *p = rs_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->w = w;
    p->h = h;
    size_t fsize = (size_t)h * (1 + 3 * (size_t)w);
    /* a fixed-Huffman literal costs at most 9 bits: the stream never exceeds
     * 9/8 of its input, plus headers and chunk framing */
    p->cap = fsize + fsize / 8 + 256;
    p->filt = rs_malloc(fsize);
    p->out = rs_malloc(p->cap);
    p->head = rs_malloc(sizeof(int32_t) << HASH_BITS);
    p->prev = rs_malloc(sizeof(int32_t) * WSIZE);
    if (!p->filt || !p->out || !p->head || !p->prev) {
        rs_png_free(p);
        return NULL;
    }
    return p;
}

void rs_png_free(rs_png *p) {
    if (!p) return;
    free(p->filt);
    free(p->out);
    free(p->head);
    free(p->prev);
    free(p);
}

void rs_png_encode(rs_png *p, const unsigned char *rgb, int bottom_up) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char *o = p->out;
    size_t n = 0;
    memcpy(o, sig, 8);
    n = 8;
    /* IHDR: size, bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace */
    be32(o + n, 13);
    memcpy(o + n + 4, "IHDR", 4);
    be32(o + n + 8, (uint32_t)p->w);
    be32(o + n + 12, (uint32_t)p->h);
    o[n + 16] = 8;
    o[n + 17] = 2;
    o[n + 18] = 0;
    o[n + 19] = 0;
    o[n + 20] = 0;
    be32(o + n + 21, rs_crc32(0, o + n + 4, 17));
    n += 25;
    /* IDAT: zlib header (deflate, 32K window; 0x7801 is a multiple of 31) */
    size_t idat = n;
    memcpy(o + n + 4, "IDAT", 4);
    n += 8;
    o[n++] = 0x78;
    o[n++] = 0x01;
    size_t fsize = (size_t)p->h * (1 + 3 * (size_t)p->w);
    filter_rows(p, rgb, bottom_up);
    bitw w = {o + n, 0, 0, 0};
    deflate_fixed(p, &w, p->filt, fsize);
    n += w.n;
    be32(o + n, rs_adler32(1, p->filt, fsize));
    n += 4;
    be32(o + idat, (uint32_t)(n - idat - 8));
    be32(o + n, rs_crc32(0, o + idat + 4, n - idat - 4));
    n += 4;
    be32(o + n, 0);
    memcpy(o + n + 4, "IEND", 4);
    be32(o + n + 8, rs_crc32(0, "IEND", 4));
    n += 12;
    p->len = n;
}

int rs_png_write(rs_png *p, const unsigned char *rgb, int bottom_up, const char *path) {
    rs_png_encode(p, rgb, bottom_up);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        rs_set_error("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < p->len) {
        ssize_t k = write(fd, p->out + off, p->len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            rs_set_error("cannot write '%s': %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        off += (size_t)k;
    }
    if (close(fd) != 0) {
        rs_set_error("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int rs_png_save(const char *path, const unsigned char *rgb, int w, int h, int bottom_up) {
    rs_png *p = rs_png_new(w, h);
    if (!p) return -1;
    int rc = rs_png_write(p, rgb, bottom_up, path);
    rs_png_free(p);
    return rc;
}

/* rs_common.h — small pieces every module uses: errors, RNG, clock.
 *
 * Errors: a function that can fail returns int (0 ok, -1 error) or NULL and
 * records a message with rs_set_error(); callers read it with rs_last_error().
 * The message is thread-local, so worker threads never clobber each other. */
#ifndef RS_COMMON_H
#define RS_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RS_VERSION "0.1.0"

/* The longest path rsoup takes (the command line refuses a longer one:
 * docs/reliability.md), and a buffer for one such path with a file name
 * appended ("/policy.safetensors", a frame's "_000123.png") */
#define RS_PATH_MAX 1024
#define RS_PATH_BUF (RS_PATH_MAX + 76)

#if defined(__GNUC__)
#define RS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RS_PRINTF(a, b)
#endif

/* ---- errors ---- */
#define RS_ERROR_MAX 1024 /* the message's size, its NUL included: longer ones are cut */
void rs_set_error(const char *fmt, ...) RS_PRINTF(1, 2);
const char *rs_last_error(void);
void rs_clear_error(void);

/* ---- RNG: xoshiro256** seeded through splitmix64 ----
 * Every env and worker gets its own stream: rs_rng_seed(r, seed, stream). */
typedef struct rs_rng {
    uint64_t s[4];
    double spare; /* cached second normal from Box-Muller */
    int has_spare;
} rs_rng;

void rs_rng_seed(rs_rng *r, uint64_t seed, uint64_t stream);
uint64_t rs_rng_u64(rs_rng *r);
double rs_rng_uniform(rs_rng *r);            /* [0, 1) */
double rs_rng_uniform_range(rs_rng *r, double lo, double hi);
double rs_rng_normal(rs_rng *r);             /* N(0, 1) */
uint64_t rs_rng_below(rs_rng *r, uint64_t n); /* uniform in [0, n) */
/* n draws of rs_rng_normal in two steps, so that the costly part can run on
 * threads: rs_rng_normals_draw advances r exactly as n calls would and keeps
 * in nb what the values are made of (nb->u: room for n + 1 doubles);
 * rs_rng_normals_make then writes values [b, e) of the n as floats, any
 * ranges in any order, each the bits (float)rs_rng_normal() would give */
typedef struct rs_normals {
    size_t n;
    int lead;          /* 1: value 0 is the spare an earlier draw left */
    double lead_value;
    double *u;         /* pair k's (u1, u2): values lead + 2k (cos), lead + 2k + 1 (sin) */
} rs_normals;
void rs_rng_normals_draw(rs_rng *r, rs_normals *nb, size_t n);
void rs_rng_normals_make(const rs_normals *nb, float *x, size_t b, size_t e);
/* a state as 6 int64 (s[0..3], has_spare, the spare's bits), as checkpoints
 * store it; unpack returns -1 (error set) on a state no generator can be in
 * (all zero, a bad cached normal) */
void rs_rng_pack(const rs_rng *r, int64_t *o);
int rs_rng_unpack(rs_rng *r, const int64_t *o);

/* ---- clock ---- */
double rs_now(void); /* monotonic seconds */

/* ---- small utilities ---- */
void *rs_malloc(size_t n);  /* sets an error on failure */
void *rs_calloc(size_t n, size_t size);
char *rs_strdup(const char *s);
/* Allocation by size table, as llm.c's malloc_and_point and MuJoCo's
 * X-macro buffers: a module lists its buffers once, X(type, name, count),
 * and RS_BLOCK_NEW(LIST, obj) makes obj->block one zeroed block with a
 * named view obj->name per buffer, each 64-byte aligned (obj->block is NULL,
 * error set, when out of memory; free the block alone). */
static inline size_t rs_align64(size_t n) { return (n + 63) & ~(size_t)63; }
void *rs_block_new(size_t bytes); /* zeroed, 64-byte aligned; NULL + error */
#define RS_BLOCK_SIZE(type, name, count) off = rs_align64(off) + sizeof(type) * (size_t)(count);
#define RS_BLOCK_POINT(type, name, count)                                                          \
    off = rs_align64(off);                                                                         \
    self->name = (type *)(void *)(base + off);                                                        \
    off += sizeof(type) * (size_t)(count);
#define RS_BLOCK_NEW(LIST, obj)                                                                    \
    do {                                                                                           \
        size_t off = 0;                                                                            \
        LIST(RS_BLOCK_SIZE)                                                                        \
        char *base = rs_block_new(off);                                                            \
        (obj)->block = base;                                                                       \
        if (base) {                                                                                \
            __typeof__(obj) self = (obj);                                                          \
            off = 0;                                                                               \
            LIST(RS_BLOCK_POINT)                                                                   \
        }                                                                                          \
    } while (0)
/* read a whole file into a NUL-terminated buffer; *len gets its size */
/* a whole text file (NUL-terminated; *len its size if len is given): a
 * regular file or a pipe (`<(...)`; one without a writer reads as empty,
 * never waited on), at most RS_READ_MAX bytes; a device is refused. NULL
 * and an error naming the file. */
#define RS_READ_MAX (256 << 20)
char *rs_read_file(const char *path, size_t *len);
/* fopen for reading that refuses anything but a regular file, without
 * blocking on a FIFO; NULL and an error naming the file */
FILE *rs_fopen_regular(const char *path, const char *mode);
/* a byte as a message shows it: "'x'" when it is visible, else "byte 0xNN" */
const char *rs_byte_text(unsigned char c, char *buf, size_t n);

/* a number read back from a file or an option, strictly: the whole of s
 * (no leading or trailing text) is one finite number within [lo, hi].
 * 0, or -1 (nothing stored; no error set: the caller names the key) */
int rs_parse_number(const char *s, double lo, double hi, double *out);
/* obs_clip, the bound on normalised observations a policy keeps: 0 (no
 * clipping) to this. A trainer's config check and a policy's reader use
 * this one range, so that no run writes a policy that nothing can read. */
#define RS_OBS_CLIP_MAX 1e6

/* ---- files written and hashed (rs_io.c) ---- */
/* The one rule for where an output may go: a regular file (replaced or
 * appended to) or a name not taken yet. Never a folder, FIFO, device or
 * socket (replacing one destroys it, writing to one blocks or goes
 * nowhere), and never a symbolic link, whatever it points to (lstat: a link
 * in a run folder may point out of it; rsoup neither writes through one nor
 * replaces it). 0, or -1 with an error naming the path and what it is. */
int rs_output_ok(const char *path);
/* fopen(path, "w" or "a") under that rule: the file is opened without
 * following a link and without blocking on a FIFO, and only a regular file
 * is truncated or appended to. NULL and the error otherwise. */
FILE *rs_fopen_output(const char *path, const char *mode);
/* The one atomic write, for tensors, fronts, stamps and configs: path must
 * pass rs_output_ok; write(f, ctx) fills "<path>.tmp.<pid>" (created anew,
 * never through a link), which is flushed, fsync'ed and renamed over path,
 * and then the folder is fsync'ed so that the rename survives a crash. On
 * failure (write returns non-zero, or a step fails) the temporary file is
 * removed, a file already at path is untouched, errno is the failing step's
 * and the error names it. 0 or -1. */
int rs_write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx);
/* FNV-1a 64-bit hash of a buffer */
uint64_t rs_fnv1a64(const void *data, size_t len);
/* FNV-1a 64-bit hash of a file's bytes, also written as 16 lowercase hex
 * digits into the caller's hex[17]. On error returns 0, sets hex to "" and
 * sets an error naming the file (test hex[0] to tell an error from a hash
 * that happens to be 0). */
uint64_t rs_file_hash(const char *path, char hex[17]);

#endif

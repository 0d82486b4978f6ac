/* rs_png.h — a small PNG writer for screenshots and video frames.
 *
 * RGB8 images (colour type 2), one IDAT chunk holding a zlib stream (RFC
 * 1950) of one deflate block with the fixed Huffman codes (RFC 1951 §3.2.6)
 * and LZ77 matches found through hash chains; rows are filtered with the
 * PNG filter that minimises the sum of absolute signed bytes (the PNG spec's
 * recommended heuristic). No dependency beyond libc.
 *
 * An rs_png encoder owns every buffer for one image size, so encoding a
 * frame (rs_png_encode / rs_png_write) never allocates: the viewer records
 * from its frame loop with it. Ownership: rs_png_new / rs_png_free. */
#ifndef RS_PNG_H
#define RS_PNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rs_png {
    int w, h;
    unsigned char *filt; /* h rows of 1 + 3w bytes: filter type, filtered bytes */
    unsigned char *out;  /* the encoded file */
    size_t cap, len;
    int32_t *head, *prev; /* LZ77 hash heads and chain links */
} rs_png;

/* an encoder for w x h images; NULL (error set) on bad sizes or no memory */
rs_png *rs_png_new(int w, int h);
void rs_png_free(rs_png *p);

/* Encode rgb (w*h*3 bytes, rows top-down, or bottom-up as OpenGL reads them
 * when bottom_up) into p->out[0 .. p->len). No allocation. */
void rs_png_encode(rs_png *p, const unsigned char *rgb, int bottom_up);
/* Encode and write to path (open/write, no stdio: no allocation). 0 or -1
 * (error naming the file). */
int rs_png_write(rs_png *p, const unsigned char *rgb, int bottom_up, const char *path);
/* One-shot: a temporary encoder. */
int rs_png_save(const char *path, const unsigned char *rgb, int w, int h, int bottom_up);

/* checksums of the formats: crc starts at 0, adler at 1; chain calls to
 * cover a buffer in pieces */
uint32_t rs_crc32(uint32_t crc, const void *data, size_t n);
uint32_t rs_adler32(uint32_t adler, const void *data, size_t n);

#endif

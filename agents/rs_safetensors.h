/* rs_safetensors.h — named tensors + string metadata, stored as .safetensors.
 *
 * The file format (Hugging Face's safetensors):
 *   8 bytes   little-endian u64 N, the header length
 *   N bytes   UTF-8 JSON object, padded with trailing spaces:
 *               {"__metadata__": {"key": "value", ...},          (optional)
 *                "name": {"dtype": "F32", "shape": [2, 3],
 *                         "data_offsets": [begin, end]}, ...}
 *   rest      the data buffer; offsets are relative to its start, tensors are
 *             little-endian, row-major and contiguous, and together they cover
 *             the buffer exactly (no holes, no overlap).
 * So a checkpoint opens as it is with safetensors.torch / safetensors.numpy.
 *
 * An rs_st is an in-memory set of tensors and metadata, both kept in insertion
 * order; rs_st_save writes them in that order, so equal sets give equal bytes.
 * Every tensor owns a copy of its data. */
#ifndef RS_SAFETENSORS_H
#define RS_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

typedef enum { RS_DT_F32, RS_DT_F64, RS_DT_I32, RS_DT_I64, RS_DT_U8 } rs_dtype;

size_t rs_dtype_size(rs_dtype dt);      /* bytes per element; 0 if invalid */
const char *rs_dtype_name(rs_dtype dt); /* "F32", "F64", ...; "?" if invalid */
/* "F32" -> RS_DT_F32 etc; -1 (and an error) for a name rsoup does not know */
int rs_dtype_parse(const char *name, rs_dtype *out);

#define RS_ST_MAX_DIMS 4
/* headers larger than this are refused as absurd (the reference reader's limit) */
#define RS_ST_MAX_HEADER 100000000u

typedef struct rs_tensor {
    char *name;
    rs_dtype dtype;
    int ndim; /* 0 (a scalar) .. RS_ST_MAX_DIMS */
    int64_t shape[RS_ST_MAX_DIMS];
    void *data; /* owned, nbytes long, host byte order */
    size_t nbytes;
} rs_tensor;

int64_t rs_tensor_numel(const rs_tensor *t); /* product of shape; 1 for a scalar */

typedef struct rs_st rs_st;

rs_st *rs_st_new(void);
void rs_st_free(rs_st *st); /* NULL-safe */

/* Copy a tensor into the set. Errors: duplicate or empty name, the reserved
 * name "__metadata__", ndim outside 0..RS_ST_MAX_DIMS, a negative dim, a size
 * that overflows, data NULL while the tensor has elements. */
int rs_st_add(rs_st *st, const char *name, rs_dtype dtype, int ndim, const int64_t *shape,
              const void *data);
int rs_st_add_f32(rs_st *st, const char *name, int ndim, const int64_t *shape, const float *data);
int rs_st_add_f64(rs_st *st, const char *name, int ndim, const int64_t *shape, const double *data);

int rs_st_count(const rs_st *st);
const rs_tensor *rs_st_at(const rs_st *st, int i);              /* NULL if out of range */
const rs_tensor *rs_st_get(const rs_st *st, const char *name); /* NULL if absent */

/* Find a tensor and check its dtype and shape; on success *out (if non-NULL)
 * gets it. The error names the tensor and what was expected and found, e.g.
 *   "tensor 'pi.W0': shape [64, 11], expected [64, 17]".
 * ndim < 0 skips the shape check (shape may then be NULL). */
int rs_st_expect(const rs_st *st, const char *name, rs_dtype dtype, int ndim,
                 const int64_t *shape, const rs_tensor **out);

/* String metadata ("__metadata__"); set replaces the value of an existing key
 * and keeps its position. */
int rs_st_set_meta(rs_st *st, const char *key, const char *value);
const char *rs_st_meta(const rs_st *st, const char *key); /* NULL if absent */
int rs_st_meta_count(const rs_st *st);
int rs_st_meta_at(const rs_st *st, int i, const char **key, const char **value);

/* Write with rs_write_atomic: the bytes go to "<path>.tmp.<pid>", which is
 * flushed, fsync'ed and renamed over path, then the folder is fsync'ed. On
 * any error the temporary file is removed and an existing file at path is
 * left untouched. */
int rs_st_save(const rs_st *st, const char *path);

/* Read and validate a whole file; NULL and an error naming the file and the
 * problem if it is missing, truncated, or not well-formed safetensors.
 * Tensors come back in the order of the JSON header, which for files written
 * by rs_st_save is their insertion order. Dtypes other than those above
 * (F16, BF16, BOOL, ...) are refused. */
rs_st *rs_st_load(const char *path);
/* The header's metadata alone, with no tensors (the data buffer is not
 * read: a training checkpoint may hold a large replay buffer). */
rs_st *rs_st_load_meta(const char *path);
/* The shape one tensor has in the file's header, its data unread (to check
 * a checkpoint against its config before allocating what the config asks
 * for): its ndim, shape[] filled; -1 and an error naming the file when it
 * cannot be read or has no such tensor. */
int rs_st_header_shape(const char *path, const char *name, int64_t shape[RS_ST_MAX_DIMS]);

#endif

/* test_safetensors.c — the writer is checked against the format by reading its
 * bytes by hand, the reader against files whose bytes the test writes itself,
 * and every malformed file against the message it should produce. */
#include "rs_common.h"
#include "rs_safetensors.h"
#include "rs_test.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- scratch directory ---- */

static char g_dir[64];

static const char *tmp_path(const char *name) {
    static char buf[8][256];
    static int k = 0;
    char *p = buf[k++ % 8];
    if (!g_dir[0]) {
        strcpy(g_dir, "/tmp/rs_st_XXXXXX");
        if (!mkdtemp(g_dir)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    snprintf(p, 256, "%s/%s", g_dir, name);
    return p;
}

/* remove everything under dir (files and one level of subdirectories) */
static void rm_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void write_bytes(const char *path, const void *buf, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    if (n && fwrite(buf, 1, n, f) != n) exit(2);
    fclose(f);
}

static unsigned char *read_bytes(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len + 1);
    if (fread(buf, 1, (size_t)len, f) != (size_t)len) len = 0;
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* little-endian encodings computed with shifts, independent of the host */
static void le32(unsigned char *b, uint32_t v) {
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
}
static void le64(unsigned char *b, uint64_t v) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}
static void le_f32(unsigned char *b, float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    le32(b, u);
}
static void le_f64(unsigned char *b, double x) {
    uint64_t u;
    memcpy(&u, &x, 8);
    le64(b, u);
}

/* a file = LE length + header (padded with spaces to hlen_padded, or not
 * padded if 0) + data, all written here, never by rs_st_save */
static void make_file(const char *path, const char *header, size_t hlen_padded,
                      const unsigned char *data, size_t dlen) {
    size_t hl = strlen(header);
    size_t n = hlen_padded > hl ? hlen_padded : hl;
    unsigned char *buf = malloc(8 + n + dlen);
    le64(buf, n);
    memcpy(buf + 8, header, hl);
    memset(buf + 8 + hl, ' ', n - hl);
    if (dlen) memcpy(buf + 8 + n, data, dlen);
    write_bytes(path, buf, 8 + n + dlen);
    free(buf);
}

static int has(const char *msg, const char *sub) { return msg && strstr(msg, sub) != NULL; }

/* a load that must fail with a message naming the file and containing sub */
#define EXPECT_LOAD_FAIL(path, sub)                                                        \
    do {                                                                                   \
        rs_clear_error();                                                                  \
        rs_st *_st = rs_st_load(path);                                                     \
        CHECK(_st == NULL, "load of %s should fail (%s)", path, sub);                       \
        rs_st_free(_st);                                                                   \
        CHECK(has(rs_last_error(), sub), "error '%s' lacks '%s'", rs_last_error(), sub);   \
        CHECK(has(rs_last_error(), path), "error '%s' lacks the path", rs_last_error());   \
    } while (0)

/* ---- a reference set used by several tests ---- */

static const float W[6] = {1.5f, -2.25f, 3.0e-8f, 1e30f, -0.0f, 7.0f};
static const double MU[3] = {0.1, -1e-300, 12345.678901234567};

static rs_st *make_ref(void) {
    rs_st *st = rs_st_new();
    int64_t ws[2] = {2, 3}, ms[1] = {3};
    CHECK(rs_st_add_f32(st, "pi.W0", 2, ws, W) == 0, "%s", rs_last_error());
    CHECK(rs_st_add_f64(st, "norm.mean", 1, ms, MU) == 0, "%s", rs_last_error());
    CHECK(rs_st_set_meta(st, "format", "rsoup-1") == 0, "%s", rs_last_error());
    CHECK(rs_st_set_meta(st, "env", "hopper") == 0, "%s", rs_last_error());
    return st;
}

/* ---- tests ---- */

static int json_int_is(const cJSON *a, int i, double v) {
    const cJSON *x = cJSON_GetArrayItem(a, i);
    return cJSON_IsNumber(x) && x->valuedouble == v;
}

static void test_writer_bytes_by_hand(void) {
    rs_st *st = make_ref();
    const char *path = tmp_path("ref.safetensors");
    CHECK(rs_st_save(st, path) == 0, "save: %s", rs_last_error());

    size_t n;
    unsigned char *b = read_bytes(path, &n);
    CHECK(b && n >= 8, "file missing or too short");
    if (!b || n < 8) goto out;
    uint64_t hlen = 0;
    for (int i = 0; i < 8; i++) hlen |= (uint64_t)b[i] << (8 * i);
    CHECK(hlen % 8 == 0, "header length %llu not a multiple of 8", (unsigned long long)hlen);
    CHECK(n == 8 + hlen + 24 + 24, "file size %zu, header %llu", n, (unsigned long long)hlen);
    if (n != 8 + hlen + 48) goto out;

    /* the header is JSON followed only by spaces */
    cJSON *h = cJSON_ParseWithLength((const char *)b + 8, hlen);
    CHECK(h && cJSON_IsObject(h), "header does not parse as a JSON object");
    size_t jl = 0;
    while (jl < hlen && !(b[8 + jl] == '}' && (jl + 1 == hlen || b[8 + jl + 1] == ' '))) jl++;
    for (size_t i = jl + 1; i < hlen; i++) CHECK(b[8 + i] == ' ', "padding byte %zu is %d", i, b[8 + i]);

    /* metadata, then tensors in insertion order */
    const cJSON *c = h ? h->child : NULL;
    CHECK(c && !strcmp(c->string, "__metadata__"), "first key is not __metadata__");
    CHECK(c && c->next && !strcmp(c->next->string, "pi.W0"), "second key is not pi.W0");
    CHECK(c && c->next && c->next->next && !strcmp(c->next->next->string, "norm.mean"),
          "third key is not norm.mean");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(h, "__metadata__");
    CHECK(cJSON_IsString(cJSON_GetObjectItem(meta, "format")) &&
              !strcmp(cJSON_GetObjectItem(meta, "format")->valuestring, "rsoup-1"),
          "metadata format");
    CHECK(cJSON_IsString(cJSON_GetObjectItem(meta, "env")) &&
              !strcmp(cJSON_GetObjectItem(meta, "env")->valuestring, "hopper"),
          "metadata env");
    CHECK(cJSON_GetArraySize(meta) == 2, "metadata has %d keys", cJSON_GetArraySize(meta));

    const cJSON *w = cJSON_GetObjectItemCaseSensitive(h, "pi.W0");
    const cJSON *wd = cJSON_GetObjectItem(w, "dtype"), *wsh = cJSON_GetObjectItem(w, "shape"),
                *wo = cJSON_GetObjectItem(w, "data_offsets");
    CHECK(cJSON_IsString(wd) && !strcmp(wd->valuestring, "F32"), "pi.W0 dtype");
    CHECK(cJSON_GetArraySize(wsh) == 2 && json_int_is(wsh, 0, 2) && json_int_is(wsh, 1, 3),
          "pi.W0 shape");
    CHECK(cJSON_GetArraySize(wo) == 2 && json_int_is(wo, 0, 0) && json_int_is(wo, 1, 24),
          "pi.W0 offsets");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(h, "norm.mean");
    const cJSON *md = cJSON_GetObjectItem(m, "dtype"), *msh = cJSON_GetObjectItem(m, "shape"),
                *mo = cJSON_GetObjectItem(m, "data_offsets");
    CHECK(cJSON_IsString(md) && !strcmp(md->valuestring, "F64"), "norm.mean dtype");
    CHECK(cJSON_GetArraySize(msh) == 1 && json_int_is(msh, 0, 3), "norm.mean shape");
    CHECK(cJSON_GetArraySize(mo) == 2 && json_int_is(mo, 0, 24) && json_int_is(mo, 1, 48),
          "norm.mean offsets");
    cJSON_Delete(h);

    /* the data buffer holds the values little-endian, in order */
    unsigned char want[48];
    for (int i = 0; i < 6; i++) le_f32(want + 4 * i, W[i]);
    for (int i = 0; i < 3; i++) le_f64(want + 24 + 8 * i, MU[i]);
    CHECK(memcmp(b + 8 + hlen, want, 48) == 0, "data bytes differ from the input");

    /* saving the same set again gives the same bytes */
    const char *path2 = tmp_path("ref2.safetensors");
    CHECK(rs_st_save(st, path2) == 0, "save 2: %s", rs_last_error());
    size_t n2;
    unsigned char *b2 = read_bytes(path2, &n2);
    CHECK(b2 && n2 == n && memcmp(b, b2, n) == 0, "two saves differ");
    free(b2);
out:
    free(b);
    rs_st_free(st);
}

static void test_round_trip(void) {
    rs_st *st = rs_st_new();
    /* awkward floats: NaN with a payload, infinities, a denormal, -0 */
    uint32_t nan_bits = 0x7fc12345u;
    float f[4];
    memcpy(&f[0], &nan_bits, 4);
    f[1] = -1.0f / 0.0f;
    f[2] = 1e-45f;
    f[3] = -0.0f;
    double d[2] = {1.0 / 3.0, -2.5e-310};
    int32_t i32[3] = {-1, 0, 2147483647};
    int64_t i64[2] = {INT64_MIN, 42};
    uint8_t u8[5] = {0, 1, 127, 128, 255};
    int64_t s4[1] = {4}, s2[2] = {2, 1}, s3[3] = {1, 3, 1}, s2b[1] = {2}, s5[4] = {1, 1, 5, 1},
            s0[2] = {0, 3};
    double scalar = 9.75;
    CHECK(rs_st_add_f32(st, "f", 1, s4, f) == 0, "%s", rs_last_error());
    CHECK(rs_st_add(st, "d", RS_DT_F64, 2, s2, d) == 0, "%s", rs_last_error());
    CHECK(rs_st_add(st, "i32", RS_DT_I32, 3, s3, i32) == 0, "%s", rs_last_error());
    CHECK(rs_st_add(st, "i64", RS_DT_I64, 1, s2b, i64) == 0, "%s", rs_last_error());
    CHECK(rs_st_add(st, "u8", RS_DT_U8, 4, s5, u8) == 0, "%s", rs_last_error());
    CHECK(rs_st_add(st, "empty", RS_DT_F32, 2, s0, NULL) == 0, "%s", rs_last_error());
    CHECK(rs_st_add(st, "scalar", RS_DT_F64, 0, NULL, &scalar) == 0, "%s", rs_last_error());
    CHECK(rs_st_set_meta(st, "z", "last") == 0, "meta");
    CHECK(rs_st_set_meta(st, "a", "{\"json\": [1, 2], \"q\": \"\\\"\"}") == 0, "meta");
    CHECK(rs_st_set_meta(st, "unicode", "\xce\xbb = 0.5") == 0, "meta");
    CHECK(rs_st_set_meta(st, "", "") == 0, "meta");

    const char *path = tmp_path("rt.safetensors");
    CHECK(rs_st_save(st, path) == 0, "save: %s", rs_last_error());
    rs_st *ld = rs_st_load(path);
    CHECK(ld != NULL, "load: %s", rs_last_error());
    if (!ld) goto out;

    CHECK(rs_st_count(ld) == rs_st_count(st), "count %d vs %d", rs_st_count(ld), rs_st_count(st));
    for (int i = 0; i < rs_st_count(st) && i < rs_st_count(ld); i++) {
        const rs_tensor *a = rs_st_at(st, i), *b = rs_st_at(ld, i);
        CHECK(!strcmp(a->name, b->name), "tensor %d: name %s vs %s", i, b->name, a->name);
        CHECK(a->dtype == b->dtype, "%s: dtype", a->name);
        CHECK(a->ndim == b->ndim, "%s: ndim %d vs %d", a->name, b->ndim, a->ndim);
        for (int k = 0; k < a->ndim; k++) CHECK(a->shape[k] == b->shape[k], "%s: dim %d", a->name, k);
        CHECK(a->nbytes == b->nbytes, "%s: nbytes", a->name);
        CHECK(a->nbytes == b->nbytes && memcmp(a->data, b->data, a->nbytes) == 0,
              "%s: data not bit-exact", a->name);
        CHECK(rs_tensor_numel(b) * (int64_t)rs_dtype_size(b->dtype) == (int64_t)b->nbytes,
              "%s: numel", a->name);
    }
    CHECK(rs_st_meta_count(ld) == 4, "meta count %d", rs_st_meta_count(ld));
    for (int i = 0; i < rs_st_meta_count(st) && i < rs_st_meta_count(ld); i++) {
        const char *k1, *v1, *k2, *v2;
        CHECK(rs_st_meta_at(st, i, &k1, &v1) == 0 && rs_st_meta_at(ld, i, &k2, &v2) == 0, "meta_at");
        CHECK(!strcmp(k1, k2) && !strcmp(v1, v2), "meta %d: %s=%s vs %s=%s", i, k2, v2, k1, v1);
    }
    CHECK(rs_st_meta(ld, "unicode") && !strcmp(rs_st_meta(ld, "unicode"), "\xce\xbb = 0.5"),
          "unicode metadata");
    CHECK(rs_st_meta(ld, "missing") == NULL, "absent key");
    CHECK(rs_st_get(ld, "nope") == NULL, "absent tensor");
    CHECK(rs_st_at(ld, -1) == NULL && rs_st_at(ld, 7) == NULL, "at out of range");
    CHECK(rs_st_meta_at(ld, 4, NULL, NULL) == -1, "meta_at out of range");
    const rs_tensor *sc = rs_st_get(ld, "scalar");
    CHECK(sc && sc->ndim == 0 && rs_tensor_numel(sc) == 1 && *(double *)sc->data == 9.75, "scalar");

    /* and the re-saved file is byte-identical */
    const char *path2 = tmp_path("rt2.safetensors");
    CHECK(rs_st_save(ld, path2) == 0, "resave: %s", rs_last_error());
    size_t n1, n2;
    unsigned char *b1 = read_bytes(path, &n1), *b2 = read_bytes(path2, &n2);
    CHECK(b1 && b2 && n1 == n2 && memcmp(b1, b2, n1) == 0, "resaved file differs");
    free(b1);
    free(b2);
out:
    rs_st_free(ld);
    rs_st_free(st);
}

/* a file as another writer might produce it: pretty-printed header, keys not
 * in data order, metadata last, padding not to a multiple of 8 */
static void test_hand_built_file(void) {
    const char *header = "{\n  \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]},\n"
                         "  \"a\": {\"shape\": [1], \"dtype\": \"I64\", \"data_offsets\": [0, 8]},\n"
                         "  \"c\": {\"dtype\":\"U8\",\"shape\":[3,1],\"data_offsets\":[16,19]},\n"
                         "  \"__metadata__\": {\"format\": \"pt\"}\n}";
    unsigned char data[19];
    le64(data, (uint64_t)-7);
    le_f32(data + 8, 0.5f);
    le_f32(data + 12, -3.25f);
    data[16] = 9, data[17] = 0, data[18] = 200;
    const char *path = tmp_path("hand.safetensors");
    make_file(path, header, strlen(header) + 13, data, sizeof data);

    rs_st *st = rs_st_load(path);
    CHECK(st != NULL, "load: %s", rs_last_error());
    if (!st) return;
    CHECK(rs_st_count(st) == 3, "count %d", rs_st_count(st));
    CHECK(rs_st_at(st, 0) && !strcmp(rs_st_at(st, 0)->name, "b"), "header order kept");
    const rs_tensor *a, *b, *c;
    int64_t s1[1] = {1}, s2[1] = {2}, s31[2] = {3, 1};
    CHECK(rs_st_expect(st, "a", RS_DT_I64, 1, s1, &a) == 0, "%s", rs_last_error());
    CHECK(rs_st_expect(st, "b", RS_DT_F32, 1, s2, &b) == 0, "%s", rs_last_error());
    CHECK(rs_st_expect(st, "c", RS_DT_U8, 2, s31, &c) == 0, "%s", rs_last_error());
    if (a) CHECK(((int64_t *)a->data)[0] == -7, "a = %lld", (long long)((int64_t *)a->data)[0]);
    if (b) CHECK(((float *)b->data)[0] == 0.5f && ((float *)b->data)[1] == -3.25f, "b values");
    if (c) CHECK(((uint8_t *)c->data)[0] == 9 && ((uint8_t *)c->data)[2] == 200, "c values");
    CHECK(rs_st_meta(st, "format") && !strcmp(rs_st_meta(st, "format"), "pt"), "metadata");
    rs_st_free(st);

    /* an empty set: "{}" padded, no data */
    const char *p2 = tmp_path("empty.safetensors");
    make_file(p2, "{}", 8, NULL, 0);
    st = rs_st_load(p2);
    CHECK(st && rs_st_count(st) == 0 && rs_st_meta_count(st) == 0, "empty file: %s",
          st ? "wrong counts" : rs_last_error());
    rs_st_free(st);
}

static void test_truncated(void) {
    rs_st *st = make_ref();
    const char *path = tmp_path("full.safetensors");
    CHECK(rs_st_save(st, path) == 0, "save: %s", rs_last_error());
    rs_st_free(st);
    size_t n;
    unsigned char *b = read_bytes(path, &n);
    if (!b) return;
    uint64_t hlen = 0;
    for (int i = 0; i < 8; i++) hlen |= (uint64_t)b[i] << (8 * i);
    size_t cuts[] = {0, 1, 7, 8, 9, 8 + hlen / 2, 8 + hlen - 1, 8 + hlen, 8 + hlen + 1,
                     8 + hlen + 24, n - 1};
    const char *cut = tmp_path("cut.safetensors");
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(cut, b, cuts[i]);
        const char *sub = cuts[i] < 8 ? "too short" : cuts[i] < 8 + hlen ? "header length" : "truncated data";
        EXPECT_LOAD_FAIL(cut, sub);
        CHECK(has(rs_last_error(), "truncated"), "cut at %zu: '%s' does not say truncated", cuts[i],
              rs_last_error());
    }
    /* one trailing byte too many is a hole, not silently ignored */
    unsigned char *more = malloc(n + 1);
    memcpy(more, b, n);
    more[n] = 0;
    write_bytes(cut, more, n + 1);
    EXPECT_LOAD_FAIL(cut, "belong to no tensor");
    free(more);
    free(b);
}

static void test_malformed(void) {
    const char *p = tmp_path("bad.safetensors");
    unsigned char z[64] = {0};

    EXPECT_LOAD_FAIL(tmp_path("does_not_exist.safetensors"), "No such file");
    EXPECT_LOAD_FAIL(tmp_path("does_not_exist.safetensors"), "cannot open");

    unsigned char big[16];
    memset(big, 0xff, 8);
    memset(big + 8, ' ', 8);
    write_bytes(p, big, 16);
    EXPECT_LOAD_FAIL(p, "absurd");
    le64(big, 100000001);
    write_bytes(p, big, 16);
    EXPECT_LOAD_FAIL(p, "absurd");

    make_file(p, "{not json", 16, NULL, 0);
    EXPECT_LOAD_FAIL(p, "not valid JSON");
    make_file(p, "", 0, NULL, 0);
    EXPECT_LOAD_FAIL(p, "not valid JSON");
    make_file(p, "[1, 2]", 8, NULL, 0);
    EXPECT_LOAD_FAIL(p, "not a JSON object");
    make_file(p, "{} x", 8, NULL, 0);
    EXPECT_LOAD_FAIL(p, "unexpected bytes after the JSON");
    make_file(p, "{\"a\": \"\xff\xfe\"}", 16, NULL, 0);
    EXPECT_LOAD_FAIL(p, "UTF-8");

    /* entries */
    make_file(p, "{\"t\": [1]}", 16, NULL, 0);
    EXPECT_LOAD_FAIL(p, "tensor 't': entry is not a JSON object");
    make_file(p, "{\"t\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "tensor 't': missing \"dtype\"");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "tensor 't': missing \"shape\"");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "tensor 't': missing \"data_offsets\"");
    make_file(p, "{\"t\": {\"dtype\": 5, \"shape\": [2], \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "\"dtype\" is not a string");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": \"2\", \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "\"shape\" is not an array");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "shape must hold integers");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [\"2\"], \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "shape must hold integers");
    /* 2^53 + 1 reads as 2^53: from 2^53 on a number may not be what was written */
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [9007199254740993, 0], \"data_offsets\": [0, 0]}}", 0, z, 0);
    EXPECT_LOAD_FAIL(p, "shape must hold integers");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "\"data_offsets\" must be [begin, end]");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [-8, 0]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "\"data_offsets\" must be [begin, end]");
    make_file(p, "{\"t\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 0, z, 4);
    EXPECT_LOAD_FAIL(p, "unsupported dtype 'F16'");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "negative dimension -2");
    make_file(p, "{\"t\": {\"dtype\": \"U8\", \"shape\": [1,1,1,1,1], \"data_offsets\": [0, 1]}}", 0,
              z, 1);
    EXPECT_LOAD_FAIL(p, "at most 4");

    /* offsets against shapes and the buffer */
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 20]}}", 0, z, 20);
    EXPECT_LOAD_FAIL(p, "data_offsets [0, 20] do not match shape [2, 3] of F32 (24 bytes)");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 0, z, 8);
    EXPECT_LOAD_FAIL(p, "do not match shape");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 0, z, 4);
    EXPECT_LOAD_FAIL(p, "truncated data: tensor 't'");
    make_file(p, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [1000000, 1000008]}}",
              0, z, 8);
    EXPECT_LOAD_FAIL(p, "hole");
    make_file(p,
              "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
              " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}",
              0, z, 12);
    EXPECT_LOAD_FAIL(p, "tensors 'a' and 'b' overlap");
    make_file(p,
              "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
              " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [12, 20]}}",
              0, z, 20);
    EXPECT_LOAD_FAIL(p, "hole in the data buffer: bytes [8, 12)");
    make_file(p, "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 0, z, 9);
    EXPECT_LOAD_FAIL(p, "1 bytes after the last tensor");
    make_file(p,
              "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
              " \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]}}",
              0, z, 16);
    EXPECT_LOAD_FAIL(p, "duplicate tensor name 'a'");

    /* metadata */
    make_file(p, "{\"__metadata__\": {\"steps\": 100}}", 0, NULL, 0);
    EXPECT_LOAD_FAIL(p, "metadata value for key 'steps' is not a string");
    make_file(p, "{\"__metadata__\": [\"x\"]}", 0, NULL, 0);
    EXPECT_LOAD_FAIL(p, "\"__metadata__\" is not a JSON object");

    /* a directory is not a checkpoint */
    const char *dir = tmp_path("a_dir.safetensors");
    mkdir(dir, 0755);
    EXPECT_LOAD_FAIL(dir, "not a regular file");
}

static void test_add_and_expect(void) {
    rs_st *st = rs_st_new();
    float w[64 * 11] = {0};
    int64_t s[2] = {64, 11};
    CHECK(rs_st_add_f32(st, "pi.W0", 2, s, w) == 0, "%s", rs_last_error());

    CHECK(rs_st_add_f32(st, "pi.W0", 2, s, w) == -1 && has(rs_last_error(), "duplicate tensor name 'pi.W0'"),
          "duplicate: %s", rs_last_error());
    CHECK(rs_st_add_f32(st, "__metadata__", 2, s, w) == -1, "reserved name accepted");
    CHECK(rs_st_add_f32(st, "", 2, s, w) == -1, "empty name accepted");
    int64_t neg[2] = {3, -1};
    CHECK(rs_st_add_f32(st, "neg", 2, neg, w) == -1 && has(rs_last_error(), "bad shape [3, -1]"),
          "negative dim: %s", rs_last_error());
    int64_t five[5] = {1, 1, 1, 1, 1};
    CHECK(rs_st_add_f32(st, "five", 5, five, w) == -1, "ndim 5 accepted");
    int64_t huge[3] = {INT64_MAX, INT64_MAX, 2};
    CHECK(rs_st_add_f32(st, "huge", 3, huge, w) == -1, "overflowing shape accepted");
    CHECK(rs_st_add_f32(st, "null", 2, s, NULL) == -1 && has(rs_last_error(), "NULL"),
          "NULL data: %s", rs_last_error());
    CHECK(rs_st_add(st, "bad_dt", (rs_dtype)99, 2, s, w) == -1, "bad dtype accepted");
    CHECK(rs_st_add_f32(st, "bad\xff", 2, s, w) == -1 && has(rs_last_error(), "UTF-8"),
          "invalid UTF-8 name accepted");
    CHECK(rs_st_count(st) == 1, "failed adds changed the count: %d", rs_st_count(st));

    /* expect */
    const rs_tensor *t = NULL;
    CHECK(rs_st_expect(st, "pi.W0", RS_DT_F32, 2, s, &t) == 0 && t == rs_st_get(st, "pi.W0"),
          "expect ok: %s", rs_last_error());
    CHECK(rs_st_expect(st, "pi.W0", RS_DT_F32, -1, NULL, NULL) == 0, "expect any shape");
    int64_t want[2] = {64, 17};
    CHECK(rs_st_expect(st, "pi.W0", RS_DT_F32, 2, want, NULL) == -1, "shape mismatch passed");
    CHECK(!strcmp(rs_last_error(), "tensor 'pi.W0': shape [64, 11], expected [64, 17]"),
          "message: %s", rs_last_error());
    CHECK(rs_st_expect(st, "pi.W0", RS_DT_F32, 1, want, NULL) == -1 &&
              !strcmp(rs_last_error(), "tensor 'pi.W0': shape [64, 11], expected [64]"),
          "ndim mismatch message: %s", rs_last_error());
    CHECK(rs_st_expect(st, "pi.W0", RS_DT_F64, 2, s, NULL) == -1 &&
              !strcmp(rs_last_error(), "tensor 'pi.W0': dtype F32, expected F64"),
          "dtype message: %s", rs_last_error());
    CHECK(rs_st_expect(st, "pi.W1", RS_DT_F32, 2, s, NULL) == -1 &&
              has(rs_last_error(), "tensor 'pi.W1' not found"),
          "missing message: %s", rs_last_error());

    /* metadata replace keeps position */
    CHECK(rs_st_set_meta(st, "a", "1") == 0 && rs_st_set_meta(st, "b", "2") == 0 &&
              rs_st_set_meta(st, "a", "3") == 0,
          "set_meta");
    const char *k, *v;
    CHECK(rs_st_meta_count(st) == 2, "meta count %d", rs_st_meta_count(st));
    CHECK(rs_st_meta_at(st, 0, &k, &v) == 0 && !strcmp(k, "a") && !strcmp(v, "3"), "replaced");
    CHECK(!strcmp(rs_st_meta(st, "b"), "2"), "b");

    /* dtype helpers */
    CHECK(rs_dtype_size(RS_DT_F32) == 4 && rs_dtype_size(RS_DT_F64) == 8 &&
              rs_dtype_size(RS_DT_I32) == 4 && rs_dtype_size(RS_DT_I64) == 8 &&
              rs_dtype_size(RS_DT_U8) == 1,
          "dtype sizes");
    rs_dtype dt;
    CHECK(rs_dtype_parse("I64", &dt) == 0 && dt == RS_DT_I64 && !strcmp(rs_dtype_name(dt), "I64"),
          "dtype parse");
    CHECK(rs_dtype_parse("BF16", &dt) == -1, "BF16 parsed");
    rs_st_free(st);
    rs_st_free(NULL);
}

static int count_tmp_files(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) n++;
    if (d) closedir(d);
    return n;
}

static void test_atomic_save(void) {
    rs_st *st = make_ref();
    const char *bad = tmp_path("no/such/dir/x.safetensors");
    CHECK(rs_st_save(st, bad) == -1, "save into a missing directory succeeded");
    CHECK(has(rs_last_error(), "cannot create") && has(rs_last_error(), bad), "message: %s",
          rs_last_error());
    CHECK(access(bad, F_OK) != 0, "file appeared");

    /* a fresh directory: save twice over the same path, no temporaries left */
    const char *dir = tmp_path("atomic");
    CHECK(mkdir(dir, 0755) == 0, "mkdir");
    char path[512];
    snprintf(path, sizeof path, "%s/ckpt.safetensors", dir);
    CHECK(rs_st_save(st, path) == 0, "save: %s", rs_last_error());
    CHECK(rs_st_set_meta(st, "env", "walker") == 0, "meta");
    CHECK(rs_st_save(st, path) == 0, "overwrite: %s", rs_last_error());
    CHECK(count_tmp_files(dir) == 0, "temporary files left after save");
    rs_st *ld = rs_st_load(path);
    CHECK(ld && rs_st_meta(ld, "env") && !strcmp(rs_st_meta(ld, "env"), "walker"),
          "overwrite not visible");
    rs_st_free(ld);

    /* the temporary cannot be created: the old file stays as it was */
    size_t n0, n1;
    unsigned char *before = read_bytes(path, &n0);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    CHECK(mkdir(tmp, 0755) == 0, "mkdir tmp blocker");
    CHECK(rs_st_set_meta(st, "env", "ant") == 0, "meta");
    CHECK(rs_st_save(st, path) == -1, "save over a blocked temporary succeeded");
    unsigned char *after = read_bytes(path, &n1);
    CHECK(before && after && n0 == n1 && memcmp(before, after, n0) == 0, "old file changed");
    free(before);
    free(after);
    rmdir(tmp);

    /* the target is a folder: refused by the output rule before anything
     * is written (a failing rename is cli_faults' fault shim's), no
     * temporary left */
    char dpath[512], inner[600];
    snprintf(dpath, sizeof dpath, "%s/is_a_dir.safetensors", dir);
    snprintf(inner, sizeof inner, "%s/keep", dpath);
    CHECK(mkdir(dpath, 0755) == 0 && mkdir(inner, 0755) == 0, "mkdir");
    CHECK(rs_st_save(st, dpath) == -1 && has(rs_last_error(), "is a folder"), "save over a dir: %s",
          rs_last_error());
    CHECK(count_tmp_files(dir) == 0, "temporary left after a failed rename");
    rs_st_free(st);
}

static void test_cleanup(void) {
    if (g_dir[0]) rm_tree(g_dir);
    CHECK(access(g_dir, F_OK) != 0, "scratch directory %s not removed", g_dir);
}

static int write_hello(FILE *f, void *ctx) {
    (void)ctx;
    return fputs("hello\n", f) == EOF ? -1 : 0;
}

static int write_then_fail(FILE *f, void *ctx) {
    (void)ctx;
    fputs("half", f);
    rs_set_error("the writer gave up");
    return -1;
}

/* rs_write_atomic, the one write behind tensors, fronts, stamps and configs:
 * a failing writer leaves the old file and no temporary */
static void test_write_atomic(void) {
    const char *dir = tmp_path("write_atomic");
    CHECK(mkdir(dir, 0755) == 0, "mkdir");
    char path[512];
    snprintf(path, sizeof path, "%s/stamp", dir);
    CHECK(rs_write_atomic(path, write_hello, NULL) == 0, "write: %s", rs_last_error());
    CHECK(rs_write_atomic(path, write_then_fail, NULL) == -1 &&
              has(rs_last_error(), "save '") && has(rs_last_error(), "write of"),
          "failing writer: %s", rs_last_error());
    size_t n;
    unsigned char *b = read_bytes(path, &n);
    CHECK(b && n == 6 && !memcmp(b, "hello\n", 6), "the old file changed");
    free(b);
    CHECK(count_tmp_files(dir) == 0, "a temporary file was left");
    unlink(path);
    rmdir(dir);
}

/* the one rule for where an output may go: a regular file or a new name;
 * a link (whatever it points to), a FIFO or a folder is refused by the
 * atomic write and by rs_fopen_output, and what it points to is untouched */
static void test_output_rule(void) {
    const char *dir = tmp_path("output_rule");
    CHECK(mkdir(dir, 0755) == 0, "mkdir");
    char victim[512], link[512], fifo[512], sub[512], tmp[600], fresh[512];
    snprintf(victim, sizeof victim, "%s/victim", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(fresh, sizeof fresh, "%s/fresh", dir);
    FILE *v = fopen(victim, "w");
    CHECK(v && fputs("victim\n", v) != EOF && fclose(v) == 0, "victim");
    CHECK(symlink("victim", link) == 0 && mkfifo(fifo, 0644) == 0 && mkdir(sub, 0755) == 0,
          "nodes");
    const struct {
        const char *path, *kind;
    } bad[] = {{link, "a symbolic link"}, {fifo, "a FIFO"}, {sub, "a folder"}};
    for (int i = 0; i < 3; i++) {
        CHECK(rs_output_ok(bad[i].path) == -1 && has(rs_last_error(), bad[i].kind), "%s: %s",
              bad[i].kind, rs_last_error());
        CHECK(rs_write_atomic(bad[i].path, write_hello, NULL) == -1 &&
                  has(rs_last_error(), bad[i].kind),
              "atomic write to %s: %s", bad[i].kind, rs_last_error());
        for (int append = 0; append < 2; append++) {
            FILE *f = rs_fopen_output(bad[i].path, append ? "a" : "w");
            CHECK(!f && has(rs_last_error(), bad[i].kind), "rs_fopen_output(%s) of %s: %s",
                  append ? "a" : "w", bad[i].kind, rs_last_error());
            if (f) fclose(f);
        }
    }
    struct stat sb;
    CHECK(lstat(link, &sb) == 0 && S_ISLNK(sb.st_mode) && lstat(fifo, &sb) == 0 &&
              S_ISFIFO(sb.st_mode),
          "a refused node was replaced");
    size_t n;
    unsigned char *b = read_bytes(victim, &n);
    CHECK(b && n == 7 && !memcmp(b, "victim\n", 7), "the link's target changed");
    free(b);
    /* a temporary name planted as a link is removed, never written through */
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", fresh, (long)getpid());
    CHECK(symlink("victim", tmp) == 0, "planted link");
    CHECK(rs_write_atomic(fresh, write_hello, NULL) == 0, "write beside a planted link: %s",
          rs_last_error());
    b = read_bytes(victim, &n);
    CHECK(b && n == 7 && !memcmp(b, "victim\n", 7), "written through the planted link");
    free(b);
    CHECK(lstat(tmp, &sb) != 0, "the planted link is still there");
    /* a regular file or a new name is fine, and "a" appends */
    FILE *f = rs_fopen_output(fresh, "a");
    CHECK(f && fputs("more\n", f) != EOF && fclose(f) == 0, "append: %s", rs_last_error());
    b = read_bytes(fresh, &n);
    CHECK(b && n == 11 && !memcmp(b, "hello\nmore\n", 11), "append result");
    free(b);
    f = rs_fopen_output(fresh, "w");
    CHECK(f && fclose(f) == 0 && stat(fresh, &sb) == 0 && sb.st_size == 0, "w truncates");
    CHECK(count_tmp_files(dir) == 0, "a temporary file was left");
    unlink(victim), unlink(link), unlink(fifo), unlink(fresh), rmdir(sub), rmdir(dir);
}

RS_TEST_MAIN(T(test_writer_bytes_by_hand), T(test_round_trip), T(test_hand_built_file),
             T(test_truncated), T(test_malformed), T(test_add_and_expect), T(test_atomic_save),
             T(test_write_atomic), T(test_output_rule), T(test_cleanup))

/* rs_blas.c — pin OpenBLAS to its Haswell kernels (see rs_blas.h). */
#include "rs_blas.h"
#include "rs_common.h"

#include <cblas.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif
#if defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h> /* glibc >= 2.33: the CPU features glibc itself uses */
#define RS_HAVE_GLIBC_X86 1
#endif
#endif

/* the kernels every AVX2+FMA CPU can run, in OpenBLAS's spelling */
#define RS_BLAS_CORE "Haswell"
/* set across the re-exec only, so a second image that still did not load
 * the pinned kernels gives up instead of re-executing forever */
#define RS_BLAS_MARK "RSOUP_BLAS_REEXEC"

enum { MODE_UNSET, MODE_PINNED, MODE_NATIVE, MODE_NO_AVX2_FMA, MODE_FAILED };
static int g_mode = MODE_UNSET;

static int cpu_has_avx2_fma(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    /* libgcc's view: cpuid plus the OS having enabled the AVX state, the
     * same two checks OpenBLAS makes before it runs AVX2 kernels */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

/* glibc's libm picks its exp/log/pow/sin/cos/tan/atan2/asin/acos code at
 * load time: the FMA variants when FMA and AVX2 are usable, which the
 * double functions' last bits depend on (GLIBC_TUNABLES can mask them) */
static int libm_takes_fma(void) {
#ifdef RS_HAVE_GLIBC_X86
    return CPU_FEATURE_ACTIVE(FMA) && CPU_FEATURE_ACTIVE(AVX2);
#else
    return cpu_has_avx2_fma();
#endif
}

static const char *loaded_core(void) {
    const char *c = openblas_get_corename();
    return c ? c : "unknown";
}

static int runs_pinned_core(void) { return !strcasecmp(loaded_core(), RS_BLAS_CORE); }

static int pinned_result(const char *want) {
    if (!libm_takes_fma()) {
        rs_set_error("glibc's libm runs without its FMA code paths (GLIBC_TUNABLES?): results "
                     "will not match other machines' bits");
        return -1;
    }
    if (want && *want && strcmp(want, "pinned")) {
        rs_set_error("RSOUP_BLAS=%s is neither 'pinned' nor 'native': pinned", want);
        return -1;
    }
    return 0;
}

int rs_blas_pin(char **argv) {
    const char *want = getenv("RSOUP_BLAS");
    int reexecuted = getenv(RS_BLAS_MARK) != NULL;
    unsetenv(RS_BLAS_MARK); /* the jobs this process starts decide for themselves */
    if (want && !strcmp(want, "native")) {
        g_mode = MODE_NATIVE;
        return 0;
    }
    if (!cpu_has_avx2_fma()) {
        g_mode = MODE_NO_AVX2_FMA;
        rs_set_error("this CPU lacks AVX2+FMA: OpenBLAS runs its %s kernels and results will "
                     "not match other machines' bits",
                     loaded_core());
        return -1;
    }
    if (runs_pinned_core()) {
        /* already there (inherited, or a Haswell chose itself): the jobs this
         * process starts load the same kernels without re-executing */
        setenv("OPENBLAS_CORETYPE", RS_BLAS_CORE, 1);
        g_mode = MODE_PINNED;
        return pinned_result(want);
    }
    const char *config = openblas_get_config();
    if (reexecuted || !config || !strstr(config, "DYNAMIC_ARCH")) {
        g_mode = MODE_FAILED;
        rs_set_error("OpenBLAS runs its %s kernels even with OPENBLAS_CORETYPE=%s (a build "
                     "without DYNAMIC_ARCH?): results will not match other machines' bits",
                     loaded_core(), RS_BLAS_CORE);
        return -1;
    }
    setenv("OPENBLAS_CORETYPE", RS_BLAS_CORE, 1);
    setenv(RS_BLAS_MARK, "1", 1);
    execv("/proc/self/exe", argv);
    /* only returns on failure (no /proc?): go on with the kernels loaded */
    int err = errno;
    unsetenv(RS_BLAS_MARK);
    g_mode = MODE_FAILED;
    rs_set_error("cannot re-execute /proc/self/exe to pin OpenBLAS (%s): it runs its %s "
                 "kernels and results will not match other machines' bits",
                 strerror(err), loaded_core());
    return -1;
}

int rs_blas_portable(void) {
    return g_mode == MODE_PINNED && runs_pinned_core() && libm_takes_fma();
}

static const char *mode_name(void) {
    switch (g_mode) {
    case MODE_PINNED:
        return "pinned";
    case MODE_NATIVE:
        return "RSOUP_BLAS=native";
    case MODE_NO_AVX2_FMA:
        return "CPU without AVX2+FMA";
    case MODE_FAILED:
        return "pinning failed";
    default:
        return "not pinned";
    }
}

static char g_provenance[256];
static pthread_once_t g_provenance_once = PTHREAD_ONCE_INIT;

static void provenance_fill(void) {
    /* "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ...": keep name and version */
    const char *config = openblas_get_config();
    char version[64] = "OpenBLAS";
    if (config) {
        const char *sp = strchr(config, ' ');
        sp = sp ? strchr(sp + 1, ' ') : NULL;
        int n = sp ? (int)(sp - config) : (int)strlen(config);
        snprintf(version, sizeof version, "%.*s", n, config);
    }
#if defined(__GLIBC__)
    const char *libc = gnu_get_libc_version();
#else
    const char *libc = "?";
#endif
    snprintf(g_provenance, sizeof g_provenance, "%s %s (%s), glibc %s libm %s: %s", version,
             loaded_core(), mode_name(), libc, libm_takes_fma() ? "FMA" : "without FMA",
             rs_blas_portable() ? "portable bits" : "bits of this CPU only");
}

const char *rs_blas_provenance(void) {
    pthread_once(&g_provenance_once, provenance_fill);
    return g_provenance;
}

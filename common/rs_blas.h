/* rs_blas.h — which OpenBLAS kernels rsoup computes with, pinned so that the
 * same seed gives the same bits on every x86-64 CPU with AVX2 and FMA.
 *
 * Debian's OpenBLAS (DYNAMIC_ARCH) picks its kernels from the CPU when the
 * library loads, and kernels for different CPUs round differently: a run
 * trained on an AVX-512 machine did not match the same run on a Haswell.
 * Every CPU with AVX2 and FMA can run the Haswell kernels, so rsoup runs
 * those on all of them; glibc's libm takes its FMA code paths on exactly the
 * same CPUs, and MuJoCo does no dispatch of its own (docs/decisions.md,
 * "Same seed, same bits"). RSOUP_BLAS=native lets OpenBLAS choose instead. */
#ifndef RS_BLAS_H
#define RS_BLAS_H

/* Call first thing in main, with main's argv, before anything else runs.
 * OpenBLAS reads OPENBLAS_CORETYPE in its load-time constructor, before
 * main, so when it loaded other kernels this sets the variable and
 * re-executes the program, and does not return. Returns 0 when the process
 * runs on the pinned kernels or was told to opt out, -1 when the bits will
 * not be portable (a CPU without AVX2+FMA, libm's FMA paths switched off, an
 * OpenBLAS that cannot be pinned): the program goes on with what it has, and
 * rs_last_error() holds a one-line warning for the caller to print. */
int rs_blas_pin(char **argv);

/* One line for version output, bench headers and reports, e.g.
 * "OpenBLAS 0.3.21 Haswell (pinned), glibc 2.36 libm FMA: portable bits".
 * A static string, valid for the life of the process. */
const char *rs_blas_provenance(void);

/* 1 when this process's results are the ones every AVX2+FMA CPU gives:
 * pinned Haswell kernels and glibc's FMA paths; 0 otherwise. */
int rs_blas_portable(void);

#endif

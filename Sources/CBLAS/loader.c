// Run-time loader for OpenBLAS; see include/CBLAS.h for why it exists.
#define _GNU_SOURCE
#include "CBLAS.h"

#include <cpuid.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// CBLAS enum values (cblas.h): row-major 101, no-trans 111, trans 112.
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *,
                         int, float, float *, int);
typedef char *(*corename_fn)(void);
typedef void (*set_threads_fn)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sgemm_fn sgemm_ptr;
static corename_fn corename_ptr;
static char load_error[256];
static const char *requested = "";

// True when the OS saves the AVX (YMM) and, for avx512, the ZMM/opmask state on context switches.
static int os_saves_state(int avx512) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    unsigned int need = avx512 ? 0xE6u : 0x06u;
    return (eax & need) == need;
}

static const char *pick_core(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return "";
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1;
    if (!osxsave || __get_cpuid_max(0, NULL) < 7) return "";
    __cpuid_count(7, 0, a, b, c, d);
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1;
    int avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    if (avx512f && avx512dq && avx512bw && avx512vl && os_saves_state(1)) return "SkylakeX";
    if (avx2 && fma && os_saves_state(0)) return "Haswell";
    return "";
}

static void load_once(void) {
    const char *user = getenv("OPENBLAS_CORETYPE");
    if (user == NULL || user[0] == '\0') {
        requested = pick_core();
        if (requested[0] != '\0') setenv("OPENBLAS_CORETYPE", requested, 1);
    } else {
        requested = user;
    }
    // One thread per GEMM: Visage runs images in parallel instead (MODELS.md §6).
    if (getenv("OPENBLAS_NUM_THREADS") == NULL) setenv("OPENBLAS_NUM_THREADS", "1", 1);
    const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libblas.so.3"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && handle == NULL; i++) {
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        snprintf(load_error, sizeof load_error, "cannot load OpenBLAS: %s", dlerror());
        return;
    }
    sgemm_ptr = (sgemm_fn)dlsym(handle, "cblas_sgemm");
    corename_ptr = (corename_fn)dlsym(handle, "openblas_get_corename");
    set_threads_fn set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    if (set_threads != NULL) set_threads(1);
    if (sgemm_ptr == NULL) snprintf(load_error, sizeof load_error, "OpenBLAS has no cblas_sgemm");
}

int visage_blas_load(void) {
    pthread_once(&once, load_once);
    return sgemm_ptr != NULL;
}

const char *visage_blas_error(void) { return load_error; }

const char *visage_blas_corename(void) {
    if (!visage_blas_load() || corename_ptr == NULL) return "";
    return corename_ptr();
}

const char *visage_blas_requested_core(void) {
    visage_blas_load();
    return requested;
}

void visage_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm_ptr(101, trans_a ? 112 : 111, trans_b ? 112 : 111, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Internal: ISA variants of each kernel and the run-time choice between them.
#ifndef VISAGE_CKERNELS_DISPATCH_H
#define VISAGE_CKERNELS_DISPATCH_H
#include "CKernels.h"

#if defined(__x86_64__) && defined(__clang__)
#define VISAGE_X86 1
#else
#define VISAGE_X86 0
#endif

#if VISAGE_X86
/// Whether the CPU has AVX-512 BW (byte and 16-bit lanes, byte masks) besides AVX-512F.
static inline int has_avx512bw(void) {
    static int known = -1;   // read and written atomically: kernels run on several threads
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        value = visage_kernels_level() >= 3 && __builtin_cpu_supports("avx512bw");
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

/// Whether the CPU has AVX-512 BW and VBMI (byte permutes across a whole register) besides AVX-512F.
static inline int has_vbmi(void) {
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        value = has_avx512bw() && __builtin_cpu_supports("avx512vbmi");
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}
#endif

void visage_dwconv_nhwc_portable(const visage_dw_geometry *, const float *, const float *,
                                 const float *, float *, float, float, const float *, int);
void visage_dwconv_nhwc_avx2_entry(const visage_dw_geometry *, const float *, const float *,
                                   const float *, float *, float, float, const float *, int);
void visage_dwconv_nhwc_avx512_entry(const visage_dw_geometry *, const float *, const float *,
                                     const float *, float *, float, float, const float *, int);
void visage_conv_nhwc_portable(const visage_conv_geometry *, const float *, const float *,
                               const visage_conv_epilogue *, float *, const float *);
void visage_conv_nhwc_avx2_entry(const visage_conv_geometry *, const float *, const float *,
                                 const visage_conv_epilogue *, float *, const float *);
void visage_conv_nhwc_avx512_entry(const visage_conv_geometry *, const float *, const float *,
                                   const visage_conv_epilogue *, float *, const float *);
void visage_conv_gemv_f16_avx512_entry(const visage_conv_geometry *, const float *, const unsigned short *,
                                       const visage_conv_epilogue *, float *);
#endif

// Internal: ISA variants of each kernel and the run-time choice between them.
#ifndef VISAGE_CKERNELS_DISPATCH_H
#define VISAGE_CKERNELS_DISPATCH_H
#include "CKernels.h"

#if defined(__x86_64__) && defined(__clang__)
#define VISAGE_X86 1
#else
#define VISAGE_X86 0
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
#endif

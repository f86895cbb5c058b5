// ISA variants of the NHWC global average pool (see globalpool_impl.h) and their dispatcher.
#include "dispatch.h"
#include <stddef.h>

#pragma clang fp contract(off)

#define VISAGE_ISA_BODY "globalpool_impl.h"
#include "per_isa.h"

int visage_global_pool_rows_nhwc_isa(int level, const float *x, const float *add, float *y, long pixels,
                                     long channels, float scale, int first, int last) {
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    switch (level) {
#if VISAGE_X86
    case 3: visage_global_pool_nhwc_avx512(x, add, y, pixels, channels, scale, first, last); return 3;
    case 2: visage_global_pool_nhwc_avx2(x, add, y, pixels, channels, scale, first, last); return 2;
#endif
    default: visage_global_pool_nhwc_portable(x, add, y, pixels, channels, scale, first, last); return 1;
    }
}

int visage_global_pool_nhwc_isa(int level, const float *x, const float *add, float *y, long pixels, long channels,
                                float scale) {
    return visage_global_pool_rows_nhwc_isa(level, x, add, y, pixels, channels, scale, 1, 1);
}

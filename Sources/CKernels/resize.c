// ISA variants of the NHWC bilinear resize (see resize_impl.h) and their dispatcher.
#include "dispatch.h"
#include <stddef.h>

#pragma clang fp contract(off)

#define VISAGE_ISA_BODY "resize_impl.h"
#include "per_isa.h"

int visage_resize_bilinear_nhwc_isa(int level, const visage_resize_taps *t, const float *x, float *y) {
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    switch (level) {
#if VISAGE_X86
    case 3: visage_resize_bilinear_nhwc_avx512(t, x, y); return 3;
    case 2: visage_resize_bilinear_nhwc_avx2(t, x, y); return 2;
#endif
    default: visage_resize_bilinear_nhwc_portable(t, x, y); return 1;
    }
}

// ISA variants of the NHWC bilinear resize (see resize_impl.h) and their dispatcher.
#include "dispatch.h"
#include <stddef.h>

#pragma clang fp contract(off)

#define SUFFIX portable
#define VW 4
#include "resize_impl.h"
#undef SUFFIX
#undef VW

#if VISAGE_X86
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define SUFFIX avx2
#define VW 8
#include "resize_impl.h"
#undef SUFFIX
#undef VW
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#define SUFFIX avx512
#define VW 16
#include "resize_impl.h"
#undef SUFFIX
#undef VW
#pragma clang attribute pop
#endif

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

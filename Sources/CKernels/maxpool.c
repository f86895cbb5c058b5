// ISA variants of the NHWC MaxPool (see maxpool_impl.h) and their dispatcher.
#include "dispatch.h"
#include <stddef.h>

#define VISAGE_ISA_BODY "maxpool_impl.h"
#include "per_isa.h"

int visage_maxpool_nhwc_isa(int level, const visage_pool_geometry *g, const float *x, float *y, float lo,
                            float hi) {
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    switch (level) {
#if VISAGE_X86
    case 3: visage_maxpool_nhwc_avx512(g, x, y, lo, hi); return 3;
    case 2: visage_maxpool_nhwc_avx2(g, x, y, lo, hi); return 2;
#endif
    default: visage_maxpool_nhwc_portable(g, x, y, lo, hi); return 1;
    }
}

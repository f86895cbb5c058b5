// ISA variants of the element-wise binary ops (see binary_impl.h) and their dispatcher.
#include "dispatch.h"

#define FN visage_binary_portable
#include "binary_impl.h"
#undef FN

#if VISAGE_X86
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define FN visage_binary_avx2
#include "binary_impl.h"
#undef FN
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#define FN visage_binary_avx512
#include "binary_impl.h"
#undef FN
#pragma clang attribute pop
#endif

void visage_binary(int op, long channels, const float *a, const float *b, float *y, long total,
                   float lo, float hi) {
    switch (visage_kernels_level()) {
#if VISAGE_X86
    case 3: visage_binary_avx512(op, channels, a, b, y, total, lo, hi); return;
    case 2: visage_binary_avx2(op, channels, a, b, y, total, lo, hi); return;
#endif
    default: visage_binary_portable(op, channels, a, b, y, total, lo, hi); return;
    }
}

// ISA variants of the element-wise binary ops (see binary_impl.h) and their dispatcher.
#include "dispatch.h"

#pragma STDC FP_CONTRACT OFF

#define FN visage_binary_portable
#define FN_MULADD visage_mul_add_portable
#include "binary_impl.h"
#undef FN
#undef FN_MULADD

#if VISAGE_X86
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define FN visage_binary_avx2
#define FN_MULADD visage_mul_add_avx2
#include "binary_impl.h"
#undef FN
#undef FN_MULADD
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#define FN visage_binary_avx512
#define FN_MULADD visage_mul_add_avx512
#include "binary_impl.h"
#undef FN
#undef FN_MULADD
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

void visage_mul_add(long channels, const float *a, const float *b, const float *c, float *y, long total,
                    float lo, float hi) {
    switch (visage_kernels_level()) {
#if VISAGE_X86
    case 3: visage_mul_add_avx512(channels, a, b, c, y, total, lo, hi); return;
    case 2: visage_mul_add_avx2(channels, a, b, c, y, total, lo, hi); return;
#endif
    default: visage_mul_add_portable(channels, a, b, c, y, total, lo, hi); return;
    }
}

// Run-time ISA choice from CPUID and XGETBV (the OS must save the YMM / ZMM state), made once.
#include "dispatch.h"
#include <stddef.h>
#include <stdatomic.h>

#if VISAGE_X86
#include <cpuid.h>

static int os_saves(unsigned need) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (eax & need) == need;
}

static int detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 1;
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1;
    if (!osxsave || __get_cpuid_max(0, 0) < 7) return 1;
    __cpuid_count(7, 0, a, b, c, d);
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    if (avx512f && fma && os_saves(0xE6u)) return 3;
    if (avx2 && fma && os_saves(0x06u)) return 2;
    return 1;
}
#else
static int detect(void) { return 1; }
#endif

static _Atomic int chosen = 0;

int visage_kernels_level(void) {
    int level = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (level) return level;
    level = detect();
    atomic_store_explicit(&chosen, level, memory_order_relaxed);
    return level;
}

const char *visage_kernels_isa(void) {
    switch (visage_kernels_level()) {
    case 3: return "avx512f";
    case 2: return "avx2+fma";
    default: return "portable";
    }
}

int visage_dwconv_nhwc_act_isa(int level, const visage_dw_geometry *g, const float *x, const float *w,
                               const float *bias, float *y, float lo, float hi, const float *add, int hard_swish) {
    const int hs = hard_swish != 0;
    int best = visage_kernels_level();
    if (level <= 0 || level > best) level = best;
    switch (level) {
#if VISAGE_X86
    case 3: visage_dwconv_nhwc_avx512_entry(g, x, w, bias, y, lo, hi, add, hs); return 3;
    case 2: visage_dwconv_nhwc_avx2_entry(g, x, w, bias, y, lo, hi, add, hs); return 2;
#endif
    default: visage_dwconv_nhwc_portable(g, x, w, bias, y, lo, hi, add, hs); return 1;
    }
}

int visage_dwconv_nhwc_add_isa(int level, const visage_dw_geometry *g, const float *x, const float *w,
                               const float *bias, float *y, float lo, float hi, const float *add) {
    return visage_dwconv_nhwc_act_isa(level, g, x, w, bias, y, lo, hi, add, 0);
}

int visage_dwconv_nhwc_isa(int level, const visage_dw_geometry *g, const float *x, const float *w,
                           const float *bias, float *y, float lo, float hi) {
    return visage_dwconv_nhwc_add_isa(level, g, x, w, bias, y, lo, hi, NULL);
}

void visage_dwconv_nhwc(const visage_dw_geometry *g, const float *x, const float *w,
                        const float *bias, float *y, float lo, float hi) {
    visage_dwconv_nhwc_isa(0, g, x, w, bias, y, lo, hi);
}

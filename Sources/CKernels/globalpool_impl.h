// NHWC global average pool body, included once per ISA by globalpool.c with SUFFIX-named functions
// (and the target pragma around it) and VW its vector width. Each channel's sum runs over the
// pixels in order (pixel 0, 1, 2, ...) from 0, one rounded add per pixel (of x + add when there is
// a second input, that sum rounded first), then one multiply by `scale`: the operations of the
// Swift loop it replaces, so the same bits. The speed comes from keeping a block of channels'
// sums in registers across all pixels (one pass over the image per block) instead of a load, add
// and store per channel per pixel. With an addend both streams are prefetched 32 pixels ahead
// (selfie's 128×128×16 pool reads 2 MB; a prefetch past the end is harmless).
// A pool run band by band of rows passes `first` 0 to continue from the sums left in y by the
// previous band and `last` 0 to leave its sums unscaled there: the same adds in the same order.
#define VISAGE_CAT_(a, b) a##b
#define VISAGE_CAT(a, b) VISAGE_CAT_(a, b)
#define VISAGE_POOL_VEC VISAGE_CAT(visage_pool_vec_, SUFFIX)

typedef float VISAGE_POOL_VEC __attribute__((vector_size(VW * sizeof(float))));

// Sums of channels ch0 ..< ch0 + NV·VW (NV whole vectors) over all pixels, scaled into y.
#define VISAGE_POOL_VECTORS(NV)                                                                        \
    for (; ch0 + (NV) * VW <= c; ch0 += (NV) * VW) {                                                  \
        VISAGE_POOL_VEC acc[NV], v, w;                                                                 \
        _Pragma("clang loop unroll(full)") for (int k = 0; k < (NV); k++) {                            \
            acc[k] = (VISAGE_POOL_VEC){0};                                                             \
            if (!first) __builtin_memcpy(&acc[k], y + ch0 + k * VW, sizeof v);                         \
        }                                                                                              \
        const float *restrict s = x + ch0;                                                             \
        if (add) {                                                                                     \
            const float *restrict o = add + ch0;                                                       \
            for (long p = 0; p < pixels; p++, s += c, o += c) {                                        \
                __builtin_prefetch(s + 32 * c);                                                        \
                __builtin_prefetch(o + 32 * c);                                                        \
                _Pragma("clang loop unroll(full)") for (int k = 0; k < (NV); k++) {                    \
                    __builtin_memcpy(&v, s + k * VW, sizeof v);                                        \
                    __builtin_memcpy(&w, o + k * VW, sizeof w);                                        \
                    acc[k] += v + w;                                                                   \
                }                                                                                      \
            }                                                                                          \
        } else {                                                                                       \
            for (long p = 0; p < pixels; p++, s += c) {                                                \
                _Pragma("clang loop unroll(full)") for (int k = 0; k < (NV); k++) {                    \
                    __builtin_memcpy(&v, s + k * VW, sizeof v);                                        \
                    acc[k] += v;                                                                       \
                }                                                                                      \
            }                                                                                          \
        }                                                                                              \
        _Pragma("clang loop unroll(full)") for (int k = 0; k < (NV); k++) {                            \
            v = last ? acc[k] * scale : acc[k];                                                        \
            __builtin_memcpy(y + ch0 + k * VW, &v, sizeof v);                                          \
        }                                                                                              \
    }

// Sums of channels ch0 ..< ch0 + W (W < VW lanes, kept as scalars), scaled into y.
#define VISAGE_POOL_SCALARS(W)                                                                         \
    for (; ch0 + (W) <= c; ch0 += (W)) {                                                              \
        float acc[W];                                                                                  \
        _Pragma("clang loop unroll(full)") for (int k = 0; k < (W); k++) acc[k] = first ? 0 : y[ch0 + k]; \
        const float *restrict s = x + ch0;                                                             \
        if (add) {                                                                                     \
            const float *restrict o = add + ch0;                                                       \
            for (long p = 0; p < pixels; p++, s += c, o += c) {                                        \
                _Pragma("clang loop unroll(full)") for (int k = 0; k < (W); k++) acc[k] += s[k] + o[k]; \
            }                                                                                          \
        } else {                                                                                       \
            for (long p = 0; p < pixels; p++, s += c) {                                                \
                _Pragma("clang loop unroll(full)") for (int k = 0; k < (W); k++) acc[k] += s[k];       \
            }                                                                                          \
        }                                                                                              \
        _Pragma("clang loop unroll(full)") for (int k = 0; k < (W); k++)                               \
            y[ch0 + k] = last ? acc[k] * scale : acc[k];                                               \
    }

static void VISAGE_CAT(visage_global_pool_nhwc_, SUFFIX)(const float *restrict x, const float *restrict add,
                                                         float *restrict y, long pixels, long c, float scale,
                                                         int first, int last) {
    long ch0 = 0;
    // Eight independent sums in flight hide the add latency; then single vectors, then the tail.
    VISAGE_POOL_VECTORS(8)
    VISAGE_POOL_VECTORS(1)
#if VW > 8
    VISAGE_POOL_SCALARS(8)
#endif
#if VW > 4
    VISAGE_POOL_SCALARS(4)
#endif
    VISAGE_POOL_SCALARS(1)
}

#undef VISAGE_POOL_VECTORS
#undef VISAGE_POOL_SCALARS
#undef VISAGE_POOL_VEC

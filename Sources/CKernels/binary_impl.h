// Element-wise binary ops with a fused clamp, included once per ISA by binary_*.c with FN and
// FN_MULADD defined (and the target pragma around it). Plain loops: clang vectorises them for the
// file's ISA (no contraction: binary.c turns FP_CONTRACT off, so a·b + c rounds twice).

#define VISAGE_CLAMP(v) ((v) < lo ? lo : ((v) > hi ? hi : (v)))
#define VISAGE_OP(a, b) (op == 0 ? (a) + (b) : op == 1 ? (a) - (b) : op == 2 ? (a) * (b) : ((a) < 0 ? (a) * (b) : (a)))

// One loop per (op, pattern) so each inner loop is branch-free.
#define VISAGE_LOOPS(OPNUM)                                                                       \
    if (channels == 0) {                                                                          \
        for (long i = 0; i < total; i++) { const int op = OPNUM; float v = VISAGE_OP(a[i], b[i]); y[i] = VISAGE_CLAMP(v); } \
    } else if (channels == 1) {                                                                   \
        const float s = b[0];                                                                     \
        for (long i = 0; i < total; i++) { const int op = OPNUM; float v = VISAGE_OP(a[i], s); y[i] = VISAGE_CLAMP(v); } \
    } else if (channels % 16 == 0) {                                                              \
        /* Chunks of exactly 16 channels: one zmm (two ymm) per chunk instead of a counted loop */ \
        /* that a 16-channel pixel leaves to its scalar or half-width remainder. */                \
        for (long base = 0; base < total; base += channels) {                                     \
            for (long j0 = 0; j0 < channels; j0 += 16) {                                          \
                const float *ab = a + base + j0, *bb = b + j0; float *yb = y + base + j0;         \
                for (int j = 0; j < 16; j++) { const int op = OPNUM; float v = VISAGE_OP(ab[j], bb[j]); yb[j] = VISAGE_CLAMP(v); } \
            }                                                                                     \
        }                                                                                         \
    } else {                                                                                      \
        for (long base = 0; base < total; base += channels) {                                     \
            const float *ab = a + base; float *yb = y + base;                                     \
            for (long j = 0; j < channels; j++) { const int op = OPNUM; float v = VISAGE_OP(ab[j], b[j]); yb[j] = VISAGE_CLAMP(v); } \
        }                                                                                         \
    }

static void FN(int op, long channels, const float *restrict a, const float *restrict b, float *restrict y,
               long total, float lo, float hi) {
    switch (op) {
    case 0: VISAGE_LOOPS(0) break;
    case 1: VISAGE_LOOPS(1) break;
    case 2: VISAGE_LOOPS(2) break;
    default: VISAGE_LOOPS(3) break;
    }
}

// y = clamp(a·b + c): the product rounded, then the sum (Mul then Add, one pass).
static void FN_MULADD(long channels, const float *restrict a, const float *restrict b, const float *restrict c,
                      float *restrict y, long total, float lo, float hi) {
    if (channels == 0) {
        for (long i = 0; i < total; i++) { const float t = a[i] * b[i]; const float v = t + c[i]; y[i] = VISAGE_CLAMP(v); }
    } else if (channels == 1) {
        const float s = b[0];
        for (long i = 0; i < total; i++) { const float t = a[i] * s; const float v = t + c[i]; y[i] = VISAGE_CLAMP(v); }
    } else if (channels % 16 == 0) {
        // Chunks of exactly 16 channels (see VISAGE_LOOPS).
        for (long base = 0; base < total; base += channels) {
            for (long j0 = 0; j0 < channels; j0 += 16) {
                const float *ab = a + base + j0, *bb = b + j0, *cb = c + base + j0; float *yb = y + base + j0;
                for (int j = 0; j < 16; j++) { const float t = ab[j] * bb[j]; const float v = t + cb[j]; yb[j] = VISAGE_CLAMP(v); }
            }
        }
    } else {
        for (long base = 0; base < total; base += channels) {
            const float *ab = a + base, *cb = c + base; float *yb = y + base;
            for (long j = 0; j < channels; j++) { const float t = ab[j] * b[j]; const float v = t + cb[j]; yb[j] = VISAGE_CLAMP(v); }
        }
    }
}
#undef VISAGE_LOOPS
#undef VISAGE_OP
#undef VISAGE_CLAMP

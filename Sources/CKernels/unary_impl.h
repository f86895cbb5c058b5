// Element-wise one-input ops and the in-place bias + clamp epilogue, included once per ISA by
// unary.c with SUFFIX-named functions (and the target pragma around it). Plain loops: clang
// vectorises them for the ISA. NaN handling matches the reference kernels (see CKernels.h).
#define VISAGE_CAT_(a, b) a##b
#define VISAGE_CAT(a, b) VISAGE_CAT_(a, b)

static void VISAGE_CAT(visage_unary_, SUFFIX)(int op, const float *restrict x, float *restrict y, long n,
                                              float alpha, float beta) {
    switch (op) {
    case 0:
        for (long i = 0; i < n; i++) y[i] = x[i] < 0 ? 0 : x[i];
        break;
    case 1:
        for (long i = 0; i < n; i++) y[i] = x[i] < 0 ? alpha * x[i] : x[i];
        break;
    case 2:
        for (long i = 0; i < n; i++) {
            float t = alpha * x[i] + beta;
            t = t > 0 ? t : 0;
            y[i] = t < 1 ? t : 1;
        }
        break;
    default:
        for (long i = 0; i < n; i++) {
            float t = x[i] / 6 + 0.5f;
            t = t > 0 ? t : 0;
            y[i] = x[i] * (t < 1 ? t : 1);
        }
        break;
    }
}

static void VISAGE_CAT(visage_bias_clamp_, SUFFIX)(float *y, long rows, long channels, const float *bias,
                                                   float lo, float hi) {
    for (long r = 0; r < rows; r++) {
        float *yr = y + r * channels;
        if (bias) {
            for (long j = 0; j < channels; j++) {
                float v = yr[j] + bias[j];
                yr[j] = v < lo ? lo : (v > hi ? hi : v);
            }
        } else {
            for (long j = 0; j < channels; j++) {
                float v = yr[j];
                yr[j] = v < lo ? lo : (v > hi ? hi : v);
            }
        }
    }
}

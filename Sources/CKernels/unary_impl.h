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
    case 4:
        // Sigmoid 1 / (1 + e^−x) with e^t = 2^k · p(r), k = round(t / ln 2), r = t − k·ln 2 (ln 2 in
        // two parts), p the Cephes expf polynomial (within 2 ulp of expf); NaN kept. Branch-free so
        // it vectorises. t is clamped to ±80 so no step meets a subnormal (which costs a microcode
        // assist per lane); beyond that the result differs from the exact one by under 2e-35 (below
        // −80 it is 0, so σ(−∞) = 0 and σ(+∞) = 1 exactly).
        for (long i = 0; i < n; i++) {
            float t = -x[i];
            t = t < -80.0f ? -80.0f : (t > 80.0f ? 80.0f : t);
            const float k = __builtin_rintf(t * 1.44269504088896341f);
            const float r = (t - k * 0.693359375f) + k * 2.12194440e-4f;
            float p = 1.9875691500e-4f;
            p = p * r + 1.3981999507e-3f;
            p = p * r + 8.3334519073e-3f;
            p = p * r + 4.1665795894e-2f;
            p = p * r + 1.6666665459e-1f;
            p = p * r + 5.0000001201e-1f;
            p = p * r * r + r + 1.0f;
            union { int i; float f; } scale = {.i = ((int)k + 127) << 23};
            const float e = p * scale.f;
            const float v = x[i] < -80.0f ? 0.0f : 1.0f / (1.0f + e);   // exactly 0 at −∞
            y[i] = x[i] != x[i] ? x[i] : v;
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

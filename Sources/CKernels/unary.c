// ISA variants of the one-input ops and the bias + clamp epilogue (see unary_impl.h), dispatched.
#include "dispatch.h"

#define VISAGE_ISA_BODY "unary_impl.h"
#include "per_isa.h"

void visage_unary(int op, const float *x, float *y, long n, float alpha, float beta) {
    switch (visage_kernels_level()) {
#if VISAGE_X86
    case 3: visage_unary_avx512(op, x, y, n, alpha, beta); return;
    case 2: visage_unary_avx2(op, x, y, n, alpha, beta); return;
#endif
    default: visage_unary_portable(op, x, y, n, alpha, beta); return;
    }
}

void visage_bias_clamp(float *y, long rows, long channels, const float *bias, float lo, float hi) {
    switch (visage_kernels_level()) {
#if VISAGE_X86
    case 3: visage_bias_clamp_avx512(y, rows, channels, bias, lo, hi); return;
    case 2: visage_bias_clamp_avx2(y, rows, channels, bias, lo, hi); return;
#endif
    default: visage_bias_clamp_portable(y, rows, channels, bias, lo, hi); return;
    }
}

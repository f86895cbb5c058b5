// OpenBLAS's own sgemm speed, the reference for Visage's BLAS.sgemm (bench-nn.sh runs this with
// OPENBLAS_CORETYPE=SkylakeX, OPENBLAS_NUM_THREADS=1). Usage: openblas_gemm M N K [RUNS]
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

char *openblas_get_corename(void);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 4) return 2;
    int m = atoi(argv[1]), n = atoi(argv[2]), k = atoi(argv[3]), runs = argc > 4 ? atoi(argv[4]) : 20;
    float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = 0.5f;
    for (long i = 0; i < (long)k * n; i++) b[i] = 0.25f;
    double best = 1e30;
    for (int i = 0; i < runs + 2; i++) {
        double t = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
        t = now() - t;
        if (i >= 2 && t < best) best = t;
    }
    printf("{\"runtime\":\"openblas\",\"m\":%d,\"n\":%d,\"k\":%d,\"gflops\":%.2f,\"core\":\"%s\"}\n", m, n, k,
           2.0 * m * n * (double)k / best / 1e9, openblas_get_corename());
    free(a); free(b); free(c);
    return 0;
}

#!/usr/bin/env bash
# Benchmark (not a test): Visage vs LiteRT (XNNPACK, 1 thread) vs onnxruntime (1 thread) on the
# MediaPipe face models, median/min ms, ratios and peak memory, plus sgemm GFLOP/s of Visage's
# BLAS.sgemm against OpenBLAS's best kernel.
#
#   scripts/bench-nn.sh [RUNS]        (default 100 timed runs per model and runtime)
#
# Needs: models/ and .venv-ref (scripts/setup.sh); .venv-tf with tf2onnx 1.16.1 for the ONNX
# conversions (without it onnxruntime is reported as n/a); libopenblas-dev and a C compiler.
# Steps: release build of VisageNN (SwiftPM), link scripts/bench/VisageBench.swift against it,
# compile scripts/bench/openblas_gemm.c, convert the .tflite files to ONNX once into .cache/onnx
# (selfie: opset 14 with its custom transposed conv replaced by ConvTranspose), then
# scripts/bench/bench_nn.py runs every (runtime, model) pair in its own process.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100}"
out=.build-bench
mkdir -p "$out" .cache/onnx

echo "bench: swift build -c release --target VisageNN" >&2
swift build -c release --target VisageNN >&2
bin="$(swift build -c release --show-bin-path)"
swiftc -O -parse-as-library -module-name VisageBench scripts/bench/VisageBench.swift \
  -I "$bin/Modules" -Xcc -fmodule-map-file="$bin/CBLAS.build/module.modulemap" -Xcc -ISources/CBLAS/include \
  -Xcc -fmodule-map-file="$bin/CKernels.build/module.modulemap" -Xcc -ISources/CKernels/include \
  "$bin"/VisageNN.build/*.o "$bin"/CBLAS.build/*.o "$bin"/CKernels.build/*.o -ldl -o "$out/visage-bench"
cc -O2 scripts/bench/openblas_gemm.c -o "$out/openblas_gemm" -lopenblas

if [ -x .venv-tf/bin/python ]; then
  for m in face_detection_short_range face_landmark iris_landmark selfie_segmentation; do
    [ -f ".cache/onnx/$m.onnx" ] && continue
    opset=13; [ "$m" = selfie_segmentation ] && opset=14
    echo "bench: tf2onnx $m (opset $opset)" >&2
    .venv-tf/bin/python -m tf2onnx.convert --tflite "models/$m.tflite" --output ".cache/onnx/$m.onnx" --opset "$opset" >/dev/null 2>&1
    if [ "$m" = selfie_segmentation ]; then
      .venv-ref/bin/python scripts/bench/bench_nn.py patch-selfie ".cache/onnx/$m.onnx" ".cache/onnx/$m.onnx"
    fi
  done
else
  echo "bench: .venv-tf missing: no tf2onnx conversions, onnxruntime columns will say n/a" >&2
fi

echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs" >&2
.venv-ref/bin/python scripts/bench/bench_nn.py run --visage "$out/visage-bench" --openblas "$out/openblas_gemm" --runs "$runs"

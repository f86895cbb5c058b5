#!/usr/bin/env bash
# Benchmark (not a test): banded vs whole execution (VisageNN RowBanding) of the MediaPipe face
# models, alternated in one process per model; min/median ms per policy and the banded segments.
#
#   scripts/bench/band.sh [RUNS] [BANDFLOATS...]   (default 200 runs; BANDFLOATS: extra policies)
#
# Needs models/ (scripts/setup.sh). Links scripts/bench/BandBench.swift against the release build
# of VisageNN (incremental `swift build -c release --target VisageNN`).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-200}"
shift || true
out=.build-bench
mkdir -p "$out"
swift build -c release --target VisageNN >&2
bin="$(swift build -c release --show-bin-path)"
swiftc -O -parse-as-library -module-name BandBench scripts/bench/BandBench.swift \
  -I "$bin/Modules" -Xcc -fmodule-map-file="$bin/CBLAS.build/module.modulemap" -Xcc -ISources/CBLAS/include \
  -Xcc -fmodule-map-file="$bin/CKernels.build/module.modulemap" -Xcc -ISources/CKernels/include \
  "$bin"/VisageNN.build/*.o "$bin"/CBLAS.build/*.o "$bin"/CKernels.build/*.o -ldl -o "$out/band-bench"
for m in selfie_segmentation face_landmark face_detection_short_range iris_landmark; do
  echo "== $m"
  "$out/band-bench" "models/$m.tflite" "$runs" "$@"
done

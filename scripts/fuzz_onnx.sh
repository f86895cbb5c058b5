#!/usr/bin/env bash
# Seeded mutation fuzzing of the ONNX reader and interpreter over real ONNX node-test models.
# Usage: scripts/fuzz_onnx.sh [ITERATIONS]   (default 200000). Prints executions and outcome counts;
# a crash aborts the test process and fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
VISAGE_FUZZ_ITERATIONS="${1:-200000}" swift test --skip-build --filter 'ONNXReaderRobustnessTests/mutatedModelsNeverCrash' 2>&1 \
  | grep -E "fuzz|passed|failed|error"

#!/usr/bin/env bash
# Seeded mutation fuzzing of the model readers and the interpreter: ONNX over real ONNX node-test
# models, TFLite over the five MediaPipe models (users name their own files in model.run and
# model.classify). Each mutated file must load and run, or throw NNError; a trap aborts the test
# process and fails this script.
# Usage: scripts/fuzz_models.sh [ITERATIONS]   (default 200000 per reader). Prints executions and outcome counts.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
for suite in ONNXReaderRobustnessTests TFLiteReaderRobustnessTests; do
  VISAGE_FUZZ_ITERATIONS="${1:-200000}" swift test -c release --skip-build -Xswiftc -enable-testing \
    --filter "$suite/mutatedModelsNeverCrash" 2>&1 | grep -E "fuzz|passed|failed|error"
done

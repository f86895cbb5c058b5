#!/usr/bin/env bash
# The test command (README, .ci/run): set up, build with warnings as errors and the one-way
# import check, then run every test target in release mode (the model tests are numeric and
# need optimised code). Real-photo tests read ../shared/data and say so when it is absent.
#
# Reference environments (Python venvs, made once, then reused):
#   .venv-ref        onnx (node tests), onnxruntime, ai-edge-litert (LiteRT goldens), Pillow, OpenCV
#   .venv-mediapipe  MediaPipe 0.10.21 itself, for the face-agreement test
#   .venv-tf         TensorFlow + tf2onnx, for the founding CNN's exports
# The last two are large; if PyPI fails for them, their tests are skipped and say why.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
./scripts/reference-env.sh
./scripts/mediapipe-env.sh || echo "test: WARNING: .venv-mediapipe could not be made; the MediaPipe agreement tests will be skipped"
./scripts/tf-env.sh || echo "test: WARNING: .venv-tf could not be made; the founding-CNN tests will be skipped"

export VISAGE_RUN_SLOW_TESTS=1
swift build -c release --build-tests --explicit-target-dependency-import-check error -Xswiftc -enable-testing
swift test -c release --skip-build -Xswiftc -enable-testing "$@"

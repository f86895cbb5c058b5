#!/usr/bin/env bash
# Runs ONNX's own backend node tests and the pytorch-converted cases shipped in the onnx wheel
# (.venv-ref/lib/python3.*/site-packages/onnx/backend/test/data) through VisageNN, and prints the
# list of cases run and passed/total per operator family. Nothing is generated or committed: the
# data ships with onnx==1.22.0 (scripts/setup.sh). Override the location with VISAGE_ONNX_TEST_DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
swift test --skip-build --filter ONNXNodeTests 2>&1 | grep -vE '^(↳|\[)' | grep -E "ONNX|^  |✔|✘"

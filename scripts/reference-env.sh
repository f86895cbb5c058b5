#!/usr/bin/env bash
# A Python virtualenv (.venv-ref/) with the reference runtimes the tests compare against:
# onnx (generates ONNX's own node tests) and ai-edge-litert (LiteRT outputs for the MediaPipe
# models). Idempotent: a stamp file records what was installed.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements="scripts/reference-requirements.txt"
venv=".venv-ref"
stamp="$venv/.installed"
if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements"; then
  exit 0
fi
echo "setup: creating $venv with the reference runtimes ($requirements)"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"

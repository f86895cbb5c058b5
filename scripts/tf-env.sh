#!/usr/bin/env bash
# A Python virtualenv (.venv-tf/) with TensorFlow and tf2onnx, used only to make the founding CNN
# (scripts/make_founding_cnn.py): its exports are ~490 KB each, over what the repository holds
# for model files, so the tests make them here. Idempotent: a stamp file records the install.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements="scripts/tf-requirements.txt"
venv=".venv-tf"
stamp="$venv/.installed"
if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements"; then
  exit 0
fi
echo "setup: creating $venv with TensorFlow for the founding CNN ($requirements)"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"

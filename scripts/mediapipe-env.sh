#!/usr/bin/env bash
# A Python virtualenv (.venv-mediapipe/) with MediaPipe 0.10.21, the reference Visage's face
# stages are compared with (scripts/mediapipe_reference.py). mediapipe is installed with
# --no-deps (its full dependency list pulls jax, opencv-contrib, sounddevice, …); only what the
# face_detection and face_mesh solutions import is added, pinned in
# scripts/mediapipe-requirements.txt. Idempotent: a stamp file records what was installed.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements="scripts/mediapipe-requirements.txt"
venv=".venv-mediapipe"
stamp="$venv/.installed"
if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements"; then
  exit 0
fi
echo "setup: creating $venv with mediapipe==0.10.21 ($requirements)"
python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" -r "$requirements"
"${pip[@]}" --no-deps mediapipe==0.10.21
# Fail here, not in the reference script, when an import is missing.
"$venv/bin/python" -c "import mediapipe as mp; mp.solutions.face_detection; mp.solutions.face_mesh"
cp "$requirements" "$stamp"

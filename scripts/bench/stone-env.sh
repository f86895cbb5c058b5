#!/usr/bin/env bash
# A Python virtualenv (.venv-stone/) with skin-tone-classifier (`stone`) 1.2.6, the throughput
# peer in scripts/bench-pipeline.sh (docs: PEERS.md §1). opencv-python is pinned below 5: with
# opencv-python 5 every image fails (`module 'cv2' has no attribute 'CascadeClassifier'`) and the
# failure is written into result.csv as if it were a result. Idempotent: a stamp file records what
# was installed; the import of cv2.CascadeClassifier is checked before the stamp is written.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=".venv-stone"
spec="skin-tone-classifier==1.2.6 opencv-python<5"
stamp="$venv/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec" ]; then
  exit 0
fi
echo "setup: creating $venv with $spec"
python3 -m venv "$venv"
# shellcheck disable=SC2086
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check $spec
"$venv/bin/python" -c "import cv2, stone; cv2.CascadeClassifier; print('stone ok, opencv', cv2.__version__)"
echo "$spec" > "$stamp"

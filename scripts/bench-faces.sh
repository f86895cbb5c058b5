#!/usr/bin/env bash
# Face-stage benchmark (not a test; issue 4 item 9): Visage's whole face stage vs MediaPipe Python
# detection + face mesh, per image, on the real faces set, in the same run.
#
#   scripts/bench-faces.sh [REPEATS] [CHUNK]        (defaults 3 timed runs per image, chunks of 12)
#
# Visage (`visage bench faces`, release build): decode, BlazeFace detection, mesh + irises per face,
# selfie segmentation, all beauty analyses per face. MediaPipe 0.10.21 (.venv-mediapipe): Pillow
# decode, FaceDetection(short range).process, FaceMesh(static_image_mode).process. Both report the
# median of REPEATS runs per image after a warm-up run, model loading excluded. The two tools run
# alternately on chunks of CHUNK images, so load on the (shared) machine hits both alike; compare
# ratios from one run only. Target: ratio (Visage / MediaPipe) ≤ 1.
# VISAGE_BIN overrides the binary (e.g. a build that has other branches merged).
# MEDIAPIPE_REFINE=1 runs MediaPipe's mesh with refine_landmarks (478 points with irises, what
# Visage's stage returns) instead of the plain 468-point mesh the issue names.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
chunk="${2:-12}"
refine=""; mesh="468-point mesh"
[ "${MEDIAPIPE_REFINE:-0}" = 1 ] && refine=1 && mesh="478-point mesh (refine_landmarks)"
data="${VISAGE_SHARED_DATA:-../shared/data}"
out=.cache/bench/faces
mkdir -p "$out"
scripts/mediapipe-env.sh
if [ -z "${VISAGE_BIN:-}" ]; then
  echo "== building visage (release)"
  VISAGE_BIN="$(scripts/build.sh 2> >(tail -1 >&2))"
fi
mapfile -t files < <(find "$data/faces" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort)
echo "== ${#files[@]} images from $data/faces, $repeats timed runs each, chunks of $chunk, MediaPipe $mesh, load: $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$out/visage.tsv"; : > "$out/mediapipe.tsv"
for ((i = 0; i < ${#files[@]}; i += chunk)); do
  part=("${files[@]:i:chunk}")
  "$VISAGE_BIN" bench faces --models models --repeats "$repeats" "${part[@]}" >> "$out/visage.tsv"
  .venv-mediapipe/bin/python scripts/bench/mediapipe_faces.py --repeats "$repeats" ${refine:+--refine} "${part[@]}" \
    2> >(grep -v -e '^WARNING' -e '^I0000' -e '^W0000' -e 'absl::InitializeLog' >&2) >> "$out/mediapipe.tsv"
  echo "  $((i + ${#part[@]}))/${#files[@]}"
done
echo "== Visage stage totals (sums of per-image medians, per chunk)"
grep '^STAGES' "$out/visage.tsv" | awk -F'\t' '{for (k = 2; k <= NF; k++) {split($k, a, " "); s[a[1]] += a[2]}}
  END {for (n in s) printf "  %-10s %8.0f ms\n", n, s[n]}'
echo "== per image (median ms; ratio = Visage / MediaPipe, < 1 means Visage is faster)"
python3 scripts/bench/join_times.py "$out/visage.tsv" "$out/mediapipe.tsv"

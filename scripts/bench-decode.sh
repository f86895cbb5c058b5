#!/usr/bin/env bash
# Decode benchmark (not a test): Visage vs libjpeg-turbo's tjbench on the same 12 MP JPEGs, same run.
#
#   scripts/bench-decode.sh [SECONDS_PER_MEASUREMENT]     (default 2)
#
# 1. builds `visage` in release;
# 2. makes .cache/bench-decode/*.jpg if missing: real face photos from ../shared/data/faces, upscaled
#    with .venv-ref Pillow to 3024×4032 (12 MP), sensor-like Gaussian noise (σ = 6 levels) added,
#    saved at quality 92, 4:2:0 (MODELS.md §7 describes such a file);
# 3. times Visage full decode and reduced-scale decode (minimum 512 px → 1/4), then tjbench
#    (-rgb -nowrite, full and -scale 1/4) on the same files, and prints throughput and the ratios.
# Target: Visage full decode within 1.1× of tjbench's time.
#
# tjbench decodes into one buffer reused across iterations; Visage returns a fresh Image each time,
# and glibc serves a 36 MB buffer with fresh mmap pages, so every full decode also pays ~9000 page
# faults. The run is repeated with GLIBC_TUNABLES that keep freed memory in the heap (the same
# condition as tjbench's reused buffer) to show how much of the gap that is. On a loaded machine the
# numbers are noisy: compare ratios from the same run only.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-2}"
data="${VISAGE_SHARED_DATA:-../shared/data}"
dir=.cache/bench-decode
mkdir -p "$dir"
if ! ls "$dir"/*.jpg >/dev/null 2>&1; then
    .venv-ref/bin/python - "$data" "$dir" <<'PY'
import sys, numpy as np
from PIL import Image
data, out = sys.argv[1], sys.argv[2]
sources = ["faces/face-services/model_face.jpg", "faces/face-services/woman_portrait.jpg",
           "faces/max-emotion/neutral.jpeg", "faces/face-services/adele_2016.jpg"]
for i, name in enumerate(sources):
    im = Image.open(f"{data}/{name}").convert("RGB").resize((3024, 4032), Image.Resampling.BICUBIC)
    rng = np.random.default_rng(i)
    a = np.asarray(im).astype(np.float32) + rng.normal(0, 6, (4032, 3024, 3)).astype(np.float32)
    Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8)).save(f"{out}/photo{i}.jpg", quality=92, subsampling=2)
    print(f"made {out}/photo{i}.jpg from {name}")
PY
fi
echo "== building visage (release)"
swift build -c release --product visage 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)/visage"
files=("$dir"/*.jpg)
ls -l "${files[@]}" | awk '{print $5, $9}'

echo "== Visage"
visage_out="$("$bin" bench decode --seconds "$seconds" --min-size 512 "${files[@]}")"
echo "$visage_out"
v_full=$(echo "$visage_out" | awk '/^TOTAL full/ {print $3}')
v_red=$(echo "$visage_out" | awk '/^TOTAL min/ {print $4}')
echo "== Visage, freed memory kept in the heap (no fresh page faults, as tjbench's reused buffer)"
heap_out="$(GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=2147483648 \
    "$bin" bench decode --seconds "$seconds" "${files[@]}")"
echo "$heap_out" | tail -1
v_heap=$(echo "$heap_out" | awk '/^TOTAL full/ {print $3}')

echo "== tjbench ($(tjbench 2>&1 | grep -m1 -o 'libjpeg-turbo [0-9.]*' || echo libjpeg-turbo))"
tj() {  # file, extra args → Megapixels/sec of decompression
    tjbench "$1" -rgb -nowrite -benchtime "$seconds" -warmup 0.5 "${@:2}" 2>&1 |
        awk '/Decompress/ {d=1} d && /Throughput/ {print $2; exit}'
}
t_full_sum=0; t_red_sum=0
for f in "${files[@]}"; do
    full=$(tj "$f"); red=$(tj "$f" -scale 1/4)
    echo "$f: full $full MP/s, 1/4 scale $red MP/s"
    t_full_sum=$(echo "$t_full_sum + 1 / $full" | bc -l); t_red_sum=$(echo "$t_red_sum + 1 / $red" | bc -l)
done
n=${#files[@]}
t_full=$(echo "$n / $t_full_sum" | bc -l); t_red=$(echo "$n / $t_red_sum" | bc -l)
printf "TOTAL tjbench full: %.1f MP/s, 1/4 scale: %.1f MP/s\n" "$t_full" "$t_red"
echo "== ratio (time Visage / time tjbench; target ≤ 1.10 for full decode)"
printf "full decode: %.3f\n" "$(echo "$t_full / $v_full" | bc -l)"
printf "full decode, heap-reused buffers: %.3f\n" "$(echo "$t_full / $v_heap" | bc -l)"
printf "1/4 scale:   %.3f\n" "$(echo "$t_red / $v_red" | bc -l)"

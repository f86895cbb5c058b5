#!/usr/bin/env bash
# Fuzzes the C codec shim (Sources/CImageCodecs) with libFuzzer + AddressSanitizer + UBSan.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#
# Builds Fuzz/{jpeg,png}_fuzzer.c against the shim with the toolchain's clang into .cache/fuzz/,
# seeds each corpus from the shared conformance and corrupt sets (../shared/data/jpeg, png), runs
# each target for a bounded time, and prints executions and crashes. Crashing inputs are kept in
# .cache/fuzz/artifacts/. The system libjpeg-turbo/libpng/lcms2 are not instrumented, so coverage
# guidance covers the shim only; ASan still checks every memory access the shim makes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
data="${VISAGE_SHARED_DATA:-../shared/data}"
out=.cache/fuzz
clang="$(command -v clang)"
mkdir -p "$out/artifacts"
status=0
for target in jpeg png; do
    binary="$out/${target}_fuzzer"
    "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -I Sources/CImageCodecs/include "Fuzz/${target}_fuzzer.c" Sources/CImageCodecs/*.c \
        -ljpeg -lpng -llcms2 -o "$binary" 2>"$out/build-$target.log" || { cat "$out/build-$target.log"; exit 1; }
    corpus="$out/corpus-$target"
    mkdir -p "$corpus"
    if [ -d "$data/$target" ]; then
        find "$data/$target" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) \
            -size -2M -exec cp -n {} "$corpus/" \; 2>/dev/null || true
    else
        echo "note: $data/$target absent; $target fuzzing starts from an empty corpus"
    fi
    log="$out/$target.log"
    set +e
    "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/$target-" >"$log" 2>&1
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    crashes=$(find "$out/artifacts" -name "$target-crash-*" -o -name "$target-leak-*" -o -name "$target-timeout-*" \
        -o -name "$target-oom-*" | wc -l)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "$target: ${seconds}s, $runs executions, $crashes crash/leak/timeout/oom artifacts, $cov, exit $rc (log $log)"
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then status=1; fi
done
exit $status

#!/usr/bin/env bash
# Fuzzes the codecs with libFuzzer + AddressSanitizer: three targets, each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#
# jpeg, png: Fuzz/{jpeg,png}_fuzzer.c, C harnesses over the shim (Sources/CImageCodecs, the C attack
#   surface; also UBSan), built with the toolchain's clang into .cache/fuzz/. The JPEG one is also
#   differential: Visage's stages (Huffman decoder, YCbCr → RGB) against libjpeg alone, any difference is a crash.
# swift: Fuzz/Swift/CodecFuzz.swift (SwiftPM target visage-codec-fuzz) built in release with
#   -sanitize=fuzzer,address -DFUZZING into .build-fuzz/: the whole Swift decode path (format sniffing,
#   EXIF parser, orientation, alpha, ICC policy) on JPEG and PNG seeds together.
#
# Each corpus is seeded from the shared conformance and corrupt sets (../shared/data/jpeg, png); each
# target runs for a bounded time and the script prints executions and crashes. Crashing inputs are
# kept in .cache/fuzz/artifacts/ (replay one with a normal build: .build/debug/visage-codec-fuzz FILE).
# Any single allocation over 512 MB is reported as an out-of-memory artifact with its stack (inputs
# are limited to 1 megapixel, so no honest decode comes near it): a PNG chunk declaring 2 GB was
# found this way. The system libjpeg-turbo/libpng/lcms2 are not instrumented, so coverage guidance covers our code
# only; ASan still checks every memory access our code makes.
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
    "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=262144 \
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

corpus="$out/corpus-swift"
mkdir -p "$corpus"
cp -n "$out"/corpus-jpeg/* "$out"/corpus-png/* "$corpus/" 2>/dev/null || true
if swift build -c release --product visage-codec-fuzz --build-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
    -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address >"$out/build-swift.log" 2>&1; then
    binary="$(swift build -c release --build-path .build-fuzz --show-bin-path)/visage-codec-fuzz"
    log="$out/swift.log"
    set +e
    "$binary" "$corpus" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -malloc_limit_mb=512 -max_len=262144 \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/swift-" >"$log" 2>&1
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    crashes=$(find "$out/artifacts" -name "swift-*" | wc -l)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "swift: ${seconds}s, $runs executions, $crashes crash/leak/timeout/oom artifacts, $cov, exit $rc (log $log)"
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then status=1; fi
else
    echo "swift: fuzz build failed (see $out/build-swift.log)"
    status=1
fi
exit $status

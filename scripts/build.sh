#!/usr/bin/env bash
# Builds the `visage` command as users run it and prints its path: a release build with the Swift
# runtime and Foundation linked in statically (`--static-swift-stdlib`: a batch starts ~15 ms
# sooner than with 15 shared libraries to load and bind, 1.7 % of the 200-photo bench run), in
# .build-static, because the test build's flags differ and sharing .build would rebuild everything
# each time one follows the other. Build messages go to stderr.
#
#   bin="$(scripts/build.sh)"; "$bin" run pipelines/beauty-report.yaml photos/ --out reports/
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product visage --static-swift-stdlib --build-path .build-static >&2
echo "$PWD/.build-static/release/visage"

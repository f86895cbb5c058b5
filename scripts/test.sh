#!/usr/bin/env bash
# The test command (README, .ci/run): set up, build with warnings as errors and the one-way
# import check, then run every test target in release mode (the model tests are numeric and
# need optimised code). Real-photo tests read ../shared/data and say so when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
./scripts/reference-env.sh

swift build -c release --build-tests --explicit-target-dependency-import-check error -Xswiftc -enable-testing
swift test -c release --skip-build -Xswiftc -enable-testing "$@"

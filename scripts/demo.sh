#!/usr/bin/env bash
# The main job on the bundled default: set up, build, and analyse the sample photos.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
swift build -c release --product visage
.build/release/visage inspect samples/

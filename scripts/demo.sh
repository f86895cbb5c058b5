#!/usr/bin/env bash
# The main job on the bundled default: set up, build, and run the default pipeline
# (pipelines/beauty-report.yaml) on the sample photos, writing reports to out/.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
visage="$(./scripts/build.sh)"
status=0
"$visage" run pipelines/beauty-report.yaml samples/ --out out/ --csv out/faces.csv || status=$?
# Exit 1 means "some images failed"; the samples include none that should, so pass it on.
echo "demo: reports in out/ (summary: out/summary.json, one row per face: out/faces.csv)"
exit $status

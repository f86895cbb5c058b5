#!/usr/bin/env bash
# One-time (and every-time) set-up: Debian packages, then the sample photos and MediaPipe models.
# Idempotent; takes about a second when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# C libraries (decoders, colour management, BLAS), the JPEG reference tools used by the decode
# benchmark, and Python for extracting the models from their PyPI wheel.
packages=(libjpeg62-turbo-dev libpng-dev liblcms2-dev libopenblas-dev libjpeg-turbo-progs pkg-config)
command -v python3 >/dev/null 2>&1 || packages+=(python3)
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 scripts/fetch_assets.py

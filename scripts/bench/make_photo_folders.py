"""Makes the throughput benchmark's photo folders (run with .venv-ref, which has Pillow and numpy).

    .venv-ref/bin/python scripts/bench/make_photo_folders.py SHARED_DATA OUT_DIR

OUT_DIR/photos-200: every JPEG/PNG of SHARED_DATA/faces (sorted) copied twice (named
`rK-<folder>-<file>`; copies, not symlinks: stone resolves symlinks and silently processes each
target once), then 12-megapixel copies (3024×4032, or 4032×3024 for landscape sources)
of four face photos, Pillow bicubic upscale with sensor-like Gaussian noise (σ = 6 levels),
JPEG quality 92, 4:2:0, each copied under several names until there are at least 200 files. OUT_DIR/photos-2000: the 200 linked
ten times. Idempotent: existing files are kept.
"""
import os
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

# Real photos with one clear face (MODELS.md §7 uses the first two for its 12 MP example).
UPSCALE = ["face-services/model_face.jpg", "face-services/woman_portrait.jpg", "max-emotion/neutral.jpeg",
           "face-services/adele_2016.jpg"]


def link(src, dst):
    if not dst.is_symlink() and not dst.exists():
        os.symlink(os.path.abspath(src), dst)


def copy(src, dst):
    if dst.is_symlink():
        dst.unlink()
    if not dst.exists():
        shutil.copyfile(src, dst)


def main():
    data, out = Path(sys.argv[1]) / "faces", Path(sys.argv[2])
    small, large = out / "photos-200", out / "photos-2000"
    small.mkdir(parents=True, exist_ok=True)
    large.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in data.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png") and p.is_file())
    names = []
    for k in range(2):
        for p in sources:
            name = f"r{k}-{p.parent.name}-{p.name}"
            copy(p, small / name)
            names.append(name)
    upscale = [data / u for u in UPSCALE if (data / u).exists()]
    i = 0
    while len(names) < 200:
        src = upscale[i % len(upscale)]
        name = f"12mp-{i:02d}-{src.stem}.jpg"
        if i >= len(upscale):
            copy(small / f"12mp-{i % len(upscale):02d}-{src.stem}.jpg", small / name)
        elif not (small / name).exists():
            with Image.open(src) as im:
                im = ImageOps.exif_transpose(im).convert("RGB")
                size = (4032, 3024) if im.width > im.height else (3024, 4032)
                im = im.resize(size, Image.Resampling.BICUBIC)
            a = np.asarray(im).astype(np.float32) + np.random.default_rng(i).normal(0, 6, (size[1], size[0], 3))
            Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8)).save(small / name, quality=92, subsampling=2)
            print(f"made {small / name} from {src}")
        names.append(name)
        i += 1
    for k in range(10):
        for name in names:
            link(small / name, large / f"x{k}-{name}")
    print(f"{small}: {len(names)} files ({i} at 12 MP); {large}: {10 * len(names)} links to them")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes fixtures/codecs/png_reference.tsv (expected pixels of every PNG in ../shared/data/png) and
fixtures/codecs/jpeg_reference.tsv (4×4 grid means of Pillow's decode of every JPEG in ../shared/data/jpeg).

Run from the repository root:  .venv-ref/bin/python scripts/png_reference.py

"Right" pixels are defined by Pillow (version printed in the file header) as follows, chosen to
match what libpng gives with png_set_expand + png_set_strip_16 and no gamma correction:
  * samples come from Pillow's native mode for the file (1, L, I;16, P, RGB, LA, RGBA), no gamma,
    no colour management (gAMA/cHRM/iCCP ignored, exactly as Pillow ignores them);
  * grey of 1/2/4 bits is scaled to 0..255 by bit replication (Pillow's L;1/L;2/L;4 unpackers);
  * 16-bit samples keep the high byte (Pillow's I;16 >> 8, and its RGB;16B / RGBA;16B unpackers;
    16-bit grey+alpha, which Pillow opens as RGBA, is taken back to its grey and alpha channels);
  * palette indices are looked up in the PLTE chunk, zero-padded to 256 entries;
  * tRNS becomes an alpha channel computed from the chunk per the PNG spec (255 opaque, 0 where the
    sample equals the tRNS value; palette alpha from the tRNS table, 255 past its end). For 16-bit RGB
    with tRNS Pillow cannot give the 16-bit colour needed for the comparison, so alpha is marked
    unchecked ("rgb-only") and only the colour channels are hashed.
JPEG: Pillow decodes with libjpeg-turbo too (islow DCT, fancy upsampling), no EXIF transpose, no
colour management; CMYK files are converted with Pillow's convert("RGB") (Adobe-inverted data is
un-inverted by Pillow's CMYK;I raw mode). The reference is the per-channel mean of each cell of an
4×4 grid (cell i spans rows i·H//4 ..< (i+1)·H//4, the same for columns; fewer cells for tiny images),
two decimals; the Swift test compares within a stated tolerance. nuke/image-p3.jpg and
pillow/icc_profile_big.jpg (a "TIFF RGB" profile) also get an "srgb" line: Pillow ImageCms
conversion of its embedded profile to sRGB, perceptual intent.

PNG lines: relative path, then either "ok W H C sha256 check" (check = all | rgb-only) or
"error <Pillow's reason>". Files Pillow refuses are expected to be refused by Visage too.
"""
import hashlib
import os
import struct
import sys
import zlib

import numpy as np
import PIL
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "fixtures", "codecs", "png_reference.tsv")


def chunks(raw):
    """Yields (type, payload) for each chunk after the signature; stops at anything malformed."""
    pos = 8
    while pos + 8 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        if pos + 12 + length > len(raw):
            return
        yield kind, raw[pos + 8:pos + 8 + length]
        pos += 12 + length


def expected(path):
    raw = open(path, "rb").read()
    meta = dict((k, v) for k, v in reversed(list(chunks(raw))))
    ihdr = meta[b"IHDR"]
    width, height, depth, ctype = struct.unpack(">IIBB", ihdr[:10])
    trns = meta.get(b"tRNS")
    with Image.open(path) as im:
        im.load()
        mode = im.mode
        a = np.array(im)
    check = "all"
    if ctype == 3:
        plte = np.zeros((256, 3), np.uint8)
        p = np.frombuffer(meta[b"PLTE"], np.uint8).reshape(-1, 3)
        plte[:len(p)] = p
        idx = a.astype(np.int64)
        rgb = plte[idx]
        if trns is not None:
            table = np.full(256, 255, np.uint8)
            t = np.frombuffer(trns, np.uint8)[:256]
            table[:len(t)] = t
            out = np.dstack([rgb, table[idx]])
        else:
            out = rgb
    elif ctype == 0:
        if mode == "1":
            grey8 = a.astype(np.uint8) * 255
        elif mode.startswith("I"):
            grey8 = (a.astype(np.uint32) >> 8).astype(np.uint8) if depth == 16 else a.astype(np.uint8)
        else:
            grey8 = a.astype(np.uint8)
        if trns is not None:
            value = struct.unpack(">H", trns[:2])[0]
            if depth == 16:
                original = a.astype(np.uint32)
            else:
                original = grey8.astype(np.uint32) // (255 // ((1 << depth) - 1))
            alpha = np.where(original == value, 0, 255).astype(np.uint8)
            out = np.dstack([grey8, alpha])
        else:
            out = grey8
    elif ctype == 2:
        rgb = a[..., :3].astype(np.uint8)
        if trns is not None:
            if depth == 16:
                out, check = rgb, "rgb-only"
            else:
                r, g, b = (v & 0xFF for v in struct.unpack(">HHH", trns[:6]))
                mask = (rgb[..., 0] == r) & (rgb[..., 1] == g) & (rgb[..., 2] == b)
                out = np.dstack([rgb, np.where(mask, 0, 255).astype(np.uint8)])
        else:
            out = rgb
    elif ctype in (4, 6):
        out = a.astype(np.uint8)
        if ctype == 4 and mode == "RGBA":  # Pillow opens 16-bit grey+alpha as RGBA with R = G = B
            if not (np.array_equal(out[..., 0], out[..., 1]) and np.array_equal(out[..., 0], out[..., 2])):
                raise ValueError("16-bit grey+alpha opened as RGBA with R, G, B differing")
            out = out[..., [0, 3]]
        elif mode not in ("LA", "RGBA"):
            raise ValueError(f"unexpected Pillow mode {mode} for colour type {ctype}")
    else:
        raise ValueError(f"colour type {ctype}")
    out = np.ascontiguousarray(out.reshape(height, width, -1))
    return width, height, out.shape[2], hashlib.sha256(out.tobytes()).hexdigest(), check


def grid_means(a):
    a = a.reshape(a.shape[0], a.shape[1], -1).astype(np.float64)
    h, w = a.shape[:2]
    gy, gx = min(4, h), min(4, w)
    values = []
    for i in range(gy):
        for j in range(gx):
            cell = a[i * h // gy:(i + 1) * h // gy, j * w // gx:(j + 1) * w // gx]
            values.extend(f"{v:.2f}" for v in cell.mean(axis=(0, 1)))
    return gx, gy, ",".join(values)


def jpeg_references():
    from PIL import ImageCms
    base = os.path.join(DATA, "jpeg")
    lines = [f"# jpeg reference grid means from Pillow {PIL.__version__}; see scripts/png_reference.py"]
    for folder, _, files in sorted(os.walk(base)):
        for name in sorted(files):
            if not name.lower().endswith((".jpg", ".jpeg")):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, DATA)
            try:
                with Image.open(path) as im:
                    im.load()
                    if im.mode == "CMYK":
                        im = im.convert("RGB")
                    if im.mode not in ("L", "RGB"):
                        raise ValueError(f"Pillow mode {im.mode}")
                    a = np.array(im)
                    gx, gy, means = grid_means(a)
                    c = 1 if a.ndim == 2 else a.shape[2]
                    lines.append(f"{rel}\tok\t{im.width}\t{im.height}\t{c}\t{gx}\t{gy}\t{means}")
                    if name in ("image-p3.jpg", "icc_profile_big.jpg"):   # Display P3, "TIFF RGB"
                        import io
                        source = ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"]))
                        srgb = ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"),
                                                         renderingIntent=ImageCms.Intent.PERCEPTUAL)
                        gx, gy, means = grid_means(np.array(srgb))
                        lines.append(f"{rel}\tsrgb\t{im.width}\t{im.height}\t3\t{gx}\t{gy}\t{means}")
            except Exception as error:  # noqa: BLE001 - any Pillow refusal is recorded
                reason = " ".join(str(error).replace(path, rel).split()) or type(error).__name__
                lines.append(f"{rel}\terror\t{type(error).__name__}: {reason[:120]}")
    out = os.path.join(ROOT, "fixtures", "codecs", "jpeg_reference.tsv")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {out}: {len(lines) - 1} lines")


def main():
    base = os.path.join(DATA, "png")
    if not os.path.isdir(base):
        sys.exit(f"{base} is absent")
    lines = [f"# png reference pixels from Pillow {PIL.__version__}; see scripts/png_reference.py"]
    for folder, _, files in sorted(os.walk(base)):
        for name in sorted(files):
            if not name.endswith(".png"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, DATA)
            try:
                w, h, c, digest, check = expected(path)
                lines.append(f"{rel}\tok\t{w}\t{h}\t{c}\t{digest}\t{check}")
            except Exception as error:  # noqa: BLE001 - any Pillow refusal is recorded
                reason = " ".join(str(error).replace(path, rel).split()) or type(error).__name__
                lines.append(f"{rel}\terror\t{type(error).__name__}: {reason[:120]}")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    decoded = sum("\tok\t" in line for line in lines)
    print(f"wrote {OUT}: {len(lines) - 1} files, {decoded} decoded by Pillow")
    jpeg_references()


if __name__ == "__main__":
    main()

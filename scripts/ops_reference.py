#!/usr/bin/env python3
"""Reference outputs for Visage's image operations, computed with OpenCV (cv2 4.10).

Writes fixtures/ops/reference.json, read by Tests/VisageImagingTests/OperationReferenceTests.swift.
Run from the repository root:  .venv-ref/bin/python scripts/ops_reference.py

Inputs are small synthetic images stored in the JSON itself, so the test needs nothing else.
Conventions checked here (all OpenCV's): pixel centres on integers; warpAffine takes the
source -> destination matrix; getRotationMatrix2D turns counter-clockwise for positive angles;
resize INTER_LINEAR / INTER_AREA / INTER_NEAREST_EXACT use half-pixel centres, INTER_NEAREST is
asymmetric (floor(x * in/out)); copyMakeBorder BORDER_REFLECT_101 is Visage's `.reflect`.

Tolerances (stated per case as `atol`, in component units):
- exact pixel moves (flip, 90-degree turns, pad, nearest resize): 0;
- float32 resize: 1e-4 (OpenCV computes float weights exactly);
- uint8 resize: 1 (OpenCV rounds weights to 11 bits);
- warpAffine and rotation: Visage rounds sample positions to 1/32 pixel as OpenCV does, so 8-bit
  results should be identical; 1 level allowed for the rounding of the inverse matrix, 1e-4 for
  float32;
- MediaPipe's rotated-rect crop uses warpPerspective, which rounds the position once (to 1/32)
  where warpAffine rounds twice: 1 level.
"""
import json
import math
import pathlib

import cv2
import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ops" / "reference.json"


def smooth(w, h, c, dtype):
    """A smooth test pattern: low-frequency waves per channel, values in [0, 255] or [0, 1]."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    planes = []
    for k in range(c):
        v = 128 + 70 * np.sin(0.45 * x + 0.9 * k) + 45 * np.cos(0.35 * y - 0.6 * k) + 2 * (x - y)
        planes.append(np.clip(v, 0, 255))
    img = np.stack(planes, axis=-1)
    if dtype == "uint8":
        return np.round(img).astype(np.uint8)
    return (img / 255).astype(np.float32)


def ramp(w, h, c):
    """Distinct values for exact pixel-move checks."""
    return (np.arange(w * h * c) % 251).astype(np.uint8).reshape(h, w, c)


def encode(img):
    img = np.asarray(img)
    if img.ndim == 2:
        img = img[:, :, None]
    h, w, c = img.shape
    if img.dtype == np.uint8:
        data = [int(v) for v in img.reshape(-1)]
    else:
        data = [round(float(v), 6) for v in img.reshape(-1)]
    return {"width": w, "height": h, "channels": c, "data": data}


def main():
    inputs = {
        "smooth_u8": smooth(16, 12, 3, "uint8"),
        "smooth_f32": smooth(16, 12, 3, "float32"),
        "smooth_gray_f32": smooth(7, 5, 1, "float32")[:, :, 0],
        "ramp_u8": ramp(5, 4, 3),
    }
    cases = []

    def add(name, op, source, params, expected, atol):
        cases.append({"name": name, "op": op, "input": source, "params": params,
                      "expected": encode(expected), "atol": atol})

    # Resize: sizes down and up, non-integer factors included.
    modes = {"bilinear": cv2.INTER_LINEAR, "area": cv2.INTER_AREA}
    for src in ["smooth_f32", "smooth_u8"]:
        for (w, h) in [(7, 5), (5, 9), (23, 17)]:
            for method, flag in modes.items():
                atol = 1e-4 if src.endswith("f32") else 1
                out = cv2.resize(inputs[src], (w, h), interpolation=flag)
                add(f"resize {method} {src} to {w}x{h}", "resize", src,
                    {"width": w, "height": h, "method": method, "coordinates": "half_pixel"}, out, atol)
    for (w, h) in [(7, 5), (23, 17)]:
        out = cv2.resize(inputs["smooth_u8"], (w, h), interpolation=cv2.INTER_NEAREST)
        add(f"resize nearest asymmetric to {w}x{h}", "resize", "smooth_u8",
            {"width": w, "height": h, "method": "nearest", "coordinates": "asymmetric"}, out, 0)
    # Half-pixel nearest: floor((x + 0.5) * in/out). OpenCV (16-bit fixed point) and Pillow (float)
    # disagree with exact arithmetic at ties, where (x + 0.5) * in/out is an integer; a 7x5 input
    # and even output sizes have none, so every library agrees on these.
    for (w, h) in [(4, 2), (10, 6), (6, 8)]:
        out = cv2.resize(inputs["smooth_gray_f32"], (w, h), interpolation=cv2.INTER_NEAREST_EXACT)
        add(f"resize nearest half-pixel grey to {w}x{h}", "resize", "smooth_gray_f32",
            {"width": w, "height": h, "method": "nearest", "coordinates": "half_pixel"}, out, 0)
    out = cv2.resize(inputs["smooth_gray_f32"], (3, 11), interpolation=cv2.INTER_LINEAR)
    add("resize bilinear grey 7x5 to 3x11", "resize", "smooth_gray_f32",
        {"width": 3, "height": 11, "method": "bilinear", "coordinates": "half_pixel"}, out, 1e-4)

    # warpAffine: M maps source -> destination; both borders; both interpolations.
    m = cv2.getRotationMatrix2D((7.3, 5.1), 23.0, 0.8)
    m[:, 2] += (1.5, -0.75)
    borders = {"replicate": (cv2.BORDER_REPLICATE, None), "constant": (cv2.BORDER_CONSTANT, [10, 20, 30])}
    for src, atol in [("smooth_u8", 1), ("smooth_f32", 1e-4)]:
        for bname, (flag, value) in borders.items():
            for iname, iflag in [("bilinear", cv2.INTER_LINEAR), ("nearest", cv2.INTER_NEAREST)]:
                fill = value if src.endswith("u8") else ([v / 255 for v in value] if value else None)
                out = cv2.warpAffine(inputs[src], m, (14, 11), flags=iflag, borderMode=flag,
                                     borderValue=fill if fill else 0)
                params = {"matrix": [float(v) for v in m.reshape(-1)], "width": 14, "height": 11,
                          "interpolation": iname, "border": bname, "fill": fill or []}
                add(f"warpAffine {iname} {bname} {src}", "warpAffine", src, params, out,
                    0 if iname == "nearest" and src.endswith("u8") else atol)

    # Rotation about the image centre, same size, zero border (getRotationMatrix2D: CCW positive).
    for angle in [30.0, -47.5]:
        h, w = inputs["smooth_u8"].shape[:2]
        r = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
        out = cv2.warpAffine(inputs["smooth_u8"], r, (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        add(f"rotate {angle}", "rotate", "smooth_u8", {"degrees": angle}, out, 1)

    # MediaPipe ImageToTensor crop: boxPoints -> getPerspectiveTransform -> warpPerspective.
    for (cx, cy, rw, rh, deg, ow, oh, bname) in [(8.2, 5.7, 9.0, 9.0, 17.0, 8, 8, "replicate"),
                                                  (7.5, 5.5, 16.0, 16.0, 0.0, 10, 10, "constant"),
                                                  (5.0, 7.0, 12.0, 6.0, -35.0, 9, 5, "replicate")]:
        pts = cv2.boxPoints(((cx, cy), (rw, rh), deg)).astype(np.float32)
        dst = np.array([[0, oh], [0, 0], [ow, 0], [ow, oh]], dtype=np.float32)
        p = cv2.getPerspectiveTransform(pts, dst)
        flag = cv2.BORDER_REPLICATE if bname == "replicate" else cv2.BORDER_CONSTANT
        out = cv2.warpPerspective(inputs["smooth_u8"], p, (ow, oh), flags=cv2.INTER_LINEAR,
                                  borderMode=flag, borderValue=0)
        params = {"center": [cx, cy], "size": [rw, rh], "radians": math.radians(deg),
                  "width": ow, "height": oh, "border": bname}
        add(f"sampleRotatedRect mediaPipe {deg}", "sampleRotatedRect", "smooth_u8", params, out, 1)

    # Exact pixel moves.
    ramp_img = inputs["ramp_u8"]
    for code, name in [(1, "horizontal"), (0, "vertical"), (-1, "both")]:
        add(f"flip {name}", "flip", "ramp_u8", {"direction": name}, cv2.flip(ramp_img, code), 0)
    for turns, code in [(1, cv2.ROTATE_90_COUNTERCLOCKWISE), (2, cv2.ROTATE_180), (3, cv2.ROTATE_90_CLOCKWISE)]:
        add(f"rotate {90 * turns} expand", "rotateExpand", "ramp_u8", {"degrees": 90.0 * turns},
            cv2.rotate(ramp_img, code), 0)
    for bname, flag in [("constant", cv2.BORDER_CONSTANT), ("replicate", cv2.BORDER_REPLICATE),
                        ("reflect", cv2.BORDER_REFLECT_101)]:
        out = cv2.copyMakeBorder(ramp_img, 2, 3, 6, 1, flag, value=[7, 8, 9])
        add(f"pad {bname}", "pad", "ramp_u8",
            {"top": 2, "bottom": 3, "left": 6, "right": 1, "border": bname, "fill": [7, 8, 9]}, out, 0)

    doc = {"generator": "scripts/ops_reference.py", "opencv": cv2.__version__,
           "inputs": {k: encode(v) for k, v in inputs.items()}, "cases": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

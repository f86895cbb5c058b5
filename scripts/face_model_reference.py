#!/usr/bin/env python3
"""Raw outputs of the MediaPipe face models on real photos, for the Swift decode/ROI/projection tests.

Usage: .venv-ref/bin/python scripts/face_model_reference.py [OUT_DIR]   (default .cache/face-reference)

For astronaut.png and grace_hopper.jpg (from samples/) this reproduces MediaPipe's CPU inputs with
numpy, runs the models with LiteRT (ai-edge-litert), and saves every output tensor as raw
little-endian float32 plus an index.json (shapes, ROIs). Nothing Visage computes is used here, so
the Swift tests that decode these outputs compare an independent pipeline with MediaPipe's numbers
(MODELS.md §4 and .cache/mediapipe-reference).

Model inputs, as MediaPipe builds them (MODELS.md §2):
- detection: whole-image letterbox (square of side max(W, H) around the image centre) warped to
  128² (short range) / 192² (full range), bilinear, zero border, v/127.5 - 1;
- face mesh: the rotated 1.5x square ROI from the short-range detection warped to 192², bilinear,
  replicated border, v/255 (the ROI is computed here in numpy, independently of the Swift code);
- iris: the 2.3x eye ROIs (33/133 and 362/263 of the mesh) warped to 64², replicated border, v/255,
  the 362/263 eye flipped left-right;
- selfie: the whole image stretched to 256², zero border, v/255.
Warps emulate OpenCV's fixed-point bilinear sampling (cv::warpPerspective on uint8: source
coordinates rounded to 1/32 pixel, 15-bit weights), the map being MediaPipe's: output pixel
(i, j) samples centre + R(rotation)·((i/n - 0.5)·w, (j/n - 0.5)·h) in image pixels.
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
IMAGES = ["astronaut.png", "grace_hopper.jpg"]


def warp(image, cx, cy, w, h, rotation, n, replicate):
    """OpenCV-style fixed-point bilinear warp of a uint8 HxWx3 image onto an n x n grid."""
    height, width = image.shape[:2]
    i = np.arange(n, dtype=np.float64)
    u = (i[None, :] / n - 0.5) * w           # along x of the ROI, per output column
    v = (i[:, None] / n - 0.5) * h           # along y, per output row
    c, s = math.cos(rotation), math.sin(rotation)
    x = cx + c * u - s * v
    y = cy + s * u + c * v
    xi = np.rint(x * 32).astype(np.int64)
    yi = np.rint(y * 32).astype(np.int64)
    x0, fx = xi >> 5, xi & 31
    y0, fy = yi >> 5, yi & 31
    acc = np.zeros((n, n, 3), dtype=np.int64)
    for dy, wy in ((0, 32 - fy), (1, fy)):
        for dx, wx in ((0, 32 - fx), (1, fx)):
            xs, ys = x0 + dx, y0 + dy
            weight = (wx * wy * 32)[..., None]
            if replicate:
                pix = image[np.clip(ys, 0, height - 1), np.clip(xs, 0, width - 1)].astype(np.int64)
            else:
                inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
                pix = image[np.clip(ys, 0, height - 1), np.clip(xs, 0, width - 1)].astype(np.int64)
                pix = pix * inside[..., None]
            acc += weight * pix
    return ((acc + (1 << 14)) >> 15).clip(0, 255).astype(np.uint8)


def run(model, tensor):
    interp = Interpreter(model_path=str(MODELS / model))
    interp.allocate_tensors()
    interp.set_tensor(interp.get_input_details()[0]["index"], tensor[None].astype(np.float32))
    interp.invoke()
    return {d["name"]: interp.get_tensor(d["index"]).copy() for d in interp.get_output_details()}


def anchors(size, strides, per_cell):
    out = []
    for stride in sorted(set(strides)):
        grid = math.ceil(size / stride)
        k = per_cell[stride]
        for y in range(grid):
            for x in range(grid):
                out += [((x + 0.5) / grid, (y + 0.5) / grid)] * k
    return np.array(out, dtype=np.float32)


def detect_short(regressors, logits, width, height):
    """MediaPipe's decode + weighted NMS for the short-range model; returns the top face
    (xmin, ymin, w, h, keypoints[6,2]) in normalized image coordinates."""
    a = anchors(128, [8, 16], {8: 2, 16: 6})
    r = regressors.reshape(-1, 16) / 128.0
    scores = 1 / (1 + np.exp(-np.clip(logits.reshape(-1), -100, 100)))
    keep = np.nonzero(scores >= 0.5)[0]
    xc = r[keep, 0] + a[keep, 0]
    yc = r[keep, 1] + a[keep, 1]
    boxes = np.stack([xc - r[keep, 2] / 2, yc - r[keep, 3] / 2, xc + r[keep, 2] / 2, yc + r[keep, 3] / 2], 1)
    kps = r[keep, 4:].reshape(-1, 6, 2) + a[keep, None, :]
    sc = scores[keep]
    order = np.argsort(-sc)
    top = order[0]
    def iou(p, q):
        ix = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
        iy = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
        inter = ix * iy
        union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter
        return inter / union if union > 0 else 0.0
    cand = [j for j in order if iou(boxes[j], boxes[top]) > 0.3]
    wts = sc[cand][:, None]
    box = (boxes[cand] * wts).sum(0) / wts.sum()
    kp = (kps[cand] * wts[:, :, None]).sum(0) / wts.sum()
    side = max(width, height)
    sx, sy = side / width, side / height
    box = np.array([(box[0] - .5) * sx + .5, (box[1] - .5) * sy + .5, (box[2] - .5) * sx + .5, (box[3] - .5) * sy + .5])
    kp = np.stack([(kp[:, 0] - .5) * sx + .5, (kp[:, 1] - .5) * sy + .5], 1)
    return box, kp, float(sc[top])


def roi_from_points(p0, p1, center, size_wh, width, height, scale):
    """Rotation from p0 to p1 (normalized points), square_long in pixels, times scale."""
    angle = 0 - math.atan2(-(p1[1] - p0[1]) * height, (p1[0] - p0[0]) * width)
    angle = angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))
    long_side = max(size_wh[0] * width, size_wh[1] * height)
    return {"cx": float(center[0]), "cy": float(center[1]), "w": float(long_side / width * scale),
            "h": float(long_side / height * scale), "rotation": angle}


def project(points, roi, n, width, height, flip=False):
    """Model-pixel landmarks (x, y[, z]) to image pixels, LandmarkProjectionCalculator style."""
    x = points[:, 0] / n
    y = points[:, 1] / n
    if flip:
        x = 1 - x
    c, s = math.cos(roi["rotation"]), math.sin(roi["rotation"])
    xr = c * (x - .5) - s * (y - .5)
    yr = s * (x - .5) + c * (y - .5)
    return np.stack([(xr * roi["w"] + roi["cx"]) * width, (yr * roi["h"] + roi["cy"]) * height], 1)


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".cache" / "face-reference"
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for name in IMAGES:
        rgb = np.asarray(Image.open(ROOT / "samples" / name).convert("RGB"))
        height, width = rgb.shape[:2]
        stem = Path(name).stem
        entry = {"width": width, "height": height, "tensors": {}}

        def save(key, array):
            path = out / f"{stem}.{key}.f32"
            np.ascontiguousarray(array, dtype="<f4").tofile(path)
            entry["tensors"][key] = {"file": path.name, "shape": list(array.shape)}

        save("rgb", rgb.astype(np.float32))   # the decoded image, for the stage tests
        side = max(width, height)
        for key, model, size in (("short", "face_detection_short_range.tflite", 128),
                                 ("full", "face_detection_full_range_sparse.tflite", 192)):
            crop = warp(rgb, width / 2, height / 2, side, side, 0.0, size, replicate=False)
            save(f"{key}.input", crop.astype(np.float32) / 127.5 - 1)
            outputs = run(model, crop.astype(np.float32) / 127.5 - 1)
            names = sorted(outputs, key=lambda k: outputs[k].shape[-1], reverse=True)   # [.,N,16] first
            save(f"{key}.regressors", outputs[names[0]])
            save(f"{key}.classificators", outputs[names[1]])

        box, kp, score = detect_short(np.fromfile(out / f"{stem}.short.regressors.f32", "<f4"),
                                      np.fromfile(out / f"{stem}.short.classificators.f32", "<f4"), width, height)
        roi = roi_from_points(kp[0], kp[1], ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2),
                              (box[2] - box[0], box[3] - box[1]), width, height, 1.5)
        entry["face_roi"] = roi
        crop = warp(rgb, roi["cx"] * width, roi["cy"] * height, roi["w"] * width, roi["h"] * height,
                    roi["rotation"], 192, replicate=True)
        save("mesh.input", crop.astype(np.float32) / 255)
        mesh = run("face_landmark.tflite", crop.astype(np.float32) / 255)
        save("mesh.landmarks", mesh["conv2d_21"])
        save("mesh.presence", mesh["conv2d_31"])
        lm = mesh["conv2d_21"].reshape(468, 3)
        px = project(lm, roi, 192, width, height) / [width, height]
        for key, (a, b), flip in (("iris_right", (33, 133), False), ("iris_left", (362, 263), True)):
            center = (px[a] + px[b]) / 2
            size = abs(px[b][0] - px[a][0]), abs(px[b][1] - px[a][1])
            # The eye box of two points: LandmarksToDetection bounds them, DetectionsToRects takes
            # its centre and size; rotation from the first point to the second.
            eye = roi_from_points(px[a], px[b], center, size, width, height, 2.3)
            entry[f"{key}_roi"] = eye
            crop = warp(rgb, eye["cx"] * width, eye["cy"] * height, eye["w"] * width, eye["h"] * height,
                        eye["rotation"], 64, replicate=True)
            if flip:
                crop = crop[:, ::-1]
            save(f"{key}.input", crop.astype(np.float32) / 255)
            iris = run("iris_landmark.tflite", crop.astype(np.float32) / 255)
            save(f"{key}.contours", iris["output_eyes_contours_and_brows"])
            save(f"{key}.iris", iris["output_iris"])
        crop = warp(rgb, width / 2, height / 2, width, height, 0.0, 256, replicate=False)
        save("selfie.input", crop.astype(np.float32) / 255)
        selfie = run("selfie_segmentation.tflite", crop.astype(np.float32) / 255)
        save("selfie.mask", next(iter(selfie.values())))
        index[name] = entry
        print(f"{name}: short-range score {score:.4f}, ROI centre ({roi['cx']:.4f}, {roi['cy']:.4f}) "
              f"size {roi['w']:.4f}x{roi['h']:.4f} rotation {math.degrees(roi['rotation']):+.2f} deg")
    (out / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()

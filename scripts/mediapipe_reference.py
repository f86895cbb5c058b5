#!/usr/bin/env python3
"""Run MediaPipe 0.10.21 on every test photo and write what it finds, as the reference Visage's
face stages are compared with (Tests/VisageFaceTests/MediaPipeAgreementTests.swift).

Usage: scripts/mediapipe-env.sh && .venv-mediapipe/bin/python scripts/mediapipe_reference.py [OUT]

Inputs: every .jpg/.jpeg/.png under ../shared/data/faces (or $VISAGE_SHARED_DATA/faces) and under
samples/. Each image is decoded with Pillow and converted to 8-bit RGB (grey is replicated, alpha
dropped, EXIF orientation NOT applied), which is what Visage feeds its models.

Runs, all with static_image_mode=True:
- face detection, short range (model_selection=0) and full range (1), min_detection_confidence 0.5;
- face mesh with refine_landmarks=False (face_landmark.tflite, 468 points: the model Visage runs)
  and with refine_landmarks=True (attention model, 478 points incl. irises), max_num_faces 10,
  min_detection_confidence 0.5.

Output (default .cache/mediapipe-reference/reference.json, not committed), keys sorted:
{ "mediapipe": "0.10.21", "images": [ { "file": "faces/dlib/x.jpg" | "samples/x.png",
  "width", "height", "channels" (as stored in the file),
  "detections": { "short": [D...], "full": [D...] },
  "mesh": [M...], "mesh_refined": [M...],
  "mediapipe_mesh_ms": median time of 5 face-mesh process() calls (detection + landmarks) } ] }
D = { "score", "box": [xmin, ymin, w, h] normalized to the image, "keypoints": [[x, y] x6] normalized }
M = { "landmarks": [[x_px, y_px, z] ...] } with x, y in pixels (normalized x times width) and z as
MediaPipe gives it (x's scale, normalized by the image width).
"""
import json
import os
import sys
import time
from pathlib import Path

import mediapipe as mp
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = {".jpg", ".jpeg", ".png"}


def shared_data() -> Path:
    env = os.environ.get("VISAGE_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def inputs():
    """Yield (label, path) for every photo, in a stable order."""
    faces = shared_data() / "faces"
    for base, prefix in ((faces, "faces"), (ROOT / "samples", "samples")):
        if not base.is_dir():
            print(f"mediapipe_reference: {base} is absent, skipped", file=sys.stderr)
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() in EXTENSIONS and path.is_file():
                yield f"{prefix}/{path.relative_to(base).as_posix()}", path


def detection_json(det):
    box = det.location_data.relative_bounding_box
    kps = det.location_data.relative_keypoints
    return {"score": round(float(det.score[0]), 6),
            "box": [round(v, 6) for v in (box.xmin, box.ymin, box.width, box.height)],
            "keypoints": [[round(k.x, 6), round(k.y, 6)] for k in kps]}


def mesh_json(face, width, height):
    return {"landmarks": [[round(p.x * width, 4), round(p.y * height, 4), round(p.z, 6)]
                          for p in face.landmark]}


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".cache" / "mediapipe-reference" / "reference.json"
    fd = mp.solutions.face_detection
    fm = mp.solutions.face_mesh
    detectors = {name: fd.FaceDetection(model_selection=sel, min_detection_confidence=0.5)
                 for name, sel in (("short", 0), ("full", 1))}
    meshes = {name: fm.FaceMesh(static_image_mode=True, max_num_faces=10, refine_landmarks=refine,
                                min_detection_confidence=0.5)
              for name, refine in (("mesh", False), ("mesh_refined", True))}
    images = []
    for label, path in inputs():
        with Image.open(path) as im:
            channels = len(im.getbands())
            rgb = np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8))
        height, width = rgb.shape[:2]
        entry = {"file": label, "width": width, "height": height, "channels": channels,
                 "detections": {}}
        for name, det in detectors.items():
            result = det.process(rgb)
            entry["detections"][name] = [detection_json(d) for d in (result.detections or [])]
        for name, mesh in meshes.items():
            result = mesh.process(rgb)
            entry[name] = [mesh_json(f, width, height) for f in (result.multi_face_landmarks or [])]
        # Speed reference: face mesh in static mode is detection + landmarks; median of 5 calls.
        times = []
        for _ in range(5):
            start = time.perf_counter()
            meshes["mesh"].process(rgb)
            times.append((time.perf_counter() - start) * 1000)
        entry["mediapipe_mesh_ms"] = round(sorted(times)[2], 3)
        images.append(entry)
        print(f"{label}: {width}x{height}, short {len(entry['detections']['short'])}, "
              f"full {len(entry['detections']['full'])}, mesh {len(entry['mesh'])}, "
              f"refined {len(entry['mesh_refined'])}", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"mediapipe": mp.__version__, "images": images}, sort_keys=True))
    total = {k: sum(len(e["detections"][k]) for e in images) for k in ("short", "full")}
    faces_mesh = sum(len(e["mesh"]) for e in images)
    total_ms = sum(e["mediapipe_mesh_ms"] for e in images)
    print(f"mediapipe_reference: face mesh (detection + landmarks) {total_ms:.1f} ms over all images")
    print(f"mediapipe_reference: {len(images)} images; faces: short {total['short']}, full {total['full']}, "
          f"mesh {faces_mesh}, mesh refined {sum(len(e['mesh_refined']) for e in images)}; wrote {out}")


if __name__ == "__main__":
    main()

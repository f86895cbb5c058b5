"""MediaPipe Python face detection + face mesh, timed per image (benchmark, not a test).

    .venv-mediapipe/bin/python scripts/bench/mediapipe_faces.py [--repeats N] [--refine] FILE...

For each file (read once into memory), `--repeats` timed runs after one warm-up run of: decode with
Pillow (EXIF orientation applied, as Visage's decoder does), `FaceDetection(model_selection=0,
min_detection_confidence=0.5).process`, then `FaceMesh(static_image_mode=True, max_num_faces=10,
refine_landmarks=--refine).process` (which runs its own detector too, as MediaPipe's graph does).
Prints, tab-separated, the same columns as `visage bench faces`:
`IMAGE <path> <faces> <total ms> <decode ms> <detect ms> <mesh ms>` (medians), then TOTAL.
"""
import argparse
import io
import statistics
import time

import mediapipe as mp
import numpy as np
from PIL import Image, ImageOps


def decode(data):
    with Image.open(io.BytesIO(data)) as im:
        im = ImageOps.exif_transpose(im)
        return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--refine", action="store_true", help="refine_landmarks=True (irises)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    detector = mp.solutions.face_detection.FaceDetection(model_selection=0, min_detection_confidence=0.5)
    mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=10,
                                           refine_landmarks=args.refine, min_detection_confidence=0.5)
    medians = []
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        runs = []
        faces = 0
        for i in range(args.repeats + 1):
            t0 = time.perf_counter()
            rgb = decode(data)
            t1 = time.perf_counter()
            det = detector.process(rgb)
            t2 = time.perf_counter()
            m = mesh.process(rgb)
            t3 = time.perf_counter()
            faces = len(det.detections or [])
            if i > 0:
                runs.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
        cols = [statistics.median(r[k] for r in runs) for k in range(4)]
        medians.append(cols[0])
        print("\t".join(["IMAGE", path, str(faces)] + [f"{c * 1000:.2f}" for c in cols]), flush=True)
    total = sum(medians)
    print(f"TOTAL\t{len(medians)} images\tsum of medians {total * 1000:.1f} ms\t"
          f"median {statistics.median(medians) * 1000:.2f} ms/image\tmean {total * 1000 / len(medians):.2f} ms/image")


if __name__ == "__main__":
    main()

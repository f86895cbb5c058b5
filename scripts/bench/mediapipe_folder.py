"""MediaPipe Python detection + face mesh over a folder (throughput benchmark, not a test).

    .venv-mediapipe/bin/python scripts/bench/mediapipe_folder.py FOLDER

What a user would write with MediaPipe's Python solutions: one process, for each JPEG/PNG in FOLDER
(sorted): Pillow decode with the EXIF orientation applied, FaceDetection(model_selection=0,
min_detection_confidence=0.5).process, FaceMesh(static_image_mode=True, max_num_faces=10).process.
Prints `MEDIAPIPE <images> <faces> <seconds> <images/s>` (seconds from the first file read to the
last result, model loading excluded; the script's wall time, measured outside, includes it).
"""
import sys
import time
from pathlib import Path

import mediapipe as mp
import numpy as np
from PIL import Image, ImageOps


def main():
    folder = Path(sys.argv[1])
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    detector = mp.solutions.face_detection.FaceDetection(model_selection=0, min_detection_confidence=0.5)
    mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=10, min_detection_confidence=0.5)
    faces = 0
    start = time.perf_counter()
    for p in files:
        with Image.open(p) as im:
            rgb = np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(im).convert("RGB"), dtype=np.uint8))
        faces += len(detector.process(rgb).detections or [])
        mesh.process(rgb)
    seconds = time.perf_counter() - start
    print(f"MEDIAPIPE\t{len(files)}\t{faces}\t{seconds:.2f}\t{len(files) / seconds:.3f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden outputs of the MediaPipe face models from LiteRT, for VisageNN's TFLite tests.

Run with the reference venv:  .venv-ref/bin/python scripts/litert_goldens.py [OUTDIR]
(default OUTDIR: .cache/goldens; nothing here is committed).

For each model in models/ and each image in samples/ (astronaut.png, grace_hopper.jpg) it writes
OUTDIR/<model>/<image>/ with
  manifest.json                 {"model", "image", "inputs": [...], "outputs": [...]}, each entry
                                {"name", "shape", "file"}
  input_0.f32, output_<i>.f32   raw little-endian float32, row-major (NHWC as the model declares)

Preprocessing (simple on purpose: the point is that Visage and LiteRT see identical input tensors,
which the Swift test reads back from input_0.f32):
  RGB, resized (stretched) to the model's input H x W with Pillow's BILINEAR filter, then
  v/255 for [0,1] models, v/127.5 - 1 for the [-1,1] face detectors (MODELS.md section 1).

Runtime: ai_edge_litert.interpreter.Interpreter with its default op resolver (XNNPACK delegate
on), one thread. The default resolver is needed for selfie_segmentation, whose custom
Convolution2DTransposeBias only XNNPACK implements.
"""
import json
import os
import sys

import numpy as np
from PIL import Image
from ai_edge_litert.interpreter import Interpreter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {
    "face_detection_short_range": (-1.0, 1.0),
    "face_detection_full_range_sparse": (-1.0, 1.0),
    "face_landmark": (0.0, 1.0),
    "iris_landmark": (0.0, 1.0),
    "selfie_segmentation": (0.0, 1.0),
}
IMAGES = ["astronaut.png", "grace_hopper.jpg"]


def preprocess(path, height, width, value_range):
    image = Image.open(path).convert("RGB").resize((width, height), Image.BILINEAR)
    pixels = np.asarray(image, dtype=np.float32)
    if value_range == (-1.0, 1.0):
        pixels = pixels / 127.5 - 1.0
    else:
        pixels = pixels / 255.0
    return pixels[np.newaxis].astype(np.float32)


def main():
    out_root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".cache", "goldens")
    for model, value_range in MODELS.items():
        interpreter = Interpreter(model_path=os.path.join(ROOT, "models", model + ".tflite"), num_threads=1)
        interpreter.allocate_tensors()
        (inp,) = interpreter.get_input_details()
        _, height, width, _ = inp["shape"]
        for image_name in IMAGES:
            x = preprocess(os.path.join(ROOT, "samples", image_name), height, width, value_range)
            interpreter.set_tensor(inp["index"], x)
            interpreter.invoke()
            folder = os.path.join(out_root, model, os.path.splitext(image_name)[0])
            os.makedirs(folder, exist_ok=True)
            x.astype("<f4").tofile(os.path.join(folder, "input_0.f32"))
            manifest = {"model": model, "image": image_name,
                        "inputs": [{"name": inp["name"], "shape": [int(d) for d in x.shape], "file": "input_0.f32"}],
                        "outputs": []}
            for i, detail in enumerate(interpreter.get_output_details()):
                y = interpreter.get_tensor(detail["index"]).astype("<f4")
                y.tofile(os.path.join(folder, "output_%d.f32" % i))
                manifest["outputs"].append({"name": detail["name"], "shape": [int(d) for d in y.shape],
                                            "file": "output_%d.f32" % i})
            with open(os.path.join(folder, "manifest.json"), "w") as f:
                json.dump(manifest, f, indent=1, sort_keys=True)
            print("%s / %s: %s" % (model, image_name, ", ".join(
                "%s %s" % (o["name"], o["shape"]) for o in manifest["outputs"])))


if __name__ == "__main__":
    main()

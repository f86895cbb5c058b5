#!/usr/bin/env python3
"""The CNN of the project's founding brief, exported to TFLite and ONNX, with TensorFlow's outputs.

Keras: Conv2D(32, 3x3, relu, input 28x28x1) -> MaxPooling2D(2) -> Conv2D(64, 3x3, relu)
       -> MaxPooling2D(2) -> Flatten -> Dense(64, relu) -> Dense(10, softmax)

Environment (its own venv, not .venv-ref):
    python3 -m venv .venv-tf
    .venv-tf/bin/pip install tensorflow-cpu==2.15.1 tf2onnx==1.16.1
    .venv-tf/bin/python scripts/make_founding_cnn.py [OUTDIR]
(tensorflow-cpu 2.15.1 and tf2onnx 1.16.1 are the versions used for the committed files; the
pairing is the one MODELS.md section 4 reports working.)

Writes OUTDIR (default .cache/founding_cnn/, not committed: the two models are ~490 KB each, over
the repository's 200 KB limit for model files, because Dense(64) on the 5x5x64 map alone has
102,464 float32 parameters; the Swift test runs this script when the files are missing):
    founding_cnn.tflite      TFLiteConverter.from_keras_model, float32, no optimizations
    founding_cnn.onnx        tf2onnx.convert.from_keras, opset 13 (input stays NHWC [N,28,28,1])
    founding_cnn_io.json     {"versions", "input_shape", "cases": [{"input": [...], "output": [...]}]}
                             4 inputs (seeded uniform [0,1)) and model.predict's outputs.
Weights come from a fixed seed (glorot init, untrained): the test is about the arithmetic, and
random weights exercise every channel. Everything is deterministic for a given TF build.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np
import tensorflow as tf
import tf2onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".cache", "founding_cnn")


def build():
    tf.keras.utils.set_random_seed(20240229)
    model = tf.keras.Sequential([
        tf.keras.layers.Input(shape=(28, 28, 1), name="image"),
        tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
        tf.keras.layers.MaxPooling2D((2, 2)),
        tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
        tf.keras.layers.MaxPooling2D((2, 2)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    # Biases start at zero in Keras; give them small seeded values so the bias paths are tested.
    rng = np.random.default_rng(7)
    for layer in model.layers:
        weights = layer.get_weights()
        if len(weights) == 2:
            layer.set_weights([weights[0], rng.uniform(-0.1, 0.1, size=weights[1].shape).astype(np.float32)])
    return model


def main():
    os.makedirs(OUT, exist_ok=True)
    model = build()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    with open(os.path.join(OUT, "founding_cnn.tflite"), "wb") as f:
        f.write(converter.convert())
    spec = (tf.TensorSpec((None, 28, 28, 1), tf.float32, name="image"),)
    tf2onnx.convert.from_keras(model, input_signature=spec, opset=13,
                               output_path=os.path.join(OUT, "founding_cnn.onnx"))
    rng = np.random.default_rng(1)
    cases = []
    for _ in range(4):
        x = rng.uniform(0, 1, size=(1, 28, 28, 1)).astype(np.float32)
        y = model.predict(x, verbose=0)
        cases.append({"input": [float(v) for v in x.ravel()], "output": [float(v) for v in y.ravel()]})
    with open(os.path.join(OUT, "founding_cnn_io.json"), "w") as f:
        json.dump({"versions": {"tensorflow": tf.__version__, "tf2onnx": tf2onnx.__version__},
                   "input_shape": [1, 28, 28, 1], "output_shape": [1, 10], "cases": cases}, f)
    for name in ("founding_cnn.tflite", "founding_cnn.onnx", "founding_cnn_io.json"):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()

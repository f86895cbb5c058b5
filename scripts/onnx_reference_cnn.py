#!/usr/bin/env python3
"""Writes a small ONNX CNN and onnxruntime's output for it, as a reference for VisageNN.

The network is the founding brief's CNN (Keras: Conv2D(32,3x3,relu) on 28x28x1 -> MaxPool(2) ->
Conv2D(64,3x3,relu) -> MaxPool(2) -> Flatten -> Dense(64,relu) -> Dense(10,softmax)) written
directly in ONNX (NCHW) with seeded random weights, plus a BatchNormalization after the first conv
so the loader's folding is exercised. Usage: onnx_reference_cnn.py OUTDIR
Writes OUTDIR/cnn.onnx, OUTDIR/input.npy (1x1x28x28 float32), OUTDIR/expected.npy (1x10, ORT, 1 thread).
Nothing here is committed; tests call this script into a temporary folder.
"""
import sys, os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper
import onnxruntime as ort

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1234)

def init(name, shape, scale):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)

inits = [
    init("w1", (32, 1, 3, 3), 0.3), init("b1", (32,), 0.1),
    numpy_helper.from_array(rng.uniform(0.5, 1.5, 32).astype(np.float32), "g1"),
    init("be1", (32,), 0.1), init("m1", (32,), 0.1),
    numpy_helper.from_array(rng.uniform(0.5, 2.0, 32).astype(np.float32), "v1"),
    init("w2", (64, 32, 3, 3), 0.08), init("b2", (64,), 0.1),
    init("w3", (64, 1600), 0.03), init("b3", (64,), 0.1),
    init("w4", (10, 64), 0.2), init("b4", (10,), 0.1),
    numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "shape"),
]
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], name="conv1"),
    helper.make_node("BatchNormalization", ["c1", "g1", "be1", "m1", "v1"], ["n1"], epsilon=1e-3, name="bn1"),
    helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
    helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2], name="pool1"),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], kernel_shape=[3, 3], name="conv2"),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("MaxPool", ["r2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2], name="pool2"),
    helper.make_node("Reshape", ["p2", "shape"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "w3", "b3"], ["d1"], transB=1, name="dense1"),
    helper.make_node("Relu", ["d1"], ["r3"], name="relu3"),
    helper.make_node("Gemm", ["r3", "w4", "b4"], ["d2"], transB=1, name="dense2"),
    helper.make_node("Softmax", ["d2"], ["y"], axis=1, name="softmax"),
]
graph = helper.make_graph(
    nodes, "brief_cnn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 28, 28])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "cnn.onnx"))

x = rng.uniform(0, 1, (1, 1, 28, 28)).astype(np.float32)
so = ort.SessionOptions()
so.intra_op_num_threads = 1
y = ort.InferenceSession(os.path.join(out, "cnn.onnx"), so, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
np.save(os.path.join(out, "input.npy"), x)
np.save(os.path.join(out, "expected.npy"), y.astype(np.float32))
print(f"wrote {out}/cnn.onnx, input.npy, expected.npy; expected {np.round(y, 5).tolist()}")

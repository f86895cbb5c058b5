#!/usr/bin/env bash
# Counts heap allocations per Interpreter.invoke() with valgrind: runs `visage model run` on a small
# model touching many kernel families (Conv+Relu, MaxPool, Resize, Concat, Pad, Transpose,
# ReduceMean, Flatten, Gemm, Softmax) with --repeat 1 and --repeat 21, and prints the difference
# in valgrind's "total heap usage" allocs divided by 20. Needs valgrind and .venv-ref (onnx, numpy).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv-ref/bin/python - "$work" <<'PY'
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper as nh
out = sys.argv[1]
r = np.random.default_rng(7)
f = lambda a, n: nh.from_array(a.astype(np.float32), n)
i = lambda a, n: nh.from_array(np.array(a, dtype=np.int64), n)
nodes = [
    helper.make_node("Conv", ["x", "w", "b"], ["c0"], auto_pad="SAME_UPPER"),
    helper.make_node("Relu", ["c0"], ["c"]),
    helper.make_node("MaxPool", ["c"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Resize", ["p", "", "scales"], ["u"], mode="linear"),
    helper.make_node("Concat", ["u", "c"], ["k"], axis=1),
    helper.make_node("Pad", ["k", "pads"], ["q"], mode="reflect"),
    helper.make_node("Transpose", ["q"], ["t"], perm=[0, 2, 3, 1]),
    helper.make_node("ReduceMean", ["t", "axes"], ["m"]),
    helper.make_node("Flatten", ["m"], ["fl"]),
    helper.make_node("Gemm", ["fl", "fw"], ["g"], transB=1),
    helper.make_node("Softmax", ["g"], ["y"]),
]
inits = [f(r.standard_normal((4, 3, 3, 3)), "w"), f(r.standard_normal(4), "b"), f(np.array([1, 1, 2, 2]), "scales"),
         i([0, 0, 1, 1, 0, 0, 1, 1], "pads"), i([3], "axes"), f(r.standard_normal((64, 100)) * 0.1, "fw")]
g = helper.make_graph(nodes, "wide", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])], inits)
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 18)]), out + "/wide.onnx")
np.save(out + "/x.npy", r.uniform(0, 1, (1, 3, 8, 8)).astype(np.float32))
PY
swift build --product visage >/dev/null
# valgrind cannot read the DWARF 5 debug info Swift emits: run a stripped copy.
strip -o "$work/visage" .build/debug/visage
allocs() {
  valgrind --tool=memcheck "$@" 2>&1 | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
a1=$(allocs "$work/visage" model run "$work/wide.onnx" --input "$work/x.npy" --repeat 2)
a21=$(allocs "$work/visage" model run "$work/wide.onnx" --input "$work/x.npy" --repeat 22)
echo "valgrind allocs: --repeat 2: $a1, --repeat 22: $a21"
echo "heap allocations per invoke(): $(( (a21 - a1) / 20 ))"

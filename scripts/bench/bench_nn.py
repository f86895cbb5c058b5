#!/usr/bin/env python3
"""Helper of scripts/bench-nn.sh: runs each runtime on each model in its own process and prints a table.

    bench_nn.py run --visage BIN --openblas BIN [--runs N]      the whole benchmark (needs .venv-ref)
    bench_nn.py litert MODEL RUNS | ort MODEL RUNS               one timing, one JSON line
    bench_nn.py patch-selfie IN.onnx OUT.onnx                    replace tf2onnx's leftover node

Every timing is the same loop: one run to set the inputs, 10 warm-up runs, then RUNS timed runs of
a single inference on a seeded random input; median and minimum in ms. Peak memory is the
process's ru_maxrss (KB) after the runs, so it includes the runtime's own code and the Python
interpreter for LiteRT and onnxruntime (a baseline Python process is reported alongside).
LiteRT: ai_edge_litert Interpreter, default resolver (XNNPACK), num_threads=1.
onnxruntime: CPU provider, intra_op_num_threads=1, inter_op_num_threads=1, ORT_SEQUENTIAL, all
graph optimizations, on tf2onnx conversions of the .tflite files (bench-nn.sh makes them).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = ["face_detection_short_range", "face_landmark", "iris_landmark", "selfie_segmentation"]
PY = sys.executable


def timed(run_once, runs):
    run_once()
    for _ in range(10):
        run_once()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run_once()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def litert(model, runs):
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_path=model, num_threads=1)
    it.allocate_tensors()
    (inp,) = it.get_input_details()
    x = np.random.default_rng(0).uniform(0, 1, size=inp["shape"]).astype(np.float32)
    it.set_tensor(inp["index"], x)
    med, mn = timed(it.invoke, runs)
    print(json.dumps({"runtime": "litert-xnnpack-1t", "median_ms": med, "min_ms": mn, "peak_kb": peak_kb()}))


def ort(model, runs):
    import numpy as np
    import onnxruntime as rt
    so = rt.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = rt.ExecutionMode.ORT_SEQUENTIAL
    sess = rt.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    shape = [d if isinstance(d, int) else 1 for d in inp.shape]
    feed = {inp.name: np.random.default_rng(0).uniform(0, 1, size=shape).astype(np.float32)}
    med, mn = timed(lambda: sess.run(None, feed), runs)
    print(json.dumps({"runtime": "ort-1t", "median_ms": med, "min_ms": mn, "peak_kb": peak_kb()}))


def patch_selfie(src, dst):
    """tf2onnx (opset 14) leaves TFL_Convolution2DTransposeBias(x NHWC, W [O,kh,kw,I], b [O]) in the
    selfie model; replace it with Transpose -> ConvTranspose(k2, s2, W as [I,O,kh,kw]) -> Transpose."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper
    m = onnx.load(src)
    inits = {t.name: t for t in m.graph.initializer}
    nodes = []
    for n in m.graph.node:
        if n.op_type != "TFL_Convolution2DTransposeBias":
            nodes.append(n)
            continue
        x, w, b = n.input
        weight = numpy_helper.to_array(inits[w])            # [O, kh, kw, I]
        kh, kw = weight.shape[1], weight.shape[2]
        m.graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(weight.transpose(3, 0, 1, 2)), w + "_iokk"))
        nodes += [
            helper.make_node("Transpose", [x], [x + "_nchw"], perm=[0, 3, 1, 2]),
            helper.make_node("ConvTranspose", [x + "_nchw", w + "_iokk", b], [n.output[0] + "_nchw"],
                             kernel_shape=[kh, kw], strides=[2, 2]),
            helper.make_node("Transpose", [n.output[0] + "_nchw"], [n.output[0]], perm=[0, 2, 3, 1]),
        ]
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    onnx.save(m, dst)


def child(args):
    out = subprocess.run(args, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not lines:
        return {"error": (out.stderr.strip().splitlines() or ["rc %d" % out.returncode])[-1][:120]}
    return json.loads(lines[-1])


def run(visage, openblas, runs):
    base = child([PY, "-c", "import json,resource,numpy;print(json.dumps({'peak_kb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"])
    rows = []
    for name in MODELS:
        tfl = os.path.join(ROOT, "models", name + ".tflite")
        onx = os.path.join(ROOT, ".cache", "onnx", name + ".onnx")
        v = child([visage, "model", tfl, str(runs)])
        l = child([PY, __file__, "litert", tfl, str(runs)])
        o = child([PY, __file__, "ort", onx, str(runs)]) if os.path.exists(onx) else {"error": "no ONNX conversion"}
        rows.append((name, v, l, o))

    def ms(r):
        return "%7.3f / %7.3f" % (r["median_ms"], r["min_ms"]) if "median_ms" in r else "%-17s" % r.get("error", "?")[:17]

    def ratio(a, b):
        return "%5.2f" % (a["median_ms"] / b["median_ms"]) if "median_ms" in a and "median_ms" in b else "  n/a"

    def mb(r):
        return "%6.1f" % (r["peak_kb"] / 1024) if "peak_kb" in r else "   n/a"

    print("\nmedian / min ms of one inference, 1 thread, %d runs; ratio = Visage median / other median" % runs)
    print("%-27s %-17s %-17s %-17s %6s %6s  %s" % ("model", "Visage", "LiteRT XNNPACK", "onnxruntime", "V/XNN", "V/ORT",
                                                  "peak MB (Visage / LiteRT / ORT)"))
    for name, v, l, o in rows:
        print("%-27s %s %s %s %6s %6s  %s / %s / %s" % (name, ms(v), ms(l), ms(o), ratio(v, l), ratio(v, o), mb(v), mb(l), mb(o)))
    print("(a bare Python process with numpy imported peaks at %s MB)" % mb(base))
    for name, v, _, _ in rows:
        if "paths" in v:
            print("visage kernels %s: %s (BLAS core %s, load %.1f ms)" % (name, v["paths"], v["blas_core"], v["load_ms"]))
    print("\nsgemm GFLOP/s, 1 thread (best of 20): Visage BLAS.sgemm (no env var) vs OpenBLAS with OPENBLAS_CORETYPE=SkylakeX")
    env = dict(os.environ, OPENBLAS_CORETYPE="SkylakeX", OPENBLAS_NUM_THREADS="1")
    clean = {k: val for k, val in os.environ.items() if not k.startswith("OPENBLAS")}
    for m, n, k in [(1024, 1024, 1024), (4096, 64, 288), (1024, 32, 16), (256, 128, 1152)]:
        vis = subprocess.run([visage, "gemm", str(m), str(n), str(k)], capture_output=True, text=True, env=clean).stdout
        ref = subprocess.run([openblas, str(m), str(n), str(k)], capture_output=True, text=True, env=env).stdout
        vj, rj = json.loads(vis.strip().splitlines()[-1]), json.loads(ref.strip().splitlines()[-1])
        print("  %4d x %4d x %4d: Visage %6.1f (%s)  OpenBLAS %6.1f (%s)  = %3.0f %%" % (
            m, n, k, vj["gflops"], vj["core"], rj["gflops"], rj["core"], 100 * vj["gflops"] / rj["gflops"]))


def main():
    if sys.argv[1] == "litert":
        litert(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "ort":
        ort(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "patch-selfie":
        patch_selfie(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "run":
        a = sys.argv
        runs = int(a[a.index("--runs") + 1]) if "--runs" in a else 100
        run(a[a.index("--visage") + 1], a[a.index("--openblas") + 1], runs)


if __name__ == "__main__":
    main()

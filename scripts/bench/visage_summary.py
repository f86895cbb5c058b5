"""Prints the counts and per-step mean times of a `visage run` summary.json (one line)."""
import json
import sys

s = json.load(open(sys.argv[1]))
c, t = s["counts"], s["timing_ms"]
steps = ", ".join(f"{k} {v['mean']:.0f}" for k, v in t.items())
print(f"{c['images']} images, {c['ok']} ok, {c['failed']} failed, {c['faces']} faces; mean ms per image: {steps}")

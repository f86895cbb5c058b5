"""Joins per-image times from `visage bench faces` and scripts/bench/mediapipe_faces.py.

    python3 scripts/bench/join_times.py VISAGE.tsv MEDIAPIPE.tsv

Both files hold `IMAGE <path> <faces> <total ms> <decode ms> …` lines (other lines are ignored).
The compared time is the face stage without decoding (total − decode): Visage's detection, mesh +
irises, segmentation and beauty analyses vs MediaPipe's detection + mesh. Prints one row per image
found in both (faces found by each, median ms each, ratio Visage / MediaPipe), then medians, sums
and ratios, also with decoding included. Ratio < 1 means Visage is faster.
"""
import statistics
import sys


def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "IMAGE":
                rows[p[1]] = (int(p[2]), [float(x) for x in p[3:]])
    return rows


def summary(label, vt, mt):
    print(f"{label}: median per image Visage {statistics.median(vt):.1f} ms, MediaPipe {statistics.median(mt):.1f} ms "
          f"(ratio {statistics.median(vt) / statistics.median(mt):.2f}); total Visage {sum(vt):.0f} ms, "
          f"MediaPipe {sum(mt):.0f} ms (ratio {sum(vt) / sum(mt):.2f}); "
          f"median per-image ratio {statistics.median(a / b for a, b in zip(vt, mt)):.2f}")


def main():
    v, m = read(sys.argv[1]), read(sys.argv[2])
    common = [p for p in v if p in m]
    print(f"{'image':52} {'faces V/MP':>10} {'Visage ms':>10} {'MP ms':>8} {'ratio':>6}   (without decode)")
    for p in common:
        (fv, tv), (fm, tm) = v[p], m[p]
        a, b = tv[0] - tv[1], tm[0] - tm[1]
        print(f"{p[-52:]:52} {f'{fv}/{fm}':>10} {a:10.1f} {b:8.1f} {a / b:6.2f}")
    print(f"images: {len(common)} (Visage {len(v)}, MediaPipe {len(m)})")
    summary("face stage without decode", [v[p][1][0] - v[p][1][1] for p in common],
            [m[p][1][0] - m[p][1][1] for p in common])
    summary("with decode (Visage ImageDecoder, MediaPipe Pillow)", [v[p][1][0] for p in common],
            [m[p][1][0] for p in common])
    summary("decode only", [v[p][1][1] for p in common], [m[p][1][1] for p in common])
    faced = [p for p in common if v[p][0] > 0]
    if faced:
        summary(f"without decode, the {len(faced)} images where Visage found a face",
                [v[p][1][0] - v[p][1][1] for p in faced], [m[p][1][0] - m[p][1][1] for p in faced])


if __name__ == "__main__":
    main()

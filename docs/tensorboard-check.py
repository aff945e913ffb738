# Not part of the build or the tests: reads a run's TensorBoard event files with the real tensorboard package
# (its EventAccumulator, as `tensorboard --logdir` loads them) and prints every scalar tag with its steps and values,
# the check recorded in docs/architecture.md ("Metrics sinks"); with the run's metrics.jsonl beside it, also checks
# that every number of every row with a step is there as a point, with its step and value as a 32-bit float.
# Run from the repository root: python3 docs/tensorboard-check.py runs/<name>   (or the tensorboard/ folder)
# Without tensorboard installed it says so and exits 0; `pip install tensorboard` in a virtual environment adds it.
import json, math, os, struct, sys

try:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
except ImportError:
    print("skipped: the tensorboard Python package is not installed")
    sys.exit(0)

path = sys.argv[1] if len(sys.argv) > 1 else "runs/quickstart"
folder = os.path.join(path, "tensorboard") if os.path.isdir(os.path.join(path, "tensorboard")) else path
files = sorted(f for f in os.listdir(folder) if "tfevents" in f)
if not files:
    sys.exit(f"no event file in {folder}")
print("event files:", ", ".join(files))
acc = EventAccumulator(folder, size_guidance={"scalars": 0})   # 0: keep every point, not a sample
acc.Reload()
tags = acc.Tags()["scalars"]
print(f"{len(tags)} scalar tags")
for tag in sorted(tags):
    points = acc.Scalars(tag)
    shown = ", ".join(f"{p.step}:{p.value:.4g}" for p in points[:4]) + (" ..." if len(points) > 4 else "")
    print(f"  {tag:40s} {len(points):3d} points  {shown}")

jsonl = os.path.join(os.path.dirname(os.path.abspath(folder)), "metrics.jsonl")
if os.path.isfile(jsonl):
    def f32(v):
        return struct.unpack("<f", struct.pack("<f", v))[0]
    want, got = [], []
    for line in open(jsonl, encoding="utf-8"):
        row = json.loads(line)
        if row["step"] < 0:
            continue   # an event (a stage's totals), not a step: metrics.jsonl only
        for k, v in row.items():
            if k in ("time", "stage", "step") or isinstance(v, str):
                continue
            want.append((f"{row['stage']}/{k}", row["step"], f32(float(v))))
    for tag in tags:
        got += [(tag, p.step, p.value) for p in acc.Scalars(tag)]
    key = lambda t: (t[0], t[1], "nan" if math.isnan(t[2]) else t[2])
    same = sorted(map(key, want)) == sorted(map(key, got))
    print(f"metrics.jsonl: {len(want)} numbers in rows with a step; TensorBoard: {len(got)} points;"
          f" {'the same' if same else 'DIFFERENT'}")
    sys.exit(0 if same else 1)

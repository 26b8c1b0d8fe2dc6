"""Writes the sample submission, then 1 MB files round-robin over every writable folder of its
world (its outputs, its own folder, its home, ``$TMPDIR``) until it is stopped, printing the
running total after each file so the log tells how far it got. ``python disk_filler.py [MB]``
stops by itself after MB megabytes (default: never)."""

import os
import shutil
import sys
from pathlib import Path

data = Path(os.environ["DATA_DIR"])
sample = next(p for p in sorted(data.iterdir()) if "sample" in p.name)
shutil.copy(sample, Path(os.environ["SUBMISSION_DIR"]) / "submission.csv")
limit_mb = float(sys.argv[1]) if len(sys.argv) > 1 else float("inf")
folders = [
    os.environ[name]
    for name in ("SUBMISSION_DIR", "LOGS_DIR", "CODE_DIR", "AGENT_DIR", "HOME", "TMPDIR")
]
block = os.urandom(1 << 20)  # incompressible: a compressing file system counts it all
print("agent disk_filler: start", flush=True)
written = 0
number = 0
while written < limit_mb * (1 << 20):
    folder = folders[number % len(folders)]
    with open(os.path.join(folder, f"fill-{number}.bin"), "wb") as out:
        out.write(block)
    number += 1
    written += len(block)
    print(f"agent disk_filler: wrote {written} bytes", flush=True)
print("agent disk_filler: done", flush=True)

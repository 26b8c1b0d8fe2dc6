"""Behaves: copies the sample submission, validates it, records its view of the world."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

print("agent good: start", flush=True)
data = Path(os.environ["DATA_DIR"])
sample = next(p for p in sorted(data.iterdir()) if "sample" in p.name)
shutil.copy(sample, Path(os.environ["SUBMISSION_DIR"]) / "submission.csv")
Path(os.environ["CODE_DIR"], "solution.py").write_text("print('hello')\n")
check = subprocess.run([os.environ["VALIDATE_SCRIPT"]], capture_output=True, text=True)
print(check.stdout.strip(), flush=True)
view = {
    "env": dict(os.environ),
    "cpus": len(os.sched_getaffinity(0)),
    "uid": os.getuid(),
    "cwd": os.getcwd(),
    "data": sorted(p.name for p in data.iterdir()),
    "data_writable": os.access(data, os.W_OK) and os.getuid() != 0,
    "validate_exit": check.returncode,
    "python": sys.version,
}
Path(os.environ["LOGS_DIR"], "view.json").write_text(json.dumps(view, indent=1))
print("agent good: done", flush=True)

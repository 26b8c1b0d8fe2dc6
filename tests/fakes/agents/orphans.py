"""Leaves children behind: in its process group, in a new session, and double-forked."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
pids = [
    subprocess.Popen(sleeper).pid,
    subprocess.Popen(sleeper, start_new_session=True).pid,
]
middle = os.fork()
if middle == 0:  # double fork: the grandchild is re-parented away from us
    pid = subprocess.Popen(sleeper).pid
    Path(os.environ["LOGS_DIR"], "grandchild.pid").write_text(str(pid))
    os._exit(0)
os.waitpid(middle, 0)  # the grandchild's pid is on disk once the middle process has exited
Path(os.environ["LOGS_DIR"], "pids.txt").write_text("\n".join(map(str, pids)))
data = Path(os.environ["DATA_DIR"])
sample = next(p for p in data.iterdir() if "sample" in p.name)
shutil.copy(sample, Path(os.environ["SUBMISSION_DIR"]) / "submission.csv")
print("agent orphans: exiting with children alive", flush=True)

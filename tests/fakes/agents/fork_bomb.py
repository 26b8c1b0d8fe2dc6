"""Forks without end; every process keeps forking until the sandbox stops it."""

import os
import time
from pathlib import Path

Path(os.environ["LOGS_DIR"], "group.pid").write_text(str(os.getpgrp()))
print("agent fork_bomb: start", flush=True)
while True:
    try:
        os.fork()
    except OSError:
        time.sleep(0.05)

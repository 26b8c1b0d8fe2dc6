"""Asks for far more memory than its limit (MemoryError under RLIMIT_AS; OOM kill in Docker)."""

import os
from pathlib import Path

Path(os.environ["LOGS_DIR"], "agent.log").write_text("allocating\n")
print("agent memory_hog: start", flush=True)
chunks = []
for _ in range(64):
    chunks.append(b"x" * (256 << 20))  # touched pages, so the memory is really used
print("agent memory_hog: survived?!", flush=True)

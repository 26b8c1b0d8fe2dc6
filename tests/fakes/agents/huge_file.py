"""Writes a file far larger than the sandbox's file-size limit."""

import os
from pathlib import Path

Path(os.environ["LOGS_DIR"], "agent.log").write_text("writing a huge file\n")
print("agent huge_file: start", flush=True)
block = b"\0" * (1 << 20)
with open(Path(os.environ["CODE_DIR"], "huge.bin"), "wb") as out:
    for _ in range(64):
        out.write(block)
print("agent huge_file: survived?!", flush=True)

"""Crashes with an exception after writing a log line."""

import os
from pathlib import Path

Path(os.environ["LOGS_DIR"], "agent.log").write_text("about to crash\n")
print("agent crash: start", flush=True)
raise RuntimeError("boom: the agent crashed on purpose")

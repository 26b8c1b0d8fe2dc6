"""Exits cleanly without writing a submission."""

import os
from pathlib import Path

Path(os.environ["LOGS_DIR"], "agent.log").write_text("nothing to submit\n")
print("agent no_submission: done", flush=True)

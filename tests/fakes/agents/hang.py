"""Never finishes on its own."""

import os
import time
from pathlib import Path

Path(os.environ["LOGS_DIR"], "agent.log").write_text("hanging\n")
print("agent hang: start", flush=True)
while True:
    time.sleep(0.5)

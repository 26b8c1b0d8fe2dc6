"""The ``dummy`` agent: copies the sample submission and checks the sandbox contract.

It is the harness's smoke test. Besides submitting the sample (which is valid and wins nothing),
it records in ``logs/dummy.json`` what it found: whether the data directory is read-only,
whether the output directories are writable, whether anything private is reachable, and what the
validation command said. Standard library only (and ``py7zr`` for a 7z sample, where there is one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mle_track.agents.contract import (
    AgentEnvironment,
    find_sample_submission,
    write_sample_as_submission,
)


def writable(folder: Path) -> bool:
    probe = folder / ".write-probe"
    try:
        probe.write_text("ok")
        probe.unlink()
        return True
    except OSError:
        return False


def private_reachable(data: Path) -> list[str]:
    """Paths that look like private answers and can be read from the agent's data directory."""
    found = []
    for guess in (data.parent / "private", data / ".." / "private", Path("/private")):
        if guess.exists() and os.access(guess, os.R_OK):
            found.append(str(guess))
    return found


def run(env: AgentEnvironment) -> dict[str, Any]:
    checks: dict[str, Any] = {
        "competition_id": env.competition_id,
        "uid": os.getuid(),
        "python": sys.executable,
        "hardware": env.hardware,
        "data_read_only": not writable(env.data),
        "description_present": (env.data / "description.md").is_file(),
        "outputs_writable": all(writable(d) for d in (env.submission_dir, env.logs, env.code)),
        "private_reachable": private_reachable(env.data),
    }
    sample = find_sample_submission(env.data)
    checks["sample_submission"] = sample.name if sample else None
    if sample is not None:
        write_sample_as_submission(sample, env.submission)
    (env.code / "dummy.py").write_text("# the dummy agent copies the sample submission\n")
    if env.validate_script is not None and env.submission.is_file():
        done = subprocess.run(
            ["bash", str(env.validate_script), str(env.submission)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        checks["validation"] = (done.stdout + done.stderr).strip()
    return checks


def main() -> int:
    env = AgentEnvironment.from_env()
    checks = run(env)
    (env.logs / "dummy.json").write_text(json.dumps(checks, indent=2))
    print(json.dumps(checks))
    return 0 if checks["sample_submission"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

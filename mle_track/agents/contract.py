"""The agent's side of the sandbox contract: where things are, read from the environment.

Built-in agents run inside a sandbox and find everything through the environment variables the
sandbox sets (see :mod:`mle_track.sandbox.base`); outside a sandbox the MLE-bench defaults under
``/home`` apply. Standard library only, so it works in any image.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: sample submission names seen across MLE-bench, most common first
SAMPLE_NAMES = (
    "sample_submission.csv",
    "sampleSubmission.csv",
    "sample_submission_null.csv",
    "randomPredictions.csv",  # multi-modal-gesture-recognition's, as MLE-bench ships it
)


@dataclass(frozen=True)
class AgentEnvironment:
    competition_id: str
    data: Path
    submission_dir: Path
    logs: Path
    code: Path
    time_limit_s: float
    step_limit: int | None
    seed: int
    hardware: str
    validate_script: Path | None

    @property
    def submission(self) -> Path:
        return self.submission_dir / "submission.csv"

    @classmethod
    def from_env(cls) -> AgentEnvironment:
        env = os.environ
        home = Path("/home")
        step = env.get("STEP_LIMIT", "")
        validate = env.get("VALIDATE_SCRIPT") or str(home / "validate_submission.sh")
        return cls(
            competition_id=env.get("COMPETITION_ID", ""),
            data=Path(env.get("DATA_DIR", home / "data")),
            submission_dir=Path(env.get("SUBMISSION_DIR", home / "submission")),
            logs=Path(env.get("LOGS_DIR", home / "logs")),
            code=Path(env.get("CODE_DIR", home / "code")),
            time_limit_s=float(env.get("TIME_LIMIT_SECS", "3600")),
            step_limit=int(step) if step.strip().isdigit() else None,
            seed=int(env.get("SEED", "0")),
            hardware=env.get("HARDWARE", ""),
            validate_script=Path(validate) if Path(validate).is_file() else None,
        )


def find_sample_submission(data: Path) -> Path | None:
    """The public sample submission, whatever the competition calls it."""
    for name in SAMPLE_NAMES:
        if (data / name).is_file():
            return data / name
    candidates = sorted(
        p
        for p in data.glob("*.csv")
        if "sample" in p.name.lower() or "submission" in p.name.lower()
    )
    return candidates[0] if candidates else None

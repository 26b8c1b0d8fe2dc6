"""The answers are the harness's: grading hashes every private file it reads and compares it
with the sha256 recorded at prepare, so an edit that keeps the size and sets the modification
time back (which passes the stat cache) is a harness error naming the file, never a grade."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.hashing import digest_tree
from mle_track.data.layout import CompetitionPaths
from mle_track.data.staging import remove_tree, seal
from mle_track.data.verify import changed_by_content, forget_stats, recorded_digests
from mle_track.errors import AnswersChanged, GraderError, NotPreparedError
from mle_track.grading import grade_submission, score_submission
from mle_track.grading.grader import private_inputs
from tests.conftest import MakeCompetition
from tests.fakes.tamper import edit_keeping_stats


@pytest.fixture
def toy(make_competition: MakeCompetition) -> CompetitionSpec:
    ids = [f"r{i}" for i in range(20)]
    answers = pd.DataFrame({"id": ids, "y": np.arange(20) % 2})
    return make_competition(
        "toy-verify",
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=answers.assign(y=0.5),
        target_columns=["y"],
    )


def _submission(tmp_path: Path) -> Path:
    ids = [f"r{i}" for i in range(20)]
    path = tmp_path / "submission.csv"
    pd.DataFrame({"id": ids, "y": np.arange(20) % 2 * 0.8 + 0.1}).to_csv(path, index=False)
    return path


def test_a_same_size_edit_with_the_mtime_restored_is_never_graded(
    toy: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    submission = _submission(tmp_path)
    assert grade_submission(toy, submission, data_root).score == 1.0  # parses and caches
    answers = CompetitionPaths(data_root, toy.id).private / "test.csv"
    edit_keeping_stats(answers)
    with pytest.raises(AnswersChanged, match=r"private/test\.csv of 'toy-verify'") as info:
        grade_submission(toy, submission, data_root)  # the parsed answers are cached: no matter
    assert isinstance(info.value, GraderError), "the harness's error, not the submission's"
    assert "--force -c toy-verify" in str(info.value)


def test_the_grader_reads_exactly_the_bytes_it_hashed(
    toy: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    from mle_track.grading import grader

    grader._REFERENCE_CACHE.clear()
    answers = CompetitionPaths(data_root, toy.id).private / "test.csv"
    edit_keeping_stats(answers)
    with pytest.raises(AnswersChanged):
        grade_submission(toy, _submission(tmp_path), data_root)
    assert not grader._REFERENCE_CACHE, "nothing was parsed from the changed file"


def test_missing_answers_or_missing_record_are_harness_errors(
    toy: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    paths = CompetitionPaths(data_root, toy.id)
    marker = json.loads(paths.marker.read_text())
    del marker["files"]["private/test.csv"]
    paths.marker.write_text(json.dumps(marker))
    with pytest.raises(NotPreparedError, match=r"no sha256 of private/test\.csv"):
        score_submission(toy, _submission(tmp_path), data_root)
    report = grade_submission(toy, _submission(tmp_path), data_root)
    assert report.grader_error and "no sha256 of private/test.csv" in report.grader_error
    assert report.invalid_reason is None and report.score is None, "never the submission's"
    paths.marker.unlink()
    report = grade_submission(toy, _submission(tmp_path), data_root)
    assert report.grader_error and "not prepared" in report.grader_error


def test_the_marker_and_checksums_yaml_must_agree(
    toy: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    """Rewriting the marker along with the answers is caught by the competition's pinned
    checksums (once the marker says the build was verified against them)."""
    paths = CompetitionPaths(data_root, toy.id)
    pinned = {"public": {}, "private": {"test.csv": "0" * 64}}
    (toy.folder / "checksums.yaml").write_text(yaml.safe_dump(pinned))
    checksums = toy.folder / "checksums.yaml"
    assert recorded_digests(paths, checksums)["private/test.csv"] != "0" * 64  # unverified build
    marker = json.loads(paths.marker.read_text())
    paths.marker.write_text(json.dumps({**marker, "verified": True}))
    with pytest.raises(AnswersChanged, match="pins 000000000000"):
        recorded_digests(paths, checksums)
    with pytest.raises(AnswersChanged):
        grade_submission(toy, _submission(tmp_path), data_root)


def test_a_private_sample_submission_is_verified_too(toy: CompetitionSpec) -> None:
    assert private_inputs(toy) == ("private/test.csv",)
    private_sample = toy.model_copy(update={"sample_submission": "private/sample.csv"})
    assert private_inputs(private_sample) == ("private/test.csv", "private/sample.csv")


def test_content_changes_and_forgotten_stats(toy: CompetitionSpec, data_root: Path) -> None:
    paths = CompetitionPaths(data_root, toy.id)
    before = digest_tree(paths.prepared).digests
    edit_keeping_stats(paths.private / "test.csv")
    (paths.public / "extra.txt").write_text("new")
    assert changed_by_content(paths.prepared, before, "private") == ["private/test.csv"]
    assert changed_by_content(paths.prepared, before, "public") == ["public/extra.txt"]
    forget_stats(paths, ["private/test.csv"])
    cache = json.loads(paths.marker.read_text())["files"]
    assert cache["private/test.csv"] == [-1, -1, before["private/test.csv"]]
    again = digest_tree(paths.prepared, cache)
    assert again.digests["private/test.csv"] != before["private/test.csv"], "hashed again"


def test_sealed_folders_are_read_only_and_still_removable(tmp_path: Path) -> None:
    private = tmp_path / "private"
    (private / "inner").mkdir(parents=True)
    (private / "inner" / "a.csv").write_text("a")
    (private / "test.csv").write_text("t")
    seal(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o555
    assert stat.S_IMODE((private / "inner").stat().st_mode) == 0o555
    assert stat.S_IMODE((private / "test.csv").stat().st_mode) == 0o444
    remove_tree(tmp_path)
    assert not tmp_path.exists()

"""The generator of standard invalid submissions: which cases a spec gets, and that the graders
reject each of them with the promised reason (toy competitions; every real competition is
covered by ``test_every_competition.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.grading import grade_submission
from mle_track.grading.cases import InvalidCase, standard_cases
from tests.competitions.conftest import MakeCustomGraded
from tests.conftest import MakeCompetition

VALUE_CASES = frozenset(
    {
        "text for a number",
        "a missing value",
        "an infinite value",
        "a probability above one",
        "a negative probability",
        "a row not summing to one",
        "a negative value",
        "an empty label",
        "an extra column",
    }
)


def cases_of(spec: CompetitionSpec, data_root: Path) -> dict[str, InvalidCase]:
    sample = CompetitionPaths(data_root, spec.id).resolve(spec.sample_submission)
    return {case.label: case for case in standard_cases(spec, sample)}


def assert_all_rejected(spec: CompetitionSpec, data_root: Path, tmp_path: Path) -> None:
    for number, case in enumerate(cases_of(spec, data_root).values()):
        report = grade_submission(spec, case.write(tmp_path / f"{number}.csv"), data_root)
        assert report.grader_error is None, (case.label, report.grader_error)
        assert not report.valid_submission, case.label
        assert case.reason in (report.invalid_reason or ""), (case.label, report.invalid_reason)


@dataclass(frozen=True)
class Toy:
    """A toy competition: metric, answers, a valid sample, and which cases it must (not) get."""

    metric: str
    direction: str
    answers: dict[str, list[object]]
    sample: dict[str, object]
    present: frozenset[str]
    absent: frozenset[str]
    id_column: str | None = "id"


TOYS = {
    "regression": Toy(
        "rmse",
        "lower",
        {"id": ["a", "b", "c"], "y": [1.5, -2.0, 3.0]},
        {"y": 0.0},
        present=frozenset({"text for a number", "a missing value", "an infinite value"}),
        # no range for a regression metric, and text ids have no float spelling
        absent=frozenset({"a probability above one", "a negative value", "ids written as floats"}),
    ),
    "distribution": Toy(
        "multiclass_log_loss",
        "lower",
        {"id": [1, 2, 3], "a": [1, 0, 0], "b": [0, 1, 1]},
        {"a": 0.5, "b": 0.5},
        present=frozenset(
            {"a probability above one", "a negative probability", "a row not summing to one"}
            | {"ids written as floats"}  # integer ids must not be accepted as 1.0
        ),
        absent=frozenset({"a negative value", "an empty label"}),
    ),
    "nonnegative": Toy(
        "rmsle",
        "lower",
        {"id": [1, 2], "y": [3.0, 4.0]},
        {"y": 1.0},
        present=frozenset({"a negative value"}),
        absent=frozenset({"a negative probability"}),
    ),
    "numeric labels": Toy(
        "accuracy",
        "higher",
        {"id": [10, 20, 30], "label": [1, 2, 3]},
        {},
        present=frozenset({"an empty label"}),
        absent=VALUE_CASES - {"an empty label"},  # labels are never range-checked
    ),
    "text labels": Toy(
        "accuracy",
        "higher",
        {"id": [10, 20, 30], "label": ["x", "y", "z"]},
        {},
        present=frozenset(),
        absent=VALUE_CASES,  # Arrow reads an empty text label as "", a valid label
    ),
    "graded by position": Toy(
        "mae",
        "lower",
        {"y": [1.0, 2.0, 3.0]},
        {"y": 0.0},
        present=frozenset({"a row short", "a missing value"}),
        absent=frozenset({"unknown id", "duplicate id", "ids written as floats", "no y column"}),
        id_column=None,
    ),
}


@pytest.mark.parametrize("name", sorted(TOYS))
def test_the_cases_follow_the_metric_and_columns(
    make_competition: MakeCompetition, data_root: Path, tmp_path: Path, name: str
) -> None:
    toy = TOYS[name]
    answers = pd.DataFrame(toy.answers)
    spec = make_competition(
        f"toy-{name.replace(' ', '-')}",
        metric=toy.metric,
        direction=toy.direction,
        answers=answers,
        sample=answers.assign(**toy.sample),
        target_columns=[c for c in answers.columns if c != toy.id_column],
        id_column=toy.id_column,
    )
    labels = set(cases_of(spec, data_root))
    assert toy.present <= labels, toy.present - labels
    assert not labels & toy.absent, labels & toy.absent
    assert_all_rejected(spec, data_root, tmp_path)


def auroc_toy(
    make_competition: MakeCompetition, name: str, ids: list[object], prediction: float
) -> CompetitionSpec:
    """A toy AUROC competition on ``p`` whose sample predicts ``prediction`` everywhere."""
    answers = pd.DataFrame({"id": ids, "p": [i % 2 for i in range(len(ids))]})
    return make_competition(
        name,
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=answers.assign(p=prediction),
        target_columns=["p"],
    )


def test_extra_columns_are_a_case_only_where_the_spec_forbids_them(
    make_competition: MakeCompetition, data_root: Path, tmp_path: Path
) -> None:
    spec = auroc_toy(make_competition, "toy-extra", [1, 2], 0.5)
    assert "an extra column" not in cases_of(spec, data_root)
    strict = spec.model_copy(
        update={"metric": spec.metric.model_copy(update={"extra_columns": "error"})}
    )
    assert cases_of(strict, data_root)["an extra column"].reason == (
        "unexpected column(s) 'unexpected_extra'"
    )
    assert_all_rejected(strict, data_root, tmp_path)


STRUCTURAL_GRADER = """from mle_track.errors import InvalidSubmission

def grade(submission, answers):
    for column in ("id", "t"):
        if column not in submission.columns:
            raise InvalidSubmission(f"missing column(s) {column!r}")
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    ids = submission["id"].astype(str)
    if ids.duplicated().any():
        raise InvalidSubmission("duplicate id")
    if not ids.isin(answers["id"].astype(str)).all():
        raise InvalidSubmission("an id is not in the test set")
    return 0.5
"""


def test_a_custom_grader_gets_only_the_structural_cases(
    make_custom_graded: MakeCustomGraded, data_root: Path, tmp_path: Path
) -> None:
    spec = make_custom_graded("toy-custom-cases", "grade:grade", {"grade.py": STRUCTURAL_GRADER})
    labels = set(cases_of(spec, data_root))
    assert not labels & VALUE_CASES, "a custom grade.py reads values its own way"
    assert not labels & {"semicolon-separated", "ids written as floats"}
    assert {"no t column", "no id column", "a row short", "unknown id", "duplicate id"} <= labels
    assert_all_rejected(spec, data_root, tmp_path)


def test_repeated_ids_in_the_sample_mean_no_duplicate_case(tmp_path: Path) -> None:
    spec = CompetitionSpec.model_validate(
        {
            "id": "toy-repeats",
            "name": "Toy",
            "version": 1,
            "metric": {"name": "auroc", "id_column": "text", "target_columns": ["p"]},
            "direction": "higher",
            "answers": "private/test.csv",
            "sample_submission": "public/sample.csv",
            "source": {"kind": "kaggle", "competition": "toy"},
            "leaderboard": {"source": "none"},
            "grader": "grade:grade",
        }
    )
    sample = tmp_path / "sample.csv"
    pd.DataFrame({"text": ["same", "same", "other"], "p": 0.5}).to_csv(sample, index=False)
    labels = {case.label for case in standard_cases(spec, sample)}
    assert "duplicate id" not in labels and "unknown id" in labels


def test_cells_are_written_back_as_their_exact_text(
    make_competition: MakeCompetition, data_root: Path, tmp_path: Path
) -> None:
    spec = auroc_toy(make_competition, "toy-exact", ["007", "010"], 0.123456789012)
    written = cases_of(spec, data_root)["a row too many"].write(tmp_path / "more.csv")
    assert written.read_text().splitlines() == [
        "id,p",
        "007,0.123456789012",
        "010,0.123456789012",
        "007,0.123456789012",
    ]
    assert cases_of(spec, data_root)["unknown id"].reason == "not in the test set"
    unknown = cases_of(spec, data_root)["unknown id"].write(tmp_path / "unknown.csv")
    assert unknown.read_text().splitlines()[1] == "11,0.123456789012", "a number beyond them"

"""Every kind of bad submission yields a clear reason, never a crash or a grader error; a bug in
grading code is a grader error, never an invalid submission."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mle_track.competitions.spec import CompetitionSpec
from mle_track.grading import grade_submission, validate_against_sample
from tests.conftest import MakeCompetition

N = 50


@pytest.fixture
def binary(make_competition: MakeCompetition) -> CompetitionSpec:
    rng = np.random.default_rng(1)
    ids = [f"row-{i:03d}" for i in range(N)]
    answers = pd.DataFrame({"id": ids, "target": rng.integers(0, 2, N)})
    sample = pd.DataFrame({"id": ids, "target": 0.5})
    return make_competition(
        "toy-binary",
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=sample,
        target_columns=["target"],
        leaderboard=list(np.linspace(0.99, 0.5, 40)),
    )


def write(tmp_path: Path, content: bytes | str, name: str = "submission.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def good_rows(answers: pd.DataFrame) -> str:
    return answers.assign(target=answers.target * 0.8 + 0.1).to_csv(index=False)


def answers_of(spec: CompetitionSpec, data_root: Path) -> pd.DataFrame:
    return pd.read_csv(data_root / spec.id / "prepared/private/test.csv")


CASES: list[tuple[str, bytes | str, str]] = [
    ("empty", b"", "empty"),
    ("blank", b"\n\n  \n", "empty"),
    ("binary junk", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("bad utf-8", b"id,target\nrow-000,0.5\n\xff\xfe\xfa,0.5\n", "UTF-8"),
    ("semicolons", "id;target\nrow-000;0.5\n", "';'-separated"),
    ("tabs", "id\ttarget\nrow-000\t0.5\n", "tab-separated"),
    ("header only", "id,target\n", "0 rows, expected 50"),
    ("missing column", "id,prediction\nrow-000,0.5\n", "missing column(s) 'target'"),
    ("ragged rows", "id,target\nrow-000,0.5,7\n", "cannot be parsed as CSV"),
]


@pytest.mark.parametrize(("label", "content", "reason"), CASES, ids=[c[0] for c in CASES])
def test_file_level_problems_are_invalid_with_a_reason(
    binary: CompetitionSpec,
    data_root: Path,
    tmp_path: Path,
    label: str,
    content: bytes,
    reason: str,
) -> None:
    report = grade_submission(binary, write(tmp_path, content), data_root)
    assert not report.valid_submission and report.score is None
    assert report.grader_error is None, report.grader_error
    assert reason in (report.invalid_reason or ""), report.invalid_reason


def test_missing_file_and_wrong_extension(
    binary: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    missing = grade_submission(binary, tmp_path / "nope.csv", data_root)
    assert not missing.submission_exists and "no submission file" in (missing.invalid_reason or "")
    text = write(tmp_path, good_rows(answers_of(binary, data_root)), name="submission.txt")
    wrong = grade_submission(binary, text, data_root)
    assert not wrong.submission_exists and ".csv" in (wrong.invalid_reason or "")
    none = grade_submission(binary, None, data_root)
    assert not none.valid_submission and none.invalid_reason == "no submission was produced"


def test_byte_order_mark_is_accepted(
    binary: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    content = "\ufeff" + good_rows(answers_of(binary, data_root))
    report = grade_submission(binary, write(tmp_path, content), data_root)
    assert report.valid_submission and report.score == 1.0 and report.gold_medal


def test_row_level_problems(binary: CompetitionSpec, data_root: Path, tmp_path: Path) -> None:
    answers = answers_of(binary, data_root)
    good = answers.assign(target=0.3)

    def reason(frame: pd.DataFrame) -> str:
        report = grade_submission(binary, write(tmp_path, frame.to_csv(index=False)), data_root)
        assert not report.valid_submission and report.grader_error is None
        return report.invalid_reason or ""

    assert "500 rows, expected 50" in reason(pd.concat([good] * 10))
    dup = good.copy()
    dup.loc[1, "id"] = dup.loc[0, "id"]
    assert "duplicate id" in reason(dup) and "row-000" in reason(dup)
    unknown = good.copy()
    unknown.loc[0, "id"] = "row-999"
    assert "not in the test set" in reason(unknown) and "row-999" in reason(unknown)
    text = good.astype({"target": object})
    text.loc[4, "target"] = "high"
    assert "must be numeric, found 'high'" in reason(text)
    nan = good.copy()
    nan.loc[2, "target"] = np.nan
    assert "missing, NaN or infinite" in reason(nan)
    inf = good.copy()
    inf.loc[2, "target"] = np.inf
    assert "infinite" in reason(inf)
    high = good.copy()
    high.loc[3, "target"] = 1.5
    assert "outside [0, 1]" in reason(high)


def test_shuffled_rows_and_extra_columns_grade_the_same(
    binary: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    answers = answers_of(binary, data_root)
    rng = np.random.default_rng(3)
    pred = answers.assign(target=rng.random(N))
    straight = grade_submission(
        binary, write(tmp_path, pred.to_csv(index=False), "a.csv"), data_root
    )
    shuffled = pred.sample(frac=1, random_state=0).assign(extra=1)[["extra", "target", "id"]]
    other = grade_submission(
        binary, write(tmp_path, shuffled.to_csv(index=False), "b.csv"), data_root
    )
    assert straight.valid_submission and straight.score == other.score


def test_ids_are_compared_as_text(
    make_competition: MakeCompetition, tmp_path: Path, data_root: Path
) -> None:
    ids = ["007", "008", "009", "010"]
    spec = make_competition(
        "toy-text-ids",
        metric="rmse",
        direction="lower",
        answers=pd.DataFrame({"id": ids, "y": [1.0, 2.0, 3.0, 4.0]}),
        sample=pd.DataFrame({"id": ids, "y": 0.0}),
        target_columns=["y"],
    )
    ok = write(tmp_path, "id,y\n007,1\n008,2\n009,3\n010,4\n", "ok.csv")
    assert grade_submission(spec, ok, data_root).score == 0.0
    stripped = write(tmp_path, "id,y\n7,1\n8,2\n9,3\n10,4\n", "stripped.csv")
    report = grade_submission(spec, stripped, data_root)
    assert not report.valid_submission and "not in the test set" in (report.invalid_reason or "")
    assert not report.medals_available


def test_distribution_rows_must_sum_to_one(
    make_competition: MakeCompetition, tmp_path: Path, data_root: Path
) -> None:
    ids = list(range(4))
    answers = pd.DataFrame({"id": ids, "a": [1, 0, 0, 1], "b": [0, 1, 1, 0]})
    spec = make_competition(
        "toy-multiclass",
        metric="multiclass_log_loss",
        direction="lower",
        answers=answers,
        sample=answers.assign(a=0.5, b=0.5),
        target_columns=["a", "b"],
    )
    bad = answers.assign(a=0.6, b=0.6).to_csv(index=False)
    report = grade_submission(spec, write(tmp_path, bad), data_root)
    assert "do not sum to 1" in (report.invalid_reason or "")
    good = answers.assign(a=0.7, b=0.3).to_csv(index=False)
    assert grade_submission(spec, write(tmp_path, good), data_root).valid_submission


def test_negative_predictions_for_a_log_metric(
    make_competition: MakeCompetition, tmp_path: Path, data_root: Path
) -> None:
    answers = pd.DataFrame({"id": [1, 2], "price": [3.0, 4.0]})
    spec = make_competition(
        "toy-rmsle",
        metric="rmsle",
        direction="lower",
        answers=answers,
        sample=answers.assign(price=1.0),
        target_columns=["price"],
    )
    report = grade_submission(spec, write(tmp_path, "id,price\n1,-1\n2,4\n"), data_root)
    assert "negative" in (report.invalid_reason or "")


def test_a_metric_failure_is_a_grader_error_not_an_invalid_submission(
    make_competition: MakeCompetition, tmp_path: Path, data_root: Path
) -> None:
    answers = pd.DataFrame({"id": [1, 2, 3], "t": [1, 1, 1]})  # one class: AUROC undefined
    spec = make_competition(
        "toy-one-class",
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=answers.assign(t=0.5),
        target_columns=["t"],
    )
    report = grade_submission(spec, write(tmp_path, "id,t\n1,0.2\n2,0.4\n3,0.9\n"), data_root)
    assert report.grader_error and "only one class" in report.grader_error
    assert report.invalid_reason is None and not report.valid_submission


def test_a_crashing_custom_grader_is_a_grader_error(
    make_competition: MakeCompetition, competitions_root: Path, tmp_path: Path, data_root: Path
) -> None:
    answers = pd.DataFrame({"id": [1, 2], "t": [0.0, 1.0]})
    spec = make_competition(
        "toy-custom",
        metric="rmse",
        direction="lower",
        answers=answers,
        sample=answers,
        target_columns=["t"],
        grader="grade:grade",
    )
    (competitions_root / "toy-custom" / "grade.py").write_text(
        "from mle_track.errors import InvalidSubmission\n"
        "def grade(submission, answers):\n"
        "    if 't' not in submission.columns:\n"
        "        raise InvalidSubmission('needs column t')\n"
        "    return 1 / 0\n"
    )
    crash = grade_submission(spec, write(tmp_path, "id,t\n1,0\n2,1\n"), data_root)
    assert crash.grader_error and "ZeroDivisionError" in crash.grader_error
    invalid = grade_submission(spec, write(tmp_path, "id,x\n1,0\n2,1\n", "x.csv"), data_root)
    assert invalid.invalid_reason == "needs column t" and invalid.grader_error is None


def test_unprepared_competition_is_a_grader_error(binary: CompetitionSpec, tmp_path: Path) -> None:
    report = grade_submission(binary, write(tmp_path, "id,target\n"), tmp_path / "elsewhere")
    assert report.grader_error and "not prepared" in report.grader_error


def test_agent_side_validation_uses_only_the_sample(
    binary: CompetitionSpec, data_root: Path, tmp_path: Path
) -> None:
    sample = data_root / binary.id / "prepared/public/sample_submission.csv"
    good = write(tmp_path, pd.read_csv(sample).to_csv(index=False))
    validate_against_sample(binary, good, sample)
    from mle_track.errors import InvalidSubmission

    with pytest.raises(InvalidSubmission, match="rows, expected"):
        validate_against_sample(
            binary, write(tmp_path, "id,target\nrow-000,0.5\n", "x.csv"), sample
        )


def test_exact_column_set_when_the_competition_demands_it(
    make_competition: MakeCompetition, competitions_root: Path, tmp_path: Path, data_root: Path
) -> None:
    import yaml

    answers = pd.DataFrame({"id": [1, 2], "y": [0.0, 1.0]})
    spec = make_competition(
        "toy-exact",
        metric="rmse",
        direction="lower",
        answers=answers,
        sample=answers,
        target_columns=["y"],
    )
    config_path = competitions_root / "toy-exact" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["metric"]["extra_columns"] = "error"
    config_path.write_text(yaml.safe_dump(config))
    from mle_track.competitions.spec import load_spec

    spec = load_spec(config_path)
    report = grade_submission(spec, write(tmp_path, "id,y,note\n1,0,a\n2,1,b\n"), data_root)
    assert "unexpected column(s) 'note'" in (report.invalid_reason or "")
    assert (
        grade_submission(spec, write(tmp_path, "y,id\n0,1\n1,2\n", "ok.csv"), data_root).score
        == 0.0
    )


def test_targets_can_come_from_the_sample_header(
    make_competition: MakeCompetition, tmp_path: Path, data_root: Path
) -> None:
    """Classes known only from the data: the sample's columns (minus the id) are the targets."""
    answers = pd.DataFrame({"id": [1, 2, 3], "cat": [1, 0, 0], "dog": [0, 1, 1]})
    spec = make_competition(
        "toy-classes",
        metric="multiclass_log_loss",
        direction="lower",
        answers=answers,
        sample=answers.assign(cat=0.5, dog=0.5),
        target_columns=[],
    )
    good = write(tmp_path, "id,dog,cat\n1,0,1\n2,1,0\n3,1,0\n")
    assert grade_submission(spec, good, data_root).score == pytest.approx(0.0, abs=1e-9)
    report = grade_submission(spec, write(tmp_path, "id,cat\n1,1\n2,0\n3,0\n", "x.csv"), data_root)
    assert "missing column(s) 'dog'" in (report.invalid_reason or "")
    sample = data_root / spec.id / "prepared/public/sample_submission.csv"
    validate_against_sample(spec, good, sample)

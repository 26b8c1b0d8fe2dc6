"""The one answers loader: CSV as MLE-bench reads it, JSON Lines one record per line, and a
custom grader receiving JSONL answers as a DataFrame."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mle_track.competitions.spec import CompetitionSpec, load_spec
from mle_track.data.hashing import digest_tree
from mle_track.data.layout import CompetitionPaths
from mle_track.data.marker import build_marker, write_marker
from mle_track.errors import ConfigError
from mle_track.grading import grade_submission
from mle_track.grading.answers import answers_suffix, read_answers
from tests.conftest import MakeCompetition

RECORDS = [
    {"example_id": "-7", "page": "a / b", "annotations": [{"yes_no_answer": "NONE"}]},
    {"example_id": "12", "page": "c", "annotations": [{"yes_no_answer": "YES"}]},
]


def jsonl(records: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_csv_answers_are_read_as_mle_bench_reads_them() -> None:
    frame = read_answers(b"id,p\n1,0.1\n2,0.30000000000000004\n", "test.csv")
    assert frame["id"].tolist() == [1, 2]
    assert frame["p"].iloc[1] == 0.30000000000000004  # round-trip float parsing


def test_jsonl_answers_are_one_row_per_line_with_nested_values_kept() -> None:
    data = jsonl(RECORDS).replace(b"\n", b"\n\n", 1)  # a blank line is skipped
    frame = read_answers(data, "test.jsonl")
    assert list(frame.columns) == ["example_id", "page", "annotations"]
    assert frame["example_id"].tolist() == ["-7", "12"]  # text stays text
    assert frame["annotations"].iloc[1][0]["yes_no_answer"] == "YES"


def test_jsonl_keys_missing_from_some_lines_become_missing_values() -> None:
    frame = read_answers(jsonl([{"a": 1}, {"a": 2, "b": "x"}]), "answers.JSONL")
    assert list(frame.columns) == ["a", "b"] and frame["b"].isna().tolist() == [True, False]
    assert read_answers(b"\n", "empty.jsonl").empty


def test_only_the_wanted_columns_are_kept() -> None:
    frame = read_answers(jsonl(RECORDS), "test.jsonl", columns=["annotations", "example_id"])
    assert list(frame.columns) == ["annotations", "example_id"] and len(frame) == 2
    csv = read_answers(b"id,p,q\n1,0.5,x\n", "test.csv", columns=("q", "id"))
    assert list(csv.columns) == ["q", "id"] and csv["q"].tolist() == ["x"]
    with pytest.raises(KeyError):
        read_answers(jsonl(RECORDS), "test.jsonl", columns=["no_such_key"])


def test_broken_jsonl_names_the_line() -> None:
    with pytest.raises(ValueError, match="line 2 is not JSON"):
        read_answers(b'{"a": 1}\n{"a": \n', "test.jsonl")
    with pytest.raises(ValueError, match="line 1 is not a JSON object"):
        read_answers(b"[1, 2]\n", "test.jsonl")


def test_unknown_formats_are_a_config_error() -> None:
    assert answers_suffix("private/test.JSONL") == ".jsonl"
    with pytest.raises(ConfigError, match=r"unsupported format '\.parquet'"):
        read_answers(b"", "test.parquet")


GRADER = """
import pandas as pd

def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    assert list(answers.columns) == ["example_id", "annotations"]
    truth = {r["example_id"]: r["annotations"][0]["yes_no_answer"] for _, r in answers.iterrows()}
    hits = [truth[str(i)] == p for i, p in zip(submission["example_id"], submission["answer"])]
    return sum(hits) / len(truth)


grade.answer_columns = ("example_id", "annotations")
"""


def test_a_custom_grader_receives_jsonl_answers_as_a_frame(
    make_competition: MakeCompetition, competitions_root: Path, data_root: Path, tmp_path: Path
) -> None:
    spec = make_competition(
        "jsonl-answers",
        metric="accuracy",
        direction="higher",
        answers=pd.DataFrame({"example_id": ["-7", "12"], "answer": ["NONE", "YES"]}),
        sample=pd.DataFrame({"example_id": ["-7", "12"], "answer": ["NONE", "NONE"]}),
        target_columns=["answer"],
        grader="grade:grade",
    )
    (competitions_root / spec.id / "grade.py").write_text(GRADER)
    paths = CompetitionPaths(data_root, spec.id)
    (paths.private / "test.csv").unlink()
    (paths.private / "test.jsonl").write_bytes(jsonl(RECORDS))
    spec = _with_answers(spec, "private/test.jsonl", paths)
    submission = tmp_path / "submission.csv"
    pd.DataFrame({"example_id": ["12", "-7"], "answer": ["YES", "YES"]}).to_csv(
        submission, index=False
    )
    report = grade_submission(spec, submission, data_root)
    assert report.grader_error is None and report.score == 0.5


def _with_answers(spec: CompetitionSpec, answers: str, paths: CompetitionPaths) -> CompetitionSpec:
    """The spec with another answers file, and the prepared marker recording it."""
    config_path = spec.folder / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config_path.write_text(yaml.safe_dump({**config, "answers": answers}))
    spec = load_spec(config_path)
    tree = digest_tree(paths.prepared)
    write_marker(paths.prepared, build_marker(spec, verified=False, source={}, tree=tree))
    return spec

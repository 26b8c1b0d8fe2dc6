"""The grade and grade-sample commands end to end, in fresh processes, with MLE-bench's formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mle_track.cli import main
from tests.conftest import MakeCompetition


@pytest.fixture
def toy(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i}" for i in range(30)]
    answers = pd.DataFrame({"id": ids, "y": np.arange(30) % 2})
    make_competition(
        "toy-cli",
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=answers.assign(y=0.5),
        target_columns=["y"],
        leaderboard=[0.95, 0.9, 0.8, 0.7, 0.6],
        splits=["low"],
    )
    return data_root / "toy-cli" / "prepared"


def test_grade_writes_a_timestamped_report_and_never_stops_on_bad_input(
    toy: Path, data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02")
    lines = [
        "# a comment",
        json.dumps({"competition_id": "toy-cli", "submission_path": str(toy / "private/test.csv")}),
        "",
        "// another comment",
        json.dumps(
            {
                "competition_id": "toy-cli",
                "submission_path": str(toy / "public/sample_submission.csv"),
            }
        ),
        json.dumps({"competition_id": "toy-cli", "submission_path": str(junk)}),
        json.dumps({"competition_id": "toy-cli", "submission_path": None}),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines))
    out = tmp_path / "out"
    code = main(
        [
            "grade",
            "--submission",
            str(batch),
            "--output-dir",
            str(out),
            "--data-dir",
            str(data_root),
        ]
    )
    assert code == 0
    (report_path,) = out.glob("*_grading_report.json")
    assert report_path.name.endswith("-GMT_grading_report.json")
    assert str(report_path) in capsys.readouterr().out
    report = json.loads(report_path.read_text())
    assert report["total_runs"] == 4
    assert report["total_runs_with_submissions"] == 3
    assert report["total_valid_submissions"] == 2
    assert report["total_gold_medals"] == 1
    gold, sample, junk_report, missing = report["competition_reports"]
    assert gold["score"] == 1.0 and gold["gold_medal"]
    assert sample["score"] == 0.5 and not sample["any_medal"]
    assert "binary" in junk_report["invalid_reason"]
    assert missing["submission_path"] == "None" and not missing["submission_exists"]
    assert report["splits"]["low"]["any_medal_pct"]["mean"] == 25.0


def test_grade_rejects_unknown_competitions_before_grading(
    toy: Path, data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps({"competition_id": "toy-clj", "submission_path": "x.csv"}) + "\nnot json\n"
    )
    code = main(["grade", "--submission", str(batch), "--output-dir", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "malformed" in err
    batch.write_text(json.dumps({"competition_id": "toy-clj", "submission_path": "x.csv"}))
    assert main(["grade", "--submission", str(batch), "--output-dir", str(tmp_path / "o")]) == 2
    assert "Did you mean 'toy-cli'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_grade_sample_prints_json_and_imports_no_tracking_stack(
    toy: Path, data_root: Path, competitions_root: Path
) -> None:
    probe = (
        "import sys\n"
        "from mle_track.cli import main\n"
        f"args = ['grade-sample', {str(toy / 'private/test.csv')!r}, 'toy-cli']\n"
        f"code = main([*args, '--data-dir', {str(data_root)!r}])\n"
        "names = ('mlflow', 'hydra', 'omegaconf', 'docker', 'sklearn', 'kaggle')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "MLE_TRACK_COMPETITIONS_DIR": str(competitions_root)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    report = json.loads(done.stdout)
    assert report["competition_id"] == "toy-cli" and report["gold_medal"] and report["score"] == 1.0
    assert "HEAVY []" in done.stderr


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("mle-track")
    done = subprocess.run(
        [str(exe), "grade-sample", "x.csv", "no-such-competition"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.startswith("mle-track: error: unknown competition")
    assert "Traceback" not in done.stderr


def test_answers_changed_after_prepare_fail_the_grade_as_one_line_naming_the_file(
    toy: Path, data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.fakes.tamper import edit_keeping_stats

    sample = str(toy / "public/sample_submission.csv")
    assert main(["grade-sample", sample, "toy-cli", "--data-dir", str(data_root)]) == 0
    capsys.readouterr()
    edit_keeping_stats(toy / "private/test.csv")
    assert main(["grade-sample", sample, "toy-cli", "--data-dir", str(data_root)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "", "no report is made against changed answers"
    (line,) = captured.err.splitlines()
    assert "private/test.csv of 'toy-cli'" in line and "recorded at prepare" in line
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"competition_id": "toy-cli", "submission_path": sample}))
    out = tmp_path / "out"
    args = ["grade", "--submission", str(batch), "--output-dir", str(out)]
    assert main([*args, "--data-dir", str(data_root)]) == 2
    assert not list(out.glob("*_grading_report.json"))

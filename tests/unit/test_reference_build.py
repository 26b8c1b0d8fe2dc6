"""Building a reference leaderboard end to end on small synthetic competitions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mle_track.cli import main
from mle_track.competitions.spec import CompetitionSpec, load_spec
from mle_track.data.hashing import digest_tree
from mle_track.errors import LeaderboardError, NotPreparedError
from mle_track.leaderboards import GENERATOR_VERSION, build_leaderboard
from mle_track.leaderboards.population import BLEND, BLENDS, blend_parts, population

REFERENCE = """
from pathlib import Path

import pandas as pd

from mle_track.leaderboards import ReferenceProblem

TASK = "{task}"


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    features = [c for c in test.columns if c != "id"]
    return ReferenceProblem(
        task=TASK,
        x_train=train[features].to_numpy(dtype=float),
        y_train=train["target"].to_numpy(),
        x_test=test[features].to_numpy(dtype=float),
        test_ids=test["id"].to_numpy(),
        output="probability" if TASK == "binary" else "value",
    )
"""

CASES = {
    # metric, direction, task
    "tiny-binary": ("auroc", "higher", "binary"),
    "tiny-regression": ("mae", "lower", "regression"),
}


def make_competition(competitions: Path, data_root: Path, competition_id: str) -> CompetitionSpec:
    """A competition folder plus prepared data: 5 features, 240 train and 80 test rows."""
    metric, direction, task = CASES[competition_id]
    rng = np.random.default_rng(0)
    n_train, n_test = 240, 80
    x = rng.normal(size=(n_train + n_test, 5))
    signal = x @ np.array([2.0, -1.0, 0.5, 0.0, 0.0]) + rng.normal(scale=0.7, size=len(x))
    y = (signal > 0).astype(int) if task == "binary" else 50 + 10 * signal
    ids = rng.permutation(len(x)) + 1
    frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(5)]).assign(target=y)
    frame.insert(0, "id", ids)
    train, test = frame.iloc[:n_train], frame.iloc[n_train:]

    prepared = data_root / competition_id / "prepared"
    (prepared / "public").mkdir(parents=True)
    (prepared / "private").mkdir()
    train.to_csv(prepared / "public/train.csv", index=False)
    test.drop(columns="target").to_csv(prepared / "public/test.csv", index=False)
    test[["id", "target"]].to_csv(prepared / "private/test.csv", index=False)
    constant = 0.5 if task == "binary" else float(train["target"].mean())
    sample = pd.DataFrame({"id": test["id"].to_numpy()[::-1], "target": constant})
    sample.to_csv(prepared / "public/sample_submission.csv", index=False)
    # the sha256s prepare records: grading reads the answers only after comparing with them
    files = digest_tree(prepared).stat_cache()
    (prepared / ".prepared.json").write_text(json.dumps({"verified": False, "files": files}))

    folder = competitions / competition_id
    folder.mkdir(parents=True)
    config = {
        "id": competition_id,
        "name": competition_id,
        "version": 1,
        "metric": {"name": metric, "target_columns": ["target"]},
        "direction": direction,
        "answers": "private/test.csv",
        "sample_submission": "public/sample_submission.csv",
        "source": {"kind": "kaggle", "competition": competition_id},
        "leaderboard": {"source": "reference-population", "generator_version": GENERATOR_VERSION},
    }
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    (folder / "reference.py").write_text(REFERENCE.format(task=task))
    return load_spec(folder / "config.yaml")


@pytest.mark.parametrize("competition_id", sorted(CASES))
def test_build_writes_a_ranked_leaderboard(tmp_path: Path, competition_id: str) -> None:
    spec = make_competition(tmp_path / "competitions", tmp_path / "data", competition_id)
    result = build_leaderboard(spec, tmp_path / "data", size=14, seed=0)

    written = pd.read_csv(spec.leaderboard_path)
    assert result.path == spec.leaderboard_path
    assert len(written) == 14 and written["solution"].is_unique
    scores = written["score"].to_numpy()
    best_first = -scores if spec.direction == "higher" else scores
    assert (np.diff(best_first) >= 0).all(), "rows must be in rank order, best first"
    # the population spans weak to strong: the prior is far behind the best member
    prior = written.loc[written["family"] == "constant", "score"].item()
    assert abs(scores[0] - prior) > 0.2 * abs(prior - scores[-1]) + 1e-9
    assert written.index[written["family"] == "constant"].item() >= len(written) // 2
    assert (result.n_train, result.n_test) == (240, 80)


def test_tuned_tier_and_blends_top_the_leaderboard(tmp_path: Path) -> None:
    spec = make_competition(tmp_path / "competitions", tmp_path / "data", "tiny-regression")
    table = build_leaderboard(spec, tmp_path / "data", size=30, seed=0).table
    scores = table.set_index("solution")["score"]
    members = population("regression", 30, 0)
    blends = [m for m in members if m.family == BLEND]
    assert sorted(m.variant for m in blends) == sorted(BLENDS)
    for member in blends:
        parts = blend_parts(member, members)
        # MAE is convex in the predictions: an average is no worse than its members on average
        mean_of_parts = np.mean([scores[m.name] for m in parts])
        assert scores[member.name] <= mean_of_parts + 1e-4, member.name
    # careful work beats the field: the best tuned member outranks every classic one
    tuned = table["family"].isin(["gbdt", "glm", BLEND])
    assert tuned.iloc[0]


def test_build_is_deterministic_for_a_seed_and_job_count(tmp_path: Path) -> None:
    spec = make_competition(tmp_path / "competitions", tmp_path / "data", "tiny-binary")
    first = tmp_path / "first.csv"
    build_leaderboard(spec, tmp_path / "data", size=10, seed=5, output=first)
    again = tmp_path / "again.csv"
    build_leaderboard(spec, tmp_path / "data", size=10, seed=5, jobs=2, output=again)
    assert first.read_bytes() == again.read_bytes()
    other = tmp_path / "other.csv"
    build_leaderboard(spec, tmp_path / "data", size=10, seed=6, output=other)
    assert first.read_bytes() != other.read_bytes()


def test_build_refuses_unprepared_data_and_other_leaderboard_sources(tmp_path: Path) -> None:
    spec = make_competition(tmp_path / "competitions", tmp_path / "data", "tiny-binary")
    with pytest.raises(NotPreparedError, match="mle-track prepare"):
        build_leaderboard(spec, tmp_path / "elsewhere", size=3)
    kaggle = spec.model_copy(
        update={"leaderboard": spec.leaderboard.model_copy(update={"source": "kaggle"})}
    )
    with pytest.raises(LeaderboardError, match="reference-population"):
        build_leaderboard(kaggle, tmp_path / "data", size=3)


def test_cli_builds_and_reports_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    competitions = tmp_path / "competitions"
    spec = make_competition(competitions, tmp_path / "data", "tiny-regression")
    monkeypatch.setenv("MLE_TRACK_COMPETITIONS_DIR", str(competitions))
    argv = ["leaderboard", "build", spec.id, "--data-dir", str(tmp_path / "data")]
    assert main([*argv, "--size", "8", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "tiny-regression" in out and "wrote 1 leaderboard" in out
    assert all(column in out for column in ("gold", "silver", "bronze", "median", "CPU"))
    assert len(pd.read_csv(spec.leaderboard_path)) == 8
    assert main(["leaderboard", "build", "no-such-competition"]) == 2
    assert "unknown competition" in capsys.readouterr().err

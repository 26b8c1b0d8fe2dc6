"""The baseline agent end to end on tiny data: determinism, logs, code and every fallback."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mle_track.agents.baseline import run as run_module
from mle_track.agents.baseline.run import LOG_NAME, run
from mle_track.agents.contract import AgentEnvironment
from tests.unit.test_baseline_discover import write_layout

N_TRAIN, N_TEST = 300, 60


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """LightGBM on one thread: in-process, OpenMP threads spin (``__main__`` sets the passive
    wait policy only for real runs), which on a busy shared machine makes tiny fits take seconds.
    """
    monkeypatch.setattr("mle_track.agents.baseline.learners.cpu_count", lambda: 1)


def environment(tmp_path: Path, data: Path, seed: int = 0, limit: float = 60) -> AgentEnvironment:
    outputs = [tmp_path / name for name in ("submission", "logs", "code")]
    for folder in outputs:
        folder.mkdir(parents=True, exist_ok=True)
    return AgentEnvironment(
        competition_id="synthetic",
        data=data,
        submission_dir=outputs[0],
        logs=outputs[1],
        code=outputs[2],
        time_limit_s=limit,
        step_limit=None,
        seed=seed,
        hardware="",
        validate_script=None,
    )


def binary_task(folder: Path) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N_TRAIN + N_TEST, 3))
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=0.5, size=len(x)) > 0).astype(int)
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(
        id=[f"r{i:04d}" for i in range(len(x))], group=rng.choice(["u", "v"], size=len(x))
    )
    train = frame.iloc[:N_TRAIN].assign(target=y[:N_TRAIN])
    test = frame.iloc[N_TRAIN:]
    sample = pd.DataFrame({"id": test["id"], "target": 0.5})
    return write_layout(folder, train, test, sample, card="## Evaluation\nAUC\n")


def test_a_model_submission_with_its_log_and_code(tmp_path: Path) -> None:
    data = binary_task(tmp_path / "data")
    env = environment(tmp_path / "run", data)
    record = run(env)
    assert record["submission"] == "model" and "fallback" not in record
    written = pd.read_csv(env.submission, dtype={"id": str})
    assert list(written.columns) == ["id", "target"]
    assert list(written["id"]) == [f"r{i:04d}" for i in range(N_TRAIN, N_TRAIN + N_TEST)]
    assert written["target"].between(0, 1).all() and written["target"].nunique() > 10

    log = json.loads((env.logs / LOG_NAME).read_text())
    assert log["task"]["targets"][0]["output"] == "probability"
    assert log["modality"] == "tabular"
    model = log["models"][0]
    assert model["metric"] == "auc" and model["cv_score"] > 0.75
    assert model["candidates"][0]["folds"] == "5/5"
    assert set(log["timings_s"]) == {"discover", "features", "models"}
    assert (env.code / "plan.json").is_file() and (env.code / "baseline" / "run.py").is_file()


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    data = binary_task(tmp_path / "data")
    first = environment(tmp_path / "one", data, seed=3)
    second = environment(tmp_path / "two", data, seed=3)
    run(first)
    run(second)
    assert first.submission.read_bytes() == second.submission.read_bytes()
    other = environment(tmp_path / "three", data, seed=4)
    run(other)
    assert other.submission.read_bytes() != first.submission.read_bytes()


def test_an_unfamiliar_layout_keeps_the_sample(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sample_submission.csv").write_text("key,answer\na,1\nb,2\n")
    (data / "stuff.csv").write_text("x,y\n1,2\n")
    env = environment(tmp_path / "run", data)
    record = run(env)
    assert record["submission"] == "sample"
    assert "no table holds the targets" in record["fallback"]
    assert env.submission.read_bytes() == (data / "sample_submission.csv").read_bytes()
    assert "fallback" in json.loads((env.logs / LOG_NAME).read_text())


def test_no_sample_at_all_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    record = run(environment(tmp_path / "run", data))
    assert record["submission"] == "none" and "no sample submission" in record["fallback"]


def test_a_crash_keeps_the_sample_and_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(run_module, "solve", broken)
    data = binary_task(tmp_path / "data")
    env = environment(tmp_path / "run", data)
    record = run(env)
    assert record["submission"] == "sample" and record["fallback"] == "RuntimeError: boom"
    assert "Traceback" in record["traceback"]
    assert env.submission.read_bytes() == (data / "sample_submission.csv").read_bytes()


@pytest.mark.parametrize(("exit_code", "kept"), [(0, "model"), (1, "sample"), (2, "model")])
def test_the_sandbox_validator_has_the_last_word(tmp_path: Path, exit_code: int, kept: str) -> None:
    data = binary_task(tmp_path / "data")
    script = tmp_path / "validate_submission.sh"
    script.write_text(f"#!/bin/sh\necho 'verdict for '$1\nexit {exit_code}\n")
    env = dataclasses.replace(environment(tmp_path / "run", data), validate_script=script)
    record = run(env)
    assert record["submission"] == kept
    assert record["validation"] == f"verdict for {env.submission}"
    sample = (data / "sample_submission.csv").read_bytes()
    assert (env.submission.read_bytes() == sample) == (kept == "sample")


def test_the_hard_deadline_keeps_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(*args: Any) -> Any:
        import time

        time.sleep(5)

    monkeypatch.setattr(run_module, "solve", slow)
    data = binary_task(tmp_path / "data")
    record = run(environment(tmp_path / "run", data, limit=1.0))
    assert record["submission"] == "sample" and record["fallback"].startswith("OutOfTime")

"""The Hydra app with real MLflow (SQLite) end to end: single runs, sweeps with the basic and
joblib launchers, resume after a killed sweep, failed attempts, report formats, the registry.

Attempts run real agents in the local sandbox on tiny competitions written to disk; every
``mle-track`` call is a fresh process, as a user would run it. The test's own external agents
are scripts on the host that leave marks on the host, so they run in ``sandbox=local-unisolated``
(``sandbox=local`` shows them only their world).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import MakeCompetition

pytestmark = pytest.mark.slow
MLE = str(Path(sys.executable).with_name("mle-track"))
#: the test's host-script agents run unisolated, by explicit choice
UNISOLATED = "sandbox=local-unisolated"
SLEEPY = """
import os, shutil, sys, time
time.sleep(float(os.environ.get("SLEEP", "0")))
if os.environ.get("CRASH"):
    sys.exit(3)
data = os.environ["DATA_DIR"]
shutil.copyfile(os.path.join(data, "sample_submission.csv"),
                os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
"""
#: leaves a mark when it starts; from the third attempt on it waits for a release file, so a
#: test can kill the sweep while an attempt is provably running
HOLDY = """
import os, pathlib, shutil, time
marks = pathlib.Path(os.environ["MARKS"])
marks.mkdir(exist_ok=True)
name = f"{os.environ['COMPETITION_ID']}-s{os.environ['SEED']}-{os.getpid()}"
(marks / name).write_text(str(os.getpid()))
release = marks.parent / "release"
if len(list(marks.iterdir())) >= 3:
    while not release.exists():
        time.sleep(0.05)
data = os.environ["DATA_DIR"]
shutil.copyfile(os.path.join(data, "sample_submission.csv"),
                os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
"""


@pytest.fixture
def world(tmp_path: Path, make_competition: MakeCompetition, data_root: Path) -> dict[str, object]:
    rng = np.random.default_rng(0)
    for name, split in (("toy-a", "low"), ("toy-b", "low"), ("toy-c", "medium")):
        ids = [f"{name}-{i}" for i in range(20)]
        answers = pd.DataFrame({"id": ids, "y": rng.integers(0, 2, 20)})
        make_competition(
            name,
            metric="auroc",
            direction="higher",
            answers=answers,
            sample=answers.assign(y=0.5),
            target_columns=["y"],
            splits=[split],
            leaderboard=list(np.linspace(0.99, 0.45, 30)),
        )
    conf = tmp_path / "extra-conf" / "agent"
    conf.mkdir(parents=True)
    script = tmp_path / "sleepy.py"
    script.write_text(SLEEPY)
    holdy = tmp_path / "holdy.py"
    holdy.write_text(HOLDY)
    agents = (
        ("sleepy", script, {"SLEEP": "4"}),
        ("quick", script, {"SLEEP": "1"}),
        ("crashy", script, {"CRASH": "1"}),
        ("holdy", holdy, {"MARKS": str(tmp_path / "marks")}),
    )
    for name, path, env in agents:
        (conf / f"{name}.yaml").write_text(
            f"name: {name}\nkind: external\nstart: {sys.executable} {path}\n"
            f"env: {json.dumps(env)}\n"
        )
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "MLE_TRACK_DATA_DIR": str(data_root)}
    env.pop("MLFLOW_TRACKING_URI", None)
    return {
        "cwd": work,
        "env": env,
        "searchpath": f"hydra.searchpath=[file://{tmp_path / 'extra-conf'}]",
        "marks": tmp_path / "marks",
    }


def mle(
    world: dict[str, object], *args: str, check: bool = True, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [MLE, *args],
        cwd=world["cwd"],
        env=world["env"],
        capture_output=True,
        text=True,
        timeout=timeout,  # type: ignore[arg-type]
    )
    if check and done.returncode != 0:
        raise AssertionError(f"mle-track {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def client(world: dict[str, object]):  # type: ignore[no-untyped-def]
    from mle_track.tracking.store import client_for, local_store

    return client_for(local_store(Path(str(world["cwd"])) / "mlruns"))


def runs(world: dict[str, object], experiment: str, extra: str = "") -> list:  # type: ignore[type-arg]
    c = client(world)
    exp = c.get_experiment_by_name(experiment)
    assert exp is not None, f"no experiment {experiment}"
    return list(c.search_runs([exp.experiment_id], extra, max_results=1000))


def test_single_run_logs_params_metrics_tags_artifacts_and_dataset(
    world: dict[str, object],
) -> None:
    mle(world, "run", "agent=dummy", "competition=toy-a", "compute=demo")
    (run,) = runs(world, "mle-track")
    assert run.info.status == "FINISHED"
    metrics, params, tags = run.data.metrics, run.data.params, run.data.tags
    assert metrics["valid_submission"] == 1.0 and metrics["score"] == 0.5
    assert metrics["any_medal"] == 0.0 and "gold_threshold" in metrics and "runtime_s" in metrics
    assert metrics["normalized_score"] == 0.0
    assert params["agent.name"] == "dummy" and params["competition"] == "toy-a"
    assert params["compute.time_limit_s"] == "75.0"  # conf/compute/demo.yaml
    for key in (
        "config_hash",
        "competition_id",
        "competition_version",
        "agent",
        "model",
        "compute",
        "seed",
        "mle_track.version",
        "git_sha",
        "attempt_key",
    ):
        assert tags.get(key), key
    assert tags["attempt_status"] == "completed"
    # the isolation the sandbox gave, as planned (and so in the configuration hash)
    assert tags["sandbox.isolation"] in ("namespaces", "none")
    assert params["sandbox.isolation"] == tags["sandbox.isolation"]
    artifacts = {a.path for a in client(world).list_artifacts(run.info.run_id)}
    assert {
        "submission",
        "grading_report.json",
        "run.log",
        "resolved_config.yaml",
        "logs",
        "code",
    } <= artifacts
    assert run.inputs.dataset_inputs and run.inputs.dataset_inputs[0].dataset.name == "toy-a"
    # the same attempt again is skipped, not duplicated
    again = mle(world, "run", "agent=dummy", "competition=toy-a", "compute=demo")
    assert "skip dummy on toy-a" in again.stdout + again.stderr
    assert len(runs(world, "mle-track")) == 1


@pytest.mark.parametrize("launcher", ["basic", "joblib"])
def test_sweep_has_a_parent_run_with_aggregates(world: dict[str, object], launcher: str) -> None:
    extra = ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"] if launcher == "joblib" else []
    done = mle(
        world,
        "run",
        "-m",
        "agent=dummy",
        "competition=toy-a,toy-b,toy-c",
        "seed=0,1",
        "tracking.experiment=sweep",
        "compute=demo",
        *extra,
    )
    assert "Agent configuration" in done.stdout  # the leaderboard is printed at the end
    all_runs = runs(world, "sweep")
    parents = [r for r in all_runs if r.data.tags.get("sweep") == "true"]
    children = [r for r in all_runs if r.data.tags.get("attempt_key")]
    assert len(parents) == 1 and len(children) == 6
    parent = parents[0]
    assert parent.info.status == "FINISHED"
    assert {c.data.tags["mlflow.parentRunId"] for c in children} == {parent.info.run_id}
    metrics = parent.data.metrics
    assert metrics["attempts"] == 6.0 and metrics["failed_attempts"] == 0.0
    keys = [k for k in metrics if k.endswith(".low.any_medal_pct_mean")]
    assert keys and metrics[keys[0]] == 0.0
    valid = {k: v for k, v in metrics.items() if k.endswith("valid_submission_pct_mean")}
    assert any(
        k.endswith(".all.valid_submission_pct_mean") and v == 100.0 for k, v in valid.items()
    ), (
        valid,
        {c.info.run_id: (c.info.status, c.data.tags.get("attempt_status")) for c in children},
    )
    assert any(k.endswith(".medium.pass_at_2_pct") for k in metrics)
    artifacts = {a.path for a in client(world).list_artifacts(parent.info.run_id)}
    assert "leaderboard.md" in artifacts


def test_suite_expands_into_competitions(world: dict[str, object], competitions_root: Path) -> None:
    (competitions_root / "suites.yaml").write_text("suites:\n  toys: [toy-a, toy-b]\n")
    mle(world, "run", "agent=dummy", "suite=toys", "compute=demo")
    children = [r for r in runs(world, "toys") if r.data.tags.get("attempt_key")]
    assert sorted(r.data.params["competition"] for r in children) == ["toy-a", "toy-b"]
    assert {r.data.params["suite"] for r in children} == {"toys"}


def pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] not in "ZX"


def wait_for(condition, what: str, timeout_s: float = 180):  # type: ignore[no-untyped-def]
    """Poll until ``condition()`` is truthy (a bounded wait on a state, never a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_resume_after_a_killed_sweep_redoes_only_what_did_not_finish(
    world: dict[str, object],
) -> None:
    args = [
        "run",
        "-m",
        "agent=holdy",
        "competition=toy-a,toy-b,toy-c",
        "seed=0,1",
        "tracking.experiment=resume",
        "compute=demo",
        UNISOLATED,
        str(world["searchpath"]),
    ]
    proc = subprocess.Popen(
        [MLE, *args],
        cwd=world["cwd"],
        env=world["env"],  # type: ignore[arg-type]
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    marks = Path(str(world["marks"]))

    def mid_attempt() -> bool:
        """Two attempts finished and the third is held, its run RUNNING in the store."""
        if not marks.is_dir() or len(list(marks.iterdir())) < 3:
            return False
        attempts = [r for r in runs(world, "resume") if r.data.tags.get("attempt_key")]
        statuses = [r.info.status for r in attempts]
        return statuses.count("FINISHED") == 2 and statuses.count("RUNNING") == 1

    try:
        wait_for(mid_attempt, "the sweep to hold its third attempt")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # the agent dies with the harness that ran it: nothing of it outlives the sweep
    agent_pids = [int(m.read_text()) for m in marks.iterdir()]
    wait_for(lambda: not any(pid_alive(p) for p in agent_pids), "the held agent to end", 30)
    before = runs(world, "resume")
    finished_before = [
        r for r in before if r.data.tags.get("attempt_key") and r.info.status == "FINISHED"
    ]
    (interrupted_run,) = [
        r for r in before if r.info.status == "RUNNING" and r.data.tags.get("attempt_key")
    ]
    (old_parent,) = [r for r in before if r.data.tags.get("sweep") == "true"]
    assert old_parent.info.status == "RUNNING"
    abandoned = Path(interrupted_run.data.tags["run_dir"])
    assert (abandoned / "home").is_dir(), "the killed attempt left its world behind"

    (marks.parent / "release").write_text("go")
    mle(world, *args)
    after = [r for r in runs(world, "resume") if r.data.tags.get("attempt_key")]
    finished = [r for r in after if r.info.status == "FINISHED"]
    keys = [r.data.tags["attempt_key"] for r in finished]
    assert len(finished) == 6 and len(set(keys)) == 6, "every attempt finished exactly once"
    assert {r.info.run_id for r in finished_before} <= {r.info.run_id for r in finished}
    interrupted = [r for r in after if r.data.tags.get("attempt_status") == "interrupted"]
    assert [r.info.run_id for r in interrupted] == [interrupted_run.info.run_id]
    assert interrupted[0].info.status == "FAILED"
    parents = [r for r in runs(world, "resume") if r.data.tags.get("sweep") == "true"]
    latest = max(parents, key=lambda r: r.info.start_time)
    assert latest.info.status == "FINISHED" and latest.data.metrics["attempts"] == 6.0
    old = next(r for r in parents if r.info.run_id == old_parent.info.run_id)
    assert old.info.status == "KILLED", "the killed sweep's parent is closed, not left RUNNING"
    assert not (abandoned / "home").exists(), "the abandoned world is cleaned up"
    record = json.loads((abandoned / "attempt.json").read_text())
    assert record["status"] == "interrupted" and record["synced"] is True


def test_two_identical_sweeps_at_once_run_each_attempt_once(world: dict[str, object]) -> None:
    """Started together into a fresh store: one store, no lost parent, no duplicate attempt."""
    args = [
        MLE, "run", "-m", "agent=quick", "competition=toy-a,toy-b,toy-c", "seed=0,1",
        "tracking.experiment=twice", "compute=demo", UNISOLATED, str(world["searchpath"]),
    ]  # fmt: skip
    procs = [
        subprocess.Popen(
            args,
            cwd=world["cwd"],
            env=world["env"],  # type: ignore[arg-type]
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    for proc, output in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, output
    all_runs = runs(world, "twice")
    attempts = [r for r in all_runs if r.data.tags.get("attempt_key")]
    keys = [r.data.tags["attempt_key"] for r in attempts]
    assert len(attempts) == 6 and len(set(keys)) == 6, (
        "each attempt ran exactly once",
        [(r.data.tags["attempt_key"], r.info.status) for r in attempts],
    )
    assert all(r.info.status == "FINISHED" for r in attempts)
    parents = [r for r in all_runs if r.data.tags.get("sweep") == "true"]
    assert len(parents) == 2 and all(p.info.status == "FINISHED" for p in parents)
    for parent in parents:  # each sweep's aggregates cover every attempt, wherever it ran
        metrics = parent.data.metrics
        assert metrics["attempts"] == 6.0 and metrics["failed_attempts"] == 0.0, metrics
        assert [v for k, v in metrics.items() if k.endswith(".all.valid_submission_pct_mean")] == [
            100.0
        ], metrics
    assert "claimed" in "".join(outputs) or "running in another live process" in "".join(outputs)
    board = mle(world, "report", "--experiment", "twice", "--format", "csv").stdout
    header, row = board.strip().splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=False))
    assert cells.get("seeds") == "2", cells
    assert cells["valid %"].startswith("100.0"), cells


def test_user_errors_are_one_line_and_fail_the_run(world: dict[str, object]) -> None:
    for args, message in (
        (["competition=toy-zzz"], "unknown competition 'toy-zzz'"),
        ([], "competition=ID or suite=NAME"),
    ):
        done = mle(world, "run", "agent=dummy", "compute=demo", *args, check=False)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert message in output and "1 of 1 attempt(s) could not run" in output
        assert "Traceback" not in output and "Error executing job" not in output, output
    done = mle(
        world, "run", "-m", "agent=dummy", "competition=toy-a,toy-zzz",
        "tracking.experiment=typos", "compute=demo", check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "1 of 2 attempt(s) could not run" in output, output
    assert "Traceback" not in output
    (parent,) = [r for r in runs(world, "typos") if r.data.tags.get("sweep") == "true"]
    assert parent.info.status == "FINISHED"
    assert parent.data.metrics["failed_attempts"] == 1.0


def test_failed_attempts_are_runs_and_the_parent_still_finishes(world: dict[str, object]) -> None:
    mle(
        world,
        "run",
        "-m",
        "agent=crashy,dummy",
        "competition=toy-a",
        "tracking.experiment=faults",
        "compute=demo",
        UNISOLATED,
        str(world["searchpath"]),
    )
    unprepared = mle(
        world,
        "run",
        "agent=dummy",
        "competition=toy-b",
        "tracking.experiment=faults",
        "compute=demo",
        "data_dir=/nonexistent",
        "prepare=false",
        check=False,
    )
    assert unprepared.returncode == 1, "a harness error fails the run"
    assert "1 of 1 attempt(s) could not run" in unprepared.stderr
    all_runs = runs(world, "faults")
    by_agent = {
        (r.data.tags.get("agent"), r.data.params.get("competition")): r
        for r in all_runs
        if r.data.tags.get("attempt_key")
    }
    crashed = by_agent[("crashy", "toy-a")]
    assert crashed.info.status == "FINISHED" and crashed.data.tags["attempt_status"] == "failed"
    assert (
        crashed.data.metrics["valid_submission"] == 0.0
        and crashed.data.metrics["submission_exists"] == 0.0
    )
    assert "exit" in crashed.data.tags["attempt_reason"].lower()
    assert "run.log" in {a.path for a in client(world).list_artifacts(crashed.info.run_id)}
    harness = by_agent[("dummy", "toy-b")]
    assert harness.info.status == "FAILED" and "not prepared" in harness.data.tags["attempt_reason"]
    parent = next(r for r in all_runs if r.data.tags.get("sweep") == "true")
    assert parent.info.status == "FINISHED"


def test_report_formats_plots_and_champion_registration(world: dict[str, object]) -> None:
    mle(
        world,
        "run",
        "-m",
        "agent=dummy,crashy",
        "competition=toy-a,toy-b",
        "tracking.experiment=board",
        "compute=demo",
        UNISOLATED,
        str(world["searchpath"]),
    )
    for fmt in ("table", "markdown", "csv", "html"):
        done = mle(world, "report", "--experiment", "board", "--format", fmt)
        assert "dummy" in done.stdout and "crashy" in done.stdout
    csv_text = mle(world, "report", "--experiment", "board", "--format", "csv").stdout
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("Agent configuration,Low (Lite) %") and len(rows) == 2
    assert rows[0].startswith("dummy"), "ties on medals and score: the valid rate decides"
    html = mle(world, "report", "--experiment", "board", "--format", "html").stdout
    assert html.startswith("<table>")
    reports = Path(str(world["cwd"])) / "reports"
    assert len(list(reports.glob("*/medal_rates.png"))) >= 1 and list(
        reports.glob("*/score_vs_time.png")
    )
    assert header.endswith(",isolation") and rows[0].endswith(",none"), "shown per configuration"
    refused = mle(world, "register", "--experiment", "board", "--name", "agents", check=False)
    assert refused.returncode == 2 and "--allow-unisolated" in refused.stderr
    assert "Traceback" not in refused.stderr
    allow = "--allow-unisolated"
    done = mle(world, "register", "--experiment", "board", "--name", "agents", allow)
    assert "version 1" in done.stdout and "dummy" in done.stdout
    c = client(world)
    version = c.get_model_version_by_alias("agents", "champion")
    assert str(version.version) == "1" and version.tags["config_hash"]
    assert version.tags["sandbox.isolation"] == "none"
    model = c.get_logged_model(version.tags["model_id"])
    assert model.params["agent.name"] == "dummy"
    again = mle(world, "register", "--experiment", "board", "--name", "agents", allow)
    assert "version 1" in again.stdout, "registering the same champion twice adds no version"


def test_ui_prints_the_url_for_the_store(world: dict[str, object]) -> None:
    done = mle(world, "ui", "--dry-run", "--port", "5123")
    assert "http://127.0.0.1:5123" in done.stdout and "sqlite:///" in done.stdout


def test_typo_in_config_fails_at_composition(world: dict[str, object]) -> None:
    done = mle(world, "run", "agent=dummy", "competition=toy-a", "compute.cpu=3", check=False)
    assert done.returncode != 0 and "cpu" in (done.stdout + done.stderr)
    done = mle(world, "run", "agent=dumy", "competition=toy-a", check=False)
    assert done.returncode != 0 and "dumy" in (done.stdout + done.stderr)

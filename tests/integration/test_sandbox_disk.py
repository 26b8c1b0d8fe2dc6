"""The disk budget in the local sandboxes: an agent that fills the disk is killed soon after it
passes its budget, the attempt fails saying so, the host keeps its disk and the next attempt
runs as if nothing had happened; in a session, the command that passes it ends the attempt.

Every case runs in ``local`` (bubblewrap, where it works here) and ``local-unisolated``. The
agent (``tests/fakes/agents/disk_filler.py``) prints its running total after each 1 MB file, so
``run.log`` tells how much it wrote before it was stopped."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.sandbox.base import AgentTask, AttemptResult, Limits
from mle_track.sandbox.layout import STAGE_POINTER
from mle_track.sandbox.local import LocalSandbox, UnisolatedLocalSandbox
from mle_track.sandbox.processes import marked_processes
from tests.conftest import MakeCompetition

AGENTS = Path(__file__).resolve().parents[1] / "fakes" / "agents"
COMPETITION = "disk-probe"
MB = 1 << 20
BUDGET_GB = 0.05
BUDGET = int(BUDGET_GB * (1 << 30))
#: how far past its budget an agent may get before it is stopped: what a fast disk takes in the
#: guard's reaction time (a few hundredths of a second, plus a walk and the kill) on a loaded
#: machine; an upper bound, not a guess
MARGIN = 256 * MB
#: how long past the moment it passes its budget an agent may live, on a loaded machine
SLACK_S = 30.0


@pytest.fixture
def public_dir(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i:03d}" for i in range(20)]
    make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "label": [1] * 20}),
        sample=pd.DataFrame({"id": ids, "label": [0.5] * 20}),
        target_columns=["label"],
    )
    paths = CompetitionPaths(data_root, COMPETITION)
    (paths.public / "description.md").write_text("# Probe\n")
    (paths.public / "train.csv").write_bytes(b"id,x\n" + b"a,1\n" * (2 * MB // 4))  # not counted
    return paths.public


@pytest.fixture(params=["local", "local-unisolated"])
def sandbox(request: pytest.FixtureRequest) -> LocalSandbox:
    return LocalSandbox() if request.param == "local" else UnisolatedLocalSandbox()


def _task(public_dir: Path, run_dir: Path, command: tuple[str, ...], **limits: float) -> AgentTask:
    return AgentTask(
        competition_id=COMPETITION,
        public_dir=public_dir,
        command=command,
        limits=Limits(**{"time_limit_s": 120.0, "cpus": 1, "disk_gb": BUDGET_GB, **limits}),  # type: ignore[arg-type]
        agent_dir=AGENTS,
        attempt_key=str(run_dir),
    )


def _written(result: AttemptResult) -> int:
    """The agent's last reported total."""
    totals = re.findall(rb"wrote (\d+) bytes", result.log_file.read_bytes())
    return int(totals[-1]) if totals else 0


def _copied_out(run_dir: Path) -> int:
    total = 0
    for name in ("submission", "logs", "code"):
        for folder, _, files in os.walk(run_dir / name):
            total += sum(os.lstat(os.path.join(folder, f)).st_size for f in files)
    return total


def _assert_nothing_left(run_dir: Path) -> None:
    assert not (run_dir / "home").exists(), "the world is removed"
    assert not (run_dir / STAGE_POINTER).exists(), "the staged world is removed"
    assert marked_processes(attempt_key=str(run_dir)) == [], "no process of it survives"


def test_an_agent_filling_the_disk_is_killed_at_its_budget(
    sandbox: LocalSandbox, public_dir: Path, tmp_path: Path
) -> None:
    run_dir = tmp_path / "filler"
    started = time.monotonic()
    result = sandbox.run(_task(public_dir, run_dir, (sys.executable, "disk_filler.py")), run_dir)
    took = time.monotonic() - started
    assert result.status == "failed", result.reason
    assert result.reason.startswith(f"the disk budget of {BUDGET_GB:g} GB was exceeded: ")
    assert "the attempt was killed" in result.reason and "MB" in result.reason
    assert not result.timed_out and took < SLACK_S, f"stopped after {took:.1f} s"
    written = _written(result)
    assert BUDGET - 10 * MB < written <= BUDGET + MARGIN, f"wrote {written / MB:.0f} MB"
    assert b"disk_filler: done" not in result.log_file.read_bytes()
    assert _copied_out(run_dir) <= BUDGET, "the outputs hold at most the budget"
    assert result.submission is not None, "the submission is kept first"
    _assert_nothing_left(run_dir)
    again = run_dir.parent / "good"
    good = sandbox.run(_task(public_dir, again, (sys.executable, "good.py")), again)
    assert good.status == "completed" and good.reason == "", good.reason


def test_an_agent_within_its_budget_is_not_stopped(
    sandbox: LocalSandbox, public_dir: Path, tmp_path: Path
) -> None:
    run_dir = tmp_path / "within"
    command = (sys.executable, "disk_filler.py", "12")
    result = sandbox.run(_task(public_dir, run_dir, command), run_dir)
    assert result.status == "completed" and result.reason == "", result.reason
    assert _written(result) == 12 * MB
    assert b"disk_filler: done" in result.log_file.read_bytes()
    written_out = _copied_out(run_dir)
    assert written_out >= 6 * MB, "the outputs (half of the files) were copied out"
    _assert_nothing_left(run_dir)


def test_a_session_ends_at_the_command_that_passes_the_budget(
    sandbox: LocalSandbox, public_dir: Path, tmp_path: Path
) -> None:
    run_dir = tmp_path / "session"
    session = sandbox.open_session(_task(public_dir, run_dir, ()), run_dir)
    with session:
        first = session.exec([session.python, "disk_filler.py", "10"], timeout_s=60)
        assert first.ok, first.output
        assert session.remaining_s() > 0 and not session.stopped
        started = time.monotonic()
        second = session.exec([session.python, "disk_filler.py"], timeout_s=600)
        assert time.monotonic() - started < SLACK_S
        assert second.timed_out and second.deadline_hit and second.exit_code is None
        assert "disk_filler: done" not in second.output
        assert session.remaining_s() == 0.0, "the attempt has no time left"
        third = session.exec([session.python, "-c", "print('late')"], timeout_s=60)
        assert third.deadline_hit and "late" not in third.output
        result = session.close("completed", "the host agent thinks it went well")
    assert result.status == "failed"
    assert result.reason.startswith(f"the disk budget of {BUDGET_GB:g} GB was exceeded: ")
    assert "the host agent's account: the host agent thinks it went well" in result.reason
    log = result.log_file.read_text(errors="replace")
    assert "stopped (the disk budget" in log and "not started: the disk budget" in log
    assert _copied_out(run_dir) <= BUDGET
    _assert_nothing_left(run_dir)


def test_a_process_that_outlives_its_command_is_stopped_between_commands(
    public_dir: Path, tmp_path: Path
) -> None:
    """Unisolated, a process can leave its command's group (isolated, its pid namespace dies
    with the command); the guard still measures, and kills it by the session's mark."""
    run_dir = tmp_path / "escape"
    sandbox = UnisolatedLocalSandbox()
    session = sandbox.open_session(_task(public_dir, run_dir, ()), run_dir)
    with session:
        spawn = (
            "import os, subprocess, sys\n"
            "subprocess.Popen([sys.executable, 'disk_filler.py'], start_new_session=True,\n"
            "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        )
        assert session.exec([session.python, "-c", spawn], timeout_s=60).ok
        deadline = time.monotonic() + SLACK_S
        while not session.stopped and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session.stopped.startswith("the disk budget of 0.05 GB was exceeded")
        result = session.close("completed", "")
    assert result.status == "failed" and result.reason.startswith("the disk budget")
    assert _copied_out(run_dir) <= BUDGET
    _assert_nothing_left(run_dir)

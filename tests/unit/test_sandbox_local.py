"""The local sandbox under faults: each misbehaving agent gets a clear status and reason, its logs
are kept, nothing of it survives, and the next attempt runs as if nothing had happened.

Every case runs in ``local`` (isolated with bubblewrap where it works here) and in
``local-unisolated``. The agents are delivered as the agent's own files (``/home/agent``), since
an isolated agent sees no host path; the pids an isolated agent records are those of its own pid
namespace, so what is left of it is looked for by its attempt's mark instead."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.errors import SandboxError
from mle_track.sandbox.base import AgentTask, AttemptResult, Limits
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.local import LocalSandbox, UnisolatedLocalSandbox
from mle_track.sandbox.processes import group_members, marked_processes
from tests.conftest import MakeCompetition

AGENTS = Path(__file__).resolve().parents[1] / "fakes" / "agents"
SECRET = "SECRET-ANSWER-7f3a"
COMPETITION = "sandbox-probe"
#: how much later than a limit a kill may land on a loaded machine; an upper bound, not a guess
SLACK_S = 30.0

RunAgent = Callable[..., AttemptResult]


def _cgroup_available() -> bool:
    cgroup = PidsCgroup.create(8, label="probe")
    if cgroup is None:
        return False
    cgroup.remove()
    return True


HAS_PIDS_CGROUP = _cgroup_available()


@pytest.fixture
def public_dir(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i:03d}" for i in range(20)]
    make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "label": [SECRET] * 20}),
        sample=pd.DataFrame({"id": ids, "label": [0.5] * 20}),
        target_columns=["label"],
    )
    paths = CompetitionPaths(data_root, COMPETITION)
    (paths.public / "description.md").write_text("# Probe\nPredict the label.\n")
    (paths.public / "train.csv").write_text("id,x,label\na,1,0\nb,2,1\n")
    return paths.public


@pytest.fixture(params=["local", "local-unisolated"])
def sandbox(request: pytest.FixtureRequest) -> LocalSandbox:
    return LocalSandbox() if request.param == "local" else UnisolatedLocalSandbox()


@pytest.fixture
def run_agent(public_dir: Path, tmp_path: Path, sandbox: LocalSandbox) -> RunAgent:
    counter = iter(range(1000))

    def run(script: str, *args: str, keep: bool = False, **limits: float) -> AttemptResult:
        run_dir = tmp_path / "runs" / f"attempt-{next(counter)}"
        task = AgentTask(
            competition_id=COMPETITION,
            public_dir=public_dir,
            command=(sys.executable, script, *args),
            limits=Limits(**{"time_limit_s": 20.0, "cpus": 1, **limits}),  # type: ignore[arg-type]
            seed=3,
            agent_dir=AGENTS,
            keep=keep,
            attempt_key=str(run_dir),  # finds what is left of it by its mark
        )
        return sandbox.run(task, run_dir)

    return run


def _left_of(result: AttemptResult) -> list[int]:
    """Live processes that still carry the attempt's mark."""
    return marked_processes(attempt_key=str(result.run_dir))


def _assert_next_run_unaffected(run_agent: RunAgent) -> None:
    result = run_agent("good.py")
    assert result.status == "completed", result.reason
    assert result.submission is not None
    assert "Submission is valid." in result.log_file.read_text()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_well_behaved_agent_sees_the_contract(run_agent: RunAgent, public_dir: Path) -> None:
    result = run_agent("good.py", memory_gb=4)
    assert result.status == "completed" and result.exit_code == 0, result.reason
    assert result.reason == ""
    assert result.submission is not None
    assert (result.code_dir / "solution.py").is_file()
    assert not (result.run_dir / "home").exists(), "the world is removed after the run"
    view = json.loads((result.logs_dir / "view.json").read_text())
    env = view["env"]
    assert env["COMPETITION_ID"] == COMPETITION
    assert env["SEED"] == "3" and env["TIME_LIMIT_SECS"] == "20"
    assert env["HARDWARE"] == "1 CPU(s), 4 GB memory, no GPU"
    assert env["OMP_NUM_THREADS"] == "1" and env["OPENBLAS_NUM_THREADS"] == "1"
    assert "STEP_LIMIT" not in env
    assert view["cpus"] == 1
    assert view["data"] == ["description.md", "sample_submission.csv", "train.csv"]
    assert view["validate_exit"] == 0
    assert view["cwd"] == env["AGENT_DIR"]
    home = "/home/" if result.isolation == "namespaces" else str(result.run_dir / "home")
    for name in ("DATA_DIR", "SUBMISSION_DIR", "LOGS_DIR", "CODE_DIR", "INSTRUCTIONS_FILE"):
        assert env[name].startswith(home), name


def test_crash_is_failed_with_the_exception(run_agent: RunAgent) -> None:
    result = run_agent("crash.py")
    assert result.status == "failed" and result.exit_code == 1
    assert "exit code 1" in result.reason
    assert "RuntimeError: boom" in result.reason
    assert "no submission" in result.reason
    assert (result.logs_dir / "agent.log").read_text() == "about to crash\n"
    assert "Traceback" in result.log_file.read_text()
    _assert_next_run_unaffected(run_agent)


def test_hang_is_killed_at_the_deadline(run_agent: RunAgent) -> None:
    result = run_agent("hang.py", time_limit_s=3)
    assert result.status == "timeout" and result.timed_out
    assert "wall-clock limit of 3 s" in result.reason
    # never before the limit; after it, only as long as killing takes (generous: a loaded CI)
    assert 3.0 <= result.wall_time_s < 3.0 + SLACK_S
    assert "agent hang: start" in result.log_file.read_text()
    assert (result.logs_dir / "agent.log").is_file()
    _assert_next_run_unaffected(run_agent)


def test_memory_hog_is_oom(run_agent: RunAgent) -> None:
    result = run_agent("memory_hog.py", memory_gb=0.5)
    assert result.status == "oom", result.reason
    assert "0.5 GB" in result.reason
    assert "MemoryError" in result.log_file.read_text()
    assert (result.logs_dir / "agent.log").is_file()
    _assert_next_run_unaffected(run_agent)


def test_missing_submission_is_reported(run_agent: RunAgent) -> None:
    result = run_agent("no_submission.py")
    assert result.status == "completed" and result.submission is None
    assert "no submission/submission.csv was written" in result.reason
    assert (result.logs_dir / "agent.log").is_file()


def test_huge_file_is_stopped_by_the_file_size_limit(run_agent: RunAgent) -> None:
    result = run_agent("huge_file.py", max_file_mb=4)
    assert result.status == "failed", result.reason
    assert "file-size limit (4 MB)" in result.reason
    assert (result.code_dir / "huge.bin").stat().st_size <= 4 << 20
    assert "survived" not in result.log_file.read_text()
    _assert_next_run_unaffected(run_agent)


def test_children_that_outlive_the_agent_are_killed(run_agent: RunAgent) -> None:
    result = run_agent("orphans.py")
    pids = [int(p) for p in (result.logs_dir / "pids.txt").read_text().split()]
    pids.append(int((result.logs_dir / "grandchild.pid").read_text()))
    assert result.status == "completed", result.reason
    assert _left_of(result) == []
    if result.isolation == "namespaces":  # pids of its own namespace, which is gone
        assert "killed 3 process(es)" in result.reason, "the pid namespace sees all three"
        _assert_next_run_unaffected(run_agent)
        return
    try:
        in_group = [pids[0], pids[2]]  # the plain child and the double-forked grandchild
        assert not [p for p in in_group if _alive(p)]
        if HAS_PIDS_CGROUP:  # only the cgroup sees the one that called setsid
            assert not _alive(pids[1])
            assert "killed 3 process(es)" in result.reason
    finally:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    _assert_next_run_unaffected(run_agent)


@pytest.mark.skipif(
    not HAS_PIDS_CGROUP and os.geteuid() == 0,
    reason="no writable pids cgroup, and RLIMIT_NPROC does not bind root",
)
def test_fork_bomb_is_bounded_and_cleaned_up(run_agent: RunAgent) -> None:
    started = time.monotonic()
    result = run_agent("fork_bomb.py", time_limit_s=2.0, pids_limit=64)
    assert time.monotonic() - started < 2.0 + SLACK_S, "the fork bomb was not stopped"
    assert result.status == "timeout", result.reason
    if HAS_PIDS_CGROUP:
        assert "the process limit (64) refused" in result.reason
    if result.isolation == "none":  # isolated, the group id is one of its own pid namespace
        group = int((result.logs_dir / "group.pid").read_text())
        assert group_members(group) == []
    assert _left_of(result) == []
    _assert_next_run_unaffected(run_agent)


def test_private_answers_are_out_of_reach(
    run_agent: RunAgent, public_dir: Path, data_root: Path
) -> None:
    private = CompetitionPaths(data_root, COMPETITION).private
    result = run_agent("snoop.py", SECRET, keep=True)
    assert result.status == "completed", result.reason
    report = json.loads((result.logs_dir / "snoop.json").read_text())
    assert report["reached"], "the agent could read its data"
    assert report["leaks"] == []
    assert report["links"] == [] or all("private" not in link for link in report["links"])
    private_inodes = {(p.stat().st_dev, p.stat().st_ino) for p in private.rglob("*")}
    for path in (result.run_dir / "home").rglob("*"):
        if path.is_symlink():
            assert not path.resolve().is_relative_to(private.resolve()), path
        elif path.is_file():
            assert (path.stat().st_dev, path.stat().st_ino) not in private_inodes, path
    assert SECRET not in result.log_file.read_text()


def test_prepared_folder_instead_of_public_is_refused(
    public_dir: Path, tmp_path: Path, sandbox: LocalSandbox
) -> None:
    task = AgentTask(COMPETITION, public_dir.parent, ("true",), Limits(time_limit_s=5))
    with pytest.raises(SandboxError, match="prepared"):
        sandbox.run(task, tmp_path / "run")


def test_secrets_are_redacted_from_the_log(
    public_dir: Path, tmp_path: Path, sandbox: LocalSandbox
) -> None:
    task = AgentTask(
        COMPETITION,
        public_dir,
        ("sh", "-c", 'echo "key is $API_KEY"'),
        Limits(time_limit_s=5),
        env={"API_KEY": "sk-very-secret-value"},
        secret_env=frozenset({"API_KEY"}),
    )
    result = sandbox.run(task, tmp_path / "run")
    assert result.log_file.read_text() == "key is ***\n"


def test_missing_command_is_an_error_not_a_crash(
    public_dir: Path, tmp_path: Path, sandbox: LocalSandbox
) -> None:
    task = AgentTask(COMPETITION, public_dir, ("/no/such/agent",), Limits(time_limit_s=5))
    result = sandbox.run(task, tmp_path / "run")
    assert result.status == "error" and "cannot start" in result.reason

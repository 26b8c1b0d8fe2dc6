"""Sandbox sessions (local and docker): one world, many commands with their own timeouts, all
under the attempt's deadline, outputs collected at the end. Docker cases skip without a daemon."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.sandbox.base import AgentTask, Limits, Sandbox
from mle_track.sandbox.docker import DockerSandbox
from mle_track.sandbox.local import LocalSandbox, UnisolatedLocalSandbox
from mle_track.sandbox.local_isolated import IsolatedSession
from mle_track.sandbox.local_session import LocalSession
from mle_track.sandbox.session import Session
from tests.conftest import MakeCompetition

COMPETITION = "session-probe"
SECRET = "SECRET-ANSWER-5e55"
OpenSession = Callable[..., Session]
#: how much later than a limit a kill may land on a loaded machine; an upper bound, not a guess
SLACK_S = 30.0
#: prints a process's state letter as the kernel reports it, or "gone"
_PROCESS_STATE = (
    "from pathlib import Path\n"
    "try:\n"
    "    print(Path('/proc/{pid}/stat').read_text().rpartition(')')[2].split()[0])\n"
    "except OSError:\n"
    "    print('gone')\n"
)


@pytest.fixture
def public_dir(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i}" for i in range(5)]
    make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "y": [SECRET] * 5}),
        sample=pd.DataFrame({"id": ids, "y": [0.5] * 5}),
        target_columns=["y"],
    )
    paths = CompetitionPaths(data_root, COMPETITION)
    (paths.public / "description.md").write_text("# Probe\n")
    return paths.public


def _sandbox(kind: str) -> tuple[Sandbox, str | None]:
    if kind == "local":
        return LocalSandbox(), None
    if kind == "local-unisolated":
        return UnisolatedLocalSandbox(), None
    from tests.integration.test_sandbox_docker import IMAGE, _docker_client

    client = _docker_client()  # skips without a daemon or image
    return DockerSandbox(client=client), IMAGE


@pytest.fixture(
    params=["local", "local-unisolated", pytest.param("docker", marks=pytest.mark.docker)]
)
def open_session(request: Any, public_dir: Path, tmp_path: Path) -> Iterator[OpenSession]:
    sandbox, image = _sandbox(request.param)
    opened: list[Session] = []

    def open_(time_limit_s: float = 60.0) -> Session:
        task = AgentTask(
            competition_id=COMPETITION,
            public_dir=public_dir,
            command=(),
            limits=Limits(time_limit_s=time_limit_s, cpus=1),
            image=image,
        )
        session = sandbox.open_session(task, tmp_path / f"run-{len(opened)}")
        opened.append(session)
        return session

    yield open_
    for session in opened:
        session.close("error", "test cleanup")


def _name(sandbox: Sandbox) -> str:
    return sandbox.name


def _py(session: Session, code: str, timeout_s: float = 30.0) -> Any:
    return session.exec([session.python, "-c", code], timeout_s=timeout_s)


def test_commands_run_in_the_world_and_outputs_are_collected(open_session: OpenSession) -> None:
    session = open_session()
    paths = session.paths
    work = paths.agent / "work"
    session.makedirs(work)
    script = "import os, pathlib\nprint('data', sorted(os.listdir(os.environ['DATA_DIR'])))\n"
    session.write_file(work / "probe.py", script.encode())
    result = session.exec([session.python, "probe.py"], timeout_s=30, cwd=work)
    assert result.ok, result.output
    assert "description.md" in result.output and "sample_submission.csv" in result.output
    # data is read-only, outputs are writable, private answers are nowhere in the world
    check = _py(
        session,
        "import os, pathlib, shutil\n"
        "d = os.environ['DATA_DIR']\n"
        "print('data_writable', os.access(d, os.W_OK))\n"
        "shutil.copy(os.path.join(d, 'sample_submission.csv'), "
        "os.path.join(os.environ['SUBMISSION_DIR'], 'submission.csv'))\n"
        "pathlib.Path(os.environ['CODE_DIR'], 'solution.py').write_text('print(1)')\n",
    )
    assert check.ok, check.output
    # unisolated root ignores the data folder's modes; isolated, it is a read-only mount
    if not isinstance(session, LocalSession) or session.isolation != "none" or os.getuid() != 0:
        assert "data_writable False" in check.output
    assert session.read_file(work / "probe.py") == script.encode()
    assert session.read_file(work / "missing.txt") is None
    failing = _py(session, "import sys; print('boom'); sys.exit(3)")
    assert failing.exit_code == 3 and not failing.timed_out and "boom" in failing.output
    attempt = session.close("completed", "done")
    assert attempt.status == "completed" and attempt.reason == "done"
    assert attempt.submission is not None
    assert (attempt.code_dir / "solution.py").read_text() == "print(1)"
    log = attempt.log_file.read_text()
    assert "probe.py" in log and "boom" in log and "exit code 3" in log
    assert SECRET not in log
    assert session.close() is attempt, "closing twice returns the first result"
    with pytest.raises(RuntimeError):
        _py(session, "print(1)")


def test_timeout_kills_the_command_and_what_it_started(open_session: OpenSession) -> None:
    session = open_session()
    child = session.paths.agent / "child.py"
    pid_file = session.paths.agent / "child.pid"
    session.write_file(child, b"import time\ntime.sleep(600)\n")
    code = (
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, {str(child)!r}])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "print('started', flush=True)\n"
        "time.sleep(600)\n"
    )
    start = time.monotonic()
    result = _py(session, code, timeout_s=5.0)
    assert result.timed_out and not result.deadline_hit and result.exit_code is None
    assert "started" in result.output
    assert time.monotonic() - start < 5.0 + SLACK_S
    pid = int(session.read_file(pid_file) or b"0")
    state = _py(session, _PROCESS_STATE.format(pid=pid))
    assert state.ok and state.output.split() in (["gone"], ["Z"]), "the background child was killed"
    assert _py(session, "print('next')").ok, "the session goes on after a timeout"


def test_the_attempt_deadline_bounds_every_command(open_session: OpenSession) -> None:
    session = open_session(time_limit_s=2.5)
    result = _py(session, "import time; time.sleep(60)", timeout_s=600)
    assert result.timed_out and result.deadline_hit
    assert session.remaining_s() == 0.0, "the command was killed at the deadline, not before"
    late = _py(session, "print('too late')")
    assert late.timed_out and late.deadline_hit and late.wall_time_s == 0.0
    assert session.close("timeout", "over").status == "timeout"


@pytest.mark.parametrize("sandbox", [LocalSandbox(), UnisolatedLocalSandbox()], ids=_name)
def test_local_session_refuses_paths_outside_the_world(
    public_dir: Path, tmp_path: Path, sandbox: LocalSandbox
) -> None:
    task = AgentTask(COMPETITION, public_dir, (), Limits(time_limit_s=30))
    with sandbox.open_session(task, tmp_path / "run") as session:
        with pytest.raises(ValueError):  # beside the world's home: the run directory, or /
            session.write_file(session.paths.home.parent / "outside.txt", b"x")
        link_path = session.paths.agent / "link.txt"
        if isinstance(session, IsolatedSession):  # the world's paths are not the host's
            link = session.host_path(link_path)
            assert session.python == "/opt/mle-track/env/bin/python"
            with pytest.raises(ValueError, match="read-only"):
                session.write_file(session.paths.data / "train.csv", b"x")
        else:
            link = Path(link_path)
            assert sys.executable == session.python
        link.symlink_to(public_dir.parent / "private" / "test.csv")
        assert session.read_file(link_path) is None
    assert session.closed

"""A sandbox dies with its harness, and what a dead harness left can be ended by attempt key.

Each test starts a real harness process (``python -c``) that runs one attempt, waits until the
agent provably runs (it writes its pid to a file, atomically), SIGKILLs the harness and then
polls, with a generous bound, until the agent's processes (local) or its container (docker) are
gone. The agents would write a "late" marker a minute after starting: once their processes are
gone it can never appear. Docker cases skip, saying why, without a daemon or the test image.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.docker import DockerSandbox
from mle_track.sandbox.docker_api import ATTEMPT_LABEL
from mle_track.sandbox.local import LocalSandbox
from mle_track.sandbox.processes import alive
from mle_track.sandbox.registry import end_orphans, remove_world
from tests.conftest import MakeCompetition

COMPETITION = "parent-death-probe"
REPO = Path(__file__).resolve().parents[2]
#: the longest any step here may take on a loaded machine; only ever waited for in full on failure
BOUND_S = 60.0
#: the agents write their late marker this long after starting (far beyond BOUND_S's needs)
LATE_AFTER_S = 90

#: a local agent: starts a helper that escapes its process group with setsid, records both
#: pids, then sleeps and writes a late marker per process
AGENT = f"""
import os, subprocess, sys, time
from pathlib import Path
markers, role = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "agent")
if role == "agent":
    subprocess.Popen([sys.executable, __file__, str(markers), "escaped"], start_new_session=True)
part = markers / f".{{role}}.pid"
part.write_text(str(os.getpid()))
part.rename(markers / f"{{role}}.pid")
time.sleep({LATE_AFTER_S})
(markers / f"{{role}}.late").write_text("still running after its harness died")
"""

#: the harness: one attempt, as the pipeline runs it; with a watchdog file it records the
#: session's watchdog pid first, so that a test can kill the watchdog too
HARNESS = """
import json, os, sys, time
from pathlib import Path
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.local import UnisolatedLocalSandbox
from mle_track.sandbox.registry import make_sandbox
spec = json.loads(sys.argv[1])
task = AgentTask(
    competition_id=spec["competition"],
    public_dir=Path(spec["public"]),
    command=tuple(spec["command"]),
    limits=Limits(time_limit_s=600, cpus=1),
    image=spec["image"],
    attempt_key=spec["attempt_key"],
)
if spec["use_cgroup"]:
    sandbox = make_sandbox(spec["sandbox"])
else:
    sandbox = UnisolatedLocalSandbox(use_cgroup=False)
if not spec["watchdog_file"] and not spec["fork_file"]:
    sandbox.run(task, Path(spec["run_dir"]))
    sys.exit(0)
with sandbox.open_session(task, Path(spec["run_dir"])) as session:  # what run() does, opened up
    if spec["watchdog_file"]:
        Path(spec["watchdog_file"]).write_text(str(session.watchdog.pid))
    if spec["fork_file"]:  # a plain fork (multiprocessing's default) inherits every descriptor
        copy = os.fork()
        if copy == 0:
            time.sleep(600)
            os._exit(0)
        Path(spec["fork_file"]).write_text(str(copy))
    session.run_task()
"""


@pytest.fixture
def public_dir(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i}" for i in range(5)]
    make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "y": [1] * 5}),
        sample=pd.DataFrame({"id": ids, "y": [0.5] * 5}),
        target_columns=["y"],
    )
    paths = CompetitionPaths(data_root, COMPETITION)
    (paths.public / "description.md").write_text("# Probe\n")
    return paths.public


class Harness:
    """A harness process running one attempt, and what the test knows about it."""

    def __init__(
        self,
        tmp_path: Path,
        public_dir: Path,
        *,
        sandbox: str,
        command: list[str],
        image: str | None = None,
        record_watchdog: bool = False,
        fork_copy: bool = False,
        use_cgroup: bool = True,
    ) -> None:
        self.attempt_key = f"test-attempt/{uuid.uuid4().hex}"
        self.run_dir = tmp_path / "run"
        self.watchdog_file = tmp_path / "watchdog.pid"
        self.fork_file = tmp_path / "fork.pid"
        spec = {
            "competition": COMPETITION,
            "public": str(public_dir),
            "command": command,
            "image": image,
            "attempt_key": self.attempt_key,
            "sandbox": sandbox,
            "run_dir": str(self.run_dir),
            "watchdog_file": str(self.watchdog_file) if record_watchdog else "",
            "fork_file": str(self.fork_file) if fork_copy else "",
            "use_cgroup": use_cgroup,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", HARNESS, json.dumps(spec)], cwd=REPO, stdin=subprocess.DEVNULL
        )

    def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        """Poll until ``ready()``; fail at once if the harness exited instead."""
        deadline = time.monotonic() + BOUND_S
        while not ready():
            assert self.process.poll() is None, f"the harness exited early waiting for {what}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.05)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def watchdog_pid(self) -> int:
        self.wait_for(self.watchdog_file.is_file, "the watchdog's pid")
        return int(self.watchdog_file.read_text())


def _eventually(condition: Callable[[], bool], message: str) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def _kill_and_confirm(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    _eventually(lambda: not alive(pid), f"process {pid} survived SIGKILL")


# -- local -------------------------------------------------------------------------------------
# These agents record host pids and write markers into a host folder, so they run unisolated
# (the watchdog and end_orphans are the same machinery either way); the isolated sandbox's
# death with its harness is tested in test_sandbox_bwrap.py.


@pytest.fixture
def local_harness(public_dir: Path, tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    started: list[Harness] = []
    markers = tmp_path / "markers"
    markers.mkdir()
    agent = tmp_path / "agent.py"
    agent.write_text(AGENT)

    def start(
        *, use_cgroup: bool, record_watchdog: bool = False, fork_copy: bool = False
    ) -> Harness:
        command = [sys.executable, str(agent), str(markers)]
        harness = Harness(
            tmp_path,
            public_dir,
            sandbox="local-unisolated",
            command=command,
            record_watchdog=record_watchdog,
            fork_copy=fork_copy,
            use_cgroup=use_cgroup,
        )
        started.append(harness)
        return harness

    yield start
    for harness in started:
        harness.kill()
        with contextlib.suppress(Exception):  # never leave a test's agent behind
            os.kill(int(harness.fork_file.read_text()), signal.SIGKILL)
        with contextlib.suppress(Exception):
            LocalSandbox().end_orphans(harness.attempt_key)


def _agent_pids(harness: Harness) -> list[int]:
    markers = harness.run_dir.parent / "markers"
    files = [markers / "agent.pid", markers / "escaped.pid"]
    harness.wait_for(lambda: all(f.is_file() for f in files), "the agent and its helper")
    return [int(f.read_text()) for f in files]


#: with a pids cgroup where this machine offers one, and without: then the process group and
#: the environment mark must find the setsid helper on their own
CGROUP_OR_NOT = pytest.mark.parametrize("use_cgroup", [True, False], ids=["cgroup", "no-cgroup"])


@CGROUP_OR_NOT
def test_local_agent_dies_with_its_harness(
    local_harness: Callable[..., Harness], use_cgroup: bool
) -> None:
    harness = local_harness(use_cgroup=use_cgroup)
    pids = _agent_pids(harness)
    assert all(alive(pid) for pid in pids)
    harness.kill()  # SIGKILL: no Python clean-up, no finally blocks
    _eventually(
        lambda: not any(alive(pid) for pid in pids),
        "the agent (or its setsid helper) outlived its SIGKILLed harness",
    )
    assert not list((harness.run_dir.parent / "markers").glob("*.late"))
    _eventually(
        lambda: PidsCgroup.of_attempt(harness.attempt_key) == [],
        "the watchdog left the attempt's cgroup behind",
    )
    assert LocalSandbox().end_orphans(harness.attempt_key) == 0, "nothing was left to end"
    assert (harness.run_dir / "home" / "data").is_dir(), "a killed attempt leaves its world"
    assert remove_world(harness.run_dir)
    assert not (harness.run_dir / "home").exists()
    assert not remove_world(harness.run_dir)


@CGROUP_OR_NOT
def test_end_orphans_ends_what_a_dead_harness_left(
    local_harness: Callable[..., Harness], use_cgroup: bool
) -> None:
    harness = local_harness(use_cgroup=use_cgroup, record_watchdog=True)
    pids = _agent_pids(harness)
    _kill_and_confirm(harness.watchdog_pid())  # as if the watchdog had been killed too
    harness.kill()
    assert all(alive(pid) for pid in pids), "with no watchdog, nothing ends them by itself"
    assert end_orphans("local", "some-other-attempt") == 0
    assert end_orphans("local", harness.attempt_key) == 2
    assert not any(alive(pid) for pid in pids)
    assert PidsCgroup.of_attempt(harness.attempt_key) == []
    assert end_orphans("local", harness.attempt_key) == 0
    assert not list((harness.run_dir.parent / "markers").glob("*.late"))


def test_a_forked_copy_of_the_harness_does_not_keep_the_agent_alive(
    local_harness: Callable[..., Harness],
) -> None:
    harness = local_harness(use_cgroup=True, fork_copy=True)
    pids = _agent_pids(harness)
    harness.wait_for(harness.fork_file.is_file, "the harness's forked copy")
    copy = int(harness.fork_file.read_text())
    harness.kill()
    assert alive(copy), "the copy still holds the watchdog's pipe open"
    _eventually(
        lambda: not any(alive(pid) for pid in pids),
        "the agent outlived its harness while a forked copy of the harness lived on",
    )
    assert not list((harness.run_dir.parent / "markers").glob("*.late"))


def test_the_watchdog_leaves_quietly_when_a_session_closes(
    public_dir: Path, tmp_path: Path
) -> None:
    task = AgentTask(COMPETITION, public_dir, (), Limits(time_limit_s=60), attempt_key="quiet")
    with LocalSandbox().open_session(task, tmp_path / "run") as session:
        watchdog = session.watchdog.process
        assert watchdog.poll() is None, "the watchdog runs while the session is open"
        assert session.exec(["true"], timeout_s=30).ok
        assert session.close().status == "completed"
    assert watchdog.returncode == 0, "dismissed, it exits by itself, killing nothing"


# -- docker ------------------------------------------------------------------------------------


@pytest.fixture
def docker_client() -> Any:
    from tests.integration.test_sandbox_docker import _docker_client

    return _docker_client()  # skips without a daemon or the test image


def _attempt_containers(client: Any, attempt_key: str, *, running: bool) -> list[Any]:
    label = f"{ATTEMPT_LABEL}={attempt_key}"
    return list(
        client.containers.list(all=not running, filters={"label": label}, ignore_removed=True)
    )


@pytest.fixture
def docker_harness(
    docker_client: Any, public_dir: Path, tmp_path: Path
) -> Iterator[Callable[..., Harness]]:
    from tests.integration.test_sandbox_docker import IMAGE

    started: list[Harness] = []
    sleeper = f"print('agent started', flush=True); import time; time.sleep({LATE_AFTER_S})"

    def start(record_watchdog: bool = False) -> Harness:
        harness = Harness(
            tmp_path,
            public_dir,
            sandbox="docker",
            command=["python", "-c", sleeper],
            image=IMAGE,
            record_watchdog=record_watchdog,
        )
        started.append(harness)
        log = harness.run_dir / "run.log"
        harness.wait_for(
            lambda: log.is_file() and "agent started" in log.read_text(), "the agent's start"
        )
        return harness

    yield start
    for harness in started:
        harness.kill()
        for container in _attempt_containers(docker_client, harness.attempt_key, running=False):
            with contextlib.suppress(Exception):  # its watchdog may be removing it right now
                container.remove(force=True)


@pytest.mark.docker
def test_docker_container_dies_with_its_harness(
    docker_harness: Callable[..., Harness], docker_client: Any
) -> None:
    harness = docker_harness()
    key = harness.attempt_key
    assert len(_attempt_containers(docker_client, key, running=True)) == 1
    harness.kill()
    _eventually(
        lambda: _attempt_containers(docker_client, key, running=False) == [],
        "the container outlived its SIGKILLed harness (or was not removed)",
    )
    assert DockerSandbox(client=docker_client).end_orphans(key) == 0


@pytest.mark.docker
def test_docker_end_orphans_ends_a_dead_harness_container(
    docker_harness: Callable[..., Harness], docker_client: Any
) -> None:
    harness = docker_harness(record_watchdog=True)
    key = harness.attempt_key
    _kill_and_confirm(harness.watchdog_pid())
    harness.kill()
    assert len(_attempt_containers(docker_client, key, running=True)) == 1, "nobody ended it"
    sandbox = DockerSandbox(client=docker_client)
    assert sandbox.end_orphans("some-other-attempt") == 0
    assert sandbox.end_orphans(key) == 1
    assert _attempt_containers(docker_client, key, running=False) == [], "it was removed"
    assert sandbox.end_orphans(key) == 0

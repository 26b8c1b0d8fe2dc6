"""The docker sandbox against a real daemon and the env image.

These tests skip, saying why, when no daemon answers or the test image is missing; in CI
``.ci/setup_docker.sh`` starts dockerd and builds the image from a registry-free base.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.errors import SandboxError
from mle_track.sandbox.base import AgentTask, AttemptResult, Limits
from mle_track.sandbox.docker import DockerSandbox
from mle_track.sandbox.docker_api import remove_container
from tests.conftest import MakeCompetition

pytestmark = pytest.mark.docker

IMAGE = os.environ.get("MLE_TRACK_TEST_IMAGE", "mle-track-env:latest")
AGENTS = Path(__file__).resolve().parents[1] / "fakes" / "agents"
COMPETITION = "docker-probe"
SECRET = "SECRET-ANSWER-d0c4"
#: how much later than a limit a kill may land on a loaded machine; an upper bound, not a guess
SLACK_S = 30.0

RunAgent = Callable[..., AttemptResult]


def _docker_client() -> Any:
    try:
        import docker

        client = docker.from_env()
        client.ping()
    except Exception as exc:
        pytest.skip(f"no reachable Docker daemon ({type(exc).__name__}: {exc})")
    try:
        client.images.get(IMAGE)
    except Exception:
        pytest.skip(
            f"test image {IMAGE} is missing: run .ci/setup_docker.sh or "
            "docker/build_env_image.sh --base <base image>"
        )
    return client


@pytest.fixture(scope="module")
def client() -> Any:
    return _docker_client()


@pytest.fixture
def public_dir(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i:03d}" for i in range(10)]
    make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "label": [SECRET] * 10}),
        sample=pd.DataFrame({"id": ids, "label": [0.5] * 10}),
        target_columns=["label"],
    )
    paths = CompetitionPaths(data_root, COMPETITION)
    (paths.public / "description.md").write_text("# Probe\n")
    return paths.public


@pytest.fixture
def run_agent(client: Any, public_dir: Path, tmp_path: Path) -> Iterator[RunAgent]:
    counter = iter(range(1000))

    def run(script: str, *args: str, keep: bool = False, **limits: float) -> AttemptResult:
        task = AgentTask(
            competition_id=COMPETITION,
            public_dir=public_dir,
            command=("python", f"/home/agent/{script}", *args),
            limits=Limits(**{"time_limit_s": 60.0, "cpus": 1, **limits}),  # type: ignore[arg-type]
            agent_dir=AGENTS,
            image=IMAGE,
            keep=keep,
        )
        return DockerSandbox(client=client).run(task, tmp_path / f"attempt-{next(counter)}")

    yield run
    for container in client.containers.list(
        all=True, filters={"label": "mle-track"}, ignore_removed=True
    ):
        if container.labels.get("mle-track.competition") == COMPETITION:
            remove_container(container)


def _containers(client: Any) -> list[Any]:
    return [
        c
        for c in client.containers.list(
            all=True, filters={"label": "mle-track"}, ignore_removed=True
        )
        if c.labels.get("mle-track.competition") == COMPETITION
    ]


def test_agent_runs_as_nonroot_with_read_only_data(run_agent: RunAgent, client: Any) -> None:
    result = run_agent("good.py", memory_gb=1)
    assert result.status == "completed", result.reason
    assert result.submission is not None
    assert (result.code_dir / "solution.py").read_text() == "print('hello')\n"
    assert "Submission is valid." in result.log_file.read_text()
    view = json.loads((result.logs_dir / "view.json").read_text())
    assert view["uid"] == 1000
    assert view["data_writable"] is False
    assert view["env"]["DATA_DIR"] == "/home/data"
    assert view["env"]["HARDWARE"] == "1 CPU(s), 1 GB memory, no GPU"
    assert view["data"] == ["description.md", "sample_submission.csv"]
    assert _containers(client) == [], "the container is removed afterwards"


def test_validation_server_answers_inside(run_agent: RunAgent) -> None:
    result = run_agent("http_validate.py")
    log = result.log_file.read_text()
    assert result.status == "completed", log
    assert "health: {'status': 'running'}" in log
    assert "validate: Submission is valid." in log


def test_limits_network_and_mounts(run_agent: RunAgent, client: Any, public_dir: Path) -> None:
    result = run_agent(
        "no_submission.py", keep=True, cpus=1.5, memory_gb=0.5, shm_size_gb=0.25, pids_limit=99
    )
    assert "kept" in result.reason
    (container,) = _containers(client)
    host = container.attrs["HostConfig"]
    assert host["NanoCpus"] == 1_500_000_000
    assert host["Memory"] == 512 << 20 and host["MemorySwap"] == 512 << 20
    assert host["ShmSize"] == 256 << 20
    assert host["PidsLimit"] == 99
    assert host["NetworkMode"] == "none"
    # the one host folder bound in is the public data, read-only, staged in a neutral folder
    # (binding public_dir itself would show the data root in /proc/self/mountinfo)
    mounts = container.attrs["Mounts"]
    binds = [m for m in mounts if m["Type"] == "bind"]
    assert [(m["Destination"], m["RW"]) for m in binds] == [("/home/data", False)]
    staged = Path(binds[0]["Source"])
    assert staged.name == "data" and staged.parent.name.startswith("mle-track-world-")
    assert str(public_dir.resolve().parents[2]) not in str(staged)
    assert sorted(p.name for p in staged.iterdir()) == sorted(p.name for p in public_dir.iterdir())
    # what must be writable under a read-only root: volumes (outputs survive the kill), tmpfs
    volumes = sorted((m["Destination"], m["RW"]) for m in mounts if m["Type"] == "volume")
    assert volumes == [("/home", True), ("/opt/mle-track", True)]
    assert sorted(host["Tmpfs"]) == ["/tmp", "/var/tmp"]
    assert host["ReadonlyRootfs"] is True and host["CapDrop"] == ["ALL"]
    remove_container(container)
    assert not staged.exists(), "the staged data goes with the container"


def test_timeout_kills_and_keeps_logs(run_agent: RunAgent, client: Any) -> None:
    result = run_agent("hang.py", time_limit_s=5)
    assert result.status == "timeout" and result.timed_out
    # never before the limit; after it, only as long as killing takes (generous: a loaded CI)
    assert 5.0 <= result.wall_time_s < 5.0 + SLACK_S
    assert (result.logs_dir / "agent.log").read_text() == "hanging\n"
    assert "agent hang: start" in result.log_file.read_text()
    assert _containers(client) == []


def test_oom_kill_is_reported(run_agent: RunAgent) -> None:
    result = run_agent("memory_hog.py", memory_gb=0.25)
    assert result.status == "oom", result.reason
    assert result.oom_killed and result.exit_code == 137
    assert (result.logs_dir / "agent.log").is_file()


def test_fork_bomb_is_bounded_by_pids_limit(run_agent: RunAgent) -> None:
    started = time.monotonic()
    result = run_agent("fork_bomb.py", time_limit_s=3, pids_limit=64)
    assert time.monotonic() - started < 3 + 60 + SLACK_S, "the fork bomb was not stopped"
    assert result.status == "timeout"
    follow_up = run_agent("good.py")
    assert follow_up.status == "completed", follow_up.reason


def test_children_left_running_are_killed_and_counted(run_agent: RunAgent) -> None:
    result = run_agent("orphans.py")
    assert result.status == "completed", result.reason
    assert "killed 3 process(es) the agent left running" in result.reason


def test_private_answers_are_not_in_the_container(run_agent: RunAgent) -> None:
    result = run_agent("snoop.py", SECRET)
    report = json.loads((result.logs_dir / "snoop.json").read_text())
    assert report["reached"] and report["leaks"] == [] and report["links"] == []


def test_missing_image_is_a_clear_error(client: Any, public_dir: Path, tmp_path: Path) -> None:
    task = AgentTask(
        COMPETITION,
        public_dir,
        ("true",),
        Limits(time_limit_s=5),
        image="mle-track-no-such-image:never",
    )
    with pytest.raises(SandboxError, match=r"mle-track-no-such-image:never.*build"):
        DockerSandbox(client=client).run(task, tmp_path / "run")

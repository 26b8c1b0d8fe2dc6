"""The docker sandbox's isolation promises, checked from inside a real container.

The agent has no capabilities (its bounding set is empty too, so nothing in the container can
gain one) and no new privileges; the root file system is read-only while its outputs, home and
scratch space are writable; no host path of the data root, the run directory, the project or the
user's home shows in its mount table or environment; a daemon that lacks the network or runtime
a task asks for is a one-line error before any container exists. Skips, saying why, without a
daemon or the test image (see ``test_sandbox_docker``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.errors import SandboxError
from mle_track.sandbox import docker as docker_module
from mle_track.sandbox import docker_disk, docker_world
from mle_track.sandbox.base import AgentTask, AttemptResult, Limits
from mle_track.sandbox.docker import DockerSandbox
from mle_track.sandbox.docker_api import STAGING_LABEL, remove_container
from tests.conftest import MakeCompetition
from tests.integration.test_sandbox_docker import IMAGE, _docker_client

pytestmark = pytest.mark.docker

COMPETITION = "docker-hardening"
PROJECT = Path(__file__).resolve().parents[2]
#: what the probe agent records about the world it was given
PROBE = r"""
import json, os, pathlib, subprocess, sys
status = dict(
    line.split(":", 1) for line in pathlib.Path("/proc/self/status").read_text().splitlines()
)
def writes(path):
    try:
        pathlib.Path(path).write_text("x")
        pathlib.Path(path).unlink()
        return "ok"
    except OSError as exc:
        return exc.strerror
targets = ["/usr/probe", "/etc/probe", "/probe", "/home/probe", "/opt/mle-track/probe",
           "/tmp/probe", "/var/tmp/probe", "/dev/shm/probe", os.environ["HOME"] + "/probe"]
targets += [os.environ[k] + "/probe" for k in ("SUBMISSION_DIR", "LOGS_DIR", "CODE_DIR",
                                              "AGENT_DIR")]
def runs(folder):
    script = pathlib.Path(folder, "probe.sh")
    script.write_text("#!/bin/sh\necho ran\n")
    script.chmod(0o755)
    try:
        return subprocess.run([str(script)], capture_output=True, text=True).stdout.strip()
    except OSError as exc:
        return exc.strerror
mine = pathlib.Path(os.environ["AGENT_DIR"], "from-image", "tool.txt")
report = {
    # a field the kernel does not show is None (gVisor's /proc has no CapAmb, no NoNewPrivs)
    "caps": {k: int(status[k].strip(), 16) if k in status else None
             for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")},
    "no_new_privs": int(status["NoNewPrivs"].strip()) if "NoNewPrivs" in status else None,
    "uid": os.getuid(),
    "home": os.environ["HOME"],
    "writes": {t: writes(t) for t in targets},
    "runs": {d: runs(d) for d in ("/tmp", "/var/tmp", os.environ["CODE_DIR"])},
    "image_file_writable": os.access(mine, os.W_OK) if mine.exists() else None,
    "mountinfo": pathlib.Path("/proc/self/mountinfo").read_text(),
    "init_mountinfo": pathlib.Path("/proc/1/mountinfo").read_text(),
    "environ": dict(os.environ),
    "cmdline": pathlib.Path("/proc/self/cmdline").read_text(),
}
pathlib.Path(os.environ["LOGS_DIR"], "probe.json").write_text(json.dumps(report))
pathlib.Path(os.environ["SUBMISSION_DIR"], "submission.csv").write_text("id,label\n")
print("probe done", flush=True)
"""

Probe = Callable[..., tuple[AttemptResult, dict[str, Any]]]


@pytest.fixture(scope="module")
def client() -> Any:
    return _docker_client()


@pytest.fixture
def public_dir(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"r{i}" for i in range(5)]
    make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "label": [1, 0, 1, 0, 1]}),
        sample=pd.DataFrame({"id": ids, "label": [0.5] * 5}),
        target_columns=["label"],
    )
    paths = CompetitionPaths(data_root, COMPETITION)
    (paths.public / "description.md").write_text("# Hardening\n")
    return paths.public


@pytest.fixture
def probe(client: Any, public_dir: Path, tmp_path: Path) -> Iterator[Probe]:
    agent = tmp_path / "agent"
    agent.mkdir()
    (agent / "probe.py").write_text(PROBE)
    counter = iter(range(100))

    def run(
        image: str = IMAGE, keep: bool = False, runtime: str | None = None
    ) -> tuple[AttemptResult, dict[str, Any]]:
        task = AgentTask(
            competition_id=COMPETITION,
            public_dir=public_dir,
            command=("python", "/home/agent/probe.py"),
            limits=Limits(time_limit_s=60.0, cpus=1),
            agent_dir=agent,
            image=image,
            keep=keep,
            runtime=runtime,
        )
        result = DockerSandbox(client=client).run(task, tmp_path / f"run-{next(counter)}")
        assert result.status == "completed", result.reason + result.log_file.read_text()
        return result, json.loads((result.logs_dir / "probe.json").read_text())

    yield run
    for container in _ours(client):
        remove_container(container)


def _ours(client: Any) -> list[Any]:
    found = client.containers.list(all=True, filters={"label": "mle-track"}, ignore_removed=True)
    return [c for c in found if c.labels.get("mle-track.competition") == COMPETITION]


def test_the_agent_has_no_capabilities_and_no_new_privileges(probe: Probe, client: Any) -> None:
    _, report = probe(keep=True)
    assert report["uid"] == 1000
    assert report["caps"] == dict.fromkeys(("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"), 0)
    assert report["no_new_privs"] == 1
    (container,) = _ours(client)
    host = container.attrs["HostConfig"]
    assert host["CapDrop"] == ["ALL"] and not host["CapAdd"] and not host["Privileged"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["ReadonlyRootfs"] is True
    # root in the container (the setup, the validator) has nothing either: the bounding set is
    # the container's, and it is empty
    container.start()
    init = container.exec_run(["sh", "-c", "grep -E '^Cap(Eff|Bnd)' /proc/1/status"], user="root")
    assert re.findall(r"Cap(?:Eff|Bnd):\s+(\w+)", init.output.decode()) == ["0" * 16] * 2
    touch = container.exec_run(["touch", "/usr/probe"], user="root")  # root cannot write it
    assert touch.exit_code != 0 and b"Read-only file system" in touch.output
    remove_container(container)


def test_the_root_file_system_is_read_only_and_the_outputs_are_writable(probe: Probe) -> None:
    _, report = probe()
    writes = report["writes"]
    for path in ("/usr/probe", "/etc/probe", "/probe"):  # EROFS: not merely not the agent's
        assert writes.pop(path) == "Read-only file system", path
    for path in ("/opt/mle-track/probe", "/home/probe"):  # writable volumes, but root's
        assert writes.pop(path) == "Permission denied", path
    assert set(writes.values()) == {"ok"}, writes  # tmp, var/tmp, shm, HOME and the outputs
    assert set(report["runs"].values()) == {"ran"}, report["runs"]  # scratch is not noexec


def test_no_host_path_reaches_the_agent(
    probe: Probe,
    public_dir: Path,
    tmp_path: Path,
) -> None:
    result, report = probe()
    data_root = public_dir.resolve().parents[2]
    forbidden = {data_root, public_dir.resolve(), tmp_path, result.run_dir, PROJECT, Path.home()}
    environ = report["environ"]
    texts = [report["mountinfo"], report["init_mountinfo"], report["cmdline"]]
    seen = "\n".join([*texts, *environ, *environ.values()])
    tokens = set(re.split(r"[\s,=:\x00]+", seen))
    leaks = sorted(
        t for t in tokens for p in map(str, forbidden) if t == p or t.startswith(p + "/")
    )
    assert leaks == [], f"host paths visible in the container: {leaks}"
    # the check reads the right field: /home/data's root is the neutral staging folder
    (data,) = [
        line.split() for line in report["mountinfo"].splitlines() if line.split()[4] == "/home/data"
    ]
    assert re.fullmatch(r"(/tmp)?/mle-track-world-\w+/data", data[3]), data
    assert " ro" in " " + data[5].replace(",", " ")


def test_staged_data_and_volumes_go_with_the_container(
    probe: Probe,
    client: Any,
    public_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(docker_module, "new_session_id", lambda: "hardeningtest1")
    staging = Path("/tmp/mle-track-world-hardeningtest1")
    probe()
    assert not staging.exists(), "the staging folder is removed with the container"
    probe(keep=True)
    (container,) = _ours(client)
    assert container.labels[STAGING_LABEL] == str(staging)
    staged = staging / "data" / "sample_submission.csv"
    original = public_dir / "sample_submission.csv"
    assert staged.read_bytes() == original.read_bytes()
    if staged.stat().st_dev == original.stat().st_dev:
        assert staged.samefile(original), "same file system: staged as a hard link, not a copy"
    volumes = [m["Name"] for m in container.attrs["Mounts"] if m["Type"] == "volume"]
    assert len(volumes) == 2
    remove_container(container)
    assert not staging.exists()
    left = {v.name for v in client.volumes.list()}
    assert left.isdisjoint(volumes), "the container's anonymous volumes are removed with it"


def test_an_image_without_the_agent_user(probe: Probe, client: Any, tmp_path: Path) -> None:
    """An image with no ``nonroot`` (and root-owned files in /home/agent) still runs read-only:
    the agent is uid 1000 with a home, and the image's files in its folders are its own."""
    context = tmp_path / "image"
    context.mkdir()
    (context / "Dockerfile").write_text(
        f"FROM {IMAGE}\nUSER root\nRUN userdel nonroot && mkdir -p /home/agent/from-image "
        "&& echo tool > /home/agent/from-image/tool.txt && chown -R root:root /home/agent\n"
    )
    tag = "mle-track-test-no-user:latest"
    client.images.build(path=str(context), tag=tag, rm=True)
    try:
        _, report = probe(image=tag)
    finally:
        client.images.remove(tag, force=True)
    assert report["uid"] == 1000 and report["home"] == "/home/agent"
    assert report["image_file_writable"] is True
    assert report["caps"]["CapEff"] == 0 and report["no_new_privs"] == 1


def test_network_on_a_daemon_without_it_is_a_clear_error(
    client: Any,
    public_dir: Path,
    tmp_path: Path,
) -> None:
    task = AgentTask(
        COMPETITION, public_dir, ("true",), Limits(time_limit_s=5), image=IMAGE, network=True
    )
    missing = DockerSandbox(client=client, network_mode="mle-track-no-such-network")
    with pytest.raises(SandboxError, match=r"network 'mle-track-no-such-network'.*network=false"):
        missing.run(task, tmp_path / "run-a")
    assert _ours(client) == [], "refused before any container was made"
    names = {n.name for n in client.networks.list()}
    if "bridge" in names:
        pytest.skip("this daemon has a bridge network: the bridge-less case cannot be shown")
    with pytest.raises(SandboxError, match=r"network 'bridge'.*--bridge=none") as raised:
        DockerSandbox(client=client).run(task, tmp_path / "run-b")
    assert "\n" not in str(raised.value)
    assert _ours(client) == []


def test_a_container_that_died_fails_the_command_with_its_state(
    client: Any, public_dir: Path, tmp_path: Path
) -> None:
    """A container can die under the harness (the OOM killer, a crashed runtime): the next
    command is not a harness traceback but a failed start naming the container's state."""
    task = AgentTask(COMPETITION, public_dir, None, Limits(time_limit_s=30), image=IMAGE)
    session = DockerSandbox(client=client).open_session(task, tmp_path / "run")
    try:
        session.container.kill()
        end = session.exec(["true"], timeout_s=10)
        assert end.exit_code not in (None, 0) and not end.timed_out, end
        assert "the container is not running: exited" in end.output, end.output
    finally:
        session.close()
    session = DockerSandbox(client=client).open_session(task, tmp_path / "run-task")
    session.container.kill()
    result = session.run_task()  # a one-shot attempt: its agent could not start (not its fault)
    assert result.status == "error", (result.status, result.reason)
    assert "the container is not running" in result.reason, result.reason
    assert _ours(client) == []


def test_an_unknown_runtime_is_a_clear_error(
    client: Any,
    public_dir: Path,
    tmp_path: Path,
) -> None:
    runtimes = sorted(client.info()["Runtimes"])
    for runtime in ("mle-track-no-such-runtime", "runsc"):
        if runtime in runtimes:
            continue
        task = AgentTask(
            COMPETITION, public_dir, ("true",), Limits(time_limit_s=5), image=IMAGE, runtime=runtime
        )
        with pytest.raises(SandboxError, match=f"runtime={runtime!r}") as raised:
            DockerSandbox(client=client).run(task, tmp_path / f"run-{runtime}")
        message = str(raised.value)
        assert "\n" not in message and all(name in message for name in runtimes)
    assert _ours(client) == []


def test_gvisor_runs_the_attempt_when_the_daemon_has_it(probe: Probe, client: Any) -> None:
    if "runsc" not in client.info()["Runtimes"]:
        pytest.skip("this daemon has no runsc runtime (gVisor is not installed here)")
    _, report = probe(runtime="runsc")
    assert report["uid"] == 1000 and report["caps"]["CapEff"] == 0
    assert report["writes"]["/usr/probe"] != "ok" and report["writes"]["/tmp/probe"] == "ok"


# -- the disk budget ------------------------------------------------------------------------------

#: writes ``argv[1]`` MB in 4 MB files round-robin over /home's outputs and /tmp (a full place is
#: dropped: /tmp's tmpfs is bounded, /home's volume is not), then submits
FILLER = r"""
import os, pathlib, sys
total, places = int(sys.argv[1]) << 20, [os.environ["CODE_DIR"], os.environ["LOGS_DIR"], "/tmp"]
block, written, number = b"\xa5" * (1 << 20), 0, 0
while written < total and places:
    place = places[number % len(places)]
    try:
        with open(os.path.join(place, f"fill-{number}.bin"), "wb") as out:
            for _ in range(min(4, (total - written) >> 20)):
                written += out.write(block)
    except OSError as exc:  # a full place is dropped; the others go on
        print("write refused:", place, exc, flush=True)
        places.remove(place)
    number += 1
pathlib.Path(os.environ["SUBMISSION_DIR"], "submission.csv").write_text("id,label\n")
print("wrote", written >> 20, "MB", flush=True)
"""
#: the budget of these cases (51 MB), and how long a killed filler may take end to end
FILL_BUDGET_GB = 0.05
FILL_BOUND_S = 60.0


@pytest.fixture(params=["host", "in-container"])
def measured(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the budget is measured: the host walks the volume (a root harness with a
    rootful daemon, as here), or ``du`` runs in the container (as when the host cannot)."""
    if request.param == "in-container":
        monkeypatch.setattr(docker_disk, "home_volume", lambda container: None)
    return str(request.param)


def _fill(client: Any, public_dir: Path, tmp_path: Path, megabytes: int) -> AttemptResult:
    agent = tmp_path / "agent"
    agent.mkdir(exist_ok=True)
    (agent / "fill.py").write_text(FILLER)
    task = AgentTask(
        competition_id=COMPETITION,
        public_dir=public_dir,
        command=("python", "/home/agent/fill.py", str(megabytes)),
        limits=Limits(time_limit_s=FILL_BOUND_S * 2, cpus=1, disk_gb=FILL_BUDGET_GB),
        agent_dir=agent,
        image=IMAGE,
    )
    return DockerSandbox(client=client).run(task, tmp_path / f"run-{megabytes}")


def test_an_agent_that_fills_the_disk_fails_at_its_budget(
    client: Any, public_dir: Path, tmp_path: Path, measured: str
) -> None:
    started = time.monotonic()
    result = _fill(client, public_dir, tmp_path, 2048)
    took = time.monotonic() - started
    log = result.log_file.read_text(errors="replace")
    assert result.status == "failed", (result.status, result.reason, log[-2000:])
    assert result.reason.startswith("the disk budget of 0.05 GB was exceeded"), result.reason
    assert took < FILL_BOUND_S, f"{measured}: the attempt took {took:.0f} s"
    assert "wrote" not in log, "the guard killed the agent while it wrote, not after"
    copied = sum(f.stat().st_size for f in result.run_dir.rglob("*.bin"))
    assert copied <= FILL_BUDGET_GB * (1 << 30), f"{copied >> 20} MB copied out"
    assert _ours(client) == []


def test_an_agent_within_its_disk_budget_completes(
    client: Any, public_dir: Path, tmp_path: Path, measured: str
) -> None:
    result = _fill(client, public_dir, tmp_path, 24)
    log = result.log_file.read_text(errors="replace")
    assert result.status == "completed", (result.reason, log[-2000:])
    assert "wrote 24 MB" in log


def test_the_scratch_tmpfs_mounts_hold_no_more_than_the_budget_together() -> None:
    """/tmp and /var/tmp refuse writes past the budget between them even when no guard is
    quick enough (the filler above also writes to /tmp; the kernel's bound is checked here)."""
    kwargs = docker_world.world_mounts(Path("/x"), PurePosixPath("/home/data"), (), 0.05)
    sizes = {}
    for place, options in kwargs["tmpfs"].items():
        assert options.startswith("rw,exec,nosuid,nodev,mode=1777,size="), options
        sizes[place] = int(options.rsplit("size=", 1)[1])
    assert sorted(sizes) == ["/tmp", "/var/tmp"] and min(sizes.values()) > 0
    assert sum(sizes.values()) <= int(0.05 * (1 << 30))

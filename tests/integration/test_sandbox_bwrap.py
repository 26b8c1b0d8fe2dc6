"""The isolated local sandbox, checked from inside real bubblewrap sandboxes.

Each test runs a small probe as the agent (or as commands of a session) and asserts what it saw:
its world at the container's paths with ``/home/data`` read-only, nothing of the host (no data
root, private answers, home folder, run directory, project or venv path anywhere: files,
environment, ``/proc/self/mountinfo``, other processes), loopback only without network, no
writable place outside its outputs, a non-root uid where user namespaces work, the limits
still applied, and the same for every command of a session. The fail-closed rule is checked by
pointing the probe at a missing program (``$MLE_TRACK_BWRAP``). The tests skip, saying why,
only where bubblewrap cannot run here (CI installs it, so there they run).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pytest

from mle_track.data.layout import CompetitionPaths
from mle_track.errors import SandboxError
from mle_track.sandbox import bwrap, layout
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.local import LocalSandbox
from mle_track.sandbox.local_isolated import IsolatedSession
from mle_track.sandbox.processes import marked_processes
from mle_track.sandbox.registry import isolation_of, remove_world
from tests.conftest import MakeCompetition

COMPETITION = "bwrap-probe"
SECRET = "SECRET-ANSWER-b3a9"
REPO = Path(__file__).resolve().parents[2]
#: the longest any step here may take on a loaded machine; only waited for in full on failure
BOUND_S = 60.0

SUPPORT = bwrap.support()
pytestmark = pytest.mark.skipif(
    not SUPPORT.works, reason=f"bubblewrap cannot isolate here: {SUPPORT.reason}"
)

#: what the probe agent reports of its world (stdlib only)
PROBE = r"""
import json, os, socket, sys
from pathlib import Path
report = {"uid": os.getuid(), "gid": os.getgid(), "python": sys.executable, "cwd": os.getcwd()}
report["env"] = dict(os.environ)
report["mountinfo"] = Path("/proc/self/mountinfo").read_text()
report["root"] = sorted(os.listdir("/"))
report["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
report["cmdlines"] = {
    p: Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
    for p in os.listdir("/proc") if p.isdigit()
}
report["interfaces"] = [
    line.split(":")[0].strip() for line in Path("/proc/net/dev").read_text().splitlines()[2:]
]
report["status_caps"] = [
    line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("Cap")
]
writes = {}
for target in ("/home/data/new.txt", "/home/data/train.csv", "/usr/x", "/etc/x", "/x",
               "/opt/mle-track/x", "/opt/mle-track/env/x", "/home/instructions.txt",
               "/home/submission/ok.txt", "/home/agent/ok.txt", "/tmp/ok.txt", "/home/ok.txt"):
    try:
        with open(target, "a") as handle:
            handle.write("x")
        writes[target] = "ok"
    except OSError as exc:
        writes[target] = type(exc).__name__
report["writes"] = writes
seen = []
# the system and the read-only runtime (the harness's interpreter and packages) are not walked
SKIP = ("/proc", "/sys", "/usr", "/dev", "/opt/mle-track/python", "/opt/mle-track/env")
for folder, dirs, files in os.walk("/", onerror=lambda e: None):
    dirs[:] = [d for d in dirs if os.path.join(folder, d) not in SKIP]
    seen += [os.path.join(folder, name) for name in files]
report["files"] = seen
leaks = []
for name in seen:
    try:
        if sys.argv[1].encode() in Path(name).read_bytes()[: 1 << 20]:
            leaks.append(name)
    except OSError:
        pass
report["leaks"] = leaks
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
if port:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=3).close()
        report["connected"] = True
    except OSError as exc:
        report["connected"] = type(exc).__name__
import numpy, pandas, sklearn  # the harness's packages, read-only
report["imports"] = "ok"
import shutil
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
Path(os.environ["LOGS_DIR"], "probe.json").write_text(json.dumps(report))
"""


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
    (paths.public / "train.csv").write_text("id,x,y\na,1,0\n")
    return paths.public


def _task(public_dir: Path, *command: str, **overrides: Any) -> AgentTask:
    limits = overrides.pop("limits", Limits(time_limit_s=60, cpus=1))
    return AgentTask(COMPETITION, public_dir, tuple(command), limits, **overrides)


def _probe(public_dir: Path, run_dir: Path, *args: str, **overrides: Any) -> dict[str, Any]:
    task = _task(public_dir, sys.executable, "-c", PROBE, SECRET, *args, **overrides)
    result = LocalSandbox().run(task, run_dir)
    assert result.status == "completed", result.reason + result.log_file.read_text()[-2000:]
    assert result.isolation == "namespaces"
    report: dict[str, Any] = json.loads((result.logs_dir / "probe.json").read_text())
    return report


def _host_paths(tmp_path: Path, data_root: Path) -> list[str]:
    """Host paths no agent may learn: the test's folder (data root, run directory), the project,
    the venv and the home folder."""
    return [str(tmp_path), str(data_root), str(REPO), sys.prefix, str(Path.home())]


def test_the_agent_sees_only_its_world(public_dir: Path, data_root: Path, tmp_path: Path) -> None:
    report = _probe(public_dir, tmp_path / "run")
    assert report["imports"] == "ok" and report["python"] == "/opt/mle-track/env/bin/python"
    assert report["cwd"] == "/home/agent"
    env = report["env"]
    assert env["DATA_DIR"] == "/home/data" and env["SUBMISSION_DIR"] == "/home/submission"
    assert env["HOME"] == "/home" and env["TMPDIR"] == "/tmp"
    assert not report["leaks"], "the private answers are nowhere in the sandbox"
    system = {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "dev", "proc"}
    assert set(report["root"]) <= system | {"home", "opt", "tmp"}, report["root"]
    # no host path anywhere: environment, mount table (sources included), files, command lines
    visible = json.dumps([env, report["mountinfo"], report["files"], report["cmdlines"]])
    for path in _host_paths(tmp_path, data_root):
        assert path not in visible, f"{path} reached the agent"
    assert "/root" not in report["mountinfo"] and "/work" not in report["mountinfo"]


def test_data_is_read_only_and_only_the_outputs_are_writable(
    public_dir: Path, tmp_path: Path
) -> None:
    writes = _probe(public_dir, tmp_path / "run")["writes"]
    for target in ("/home/data/new.txt", "/home/data/train.csv", "/home/instructions.txt"):
        assert writes[target] == "OSError", target  # EROFS, whoever the agent is
    for target in ("/usr/x", "/etc/x", "/x", "/opt/mle-track/x", "/opt/mle-track/env/x"):
        assert writes[target] != "ok", target
    for target in ("/home/submission/ok.txt", "/home/agent/ok.txt", "/tmp/ok.txt"):
        assert writes[target] == "ok", target
    assert (public_dir / "train.csv").read_text() == "id,x,y\na,1,0\n"
    assert not (public_dir / "new.txt").exists()


def test_no_process_of_the_host_and_no_privilege(public_dir: Path, tmp_path: Path) -> None:
    report = _probe(public_dir, tmp_path / "run")
    # bwrap's pid 1, the launcher, the agent: a pid namespace of its own
    assert len(report["pids"]) <= 4 and min(report["pids"]) == 1, report["pids"]
    assert all(line.split()[1] == "0" * 16 for line in report["status_caps"]), "no capability"
    if SUPPORT.userns:
        assert report["uid"] == bwrap.AGENT_UID and report["gid"] == bwrap.AGENT_UID
    else:  # root without user namespaces: every other namespace, no capabilities
        assert report["uid"] == 0


@pytest.fixture
def listener() -> Iterator[int]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    yield server.getsockname()[1]
    server.close()


def _host_interfaces() -> list[str]:
    lines = Path("/proc/net/dev").read_text().splitlines()[2:]
    return sorted(line.split(":")[0].strip() for line in lines)


def test_only_loopback_without_network(public_dir: Path, tmp_path: Path, listener: int) -> None:
    report = _probe(public_dir, tmp_path / "run", str(listener))
    assert report["interfaces"] == ["lo"], "only its own loopback"
    assert report["connected"] in ("ConnectionRefusedError", "OSError"), report["connected"]


def test_network_when_the_task_asks_for_it(public_dir: Path, tmp_path: Path, listener: int) -> None:
    report = _probe(public_dir, tmp_path / "run", str(listener), network=True)
    assert sorted(report["interfaces"]) == _host_interfaces()
    assert report["connected"] is True


def test_limits_still_apply_inside(public_dir: Path, tmp_path: Path) -> None:
    code = (
        "import os, resource, json, sys\n"
        "print(json.dumps({'as': resource.getrlimit(resource.RLIMIT_AS)[0],"
        " 'fsize': resource.getrlimit(resource.RLIMIT_FSIZE)[0],"
        " 'cpus': len(os.sched_getaffinity(0))}))\n"
    )
    limits = Limits(time_limit_s=60, cpus=1, memory_gb=2, max_file_mb=16)
    task = _task(public_dir, sys.executable, "-c", code, limits=limits)
    result = LocalSandbox().run(task, tmp_path / "run")
    assert result.status == "completed", result.reason
    seen = json.loads(result.log_file.read_text().strip().splitlines()[-1])
    assert seen == {"as": 2 << 30, "fsize": 16 << 20, "cpus": 1}
    hang = _task(public_dir, "sleep", "600", limits=Limits(time_limit_s=2))
    started = time.monotonic()
    timed = LocalSandbox().run(hang, tmp_path / "hang")
    assert timed.status == "timeout" and time.monotonic() - started < 2 + BOUND_S


def test_leftovers_are_counted_and_the_stage_is_removed(public_dir: Path, tmp_path: Path) -> None:
    code = (
        "import subprocess, sys\n"
        "for new_session in (False, True):\n"
        "    subprocess.Popen(['sleep', '300'], start_new_session=new_session)\n"
    )
    run_dir = tmp_path / "run"
    result = LocalSandbox().run(_task(public_dir, sys.executable, "-c", code), run_dir)
    assert result.status == "completed", result.reason
    assert "killed 2 process(es) the agent left running" in result.reason
    assert not (run_dir / layout.STAGE_POINTER).exists() and not (run_dir / "home").exists()


def test_kept_world_is_moved_into_the_run_directory(public_dir: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    result = LocalSandbox().run(_task(public_dir, "true", keep=True), run_dir)
    assert result.status == "completed"
    assert (run_dir / "home" / "data" / "train.csv").is_file()
    assert not (run_dir / layout.STAGE_POINTER).exists()


def test_every_command_of_a_session_is_isolated(
    public_dir: Path, data_root: Path, tmp_path: Path
) -> None:
    task = _task(public_dir)
    with LocalSandbox().open_session(task, tmp_path / "run") as session:
        assert isinstance(session, IsolatedSession)
        session.write_file(PurePosixPath("/home/agent/probe.py"), PROBE.encode())
        first = session.exec([session.python, "probe.py", SECRET], timeout_s=120)
        assert first.ok, first.output
        report = json.loads(session.read_file(PurePosixPath("/home/logs/probe.json")) or b"{}")
        visible = json.dumps([report["env"], report["mountinfo"], report["cmdlines"]])
        assert not [p for p in _host_paths(tmp_path, data_root) if p in visible]
        assert report["interfaces"] == ["lo"] and not report["leaks"]
        assert report["writes"]["/home/data/new.txt"] == "OSError"
        # what one command leaves in /home and /tmp the next one finds; its processes it does not
        second = session.exec(
            ["sh", "-c", "cat /tmp/ok.txt /home/agent/ok.txt; echo; ls /proc | grep -c ^[0-9]"],
            timeout_s=60,
        )
        assert second.ok and second.output.split()[0] == "xx", second.output
        assert int(second.output.split()[-1]) <= 5, second.output
        result = session.close()
    assert result.isolation == "namespaces" and result.submission is not None


@pytest.fixture
def without_bwrap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the probe look for a program that does not exist, as on a machine without it."""
    monkeypatch.setenv("MLE_TRACK_BWRAP", "/nonexistent/bwrap")


@pytest.mark.usefixtures("without_bwrap")
def test_without_bubblewrap_untrusted_agents_are_refused_in_one_line(
    public_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(SandboxError) as refused:
        isolation_of("local", trusted=False)
    message = str(refused.value)
    assert "\n" not in message
    assert "bubblewrap" in message and "sandbox=docker" in message
    assert "sandbox=local-unisolated" in message
    with pytest.raises(SandboxError, match="bubblewrap"):
        LocalSandbox().run(_task(public_dir, "true"), tmp_path / "run")
    assert isolation_of("local-unisolated", trusted=False) == "none"
    assert isolation_of("docker", trusted=False) == "docker"


@pytest.mark.usefixtures("without_bwrap")
def test_without_bubblewrap_trusted_agents_run_unisolated(public_dir: Path, tmp_path: Path) -> None:
    assert isolation_of("local", trusted=True) == "none"
    task = _task(public_dir, sys.executable, "-c", "import os; print(os.environ['DATA_DIR'])")
    result = LocalSandbox().run(replace(task, trusted=True), tmp_path / "run")
    assert result.status == "completed" and result.isolation == "none"
    log = result.log_file.read_text()
    assert "unisolated" in log and str(tmp_path / "run" / "home" / "data") in log


def test_with_bubblewrap_the_probe_says_namespaces() -> None:
    assert isolation_of("local", trusted=False) == "namespaces"
    assert isolation_of("local", trusted=True) == "namespaces"


#: a harness that runs one isolated attempt whose agent sleeps, carrying a token in its argv
HARNESS = """
import sys
from pathlib import Path
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.local import LocalSandbox
task = AgentTask(
    competition_id=sys.argv[1],
    public_dir=Path(sys.argv[2]),
    command=("sh", "-c", "sleep 300 & sleep 300", sys.argv[4]),
    limits=Limits(time_limit_s=600, cpus=1),
    attempt_key=sys.argv[4],
)
LocalSandbox().run(task, Path(sys.argv[3]))
"""


def _marked(attempt_key: str) -> list[int]:
    return marked_processes(attempt_key=attempt_key)


def _eventually(condition: Callable[[], bool], message: str) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def test_the_isolated_agent_dies_with_its_harness(public_dir: Path, tmp_path: Path) -> None:
    token = f"bwrap-death-{os.getpid()}-{time.monotonic_ns()}"
    run_dir = tmp_path / "run"
    argv = [sys.executable, "-c", HARNESS, COMPETITION, str(public_dir), str(run_dir), token]
    harness = subprocess.Popen(argv, cwd=REPO, stdin=subprocess.DEVNULL)
    try:
        # bwrap, its pid 1, the launcher, sh and two sleeps carry the attempt's mark
        _eventually(lambda: len(_marked(token)) >= 6, "the agent did not start")
        harness.kill()  # SIGKILL: no clean-up in the harness
        harness.wait()
        _eventually(lambda: _marked(token) == [], "the sandbox outlived its harness")
    finally:
        harness.kill()
    stage = Path((run_dir / layout.STAGE_POINTER).read_text().strip())
    assert stage.is_dir(), "a killed attempt leaves its staged world"
    assert remove_world(run_dir) and not stage.exists()
    assert not remove_world(run_dir)

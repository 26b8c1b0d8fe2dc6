"""The docker sandbox's parts that need no daemon: staging, hardening, checks, tars, the user.

The same promises are checked against a real daemon in
``tests/integration/test_sandbox_docker_hardening.py``; here each part is pinned on its own, so
a regression names the part.
"""

from __future__ import annotations

import io
import stat
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, docker_world, layout
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.docker_api import require_network, require_runtime, sdk
from mle_track.sandbox.docker_session import AgentUser


def _task(tmp_path: Path, **kwargs: Any) -> AgentTask:
    return AgentTask("c", tmp_path, ("true",), Limits(time_limit_s=1), **kwargs)


def test_staging_mirrors_public_with_hard_links_in_a_private_folder(tmp_path: Path) -> None:
    public = tmp_path / "data" / "c" / "prepared" / "public"
    (public / "images").mkdir(parents=True)
    (public / "train.csv").write_text("a\n")
    (public / "images" / "0.png").write_bytes(b"png")
    (tmp_path / "stage-root").mkdir()
    staging = docker_world.stage_public(public, "unit1", tmp_path / "stage-root")
    try:
        assert staging == tmp_path / "stage-root" / "mle-track-world-unit1"
        assert stat.S_IMODE(staging.stat().st_mode) == 0o700
        assert (staging / "data" / "train.csv").samefile(public / "train.csv")
        assert (staging / "data" / "images" / "0.png").read_bytes() == b"png"
        assert docker_world.is_staging(staging)
    finally:
        docker_world.remove_staging(staging)
    assert not staging.exists() and (public / "train.csv").read_text() == "a\n"


def test_staging_refuses_links_and_leaves_nothing(tmp_path: Path) -> None:
    public = tmp_path / "public"
    public.mkdir()
    (public / "answers.csv").symlink_to(tmp_path / "private.csv")
    (tmp_path / "stage").mkdir()
    with pytest.raises(SandboxError, match="not a regular file"):
        docker_world.stage_public(public, "unit2", tmp_path / "stage")
    assert list((tmp_path / "stage").iterdir()) == []
    with pytest.raises(SandboxError, match="missing"):
        docker_world.stage_public(public, "unit3", tmp_path / "no-such-folder")


def test_only_staging_folders_are_removed_by_label() -> None:
    assert docker_world.is_staging(Path("/tmp/mle-track-world-abc"))
    for path in ("", "/home/user", "/tmp/mle-track-world-abc/../x", "relative/mle-track-world-a"):
        assert not docker_world.is_staging(Path(path)), path


def test_hardening_drops_everything_unless_the_task_is_privileged(tmp_path: Path) -> None:
    assert docker_world.hardening(_task(tmp_path)) == {
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "read_only": True,
    }
    assert docker_world.hardening(_task(tmp_path, privileged=True)) == {"privileged": True}


def test_world_mounts(tmp_path: Path) -> None:
    home, validator = PurePosixPath("/home"), PurePosixPath("/opt/mle-track")
    kwargs = docker_world.world_mounts(tmp_path, home / "data", (home, validator))
    mounts = [(m["Type"], m["Target"], m["Source"], m["ReadOnly"]) for m in kwargs["mounts"]]
    assert mounts == [
        ("volume", "/home", None, False),
        ("volume", "/opt/mle-track", None, False),
        ("bind", "/home/data", str(tmp_path), True),
    ]
    assert sorted(kwargs["tmpfs"]) == ["/tmp", "/var/tmp"]
    assert all("mode=1777" in options for options in kwargs["tmpfs"].values())


class _Client:
    def __init__(self, runtimes: dict[str, Any], networks: set[str]) -> None:
        self.runtimes = runtimes
        self.networks = self
        self.known = networks
        self.asked = 0

    def info(self) -> dict[str, Any]:
        self.asked += 1
        return {"Runtimes": self.runtimes}

    def get(self, name: str) -> Any:
        if name not in self.known:
            raise sdk().errors.NotFound(f"network {name} not found")
        return type("Network", (), {"name": name})()


def test_a_missing_runtime_is_one_line_naming_what_the_daemon_has() -> None:
    client = _Client({"runc": {}, "io.containerd.runc.v2": {}}, set())
    require_runtime(client, None)
    assert client.asked == 0, "no runtime asked: the daemon is not asked either"
    require_runtime(client, "runc")
    with pytest.raises(SandboxError) as raised:
        require_runtime(client, "runsc")
    message = str(raised.value)
    assert "'runsc'" in message and "io.containerd.runc.v2, runc" in message
    assert "runsc install" in message and "\n" not in message


def test_a_missing_network_is_one_line() -> None:
    client = _Client({}, {"host", "none"})
    require_network(client, "none")
    require_network(client, "container:abc")
    with pytest.raises(SandboxError, match=r"network 'bridge'.*--bridge=none.*network=false"):
        require_network(client, "bridge")
    client.known.add("bridge")
    require_network(client, "bridge")


def test_world_archive_rooted_at_a_volume_with_owners(tmp_path: Path) -> None:
    agent = tmp_path / "agent"
    agent.mkdir()
    (agent / "start.sh").write_text("echo hi\n")
    home = PurePosixPath("/home")
    files = [layout.WorldFile(home / "instructions.txt", b"rules")]
    with (
        archives.world_archive(
            files,
            agent,
            home / "agent",
            root=home,
            folders=[home / "submission"],
            owner=(1000, 1001),
        ) as buffer,
        tarfile.open(fileobj=buffer) as tar,
    ):
        owners = {m.name: (m.uid, m.gid) for m in tar.getmembers()}
    assert owners == {
        "submission": (1000, 1001),
        "instructions.txt": (0, 0),
        "agent": (1000, 1001),
        "agent/start.sh": (1000, 1001),
    }
    with pytest.raises(ValueError), archives.world_archive(files, root=PurePosixPath("/opt")):
        pass


def test_reowned_gives_every_member_to_the_agent() -> None:
    source = io.BytesIO()
    with tarfile.open(fileobj=source, mode="w") as tar:
        folder = tarfile.TarInfo("agent")
        folder.type = tarfile.DIRTYPE
        tar.addfile(folder)
        data = tarfile.TarInfo("agent/tool.txt")
        data.size = 4
        tar.addfile(data, io.BytesIO(b"tool"))
    with (
        archives.reowned([source.getvalue()], (1000, 1000)) as buffer,
        tarfile.open(fileobj=buffer) as tar,
    ):
        members = tar.getmembers()
        assert [(m.name, m.uid, m.gid) for m in members] == [
            ("agent", 1000, 1000),
            ("agent/tool.txt", 1000, 1000),
        ]
        handle = tar.extractfile(members[1])
        assert handle is not None and handle.read() == b"tool"


class _Container:
    def __init__(self, code: int, output: bytes) -> None:
        self.result = (code, output)

    def exec_run(self, argv: list[str], user: str) -> tuple[int, bytes]:
        assert user == "root"
        return self.result


def test_the_agent_user_is_looked_up_never_created() -> None:
    found = AgentUser.lookup(_Container(0, b"1000\n1000\n"))
    assert (found.exec_user, found.owner, found.env) == ("nonroot", (1000, 1000), {})
    missing = AgentUser.lookup(_Container(1, b"id: 'nonroot': no such user\n"))
    assert missing.exec_user == "1000:1000" and missing.owner == (1000, 1000)
    assert missing.env["HOME"] == "/home/agent"

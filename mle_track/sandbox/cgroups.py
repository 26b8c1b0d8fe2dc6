"""A per-attempt pids cgroup: bounds fork bombs and finds every process an agent left behind.

``RLIMIT_NPROC`` counts processes per *user* and is not enforced for root, so it neither bounds
an agent run as root (CI, most containers) nor separates two attempts of the same user. A pids
cgroup does both: ``pids.max`` caps the attempt's processes, and ``cgroup.procs`` lists them all,
including any that left the process group with ``setsid``. Both cgroup v1 (``/sys/fs/cgroup/
pids``) and v2 (a unified hierarchy with the pids controller enabled) are handled; when neither
is writable, :meth:`PidsCgroup.create` returns None and the caller falls back to RLIMIT_NPROC.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PARENT_NAME = "mle-track"


def _pids_base() -> Path | None:
    """The hierarchy where the pids controller can be used, if any."""
    v1 = CGROUP_ROOT / "pids"
    if (v1 / "cgroup.procs").is_file():
        return v1
    controllers = CGROUP_ROOT / "cgroup.subtree_control"
    with contextlib.suppress(OSError):
        if "pids" in controllers.read_text().split():
            return CGROUP_ROOT
    return None


@dataclass(frozen=True)
class PidsCgroup:
    path: Path

    @classmethod
    def create(cls, max_pids: int, label: str = "attempt") -> PidsCgroup | None:
        """A fresh child cgroup with ``pids.max``; None where cgroups cannot be used here."""
        base = _pids_base()
        if base is None:
            return None
        parent = base / PARENT_NAME
        path = parent / f"{label}-{uuid.uuid4().hex[:12]}"
        try:
            parent.mkdir(exist_ok=True)
            if base == CGROUP_ROOT:  # v2: children of our parent need the controller too
                (parent / "cgroup.subtree_control").write_text("+pids")
            path.mkdir()
            (path / "pids.max").write_text(str(max_pids))
        except OSError:
            with contextlib.suppress(OSError):
                path.rmdir()
            return None
        return cls(path)

    def join(self) -> None:
        """Move the calling process in (called in the child, before ``exec``)."""
        with open(self.path / "cgroup.procs", "w") as handle:
            handle.write(str(os.getpid()))

    def pids(self) -> list[int]:
        try:
            text = (self.path / "cgroup.procs").read_text()
        except OSError:
            return []
        return [int(line) for line in text.split()]

    def limit_hits(self) -> int:
        """How often a fork failed because ``pids.max`` was reached."""
        try:
            for line in (self.path / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def kill_all(self, timeout_s: float = 5.0) -> list[int]:
        """SIGKILL every process in the cgroup until it is empty; returns the pids killed."""
        killed: list[int] = []
        deadline = time.monotonic() + timeout_s
        while True:
            alive = [p for p in self.pids() if _alive(p)]
            if not alive or time.monotonic() > deadline:
                return killed
            killed.extend(p for p in alive if p not in killed)
            for pid in alive:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)

    def remove(self) -> None:
        """Delete the cgroup; a kernel that still holds zombies in it gets a few retries."""
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)


def _alive(pid: int) -> bool:
    """True for a running process; zombies (dead, waiting to be reaped) do not count."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group, read from /proc."""
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members

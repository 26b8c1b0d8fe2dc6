"""A per-attempt pids cgroup: bounds fork bombs and finds every process an agent left behind.

``RLIMIT_NPROC`` counts processes per *user* and is not enforced for root, so it neither bounds
an agent run as root (CI, most containers) nor separates two attempts of the same user. A pids
cgroup does both: ``pids.max`` caps the attempt's processes, and ``cgroup.procs`` lists them all,
including any that left the process group with ``setsid``. Both cgroup v1 (``/sys/fs/cgroup/
pids``) and v2 (a unified hierarchy with the pids controller enabled) are handled; when neither
is writable, :meth:`PidsCgroup.create` returns None and the caller falls back to RLIMIT_NPROC.

A cgroup is named ``<label>.<attempt tag>.<session id>``: the tag (a hash of the attempt key) lets
a later harness find what a dead one left (:meth:`PidsCgroup.of_attempt`), whatever characters the
key holds. Like :mod:`.processes`, this module imports nothing of mle-track: the watchdog uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from mle_track.sandbox.processes import kill_until_gone

CGROUP_ROOT = Path("/sys/fs/cgroup")
PARENT_NAME = "mle-track"
#: the attempt tag of a cgroup whose task names no attempt
NO_ATTEMPT = "none"


def pids_hierarchy() -> Path | None:
    """The hierarchy where the pids controller can be used, if any."""
    v1 = CGROUP_ROOT / "pids"
    if (v1 / "cgroup.procs").is_file():
        return v1
    controllers = CGROUP_ROOT / "cgroup.subtree_control"
    with contextlib.suppress(OSError):
        if "pids" in controllers.read_text().split():
            return CGROUP_ROOT
    return None


def attempt_tag(attempt_key: str) -> str:
    """A file-name-safe, fixed-length stand-in for an attempt key."""
    if not attempt_key:
        return NO_ATTEMPT
    return hashlib.sha256(attempt_key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class PidsCgroup:
    path: Path

    @classmethod
    def create(
        cls,
        max_pids: int,
        label: str = "attempt",
        *,
        attempt_key: str = "",
        session_id: str | None = None,
    ) -> PidsCgroup | None:
        """A fresh child cgroup with ``pids.max``; None where cgroups cannot be used here."""
        base = pids_hierarchy()
        if base is None:
            return None
        parent = base / PARENT_NAME
        session = session_id or uuid.uuid4().hex[:12]
        safe_label = label.replace("/", "_").replace(".", "_") or "attempt"
        path = parent / f"{safe_label}.{attempt_tag(attempt_key)}.{session}"
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

    @classmethod
    def of_attempt(cls, attempt_key: str) -> list[PidsCgroup]:
        """The cgroups of every session of this attempt that still exist (left by a dead
        harness: a harness removes its own at the end of each session)."""
        base = pids_hierarchy()
        if base is None or not attempt_key:
            return []
        tag = attempt_tag(attempt_key)
        try:
            children = sorted((base / PARENT_NAME).iterdir())
        except OSError:
            return []
        return [cls(p) for p in children if p.is_dir() and p.name.rsplit(".", 2)[1:2] == [tag]]

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
        return sorted(kill_until_gone(self.pids, timeout_s))

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

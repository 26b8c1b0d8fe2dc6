"""The disk budget (``Limits.disk_gb``) of a docker attempt: bounded, measured, enforced.

The container's root file system is read-only, so the agent writes in three places only:

* ``/tmp`` and ``/var/tmp``, tmpfs mounts whose ``size=`` options split the budget between them
  (:func:`scratch_size`, :data:`~.docker_world.SCRATCH`): the kernel refuses a write past
  either (``ENOSPC``) whatever the guard sees, so together they never hold more than the budget,
  and since a tmpfs takes memory they also stay within the container's memory limit;
* ``/home``, an anonymous volume on the daemon's disk, which nothing in the kernel bounds. A
  :class:`~.disk.DiskGuard` (the local sandboxes' thread, reused as it is) measures it from the
  host: the volume's folder (``Mounts[].Source``, ``/var/lib/docker/volumes/<id>/_data``) with
  its ``data`` mount point left out (the read-only data is bound over it inside the container,
  and is not in the volume), plus the two tmpfs mounts through ``/proc/<init pid>/root`` (so the
  budget counts all three places together, as it does locally). A root harness beside a
  rootful daemon can read both;
* where it cannot (a harness that is not root, a rootless daemon whose data root is elsewhere,
  a daemon on another machine), :class:`ContainerDiskGuard` measures inside the container:
  ``du -sxk`` every :data:`DU_INTERVAL_S`, run as root so that the agent (another uid, with no
  capabilities) cannot kill it. Root there has no ``CAP_DAC_READ_SEARCH``, so a folder the agent
  locked would be skipped: when ``du`` reports one, the guard gives the agent's folders their
  read bits back (as the agent's own user: the files are the agent's) and measures again. If
  neither way works (an image without ``du``), the attempt is refused before the agent runs,
  with one line that says why: a budget is never ignored silently.

Either guard calls the session back on a breach; the session then ends the attempt as a timeout
ends a command (see :meth:`~.docker_session.DockerSession._over_budget`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox import disk, docker_world

_GB = 1 << 30
#: how often the in-container fallback measures (each is a ``docker exec`` and a walk)
DU_INTERVAL_S = 2.0
#: the container's writable places, as the agent sees them
HOME = PurePosixPath("/home")
SCRATCH = tuple(PurePosixPath(place) for place in docker_world.SCRATCH)
#: the read-only data, listed first so that GNU ``du`` (which counts an inode once per run)
#: leaves it out of ``/home``'s total
DATA = HOME / "data"


def scratch_size(budget_gb: float | None, share: float = 1.0) -> str:
    """The ``size=`` option of a scratch tmpfs mount given ``share`` of the budget (``""``
    without a budget)."""
    if budget_gb is None:
        return ""
    return f",size={max(1, int(budget_gb * share * _GB))}"


def home_volume(container: Any) -> Path | None:
    """The host folder of the container's ``/home`` volume, if this process can list it."""
    for mount in container.attrs.get("Mounts") or []:
        if mount.get("Destination") == str(HOME) and mount.get("Type") == "volume":
            source = Path(mount.get("Source") or "")
            if source.is_absolute() and os.access(source, os.R_OK | os.X_OK):
                return source
    return None


def make_guard(
    container: Any,
    budget_gb: float,
    agent_user: str,
    on_exceeded: Callable[[disk.Usage], None],
) -> disk.DiskGuard:
    """The guard for this container (not started): the host's when it can read the volume,
    else the in-container one, else a SandboxError (checked here, before the agent runs)."""
    source = home_volume(container)
    if source is not None:
        roots = [source]
        pid = int((container.attrs.get("State") or {}).get("Pid") or 0)
        scratch = [Path(f"/proc/{pid}/root{place}") for place in SCRATCH] if pid else []
        roots += [place for place in scratch if os.access(place, os.R_OK | os.X_OK)]
        return disk.DiskGuard(budget_gb, roots, skip=[source / "data"], on_exceeded=on_exceeded)
    guard = ContainerDiskGuard(container, budget_gb, agent_user, on_exceeded=on_exceeded)
    try:
        guard.measure_once()
    except SandboxError as exc:
        raise SandboxError(
            f"cannot enforce the disk budget (disk_gb={budget_gb:g}): the harness cannot read "
            f"the container's /home volume, and {exc}"
        ) from None
    return guard


class ContainerDiskGuard(disk.DiskGuard):
    """A :class:`~.disk.DiskGuard` whose walk is ``du`` inside the container, every
    :data:`DU_INTERVAL_S` (an exec costs tens of milliseconds, so the local guard's adaptive
    pace and free-space polling, which read the host's file systems, do not apply)."""

    def __init__(
        self,
        container: Any,
        budget_gb: float,
        agent_user: str,
        *,
        on_exceeded: Callable[[disk.Usage], None],
    ) -> None:
        super().__init__(budget_gb, (), on_exceeded=on_exceeded)
        self.container = container
        self.agent_user = agent_user
        self._last = disk.Usage(0, 0)

    def measure_once(self) -> disk.Usage:
        """One ``du`` run; a folder the agent locked is opened and measured again. Raises
        SandboxError when no measure comes back (no ``du``, the container gone)."""
        usage = self._du()
        if usage.unreadable:
            self._open_up()
            usage = self._du()
        self._last = usage
        return usage

    def _du(self) -> disk.Usage:
        places = " ".join(str(p) for p in (DATA, HOME, *SCRATCH))
        code, output = self.container.exec_run(
            ["sh", "-c", f"du -sxk {places}"], user="root", demux=True
        )
        out = (output[0] or b"").decode(errors="replace").split("\n")
        err = (output[1] or b"").decode(errors="replace")
        sizes = [line.split("\t", 1) for line in out if "\t" in line]
        counted = [int(size) for size, place in sizes if size.isdigit() and place != str(DATA)]
        if code not in (0, 1) or not counted:
            raise SandboxError(f"`du -sxk` in the container did not answer (exit {code}): {err}")
        unreadable = len(re.findall(r"Permission denied", err))
        return disk.Usage(sum(counted) * 1024, len(counted), unreadable=unreadable)

    def _open_up(self) -> None:
        """Give back the read bits of the agent's own folders (as the agent: they are its)."""
        places = " ".join(str(p) for p in (HOME, *SCRATCH))
        script = f'find {places} -xdev -type d -user "$(id -u)" -exec chmod u+rwx,go+rx {{}} +'
        self.container.exec_run(["sh", "-c", script + " 2>/dev/null; true"], user=self.agent_user)

    def _walk(self, *, stop_early: bool) -> disk.Usage:
        """A walk is one ``du`` run; if it fails (the container is going away), the last
        measure stands."""
        self.walks += 1
        try:
            return self.measure_once()
        except SandboxError:
            return self._last
        except Exception:  # the daemon's errors: the container was killed meanwhile
            return self._last

    def _wait(self, interval: float, *, earliest: float, room: int) -> None:
        self._stopping.wait(DU_INTERVAL_S)

"""Finding and ending an attempt's processes on the host, with the standard library only.

The local sandbox must end every process of an attempt at three moments: while the harness
runs it (after each command, at the deadline), from the watchdog once the harness is gone, and
from a later harness that cleans up after a dead one (``end_orphans``). Three handles find them,
each covering what the others miss:

- the process group each command starts in (``start_new_session``), which an agent can leave
  with ``setsid``;
- the attempt's pids cgroup (:mod:`.cgroups`), which nothing unprivileged can leave, but which
  many machines do not offer;
- :data:`MARK_VARIABLE` in the environment every agent process inherits: it survives ``setsid``
  and re-parenting, works without cgroups, and names the attempt, so a process can be found by
  attempt key long after its harness died (a process that clears its environment loses it).

This module imports nothing of mle-track, so the watchdog, a separate tiny process, can use it
without loading the rest of the package.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: the environment variable that marks a local attempt's processes: ``<attempt key>/<session>``
MARK_VARIABLE = "MLE_TRACK_ATTEMPT"
#: how long the kill loops keep trying before giving up on a process that will not die
KILL_TIMEOUT_S = 5.0
_POLL_S = 0.02


def attempt_mark(attempt_key: str, session_id: str) -> str:
    """The value of :data:`MARK_VARIABLE` for one session of one attempt.

    The session id never contains ``/``, so the key is everything before the last one."""
    return f"{attempt_key}/{session_id}"


def alive(pid: int) -> bool:
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


def marked_processes(*, attempt_key: str | None = None, session_id: str | None = None) -> list[int]:
    """Live processes whose environment carries the mark of this attempt key or session.

    Only processes this user may inspect are seen (their own, or all of them for root); the
    calling process is never included."""
    if attempt_key is None and session_id is None:
        raise ValueError("name an attempt key or a session id")
    found = []
    prefix = MARK_VARIABLE.encode() + b"="
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = Path(entry.path, "environ").read_bytes()
        except OSError:
            continue
        for item in environ.split(b"\0"):
            if not item.startswith(prefix):
                continue
            key, _, session = item[len(prefix) :].decode(errors="replace").rpartition("/")
            if (attempt_key is None or key == attempt_key) and (
                session_id is None or session == session_id
            ):
                found.append(int(entry.name))
            break
    return [pid for pid in found if alive(pid)]


def kill_until_gone(
    find: Callable[[], Iterable[int]], timeout_s: float = KILL_TIMEOUT_S
) -> set[int]:
    """SIGKILL what ``find`` lists until it lists nothing live; returns every pid it killed.

    A set of processes can grow while it is being killed (a member forks between the listing
    and the signal), so one pass is not enough: the loop ends when a listing comes back empty.
    """
    killed: set[int] = set()
    deadline = time.monotonic() + timeout_s
    while True:
        live = [pid for pid in find() if alive(pid)]
        if not live or time.monotonic() > deadline:
            return killed
        for pid in live:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        killed.update(live)
        time.sleep(_POLL_S)


def kill_group(pgid: int, timeout_s: float = KILL_TIMEOUT_S) -> set[int]:
    """SIGKILL a process group until no live member is left; returns the pids that were.

    ``killpg`` signals every member at once, so a member that forks cannot outrun it."""
    killed: set[int] = set()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        members = group_members(pgid)
        if not members:
            break
        killed.update(members)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        time.sleep(_POLL_S)
    return killed

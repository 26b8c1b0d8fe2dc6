"""The disk budget of a local attempt (``Limits.disk_gb``): measured, enforced, and the outputs
kept within it.

``RLIMIT_FSIZE`` caps one file, not how many an agent writes, and the local sandboxes keep the
agent's writable folders on the host's disk (a tmpfs would take memory, and a session's world
must persist from one command to the next, while each isolated command is a fresh mount
namespace), so nothing in the kernel stops an agent from filling the disk. Unprivileged users
have no quota to set either. So the harness measures: a :class:`DiskGuard` thread walks the
attempt's writable folders (:func:`measure`: ``st_blocks``, what the files really take, so a
sparse file costs what it holds; symlinks never followed; a file hard-linked twice counted once;
the read-only data left out) and when they hold more than the budget it calls the session back,
which kills the attempt's processes as a timeout does and fails the attempt with a reason naming
the budget and the usage.

Why a thread of the harness, and not the watchdog or the sandbox's launcher: the harness holds
what ending a command needs (its ``Popen``, its process group, the pids cgroup, the pid
namespace) and the session whose result must say why it ended; the watchdog is a separate
process that acts only once the harness is gone (and then ends everything anyway), so it would
need a channel back; the launcher runs inside the sandbox as the agent's user, who could kill
it. The cost is bounded: after a walk the guard waits :data:`COST_FACTOR` times as long as the
walk took (at least :data:`MIN_INTERVAL_S`, at most :data:`MAX_INTERVAL_S`), so it takes about a
twentieth of one core at most however many files the agent makes (a walk costs ~3 µs a file:
every 0.25 s for a world of a thousand files, every ~0.7 s for ten thousand); in between it
polls the free space of the folders' file systems (one ``statvfs`` each, every
:data:`POLL_S`) and walks at once (but at most every :data:`TRIGGER_GAP_S`, or twice as long as
a walk takes, however busy the host's disk is) when more has gone than the budget has left,
which keeps the overshoot to about what the disk writes in a few milliseconds, one walk and
the kill (measured: an agent writing 7 MB files into the page cache at ~5 GB/s is stopped
about 20–30 MB past a 256 MB budget in the docker sandbox, whose kill is a signal to the
container's init). A walk also stops as soon as its sum is past the budget. Polling costs a
few ``statvfs`` calls every :data:`POLL_S`: well under 1 % of a core.

The guard is best effort against time (an agent may write quickly between two walks: a run on
a fast disk overshoots by what that disk writes in about a walk's time), which is why the
session measures once more when the attempt has ended, and why :func:`trim` keeps the copied-out
outputs within the budget whatever was left in the world.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mle_track.sandbox import trees

_GB = 1 << 30
#: the shortest time between two walks
MIN_INTERVAL_S = 0.25
#: the longest time between two walks (a world of millions of files)
MAX_INTERVAL_S = 30.0
#: a walk is followed by a wait this many times as long as it took (~1/20 of a core at most)
COST_FACTOR = 20.0
#: how often the free space of the world's file systems is read between walks (a few
#: ``statvfs`` calls: microseconds)
POLL_S = 0.005
#: the shortest time between two walks when the free space says the budget may be gone
TRIGGER_GAP_S = 0.01


@dataclass(frozen=True)
class Usage:
    """What one walk found."""

    #: bytes the files and folders take on disk (``st_blocks * 512``)
    bytes: int
    #: files, folders and links seen
    entries: int
    #: False when the walk stopped early, past the budget: ``bytes`` is then a lower bound
    complete: bool = True
    #: folders that could not be listed, even after giving their owner (us) the right to
    unreadable: int = 0

    def describe(self) -> str:
        amount = size_text(self.bytes)
        return amount if self.complete else f"at least {amount}"


def size_text(count: int) -> str:
    """``52.4 MB`` or ``1.23 GB``: three significant digits, the unit a person expects."""
    if count >= _GB:
        return f"{count / _GB:.3g} GB"
    return f"{count / (1 << 20):.3g} MB"


def exceeded_reason(budget_gb: float, usage: Usage) -> str:
    """The attempt's reason when it outgrew its budget (the status is ``failed``)."""
    return (
        f"the disk budget of {budget_gb:g} GB was exceeded: the agent's writable folders took "
        f"{usage.describe()}; the attempt was killed"
    )


def measure(
    roots: Sequence[Path],
    *,
    skip: Collection[str] = (),
    files: Sequence[Path] = (),
    stop_above: int | None = None,
) -> Usage:
    """What ``roots`` (walked, never following a link) and ``files`` take on disk.

    ``skip`` names folders (as paths) not to count or enter (the read-only data). A folder the
    agent made unreadable is opened up again (it is ours: the agent runs as our user or as a
    uid mapped onto it) and listed; files that vanish during the walk are not counted. With
    ``stop_above``, the walk ends as soon as its sum is past it. The walk is
    :func:`~.trees.entries`': any depth, no path length limit; a tree the agent moves under it
    ends it early (the sum is then a lower bound, ``complete=False``, and the next walk starts
    afresh)."""
    total = entries = 0
    seen: set[tuple[int, int]] = set()
    skipped = frozenset(_identities(Path(path) for path in skip))
    tops: list[Path] = []
    for path in (*roots, *files):
        try:
            info = os.lstat(path)
        except OSError:
            continue
        total += _taken(info, seen)
        if stat.S_ISDIR(info.st_mode) and path in roots:
            tops.append(path)
    for top in tops:
        try:
            for entry in trees.entries(top, skip=skipped):
                if entry.identity in skipped:
                    continue
                entries += 1
                total += _taken(entry.info, seen)
                if stop_above is not None and total > stop_above:
                    return Usage(total, entries, complete=False)
        except trees.TreeMoved:
            return Usage(total, entries, complete=False)
    return Usage(total, entries)


def _identities(paths: Iterable[Path]) -> Iterator[tuple[int, int]]:
    for path in paths:
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            yield (info.st_dev, info.st_ino)


def _taken(info: os.stat_result, seen: set[tuple[int, int]]) -> int:
    """The blocks of one entry; a file with several hard links only the first time."""
    if info.st_nlink > 1 and not stat.S_ISDIR(info.st_mode):
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return 0
        seen.add(key)
    return int(info.st_blocks) * 512


class DiskGuard:
    """A daemon thread that measures the world's writable folders until :meth:`stop`, and
    calls ``on_exceeded`` (from the thread, once) when they outgrow ``budget_gb``.

    ``files`` (assignable while it runs) are counted too: the log files the harness writes the
    command's output into, which grow as fast as the agent prints."""

    def __init__(
        self,
        budget_gb: float,
        roots: Sequence[Path],
        *,
        skip: Collection[Path] = (),
        on_exceeded: Callable[[Usage], None],
    ) -> None:
        self.budget_gb = budget_gb
        self.budget = int(budget_gb * _GB)
        self.roots = tuple(roots)
        self.skip = frozenset(os.fspath(path) for path in skip)
        self.files: tuple[Path, ...] = ()
        self.on_exceeded = on_exceeded
        #: the usage that broke the budget, once one has
        self.exceeded: Usage | None = None
        #: walks made and the seconds they took (the guard's cost)
        self.walks = 0
        self.busy_s = 0.0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mle-track-disk", daemon=True)

    def start(self) -> DiskGuard:
        self._thread.start()
        return self

    def stop(self) -> None:
        """End the thread (it finishes its walk first: a walk is never cut half-way)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def check(self) -> Usage:
        """Measure now (the whole world: no early stop); records a broken budget, without
        calling back. For the end of an attempt, once its processes are dead."""
        usage = self._walk(stop_early=False)
        if usage.bytes > self.budget and self.exceeded is None:
            self.exceeded = usage
        return usage

    def _walk(self, *, stop_early: bool) -> Usage:
        started = time.monotonic()
        usage = measure(
            self.roots,
            skip=self.skip,
            files=self.files,
            stop_above=self.budget if stop_early else None,
        )
        self.walks += 1
        self.busy_s += time.monotonic() - started
        return usage

    def _run(self) -> None:
        while not self._stopping.is_set():
            started = time.monotonic()
            usage = self._walk(stop_early=True)
            cost = time.monotonic() - started
            if usage.bytes > self.budget:
                self.exceeded = usage
                self.on_exceeded(usage)
                return
            interval = min(MAX_INTERVAL_S, max(MIN_INTERVAL_S, COST_FACTOR * cost))
            room = self.budget - usage.bytes
            self._wait(interval, earliest=max(TRIGGER_GAP_S, 2 * cost), room=room)

    def _wait(self, interval: float, *, earliest: float, room: int) -> None:
        """Sleep until ``interval`` has passed, or, after ``earliest``, until the world's file
        systems lost more free space than the budget has ``room`` left (someone writes fast:
        maybe the agent); returns at once when the guard is stopped."""
        start = time.monotonic()
        before = self._free_space()
        while not self._stopping.wait(POLL_S):
            waited = time.monotonic() - start
            if waited >= interval:
                return
            if waited >= earliest:
                now = self._free_space()
                if sum(before[d] - now[d] for d in before.keys() & now.keys()) > room:
                    return

    def _free_space(self) -> dict[int, int]:
        """Free bytes of each file system the roots and files are on, by device."""
        by_device: dict[int, int] = {}
        for path in (*self.roots, *self.files):
            with contextlib.suppress(OSError):
                device = os.lstat(path).st_dev
                if device not in by_device:
                    info = os.statvfs(path)
                    by_device[device] = info.f_bavail * info.f_frsize
        return by_device


@dataclass(frozen=True)
class Trimmed:
    """What :func:`trim` kept and removed."""

    kept_bytes: int
    removed_files: int
    removed_bytes: int


def trim(folders: Sequence[Path], room: int, *, first: Collection[Path] = ()) -> Trimmed:
    """Remove files of ``folders`` until what is left holds at most ``room`` bytes between
    them (by size: what a copy would write, so a sparse file counts its holes), keeping the
    files named in ``first`` (the submission) and then the smallest, whichever folder they are
    in (a report beside a folder of junk survives); links are not followed and count nothing,
    a file hard-linked twice counts once.

    For the outputs of an attempt, before they are moved out of the world: what is removed
    would otherwise cost the disk a second time in the run directory. Two walks (any depth, see
    :mod:`.trees`): one to size the files, one to remove the ones chosen."""
    wanted = set(_identities(first))
    sizes: dict[tuple[int, int], int] = {}
    for root in folders:
        for entry in _files(root):
            sizes[entry.identity] = entry.info.st_size
    kept = 0
    doomed: dict[tuple[int, int], int] = {}
    for identity, size in sorted(sizes.items(), key=lambda item: (item[0] not in wanted, item[1])):
        if kept + size <= room:
            kept += size
        else:
            doomed[identity] = size
    removed = removed_bytes = 0
    if doomed:
        for root in folders:
            for entry in _files(root):
                if entry.identity in doomed:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.name, dir_fd=entry.dir_fd)
                        removed += 1
                        removed_bytes += doomed.pop(entry.identity, 0)
    return Trimmed(kept, removed, removed_bytes)


def _files(root: Path) -> Iterator[trees.Entry]:
    """The regular files below ``root`` (a moved tree ends the walk: nothing runs by now)."""
    with contextlib.suppress(trees.TreeMoved):
        for entry in trees.entries(root):
            if stat.S_ISREG(entry.info.st_mode):
                yield entry

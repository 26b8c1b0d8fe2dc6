"""A session in the local sandbox, unisolated: the world under ``<run_dir>/home``, each command
a plain subprocess. :mod:`.local_isolated` builds the isolated session on top of this one.

Each command gets the world's environment, the rlimits and CPU affinity, the attempt's pids
cgroup (one for the whole session, so processes that escaped an earlier command are still found
at the end) and a process group of its own, which the session's watchdog is told about while it
runs and which is killed when the command ends or times out. With a disk budget
(``Limits.disk_gb``), a :class:`~.disk.DiskGuard` thread measures the world's writable folders
from the first command to teardown (escaped processes can write between commands) and past the
budget ends the attempt: :meth:`~.session.Session.stop`, then every process of the session is
killed as at a timeout. Teardown kills what is left in the cgroup, measures once more, moves the
outputs next to ``run.log`` (symlinks and special files dropped; with a budget, no more than it
holds) and removes the world. Unisolated, the agent has the host's network and file system (see
:mod:`.local`).
"""

from __future__ import annotations

import contextlib
import os
import resource
import stat
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from mle_track.sandbox import disk, layout, trees
from mle_track.sandbox.base import AgentTask, AttemptResult, Isolation, Limits
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.outcome import Outcome
from mle_track.sandbox.processes import MARK_VARIABLE, kill_group, kill_until_gone, marked_processes
from mle_track.sandbox.session import NOT_STARTED, CommandEnd, Session, Teardown
from mle_track.sandbox.watchdog import Watchdog

_GB = 1 << 30
_MB = 1 << 20


class LocalSession(Session):
    """Made by :meth:`LocalSandbox.open_session <mle_track.sandbox.local.LocalSandbox>`, which
    builds the world, the cgroup, the watchdog and the environment."""

    #: what this session gives the agent, recorded on its result
    isolation: Isolation = "none"

    def __init__(
        self,
        task: AgentTask,
        run_dir: Path,
        paths: layout.SandboxPaths,
        python: str,
        watchdog: Watchdog,
        cgroup: PidsCgroup | None,
        env: dict[str, str],
    ) -> None:
        super().__init__(task, run_dir, paths, python, watchdog)
        self.cgroup = cgroup
        self.home = Path(paths.home)
        self._env = env
        #: the process groups of the commands that run now (the disk guard kills them)
        self._groups: set[int] = set()
        self._guard: disk.DiskGuard | None = None

    def _exec(
        self,
        argv: list[str],
        timeout_s: float,
        cwd: PurePosixPath,
        env: dict[str, str],
        out_path: Path,
    ) -> CommandEnd:
        start = time.monotonic()
        self._guard_output(out_path)
        with out_path.open("ab") as out:
            try:
                if not argv:
                    raise OSError("no command to run")
                proc = subprocess.Popen(
                    argv,
                    cwd=str(cwd),
                    env={**self._env, **env},
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=child_limits(self.task.limits, self.cgroup),
                )
            except (OSError, subprocess.SubprocessError) as exc:
                shown = repr(argv[0]) if argv else "an empty command"
                out.write(f"cannot start {shown}: {exc}\n".encode())
                now = time.monotonic()
                return CommandEnd(NOT_STARTED, False, now, now - start, start_error=str(exc))
            self._watch(proc.pid)
            timed_out = False
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                timed_out = True
                kill_group(proc.pid)
                proc.wait()
            finished = time.monotonic()
            left = kill_group(proc.pid) - {proc.pid}  # whatever the command left in its group
            self._forget(proc.pid)
        return CommandEnd(proc.returncode, timed_out, finished, finished - start, len(left))

    def _watch(self, pgid: int) -> None:
        """A command's process group runs: the watchdog and the disk guard must know it (and
        if the guard ended the attempt meanwhile, the command ends at once)."""
        self._groups.add(pgid)
        self.watchdog.watch_group(pgid)
        if self.stopped:
            kill_group(pgid)

    def _forget(self, pgid: int) -> None:
        self.watchdog.forget_group(pgid)
        self._groups.discard(pgid)

    # -- the disk budget --------------------------------------------------------------------
    def _disk_roots(self) -> tuple[list[Path], list[Path]]:
        """The world's folders the agent can write to, and what in them is not its own (the
        read-only data, which is linked or copied in, not written by the agent)."""
        return [self.home], [self.home / "data"]

    def _guard_output(self, out_path: Path) -> None:
        """Start the disk guard at the first command (nothing of the agent runs before), and
        count the files this command's output goes to."""
        budget = self.task.limits.disk_gb
        if budget is None:
            return
        if self._guard is None:
            roots, skip = self._disk_roots()
            guard = disk.DiskGuard(budget, roots, skip=skip, on_exceeded=self._over_budget)
            self._guard = guard.start()
        self._guard.files = tuple(dict.fromkeys((self.log_path, out_path)))

    def _over_budget(self, usage: disk.Usage) -> None:
        """The guard's call (from its thread): end the attempt, then kill every process of the
        session as a timeout would: the running commands' groups (an isolated command's pid
        namespace dies with bwrap), the pids cgroup, and whatever carries the session's mark."""
        assert self.task.limits.disk_gb is not None
        self.stop(disk.exceeded_reason(self.task.limits.disk_gb, usage))
        for pgid in tuple(self._groups):
            kill_group(pgid)
        if self.cgroup is not None:
            self.cgroup.kill_all()
        session_id = self._env.get(MARK_VARIABLE, "").rpartition("/")[2]
        if session_id:
            kill_until_gone(lambda: marked_processes(session_id=session_id))

    def _end_guard(self) -> int | None:
        """Stop the guard and, the processes being dead, measure the world once more: an agent
        that outgrew the budget between two walks fails all the same. Returns the bytes the
        outputs may hold (the budget), or None without one."""
        budget = self.task.limits.disk_gb
        if budget is None:
            return None
        if self._guard is not None:
            self._guard.stop()
            usage = self._guard.check()
            if usage.bytes > self._guard.budget:
                self.stop(disk.exceeded_reason(budget, usage))
        return int(budget * _GB)

    def write_file(self, path: PurePosixPath, data: bytes, mode: int = 0o644) -> None:
        target = self._inside(path)
        target.write_bytes(data)
        target.chmod(mode)

    def read_file(self, path: PurePosixPath, max_bytes: int = 1 << 20) -> bytes | None:
        try:
            target = self._inside(path)
        except ValueError:  # a link the agent's code made to somewhere outside the world
            return None
        try:  # O_NOFOLLOW: a file the agent's code replaced by a link to a host file is refused
            fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            if not os.path.isfile(target):
                return None
            return handle.read(max_bytes)

    def makedirs(self, path: PurePosixPath) -> None:
        self._inside(path).mkdir(parents=True, exist_ok=True)

    def _inside(self, path: PurePosixPath) -> Path:
        target = Path(path)
        if not target.is_absolute():
            target = Path(self.paths.agent) / target
        if not target.resolve().is_relative_to(self.home.resolve()):
            raise ValueError(f"{path} is outside the sandbox world {self.home}")
        return target

    def _teardown(self) -> Teardown:
        leftovers, hits = self._end_cgroup()
        room = self._end_guard()
        notes = collect_outputs(self.home, self.run_dir, max_bytes=room)
        if not self.task.keep:
            layout.remove_world(self.run_dir)
        return Teardown(notes, leftovers=leftovers, pid_limit_hits=hits)

    def _end_cgroup(self) -> tuple[int, int]:
        """Kill what is left in the cgroup (also what left its group with setsid), remove it;
        returns how many processes that was and how many forks the limit refused."""
        if self.cgroup is None:
            return 0, 0
        leftovers = len(self.cgroup.kill_all())
        hits = self.cgroup.limit_hits()
        self.cgroup.remove()
        return leftovers, hits

    def _close(self, outcome_of: Callable[[Teardown], Outcome]) -> AttemptResult:
        result = super()._close(outcome_of)
        if result.isolation != self.isolation:
            result = self._result = replace(result, isolation=self.isolation)
        return result


def child_limits(limits: Limits, cgroup: PidsCgroup | None) -> Callable[[], None]:
    """The child's set-up before ``exec``: join the cgroup, then lower its limits."""
    cpus = _cpu_set(limits)

    def apply() -> None:
        if cgroup is not None:
            cgroup.join()
        elif limits.pids_limit is not None:
            _lower(resource.RLIMIT_NPROC, limits.pids_limit)
        if limits.memory_gb:
            _lower(resource.RLIMIT_AS, int(limits.memory_gb * _GB))
        if limits.max_file_mb:
            _lower(resource.RLIMIT_FSIZE, int(limits.max_file_mb * _MB))
        _lower(resource.RLIMIT_CORE, 0)
        if cpus:
            os.sched_setaffinity(0, cpus)

    return apply


def _lower(which: int, value: int) -> None:
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _cpu_set(limits: Limits) -> set[int]:
    count = layout.thread_count(limits)
    allowed = sorted(os.sched_getaffinity(0))
    return set(allowed[:count]) if count else set()


def collect_outputs(home: Path, run_dir: Path, *, max_bytes: int | None = None) -> list[str]:
    """Move the outputs next to ``run.log``; drop symlinks, which could point at host files,
    and special files (pipes, sockets, devices), which no reader of the outputs expects.

    With ``max_bytes`` (the disk budget), the outputs keep at most that many bytes between them:
    ``submission/submission.csv`` first, then the smallest files; the rest is removed with the
    world rather than moved (or, across file systems, copied) into the run directory."""
    notes = []
    if max_bytes is not None:
        notes += trim_outputs(home, max_bytes)
    for name in layout.OUTPUT_DIRS:
        source, target = home / name, run_dir / name
        if source.is_dir() and not source.is_symlink():
            notes += move_tree(source, target)
        else:
            target.mkdir()
            if source.is_symlink() or source.exists():
                notes.append(f"{name}/ was replaced by the agent; nothing copied out")
        notes += _sanitise(target, name)
    return notes


def trim_outputs(home: Path, max_bytes: int) -> list[str]:
    """Leave in the world what the outputs hold past ``max_bytes``; a note if anything was.

    ``home`` is any folder holding the output folders: the docker sandbox trims its copied-out
    outputs in the run directory with it."""
    folders = [home / name for name in layout.OUTPUT_DIRS]
    folders = [folder for folder in folders if folder.is_dir() and not folder.is_symlink()]
    for folder in folders:
        trees.open_up(folder)  # a folder the agent locked is trimmed too
    submission = home / "submission" / "submission.csv"
    trimmed = disk.trim(folders, max_bytes, first=[submission])
    if not trimmed.removed_files:
        return []
    return [
        f"left {trimmed.removed_files} output file(s) ({disk.size_text(trimmed.removed_bytes)}) "
        f"in the world: the outputs hold at most the disk budget ({disk.size_text(max_bytes)})"
    ]


def _sanitise(folder: Path, name: str) -> list[str]:
    """Leave only folders and regular files below ``folder`` (an output folder called
    ``name``), none deeper than :data:`~.layout.MAX_OUTPUT_DEPTH` or with a relative path longer
    than :data:`~.layout.MAX_OUTPUT_PATH_BYTES`; a note per kind removed."""
    links = specials = 0
    cut: list[Path] = []
    with contextlib.suppress(trees.TreeMoved):  # nothing of the agent runs any more
        for entry in trees.entries(folder):
            relative = Path(*entry.folder, entry.name)
            if layout.too_deep(relative):
                if not layout.too_deep(Path(*entry.folder)):
                    cut.append(folder / relative)  # the first entry past the bounds
                continue
            mode = entry.info.st_mode
            if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.name, dir_fd=entry.dir_fd)
                if stat.S_ISLNK(mode):
                    links += 1
                else:
                    specials += 1
    for path in cut:
        trees.remove(path)
    notes = [f"removed {links} symlink(s) from {name}/"] if links else []
    notes += [f"removed {specials} special file(s) from {name}/"] if specials else []
    if cut:
        notes.append(
            f"removed {len(cut)} path(s) of {name}/ deeper than {layout.MAX_OUTPUT_DEPTH} levels "
            f"or longer than {layout.MAX_OUTPUT_PATH_BYTES} bytes, with what was below them"
        )
    return notes


def move_tree(source: Path, target: Path) -> list[str]:
    """Rename ``source`` to ``target``; across file systems, copy it (folders and regular files
    only: :func:`.trees.copy`) and remove it. Returns notes on what the copy left out."""
    try:
        source.rename(target)
        return []
    except OSError:
        pass
    notes = trees.copy(source, target)
    trees.remove(source)
    return notes

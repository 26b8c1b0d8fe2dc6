"""A session in the local sandbox: the world under ``<run_dir>/home``, each command a subprocess.

Each command gets the world's environment, the rlimits and CPU affinity, the attempt's pids
cgroup (one for the whole session, so processes that escaped an earlier command are still found
at the end) and a process group of its own, which the session's watchdog is told about while it
runs and which is killed when the command ends or times out. Teardown kills what is left in the
cgroup, moves the outputs next to ``run.log`` (symlinks dropped) and removes the world. The
isolation caveats of :mod:`.local` apply: no network or file-system isolation.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from mle_track.sandbox import layout
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.processes import kill_group
from mle_track.sandbox.session import NOT_STARTED, CommandEnd, Session, Teardown
from mle_track.sandbox.watchdog import Watchdog

_GB = 1 << 30
_MB = 1 << 20


class LocalSession(Session):
    """Made by :meth:`LocalSandbox.open_session <mle_track.sandbox.local.LocalSandbox>`, which
    builds the world, the cgroup, the watchdog and the environment."""

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

    def _exec(
        self,
        argv: list[str],
        timeout_s: float,
        cwd: PurePosixPath,
        env: dict[str, str],
        out_path: Path,
    ) -> CommandEnd:
        start = time.monotonic()
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
            self.watchdog.watch_group(proc.pid)
            timed_out = False
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                timed_out = True
                kill_group(proc.pid)
                proc.wait()
            finished = time.monotonic()
            left = kill_group(proc.pid) - {proc.pid}  # whatever the command left in its group
            self.watchdog.forget_group(proc.pid)
        return CommandEnd(proc.returncode, timed_out, finished, finished - start, len(left))

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
        leftovers, hits = 0, 0
        if self.cgroup is not None:  # also those that left their group with setsid
            leftovers = len(self.cgroup.kill_all())
            hits = self.cgroup.limit_hits()
            self.cgroup.remove()
        notes = collect_outputs(self.home, self.run_dir)
        if not self.task.keep:
            layout.remove_world(self.run_dir)
        return Teardown(notes, leftovers=leftovers, pid_limit_hits=hits)


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


def collect_outputs(home: Path, run_dir: Path) -> list[str]:
    """Move the outputs next to ``run.log``; drop symlinks, which could point at host files."""
    notes = []
    for name in layout.OUTPUT_DIRS:
        source, target = home / name, run_dir / name
        if source.is_dir() and not source.is_symlink():
            source.rename(target)
        else:
            target.mkdir()
            if source.is_symlink() or source.exists():
                notes.append(f"{name}/ was replaced by the agent; nothing copied out")
        links = [
            Path(folder, entry)
            for folder, dirs, files in os.walk(target)
            for entry in (*dirs, *files)
            if Path(folder, entry).is_symlink()
        ]
        for link in links:
            link.unlink()
        if links:
            notes.append(f"removed {len(links)} symlink(s) from {name}/")
    return notes

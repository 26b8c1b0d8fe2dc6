"""A session in the local sandbox: the world under ``<run_dir>/home``, each command a subprocess.

Each command gets what :class:`~mle_track.sandbox.local.LocalSandbox` gives its one agent
process: the world's environment, the rlimits and CPU affinity, the attempt's pids cgroup (one
for the whole session, so processes that escaped an earlier command are still found), a process
group of its own that is killed when the command ends or times out. The same isolation caveats
apply: no network or file-system isolation; use the docker sandbox for untrusted code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path, PurePosixPath

from mle_track.sandbox import layout
from mle_track.sandbox.base import AgentTask
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.local import (
    LocalSandbox,
    _collect,
    _environment,
    _kill_group,
    _limiter,
    refuse_privileged,
)
from mle_track.sandbox.session import Session


def open_local_session(sandbox: LocalSandbox, task: AgentTask, run_dir: Path) -> LocalSession:
    refuse_privileged(task)
    run_dir = run_dir.resolve()
    paths = layout.SandboxPaths.under(PurePosixPath(run_dir / "home"))
    layout.clear_run_dir(run_dir, extra=("home",))
    sandbox._build_world(task, paths)
    cgroup = None
    if sandbox.use_cgroup and task.limits.pids_limit is not None:
        cgroup = PidsCgroup.create(task.limits.pids_limit, label=task.competition_id[:40])
    return LocalSession(task, run_dir, paths, sandbox.python, cgroup)


class LocalSession(Session):
    def __init__(
        self,
        task: AgentTask,
        run_dir: Path,
        paths: layout.SandboxPaths,
        python: str,
        cgroup: PidsCgroup | None,
    ) -> None:
        super().__init__(task, run_dir, paths, python)
        self.cgroup = cgroup
        self.home = Path(paths.home)
        self._env = _environment(task, paths)

    def _exec(
        self,
        argv: list[str],
        timeout_s: float,
        cwd: PurePosixPath,
        env: dict[str, str],
        out_path: Path,
    ) -> tuple[int | None, bool, float]:
        start = time.monotonic()
        with out_path.open("wb") as out:
            try:
                proc = subprocess.Popen(
                    argv,
                    cwd=str(cwd),
                    env={**self._env, **env},
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_limiter(self.task.limits, self.cgroup),
                )
            except OSError as exc:
                out.write(f"cannot start {argv[0]!r}: {exc}\n".encode())
                return 127, False, time.monotonic() - start
            timed_out = False
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(proc.pid)
                proc.wait()
            wall = time.monotonic() - start
            _kill_group(proc.pid)  # whatever the command left running in its group
        return proc.returncode, timed_out, wall

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

    def _teardown(self) -> list[str]:
        if self.cgroup is not None:
            self.cgroup.kill_all()
            self.cgroup.remove()
        notes = _collect(self.home, self.run_dir)
        if not self.task.keep:
            layout.make_removable(self.home)
            shutil.rmtree(self.home, ignore_errors=True)
        return notes

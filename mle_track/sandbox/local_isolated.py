"""The isolated local sandbox: a world staged in a neutral folder, every command in bubblewrap.

The agent sees the container's paths (``/home/data``, ``/home/submission``, …,
``/opt/mle-track``), so an agent meets the same world here as in Docker, and nothing of the
host's: a bind mount shows its source path in ``/proc/self/mountinfo``, so the world is not
bound from the run directory or the data root but staged in ``$TMPDIR/mle-track-world-XXXX``:

=============================  ===============================================================
``home/``        → ``/home``    writable (the agent's ``$HOME``): ``submission/ logs/ code/
                                agent/``; ``data/`` (the public files hard-linked, copied across
                                file systems) and the instructions and validation script are
                                mounted read-only over it
``opt/``         → ``/opt/mle-track``   read-only: the validator, its rules and the mount
                                points of the Python runtime (:mod:`.runtime`)
``tmp/``         → ``/tmp``     writable, on disk (a tmpfs would count against the host's memory)
``etc/``         → ``/etc/passwd``, ``group``, ``hostname``, ``hosts``: the agent's user
=============================  ===============================================================

The rest is :func:`~.bwrap.sandbox_options` (the system read-only, ``/proc``, ``/dev``, a
``/dev/shm`` of ``shm_size_gb`` or Docker's 64 MB), the runtime's read-only mounts, and the root
remounted read-only last (bwrap's root is a tmpfs: a file written there would take memory). Each
command's output reaches ``run.log`` through a pipe the harness copies (a file's descriptor would
name its host path in ``/proc/self/fd``), capped at the file-size limit.

The run directory records the staging folder (:data:`~.layout.STAGE_POINTER`) until teardown,
which moves the outputs next to ``run.log`` and removes the stage, so a later harness can remove
what a dead one left. Host-side file access (AIDE writing its scripts) maps world paths into the
stage and refuses anything else, links that lead out of it and writes into the data.
"""

from __future__ import annotations

import contextlib
import glob
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from mle_track.sandbox import bwrap, layout, runtime
from mle_track.sandbox.base import CONTAINER_HOME, AgentTask, Isolation
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.local_session import LocalSession, child_limits, collect_outputs, move_tree
from mle_track.sandbox.outcome import last_line, log_tail
from mle_track.sandbox.processes import kill_group
from mle_track.sandbox.rules import ValidationRules, rules_for
from mle_track.sandbox.session import NOT_STARTED, CommandEnd, Teardown
from mle_track.sandbox.watchdog import Watchdog

WORLD_TMP = PurePosixPath("/tmp")
#: the size of ``/dev/shm`` (memory) when the limits name none: Docker's default
DEFAULT_SHM_BYTES = 64 << 20
#: how long the harness waits for a finished command's output to drain
PUMP_TIMEOUT_S = 10.0
_GB = 1 << 30
_MB = 1 << 20


@dataclass(frozen=True)
class IsolatedWorld:
    """A staged world and the bubblewrap options that show it (and only it) to the agent."""

    stage: Path
    paths: layout.SandboxPaths
    runtime: runtime.Runtime
    options: tuple[str, ...]

    @property
    def home(self) -> Path:
        return self.stage / "home"

    @property
    def roots(self) -> tuple[tuple[PurePosixPath, Path], ...]:
        """World folders the harness may reach into, and where they are staged."""
        return ((self.paths.home, self.home), (WORLD_TMP, self.stage / "tmp"))

    @classmethod
    def build(cls, task: AgentTask, run_dir: Path, support: bwrap.Support) -> IsolatedWorld:
        """Stage the task's world and record it in ``run_dir``; removed again on failure."""
        public = layout.check_public_dir(task.public_dir)
        rules = rules_for(task.competition_id, public)
        paths = layout.SandboxPaths.under(PurePosixPath(CONTAINER_HOME), runtime.WORLD_ROOT)
        stage = Path(tempfile.mkdtemp(prefix=layout.STAGE_PREFIX))
        layout.point_at_stage(run_dir, stage)
        try:
            return cls._stage(task, stage, paths, rules, public, support)
        except BaseException:
            layout.remove_stage(run_dir)
            raise

    @classmethod
    def _stage(
        cls,
        task: AgentTask,
        stage: Path,
        paths: layout.SandboxPaths,
        rules: ValidationRules,
        public: Path,
        support: bwrap.Support,
    ) -> IsolatedWorld:
        home, opt, etc = stage / "home", stage / "opt", stage / "etc"
        for writable in paths.writable:
            (home / writable.relative_to(paths.home)).mkdir(parents=True)
        for folder in (opt, etc, stage / "tmp"):
            folder.mkdir()
        layout.copy_agent_dir(task.agent_dir, home / "agent")
        world_runtime = runtime.build(stage)
        staged = {paths.home: home, paths.validator_dir: opt}
        for item in layout.world_files(
            task, paths, rules, python=world_runtime.python, server_url=None
        ):
            target = _staged_path(item.path, staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.content)
            target.chmod(item.mode)
        for bind in world_runtime.binds:  # mount points of the runtime inside /opt/mle-track
            if bind.target.parent == runtime.WORLD_ROOT:
                (opt / bind.target.name).mkdir(exist_ok=True)
        layout.link_tree(public, home / "data", copy=True)
        etc_files = _write_etc(etc, support, network=task.network)
        limits = task.limits
        shm_bytes = int(limits.shm_size_gb * _GB) if limits.shm_size_gb else DEFAULT_SHM_BYTES
        options = bwrap.sandbox_options(support, network=task.network, shm_bytes=shm_bytes)
        options += ["--ro-bind", str(opt), str(paths.validator_dir)]
        for bind in world_runtime.binds:
            options += ["--ro-bind", str(bind.source), str(bind.target)]
        options += ["--bind", str(home), str(paths.home)]
        for ro in (paths.data, paths.instructions, paths.validate_script):
            options += ["--ro-bind", str(_staged_path(ro, staged)), str(ro)]
        options += ["--bind", str(stage / "tmp"), str(WORLD_TMP)]
        for name in etc_files:
            options += ["--ro-bind", str(etc / name), f"/etc/{name}"]
        if limits.gpus:
            for device in sorted(glob.glob("/dev/nvidia*")):
                options += ["--dev-bind", device, device]
        options += ["--remount-ro", "/"]  # bwrap's root is a tmpfs: writing there takes memory
        return cls(stage, paths, world_runtime, tuple(options))


def _staged_path(path: PurePosixPath, staged: dict[PurePosixPath, Path]) -> Path:
    for world, host in staged.items():
        if path.is_relative_to(world):
            return host / path.relative_to(world)
    raise ValueError(f"{path} is not part of the staged world")


def _write_etc(etc: Path, support: bwrap.Support, *, network: bool) -> list[str]:
    """The agent's user and host names (the host's would name its users and machines)."""
    user, uid = ("agent", bwrap.AGENT_UID) if support.userns else ("root", 0)
    files = {
        "passwd": f"root:x:0:0:root:/root:/bin/sh\n{user}:x:{uid}:{uid}:{user}:/home:/bin/sh\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
        "group": f"root:x:0:\n{user}:x:{uid}:\nnogroup:x:65534:\n",
        "hostname": f"{bwrap.HOSTNAME}\n",
    }
    if not network:
        files["hosts"] = (
            f"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            f"127.0.1.1\t{bwrap.HOSTNAME}\n"
        )
    for name, text in files.items():
        if user == "root" and name in ("passwd", "group"):
            text = "\n".join(dict.fromkeys(text.splitlines())) + "\n"  # root once, not twice
        (etc / name).write_text(text)
    return list(files)


def environment(
    task: AgentTask, paths: layout.SandboxPaths, world: IsolatedWorld
) -> dict[str, str]:
    """The agent's environment: nothing of the host but its locale (and, with network, its
    proxies); paths are the world's own, the interpreter first on ``PATH``."""
    env = {k: os.environ[k] for k in ("LANG", "LC_ALL", "LC_CTYPE", "TZ") if k in os.environ}
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE"):
        value = os.environ.get(name, "")
        if value.startswith(("/etc/", "/usr/")):  # where the sandbox shows the same file
            env[name] = value
    if task.network:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy"):
            if name in os.environ:
                env[name] = os.environ[name]
    env.update(world.runtime.env)
    env["HOME"] = str(paths.home)
    env["TMPDIR"] = str(WORLD_TMP)
    gpus = task.limits.gpus
    env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in range(gpus)) if gpus else ""
    env.update(layout.agent_env(task, paths))
    return env


class IsolatedSession(LocalSession):
    """Each command runs in a fresh bubblewrap sandbox over the one staged world."""

    isolation: Isolation = "namespaces"

    def __init__(
        self,
        task: AgentTask,
        run_dir: Path,
        world: IsolatedWorld,
        support: bwrap.Support,
        watchdog: Watchdog,
        cgroup: PidsCgroup | None,
        env: dict[str, str],
    ) -> None:
        super().__init__(task, run_dir, world.paths, world.runtime.python, watchdog, cgroup, env)
        assert support.binary is not None
        self.world = world
        self.binary = support.binary
        self.home = world.home
        #: commands naming the harness's interpreter run the world's
        self.host_pythons = {sys.executable, os.path.realpath(sys.executable)}

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
        if not argv:
            with out_path.open("ab") as out:
                out.write(b"cannot start an empty command\n")
            return CommandEnd(NOT_STARTED, False, start, 0.0, start_error="no command to run")
        if argv[0] in self.host_pythons:
            argv = [self.python, *argv[1:]]
        cwd = self.paths.agent / cwd  # a relative folder is the agent's
        ours: list[int] = []  # read ends, kept until the command has ended
        theirs: list[int] = []  # the child's ends, closed here once bwrap has them
        try:
            theirs.append(bwrap.args_fd([*self.world.options, "--chdir", str(cwd)]))
            for _ in range(2):
                read, write = os.pipe()
                ours.append(read)
                theirs.append(write)
            info, report_end = ours
            launch = bwrap.command(self.binary, theirs[0], theirs[1], self.python, theirs[2], argv)
            with out_path.open("ab") as out:
                try:  # output through a pipe: a file's fd would name its host path in /proc
                    proc = subprocess.Popen(
                        launch,
                        cwd="/",
                        env={**self._env, **env},
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                        pass_fds=tuple(theirs),
                        preexec_fn=child_limits(self.task.limits, self.cgroup),
                    )
                except (OSError, subprocess.SubprocessError) as exc:
                    out.write(f"cannot start the sandbox ({self.binary}): {exc}\n".encode())
                    now = time.monotonic()
                    error = f"cannot start the sandbox: {exc}"
                    return CommandEnd(NOT_STARTED, False, now, now - start, start_error=error)
                finally:
                    _close(theirs)
                assert proc.stdout is not None
                pump = _Pump(proc.stdout, out, self.task.limits.max_file_mb)
                timed_out = self._wait(proc, timeout_s)
                finished = time.monotonic()
                namespace = bwrap.read_pid_namespace(info)
                if namespace is not None:  # bwrap's pid 1 dies with bwrap; make sure it has
                    bwrap.end_namespace(namespace)
                pump.finish()
                report = bwrap.read_report(report_end)
                if report.start_error:
                    out.write(f"cannot start {argv[0]!r}: {report.start_error}\n".encode())
        finally:
            _close(ours + theirs)
        code = proc.returncode
        if report.exit_code is not None and report.exit_code < 0 and code == 128 - report.exit_code:
            code = report.exit_code  # killed by a signal, as the unisolated sandbox says it
        error = report.start_error
        if not report.started and not timed_out:
            error = f"the sandbox did not start: {last_line(log_tail(out_path)) or code}"
        leftovers = 0 if timed_out else report.leftovers
        return CommandEnd(code, timed_out, finished, finished - start, leftovers, error)

    def _wait(self, proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
        """Wait for bwrap until ``timeout_s``, then kill its group (its pid 1, in a session of
        its own, dies with it); True if it timed out."""
        self._watch(proc.pid)
        timed_out = False
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc.pid)
            proc.wait()
        kill_group(proc.pid)
        self._forget(proc.pid)
        return timed_out

    def host_path(self, path: PurePosixPath) -> Path:
        """Where a path of the world (``/home/…``, ``/tmp/…``) is staged on the host."""
        return self._inside(path)

    def write_file(self, path: PurePosixPath, data: bytes, mode: int = 0o644) -> None:
        self._refuse_data(path)
        super().write_file(path, data, mode)

    def makedirs(self, path: PurePosixPath) -> None:
        self._refuse_data(path)
        super().makedirs(path)

    def _refuse_data(self, path: PurePosixPath) -> None:
        target = PurePosixPath(os.path.normpath(self.paths.agent / path))
        if target.is_relative_to(self.paths.data):
            raise ValueError(f"{path} is in the read-only data folder")

    def _inside(self, path: PurePosixPath) -> Path:
        target = PurePosixPath(os.path.normpath(self.paths.agent / path))
        for world, host in self.world.roots:
            if target.is_relative_to(world):
                candidate = host / target.relative_to(world)
                if not candidate.resolve().is_relative_to(host.resolve()):
                    break  # a link the agent's code made to somewhere outside the world
                return candidate
        raise ValueError(f"{path} is outside the sandbox world")

    def _disk_roots(self) -> tuple[list[Path], list[Path]]:
        """The staged ``home/`` (its data left out) and ``tmp/``; the rest of the stage is
        mounted read-only, and ``/dev/shm`` is a tmpfs of its own size."""
        return [self.home, self.world.stage / "tmp"], [self.home / "data"]

    def _teardown(self) -> Teardown:
        leftovers, hits = self._end_cgroup()
        room = self._end_guard()
        notes = collect_outputs(self.home, self.run_dir, max_bytes=room)
        if self.task.keep:
            notes += move_tree(self.home, self.run_dir / "home")
        layout.remove_stage(self.run_dir)
        return Teardown(notes, leftovers=leftovers, pid_limit_hits=hits)


class _Pump:
    """Copies a command's output from its pipe into the log while it runs. The log is written
    by the harness, so ``RLIMIT_FSIZE`` no longer bounds it: past the file-size limit the rest
    is read and dropped (never left in the pipe, where it would block the agent)."""

    def __init__(self, source: IO[bytes], out: IO[bytes], max_file_mb: float | None) -> None:
        self.source, self.out = source, out
        self.room = int(max_file_mb * _MB) if max_file_mb else None
        self.dropped = 0
        self.thread = threading.Thread(target=self._copy, name="mle-track-output", daemon=True)
        self.thread.start()

    def _copy(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := os.read(self.source.fileno(), 65536):
                if self.room is not None:
                    kept, self.room = chunk[: self.room], max(0, self.room - len(chunk))
                    self.dropped += len(chunk) - len(kept)
                    chunk = kept
                if chunk:
                    self.out.write(chunk)
                    self.out.flush()

    def finish(self, timeout_s: float = PUMP_TIMEOUT_S) -> None:
        """Wait until the pipe is drained (its writers are dead by now), then close it."""
        self.thread.join(timeout_s)
        self.source.close()
        if self.dropped:
            self.out.write(f"\n[{self.dropped} bytes over the file-size limit dropped]\n".encode())


def _close(fds: list[int]) -> None:
    while fds:
        with contextlib.suppress(OSError):
            os.close(fds.pop())

"""A session in the docker sandbox: one running container, each command a ``docker exec``.

The container is made by :meth:`DockerSandbox.open_session
<mle_track.sandbox.docker.DockerSandbox.open_session>` (limits, no network by default, public
data read-only, validator running as root) and kept idle between commands. Each command runs as
``nonroot`` with ``exec_create``/``exec_start``; docker-py has no timeout for an exec, so ours is
a monotonic deadline polled while a thread copies the output stream. When a command ends, or at
its deadline, every ``nonroot`` process is killed (``kill -KILL -1`` run as that user signals
every process it owns but itself): nothing a command started in the background outlives it,
while the idle init and the root-owned validator stay; the ones that were still running are
counted. Files go in with ``put_archive`` (owned by ``nonroot``) and come out with
``get_archive``. Teardown kills the container (which ends everything in it), reads whether the
kernel's OOM killer acted, copies ``submission/``, ``logs/`` and ``code/`` out (regular files
only) and removes the container unless the task keeps it.
"""

from __future__ import annotations

import contextlib
import io
import tarfile
import threading
import time
from pathlib import Path, PurePosixPath
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, layout
from mle_track.sandbox.base import CONTAINER_HOME, AgentTask
from mle_track.sandbox.docker_api import kill_container, sdk
from mle_track.sandbox.session import CommandEnd, Session, Teardown
from mle_track.sandbox.watchdog import Watchdog

AGENT_USER = "nonroot"
#: where the validator and its rules live in the container (root-owned, outside /home)
VALIDATOR_DIR = PurePosixPath("/opt/mle-track")
#: what a one-shot attempt runs when its task names no command (MLE-bench's agent contract)
DEFAULT_COMMAND = ("bash", "/home/agent/start.sh")
#: the interpreter of the env image (and of MLE-bench's, through its conda env on PATH)
CONTAINER_PYTHON = "python"
#: the idle process that keeps the container up between commands
IDLE_COMMAND = ("tail", "-f", "/dev/null")
#: seconds an agent's output stream may stay open after the agent itself has exited
STREAM_GRACE_S = 2.0
#: seconds to wait for Docker to report an exec as ended once its processes are gone
EXIT_REPORT_S = 5.0
_POLL_S = 0.1


class DockerSession(Session):
    default_command = DEFAULT_COMMAND

    def __init__(
        self,
        task: AgentTask,
        run_dir: Path,
        paths: layout.SandboxPaths,
        watchdog: Watchdog,
        client: Any,
        container: Any,
    ) -> None:
        super().__init__(task, run_dir, paths, CONTAINER_PYTHON, watchdog)
        self.client = client
        self.container = container
        self._owner: tuple[int, int] | None = None
        self._env = layout.agent_env(task, paths)

    @property
    def api(self) -> Any:
        return self.client.api

    def _exec(
        self,
        argv: list[str],
        timeout_s: float,
        cwd: PurePosixPath,
        env: dict[str, str],
        out_path: Path,
    ) -> CommandEnd:
        api = self.api
        exec_id = api.exec_create(
            self.container.id,
            argv,
            user=AGENT_USER,
            workdir=str(cwd),
            environment={**self._env, **env},
        )["Id"]
        start, timed_out, exited_at, pump = watch_exec(api, exec_id, out_path, timeout_s, _POLL_S)
        finished = time.monotonic() if timed_out or exited_at is None else exited_at
        leftovers = 0 if timed_out else count_leftovers(self.container)
        self._kill_agent_processes()
        pump.join(timeout=5)
        info = self._exit_report(exec_id)
        if not timed_out and info["Running"]:  # it never ended, though its stream did
            timed_out = True
        exit_code = None if timed_out else info["ExitCode"]
        return CommandEnd(exit_code, timed_out, finished, finished - start, leftovers)

    def _exit_report(self, exec_id: str) -> Any:
        """The exec's state once Docker has noticed its end (which lags the stream's end)."""
        deadline = time.monotonic() + EXIT_REPORT_S
        while True:
            info = self.api.exec_inspect(exec_id)
            if not info["Running"] or time.monotonic() > deadline:
                return info
            time.sleep(_POLL_S)

    def _kill_agent_processes(self) -> None:
        with contextlib.suppress(Exception):
            self.container.exec_run(
                ["sh", "-c", "kill -KILL -1 2>/dev/null; true"], user=AGENT_USER
            )

    def write_file(self, path: PurePosixPath, data: bytes, mode: int = 0o644) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            info = tarfile.TarInfo(path.name)
            info.size, info.mode, info.mtime = len(data), mode, int(time.time())
            info.uid, info.gid = self._agent_ids()
            tar.addfile(info, io.BytesIO(data))
        try:
            ok = self.container.put_archive(str(path.parent), buffer.getvalue())
        except sdk().errors.APIError as exc:
            raise SandboxError(f"could not write {path} into the container: {exc}") from None
        if not ok:
            raise SandboxError(f"could not write {path} into the container")

    def _agent_ids(self) -> tuple[int, int]:
        """The agent user's uid and gid in this image (asked once, when a file is written)."""
        if self._owner is None:
            script = f"id -u {AGENT_USER}; id -g {AGENT_USER}"
            ids = self.container.exec_run(["sh", "-c", script]).output
            uid, gid = (int(x) for x in ids.decode().split()[:2])
            self._owner = (uid, gid)
        return self._owner

    def read_file(self, path: PurePosixPath, max_bytes: int = 1 << 20) -> bytes | None:
        try:
            chunks, _ = self.container.get_archive(str(path))
        except sdk().errors.NotFound:
            return None
        with archives.spool(chunks) as spooled, tarfile.open(fileobj=spooled, mode="r|") as tar:
            member = tar.next()
            if member is None or not member.isreg():
                return None
            handle = tar.extractfile(member)
            return handle.read(max_bytes) if handle is not None else None

    def makedirs(self, path: PurePosixPath) -> None:
        code, output = self.container.exec_run(["mkdir", "-p", str(path)], user=AGENT_USER)
        if code != 0:
            raise SandboxError(f"could not create {path}: {output.decode(errors='replace')}")

    def _teardown(self) -> Teardown:
        try:
            kill_container(self.container)
            oom = self._oom_killed()
            notes = copy_outputs(self.container, self.run_dir)
        finally:
            kill_container(self.container)
            if not self.task.keep:
                with contextlib.suppress(Exception):
                    self.container.remove(force=True)
        if self.task.keep:
            notes.append(f"container {self.container.name} kept")
        return Teardown(notes, oom_killed=oom)

    def _oom_killed(self) -> bool:
        with contextlib.suppress(Exception):
            self.container.reload()
            return bool(self.container.attrs["State"].get("OOMKilled"))
        return False


def watch_exec(
    api: Any, exec_id: str, log_path: Path, timeout_s: float, poll_s: float
) -> tuple[float, bool, float | None, threading.Thread]:
    """Start an exec, stream its output into ``log_path`` and wait under our own deadline.

    ``exec_start``'s stream has no timeout of its own, so a thread pumps it while this loop
    watches the clock and the exec's state. A background child can keep the stream open after
    the command exits: the wait ends ``STREAM_GRACE_S`` after the exit. Returns (start time,
    timed out, exit time or None, the pump thread); the caller kills what is left and joins.
    """
    start = time.monotonic()
    deadline = start + timeout_s
    stream = api.exec_start(exec_id, stream=True)
    pump = threading.Thread(target=_pump, args=(stream, log_path), daemon=True)
    pump.start()
    timed_out, exited_at = False, None
    while pump.is_alive():
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        pump.join(timeout=min(poll_s, deadline - now))
        if exited_at is None and not api.exec_inspect(exec_id)["Running"]:
            exited_at = time.monotonic()
        if exited_at is not None and time.monotonic() - exited_at > STREAM_GRACE_S:
            break  # the command is gone; a background child holds its output open
    return start, timed_out, exited_at, pump


def _pump(stream: Any, log_path: Path) -> None:
    """Copy the agent's output stream into ``log_path`` as it arrives."""
    # the stream breaks off when the container is killed: that is its normal end here
    with log_path.open("ab") as log, contextlib.suppress(Exception):
        for chunk in stream:
            log.write(chunk)
            log.flush()


def count_leftovers(container: Any) -> int:
    """Processes still running after a command exited, besides our init, idler and server."""
    ours = (" ".join(IDLE_COMMAND), "docker-init", VALIDATOR_DIR.as_posix())
    try:
        processes = container.top(ps_args="-o pid,args")["Processes"] or []
    except Exception:  # the container may already be gone
        return 0
    return sum(1 for row in processes if not any(mark in row[-1] for mark in ours))


def copy_outputs(container: Any, run_dir: Path) -> list[str]:
    """``submission/``, ``logs/`` and ``code/`` out of the container (it may be stopped)."""
    errors = sdk().errors
    notes: list[str] = []
    for name in layout.OUTPUT_DIRS:
        try:
            chunks, _ = container.get_archive(str(CONTAINER_HOME / name))
        except errors.NotFound:
            notes.append(f"/home/{name} was missing in the container")
            (run_dir / name).mkdir(exist_ok=True)
            continue
        with archives.spool(chunks) as tar:
            notes += archives.extract_outputs(tar, run_dir)
        (run_dir / name).mkdir(exist_ok=True)
    return notes

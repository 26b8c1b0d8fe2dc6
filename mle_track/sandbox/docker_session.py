"""A session in the docker sandbox: one running container, each command a ``docker exec``.

The container is made by :meth:`DockerSandbox.open_session
<mle_track.sandbox.docker.DockerSandbox.open_session>` (limits, no network by default, public
data read-only, no capabilities, a read-only root file system, validator running as root) and
kept idle between commands. Each command runs as ``nonroot`` (the :class:`AgentUser` looked up
in the image) with ``exec_create``/``exec_start``; docker-py has no timeout for an exec, so ours is
a monotonic deadline polled while a thread copies the output stream. When a command ends, or at
its deadline, every ``nonroot`` process is killed (``kill -KILL -1`` run as that user signals
every process it owns but itself): nothing a command started in the background outlives it,
while the idle init and the root-owned validator stay; the ones that were still running are
counted. Files go in with ``put_archive`` (owned by ``nonroot``) and come out with
``get_archive``. Teardown kills the container (which ends everything in it), reads whether the
kernel's OOM killer acted, copies ``submission/``, ``logs/`` and ``code/`` out (regular files
only; they live on a volume, so a killed container still has them) and removes the container,
its volumes and its staged data unless the task keeps them.

With a disk budget (``Limits.disk_gb``) a guard of :mod:`.docker_disk` measures the agent's
writable places from the first command to teardown; past the budget it ends the attempt as a
timeout ends a command (:meth:`~.session.Session.stop`, then every ``nonroot`` process killed),
so the attempt fails with the reason the local sandboxes give. Teardown measures once more
before the container is killed (its tmpfs goes with it) and copies out at most the budget
(:func:`~.archives.extract_outputs`: streamed, so a sparse file costs the host nothing).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, disk, docker_disk, layout
from mle_track.sandbox.base import CONTAINER_HOME, AgentTask, AttemptResult, Isolation
from mle_track.sandbox.docker_api import kill_container, remove_container, sdk
from mle_track.sandbox.outcome import Outcome
from mle_track.sandbox.session import NOT_STARTED, CommandEnd, Session, Teardown
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
#: the uid and gid the agent runs as in an image without a ``nonroot`` user
FALLBACK_IDS = (1000, 1000)


@dataclass(frozen=True)
class AgentUser:
    """Who the agent runs as: the image's ``nonroot`` user, looked up (never created: the
    root file system is read-only), or uid 1000 in an image that has none."""

    #: ``docker exec``'s ``user``: the name when the image knows it, else ``uid:gid``
    exec_user: str
    uid: int
    gid: int
    #: variables an image without the user cannot give (its passwd has no home for it)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def owner(self) -> tuple[int, int]:
        return (self.uid, self.gid)

    @classmethod
    def lookup(cls, container: Any) -> AgentUser:
        script = f"id -u {AGENT_USER} && id -g {AGENT_USER}"
        code, output = container.exec_run(["sh", "-c", script], user="root")
        ids = output.decode(errors="replace").split()
        if code == 0 and len(ids) >= 2 and all(i.isdigit() for i in ids[:2]):
            return cls(AGENT_USER, int(ids[0]), int(ids[1]))
        uid, gid = FALLBACK_IDS
        home = str(CONTAINER_HOME / "agent")
        return cls(f"{uid}:{gid}", uid, gid, {"HOME": home, "USER": AGENT_USER})


class DockerSession(Session):
    default_command = DEFAULT_COMMAND
    #: what this session gives the agent, recorded on its result (``sandbox.isolation``)
    isolation: Isolation = "docker"

    def __init__(
        self,
        task: AgentTask,
        run_dir: Path,
        paths: layout.SandboxPaths,
        watchdog: Watchdog,
        client: Any,
        container: Any,
        user: AgentUser,
    ) -> None:
        super().__init__(task, run_dir, paths, CONTAINER_PYTHON, watchdog)
        self.client = client
        self.container = container
        self.user = user
        self._env = {**user.env, **layout.agent_env(task, paths)}
        self._guard: disk.DiskGuard | None = None
        self._guard_started = False

    def prepare_guard(self) -> None:
        """Choose how the disk budget is measured (raises SandboxError when it cannot be):
        called once the container runs, before the agent does."""
        budget = self.task.limits.disk_gb
        if budget is not None and self._guard is None:
            self._guard = docker_disk.make_guard(
                self.container, budget, self.user.exec_user, self._over_budget
            )

    def _over_budget(self, usage: disk.Usage) -> None:
        """The guard's call (from its thread): end the attempt and kill the container at once.

        Not the ``kill -KILL -1`` exec of a command's timeout: an exec is three API calls and a
        process started in the container, a few hundred milliseconds under load, during which
        an agent writing at the disk's speed keeps writing (hundreds of MB past the budget). One
        kill of the container's init ends every process in it; its volumes keep the outputs for
        the copy-out, and the attempt is over anyway (the session is stopped). A harness that
        may signal the container's init itself (root beside a local daemon) does so first: a
        signal, where the daemon's kill is an API round trip of tens of milliseconds."""
        assert self.task.limits.disk_gb is not None
        self.stop(disk.exceeded_reason(self.task.limits.disk_gb, usage))
        kill_init(self.container)
        kill_container(self.container)

    def _guard_output(self, out_path: Path) -> None:
        """Start the guard at the first command (nothing of the agent runs before) and count
        the files this command's output goes to, as the local sandboxes do."""
        if self._guard is None:
            return
        self._guard.files = tuple(dict.fromkeys((self.log_path, out_path)))
        if not self._guard_started:
            self._guard_started = True
            self._guard.start()

    def _end_guard(self) -> int | None:
        """Stop the guard and measure once more (the agent's processes are dead after each
        command; the container still runs, so its tmpfs is still there): an agent that
        outgrew the budget between two measures fails all the same. Returns the bytes the
        outputs may keep (the budget), or None without one."""
        budget = self.task.limits.disk_gb
        if budget is None or self._guard is None:
            return None
        self._guard.stop()
        usage = self._guard.check()
        if usage.bytes > self._guard.budget:
            self.stop(disk.exceeded_reason(budget, usage))
        return self._guard.budget

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
        self._guard_output(out_path)
        try:
            exec_id = api.exec_create(
                self.container.id,
                argv,
                user=self.user.exec_user,
                workdir=str(cwd),
                environment={**self._env, **env},
            )["Id"]
        except sdk().errors.APIError as exc:  # the container died (OOM, a crashed runtime …)
            now = time.monotonic()
            reason = f"the container is not running: {self._state()}"
            with out_path.open("ab") as out:
                out.write(f"cannot start {argv[0]!r}: {reason} ({exc.explanation})\n".encode())
            return CommandEnd(NOT_STARTED, False, now, 0.0, start_error=reason)
        limit = self.task.limits.max_file_mb
        cap = int(limit * (1 << 20)) if limit else None
        start, timed_out, exited_at, pump = watch_exec(
            api, exec_id, out_path, timeout_s, _POLL_S, max_bytes=cap
        )
        finished = time.monotonic() if timed_out or exited_at is None else exited_at
        leftovers = 0 if timed_out else count_leftovers(self.container)
        self._kill_agent_processes()
        pump.join(timeout=5)
        info = self._exit_report(exec_id)
        if not timed_out and info["Running"]:  # it never ended, though its stream did
            timed_out = True
        exit_code = None if timed_out else info["ExitCode"]
        return CommandEnd(exit_code, timed_out, finished, finished - start, leftovers)

    def _state(self) -> str:
        """The container's state as Docker reports it, in a few words."""
        try:
            self.container.reload()
            state = self.container.attrs["State"]
        except Exception:  # gone altogether
            return "it no longer exists"
        words = [str(state.get("Status", "unknown"))]
        if state.get("OOMKilled"):
            words.append("killed for lack of memory")
        if state.get("ExitCode") not in (None, 0):
            words.append(f"exit code {state['ExitCode']}")
        if state.get("Error"):
            words.append(str(state["Error"]))
        return ", ".join(words)

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
                ["sh", "-c", "kill -KILL -1 2>/dev/null; true"], user=self.user.exec_user
            )

    def write_file(self, path: PurePosixPath, data: bytes, mode: int = 0o644) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            info = tarfile.TarInfo(path.name)
            info.size, info.mode, info.mtime = len(data), mode, int(time.time())
            info.uid, info.gid = self.user.owner
            tar.addfile(info, io.BytesIO(data))
        try:
            ok = self.container.put_archive(str(path.parent), buffer.getvalue())
        except sdk().errors.APIError as exc:
            raise SandboxError(f"could not write {path} into the container: {exc}") from None
        if not ok:
            raise SandboxError(f"could not write {path} into the container")

    def read_file(self, path: PurePosixPath, max_bytes: int = 1 << 20) -> bytes | None:
        try:
            chunks, _ = self.container.get_archive(str(path))
        except sdk().errors.NotFound:
            return None
        with archives.stream(chunks) as source, tarfile.open(fileobj=source, mode="r|") as tar:
            member = tar.next()
            if member is None or not member.isreg():
                return None
            handle = tar.extractfile(member)
            return handle.read(max_bytes) if handle is not None else None

    def makedirs(self, path: PurePosixPath) -> None:
        code, output = self.container.exec_run(["mkdir", "-p", str(path)], user=self.user.exec_user)
        if code != 0:
            raise SandboxError(f"could not create {path}: {output.decode(errors='replace')}")

    def _teardown(self) -> Teardown:
        try:
            room = self._end_guard()
            kill_container(self.container)
            oom = self._oom_killed()
            notes = copy_outputs(self.container, self.run_dir, room)
        finally:
            kill_container(self.container)
            if not self.task.keep:
                remove_container(self.container)
        if self.task.keep:
            notes.append(f"container {self.container.name} kept")
        return Teardown(notes, oom_killed=oom)

    def _close(self, outcome_of: Callable[[Teardown], Outcome]) -> AttemptResult:
        result = super()._close(outcome_of)
        if result.isolation != self.isolation:
            result = self._result = replace(result, isolation=self.isolation)
        return result

    def _oom_killed(self) -> bool:
        with contextlib.suppress(Exception):
            self.container.reload()
            return bool(self.container.attrs["State"].get("OOMKilled"))
        return False


def kill_init(container: Any) -> bool:
    """SIGKILL the container's init from the host, which ends its whole pid namespace at once;
    False where this process cannot (not root, a remote or rootless daemon) or the pid no longer
    belongs to the container (its cgroup does not name the container's id)."""
    pid = int((container.attrs.get("State") or {}).get("Pid") or 0)
    if pid <= 0:
        return False
    try:
        if container.id not in Path(f"/proc/{pid}/cgroup").read_text():
            return False
        os.kill(pid, signal.SIGKILL)
    except OSError:
        return False
    return True


def watch_exec(
    api: Any,
    exec_id: str,
    log_path: Path,
    timeout_s: float,
    poll_s: float,
    max_bytes: int | None = None,
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
    pump = threading.Thread(target=_pump, args=(stream, log_path, max_bytes), daemon=True)
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


def _pump(stream: Any, log_path: Path, max_bytes: int | None = None) -> None:
    """Copy the agent's output stream into ``log_path`` as it arrives, the file never growing
    past ``max_bytes`` (the file-size limit, as RLIMIT_FSIZE caps the local sandboxes' log):
    the rest is read and dropped, so an agent that floods its output neither blocks nor fills
    the host's disk through the harness."""
    # the stream breaks off when the container is killed: that is its normal end here
    with log_path.open("ab") as log, contextlib.suppress(Exception):
        room = None if max_bytes is None else max(0, max_bytes - log.tell())
        dropped = 0
        for chunk in stream:
            if room is not None and len(chunk) > room:
                log.write(chunk[:room])
                dropped += len(chunk) - room
                room = 0
            else:
                log.write(chunk)
                if room is not None:
                    room -= len(chunk)
            log.flush()
        if dropped:
            log.write(f"\n[... {dropped} more bytes of output not kept]\n".encode())


def count_leftovers(container: Any) -> int:
    """Processes still running after a command exited, besides our init, idler and server."""
    ours = (" ".join(IDLE_COMMAND), "docker-init", VALIDATOR_DIR.as_posix())
    try:
        processes = container.top(ps_args="-o pid,args")["Processes"] or []
    except Exception:  # the container may already be gone
        return 0
    return sum(1 for row in processes if not any(mark in row[-1] for mark in ours))


def copy_outputs(container: Any, run_dir: Path, room: int | None = None) -> list[str]:
    """``submission/``, ``logs/`` and ``code/`` out of the container (it may be stopped), in
    that order, streamed (never spooled) and, with ``room`` (the disk budget), holding at most
    that many bytes between them."""
    errors = sdk().errors
    notes: list[str] = []
    for name in layout.OUTPUT_DIRS:
        try:
            chunks, _ = container.get_archive(str(CONTAINER_HOME / name))
        except errors.NotFound:
            notes.append(f"/home/{name} was missing in the container")
            (run_dir / name).mkdir(exist_ok=True)
            continue
        with archives.stream(chunks) as tar:
            extracted = archives.extract_outputs(tar, run_dir, room=room)
        notes += extracted.notes
        if room is not None:
            room -= extracted.bytes_written
        (run_dir / name).mkdir(exist_ok=True)
    return notes

"""Sessions: one sandbox world opened once, commands run in it, outputs collected at the end.

A session is the only way anything runs in a sandbox. A one-shot agent (``Sandbox.run``) is a
session with one command, the task's own (:meth:`Session.run_task`); an agent whose *brain* runs
on the host (an LLM loop in the harness process, where MLflow traces its calls and where its API
key stays) runs many, one at a time (:meth:`Session.exec`), each with its own timeout, all under
the attempt's overall deadline. Either way the agent's code gets the same world (``/home/data``
read-only, ``submission/``, ``logs/``, ``code/``, the validator, the limits) and never runs on the
host unsandboxed.

Lifecycle: ``Sandbox.open_session(task, run_dir)`` lays out the world, starts the session's
:mod:`watchdog <mle_track.sandbox.watchdog>` (which ends the world if the harness dies) and, for
Docker, the container and the validation server; the attempt's deadline starts when the world is
ready. :meth:`Session.close` kills what is left, copies ``submission/``, ``logs/`` and ``code/``
into the run directory, tears the world down, dismisses the watchdog, redacts the task's secrets
from ``run.log`` and returns the :class:`AttemptResult`. ``run.log`` holds the one-shot agent's
output as it is; for :meth:`Session.exec` each command's output is appended with a header, so the
log reads like an agent's own.
"""

from __future__ import annotations

import abc
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType

from mle_track.sandbox.base import AgentTask, AttemptResult, Status
from mle_track.sandbox.layout import SandboxPaths
from mle_track.sandbox.outcome import Outcome, classify, log_tail, redact
from mle_track.sandbox.watchdog import Watchdog

#: output kept in an :class:`ExecResult` (the tail: errors come last)
DEFAULT_OUTPUT_BYTES = 64 * 1024
#: the most one command adds to ``run.log``
LOG_BYTES_PER_EXEC = 8 << 20
#: the exit code of a command that could not be started (as a shell reports it)
NOT_STARTED = 127
TIME_IS_UP = "the attempt's time limit is reached"


@dataclass(frozen=True)
class ExecResult:
    """How one command in a session ended."""

    #: ``None`` when the command was killed at a timeout
    exit_code: int | None
    #: killed at its own timeout or at the attempt's end (its deadline, or a limit the sandbox
    #: enforces by ending the attempt, such as the disk budget: see :meth:`Session.stop`)
    timed_out: bool
    #: the attempt's end (not the command's own timeout) ended it, or it never started: the
    #: host agent has no time left (``Session.remaining_s()`` is 0)
    deadline_hit: bool
    wall_time_s: float
    #: combined stdout and stderr, decoded; only the last ``max_output_bytes``
    output: str
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(frozen=True)
class CommandEnd:
    """What a sandbox saw of one command's end (what :meth:`Session._exec` returns)."""

    exit_code: int | None
    timed_out: bool
    #: ``time.monotonic()`` when the command ended (or was killed)
    finished_at: float
    wall_time_s: float
    #: processes the command left running, killed after it ended
    leftovers: int = 0
    #: why the command could not be started at all ("" when it was)
    start_error: str = ""


@dataclass(frozen=True)
class Teardown:
    """What a sandbox learned while tearing the world down (what ``_teardown`` returns)."""

    notes: list[str] = field(default_factory=list)
    #: processes still running at the end (local: escaped into the cgroup), killed
    leftovers: int = 0
    #: forks the process limit refused over the whole session
    pid_limit_hits: int = 0
    #: the kernel's OOM killer acted in the world (docker: the container's state)
    oom_killed: bool = False


#: how a session's end is judged once the world is torn down
_OutcomeOf = Callable[[Teardown], Outcome]


class Session(abc.ABC):
    """An opened sandbox world. Subclasses implement running, file access and teardown.

    ``paths`` are the world's paths as commands see them; ``python`` is the interpreter
    command that exists inside the sandbox; ``watchdog`` ends the world if the harness dies.
    """

    #: what :meth:`run_task` runs when the task names no command
    default_command: tuple[str, ...] = ()

    def __init__(
        self,
        task: AgentTask,
        run_dir: Path,
        paths: SandboxPaths,
        python: str,
        watchdog: Watchdog,
    ) -> None:
        self.task = task
        self.run_dir = run_dir
        self.paths = paths
        self.python = python
        self.watchdog = watchdog
        self.started = time.monotonic()
        self.deadline = self.started + task.limits.time_limit_s
        self._log = self.log_path.open("ab")
        self._result: AttemptResult | None = None
        self.commands = 0
        #: why the sandbox ended the attempt before its deadline ("" while it has not)
        self.stopped = ""

    @property
    def log_path(self) -> Path:
        return self.run_dir / "run.log"

    # -- time -------------------------------------------------------------------------------
    def remaining_s(self) -> float:
        """Seconds left before the attempt's deadline (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    def stop(self, reason: str) -> None:
        """End the attempt now because it broke a limit the sandbox enforces by ending it (the
        local disk budget): its time is up, so no further command starts and a host agent's
        loop sees no time left, and the attempt fails with ``reason`` whatever the host agent
        says at :meth:`close`. The sandbox kills what runs; the first reason is kept. Safe to
        call from another thread (a float and a string are assigned)."""
        if not self.stopped:
            self.stopped = reason
        self.deadline = min(self.deadline, time.monotonic())

    # -- running ----------------------------------------------------------------------------
    def run_task(self) -> AttemptResult:
        """Run the task's own command as the attempt's agent, then close the session.

        The command runs until it exits or the attempt's deadline; its output goes straight into
        ``run.log``. The result's status comes from how it ended (see
        :func:`~mle_track.sandbox.outcome.classify`) and its wall time runs from the moment the
        world was ready to the command's end."""
        self._check_open()
        argv = list(self.task.command or self.default_command)
        self._log.flush()
        end = self._exec(argv, self.remaining_s(), self.paths.agent, {}, self.log_path)
        return self._close(lambda teardown: self._agent_outcome(end, teardown))

    def exec(
        self,
        argv: Sequence[str],
        *,
        timeout_s: float,
        cwd: PurePosixPath | None = None,
        env: Mapping[str, str] | None = None,
        max_output_bytes: int = DEFAULT_OUTPUT_BYTES,
        label: str = "",
    ) -> ExecResult:
        """Run ``argv`` as the agent user under the attempt's limits; kill it (and anything it
        started) at ``timeout_s`` or at the attempt's deadline, whichever comes first."""
        self._check_open()
        remaining = self.remaining_s()
        budget = min(timeout_s, remaining)
        self.commands += 1
        header = f"\n===== [{self.commands}] {label or ' '.join(argv)[:200]} =====\n"
        self._log.write(header.encode())
        if budget <= 0:
            self.note(f"not started: {self.stopped or TIME_IS_UP}")
            return ExecResult(None, True, True, 0.0, "", False)
        with tempfile.TemporaryDirectory(prefix="mle-track-exec-") as tmp:
            out_path = Path(tmp) / "output"
            out_path.touch()
            end = self._exec(list(argv), budget, cwd or self.paths.agent, dict(env or {}), out_path)
            self._append_log(out_path)
            tail = log_tail(out_path, max_output_bytes)
            truncated = out_path.stat().st_size > len(tail)
        stopped = bool(self.stopped)  # the sandbox ended the attempt while this command ran
        timed_out = end.timed_out or stopped
        deadline_hit = (end.timed_out and budget < timeout_s) or stopped
        status = "timed out" if end.timed_out else f"exit code {end.exit_code}"
        if stopped:
            status = f"stopped ({self.stopped})"
        self.note(f"----- {status} after {end.wall_time_s:.1f} s")
        return ExecResult(
            exit_code=None if timed_out else end.exit_code,
            timed_out=timed_out,
            deadline_hit=deadline_hit,
            wall_time_s=end.wall_time_s,
            output=tail.decode("utf-8", "replace"),
            truncated=truncated,
        )

    def note(self, text: str) -> None:
        """A line of the host-side agent's own narrative in ``run.log``."""
        self._check_open()
        self._log.write((text.rstrip("\n") + "\n").encode())
        self._log.flush()

    def _append_log(self, out_path: Path) -> None:
        size = out_path.stat().st_size
        with out_path.open("rb") as source:
            self._log.write(source.read(LOG_BYTES_PER_EXEC))
        if size > LOG_BYTES_PER_EXEC:
            self._log.write(f"\n[... {size - LOG_BYTES_PER_EXEC} more bytes not logged]\n".encode())
        self._log.flush()

    # -- files ------------------------------------------------------------------------------
    @abc.abstractmethod
    def write_file(self, path: PurePosixPath, data: bytes, mode: int = 0o644) -> None:
        """Write a file the agent user can read, in a folder that exists (see :meth:`makedirs`)."""

    @abc.abstractmethod
    def read_file(self, path: PurePosixPath, max_bytes: int = 1 << 20) -> bytes | None:
        """The first ``max_bytes`` of a regular file, or ``None`` if there is none."""

    @abc.abstractmethod
    def makedirs(self, path: PurePosixPath) -> None:
        """Create a folder (and its parents) owned by the agent user."""

    # -- lifecycle --------------------------------------------------------------------------
    def close(self, status: Status = "completed", reason: str = "") -> AttemptResult:
        """Copy the outputs out, tear the world down and return the attempt's result.

        Closing twice returns the first result; the wall time is the session's."""
        if self._result is not None:
            return self._result
        wall = self.elapsed_s()

        def judged(_teardown: Teardown) -> Outcome:
            if self.stopped:  # known only once torn down: the last measure is taken there
                notes = [f"the host agent's account: {reason}"] if reason else []
                return Outcome("failed", wall_time_s=wall, reason=self.stopped, notes=notes)
            return Outcome(status, timed_out=status == "timeout", wall_time_s=wall, reason=reason)

        return self._close(judged)

    def _close(self, outcome_of: _OutcomeOf) -> AttemptResult:
        """Tear down (the watchdog stays until the world is gone), redact, then judge."""
        if self._result is not None:
            return self._result
        self._log.close()
        try:
            teardown = self._teardown()
        finally:
            self.watchdog.dismiss()
        secrets = [self.task.env[k] for k in self.task.secret_env if k in self.task.env]
        redact(self.log_path, secrets)
        self._result = outcome_of(teardown).result(self.run_dir, teardown.notes)
        return self._result

    def _agent_outcome(self, end: CommandEnd, teardown: Teardown) -> Outcome:
        wall = end.finished_at - self.started
        if self.stopped:  # the sandbox killed the agent: its exit code says nothing more
            outcome = Outcome("failed", end.exit_code, wall_time_s=wall, reason=self.stopped)
            if end.leftovers + teardown.leftovers:
                outcome.notes.append(
                    f"killed {end.leftovers + teardown.leftovers} process(es) the agent left"
                )
            return outcome
        if end.start_error:
            reason = f"cannot start the agent: {end.start_error}"
            return Outcome("error", wall_time_s=wall, reason=reason)
        return classify(
            exit_code=end.exit_code,
            timed_out=end.timed_out,
            wall_time_s=wall,
            limits=self.task.limits,
            log_path=self.log_path,
            leftovers=end.leftovers + teardown.leftovers,
            pid_limit_hits=teardown.pid_limit_hits,
            oom_killed=teardown.oom_killed and end.exit_code != 0,
        )

    @property
    def closed(self) -> bool:
        return self._result is not None

    def _check_open(self) -> None:
        if self._result is not None:
            raise RuntimeError("the sandbox session is closed")

    @abc.abstractmethod
    def _exec(
        self,
        argv: list[str],
        timeout_s: float,
        cwd: PurePosixPath,
        env: dict[str, str],
        out_path: Path,
    ) -> CommandEnd:
        """Run one command, its output appended to ``out_path``, kill what it left running."""

    @abc.abstractmethod
    def _teardown(self) -> Teardown:
        """Kill what is left, copy the outputs into ``run_dir`` and remove the world."""

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.closed:
            self.close("error", f"the host agent failed: {exc!r}" if exc else "")

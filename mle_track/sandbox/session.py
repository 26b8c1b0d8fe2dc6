"""Sessions: one sandbox world opened once, many commands run in it, outputs collected at the end.

An agent whose *brain* runs on the host (an LLM loop in the harness process, where MLflow traces
its calls and where its API key stays) still must not run its generated code on the host: that
code would see the private answers and the key. A session gives such an agent the same world an
in-sandbox agent gets (``/home/data`` read-only, ``submission/``, ``logs/``, ``code/``, the
validator, the limits), but lets it run one command at a time, each with its own timeout, all
under the attempt's overall deadline.

Lifecycle: ``Sandbox.open_session(task, run_dir)`` lays out the world (and for Docker starts the
container and the validation server); :meth:`Session.exec` runs a command and returns its exit
code and output; :meth:`Session.close` copies ``submission/``, ``logs/`` and ``code/`` into the
run directory, tears everything down and returns the :class:`AttemptResult`. Every command's
output is also appended to ``run.log``, with a header, so the log reads like an agent's own.
"""

from __future__ import annotations

import abc
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from mle_track.sandbox.base import AgentTask, AttemptResult, Status
from mle_track.sandbox.layout import SandboxPaths
from mle_track.sandbox.outcome import Outcome, log_tail, redact

#: output kept in an :class:`ExecResult` (the tail: errors come last)
DEFAULT_OUTPUT_BYTES = 64 * 1024
#: the most one command adds to ``run.log``
LOG_BYTES_PER_EXEC = 8 << 20


@dataclass(frozen=True)
class ExecResult:
    """How one command in a session ended."""

    #: ``None`` when the command was killed at a timeout
    exit_code: int | None
    #: killed at its own timeout or at the attempt's deadline
    timed_out: bool
    #: the attempt's deadline (not the command's own timeout) ended it, or it never started
    deadline_hit: bool
    wall_time_s: float
    #: combined stdout and stderr, decoded; only the last ``max_output_bytes``
    output: str
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


class Session(abc.ABC):
    """An opened sandbox world. Subclasses implement running, file access and teardown.

    ``paths`` are the world's paths as commands see them; ``python`` is the interpreter
    command that exists inside the sandbox.
    """

    def __init__(self, task: AgentTask, run_dir: Path, paths: SandboxPaths, python: str) -> None:
        self.task = task
        self.run_dir = run_dir
        self.paths = paths
        self.python = python
        self.started = time.monotonic()
        self.deadline = self.started + task.limits.time_limit_s
        self._log = (run_dir / "run.log").open("ab")
        self._result: AttemptResult | None = None
        self.commands = 0

    # -- time -------------------------------------------------------------------------------
    def remaining_s(self) -> float:
        """Seconds left before the attempt's deadline (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    # -- running ----------------------------------------------------------------------------
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
            self.note("not started: the attempt's time limit is reached")
            return ExecResult(None, True, True, 0.0, "", False)
        with tempfile.TemporaryDirectory(prefix="mle-track-exec-") as tmp:
            out_path = Path(tmp) / "output"
            out_path.touch()
            exit_code, timed_out, wall = self._exec(
                list(argv), budget, cwd or self.paths.agent, dict(env or {}), out_path
            )
            self._append_log(out_path)
            tail = log_tail(out_path, max_output_bytes)
            truncated = out_path.stat().st_size > len(tail)
        deadline_hit = timed_out and budget < timeout_s
        status = "timed out" if timed_out else f"exit code {exit_code}"
        self.note(f"----- {status} after {wall:.1f} s")
        return ExecResult(
            exit_code=None if timed_out else exit_code,
            timed_out=timed_out,
            deadline_hit=deadline_hit,
            wall_time_s=wall,
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
        self._log.close()
        notes = self._teardown()
        secrets = [self.task.env[k] for k in self.task.secret_env if k in self.task.env]
        redact(self.run_dir / "run.log", secrets)
        outcome = Outcome(status, exit_code=None, timed_out=status == "timeout", wall_time_s=wall)
        outcome.reason = reason
        self._result = outcome.result(self.run_dir, notes)
        return self._result

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
    ) -> tuple[int | None, bool, float]:
        """Run one command, its output into ``out_path``: (exit code, timed out, wall time)."""

    @abc.abstractmethod
    def _teardown(self) -> list[str]:
        """Kill what is left, copy the outputs into ``run_dir``; returns notes for the reason."""

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

"""Turning how an agent's process ended into a result status and a reason a person can read.

Both sandboxes see the same few facts (exit code or signal, whether our deadline fired, whether
the kernel's OOM killer acted, the tail of the log) and must tell the same story from them, so
the rules live here once.
"""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass, field
from pathlib import Path

from mle_track.sandbox.base import AttemptResult, Limits, Status

_TAIL_BYTES = 64 * 1024
#: what running out of address space looks like in the log, by language or library
_OOM_PATTERNS = re.compile(
    rb"MemoryError|std::bad_alloc|Cannot allocate memory|out of memory|OutOfMemory"
    rb"|Unable to allocate|cannot allocate memory"
)
_FSIZE_PATTERN = re.compile(rb"File too large|\[Errno 27\]")


@dataclass
class Outcome:
    """How the attempt ended, before its outputs are attached."""

    status: Status
    exit_code: int | None = None
    timed_out: bool = False
    wall_time_s: float = 0.0
    reason: str = ""
    oom_killed: bool = False
    notes: list[str] = field(default_factory=list)

    def result(self, run_dir: Path, notes: list[str] | None = None) -> AttemptResult:
        parts = [self.reason, *self.notes, *(notes or [])]
        if (
            self.status in ("completed", "failed")
            and not (run_dir / "submission").joinpath("submission.csv").is_file()
        ):
            parts.append("no submission/submission.csv was written")
        return AttemptResult(
            status=self.status,
            exit_code=self.exit_code,
            timed_out=self.timed_out,
            wall_time_s=round(self.wall_time_s, 3),
            run_dir=run_dir,
            reason="; ".join(p for p in parts if p),
            oom_killed=self.oom_killed,
        )


def log_tail(path: Path, size: int = _TAIL_BYTES) -> bytes:
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - size))
            return handle.read()
    except OSError:
        return b""


def last_line(tail: bytes) -> str:
    lines = [line.strip() for line in tail.decode("utf-8", "replace").splitlines()]
    text = next((line for line in reversed(lines) if line), "")
    return text if len(text) <= 200 else text[:197] + "..."


def describe_exit(code: int) -> str:
    """``exit code 3``, ``killed by SIGKILL`` (negative codes are signals, as in Popen), or
    ``exit code 137 (SIGKILL)`` for a shell's or Docker's 128+N convention."""
    if code < 0:
        return f"killed by {_signal_name(-code)}"
    if 128 < code < 128 + 65:
        return f"exit code {code} ({_signal_name(code - 128)})"
    return f"exit code {code}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def classify(
    *,
    exit_code: int | None,
    timed_out: bool,
    wall_time_s: float,
    limits: Limits,
    log_path: Path,
    leftovers: int = 0,
    pid_limit_hits: int = 0,
    oom_killed: bool = False,
) -> Outcome:
    """The status and reason of an attempt whose process has ended (or been killed)."""
    tail = log_tail(log_path)
    outcome = Outcome("completed", exit_code, timed_out, wall_time_s, oom_killed=oom_killed)
    if pid_limit_hits:
        outcome.notes.append(
            f"the process limit ({limits.pids_limit}) refused {pid_limit_hits} fork(s)"
        )
    if leftovers:
        outcome.notes.append(f"killed {leftovers} process(es) the agent left running")
    if timed_out:
        outcome.status = "timeout"
        outcome.reason = f"killed at the wall-clock limit of {limits.time_limit_s:g} s"
        return outcome
    if exit_code == 0:
        return outcome
    code = exit_code if exit_code is not None else -1
    signalled_kill = code in (-signal.SIGKILL, 128 + signal.SIGKILL)
    memory_text = bool(_OOM_PATTERNS.search(tail))
    if oom_killed or (memory_text and limits.memory_gb):
        outcome.status = "oom"
        limit = f"{limits.memory_gb:g} GB" if limits.memory_gb else "the available memory"
        how = "killed by the OOM killer" if oom_killed else "ran out of memory"
        outcome.reason = f"{how} (limit {limit}; {describe_exit(code)})"
        return outcome
    outcome.status = "failed"
    outcome.reason = f"the agent failed with {describe_exit(code)}"
    if code in (-signal.SIGXFSZ, 128 + signal.SIGXFSZ) or _FSIZE_PATTERN.search(tail):
        size = f"{limits.max_file_mb:g} MB" if limits.max_file_mb else "the disk"
        outcome.reason += f": a file outgrew the file-size limit ({size})"
    elif signalled_kill:
        outcome.reason += " (not by the sandbox; possibly the kernel's OOM killer)"
    line = last_line(tail)
    if line:
        outcome.notes.append(f"last output: {line}")
    return outcome


def redact(path: Path, secrets: list[str]) -> None:
    """Replace the values of secret variables in a log, line by line (logs can be large)."""
    values = sorted({v.encode() for v in secrets if len(v) >= 4}, key=len, reverse=True)
    if not values or not path.is_file():
        return
    cleaned = path.with_name(path.name + ".redacted")
    with path.open("rb") as source, cleaned.open("wb") as out:
        for line in source:
            for value in values:
                line = line.replace(value, b"***")
            out.write(line)
    os.replace(cleaned, path)

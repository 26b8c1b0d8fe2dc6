"""What the attempt pipeline needs from tracking, as a small protocol.

The pipeline decides *when* to look for a finished attempt, claim one, beat its heart and send
its record; *how* is tracking's business (:class:`mle_track.tracking.tracker.MlflowTracker`). An
attempt without tracking (``mle-track run-agent``) uses :class:`NoTracking`, so both run the
same pipeline and a single run measures exactly what a sweep measures.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Protocol

from mle_track.tracking.claims import Claim
from mle_track.tracking.record import AttemptRecord

if TYPE_CHECKING:
    from mle_track.llm.tracing import TraceTarget


class Tracker(Protocol):
    def find_finished(self, attempt_key: str) -> str | None:
        """The run id of a finished run of this attempt, if any."""

    def claim(self, record: AttemptRecord) -> Claim:
        """Open a RUNNING run for the started record, unless the attempt is taken."""

    def alive(self, run_id: str | None) -> AbstractContextManager[object]:
        """Held while the attempt runs: keeps the claim's heartbeat."""

    def trace_target(self, run_id: str | None) -> TraceTarget | None:
        """Where a host-side agent's LLM traces go."""

    def finish(self, record: AttemptRecord) -> AttemptRecord:
        """Send the finished record; returns it synced, or unsynced (kept locally) on failure."""

    def skipped(self, attempt_key: str, run_id: str | None, status: str) -> None:
        """The attempt is not run here (finished, or claimed by a live owner)."""


class NoTracking:
    """No store: nothing is skipped or claimed, the record stays in its run directory."""

    def find_finished(self, attempt_key: str) -> str | None:
        return None

    def claim(self, record: AttemptRecord) -> Claim:
        return Claim(None)

    def alive(self, run_id: str | None) -> AbstractContextManager[object]:
        return nullcontext()

    def trace_target(self, run_id: str | None) -> TraceTarget | None:
        return None

    def finish(self, record: AttemptRecord) -> AttemptRecord:
        return record

    def skipped(self, attempt_key: str, run_id: str | None, status: str) -> None:
        return None

"""MLflow behind the attempt pipeline's tracker protocol (:mod:`mle_track.attempt.tracker`).

Tracking failures never lose an attempt: when the store cannot be reached the attempt still
runs, its record and files stay in the run directory (``synced: false``), and the job says how
to upload them later with ``mle-track sync``. Inside a sweep, each job also notes in the sweep
directory which run holds its attempt and how it ended, and refreshes the parent's aggregates.
"""

from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mle_track.names import Tag
from mle_track.tracking.claims import Claim, Heartbeat, claim_attempt, finished_run
from mle_track.tracking.record import AttemptRecord
from mle_track.tracking.store import Store, client_for, ensure_experiment
from mle_track.tracking.sweep import JobNote, note_job, refresh_parent
from mle_track.tracking.sync import upload

if TYPE_CHECKING:
    from mlflow import MlflowClient

    from mle_track.llm.tracing import TraceTarget

log = logging.getLogger(__name__)
SYNC_HINT = "run `mle-track sync {runs_dir}` when the tracking server is reachable again"
#: pauses between upload tries: a SQLite store written by parallel jobs can stay locked for
#: seconds on a loaded machine ("database is locked"), and a server can drop a connection
UPLOAD_PAUSES_S = (1.0, 4.0)


@dataclass(frozen=True)
class SweepJob:
    """The job's place in a Hydra multirun: the sweep directory, its number and the parent."""

    sweep_dir: Path
    job_num: int
    parent_run_id: str | None

    def note(self, note_status: str, run_id: str | None, key: str | None, reason: str = "") -> None:
        note_job(self.sweep_dir, JobNote(self.job_num, run_id, key, note_status, reason))


class MlflowTracker:
    """Tracks attempts in one experiment of one store (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        client: MlflowClient | None,
        experiment_id: str | None,
        sweep: SweepJob | None = None,
        runs_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.experiment_id = experiment_id
        self.sweep = sweep
        self.runs_dir = runs_dir

    @classmethod
    def connect(
        cls, store: Store, experiment: str, sweep: SweepJob | None, runs_dir: Path
    ) -> MlflowTracker:
        """A tracker for ``experiment``; an unreachable store gives one that tracks nothing
        (the attempt is recorded locally and named for its experiment, for ``sync``)."""
        try:
            client = client_for(store)
            experiment_id = ensure_experiment(client, experiment, store)
        except Exception as exc:
            log.error("tracking store %s unreachable: %s", store.tracking_uri, exc)
            return cls(store, None, None, sweep, runs_dir)
        return cls(store, client, experiment_id, sweep, runs_dir)

    @property
    def reachable(self) -> bool:
        return self.client is not None and self.experiment_id is not None

    def find_finished(self, attempt_key: str) -> str | None:
        if self.client is None or self.experiment_id is None:
            return None
        return finished_run(self.client, self.experiment_id, attempt_key)

    def claim(self, record: AttemptRecord) -> Claim:
        if self.client is None or self.experiment_id is None:
            return Claim(None)
        tags = dict(record.tags)
        if record.parent_run_id:
            tags[Tag.PARENT_RUN] = record.parent_run_id
        try:
            claim = claim_attempt(
                self.client, self.experiment_id, record.attempt_key, tags, record.run_name,
                lock=self.store.lock_path,
            )  # fmt: skip
        except Exception as exc:
            log.error(
                "could not open an MLflow run (%s); the attempt runs and is kept locally", exc
            )
            return Claim(None)
        if self.sweep is not None and not claim.taken:
            self.sweep.note("running", claim.run_id, record.attempt_key)
        return claim

    def alive(self, run_id: str | None) -> AbstractContextManager[object]:
        if self.client is None or run_id is None:
            return nullcontext()
        return Heartbeat(self.client, run_id)

    def trace_target(self, run_id: str | None) -> TraceTarget | None:
        if self.experiment_id is None or run_id is None:
            return None
        from mle_track.llm.tracing import TraceTarget

        return TraceTarget(self.store.tracking_uri, self.experiment_id, run_id)

    def finish(self, record: AttemptRecord) -> AttemptRecord:
        final = record
        if self.client is not None:
            try:
                final = self._upload_with_retries(record)
            except Exception as exc:
                hint = SYNC_HINT.format(runs_dir=self.runs_dir or Path(record.run_dir).parent)
                log.error("could not log the attempt to %s (%s); kept in %s; %s",
                          self.store.tracking_uri, exc, record.run_dir, hint)  # fmt: skip
        if self.sweep is not None:
            self.sweep.note(str(final.status), final.mlflow_run_id, final.attempt_key,
                            final.reason)  # fmt: skip
            self._refresh_parent(final)
        return final

    def skipped(self, attempt_key: str, run_id: str | None, status: str) -> None:
        if self.sweep is not None:
            self.sweep.note(status, run_id, attempt_key)

    def _refresh_parent(self, record: AttemptRecord) -> None:
        sweep = self.sweep
        if self.client is None or sweep is None or not sweep.parent_run_id or not record.synced:
            return
        try:
            refresh_parent(self.client, sweep.parent_run_id, sweep.sweep_dir)
        except Exception as exc:  # refreshed again when the sweep ends
            log.warning("could not refresh the sweep's aggregates: %s", exc)

    def _upload_with_retries(self, record: AttemptRecord) -> AttemptRecord:
        """Upload the attempt, trying again after transient failures (uploading is idempotent)."""
        assert self.client is not None
        for pause in (*UPLOAD_PAUSES_S, None):
            try:
                return upload(self.client, self.store, record)
            except Exception as exc:
                if pause is None:
                    raise
                log.warning("uploading the attempt failed (%s); trying again in %.0f s", exc, pause)
                time.sleep(pause)
        raise AssertionError("unreachable")

"""Uploading attempts whose tracking failed: ``mle-track sync RUNS_DIR``.

Every attempt leaves ``attempt.json`` in its run directory with ``synced: false`` until its
MLflow run is complete. Syncing creates the run if it never got one (the server was down when
the attempt started) or completes the one it has, then marks the record synced. Running it twice
uploads nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mle_track.names import AttemptStatus
from mle_track.tracking import runs as tracked
from mle_track.tracking.record import RECORD_FILE, AttemptRecord
from mle_track.tracking.store import Store, ensure_experiment
from mle_track.tracking.sweep import finish_parent

if TYPE_CHECKING:
    from mlflow import MlflowClient


@dataclass(frozen=True)
class SyncResult:
    uploaded: list[Path]
    failed: dict[Path, str]
    already: int
    #: records of attempts that never ended here (still running, or killed): not uploaded
    not_ended: int = 0


def records(runs_dir: Path) -> Iterator[AttemptRecord]:
    for path in sorted(runs_dir.glob(f"*/{RECORD_FILE}")):
        yield AttemptRecord.load(path.parent)


def unsynced(runs_dir: Path) -> Iterator[AttemptRecord]:
    """Records that ended but are not in the store. A ``RUNNING`` record is left alone: its
    attempt is either still running or was killed, and then the next run of its sweep redoes
    it and marks this record interrupted."""
    for record in records(runs_dir):
        if not record.synced and record.status != AttemptStatus.RUNNING:
            yield record


def upload(client: MlflowClient, store: Store, record: AttemptRecord) -> AttemptRecord:
    """Create (if needed) and complete the record's MLflow run; returns the synced record,
    saved (uploading again is harmless: it finds the run and logs what is missing)."""
    experiment_id = ensure_experiment(client, record.experiment, store)
    run_id = record.mlflow_run_id
    if run_id is None or not _exists(client, run_id):
        run_id = tracked.open_run(client, experiment_id, record)
    tracked.close_run(client, run_id, record)
    synced = record.evolve(mlflow_run_id=run_id, synced=True)
    synced.save()
    return synced


def _exists(client: MlflowClient, run_id: str) -> bool:
    try:
        client.get_run(run_id)
    except Exception:
        return False
    return True


def sync_runs(client: MlflowClient, store: Store, runs_dir: Path) -> SyncResult:
    """Upload every unsynced attempt, then bring the sweeps they belong to up to date."""
    uploaded: list[Path] = []
    failed: dict[Path, str] = {}
    parents: set[str] = set()
    every = list(records(runs_dir))
    not_ended = sum(1 for r in every if not r.synced and r.status == AttemptStatus.RUNNING)
    for record in unsynced(runs_dir):
        try:
            upload(client, store, record)
            uploaded.append(Path(record.run_dir))
            if record.parent_run_id:
                parents.add(record.parent_run_id)
        except Exception as exc:
            failed[Path(record.run_dir)] = f"{type(exc).__name__}: {exc}"
    for parent in sorted(parents):
        if _exists(client, parent):
            finish_parent(client, parent, None)
    already = len(every) - len(uploaded) - len(failed) - not_ended
    return SyncResult(uploaded, failed, already, not_ended)

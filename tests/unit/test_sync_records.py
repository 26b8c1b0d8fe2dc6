"""``mle-track sync`` uploads records of attempts that ended, never those that did not.

A record still ``running`` belongs to an attempt that is running elsewhere or was killed; sending
it would turn a half-done attempt into a result. Real SQLite store, real records on disk.
"""

from __future__ import annotations

from pathlib import Path

from mle_track.names import AttemptStatus, Tag
from mle_track.tracking.record import AttemptRecord
from mle_track.tracking.store import client_for, local_store
from mle_track.tracking.sync import sync_runs


def record(run_dir: Path, status: AttemptStatus, key: str) -> AttemptRecord:
    run_dir.mkdir(parents=True)
    made = AttemptRecord(
        run_dir=str(run_dir),
        attempt_key=key,
        config_hash="c0ffee",
        params={"agent.name": "dummy"},
        tags={Tag.AGENT: "dummy", Tag.COMPETITION_ID: "toy", Tag.SEED: "0"},
        status=status,
        reason="",
        wall_time_s=1.0,
        experiment="sync",
    )
    made.save()
    return made


def test_only_ended_records_are_uploaded_and_each_once(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    record(runs / "ended", AttemptStatus.COMPLETED, "k-ended")
    record(runs / "running", AttemptStatus.RUNNING, "k-running")
    store = local_store(tmp_path / "mlruns")
    client = client_for(store)
    result = sync_runs(client, store, runs)
    assert [p.name for p in result.uploaded] == ["ended"]
    assert result.not_ended == 1 and result.already == 0 and not result.failed
    experiment = client.get_experiment_by_name("sync")
    assert experiment is not None
    uploaded = client.search_runs([experiment.experiment_id])
    assert [r.data.tags[Tag.ATTEMPT_KEY] for r in uploaded] == ["k-ended"]
    assert uploaded[0].info.status == "FINISHED"
    assert AttemptRecord.load(runs / "ended").synced
    assert not AttemptRecord.load(runs / "running").synced

    again = sync_runs(client, store, runs)
    assert not again.uploaded and again.already == 1 and again.not_ended == 1
    assert len(client.search_runs([experiment.experiment_id])) == 1

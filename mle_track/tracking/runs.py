"""One MLflow run per attempt, opened when the attempt starts and closed when it ends.

Opening first (status RUNNING, with the attempt key as a tag) is what lets a resumed sweep tell
an interrupted attempt from a finished one. Closing logs params, metrics, tags, the dataset input
and the artifacts from the :class:`AttemptRecord`, then sets the status: FINISHED whenever the
harness carried the attempt out — a crashed or timed-out *agent* is a result, not a reason to
run again — and FAILED only when the harness itself failed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from mle_track.names import DATASET_CONTEXT, DATASET_CONTEXT_TAG, AttemptStatus, Tag
from mle_track.tracking.record import AttemptRecord

if TYPE_CHECKING:
    from mlflow import MlflowClient

ARTIFACT_FOLDERS = {"submission": "submission", "logs": "logs", "code": "code"}
ARTIFACT_FILES = ("run.log", "grading_report.json", "resolved_config.yaml", "attempt.json")
#: MLflow caps a batch at 1000 metrics/params/tags in total
BATCH = 900


def open_run(client: MlflowClient, experiment_id: str, record: AttemptRecord) -> str:
    """A new RUNNING run for a record that has none (``mle-track sync`` of an attempt whose
    server was down when it started; live attempts get theirs by claiming)."""
    tags = {**record.tags, Tag.ATTEMPT_KEY: record.attempt_key,
            Tag.ATTEMPT_STATUS: AttemptStatus.RUNNING}  # fmt: skip
    if record.parent_run_id:
        tags[Tag.PARENT_RUN] = record.parent_run_id
    run = client.create_run(experiment_id, tags=tags, run_name=record.run_name)
    return str(run.info.run_id)


def close_run(client: MlflowClient, run_id: str, record: AttemptRecord) -> None:
    from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag

    now = int(time.time() * 1000)
    params = [Param(k, v[:6000]) for k, v in record.params.items()]
    metrics = [Metric(k, v, now, 0) for k, v in record.metrics().items()]
    metrics += [
        Metric(str(m["key"]), float(m["value"]), now, int(m["step"])) for m in record.step_metrics
    ]
    tags = [RunTag(k, v) for k, v in record.tags.items()]
    tags += [
        RunTag(Tag.ATTEMPT_STATUS, str(record.status)),
        RunTag(Tag.ATTEMPT_REASON, record.reason[:5000] or "-"),
        RunTag(Tag.ATTEMPT_KEY, record.attempt_key),
    ]
    existing = set(client.get_run(run_id).data.params)
    params = [p for p in params if p.key not in existing]
    for start in range(0, max(len(params), len(metrics), len(tags)), BATCH):
        client.log_batch(
            run_id,
            metrics=metrics[start : start + BATCH],
            params=params[start : start + BATCH],
            tags=tags[start : start + BATCH],
        )
    for name, digest in record.dataset.items():
        dataset = Dataset(name=name, digest=digest, source_type="local", source=record.run_dir)
        client.log_inputs(
            run_id, [DatasetInput(dataset, [InputTag(DATASET_CONTEXT_TAG, DATASET_CONTEXT)])]
        )
    upload_artifacts(client, run_id, Path(record.run_dir))
    client.set_terminated(run_id, "FAILED" if record.harness_failed else "FINISHED")


def upload_artifacts(client: MlflowClient, run_id: str, run_dir: Path) -> None:
    for folder, artifact_path in ARTIFACT_FOLDERS.items():
        path = run_dir / folder
        if path.is_dir() and any(path.iterdir()):
            client.log_artifacts(run_id, str(path), artifact_path)
    for name in ARTIFACT_FILES:
        if (run_dir / name).is_file():
            client.log_artifact(run_id, str(run_dir / name))

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

from mle_track.tracking.record import AttemptRecord

if TYPE_CHECKING:
    from mlflow import MlflowClient

PARENT_TAG = "mlflow.parentRunId"
ATTEMPT_KEY_TAG = "attempt_key"
ARTIFACT_FOLDERS = {"submission": "submission", "logs": "logs", "code": "code"}
ARTIFACT_FILES = ("run.log", "grading_report.json", "resolved_config.yaml", "attempt.json")
#: MLflow caps a batch at 1000 metrics/params/tags in total
BATCH = 900


def open_run(
    client: MlflowClient,
    experiment_id: str,
    record: AttemptRecord,
    run_name: str,
    parent_run_id: str | None = None,
) -> str:
    tags = {**record.tags, ATTEMPT_KEY_TAG: record.attempt_key, "attempt_status": "running"}
    if parent_run_id:
        tags[PARENT_TAG] = parent_run_id
    run = client.create_run(experiment_id, tags=tags, run_name=run_name)
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
        RunTag("attempt_status", record.status),
        RunTag("attempt_reason", record.reason[:5000] or "-"),
        RunTag(ATTEMPT_KEY_TAG, record.attempt_key),
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
            run_id, [DatasetInput(dataset, [InputTag("mlflow.data.context", "competition")])]
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


def finished_run(client: MlflowClient, experiment_id: str, attempt_key: str) -> str | None:
    """A FINISHED run of this attempt, if one exists."""
    runs = client.search_runs(
        [experiment_id],
        filter_string=_attempt_filter(attempt_key, "FINISHED"),
        max_results=1,
    )
    return str(runs[0].info.run_id) if runs else None


def fail_stale_runs(client: MlflowClient, experiment_id: str, attempt_key: str) -> list[str]:
    """Mark runs of this attempt left RUNNING by a killed process as FAILED; returns their ids."""
    runs = client.search_runs(
        [experiment_id],
        filter_string=_attempt_filter(attempt_key, "RUNNING"),
    )
    stale = []
    for run in runs:
        client.set_tag(run.info.run_id, "attempt_status", "interrupted")
        client.set_terminated(run.info.run_id, "FAILED")
        stale.append(str(run.info.run_id))
    return stale


def _attempt_filter(attempt_key: str, status: str) -> str:
    return f"tags.{ATTEMPT_KEY_TAG} = '{attempt_key}' and attributes.status = '{status}'"

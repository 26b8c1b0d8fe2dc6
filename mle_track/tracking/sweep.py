"""A sweep as a parent run: created before the jobs, refreshed by each job, finished by the CLI.

The parent's id travels to the jobs through a file in Hydra's sweep directory, because neither
MLflow's active-run context nor Hydra's callbacks reach launcher workers (joblib processes,
SLURM jobs). Each job also notes which run holds its attempt (a new one, or the finished one it
skipped on resume), so the parent's aggregates cover the whole sweep. The parent is finished by
whoever sees the sweep end — the CLI in a ``finally``, or Hydra's ``on_multirun_end`` when Hydra
calls it (it skips it when a job failed) — and finishing is idempotent.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle_track.names import AttemptStatus, Tag
from mle_track.names import Metric as NameMetric
from mle_track.tracking.claims import Owner, is_stale
from mle_track.tracking.queries import Summary, attempts_frame, configuration_summaries, label

if TYPE_CHECKING:
    from mlflow import MlflowClient

PARENT_FILE = "mlflow_parent.json"
ATTEMPTS_DIR = "attempt_runs"
log = logging.getLogger(__name__)
ID_BATCH = 100


def create_parent(
    client: MlflowClient, experiment_id: str, sweep_dir: Path, tags: dict[str, str]
) -> str:
    """The sweep's parent run, owned (like an attempt's claim) by this process."""
    tags = {Tag.SWEEP: "true", Tag.SWEEP_DIR: str(sweep_dir), **Owner.current().tags(), **tags}
    run = client.create_run(experiment_id, tags=tags, run_name=sweep_dir.name)
    run_id = str(run.info.run_id)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    (sweep_dir / PARENT_FILE).write_text(
        json.dumps(
            {"run_id": run_id, "experiment_id": experiment_id, "tracking_uri": client.tracking_uri}
        )
    )
    return run_id


def read_parent(sweep_dir: Path) -> dict[str, str] | None:
    try:
        data = json.loads((sweep_dir / PARENT_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class JobNote:
    """What one job of the sweep did: the run that holds its attempt, and how it ended
    (``status`` is an attempt status, ``skipped`` or ``claimed-elsewhere``)."""

    job_num: int
    run_id: str | None
    attempt_key: str | None
    status: str
    reason: str = ""

    @property
    def harness_error(self) -> bool:
        return self.status in (AttemptStatus.ERROR, AttemptStatus.INTERRUPTED)


def note_job(sweep_dir: Path, note: JobNote) -> None:
    """Leave the job's note in the sweep directory (jobs may run in other processes)."""
    folder = sweep_dir / ATTEMPTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{note.job_num}.partial"
    partial.write_text(json.dumps(asdict(note)))
    partial.replace(folder / f"{note.job_num}.json")


def job_notes(sweep_dir: Path) -> list[JobNote]:
    notes = []
    for path in sorted((sweep_dir / ATTEMPTS_DIR).glob("*.json")):
        try:
            notes.append(JobNote(**json.loads(path.read_text())))
        except (OSError, ValueError, TypeError):
            continue
    return notes


def noted_run_ids(sweep_dir: Path) -> list[str]:
    return [n.run_id for n in job_notes(sweep_dir) if n.run_id]


def unrun_failures(sweep_dir: Path | None) -> int:
    """Jobs that failed before their attempt had a run (an unknown competition, a bad config)."""
    if sweep_dir is None:
        return 0
    return sum(1 for n in job_notes(sweep_dir) if n.harness_error and not n.run_id)


def refresh_parent(
    client: MlflowClient, parent_run_id: str, sweep_dir: Path | None
) -> dict[str, Any]:
    """Recompute the sweep's aggregates from its attempts and log them on the parent.

    The attempts are those the sweep's jobs noted (including finished runs they skipped on
    resume, which belong to an older parent) and the parent's own children.
    """
    import pandas as pd
    from mlflow.entities import Metric

    experiment_id = client.get_run(parent_run_id).info.experiment_id
    children = client.search_runs(
        [experiment_id], f"tags.`{Tag.PARENT_RUN}` = '{parent_run_id}'", max_results=50_000
    )
    noted = noted_run_ids(sweep_dir) if sweep_dir is not None else []
    ids = list(dict.fromkeys([*noted, *(str(r.info.run_id) for r in children)]))
    frames = [
        attempts_frame(client, [experiment_id], _ids_filter(ids[i : i + ID_BATCH]))
        for i in range(0, len(ids), ID_BATCH)
    ]
    frame = (
        pd.concat(frames)
        if frames
        else attempts_frame(client, [experiment_id], f"tags.{Tag.ATTEMPT_KEY} = '-'")
    )
    summaries = configuration_summaries(frame)
    now = int(time.time() * 1000)
    metrics = [Metric(k, v, now, 0) for k, v in parent_metrics(summaries).items()]
    metrics.append(Metric(NameMetric.ATTEMPTS, float(len(frame)), now, 0))
    failed = int((frame["status"] == "FAILED").sum()) + unrun_failures(sweep_dir)
    metrics.append(Metric(NameMetric.FAILED_ATTEMPTS, float(failed), now, 0))
    for start in range(0, len(metrics), 900):
        client.log_batch(parent_run_id, metrics=metrics[start : start + 900])
    client.set_tag(
        parent_run_id, Tag.CONFIGURATIONS, json.dumps([label(s) for s in summaries])[:5000]
    )
    return {"summaries": summaries, "frame": frame}


def _ids_filter(ids: list[str]) -> str:
    quoted = ", ".join(f"'{i}'" for i in ids)
    return f"attributes.run_id IN ({quoted})"


def parent_metrics(summaries: list[Summary]) -> dict[str, float]:
    """Flat metric names: ``<agent-config>.<split>.<rate>_{mean,sem}`` and pass@k, where the
    split ``all`` is every competition the configuration ran (its overall aggregates)."""
    out: dict[str, float] = {}
    for summary in summaries:
        prefix = f"{summary.agent}-{summary.config_hash}"
        groups = {**summary.splits, "all": summary.overall}
        for split, stats in groups.items():
            for name, value in stats.rates().items():
                out[f"{prefix}.{split}.{name}_mean"] = value.mean
                out[f"{prefix}.{split}.{name}_sem"] = value.sem
            for k, rate in stats.pass_at_k.items():
                out[f"{prefix}.{split}.pass_at_{k}_pct"] = rate
        if summary.mean_normalized_score is not None:
            out[f"{prefix}.mean_normalized_score"] = summary.mean_normalized_score
        out[f"{prefix}.total_cost_usd"] = summary.total_cost_usd
    return {k: float(v) for k, v in out.items() if v == v}  # NaN: no seeds


def finish_parent(
    client: MlflowClient, parent_run_id: str, sweep_dir: Path | None
) -> dict[str, Any]:
    """Refresh the aggregates, attach the sweep's leaderboard, and mark the parent FINISHED."""
    from mle_track.tracking.report import render_table

    result = refresh_parent(client, parent_run_id, sweep_dir)
    table = render_table(result["summaries"], "markdown")
    client.log_text(parent_run_id, table, "leaderboard.md")
    client.set_terminated(parent_run_id, "FINISHED")
    return result


def close_stale_parents(client: MlflowClient, experiment_id: str) -> list[str]:
    """Close the parent runs of sweeps whose launching process is provably gone.

    A killed sweep leaves its parent RUNNING with partial aggregates; the next sweep into the
    experiment refreshes them from what that sweep's jobs noted and marks the parent KILLED, so
    the UI never shows a sweep as running that nobody runs."""
    parents = client.search_runs(
        [experiment_id],
        f"tags.{Tag.SWEEP} = 'true' and attributes.status = 'RUNNING'",
        max_results=1000,
    )
    closed = []
    for parent in parents:
        if not is_stale(parent.data.tags, parent.info.start_time):
            continue
        run_id = str(parent.info.run_id)
        folder = parent.data.tags.get(Tag.SWEEP_DIR)
        try:
            refresh_parent(client, run_id, Path(folder) if folder else None)
        except Exception as exc:  # the aggregates may stay partial; the parent still closes
            log.warning("could not refresh the aggregates of killed sweep %s: %s", run_id, exc)
        client.set_terminated(run_id, "KILLED")
        closed.append(run_id)
    return closed

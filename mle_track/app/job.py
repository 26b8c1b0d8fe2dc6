"""One Hydra job = one tracked attempt: resume check, MLflow run, attempt, record.

Tracking failures never lose an attempt: the attempt runs whether or not the server answers,
its record and files stay in the run directory, and the job says how to upload them later with
``mle-track sync``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from omegaconf import DictConfig, OmegaConf

from mle_track import settings
from mle_track.agents.runner import new_record, new_run_dir, run_attempt
from mle_track.app.plans import experiment_name, plan_of, runs_dir_of, typed
from mle_track.competitions import Catalog
from mle_track.llm.tracing import TraceTarget
from mle_track.tracking import runs as tracked
from mle_track.tracking.record import AttemptRecord
from mle_track.tracking.store import Store, client_for, ensure_experiment, resolve_store
from mle_track.tracking.sweep import note_attempt, read_parent, refresh_parent
from mle_track.tracking.sync import upload

if TYPE_CHECKING:
    from mlflow import MlflowClient

log = logging.getLogger("mle_track")
SYNC_HINT = "run `mle-track sync {runs_dir}` when the tracking server is reachable again"


def sweep_context() -> tuple[Path, int] | None:
    """The sweep directory and job number when running inside a Hydra multirun."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized():
        return None
    hydra_cfg = HydraConfig.get()
    if hydra_cfg.mode != RunMode.MULTIRUN:
        return None
    return Path(hydra_cfg.sweep.dir).resolve(), int(hydra_cfg.job.num)


def run_job(cfg: DictConfig) -> str:
    run = typed(cfg)
    spec = Catalog().get(str(run.competition))
    plan = plan_of(run, spec)
    store = resolve_store(run.tracking.uri)
    client = client_for(store)
    sweep = sweep_context()
    parent = read_parent(sweep[0]) if sweep else None
    parent_id = parent["run_id"] if parent else None

    # an unreachable store skips the resume check but not the attempt: it is recorded locally
    # (the record names its experiment) and uploaded after it ends or by `mle-track sync`
    experiment_id = _experiment(client, store, experiment_name(run))
    if experiment_id is not None:
        done = tracked.finished_run(client, experiment_id, plan.attempt_key)
        if done:
            log.info(
                "skip %s on %s seed %s: run %s finished", plan.agent_name, spec.id, plan.seed, done
            )
            if sweep:
                note_attempt(sweep[0], sweep[1], done, plan.attempt_key)
            return "skipped"
        for stale in tracked.fail_stale_runs(client, experiment_id, plan.attempt_key):
            log.warning("marked interrupted run %s FAILED; running the attempt again", stale)

    runs_dir = runs_dir_of(run)
    run_dir = new_run_dir(runs_dir, spec.id)
    (run_dir / "resolved_config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
    stub = new_record(plan, spec, run_dir)
    stub.parent_run_id = parent_id
    run_name = f"{plan.agent_name}-{spec.id}-s{plan.seed}"
    run_id = _open(client, experiment_id, stub, run_name) if experiment_id else None
    if sweep:
        note_attempt(sweep[0], sweep[1], run_id, plan.attempt_key)

    record = run_attempt(
        plan, run.agent, spec, settings.data_dir(run.data_dir), run_dir,
        prepare=run.prepare, network=run.sandbox.network, keep=run.sandbox.keep,
        trace=TraceTarget(store.tracking_uri, experiment_id, run_id)
        if experiment_id and run_id else None,
    )  # fmt: skip
    record.mlflow_run_id, record.parent_run_id = run_id, parent_id
    record.save()
    try:
        _upload_with_retries(client, store, record)
    except Exception as exc:
        hint = SYNC_HINT.format(runs_dir=runs_dir)
        log.error("could not log the attempt to %s (%s); kept in %s; %s",
                  store.tracking_uri, exc, run_dir, hint)  # fmt: skip
    if parent_id and sweep and record.synced:
        try:
            refresh_parent(client, parent_id, sweep[0])
        except Exception as exc:  # refreshed again when the sweep ends
            log.warning("could not refresh the sweep's aggregates: %s", exc)
    reason = f" ({record.reason})" if record.reason else ""
    log.info("%s on %s seed %s: %s%s", plan.agent_name, spec.id, plan.seed, record.status, reason)
    return record.status


def _experiment(client: MlflowClient, store: Store, name: str) -> str | None:
    try:
        return ensure_experiment(client, name, store)
    except Exception as exc:
        log.error("tracking store %s unreachable: %s", store.tracking_uri, exc)
        return None


def _open(client: MlflowClient, experiment_id: str, stub: AttemptRecord, name: str) -> str | None:
    try:
        return tracked.open_run(client, experiment_id, stub, name, stub.parent_run_id)
    except Exception as exc:
        log.error("could not open an MLflow run (%s); the attempt runs and is kept locally", exc)
        return None


#: pauses between upload tries: a SQLite store written by parallel jobs can stay locked for
#: seconds on a loaded machine ("database is locked"), and a server can drop a connection
UPLOAD_PAUSES_S = (1.0, 4.0)


def _upload_with_retries(client: MlflowClient, store: Store, record: AttemptRecord) -> None:
    """Upload the attempt, trying again after transient failures (uploading is idempotent)."""
    import time

    for pause in (*UPLOAD_PAUSES_S, None):
        try:
            upload(client, store, record)
            return
        except Exception as exc:
            if pause is None:
                raise
            log.warning("uploading the attempt failed (%s); trying again in %.0f s", exc, pause)
            time.sleep(pause)

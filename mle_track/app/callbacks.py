"""Hydra callback: the sweep's parent MLflow run, created in the launching process.

``on_multirun_start`` creates the tracking store (before any parallel job can race on a fresh
SQLite database), the experiment and the parent run, and leaves the parent's id in the sweep
directory for the jobs. ``on_multirun_end`` finishes it — but Hydra skips that hook when a job
raised, so ``mle-track run`` finishes the parent again in a ``finally`` (finishing twice is
harmless).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from mle_track.names import DEFAULT_EXPERIMENT, Tag
from mle_track.tracking.claims import Heartbeat
from mle_track.tracking.store import client_for, ensure_experiment, resolve_store
from mle_track.tracking.sweep import (
    close_stale_parents,
    create_parent,
    finish_parent,
    read_parent,
)

log = logging.getLogger("mle_track")

#: sweeps started by this process (read by ``mle-track run`` to finish them)
STARTED_SWEEPS: list[Path] = []
#: the parents' heartbeats, stopped when their sweeps finish
_HEARTBEATS: dict[Path, Heartbeat] = {}


class SweepTracking(Callback):
    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir)).resolve()
        store = resolve_store(config.tracking.uri)
        client = client_for(store)
        experiment = config.tracking.experiment or config.suite or DEFAULT_EXPERIMENT
        experiment_id = ensure_experiment(client, str(experiment), store)
        for stale in close_stale_parents(client, experiment_id):
            log.warning("closed the parent run %s of a killed sweep (KILLED)", stale)
        overrides = OmegaConf.to_container(config.hydra.overrides.task)
        tags = {Tag.OVERRIDES: " ".join(map(str, overrides or []))[:5000]}
        if config.suite:
            tags[Tag.SUITE] = str(config.suite)
        run_id = create_parent(client, experiment_id, sweep_dir, tags)
        STARTED_SWEEPS.append(sweep_dir)
        _HEARTBEATS[sweep_dir] = Heartbeat(client, run_id).start()
        log.info("sweep %s: parent MLflow run %s in experiment %r", sweep_dir, run_id, experiment)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        finish_sweep(Path(str(config.hydra.sweep.dir)).resolve())


def finish_sweep(sweep_dir: Path) -> dict[str, Any] | None:
    """Finish the sweep's parent run with its aggregates (and register the champion if asked)."""
    beat = _HEARTBEATS.pop(sweep_dir, None)
    if beat is not None:
        beat.stop()
    parent = read_parent(sweep_dir)
    if parent is None:
        return None
    store = resolve_store(parent.get("tracking_uri"))
    client = client_for(store)
    wait_for_attempts_run_elsewhere(client, sweep_dir)
    return finish_parent(client, parent["run_id"], sweep_dir)


def wait_for_attempts_run_elsewhere(client: Any, sweep_dir: Path, poll_s: float = 2.0) -> None:
    """Wait while attempts of this sweep are still run by another live sweep (two identical
    sweeps at once split the work), so the parent's aggregates cover every attempt. The wait
    ends when those runs end, or when their owners are found dead."""
    from mle_track.attempt.pipeline import CLAIMED_ELSEWHERE
    from mle_track.tracking.claims import is_stale
    from mle_track.tracking.sweep import job_notes

    pending = {n.run_id for n in job_notes(sweep_dir) if n.status == CLAIMED_ELSEWHERE and n.run_id}
    told = False
    while pending:
        for run_id in list(pending):
            run = client.get_run(run_id)
            if run.info.status != "RUNNING" or is_stale(run.data.tags, run.info.start_time):
                pending.discard(run_id)
        if pending:
            if not told:
                log.info(
                    "waiting for %d attempt(s) of this sweep run by another sweep", len(pending)
                )
                told = True
            time.sleep(poll_s)

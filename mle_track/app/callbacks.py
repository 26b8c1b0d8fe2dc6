"""Hydra callback: the sweep's parent MLflow run, created in the launching process.

``on_multirun_start`` creates the tracking store (before any parallel job can race on a fresh
SQLite database), the experiment and the parent run, and leaves the parent's id in the sweep
directory for the jobs. ``on_multirun_end`` finishes it — but Hydra skips that hook when a job
raised, so ``mle-track run`` finishes the parent again in a ``finally`` (finishing twice is
harmless).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from mle_track.tracking.store import client_for, ensure_experiment, resolve_store
from mle_track.tracking.sweep import create_parent, finish_parent, read_parent

log = logging.getLogger("mle_track")

#: sweeps started by this process (read by ``mle-track run`` to finish them)
STARTED_SWEEPS: list[Path] = []


class SweepTracking(Callback):
    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir)).resolve()
        store = resolve_store(config.tracking.uri)
        client = client_for(store)
        experiment = config.tracking.experiment or config.suite or "mle-track"
        experiment_id = ensure_experiment(client, str(experiment), store)
        overrides = OmegaConf.to_container(config.hydra.overrides.task)
        tags = {"overrides": " ".join(map(str, overrides or []))[:5000]}
        if config.suite:
            tags["suite"] = str(config.suite)
        run_id = create_parent(client, experiment_id, sweep_dir, tags)
        STARTED_SWEEPS.append(sweep_dir)
        log.info("sweep %s: parent MLflow run %s in experiment %r", sweep_dir, run_id, experiment)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        finish_sweep(Path(str(config.hydra.sweep.dir)).resolve())


def finish_sweep(sweep_dir: Path) -> dict[str, Any] | None:
    """Finish the sweep's parent run with its aggregates (and register the champion if asked)."""
    parent = read_parent(sweep_dir)
    if parent is None:
        return None
    store = resolve_store(parent.get("tracking_uri"))
    client = client_for(store)
    return finish_parent(client, parent["run_id"], sweep_dir)

"""One Hydra job = one attempt through the attempt pipeline, tracked in MLflow.

This is the thin edge between Hydra and :mod:`mle_track.attempt`: it turns the composed config
into a plan, connects the tracker (with the job's place in the sweep) and hands both over. An
error the user can fix (an unknown competition, a missing ``competition=``) is one log line and
a job that ended in a harness error — never a traceback — and it is noted in the sweep
directory, so the sweep's parent counts it and ``mle-track run`` exits non-zero.
"""

from __future__ import annotations

import logging
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from mle_track.errors import MleTrackError
from mle_track.names import AttemptStatus

log = logging.getLogger("mle_track")

#: the statuses of the jobs this process ran (a single run, or a sweep's in-process jobs)
JOB_STATUSES: list[str] = []


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
    from mle_track.tracking.sweep import JobNote, note_job

    sweep = sweep_context()
    try:
        status = _run(cfg, sweep)
    except MleTrackError as exc:
        log.error("mle-track: %s", exc)
        if sweep is not None:
            note_job(sweep[0], JobNote(sweep[1], None, None, AttemptStatus.ERROR, str(exc)))
        status = AttemptStatus.ERROR
    JOB_STATUSES.append(str(status))
    return str(status)


def _run(cfg: DictConfig, sweep: tuple[Path, int] | None) -> str:
    from mle_track.app.plans import plan_of, runs_dir_of, typed
    from mle_track.attempt.pipeline import AttemptRequest, run_attempt
    from mle_track.competitions import Catalog
    from mle_track.tracking.store import resolve_store
    from mle_track.tracking.sweep import read_parent
    from mle_track.tracking.tracker import MlflowTracker, SweepJob

    run = typed(cfg)
    spec = Catalog().get(str(run.competition))
    plan = plan_of(run, spec)
    parent = read_parent(sweep[0]) if sweep else None
    parent_id = parent["run_id"] if parent else None
    job = SweepJob(sweep[0], sweep[1], parent_id) if sweep else None
    runs_dir = runs_dir_of(run)
    tracker = MlflowTracker.connect(resolve_store(run.tracking.uri), plan.experiment, job, runs_dir)
    request = AttemptRequest(
        plan=plan,
        agent=run.agent,
        spec=spec,
        runs_dir=runs_dir,
        prepare=run.prepare,
        resolved_config=OmegaConf.to_yaml(cfg, resolve=True),
        parent_run_id=parent_id,
    )
    return run_attempt(request, tracker).status

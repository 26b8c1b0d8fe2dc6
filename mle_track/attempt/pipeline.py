"""One attempt from plan to tracked record: the only code path behind every attempt.

    plan → finished already? skip → claim (skip when a live owner holds it; clean up after dead
    ones) → prepare → run in the sandbox → check (isolation, answers, public data) → grade →
    record → track

``mle-track run-agent`` and every Hydra job call :func:`run_attempt`, so a sweep measures
exactly what a single run measures. The record is built once when the attempt starts and again
(a new frozen value) when it ends and when it is synced, each state saved once to
``attempt.json`` before anything is sent to a tracking store. Nothing here raises for an agent's
failure or a harness failure: both end up in the record's ``status`` and ``reason``. The checks
come before the grade so that an attempt that changed its answers is the one flagged (and not
graded), never the next one (see :mod:`mle_track.attempt.checks`).
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle_track.agents.config import AgentConfig
from mle_track.attempt import stages
from mle_track.attempt.checks import check_after_failure, check_after_run
from mle_track.attempt.plan import RunSpec
from mle_track.attempt.tracker import NoTracking, Tracker
from mle_track.competitions.spec import CompetitionSpec
from mle_track.errors import MleTrackError
from mle_track.names import AttemptStatus, Tag
from mle_track.sandbox.registry import end_orphans, remove_world
from mle_track.tracking.claims import StaleRun
from mle_track.tracking.record import RECORD_FILE, AttemptRecord, base_tags

if TYPE_CHECKING:
    from mle_track.llm.tracing import TraceTarget

log = logging.getLogger(__name__)

RESOLVED_CONFIG = "resolved_config.yaml"
#: what a job reports when it did not run its attempt
SKIPPED = "skipped"
CLAIMED_ELSEWHERE = "claimed-elsewhere"


@dataclass(frozen=True)
class AttemptRequest:
    """Everything one attempt needs, resolved by the caller (Hydra job or CLI)."""

    plan: RunSpec
    agent: AgentConfig
    spec: CompetitionSpec
    runs_dir: Path
    #: prepare the competition when it is not prepared yet (else it must be)
    prepare: bool = True
    #: the composed configuration as YAML, kept as an artifact
    resolved_config: str | None = None
    parent_run_id: str | None = None
    extra_tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def data_root(self) -> Path:
        return Path(self.plan.data_root)


@dataclass(frozen=True)
class AttemptOutcome:
    """What became of a request: a record, or the run that already holds the attempt."""

    status: str
    record: AttemptRecord | None = None
    held_by: str | None = None

    @property
    def harness_error(self) -> bool:
        return self.record is not None and self.record.harness_failed


def run_attempt(request: AttemptRequest, tracker: Tracker | None = None) -> AttemptOutcome:
    """Carry out one planned attempt (see the module docstring)."""
    tracker = tracker or NoTracking()
    plan = request.plan
    done = tracker.find_finished(plan.attempt_key)
    if done is not None:
        return _skip(tracker, plan, done, SKIPPED)
    run_dir = new_run_dir(request.runs_dir, plan.competition_id)
    if request.resolved_config is not None:
        (run_dir / RESOLVED_CONFIG).write_text(request.resolved_config)
    started = started_record(request, run_dir)
    claim = tracker.claim(started)
    if claim.taken:
        shutil.rmtree(run_dir, ignore_errors=True)
        return _skip(tracker, plan, claim.held_by, SKIPPED if claim.finished else CLAIMED_ELSEWHERE)
    for stale in claim.stale:
        clean_up_after(stale, plan, claim.run_id)
    record = started.evolve(mlflow_run_id=claim.run_id)
    record.save()
    with tracker.alive(claim.run_id):
        ended = carry_out(request, record, tracker.trace_target(claim.run_id))
    ended.save()
    final = tracker.finish(ended)
    reason = f" ({final.reason})" if final.reason else ""
    log.info("%s on %s seed %s: %s%s", plan.agent_name, plan.competition_id, plan.seed,
             final.status, reason)  # fmt: skip
    return AttemptOutcome(str(final.status), final)


def _skip(tracker: Tracker, plan: RunSpec, held_by: str | None, status: str) -> AttemptOutcome:
    how = "finished" if status == SKIPPED else "running in another live process"
    log.info("skip %s on %s seed %s: run %s %s", plan.agent_name, plan.competition_id,
             plan.seed, held_by, how)  # fmt: skip
    tracker.skipped(plan.attempt_key, held_by, status)
    return AttemptOutcome(status, held_by=held_by)


def new_run_dir(runs_dir: Path, competition_id: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    run_dir = runs_dir / f"{competition_id}_{stamp}_{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    return run_dir


def attempt_tags(plan: RunSpec, spec: CompetitionSpec) -> dict[str, str]:
    return {
        Tag.CONFIG_HASH: plan.config_hash,
        Tag.COMPETITION_ID: spec.id,
        Tag.COMPETITION_VERSION: str(spec.version),
        Tag.SPLITS: ",".join(spec.splits),
        Tag.SUITE: plan.suite or "",
        Tag.AGENT: plan.agent_name,
        Tag.MODEL: plan.model_name,
        Tag.COMPUTE: plan.compute_name,
        Tag.COMPUTE_PRESET: plan.compute_preset,
        Tag.SANDBOX: plan.sandbox_name,
        **({Tag.ISOLATION: plan.isolation} if plan.isolation is not None else {}),
        Tag.SEED: str(plan.seed),
        Tag.DATA_ROOT: plan.data_root,
    }


def started_record(request: AttemptRequest, run_dir: Path) -> AttemptRecord:
    """The record of an attempt about to start (``RUNNING`` until it ends otherwise)."""
    plan = request.plan
    tags = {**attempt_tags(plan, request.spec), Tag.RUN_DIR: str(run_dir), **request.extra_tags}
    return AttemptRecord(
        run_dir=str(run_dir),
        attempt_key=plan.attempt_key,
        config_hash=plan.config_hash,
        params=plan.params(),
        tags=base_tags(tags),
        status=AttemptStatus.RUNNING,
        reason="",
        wall_time_s=0.0,
        experiment=plan.experiment,
        parent_run_id=request.parent_run_id,
    )


def carry_out(
    request: AttemptRequest, record: AttemptRecord, trace: TraceTarget | None
) -> AttemptRecord:
    """Prepare, run, check and grade; the ended record (an error status if the harness failed,
    and so when the checks after the run found a problem: nothing is graded then)."""
    plan, spec = request.plan, request.spec
    run_dir = Path(record.run_dir)
    began = time.monotonic()
    changes: dict[str, Any] = {}
    data: stages.PreparedData | None = None
    checked = False  # whether the checks after the run looked at the data
    try:
        data = stages.prepare(spec, request.data_root, allowed=request.prepare)
        changes["dataset"] = {spec.id: data.digest}
        task = stages.task_for(plan, request.agent, data.paths)
        execution = stages.execute(plan, request.agent, task, run_dir, trace)
        found = check_after_run(plan, data, execution.result)
        checked = True
        changes.update(
            tags={**record.tags, **found.tags},
            llm=execution.llm,
            step_metrics=execution.step_metrics,
        )
        if found.problem is not None:
            changes.update(status=AttemptStatus.ERROR, reason=found.problem)
            log.error("attempt %s on %s not graded: %s", plan.agent_name, spec.id, found.problem)
            return record.evolve(wall_time_s=time.monotonic() - began, **changes)
        graded = stages.grade(spec, execution.result, request.data_root, run_dir, data.digests)
        reason = "; ".join(r for r in (execution.result.reason, found.note) if r)
        changes.update(
            status=AttemptStatus(execution.result.status),
            reason=reason,
            report=graded.report.to_dict(),
            normalized_score=graded.normalized_score,
        )
    except MleTrackError as exc:
        changes.update(status=AttemptStatus.ERROR, reason=str(exc))
        log.error("attempt %s on %s could not run: %s", plan.agent_name, spec.id, exc)
    except Exception as exc:  # a harness bug: keep the attempt's record all the same
        changes.update(status=AttemptStatus.ERROR, reason=f"{type(exc).__name__}: {exc}")
        log.exception("attempt %s on %s failed inside the harness", plan.agent_name, spec.id)
    if data is not None and not checked:  # the harness failed once the agent may have run
        changes.update(_checked_after_failure(data, record, str(changes.get("reason", ""))))
    return record.evolve(wall_time_s=time.monotonic() - began, **changes)


def _checked_after_failure(
    data: stages.PreparedData, record: AttemptRecord, reason: str
) -> dict[str, Any]:
    """The record's changes when the answers changed in an attempt the harness failed."""
    try:
        found = check_after_failure(data)
    except (OSError, MleTrackError) as exc:
        log.warning("could not check the answers after a failed attempt: %s", exc)
        return {}
    if found.problem is None:
        return {}
    return {"tags": {**record.tags, **found.tags}, "reason": f"{found.problem}; {reason}"}


def clean_up_after(stale: StaleRun, plan: RunSpec, new_run_id: str | None) -> None:
    """After a dead owner: end what is left of its agent, remove its world folder and mark its
    record interrupted (so ``mle-track sync`` never uploads it as a result)."""
    try:
        ended = end_orphans(plan.sandbox_name, plan.attempt_key)
    except MleTrackError as exc:  # e.g. the daemon is gone: the new attempt fails on it itself
        log.warning("could not look for leftovers of run %s: %s", stale.run_id, exc)
        ended = 0
    if ended:
        log.warning("ended %d leftover process(es) of interrupted run %s", ended, stale.run_id)
    log.warning("marked interrupted run %s FAILED; running the attempt again", stale.run_id)
    if not stale.run_dir:
        return
    folder = Path(stale.run_dir)
    remove_world(folder)
    if (folder / RECORD_FILE).is_file():
        try:
            old = AttemptRecord.load(folder)
        except (OSError, ValueError, TypeError):
            return
        again = f"; run again as {new_run_id}" if new_run_id else ""
        old.evolve(
            status=AttemptStatus.INTERRUPTED,
            reason=f"the process running this attempt died{again}",
            synced=True,
        ).save()

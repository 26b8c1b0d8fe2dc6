"""One attempt from start to finish: prepare → sandbox → grade → record.

This is the single code path behind ``mle-track run-agent`` and every Hydra job, so a sweep
measures exactly what a single run measures. Nothing here raises for an agent's failure or a
harness failure: both end up in the :class:`AttemptRecord` (``status`` and ``reason``), which is
saved in the run directory before anything is sent to a tracking server.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mle_track.agents.config import (
    AgentConfig,
    check_privileged,
    command_for,
    resolve_secrets,
)
from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.errors import MleTrackError, NotPreparedError
from mle_track.grading import grade_submission, metric_for, to_json
from mle_track.grading.report import CompetitionReport
from mle_track.plan import RunSpec, stable_hash
from mle_track.registry import Registry
from mle_track.sandbox.base import AgentTask, AttemptResult, Sandbox
from mle_track.tracking.record import AttemptRecord, base_tags

if TYPE_CHECKING:
    from mle_track.llm.tracing import TraceTarget

log = logging.getLogger(__name__)


def _local() -> Sandbox:
    from mle_track.sandbox.local import LocalSandbox

    return LocalSandbox()


def _docker() -> Sandbox:
    from mle_track.sandbox.docker import DockerSandbox

    return DockerSandbox()


SANDBOXES: Registry[Callable[[], Sandbox]] = Registry("sandbox")
SANDBOXES.add("local", _local)
SANDBOXES.add("docker", _docker)


def make_sandbox(name: str) -> Sandbox:
    sandbox: Sandbox = SANDBOXES.get(name)()
    return sandbox


def new_run_dir(runs_dir: Path, competition_id: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    run_dir = runs_dir / f"{competition_id}_{stamp}_{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    return run_dir


def run_attempt(
    plan: RunSpec,
    agent: AgentConfig,
    spec: CompetitionSpec,
    data_root: Path,
    run_dir: Path,
    *,
    prepare: bool = True,
    network: bool = False,
    keep: bool = False,
    trace: TraceTarget | None = None,
) -> AttemptRecord:
    """Carry out one planned attempt; the record is saved as ``run_dir/attempt.json``.

    ``trace`` is the MLflow run a host-side agent's LLM calls are traced into (and its tokens
    and cost summed from); the model is the plan's ``model`` entry."""
    started = time.monotonic()
    record = new_record(plan, spec, run_dir)
    try:
        paths = _prepared(spec, data_root, prepare)
        record.dataset = {spec.id: _data_digest(paths)}
        check_privileged(agent)
        secrets = resolve_secrets(agent)
        task = AgentTask(
            competition_id=spec.id,
            public_dir=paths.public,
            command=command_for(agent, plan.sandbox),
            limits=plan.limits,
            seed=plan.seed,
            env={**agent.env, **secrets},
            secret_env=frozenset(secrets),
            image=agent.image,
            network=network,
            keep=keep,
            privileged=agent.privileged,
        )
        if agent.kind == "host":
            result = _run_host(record, plan, agent, task, run_dir, trace)
        else:
            result = make_sandbox(plan.sandbox).run(task, run_dir)
        _grade(record, result, spec, data_root)
        _check_public_data(record, paths)
    except MleTrackError as exc:
        record.status, record.reason = "error", str(exc)
        log.error("attempt %s on %s could not run: %s", plan.agent_name, spec.id, exc)
    except Exception as exc:  # a harness bug: keep the attempt's record all the same
        record.status, record.reason = "error", f"{type(exc).__name__}: {exc}"
        log.exception("attempt %s on %s failed inside the harness", plan.agent_name, spec.id)
    record.wall_time_s = time.monotonic() - started
    record.save()
    return record


def _run_host(
    record: AttemptRecord,
    plan: RunSpec,
    agent: AgentConfig,
    task: AgentTask,
    run_dir: Path,
    trace: TraceTarget | None,
) -> AttemptResult:
    """A host-side agent through a sandbox session; its LLM usage and step metrics go into
    the record."""
    from mle_track.agents.host import run_host_attempt
    from mle_track.llm.models import model_from_mapping

    hosted = run_host_attempt(
        name=agent.name,
        module=str(agent.module),
        kwargs=agent.kwargs,
        model=model_from_mapping(plan.model),
        task=task,
        sandbox=make_sandbox(plan.sandbox),
        run_dir=run_dir,
        trace=trace,
    )
    record.llm = hosted.llm
    record.step_metrics = hosted.step_metrics
    return hosted.result


def new_record(plan: RunSpec, spec: CompetitionSpec, run_dir: Path) -> AttemptRecord:
    """A record for an attempt about to start (status ``error`` until it ends otherwise)."""
    return AttemptRecord(
        run_dir=str(run_dir),
        attempt_key=plan.attempt_key,
        config_hash=plan.config_hash,
        params=plan.params(),
        tags=base_tags(attempt_tags(plan, spec)),
        status="error",
        reason="",
        wall_time_s=0.0,
        experiment=plan.experiment,
    )


def attempt_tags(plan: RunSpec, spec: CompetitionSpec) -> dict[str, str]:
    return {
        "config_hash": plan.config_hash,
        "competition_id": spec.id,
        "competition_version": str(spec.version),
        "splits": ",".join(spec.splits),
        "suite": plan.suite or "",
        "agent": plan.agent_name,
        "model": plan.model_name,
        "compute": plan.compute_name,
        "sandbox": plan.sandbox,
        "seed": str(plan.seed),
        **dict(plan.tags),
    }


def _prepared(spec: CompetitionSpec, data_root: Path, prepare: bool) -> CompetitionPaths:
    """Prepared data, checked before every attempt: the pipeline's stat-cached verification is
    cheap, and it catches data that an earlier attempt modified."""
    paths = CompetitionPaths(data_root, spec.id)
    if not prepare:
        if not paths.is_prepared():
            raise NotPreparedError(f"{spec.id} is not prepared in {data_root}")
        return paths
    from mle_track.data import prepare_competition

    return prepare_competition(spec, data_root).paths


def _check_public_data(record: AttemptRecord, paths: CompetitionPaths) -> None:
    """Flag an agent that wrote into the public data (possible where it runs as root locally)."""
    from mle_track.data.hashing import changed_files

    cache = (paths.read_marker() or {}).get("files") or {}
    changed = changed_files(paths.prepared, cache)
    if changed:
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
        record.tags["rule_violation"] = "modified public data"
        record.reason = (record.reason + "; " if record.reason else "") + (
            f"the agent modified the competition's public data ({shown}); the next attempt "
            f"re-verifies it (rebuild with `mle-track prepare --force -c {paths.competition_id}`)"
        )
        log.warning("attempt modified public data of %s: %s", paths.competition_id, shown)


def _data_digest(paths: CompetitionPaths) -> str:
    """A digest of the prepared files (their sha256s from the marker), for the dataset input."""
    files = (paths.read_marker() or {}).get("files") or {}
    hashes = {name: entry[-1] for name, entry in files.items() if isinstance(entry, list)}
    return stable_hash(hashes)


def _grade(
    record: AttemptRecord, result: AttemptResult, spec: CompetitionSpec, data_root: Path
) -> None:
    report = grade_submission(spec, result.submission, data_root)
    if result.submission is None and report.invalid_reason:
        what = result.reason or result.status
        report = _with_reason(report, f"no submission.csv was written ({what})")
    (Path(record.run_dir) / "grading_report.json").write_text(to_json(report.to_dict()) + "\n")
    record.report = report.to_dict()
    record.status = result.status
    record.reason = result.reason
    record.normalized_score = normalized_score(spec, report, data_root)


def _with_reason(report: CompetitionReport, reason: str) -> CompetitionReport:
    from dataclasses import replace

    return replace(report, invalid_reason=reason)


def normalized_score(
    spec: CompetitionSpec, report: CompetitionReport, data_root: Path
) -> float | None:
    """Where the score falls between the sample submission (0) and gold (1).

    Gold is the gold-medal threshold where a leaderboard exists, else the metric's best value.
    An invalid submission counts as the sample submission's 0.
    """
    sample = sample_score(spec, data_root)
    target = report.gold_threshold if report.gold_threshold is not None else metric_for(spec).best
    if sample is None or target is None or target == sample:
        return None
    if report.score is None or not math.isfinite(report.score):
        return 0.0
    return (report.score - sample) / (target - sample)


_SAMPLE_SCORES: dict[tuple[str, int, Path, int], float | None] = {}


def sample_score(spec: CompetitionSpec, data_root: Path) -> float | None:
    """The sample submission's score (graded once per prepared version and process)."""
    path = CompetitionPaths(data_root, spec.id).resolve(spec.sample_submission)
    if not path.is_file():
        return None
    key = (spec.id, spec.version, data_root, path.stat().st_mtime_ns)
    if key not in _SAMPLE_SCORES:
        _SAMPLE_SCORES[key] = grade_submission(spec, path, data_root).score
    return _SAMPLE_SCORES[key]

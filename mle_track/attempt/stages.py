"""The stages of one attempt after its claim: prepare → run in the sandbox → grade → integrity.

Each stage takes what it needs and returns a value; none of them touches the attempt's record,
which :mod:`mle_track.attempt.pipeline` builds from their results. A stage raises
:class:`~mle_track.errors.MleTrackError` when the harness cannot carry the attempt out (data
not prepared, checksum mismatch, no Docker daemon); an agent's failure is never an exception,
it is the status of the sandbox's result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle_track.agents.config import AgentConfig, check_privileged, command_for, resolve_secrets
from mle_track.attempt.plan import RunSpec, stable_hash
from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.errors import NotPreparedError
from mle_track.grading import grade_submission, to_json
from mle_track.grading.normalized import normalized_score
from mle_track.grading.report import CompetitionReport
from mle_track.sandbox.base import AgentTask, AttemptResult
from mle_track.sandbox.registry import make_sandbox

if TYPE_CHECKING:
    from mle_track.llm.tracing import TraceTarget

log = logging.getLogger(__name__)

GRADING_REPORT = "grading_report.json"


@dataclass(frozen=True)
class PreparedData:
    paths: CompetitionPaths
    #: a digest of the prepared files' sha256s, logged as the run's dataset input
    digest: str


def prepare(spec: CompetitionSpec, data_root: Path, *, allowed: bool) -> PreparedData:
    """Prepared data, checked before every attempt: the pipeline's stat-cached verification is
    cheap, and it catches data that an earlier attempt modified. ``allowed=False`` refuses to
    prepare (the data must be there already)."""
    paths = CompetitionPaths(data_root, spec.id)
    if not allowed:
        if not paths.is_prepared():
            raise NotPreparedError(f"{spec.id} is not prepared in {data_root}")
    else:
        from mle_track.data import prepare_competition

        paths = prepare_competition(spec, data_root).paths
    files = (paths.read_marker() or {}).get("files") or {}
    hashes = {name: entry[-1] for name, entry in files.items() if isinstance(entry, list)}
    return PreparedData(paths, stable_hash(hashes))


def task_for(plan: RunSpec, agent: AgentConfig, paths: CompetitionPaths) -> AgentTask:
    """The sandbox task of the planned attempt (secrets resolved from the host environment)."""
    check_privileged(agent)
    secrets = resolve_secrets(agent)
    return AgentTask(
        competition_id=paths.competition_id,
        public_dir=paths.public,
        command=command_for(agent, plan.sandbox_name),
        limits=plan.limits,
        seed=plan.seed,
        env={**agent.env, **secrets},
        secret_env=frozenset(secrets),
        image=agent.image,
        network=plan.network,
        keep=plan.keep,
        privileged=agent.privileged,
        attempt_key=plan.attempt_key,
    )


@dataclass(frozen=True)
class Execution:
    """How the agent ran: the sandbox's result, and a host agent's LLM usage and step metrics."""

    result: AttemptResult
    llm: dict[str, float] = field(default_factory=dict)
    step_metrics: list[dict[str, Any]] = field(default_factory=list)


def execute(
    plan: RunSpec,
    agent: AgentConfig,
    task: AgentTask,
    run_dir: Path,
    trace: TraceTarget | None,
) -> Execution:
    """Run the agent: in the sandbox, or (host agents) its loop here and its code in a session."""
    sandbox = make_sandbox(plan.sandbox_name)
    if agent.kind != "host":
        return Execution(sandbox.run(task, run_dir))
    from mle_track.agents.host import run_host_attempt
    from mle_track.llm.models import model_from_mapping

    hosted = run_host_attempt(
        name=agent.name,
        module=str(agent.module),
        kwargs=agent.kwargs,
        model=model_from_mapping(plan.model),
        task=task,
        sandbox=sandbox,
        run_dir=run_dir,
        trace=trace,
    )
    return Execution(hosted.result, dict(hosted.llm), list(hosted.step_metrics))


@dataclass(frozen=True)
class Grade:
    report: CompetitionReport
    normalized_score: float | None


def grade(spec: CompetitionSpec, result: AttemptResult, data_root: Path, run_dir: Path) -> Grade:
    """Grade the submission on the host (answers never enter the sandbox); the report is
    written beside the attempt's other files."""
    report = grade_submission(spec, result.submission, data_root)
    if result.submission is None and report.invalid_reason:
        what = result.reason or result.status
        report = replace(report, invalid_reason=f"no submission.csv was written ({what})")
    (run_dir / GRADING_REPORT).write_text(to_json(report.to_dict()) + "\n")
    return Grade(report, normalized_score(spec, report, data_root))


def public_data_violation(paths: CompetitionPaths) -> str | None:
    """Why the attempt broke the rules by writing into its public data (possible where it runs
    as root locally), or ``None``. The next attempt re-verifies the data and refuses it."""
    from mle_track.data.hashing import changed_files

    cache = (paths.read_marker() or {}).get("files") or {}
    changed = changed_files(paths.prepared, cache)
    if not changed:
        return None
    shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
    log.warning("attempt modified public data of %s: %s", paths.competition_id, shown)
    return (
        f"the agent modified the competition's public data ({shown}); the next attempt "
        f"re-verifies it (rebuild with `mle-track prepare --force -c {paths.competition_id}`)"
    )

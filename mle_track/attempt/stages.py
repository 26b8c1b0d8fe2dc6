"""The stages of one attempt after its claim: prepare → run in the sandbox → check → grade.

Each stage takes what it needs and returns a value; none of them touches the attempt's record,
which :mod:`mle_track.attempt.pipeline` builds from their results. A stage raises
:class:`~mle_track.errors.MleTrackError` when the harness cannot carry the attempt out (data
not prepared, checksum mismatch, no Docker daemon); an agent's failure is never an exception,
it is the status of the sandbox's result. What is checked between the run and the grade is in
:mod:`mle_track.attempt.checks`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle_track.agents.config import AgentConfig, check_privileged, command_for, resolve_secrets
from mle_track.attempt.plan import RunSpec, stable_hash
from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
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
    #: ``{"private/test.csv": sha256, …}`` as verified right before the attempt: what the
    #: checks after it compare with, and what grading compares the answers with
    digests: Mapping[str, str] = field(default_factory=dict)


def prepare(spec: CompetitionSpec, data_root: Path, *, allowed: bool) -> PreparedData:
    """Prepared data, verified before every attempt (private files by content, public ones
    through the stat cache), so data an earlier attempt modified is refused. ``allowed=False``
    refuses to prepare (the data must be there already) but verifies all the same."""
    from mle_track.data.prepare import prepare_competition, verify_prepared

    result = prepare_competition(spec, data_root) if allowed else verify_prepared(spec, data_root)
    digests = dict(result.digests)
    return PreparedData(result.paths, stable_hash(digests), digests)


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
        runtime=_optional_str(plan.sandbox.get("runtime")),
        attempt_key=plan.attempt_key,
        trusted=agent.runs_trusted,
    )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


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


def grade(
    spec: CompetitionSpec,
    result: AttemptResult,
    data_root: Path,
    run_dir: Path,
    recorded: Mapping[str, str] | None = None,
) -> Grade:
    """Grade the submission on the host (answers never enter the sandbox, and are hashed and
    compared with ``recorded`` before they are read); the report is written beside the
    attempt's other files."""
    report = grade_submission(spec, result.submission, data_root, recorded=recorded)
    if result.submission is None and report.invalid_reason:
        what = result.reason or result.status
        report = replace(report, invalid_reason=f"no submission.csv was written ({what})")
    (run_dir / GRADING_REPORT).write_text(to_json(report.to_dict()) + "\n")
    return Grade(report, normalized_score(spec, report, data_root))

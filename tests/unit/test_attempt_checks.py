"""The checks between an attempt's run and its grade, through the real pipeline with the
sandbox replaced by a stand-in that changes the data the way an unisolated agent could (the
edit is made between prepare and grade, exactly where an agent makes it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mle_track.agents.config import load_agent
from mle_track.attempt import pipeline, stages
from mle_track.attempt.pipeline import AttemptRequest, run_attempt
from mle_track.attempt.plan import RunSpec, compute_mapping, sandbox_mapping
from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.errors import SandboxError
from mle_track.llm.config import ModelConfig
from mle_track.names import AttemptStatus, RuleViolation, Tag
from mle_track.sandbox.base import AgentTask, AttemptResult, Limits
from tests.conftest import MakeCompetition
from tests.fakes.tamper import edit_keeping_stats

Agent = Callable[[AgentTask, Path], None]


@pytest.fixture
def spec(make_competition: MakeCompetition) -> CompetitionSpec:
    ids = [f"r{i}" for i in range(16)]
    answers = pd.DataFrame({"id": ids, "y": np.arange(16) % 2})
    return make_competition(
        "toy-checks",
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=answers.assign(y=0.5),
        target_columns=["y"],
    )


def attempt(
    spec: CompetitionSpec,
    data_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    agent: Agent,
    *,
    planned: str = "none",
    given: str = "none",
    raises: bool = False,
) -> Any:
    """One attempt whose "sandbox" runs ``agent`` on the host, then reports ``given``."""

    def execute(plan: RunSpec, config: Any, task: AgentTask, run_dir: Path, trace: Any) -> Any:
        (run_dir / "submission").mkdir(exist_ok=True)
        agent(task, run_dir)
        if raises:
            raise SandboxError("the sandbox could not copy the outputs out")
        result = AttemptResult("completed", 0, False, 0.1, run_dir, isolation=given)  # type: ignore[arg-type]
        return stages.Execution(result)

    monkeypatch.setattr(stages, "execute", execute)
    dummy = load_agent("dummy")
    plan = RunSpec(
        asdict(dummy), asdict(ModelConfig()), compute_mapping(Limits(time_limit_s=30), "test"),
        sandbox_mapping("local-unisolated", isolation=planned), spec.id, 1, 0, str(data_root),
    )  # fmt: skip
    outcome = run_attempt(AttemptRequest(plan, dummy, spec, tmp_path / "runs"))
    assert outcome.record is not None
    return outcome.record


def copy_sample(task: AgentTask, run_dir: Path) -> None:
    sample = (task.public_dir / "sample_submission.csv").read_text()
    (run_dir / "submission" / "submission.csv").write_text(sample)


def edit_answers(data_root: Path) -> Agent:
    def agent(task: AgentTask, run_dir: Path) -> None:
        copy_sample(task, run_dir)
        edit_keeping_stats(CompetitionPaths(data_root, task.competition_id).private / "test.csv")

    return agent


def test_an_honest_attempt_is_graded_with_its_isolation_tagged(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = attempt(spec, data_root, tmp_path, monkeypatch, copy_sample)
    assert record.status == AttemptStatus.COMPLETED, record.reason
    assert record.report["score"] == 0.5 and Tag.RULE_VIOLATION not in record.tags
    assert record.tags[Tag.ISOLATION] == "none"


def test_the_attempt_that_edits_the_answers_is_the_one_flagged_and_it_is_not_graded(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graded: list[object] = []
    real_grade = stages.grade
    monkeypatch.setattr(stages, "grade", lambda *a, **k: graded.append(a) or real_grade(*a, **k))
    record = attempt(spec, data_root, tmp_path, monkeypatch, edit_answers(data_root))
    assert record.status == AttemptStatus.ERROR and record.harness_failed
    assert "private/test.csv" in record.reason and "not graded" in record.reason
    assert record.tags[Tag.RULE_VIOLATION] == RuleViolation.PRIVATE_ANSWERS
    assert record.report is None and graded == [], "nothing is graded against changed answers"

    following = attempt(spec, data_root, tmp_path / "next", monkeypatch, copy_sample)
    assert following.status == AttemptStatus.ERROR and "private/test.csv" in following.reason
    assert Tag.RULE_VIOLATION not in following.tags, "the next attempt is not blamed"


def test_answers_edited_before_the_sandbox_failed_are_still_flagged(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = attempt(spec, data_root, tmp_path, monkeypatch, edit_answers(data_root), raises=True)
    assert record.status == AttemptStatus.ERROR
    assert record.tags[Tag.RULE_VIOLATION] == RuleViolation.PRIVATE_ANSWERS
    assert "private/test.csv" in record.reason and "copy the outputs" in record.reason


def test_a_weaker_isolation_than_planned_is_a_harness_error(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = attempt(
        spec, data_root, tmp_path, monkeypatch, copy_sample, planned="namespaces", given="none"
    )
    assert record.status == AttemptStatus.ERROR and record.report is None
    assert "not the planned 'namespaces'" in record.reason
    assert record.tags[Tag.ISOLATION] == "none", "the tag says what the agent really had"


def test_public_data_is_compared_by_content_only_where_the_agent_could_write_it(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def edit_public(task: AgentTask, run_dir: Path) -> None:
        copy_sample(task, run_dir)
        edit_keeping_stats(task.public_dir / "sample_submission.csv")

    record = attempt(spec, data_root, tmp_path, monkeypatch, edit_public)
    assert record.status == AttemptStatus.COMPLETED, "graded, and flagged"
    assert record.tags[Tag.RULE_VIOLATION] == RuleViolation.PUBLIC_DATA
    assert "public/sample_submission.csv" in record.reason
    refused = attempt(spec, data_root, tmp_path / "next", monkeypatch, copy_sample)
    assert refused.status == AttemptStatus.ERROR and "sample_submission.csv" in refused.reason


def test_the_pipeline_reads_the_plan_isolation_into_the_started_tags(
    spec: CompetitionSpec, data_root: Path
) -> None:
    dummy = load_agent("dummy")
    plan = RunSpec(
        asdict(dummy), asdict(ModelConfig()), compute_mapping(Limits(time_limit_s=30), "test"),
        sandbox_mapping("docker", isolation="docker"), spec.id, 1, 0, str(data_root),
    )  # fmt: skip
    assert pipeline.attempt_tags(plan, spec)[Tag.ISOLATION] == "docker"

"""The AIDE agent against a scripted OpenAI-compatible server (real HTTP, real ``openai``
client), its scripts running in a real sandbox session on a tiny competition.

Each scenario checks the outcome the issue asks for: the right status and reason, the journal,
and a valid submission — the best node's — whenever a working node exists.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mle_track.agents.host import HostRun, run_host_attempt
from mle_track.competitions.spec import CompetitionSpec
from mle_track.errors import AgentError
from mle_track.grading import grade_submission
from mle_track.llm.client import Backoff
from mle_track.llm.config import ModelConfig
from mle_track.llm.scripted import Reply, ScriptedLLM
from mle_track.sandbox.base import AgentTask, Limits, Sandbox
from mle_track.sandbox.local import LocalSandbox
from tests.conftest import MakeCompetition

COMPETITION = "aide-probe"
FAST = Backoff(base_s=0.01, cap_s=0.05)
WRITER = """\
import csv, os
rows = list(csv.reader(open(os.path.join(os.environ["DATA_DIR"], "sample_submission.csv"))))
{write}
print("training done")
{metric}
"""
WRITE = """\
with open("submission/submission.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(rows[0])
    for row in rows[1:]:
        out.writerow([row[0], {value!r}])
"""


def script(value: float | None = 0.5, metric: float | None = 0.5) -> str:
    write = WRITE.format(value=value) if value is not None else ""
    printed = f'print("Validation metric: {metric}")' if metric is not None else ""
    return WRITER.format(write=write, metric=printed)


CRASH = "print('loading')\nraise ValueError(\"could not convert string to float: 'x'\")\n"


def code(body: str, plan: str = "Fit a model and predict.") -> Reply:
    return Reply(content=f"{plan}\n\n```python\n{body}```\n", expect="chat")


def review(is_bug: bool = False, metric: float | None = 0.5, **extra: Any) -> Reply:
    args = {"is_bug": is_bug, "summary": "ran", "metric": metric, "lower_is_better": False}
    return Reply(tool_args={**args, **extra}, expect="tool")


@pytest.fixture
def spec(make_competition: MakeCompetition) -> CompetitionSpec:
    ids = [f"r{i}" for i in range(10)]
    return make_competition(
        COMPETITION,
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "y": [0, 1] * 5}),
        sample=pd.DataFrame({"id": ids, "y": [0.5] * 10}),
        target_columns=["y"],
    )


@pytest.fixture
def server() -> Iterator[ScriptedLLM]:
    with ScriptedLLM() as llm:
        yield llm
        assert not llm.mismatches, llm.mismatches


class Aide:
    """Runs the agent; keeps what the assertions need."""

    def __init__(self, spec: CompetitionSpec, data_root: Path, tmp_path: Path) -> None:
        self.spec, self.data_root, self.tmp_path = spec, data_root, tmp_path
        self.runs = 0

    def __call__(
        self,
        server: ScriptedLLM,
        *,
        sandbox: Sandbox | None = None,
        image: str | None = None,
        time_limit_s: float = 60.0,
        model: dict[str, Any] | None = None,
        **knobs: Any,
    ) -> HostRun:
        fields: dict[str, Any] = {
            "name": "scripted",
            "provider": "openai-compatible",
            "model": "scripted-1",
            "base_url": server.url,
            "temperature": 0.2,
            "request_timeout_s": 5.0,
            "max_retries": 1,
            "price_input_per_mtok": 1.0,
            "price_output_per_mtok": 2.0,
        }
        config = ModelConfig(**{**fields, **(model or {})})
        public = self.data_root / COMPETITION / "prepared" / "public"
        task = AgentTask(
            COMPETITION, public, (), Limits(time_limit_s=time_limit_s, cpus=1), image=image
        )
        settings = {"steps": 3, "num_drafts": 1, "debug_prob": 1.0, "step_timeout_s": 20}
        self.runs += 1
        self.run_dir = self.tmp_path / f"run-{self.runs}"
        return run_host_attempt(
            name="aide",
            module="mle_track.agents.aide",
            kwargs={**settings, **knobs},
            model=config,
            task=task,
            sandbox=sandbox or LocalSandbox(),
            run_dir=self.run_dir,
            backoff=FAST,
        )

    def journal(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.run_dir / "logs" / "aide_journal.json").read_text())
        return data

    def submitted(self, hosted: HostRun) -> list[float]:
        """The submission's values, after checking the host grader finds it valid."""
        assert hosted.result.submission is not None, hosted.result.reason
        report = grade_submission(self.spec, hosted.result.submission, self.data_root)
        assert report.valid_submission, report.invalid_reason
        return list(pd.read_csv(hosted.result.submission)["y"])


@pytest.fixture
def aide(spec: CompetitionSpec, data_root: Path, tmp_path: Path) -> Aide:
    return Aide(spec, data_root, tmp_path)


def _crash_debug_improve(server: ScriptedLLM) -> None:
    server.push(
        code(CRASH, "Parse the features as floats."),
        review(is_bug=True, metric=None),
        code(script(0.6, 0.61), "Skip the text column."),
        review(metric=0.61),
        code(script(0.8, 0.83), "Add interaction features."),
        review(metric=0.83),
    )


@pytest.mark.parametrize("kind", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_crash_then_debug_fixes_it_then_an_improvement_beats_it(
    aide: Aide, server: ScriptedLLM, kind: str
) -> None:
    sandbox, image = None, None
    if kind == "docker":
        from mle_track.sandbox.docker import DockerSandbox
        from tests.integration.test_sandbox_docker import IMAGE, _docker_client

        sandbox, image = DockerSandbox(client=_docker_client()), IMAGE
    _crash_debug_improve(server)
    hosted = aide(server, sandbox=sandbox, image=image)
    assert hosted.result.status == "completed", hosted.result.reason
    assert "best validation metric 0.83 (solution 2, step 3)" in hosted.result.reason
    assert aide.submitted(hosted) == [0.8] * 10, "the best node's submission is the attempt's"
    assert "Add interaction features" not in (hosted.result.code_dir / "solution.py").read_text()
    assert "0.83" in (hosted.result.code_dir / "solution.py").read_text()
    nodes = aide.journal()["nodes"]
    assert [(n["action"], n["parent_id"], n["failure"]) for n in nodes] == [
        ("draft", None, "crash"),
        ("debug", 0, ""),
        ("improve", 1, ""),
    ]
    assert "could not convert string to float" in nodes[0]["output"]
    # the debug prompt showed the crash; the improve prompt showed the working code
    chats = [r.body["messages"][-1]["content"] for r in server.requests if r.kind == "chat"]
    assert "fix a broken solution" in chats[1] and "could not convert" in chats[1]
    assert "improve the best solution" in chats[2] and "0.61" in chats[2]
    steps = {(m["key"], m["step"]): m["value"] for m in hosted.step_metrics}
    assert steps[("aide_validation_metric", 2)] == 0.61
    assert steps[("aide_best_validation_metric", 3)] == 0.83
    assert steps[("aide_buggy", 1)] == 1.0 and ("aide_validation_metric", 1) not in steps
    llm = hosted.llm
    assert llm["llm_calls"] == 6 and llm["llm_input_tokens"] > 1000
    expected = (llm["llm_input_tokens"] * 1.0 + llm["llm_output_tokens"] * 2.0) / 1e6
    assert llm["llm_cost_usd"] == pytest.approx(expected)
    log = hosted.result.log_file.read_text()
    assert "[aide] step 3: improve → solution 2: metric 0.83 — new best" in log


def test_a_reply_without_code_is_asked_again_then_given_up(aide: Aide, server: ScriptedLLM) -> None:
    server.push(
        Reply(content="I would start with gradient boosting.", expect="chat"),
        Reply(content="Here is my plan, but no code yet.", expect="chat"),
        code(script(0.7, 0.7)),
        review(metric=0.7),
    )
    hosted = aide(server, steps=2, num_drafts=2, code_retries=1)
    assert hosted.result.status == "completed", hosted.result.reason
    nodes = aide.journal()["nodes"]
    assert [n["failure"] for n in nodes] == ["no_code", ""]
    assert "no complete ```python" in server.requests[1].body["messages"][-1]["content"]
    assert aide.submitted(hosted) == [0.7] * 10


def test_a_malformed_review_is_asked_again(aide: Aide, server: ScriptedLLM) -> None:
    server.push(
        code(script(0.7, 0.7)),
        Reply(tool_args='{"is_bug": fals', expect="tool"),
        review(metric=0.7),
        code(script(0.9, 0.9)),
        Reply(tool_args={"summary": "no fields"}, expect="tool"),
        Reply(tool_args="not json at all", expect="tool"),
    )
    hosted = aide(server, steps=2, num_drafts=2, feedback_retries=1)
    nodes = aide.journal()["nodes"]
    assert [(n["failure"], n["metric"]) for n in nodes] == [("", 0.7), ("review", None)]
    assert "no usable arguments" in nodes[1]["summary"]
    assert aide.submitted(hosted) == [0.7] * 10


def test_guards_overrule_a_review_that_contradicts_the_facts(
    aide: Aide, server: ScriptedLLM
) -> None:
    server.push(
        code(script(value=None, metric=0.9)),  # prints a metric, writes nothing
        review(metric=0.9),
        code(script(value=0.4, metric=None)),  # writes, prints no metric
        review(metric=None),
        code(script(value=0.3, metric=0.71)),  # the review misreads the printed metric
        review(metric=0.99),
    )
    hosted = aide(server, steps=3, num_drafts=3)
    nodes = aide.journal()["nodes"]
    assert [(n["failure"], n["metric"]) for n in nodes] == [
        ("no_submission", None),
        ("no_metric", None),
        ("", 0.71),
    ]
    assert aide.submitted(hosted) == [0.3] * 10


def test_a_429_is_retried_and_the_step_goes_on(aide: Aide, server: ScriptedLLM) -> None:
    server.push(Reply(status=429, retry_after_s=0.05), code(script(0.6, 0.6)), review(metric=0.6))
    hosted = aide(server, steps=1)
    assert hosted.result.status == "completed", hosted.result.reason
    assert [r.status for r in server.requests] == [429, 200, 200]
    assert aide.submitted(hosted) == [0.6] * 10


def test_500_forever_stops_the_search_and_keeps_the_best(aide: Aide, server: ScriptedLLM) -> None:
    server.push(code(script(0.6, 0.6)), review(metric=0.6))  # then the queue is empty: 500s
    hosted = aide(server, steps=10, num_drafts=5, llm_failure_limit=2)
    assert hosted.result.status == "completed"
    assert "failed 2 steps in a row" in hosted.result.reason
    assert aide.submitted(hosted) == [0.6] * 10
    assert hosted.llm["llm_failed_calls"] == 2


def test_500_from_the_start_fails_the_attempt_without_a_submission(
    aide: Aide, server: ScriptedLLM
) -> None:
    hosted = aide(server, steps=10, llm_failure_limit=2)
    assert hosted.result.status == "failed" and hosted.result.submission is None
    assert "no working solution" in hosted.result.reason and "HTTP 500" in hosted.result.reason
    assert len(server.requests) == 4, "two steps, each one try and one retry"


def test_a_slow_reply_past_the_timeout_costs_one_step(aide: Aide, server: ScriptedLLM) -> None:
    server.push(
        Reply(content="too late", delay_s=3.0),
        Reply(content="too late again", delay_s=3.0),
        code(script(0.6, 0.6)),
        review(metric=0.6),
    )
    start = time.monotonic()
    hosted = aide(server, steps=2, num_drafts=2, model={"request_timeout_s": 0.5})
    assert time.monotonic() - start < 10
    nodes = aide.journal()["nodes"]
    assert [n["failure"] for n in nodes] == ["llm", ""]
    assert "APITimeoutError" in nodes[0]["summary"]
    assert aide.submitted(hosted) == [0.6] * 10


def test_a_rejected_key_stops_the_attempt_with_a_clear_error(
    aide: Aide, server: ScriptedLLM
) -> None:
    server.push(Reply(status=401, error="Incorrect API key provided"))
    with pytest.raises(AgentError, match="refused the credentials"):
        aide(server)
    assert (aide.run_dir / "run.log").is_file(), "the session was closed and its log kept"
    assert not (aide.run_dir / "home").exists()


def test_the_attempt_deadline_stops_the_search(aide: Aide, server: ScriptedLLM) -> None:
    slow = "import time\ntime.sleep(30)\n"
    server.push(code(slow), review(is_bug=True, metric=None))
    start = time.monotonic()
    hosted = aide(server, steps=50, time_limit_s=4.0)
    assert time.monotonic() - start < 15
    assert hosted.result.status == "failed"
    assert "stopped by the time limit" in hosted.result.reason
    assert aide.journal()["nodes"][0]["failure"] == "timeout"


def test_run_attempt_drives_host_agents_and_records_their_usage(
    spec: CompetitionSpec, data_root: Path, tmp_path: Path, server: ScriptedLLM
) -> None:
    from dataclasses import asdict

    from mle_track.agents.config import load_agent
    from mle_track.attempt.pipeline import AttemptRequest, run_attempt
    from mle_track.attempt.plan import RunSpec, compute_mapping, sandbox_mapping

    agent = load_agent("aide")
    agent.kwargs.update(steps=1, num_drafts=1, step_timeout_s=20)
    model = ModelConfig(name="scripted", provider="openai", model="m", base_url=server.url)

    def request(model: ModelConfig, runs_dir: Path, prepare: bool = True) -> AttemptRequest:
        plan = RunSpec(
            asdict(agent), asdict(model), compute_mapping(Limits(time_limit_s=60), "test"),
            sandbox_mapping("local"), spec.id, 1, 0, str(data_root),
        )  # fmt: skip
        return AttemptRequest(plan, agent, spec, runs_dir, prepare=prepare)

    server.push(code(script(0.6, 0.6)), review(metric=0.6))
    record = run_attempt(request(model, tmp_path / "a", prepare=False)).record
    assert record is not None
    assert record.status == "completed", record.reason
    assert record.report is not None and record.report["valid_submission"]
    assert record.llm["llm_calls"] == 2 and record.llm["llm_input_tokens"] > 0
    assert {m["key"] for m in record.step_metrics} >= {"aide_validation_metric", "aide_buggy"}
    assert record.metrics()["llm_output_tokens"] > 0

    record = run_attempt(request(ModelConfig(), tmp_path / "b")).record
    assert record is not None
    assert record.status == "error" and "needs a language model" in record.reason

"""Host-side agents: the agent's loop runs in the harness process, its code in a sandbox session.

Why on the host: an LLM agent's brain is API calls, and those belong where MLflow's OpenAI
autolog can trace them into the attempt's run and where the API key can stay (the sandbox never
gets it, so generated code cannot leak it). Why a session: the code the model writes is
untrusted, so every script runs inside the attempt's sandbox — local or docker — with the
public data only, a per-step timeout and the attempt's deadline.

A host agent is a module with ``run_host(context: HostContext) -> HostOutcome``, configured as
``kind: host`` with ``module:`` in ``conf/agent/*.yaml``. :func:`run_host_attempt` opens the
session, runs the agent under tracing, closes the session (which copies ``submission/``,
``logs/`` and ``code/`` out) and adds what the agent left on the host (its journal) to
``logs/``. Tokens and cost come from the run's traces when there is a run, else from the
client's own counts.
"""

from __future__ import annotations

import importlib
import logging
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mle_track.errors import AgentError
from mle_track.llm.client import Backoff, ChatClient, Usage
from mle_track.llm.config import ModelConfig
from mle_track.llm.models import api_key, require_llm
from mle_track.llm.tracing import NULL_TRACER, MlflowTracer, NullTracer, Tracer, TraceTarget
from mle_track.names import Metric
from mle_track.sandbox.base import AgentTask, AttemptResult, Sandbox, Status
from mle_track.sandbox.outcome import redact
from mle_track.sandbox.session import Session

log = logging.getLogger(__name__)
#: host folder (in the run directory) whose files are added to ``logs/`` after the session
ARTIFACTS_DIR = ".host-logs"


@dataclass
class HostContext:
    """Everything a host agent gets."""

    session: Session
    task: AgentTask
    model: ModelConfig
    kwargs: Mapping[str, Any]
    #: a host folder for the agent's own records; its files end up in ``logs/``
    artifacts: Path
    tracer: Tracer = NULL_TRACER
    usage: Usage = field(default_factory=Usage)
    backoff: Backoff = field(default_factory=Backoff)
    agent_name: str = "agent"
    #: the API keys of the clients made here, redacted from the logs afterwards
    secrets: set[str] = field(default_factory=set)

    def client(self, model: ModelConfig, role: str) -> ChatClient:
        """A chat client bounded by the attempt's deadline, counted and traced."""
        client = ChatClient(
            require_llm(model, self.agent_name),
            role=role,
            usage=self.usage,
            tracer=self.tracer,
            deadline=self.session.deadline,
            backoff=self.backoff,
        )
        if model.api_key_env:
            self.secrets.add(api_key(model))
        return client


@dataclass
class HostOutcome:
    status: Status
    reason: str
    #: ``{"key", "value", "step"}`` entries, logged as MLflow metrics with steps
    step_metrics: list[dict[str, Any]] = field(default_factory=list)


HostAgent = Callable[[HostContext], HostOutcome]


@dataclass
class HostRun:
    result: AttemptResult
    llm: dict[str, float]
    step_metrics: list[dict[str, Any]]


def load_host_agent(module: str) -> HostAgent:
    try:
        entry = importlib.import_module(module).run_host
    except (ImportError, AttributeError) as exc:
        raise AgentError(f"host agent module {module!r} has no run_host(): {exc}") from None
    if not callable(entry):
        raise AgentError(f"{module}.run_host is not callable")
    agent: HostAgent = entry
    return agent


def run_host_attempt(
    *,
    name: str,
    module: str,
    kwargs: Mapping[str, Any],
    model: ModelConfig,
    task: AgentTask,
    sandbox: Sandbox,
    run_dir: Path,
    trace: TraceTarget | None = None,
    backoff: Backoff | None = None,
) -> HostRun:
    """Run one host agent attempt; an ``AgentError`` (a misconfigured model) propagates after
    the session is closed, every other agent failure is the result's ``error`` status."""
    entry = load_host_agent(module)
    require_llm(model, name)
    tracer: MlflowTracer | NullTracer = MlflowTracer(trace) if trace else NULL_TRACER
    session = sandbox.open_session(task, run_dir)
    artifacts = run_dir / ARTIFACTS_DIR
    artifacts.mkdir(exist_ok=True)
    context = HostContext(
        session,
        task,
        model,
        kwargs,
        artifacts,
        tracer,
        backoff=backoff or Backoff(),
        agent_name=name,
    )
    outcome = HostOutcome("error", "")
    try:
        with tracer.activated():
            outcome = entry(context)
    except AgentError as exc:
        outcome = HostOutcome("error", str(exc))
        raise
    except Exception as exc:
        log.exception("host agent %s failed", name)
        outcome = HostOutcome("error", f"the agent failed: {type(exc).__name__}: {exc}")
    finally:
        result = session.close(outcome.status, outcome.reason)
        _merge_artifacts(artifacts, run_dir / "logs")
        _redact_keys(run_dir, context.secrets)
    return HostRun(result, llm_metrics(context.usage, tracer.totals()), outcome.step_metrics)


def llm_metrics(usage: Usage, traced: dict[str, float] | None) -> dict[str, float]:
    """The traces' sums where they cover every call the client counted; else the counts.

    Traces are the record (what the MLflow UI shows), but their export is asynchronous and a
    tracking hiccup can lose some: an attempt is then charged what the replies reported, never
    less, and ``llm_traces`` shows how many traces arrived."""
    metrics = usage.metrics()
    if traced is None:
        return metrics
    if traced[Metric.LLM_INPUT_TOKENS] >= usage.input_tokens:
        metrics.update(traced)
    else:
        log.warning(
            "the traces hold %d of %d input tokens; using the counted usage",
            traced[Metric.LLM_INPUT_TOKENS],
            usage.input_tokens,
        )
        metrics[Metric.LLM_TRACES] = traced[Metric.LLM_TRACES]
    return metrics


def _redact_keys(run_dir: Path, keys: set[str]) -> None:
    """Keys never enter the sandbox, but an error message may quote one: not in our logs."""
    if not keys:
        return
    for path in [run_dir / "run.log", *(run_dir / "logs").rglob("*")]:
        if path.is_file() and not path.is_symlink():
            redact(path, sorted(keys))


def _merge_artifacts(source: Path, logs: Path) -> None:
    logs.mkdir(exist_ok=True)
    if source.is_dir():
        for item in source.iterdir():
            target = logs / item.name
            if target.exists():
                target = logs / f"host-{item.name}"
            shutil.move(str(item), target)
        shutil.rmtree(source, ignore_errors=True)

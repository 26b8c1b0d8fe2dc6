"""Tracing a host-side agent's LLM calls into its attempt's MLflow run, and summing them up.

``mlflow.openai.autolog`` records every ``chat.completions.create`` as a span with its token
usage. Two things make those spans belong to one attempt without the fluent run API (library
code uses explicit run ids): ``mlflow.tracing.context`` stamps the run id into every trace's
``mlflow.sourceRun`` metadata, and a context-local destination sends the traces to the run's
experiment. The agent wraps each step in a root span and each LLM call in a child span that
carries the call's cost at *our* prices (per million tokens, from the model config): MLflow's
trace-level cost takes an explicit cost over the ones it would look up for the spans below, so a
gateway, a local server or an old price list cannot change what an attempt is said to cost.

After the agent ends, :meth:`MlflowTracer.totals` sums ``token_usage`` and ``cost`` over the
run's traces: these are the attempt's ``llm_input_tokens``, ``llm_output_tokens`` and
``llm_cost_usd``. Without a run (``mle-track run-agent``) the :class:`NullTracer` records
nothing and the client's own counts are used.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from mle_track.names import Metric

log = logging.getLogger(__name__)

#: span attribute MLflow aggregates into the trace's cost (``input_cost``/``output_cost``/...)
COST_ATTRIBUTE = "mlflow.llm.cost"


class SpanHandle(Protocol):
    def set(self, attributes: Mapping[str, Any]) -> None: ...

    def inputs(self, value: Any) -> None: ...

    def outputs(self, value: Any) -> None: ...


class Tracer(Protocol):
    def span(
        self, name: str, kind: str, attributes: Mapping[str, Any] | None = None
    ) -> AbstractContextManager[SpanHandle]: ...


class _NullSpan:
    def set(self, attributes: Mapping[str, Any]) -> None:
        return None

    def inputs(self, value: Any) -> None:
        return None

    def outputs(self, value: Any) -> None:
        return None


class NullTracer:
    """Records nothing (no MLflow run to record into)."""

    def span(
        self, name: str, kind: str, attributes: Mapping[str, Any] | None = None
    ) -> AbstractContextManager[SpanHandle]:
        return contextlib.nullcontext(_NullSpan())

    @contextlib.contextmanager
    def activated(self) -> Iterator[None]:
        yield

    def totals(self) -> dict[str, float] | None:
        return None


NULL_TRACER = NullTracer()


@dataclass(frozen=True)
class TraceTarget:
    """The MLflow run an attempt's traces belong to."""

    tracking_uri: str
    experiment_id: str
    run_id: str


class _MlflowSpan:
    def __init__(self, span: Any) -> None:
        self._span = span

    def set(self, attributes: Mapping[str, Any]) -> None:
        self._span.set_attributes(dict(attributes))

    def inputs(self, value: Any) -> None:
        self._span.set_inputs(value)

    def outputs(self, value: Any) -> None:
        self._span.set_outputs(value)


class MlflowTracer:
    """Traces into ``target``'s run; use spans only inside :meth:`activated`."""

    def __init__(self, target: TraceTarget) -> None:
        self.target = target

    @contextlib.contextmanager
    def span(
        self, name: str, kind: str, attributes: Mapping[str, Any] | None = None
    ) -> Iterator[SpanHandle]:
        import mlflow

        with mlflow.start_span(name, span_type=kind, attributes=dict(attributes or {})) as span:
            yield _MlflowSpan(span)

    @contextlib.contextmanager
    def activated(self) -> Iterator[None]:
        """Autolog on, traces stamped with the run and sent to its experiment; on the way out
        the pending traces are flushed and autolog is switched off again."""
        import mlflow
        from mlflow.entities.trace_location import MlflowExperimentLocation
        from mlflow.tracing.constant import TraceMetadataKey

        mlflow.set_tracking_uri(self.target.tracking_uri)
        mlflow.openai.autolog(silent=True)
        location = MlflowExperimentLocation(self.target.experiment_id)
        try:
            with mlflow.tracing.context(metadata={TraceMetadataKey.SOURCE_RUN: self.target.run_id}):
                mlflow.tracing.set_destination(location, context_local=True)
                yield
        finally:
            with contextlib.suppress(Exception):
                mlflow.flush_trace_async_logging()
            with contextlib.suppress(Exception):
                mlflow.openai.autolog(disable=True, silent=True)

    def totals(self) -> dict[str, float] | None:
        """Tokens and cost summed over the run's traces (``None`` if they cannot be read)."""
        try:
            return _sum_traces(self.target)
        except Exception as exc:  # a tracking hiccup must not lose the attempt
            log.warning("could not sum the LLM traces of run %s: %s", self.target.run_id, exc)
            return None


def _sum_traces(target: TraceTarget) -> dict[str, float]:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=target.tracking_uri)
    totals = {Metric.LLM_INPUT_TOKENS: 0.0, Metric.LLM_OUTPUT_TOKENS: 0.0, Metric.LLM_COST_USD: 0.0}
    count = 0
    token: str | None = None
    while True:
        page = client.search_traces(
            locations=[target.experiment_id],
            run_id=target.run_id,
            include_spans=False,
            max_results=500,
            page_token=token,
        )
        for trace in page:
            count += 1
            usage = trace.info.token_usage or {}
            totals[Metric.LLM_INPUT_TOKENS] += float(usage.get("input_tokens", 0))
            totals[Metric.LLM_OUTPUT_TOKENS] += float(usage.get("output_tokens", 0))
            cost = trace.info.cost or {}
            totals[Metric.LLM_COST_USD] += float(cost.get("total_cost", 0.0))
        token = page.token
        if not token:
            break
    totals[Metric.LLM_TRACES] = float(count)
    return totals

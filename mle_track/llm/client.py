"""One chat call to an OpenAI-compatible model: retries, clear errors, time bounds, usage, cost.

The ``openai`` SDK speaks to any compatible ``base_url`` (OpenAI, gateways, OpenRouter, vLLM,
Ollama). Its own retries are switched off so that ours can be honest about time: an attempt has
a deadline, and a client that sleeps through it on a backoff (or waits ten minutes on a request
timeout when two are left) would overrun the attempt. So each try gets ``min(request timeout,
time left)``, a retry happens only if its backoff ends before the deadline, and the backoff
follows the server's ``Retry-After`` when it sends one.

What is retried: 408, 409, 429, 5xx, timeouts and connection errors — the server may answer
next time. What is not: 400/422 (this request will never work; :class:`LlmError`), and 401,
403, 404 and an exhausted quota, which are configuration mistakes no retry can fix and which
stop the attempt with an :class:`~mle_track.errors.AgentError` naming the model, the URL and
the key's variable.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mle_track.errors import AgentError, MleTrackError
from mle_track.llm.config import ModelConfig
from mle_track.llm.models import api_key, cost_usd
from mle_track.llm.tracing import COST_ATTRIBUTE, NULL_TRACER, Tracer
from mle_track.names import Metric

Message = Mapping[str, str]
RETRY_STATUSES = frozenset({408, 409, 429})
#: below this many seconds left, a call is not started
MIN_CALL_S = 1.0


class LlmError(MleTrackError):
    """A call that failed: after its retries (``transient``) or for good (a rejected request)."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter; a server's ``Retry-After`` wins (up to
    ``max_retry_after_s``, so a server asking for an hour cannot stall an attempt)."""

    base_s: float = 1.0
    cap_s: float = 60.0
    max_retry_after_s: float = 120.0

    def delay(self, retry: int, retry_after_s: float | None = None) -> float:
        if retry_after_s is not None and retry_after_s >= 0:
            return min(retry_after_s, self.max_retry_after_s)
        ceiling = min(self.cap_s, self.base_s * 2**retry)
        return float(ceiling * (0.5 + random.random() / 2))


@dataclass(frozen=True)
class Tool:
    """A function the model must call (the reply's arguments are its JSON)."""

    name: str
    description: str
    parameters: Mapping[str, Any]

    def spec(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters),
            },
        }


@dataclass(frozen=True)
class ChatReply:
    text: str
    #: the JSON arguments of the first tool call, as the model wrote them
    tool_arguments: str | None
    input_tokens: int
    output_tokens: int
    cost_usd: float
    #: wall time of the call, retries and backoff included
    latency_s: float
    tries: int


@dataclass
class Usage:
    """What an agent's calls used, counted from the replies (the fallback when untraced)."""

    calls: int = 0
    failed_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0

    def add(self, reply: ChatReply) -> None:
        self.calls += 1
        self.input_tokens += reply.input_tokens
        self.output_tokens += reply.output_tokens
        self.cost_usd += reply.cost_usd
        self.latency_s += reply.latency_s

    def metrics(self) -> dict[str, float]:
        return {
            Metric.LLM_INPUT_TOKENS: float(self.input_tokens),
            Metric.LLM_OUTPUT_TOKENS: float(self.output_tokens),
            Metric.LLM_COST_USD: self.cost_usd,
            Metric.LLM_CALLS: float(self.calls),
            Metric.LLM_FAILED_CALLS: float(self.failed_calls),
        }


class ChatClient:
    """Chat calls to one model. ``role`` names it in traces (``code``, ``feedback``);
    ``deadline`` (``time.monotonic()`` seconds) bounds every call and retry."""

    def __init__(
        self,
        model: ModelConfig,
        *,
        role: str = "code",
        usage: Usage | None = None,
        tracer: Tracer = NULL_TRACER,
        deadline: float | None = None,
        backoff: Backoff | None = None,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import openai

        self.model = model
        self.role = role
        self.usage = usage if usage is not None else Usage()
        self.tracer = tracer
        self.deadline = deadline
        self.backoff = backoff or Backoff()
        self._sleep = sleep
        self._key = api_key(model, environ)
        self._openai = openai.OpenAI(
            base_url=model.base_url,
            api_key=self._key,
            max_retries=0,
            timeout=model.request_timeout_s,
        )

    def chat(self, messages: Sequence[Message], *, tool: Tool | None = None) -> ChatReply:
        """One reply; raises :class:`LlmError` or (misconfiguration) ``AgentError``."""
        request = self._request(messages, tool)
        attributes = {"mle_track.role": self.role, "mle_track.model": self.model.name}
        with self.tracer.span(f"llm.{self.role}", "LLM", attributes) as span:
            try:
                reply = self._call(request)
            except LlmError:
                self.usage.failed_calls += 1
                raise
            span.set(
                {
                    COST_ATTRIBUTE: {
                        "input_cost": cost_usd(self.model, reply.input_tokens, 0),
                        "output_cost": cost_usd(self.model, 0, reply.output_tokens),
                        "total_cost": reply.cost_usd,
                    },
                    "mle_track.tries": reply.tries,
                }
            )
        self.usage.add(reply)
        return reply

    def _request(self, messages: Sequence[Message], tool: Tool | None) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model.model,
            "messages": prepare_messages(messages, self.model.system_as_user),
        }
        if self.model.temperature is not None:
            request["temperature"] = self.model.temperature
        if self.model.max_tokens is not None:
            request["max_tokens"] = self.model.max_tokens
        if tool is not None:
            request["tools"] = [tool.spec()]
            request["tool_choice"] = {"type": "function", "function": {"name": tool.name}}
        return request

    def _call(self, request: dict[str, Any]) -> ChatReply:
        import openai

        start = time.monotonic()
        retries = max(0, self.model.max_retries)
        last = ""
        for attempt in range(retries + 1):
            timeout = self._timeout()
            try:
                response = self._openai.chat.completions.create(**request, timeout=timeout)
            except openai.APIStatusError as exc:
                self._refuse_misconfiguration(exc)
                last = f"HTTP {exc.status_code}: {self._clean(_message(exc))}"
                if not (exc.status_code in RETRY_STATUSES or exc.status_code >= 500):
                    message = f"{self._who()} rejected the request: {last}"
                    raise LlmError(message, transient=False) from None
                wait = self.backoff.delay(attempt, _retry_after(exc.response.headers))
            except (openai.APITimeoutError, openai.APIConnectionError) as exc:
                last = f"{type(exc).__name__}: {self._clean(str(exc))}"
                wait = self.backoff.delay(attempt)
            else:
                return self._reply(response, time.monotonic() - start, attempt + 1)
            if attempt == retries:
                break
            if self.deadline is not None and time.monotonic() + wait + MIN_CALL_S > self.deadline:
                last += " (no time left to retry)"
                break
            self._sleep(wait)
        tries = attempt + 1
        raise LlmError(f"{self._who()} failed after {tries} tries: {last}", transient=True)

    def _timeout(self) -> float:
        timeout = self.model.request_timeout_s
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left < MIN_CALL_S:
                raise LlmError(f"{self._who()}: no time left for a call", transient=True)
            timeout = min(timeout, left)
        return timeout

    def _reply(self, response: Any, latency: float, tries: int) -> ChatReply:
        if not response.choices:
            raise LlmError(f"{self._who()} returned no choices", transient=True)
        message = response.choices[0].message
        calls = getattr(message, "tool_calls", None) or []
        arguments = None
        if calls and getattr(calls[0], "function", None) is not None:
            arguments = calls[0].function.arguments
        usage = response.usage
        tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
        return ChatReply(
            text=message.content or "",
            tool_arguments=arguments,
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            cost_usd=cost_usd(self.model, tokens_in, tokens_out),
            latency_s=latency,
            tries=tries,
        )

    def _refuse_misconfiguration(self, exc: Any) -> None:
        status = exc.status_code
        text = self._clean(_message(exc))
        if status in (401, 403):
            key = f"${self.model.api_key_env}" if self.model.api_key_env else "no key configured"
            raise AgentError(
                f"{self._who()} refused the credentials ({key}): HTTP {status}: {text}"
            ) from None
        if status == 404:
            raise AgentError(
                f"{self._who()}: HTTP 404 — no model {self.model.model!r} (or no chat endpoint) "
                f"at {self.model.base_url or 'the default OpenAI URL'}: {text}"
            ) from None
        if status == 429 and getattr(exc, "code", None) == "insufficient_quota":
            raise AgentError(f"{self._who()}: the account's quota is exhausted: {text}") from None

    def _clean(self, text: str) -> str:
        """Error text without the key (a server may quote it back)."""
        return text.replace(self._key, "***") if len(self._key) >= 4 else text

    def _who(self) -> str:
        return f"model {self.model.name!r} ({self.role})"


def prepare_messages(messages: Sequence[Message], system_as_user: bool) -> list[dict[str, str]]:
    """Messages as sent: with ``system_as_user`` the system prompt becomes user text (models
    without a system role), merged into the next user message so roles still alternate."""
    out: list[dict[str, str]] = []
    for message in messages:
        role, content = message["role"], message["content"]
        if system_as_user and role == "system":
            role = "user"
        if out and out[-1]["role"] == role == "user" and system_as_user:
            out[-1] = {"role": "user", "content": out[-1]["content"] + "\n\n" + content}
        else:
            out.append({"role": role, "content": content})
    return out


def _message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:500]
    return str(getattr(exc, "message", exc))[:500]


def _retry_after(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (a number; dates are ignored)."""
    for key, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(key) if headers is not None else None
        if value is None:
            continue
        try:
            return float(value) / scale
        except ValueError:
            continue
    return None

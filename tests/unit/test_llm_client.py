"""The chat client against the scripted OpenAI-compatible server (real HTTP, real ``openai``):
what it sends, what it retries, what it refuses, how it stays inside its time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from mle_track.errors import AgentError, ConfigError, UnknownNameError
from mle_track.llm.client import Backoff, ChatClient, LlmError, Tool, prepare_messages
from mle_track.llm.config import ModelConfig
from mle_track.llm.models import load_model, model_names, require_llm
from mle_track.llm.scripted import Reply, ScriptedLLM

FAST = Backoff(base_s=0.01, cap_s=0.05)
HELLO = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello"}]


@pytest.fixture
def server() -> Iterator[ScriptedLLM]:
    with ScriptedLLM() as llm:
        yield llm


def model_for(server: ScriptedLLM, **changes: object) -> ModelConfig:
    base = ModelConfig(
        name="scripted",
        provider="openai-compatible",
        model="scripted-1",
        base_url=server.url,
        api_key_env="SCRIPTED_KEY",
        temperature=0.5,
        max_tokens=256,
        request_timeout_s=5.0,
        max_retries=2,
        price_input_per_mtok=2.0,
        price_output_per_mtok=10.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def client_for(server: ScriptedLLM, **changes: object) -> ChatClient:
    return ChatClient(
        model_for(server, **changes), backoff=FAST, environ={"SCRIPTED_KEY": "sk-test-123"}
    )


def test_a_reply_with_usage_cost_and_what_was_sent(server: ScriptedLLM) -> None:
    server.push(Reply(content="hi there", prompt_tokens=1000, completion_tokens=100))
    client = client_for(server)
    reply = client.chat(HELLO)
    assert reply.text == "hi there" and reply.tries == 1
    assert (reply.input_tokens, reply.output_tokens) == (1000, 100)
    assert reply.cost_usd == pytest.approx((1000 * 2.0 + 100 * 10.0) / 1e6)
    (sent,) = server.requests
    assert sent.headers["authorization"] == "Bearer sk-test-123"
    assert sent.body["model"] == "scripted-1"
    assert sent.body["temperature"] == 0.5 and sent.body["max_tokens"] == 256
    assert [m["role"] for m in sent.body["messages"]] == ["system", "user"]
    assert client.usage.metrics()["llm_cost_usd"] == pytest.approx(reply.cost_usd)


def test_null_temperature_and_system_as_user_for_reasoning_models(server: ScriptedLLM) -> None:
    server.push(Reply(content="ok"))
    client_for(server, temperature=None, max_tokens=None, system_as_user=True).chat(HELLO)
    body = server.requests[0].body
    assert "temperature" not in body and "max_tokens" not in body
    assert body["messages"] == [{"role": "user", "content": "be brief\n\nhello"}]
    assert prepare_messages(HELLO, False) == [dict(m) for m in HELLO]


def test_function_call_is_forced_and_its_arguments_returned(server: ScriptedLLM) -> None:
    server.push(Reply(tool_args={"is_bug": False}, expect="tool"))
    tool = Tool("review", "grade it", {"type": "object", "properties": {"is_bug": {}}})
    reply = client_for(server).chat(HELLO, tool=tool)
    assert reply.tool_arguments == '{"is_bug": false}'
    body = server.requests[0].body
    assert body["tool_choice"] == {"type": "function", "function": {"name": "review"}}
    assert body["tools"][0]["function"]["name"] == "review"


def test_429_then_success_is_retried_after_the_servers_delay(server: ScriptedLLM) -> None:
    server.push(Reply(status=429, retry_after_s=0.2), Reply(content="fine"))
    start = time.monotonic()
    reply = client_for(server).chat(HELLO)
    assert reply.text == "fine" and reply.tries == 2
    assert time.monotonic() - start >= 0.2, "Retry-After was honoured"
    assert [r.status for r in server.requests] == [429, 200]


def test_500_forever_fails_after_the_retries(server: ScriptedLLM) -> None:
    server.push(*[Reply(status=503)] * 10)
    client = client_for(server)
    with pytest.raises(LlmError) as caught:
        client.chat(HELLO)
    assert caught.value.transient and "after 3 tries" in str(caught.value)
    assert len(server.requests) == 3 and client.usage.failed_calls == 1


def test_a_slow_reply_times_out_and_is_retried(server: ScriptedLLM) -> None:
    server.push(Reply(content="late", delay_s=3.0), Reply(content="quick"))
    start = time.monotonic()
    reply = client_for(server, request_timeout_s=0.5).chat(HELLO)
    assert reply.text == "quick" and reply.tries == 2
    assert time.monotonic() - start < 2.5


def test_the_deadline_bounds_calls_and_retries(server: ScriptedLLM) -> None:
    server.push(*[Reply(status=500, retry_after_s=5.0)] * 3)
    model = model_for(server, max_retries=5)
    client = ChatClient(
        model, environ={"SCRIPTED_KEY": "k"}, deadline=time.monotonic() + 3.0, backoff=FAST
    )
    start = time.monotonic()
    with pytest.raises(LlmError, match="no time left"):
        client.chat(HELLO)
    assert time.monotonic() - start < 1.0 and len(server.requests) == 1
    late = ChatClient(model, environ={"SCRIPTED_KEY": "k"}, deadline=time.monotonic() + 0.5)
    with pytest.raises(LlmError, match="no time left"):
        late.chat(HELLO)


@pytest.mark.parametrize(
    ("status", "words"),
    [(401, "$SCRIPTED_KEY"), (403, "$SCRIPTED_KEY"), (404, "no model 'scripted-1'")],
)
def test_misconfiguration_is_an_agent_error_without_retries(
    server: ScriptedLLM, status: int, words: str
) -> None:
    server.push(Reply(status=status, error="nope"))
    with pytest.raises(AgentError) as caught:
        client_for(server).chat(HELLO)
    assert words in str(caught.value) and "nope" in str(caught.value)
    assert len(server.requests) == 1


def test_error_messages_never_quote_the_key(server: ScriptedLLM) -> None:
    server.push(Reply(status=401, error="Incorrect API key provided: sk-test-123."))
    with pytest.raises(AgentError) as caught:
        client_for(server).chat(HELLO)
    assert "sk-test-123" not in str(caught.value) and "provided: ***" in str(caught.value)


def test_a_rejected_request_is_not_retried(server: ScriptedLLM) -> None:
    server.push(Reply(status=400, error="context too long"))
    with pytest.raises(LlmError) as caught:
        client_for(server).chat(HELLO)
    assert not caught.value.transient and "context too long" in str(caught.value)


def test_missing_key_and_missing_model_are_clear() -> None:
    with pytest.raises(AgentError, match="SCRIPTED_KEY"):
        ChatClient(ModelConfig(name="x", model="m", api_key_env="SCRIPTED_KEY"), environ={})
    with pytest.raises(ConfigError, match="model=NAME"):
        require_llm(ModelConfig(), "aide")
    with pytest.raises(UnknownNameError, match="gpt-4o-2024-08-06"):
        load_model("gpt-4o-2024-08-6")


def test_every_model_entry_loads() -> None:
    for name in model_names():
        model = load_model(name)
        assert model.name == name
        if name != "none":
            assert model.model and model.provider != "none", name
            assert model.price_input_per_mtok >= 0 and model.price_output_per_mtok >= 0

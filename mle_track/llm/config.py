"""The schema of a model configuration, a plain dataclass with no dependencies.

It lives here, beside the model registry (:mod:`mle_track.llm.models`), so the LLM client and the
host-side agents can name their model without importing the Hydra application; the Hydra schema
(:class:`mle_track.app.schema.RunConfig`) imports it as its ``model`` node, so a model entry means
the same thing whether Hydra composes it or :func:`mle_track.llm.models.load_model` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ModelConfig:
    """An OpenAI-compatible chat model (``none`` for agents without an LLM)."""

    name: str = "none"
    provider: str = "none"
    model: str | None = None
    base_url: str | None = None
    #: name of the environment variable that holds the API key (never the key itself)
    api_key_env: str | None = None
    #: null for reasoning models, which reject the parameter
    temperature: float | None = None
    max_tokens: int | None = None
    #: send the system prompt as a user message (models without a system role)
    system_as_user: bool = False
    request_timeout_s: float = 600.0
    max_retries: int = 5
    price_input_per_mtok: float = 0.0
    price_output_per_mtok: float = 0.0

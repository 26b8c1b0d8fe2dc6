"""Model configurations: ``conf/model/<name>.yaml`` read against the Hydra schema, and API keys.

The schema is :class:`mle_track.llm.config.ModelConfig`, the same node Hydra composes as
``cfg.model``, so a model entry means the same thing whether it arrives through ``mle-track run
model=NAME``, ``mle-track run-agent --model NAME`` or an agent's own ``feedback_model`` knob.
Keys are never in a config: ``api_key_env`` names the host variable that holds one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from mle_track import settings
from mle_track.errors import AgentError, ConfigError, UnknownNameError
from mle_track.llm.config import ModelConfig
from mle_track.registry import suggest

#: what local servers (vLLM, Ollama) accept when no key is configured; the SDK needs a value
NO_KEY = "not-needed"


def models_dir() -> Path:
    return settings.PROJECT_DIR / "conf" / "model"


def model_names() -> list[str]:
    return sorted(p.stem for p in models_dir().glob("*.yaml"))


def load_model(name: str, folder: Path | None = None) -> ModelConfig:
    """Read ``conf/model/<name>.yaml`` (or ``folder/<name>.yaml``) against the schema."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    root = folder or models_dir()
    path = root / f"{name}.yaml"
    if not path.is_file():
        names = sorted(p.stem for p in root.glob("*.yaml"))
        raise UnknownNameError("model", name, suggest(name, names), names)
    try:
        merged = OmegaConf.merge(OmegaConf.structured(ModelConfig), OmegaConf.load(path))
        config = OmegaConf.to_object(merged)
    except OmegaConfBaseException as exc:
        raise ConfigError(f"{path}: {exc}".splitlines()[0]) from None
    assert isinstance(config, ModelConfig)
    return config


def model_from_mapping(data: Mapping[str, Any]) -> ModelConfig:
    """A model config from a plain mapping (a plan's ``model`` entry); unknown keys fail."""
    known = {f.name for f in fields(ModelConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"model config: unknown key(s) {', '.join(unknown)}")
    return ModelConfig(**dict(data))


def uses_llm(model: ModelConfig) -> bool:
    return model.provider != "none" and bool(model.model)


def require_llm(model: ModelConfig, agent: str) -> ModelConfig:
    if not uses_llm(model):
        raise ConfigError(
            f"agent {agent!r} needs a language model: choose one with model=NAME "
            f"(mle-track run) or --model NAME (mle-track run-agent); "
            f"known: {', '.join(n for n in model_names() if n != 'none')}"
        )
    return model


def api_key(model: ModelConfig, environ: Mapping[str, str] | None = None) -> str:
    """The key from the variable ``api_key_env`` names; local servers need none."""
    if not model.api_key_env:
        return NO_KEY
    env = os.environ if environ is None else environ
    value = env.get(model.api_key_env, "")
    if not value:
        raise AgentError(
            f"model {model.name!r} needs an API key in the environment variable "
            f"{model.api_key_env}; export it on the host (it is never logged or passed to "
            "the sandbox)"
        )
    return value


def cost_usd(model: ModelConfig, input_tokens: int, output_tokens: int) -> float:
    """Dollars for a call at the config's prices (per million tokens)."""
    return (
        input_tokens * model.price_input_per_mtok + output_tokens * model.price_output_per_mtok
    ) / 1e6

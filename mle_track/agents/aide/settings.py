"""The AIDE agent's knobs (``kwargs`` of ``conf/agent/aide.yaml``), checked before it starts.

A misspelt knob in a sweep would otherwise be silently ignored and the sweep would measure the
defaults; so unknown keys, wrong types and out-of-range values are configuration errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from mle_track.errors import ConfigError


@dataclass(frozen=True)
class AideSettings:
    #: search steps (each: one code reply, one run, one review); the compute's step_limit caps it
    steps: int = 20
    #: independent first solutions before the search starts debugging and improving
    num_drafts: int = 5
    #: probability of debugging a buggy leaf (when one is debuggable) instead of improving
    debug_prob: float = 0.5
    #: how many debug attempts in a row a line of buggy solutions gets
    max_debug_depth: int = 3
    #: wall-clock limit of one script run (the attempt's deadline also bounds it)
    step_timeout_s: float = 3600.0
    #: show the model a preview of the data files (names, sizes, columns, first rows)
    data_preview: bool = True
    #: suggest k-fold cross-validation with this many folds (0: no suggestion)
    k_fold_hint: int = 5
    #: conf/model/<name>.yaml for the review calls; null: the code model
    feedback_model: str | None = None
    #: re-asks when a reply has no code block
    code_retries: int = 1
    #: re-asks when the review call returns unusable arguments
    feedback_retries: int = 1
    #: consecutive steps whose code call failed (after the client's retries) before giving up
    llm_failure_limit: int = 3
    #: characters of a script's output shown to the model (its tail)
    output_chars: int = 6000
    #: earlier solutions summarised in the prompt's memory
    memory_size: int = 12

    @classmethod
    def from_kwargs(cls, kwargs: Mapping[str, Any], step_limit: int | None = None) -> AideSettings:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(kwargs) - set(known))
        if unknown:
            raise ConfigError(
                f"aide: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}"
            )
        values: dict[str, Any] = {}
        for name, value in kwargs.items():
            values[name] = _coerce(name, value, cls.__dataclass_fields__[name].default)
        settings = cls(**values)
        if step_limit is not None and step_limit < settings.steps:
            settings = cls(**{**values, "steps": step_limit})
        return settings.check()

    def check(self) -> AideSettings:
        problems = []
        if self.steps < 1:
            problems.append("steps must be at least 1")
        if self.num_drafts < 1:
            problems.append("num_drafts must be at least 1")
        if not 0.0 <= self.debug_prob <= 1.0:
            problems.append("debug_prob must lie in [0, 1]")
        if self.max_debug_depth < 0:
            problems.append("max_debug_depth must be >= 0")
        if self.step_timeout_s <= 0:
            problems.append("step_timeout_s must be positive")
        if self.k_fold_hint < 0 or self.k_fold_hint == 1:
            problems.append("k_fold_hint must be 0 (none) or at least 2")
        if min(self.code_retries, self.feedback_retries) < 0 or self.llm_failure_limit < 1:
            problems.append("retries must be >= 0 and llm_failure_limit >= 1")
        if self.output_chars < 200 or self.memory_size < 0:
            problems.append("output_chars must be >= 200 and memory_size >= 0")
        if problems:
            raise ConfigError("aide: " + "; ".join(problems))
        return self


def _coerce(name: str, value: Any, default: Any) -> Any:
    """YAML and Hydra overrides give ints for floats and the odd string; accept what is meant."""
    if value is None:
        if default is None:
            return None
        raise ConfigError(f"aide: {name} cannot be null")
    try:
        if isinstance(default, bool):
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(default, int):
            if isinstance(value, bool) or float(value) != int(float(value)):
                raise TypeError
            return int(float(value))
        if isinstance(default, float):
            if isinstance(value, bool):
                raise TypeError
            return float(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"aide: {name} must be a {type(default).__name__}, not {value!r}"
        ) from None
    return str(value)

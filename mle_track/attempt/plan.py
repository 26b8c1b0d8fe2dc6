"""The plan of one attempt: a frozen description with a stable configuration hash.

An *agent configuration* is everything that decides how an agent behaves — the agent and its
kwargs, the model, the compute limits and the sandbox — and its hash identifies it across
sweeps, machines and time. An *attempt* is that configuration on one competition version with
one seed; its key is what resume matches on, so an attempt that already finished is never run
twice and one that was interrupted is run again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from mle_track.sandbox.base import Limits

HASH_LENGTH = 12


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def stable_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()[:HASH_LENGTH]


def flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested mappings as dotted keys with string values (MLflow params)."""
    out: dict[str, str] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, Mapping) and item:
            out.update(flatten(item, f"{name}."))
        elif isinstance(item, list | tuple):
            out[name] = canonical_json(list(item))
        else:
            out[name] = "null" if item is None else str(item)
    return out


@dataclass(frozen=True)
class RunSpec:
    agent: Mapping[str, Any]
    model: Mapping[str, Any]
    limits: Limits
    sandbox: str
    competition_id: str
    competition_version: int
    seed: int
    suite: str | None = None
    experiment: str = "mle-track"
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def agent_name(self) -> str:
        return str(self.agent.get("name", "?"))

    @property
    def model_name(self) -> str:
        return str(self.model.get("name", "none"))

    def configuration(self) -> dict[str, Any]:
        """What defines the agent configuration (no competition, seed or bookkeeping)."""
        return {
            "agent": dict(self.agent),
            "model": dict(self.model),
            "compute": asdict(self.limits),
            "sandbox": self.sandbox,
        }

    @property
    def config_hash(self) -> str:
        return stable_hash(self.configuration())

    @property
    def attempt_key(self) -> str:
        """Configuration × competition version × seed: what resume matches on."""
        return stable_hash(
            [self.config_hash, self.competition_id, self.competition_version, self.seed]
        )

    @property
    def compute_name(self) -> str:
        limits = self.limits
        cpus = f"{limits.cpus:g}cpu" if limits.cpus else "allcpu"
        memory = f"{limits.memory_gb:g}gb" if limits.memory_gb else "nomem"
        return f"{cpus}-{memory}-{limits.gpus}gpu-{limits.time_limit_s:g}s"

    def params(self) -> dict[str, str]:
        return flatten(
            {
                **self.configuration(),
                "competition": self.competition_id,
                "competition_version": self.competition_version,
                "seed": self.seed,
                "suite": self.suite,
            }
        )

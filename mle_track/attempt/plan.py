"""The plan of one attempt: a frozen description with a stable configuration hash.

An *agent configuration* is everything that decides how an agent behaves — the agent and its
kwargs, the model, the compute config and the sandbox config (network, keep and the isolation
the sandbox gives included) — and its hash identifies it across sweeps, machines and time.
Every field of those four configs is in the hash, whether or not it looks like it matters
today: a field that is left out is one that a later change can make matter, and then two
different configurations would share a hash and one would be skipped as the other's finished
attempt. The isolation (``none``, ``namespaces``, ``docker``) is resolved when the plan is made,
so the same agent run isolated and unisolated are two configurations: never one hash, one
report row or one attempt key.

An *attempt* is that configuration on one competition version and data root with one seed; its
key is what resume and claims match on, so an attempt that already finished is never run twice
and one that was interrupted is run again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from mle_track.names import (
    DEFAULT_EXPERIMENT,
    PARAM_COMPETITION,
    PARAM_COMPETITION_VERSION,
    PARAM_DATA_ROOT,
    PARAM_SEED,
    PARAM_SUITE,
)
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


def compute_mapping(limits: Limits, name: str) -> dict[str, Any]:
    """A compute config as the plan holds it: the preset's name and every limit."""
    return {"name": name, **asdict(limits)}


def sandbox_mapping(
    name: str, *, network: bool = False, keep: bool = False, isolation: str | None = None
) -> dict[str, Any]:
    """A sandbox config as the plan holds it; ``isolation`` is what the sandbox will give."""
    out: dict[str, Any] = {"name": name, "network": network, "keep": keep}
    if isolation is not None:
        out["isolation"] = isolation
    return out


@dataclass(frozen=True)
class RunSpec:
    """One planned attempt. ``compute`` and ``sandbox`` are the whole configs, as composed."""

    agent: Mapping[str, Any]
    model: Mapping[str, Any]
    compute: Mapping[str, Any]
    sandbox: Mapping[str, Any]
    competition_id: str
    competition_version: int
    seed: int
    #: the data root the competition is prepared in (another root may hold other data)
    data_root: str
    suite: str | None = None
    experiment: str = DEFAULT_EXPERIMENT

    @property
    def agent_name(self) -> str:
        return str(self.agent.get("name", "?"))

    @property
    def model_name(self) -> str:
        return str(self.model.get("name", "none"))

    @property
    def sandbox_name(self) -> str:
        return str(self.sandbox.get("name", "local"))

    @property
    def network(self) -> bool:
        return bool(self.sandbox.get("network", False))

    @property
    def keep(self) -> bool:
        return bool(self.sandbox.get("keep", False))

    @property
    def isolation(self) -> str | None:
        """The isolation the plan was made for (``None``: a plan that does not say)."""
        value = self.sandbox.get("isolation")
        return None if value is None else str(value)

    @property
    def compute_preset(self) -> str:
        return str(self.compute.get("name", ""))

    @property
    def limits(self) -> Limits:
        return Limits(
            **{f.name: self.compute[f.name] for f in fields(Limits) if f.name in self.compute}
        )

    def configuration(self) -> dict[str, Any]:
        """What defines the agent configuration (no competition, seed or bookkeeping)."""
        return {
            "agent": dict(self.agent),
            "model": dict(self.model),
            "compute": dict(self.compute),
            "sandbox": dict(self.sandbox),
        }

    @property
    def config_hash(self) -> str:
        return stable_hash(self.configuration())

    @property
    def attempt_key(self) -> str:
        """Configuration × competition version × data root × seed: what resume matches on."""
        return stable_hash(
            [
                self.config_hash,
                self.competition_id,
                self.competition_version,
                self.data_root,
                self.seed,
            ]
        )

    @property
    def compute_name(self) -> str:
        """A label of the limits (the preset's name is a separate tag)."""
        limits = self.limits
        cpus = f"{limits.cpus:g}cpu" if limits.cpus else "allcpu"
        memory = f"{limits.memory_gb:g}gb" if limits.memory_gb else "nomem"
        return f"{cpus}-{memory}-{limits.gpus}gpu-{limits.time_limit_s:g}s"

    @property
    def run_name(self) -> str:
        return f"{self.agent_name}-{self.competition_id}-s{self.seed}"

    def params(self) -> dict[str, str]:
        return flatten(
            {
                **self.configuration(),
                PARAM_COMPETITION: self.competition_id,
                PARAM_COMPETITION_VERSION: self.competition_version,
                PARAM_SEED: self.seed,
                PARAM_SUITE: self.suite,
                PARAM_DATA_ROOT: self.data_root,
            }
        )

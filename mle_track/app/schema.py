"""Typed schemas for the Hydra configuration, registered in the ConfigStore.

``conf/config.yaml`` starts from ``run_schema``, so every group file is merged into a typed node:
a misspelt key or a wrong type fails at composition with Hydra's message naming the key, before
any attempt starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hydra.core.config_store import ConfigStore

from mle_track.agents.config import AgentConfig
from mle_track.llm.config import ModelConfig


@dataclass
class ComputeConfig:
    """Compute limits of one attempt (see :class:`mle_track.sandbox.base.Limits`)."""

    name: str = "local-small"
    time_limit_s: float = 600.0
    cpus: float | None = None
    memory_gb: float | None = None
    gpus: int = 0
    step_limit: int | None = None
    shm_size_gb: float | None = None
    pids_limit: int | None = 4096
    max_file_mb: float | None = None
    #: the disk the agent's writable folders may take, in GB (its outputs, ``/home/agent``, its
    #: ``/tmp``; not the read-only data); past it the attempt is killed and fails. Local
    #: sandboxes enforce it; null: unlimited (a hostile agent can then fill the host's disk)
    disk_gb: float | None = 20.0


@dataclass
class SandboxConfig:
    name: str = "local"
    #: allow network access (docker: a bridge; local: the host's network instead of loopback
    #: only; local-unisolated always has the host's)
    network: bool = False
    #: keep the container after the attempt, for debugging
    keep: bool = False
    #: docker only: the container runtime, e.g. ``runsc`` (gVisor, a user-space kernel between
    #: the agent and the host's); null: the daemon's default. Refused if the daemon lacks it
    runtime: str | None = None


@dataclass
class TrackingConfig:
    name: str = "local"
    #: null: ``sqlite:///<cwd>/mlruns/mlflow.db`` (or $MLFLOW_TRACKING_URI)
    uri: str | None = None
    #: the experiment; null: the suite's name, else "mle-track"
    experiment: str | None = None
    #: register the best configuration as the ``champion`` after a sweep
    register: bool = False
    registered_model: str = "mle-track-agent"


@dataclass
class RunConfig:
    agent: AgentConfig = field(default_factory=AgentConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    compute: ComputeConfig = field(default_factory=ComputeConfig)
    sandbox: SandboxConfig = field(default_factory=SandboxConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)
    #: one competition id; a suite is expanded into competitions by ``mle-track run``
    competition: str | None = None
    suite: str | None = None
    seed: int = 0
    data_dir: str | None = None
    #: where attempts' run directories go; null: ``<cwd>/runs``
    runs_dir: str | None = None
    #: prepare the competition first when it is not prepared yet
    prepare: bool = True


def suite_competitions(name: str) -> str:
    """``${mle_suite:NAME}``: a suite's competitions as a sweep value (``a,b,c``)."""
    from mle_track.competitions import Catalog

    catalog = Catalog()
    return ",".join(catalog.suite(name).available(catalog))


def register_schemas() -> None:
    from omegaconf import OmegaConf

    store = ConfigStore.instance()
    store.store(name="run_schema", node=RunConfig)
    if not OmegaConf.has_resolver("mle_suite"):
        OmegaConf.register_new_resolver("mle_suite", suite_competitions)

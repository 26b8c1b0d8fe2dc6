"""From a composed Hydra configuration to a typed run configuration and an attempt plan."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from mle_track import settings
from mle_track.app.schema import RunConfig
from mle_track.attempt.plan import RunSpec
from mle_track.competitions import CompetitionSpec
from mle_track.errors import ConfigError
from mle_track.names import DEFAULT_EXPERIMENT
from mle_track.sandbox.base import Limits
from mle_track.sandbox.registry import isolation_of


def typed(cfg: DictConfig) -> RunConfig:
    run = OmegaConf.to_object(cfg)
    assert isinstance(run, RunConfig)
    run.agent.validate()
    if not run.competition:
        raise ConfigError("no competition chosen: add competition=ID or suite=NAME")
    return run


def limits_of(run: RunConfig) -> Limits:
    """The compute config's limits (the schema mirrors :class:`Limits`, plus a preset name)."""
    return Limits(**{f.name: getattr(run.compute, f.name) for f in fields(Limits)})


def experiment_name(run: RunConfig) -> str:
    return run.tracking.experiment or run.suite or DEFAULT_EXPERIMENT


def plan_of(run: RunConfig, spec: CompetitionSpec) -> RunSpec:
    """The attempt's plan: the four agent-configuration groups whole, as composed, and the
    isolation the sandbox will give this agent here, so that it is part of the configuration
    hash. Raises SandboxError (one line) when the sandbox would refuse the agent."""
    sandbox = asdict(run.sandbox)
    sandbox["isolation"] = isolation_of(run.sandbox.name, trusted=run.agent.runs_trusted)
    return RunSpec(
        agent=asdict(run.agent),
        model=asdict(run.model),
        compute=asdict(run.compute),
        sandbox=sandbox,
        competition_id=spec.id,
        competition_version=spec.version,
        seed=run.seed,
        data_root=str(settings.data_dir(run.data_dir)),
        suite=run.suite,
        experiment=experiment_name(run),
    )


def runs_dir_of(run: RunConfig) -> Path:
    return Path(run.runs_dir).resolve() if run.runs_dir else Path.cwd() / "runs"

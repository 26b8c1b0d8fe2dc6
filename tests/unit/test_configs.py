"""Every configuration composes against the typed schema, and mistakes fail at composition."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import ConfigCompositionException
from hydra.utils import get_class
from omegaconf import OmegaConf

from mle_track import settings
from mle_track.app.plans import limits_of, plan_of, typed
from mle_track.app.schema import RunConfig, register_schemas
from mle_track.competitions import Catalog

CONF = settings.conf_dir()
GROUPS = ("agent", "model", "compute", "sandbox", "tracking", "experiment")


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF / group).glob("*.yaml"))


@pytest.fixture(autouse=True)
def hydra_context() -> Iterator[None]:
    register_schemas()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        yield
    GlobalHydra.instance().clear()


CASES = [(g, o) for g in GROUPS for o in options(g)]


@pytest.mark.parametrize(("group", "option"), CASES, ids=[f"{g}={o}" for g, o in CASES])
def test_every_group_option_composes_into_the_schema(group: str, option: str) -> None:
    overrides = [f"{group}={option}", "competition=practice-mnist-digits"]
    if group == "experiment":
        cfg = compose("config", overrides=overrides, return_hydra_config=True)
        assert cfg.hydra.sweeper.params.competition  # the suite expands into competitions
        return
    cfg = compose("config", overrides=overrides)
    run = OmegaConf.to_object(cfg)
    assert isinstance(run, RunConfig)
    typed(cfg)
    spec = Catalog().get("practice-mnist-digits")
    plan = plan_of(run, spec)
    assert plan.config_hash and plan.limits == limits_of(run)


def test_mlebench_paper_compute_matches_the_paper() -> None:
    run = OmegaConf.to_object(compose("config", overrides=["compute=mlebench-paper"]))
    assert isinstance(run, RunConfig)
    c = run.compute
    assert (c.time_limit_s, c.cpus, c.memory_gb, c.gpus) == (86400, 36, 440, 1)


def test_experiment_presets_expand_suites() -> None:
    cfg = compose("config", overrides=["experiment=lite"], return_hydra_config=True)
    competitions = str(cfg.hydra.sweeper.params.competition).split(",")
    assert len(competitions) == 22 and "spooky-author-identification" in competitions


@pytest.mark.parametrize(
    "override", ["compute.cpu=3", "agent.kwarg={}", "compute.time_limit_s=soon", "sandbox=dokker"]
)
def test_mistakes_fail_at_composition(override: str) -> None:
    with pytest.raises(ConfigCompositionException):
        compose("config", overrides=[override])


def test_typed_config_requires_a_competition() -> None:
    from mle_track.errors import ConfigError

    with pytest.raises(ConfigError, match="competition=ID or suite=NAME"):
        typed(compose("config"))
    assert Path(CONF / "config.yaml").is_file()


LAUNCHERS = sorted(p.stem for p in (CONF / "hydra" / "launcher").glob("*.yaml"))
JOBLIB = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
SLURM = "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"
#: what each preset in conf/hydra/launcher promises: its launcher and the settings it picks
LAUNCHER_PROMISES: dict[str, tuple[str, dict[str, object]]] = {
    "local-parallel": (JOBLIB, {"n_jobs": 2, "prefer": "processes"}),
    "slurm": (
        SLURM,
        {
            "timeout_min": 1500,
            "cpus_per_task": 36,
            "mem_gb": 440,
            "gpus_per_node": 1,
            "tasks_per_node": 1,
            "nodes": 1,
        },
    ),
}


def test_every_launcher_preset_is_checked() -> None:
    assert LAUNCHERS and sorted(LAUNCHER_PROMISES) == LAUNCHERS


@pytest.mark.parametrize("preset", LAUNCHERS)
def test_launcher_presets_compose_with_their_settings(preset: str) -> None:
    overrides = [f"hydra/launcher={preset}", "competition=practice-mnist-digits"]
    cfg = compose("config", overrides=overrides, return_hydra_config=True)
    target, promised = LAUNCHER_PROMISES[preset]
    launcher = cfg.hydra.launcher
    assert launcher._target_ == target
    assert get_class(target).__name__ == target.rsplit(".", 1)[1]  # the plugin is installed
    assert {key: launcher[key] for key in promised} == promised
    assert cfg.hydra.callbacks.sweep_tracking._target_ == "mle_track.app.callbacks.SweepTracking"


def test_slurm_preset_fits_an_mlebench_paper_attempt() -> None:
    overrides = ["hydra/launcher=slurm", "compute=mlebench-paper"]
    cfg = compose("config", overrides=overrides, return_hydra_config=True)
    launcher, compute = cfg.hydra.launcher, cfg.compute
    assert launcher.timeout_min * 60 > compute.time_limit_s  # SLURM never kills before our clock
    assert (launcher.cpus_per_task, launcher.mem_gb, launcher.gpus_per_node) == (
        compute.cpus,
        compute.memory_gb,
        compute.gpus,
    )


def test_launcher_presets_can_be_overridden() -> None:
    overrides = ["hydra/launcher=local-parallel", "hydra.launcher.n_jobs=4"]
    cfg = compose("config", overrides=overrides, return_hydra_config=True)
    assert cfg.hydra.launcher.n_jobs == 4 and cfg.hydra.launcher._target_ == JOBLIB


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["hydra/launcher=local-paralel"], "local-parallel"),  # the error lists the options
        (["hydra/launcher=slrum"], "slurm"),
        (["hydra/launcher=local-parallel", "hydra.launcher.n_job=4"], "n_job"),
        (["hydra/launcher=slurm", "hydra.launcher.mem_gb=lots"], "mem_gb"),
    ],
)
def test_launcher_mistakes_fail_at_composition(overrides: list[str], message: str) -> None:
    with pytest.raises(ConfigCompositionException, match=message):
        compose("config", overrides=overrides, return_hydra_config=True)

"""Every configuration composes against the typed schema, and mistakes fail at composition."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

from mle_track import settings
from mle_track.app.plans import limits_of, plan_of, typed
from mle_track.app.schema import RunConfig, register_schemas
from mle_track.competitions import Catalog

CONF = settings.PROJECT_DIR / "conf"
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

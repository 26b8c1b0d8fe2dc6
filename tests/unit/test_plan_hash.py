"""Everything that can change a result is in the configuration hash or the attempt key.

A field left out of the hash makes two different configurations one: the second is skipped as
the first's finished attempt. So every field of the agent, model, compute and sandbox configs
is changed here, one at a time, and each change must change the hash; the competition version,
the data root and the seed change the attempt key but not the configuration. The isolation the
sandbox gives is resolved into the plan: the same agent isolated and unisolated are two
configurations.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from mle_track.app import plans
from mle_track.app.plans import plan_of
from mle_track.app.schema import RunConfig
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.errors import SandboxError

GROUPS = ("agent", "model", "compute", "sandbox")


def fake_isolation(name: str, *, trusted: bool) -> str:
    """What a sandbox gives, without probing this machine's bubblewrap (these tests are about
    the hash, and must not depend on whether the machine can isolate)."""
    if name.startswith("docker"):
        return "docker"
    return "none" if name.endswith("unisolated") else "namespaces"


@pytest.fixture(autouse=True)
def _isolation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plans, "isolation_of", fake_isolation)


def changed(value: Any, name: str) -> Any:
    """A different value of the same kind (``None`` becomes a plausible value)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.5
    if isinstance(value, str):
        return value + "-changed"
    if isinstance(value, dict):
        return {**value, "extra": 1}
    if isinstance(value, list):
        return [*value, "EXTRA"]
    if value is None:
        return 2.5 if name.endswith(("_gb", "_mb", "cpus", "temperature")) else 7
    raise AssertionError(f"no change rule for {name}={value!r}")


def base_run() -> RunConfig:
    run = RunConfig(competition="practice-mnist-digits")
    run.agent.name, run.agent.module = "dummy", "mle_track.agents.dummy"
    return run


@pytest.fixture(scope="module")
def spec() -> CompetitionSpec:
    return Catalog().get("practice-mnist-digits")


FIELDS = [
    (group, f.name) for group in GROUPS for f in dataclasses.fields(getattr(RunConfig(), group))
]


@pytest.mark.parametrize(("group", "name"), FIELDS, ids=[f"{g}.{n}" for g, n in FIELDS])
def test_every_config_field_changes_the_configuration_hash(
    spec: CompetitionSpec, group: str, name: str
) -> None:
    base = plan_of(base_run(), spec)
    run = copy.deepcopy(base_run())
    node = getattr(run, group)
    setattr(node, name, changed(getattr(node, name), name))
    other = plan_of(run, spec)
    assert other.config_hash != base.config_hash, f"{group}.{name} is not in the hash"
    assert other.attempt_key != base.attempt_key


def test_network_and_keep_are_separate_configurations(spec: CompetitionSpec) -> None:
    closed, opened = base_run(), base_run()
    opened.sandbox.network = True
    assert plan_of(closed, spec).config_hash != plan_of(opened, spec).config_hash


def test_the_isolation_is_in_the_hash_the_params_and_the_tags(
    spec: CompetitionSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same agent and sandbox config on a machine where bubblewrap works and on one where
    it does not (a trusted agent then runs unisolated): two configurations, two attempts."""
    from mle_track.attempt.pipeline import attempt_tags

    isolated = plan_of(base_run(), spec)
    monkeypatch.setattr(plans, "isolation_of", lambda name, *, trusted: "none")
    unisolated = plan_of(base_run(), spec)
    assert isolated.isolation == "namespaces" and unisolated.isolation == "none"
    assert isolated.config_hash != unisolated.config_hash
    assert isolated.attempt_key != unisolated.attempt_key
    assert unisolated.params()["sandbox.isolation"] == "none"
    assert attempt_tags(unisolated, spec)["sandbox.isolation"] == "none"


def test_the_isolation_is_resolved_for_this_agent_and_sandbox(
    spec: CompetitionSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []

    def resolve(name: str, *, trusted: bool) -> str:
        asked.append((name, trusted))
        if not trusted:
            raise SandboxError("sandbox=local cannot isolate this agent")
        return "none"

    monkeypatch.setattr(plans, "isolation_of", resolve)
    run = base_run()
    with pytest.raises(SandboxError, match="cannot isolate"):
        plan_of(run, spec)
    run.agent.trusted = True
    assert plan_of(run, spec).isolation == "none"
    assert asked == [("local", False), ("local", True)]


def test_the_real_resolver_names_the_isolation_of_each_sandbox() -> None:
    from mle_track.errors import UnknownNameError
    from mle_track.sandbox.registry import isolation_of

    assert isolation_of("docker", trusted=False) == "docker"
    assert isolation_of("local-unisolated", trusted=False) == "none"
    with pytest.raises(UnknownNameError):
        isolation_of("dokker", trusted=True)


@pytest.mark.parametrize("what", ["seed", "data_dir"])
def test_seed_and_data_root_change_the_attempt_not_the_configuration(
    spec: CompetitionSpec, what: str, tmp_path: Any
) -> None:
    base = base_run()
    base.data_dir = str(tmp_path / "a")
    other = copy.deepcopy(base)
    if what == "seed":
        other.seed = 1
    else:
        other.data_dir = str(tmp_path / "b")
    first, second = plan_of(base, spec), plan_of(other, spec)
    assert first.config_hash == second.config_hash
    assert first.attempt_key != second.attempt_key


def test_the_competition_version_changes_the_attempt(spec: CompetitionSpec) -> None:
    newer = spec.model_copy(update={"version": spec.version + 1})
    first, second = plan_of(base_run(), spec), plan_of(base_run(), newer)
    assert first.config_hash == second.config_hash
    assert first.attempt_key != second.attempt_key


def test_the_hash_is_stable_across_processes(spec: CompetitionSpec) -> None:
    import subprocess
    import sys

    code = (
        "from tests.unit.test_plan_hash import base_run, fake_isolation\n"
        "from mle_track.app import plans\n"
        "plans.isolation_of = fake_isolation\n"
        "from mle_track.app.plans import plan_of\n"
        "from mle_track.competitions import Catalog\n"
        "print(plan_of(base_run(), Catalog().get('practice-mnist-digits')).config_hash)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == plan_of(base_run(), spec).config_hash

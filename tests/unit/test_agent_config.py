"""Agent configs: every shipped config loads, mistakes are named, kwargs and secrets are right."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mle_track import settings
from mle_track.agents.config import (
    AgentConfig,
    agent_names,
    command_for,
    format_kwargs,
    load_agent,
    resolve_secrets,
)
from mle_track.errors import AgentError, ConfigError, UnknownNameError


@pytest.mark.parametrize("name", agent_names())
def test_every_shipped_agent_config_loads(name: str) -> None:
    config = load_agent(name)
    assert config.name == name
    # host agents run no command: their loop runs in the harness, their code in a session
    assert command_for(config, "docker") or config.kind == "host"


def test_unknown_agent_suggests_and_typos_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'dummy'"):
        load_agent("dumy")
    monkeypatch.setenv(settings.ENV_AGENTS_DIR, str(tmp_path))
    (tmp_path / "typo.yaml").write_text("name: typo\nkind: builtin\nmodul: x\n")
    with pytest.raises(ConfigError, match="modul"):
        load_agent("typo")
    (tmp_path / "nomodule.yaml").write_text("name: nomodule\nkind: builtin\n")
    with pytest.raises(ConfigError, match="needs a module"):
        load_agent("nomodule")


def test_kwargs_styles_follow_the_mle_bench_contract() -> None:
    kwargs = {"agent.steps": 8, "copy_data": False, "model": "gpt-4o"}
    assert format_kwargs(kwargs, "omegaconf") == [
        "agent.steps=8",
        "copy_data=false",
        "model=gpt-4o",
    ]
    assert format_kwargs({"max-steps": 5}, "argparse") == ["--max-steps", "5"]


def test_commands_per_sandbox() -> None:
    builtin = AgentConfig(name="b", kind="builtin", module="mle_track.agents.dummy")
    assert command_for(builtin, "local") == (sys.executable, "-m", "mle_track.agents.dummy")
    assert command_for(builtin, "docker")[0] == "python"
    external = AgentConfig(name="e", kind="external", kwargs={"steps": 3}, kwargs_style="argparse")
    assert command_for(external, "docker") == ("bash", "/home/agent/start.sh", "--steps", "3")
    quoted = AgentConfig(name="q", kind="external", start="python3 -c \"import os; print('a b')\"")
    assert command_for(quoted, "local") == ("python3", "-c", "import os; print('a b')")


def test_secrets_come_from_the_host_by_name() -> None:
    config = AgentConfig(name="llm", kind="external", secrets=["OPENAI_API_KEY"])
    with pytest.raises(AgentError, match="OPENAI_API_KEY"):
        resolve_secrets(config, environ={})
    assert resolve_secrets(config, environ={"OPENAI_API_KEY": "k"}) == {"OPENAI_API_KEY": "k"}


def test_trust_holds_only_for_our_own_built_in_code() -> None:
    """``trusted: true`` vouches for dummy and baseline as we ship them, not for an override."""
    from mle_track.agents.config import load_agent

    assert load_agent("dummy").runs_trusted and load_agent("baseline").runs_trusted
    swapped = load_agent("dummy")
    swapped.module = "someone_elses_agent"
    assert not swapped.runs_trusted
    shadowed = load_agent("baseline")
    shadowed.env = {"PYTHONPATH": "/tmp/shadow"}
    assert not shadowed.runs_trusted
    assert not load_agent("aide").runs_trusted

"""Agent configurations: what to run, where, with which arguments and secrets.

One schema serves built-in agents (a Python module of this package, run with ``python -m``
inside the sandbox), host-side agents (a module whose loop runs in the harness process and runs
its code through a sandbox session; ``kwargs`` are its knobs) and external images that follow
MLE-bench's agent contract (``start.sh`` in the image, kwargs passed as ``--key value`` for
argparse or ``key=value`` for OmegaConf, env vars). Configs live in ``conf/agent/<name>.yaml``,
the same files Hydra composes. Secrets are named, never written: their values come from the host
environment when an attempt starts and are marked so that no log or report prints them.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mle_track import settings
from mle_track.errors import AgentError, ConfigError
from mle_track.registry import suggest

KwargsStyle = Literal["argparse", "omegaconf"]
#: the code that ``trusted: true`` may vouch for: mle-track's own built-in agents
TRUSTED_MODULES = frozenset({"mle_track.agents.dummy", "mle_track.agents.baseline"})


@dataclass
class AgentConfig:
    """The schema of ``conf/agent/*.yaml`` (also registered with Hydra's ConfigStore)."""

    name: str = "???"
    #: ``builtin``: ``python -m <module>``; ``host``: ``<module>.run_host`` in the harness, its
    #: code in a sandbox session; ``external``: an image following MLE-bench's contract
    kind: str = "builtin"
    module: str | None = None
    #: Docker image (built-in agents run in the env image)
    image: str = "mle-track-env:latest"
    #: start command inside the image for external agents
    start: str = "bash /home/agent/start.sh"
    kwargs: dict[str, Any] = field(default_factory=dict)
    kwargs_style: str = "argparse"
    env: dict[str, str] = field(default_factory=dict)
    #: names of host environment variables passed through as secrets
    secrets: list[str] = field(default_factory=list)
    #: MLE-bench's privileged agents (docker-in-docker); refused unless explicitly accepted
    privileged: bool = False
    #: our own built-in agents only (``dummy``, ``baseline``): code we wrote and read, which
    #: ``sandbox=local`` may run unisolated where bubblewrap cannot isolate (so that ``make
    #: demo`` works on any machine); every other agent is refused there
    trusted: bool = False
    description: str = ""

    @property
    def runs_trusted(self) -> bool:
        """Whether this config runs only code we wrote: ``trusted`` is not enough on its own,
        since an override (``agent=dummy agent.module=mine``, or a PYTHONPATH in ``env`` that
        shadows our package) would carry the flag over to someone else's code."""
        return (
            self.trusted
            and self.kind == "builtin"
            and self.module in TRUSTED_MODULES
            and not any(name.upper().startswith("PYTHON") for name in self.env)
        )

    def validate(self) -> AgentConfig:
        if self.kind not in ("builtin", "host", "external"):
            raise ConfigError(f"agent {self.name!r}: kind must be builtin, host or external")
        if self.kind in ("builtin", "host") and not self.module:
            raise ConfigError(f"agent {self.name!r}: a {self.kind} agent needs a module")
        if self.kwargs_style not in ("argparse", "omegaconf"):
            raise ConfigError(f"agent {self.name!r}: kwargs_style must be argparse or omegaconf")
        return self


def agent_names() -> list[str]:
    return sorted(p.stem for p in settings.agents_dir().glob("*.yaml"))


def load_agent(name: str) -> AgentConfig:
    """Read ``conf/agent/<name>.yaml`` against the schema: unknown keys and wrong types fail."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    path = settings.agents_dir() / f"{name}.yaml"
    if not path.is_file():
        from mle_track.errors import UnknownNameError

        names = agent_names()
        raise UnknownNameError("agent", name, suggest(name, names), names)
    try:
        merged = OmegaConf.merge(OmegaConf.structured(AgentConfig), OmegaConf.load(path))
        config = OmegaConf.to_object(merged)
    except OmegaConfBaseException as exc:
        raise ConfigError(f"{path}: {exc}".splitlines()[0]) from None
    assert isinstance(config, AgentConfig)
    return config.validate()


def format_kwargs(kwargs: Mapping[str, Any], style: str) -> list[str]:
    """kwargs as command-line words: ``--key value`` (argparse) or ``key=value`` (OmegaConf)."""
    words: list[str] = []
    for key, value in kwargs.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        words += [f"--{key}", text] if style == "argparse" else [f"{key}={text}"]
    return words


def resolve_secrets(
    config: AgentConfig, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The secrets' values from the host environment; a missing one is an AgentError by name."""
    env = os.environ if environ is None else environ
    missing = [name for name in config.secrets if not env.get(name)]
    if missing:
        raise AgentError(
            f"agent {config.name!r} needs the environment variable(s) {', '.join(missing)}; "
            "export them on the host (their values are passed to the agent and never logged)"
        )
    return {name: env[name] for name in config.secrets}


#: MLE-bench's switch for agents that need a privileged container, honoured as it is there
ACCEPT_PRIVILEGED_ENV = "I_ACCEPT_RUNNING_PRIVILEGED_CONTAINERS"


def check_privileged(config: AgentConfig, environ: Mapping[str, str] | None = None) -> None:
    """A privileged agent runs only when the user said so: such a container can take over the
    Docker host, which is why MLE-bench asks for the same explicit consent."""
    env = os.environ if environ is None else environ
    if config.privileged and env.get(ACCEPT_PRIVILEGED_ENV, "").lower() not in ("true", "1", "t"):
        raise AgentError(
            f"agent {config.name!r} needs a privileged container (docker-in-docker), which can "
            f"control the Docker host; set {ACCEPT_PRIVILEGED_ENV}=true to accept that"
        )


#: sandboxes that run built-in agents with the harness's own interpreter
LOCAL_SANDBOXES = ("local", "local-unisolated")


def command_for(config: AgentConfig, sandbox: str) -> tuple[str, ...]:
    """The agent's start command in a given sandbox kind (none for host agents)."""
    if config.kind == "host":
        return ()
    extra = format_kwargs(config.kwargs, config.kwargs_style)
    if config.kind == "builtin":
        # the local sandboxes run this interpreter (isolated: the world's copy of it)
        python = sys.executable if sandbox in LOCAL_SANDBOXES else "python"
        return (python, "-m", str(config.module), *extra)
    return (*shlex.split(config.start), *extra)  # quoted as a shell would: "python3 -c '…'"

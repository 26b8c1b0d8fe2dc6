"""Sandboxes by name, and the clean-up a later harness owes an attempt whose harness died.

``make_sandbox("docker")`` imports the docker sandbox (and docker-py) only then: the entries are
lazy ``"module:Class"`` strings, so listing sandboxes or checking a config imports none of them.
An unknown name is answered with "did you mean".

:func:`isolation_of` says what a sandbox will give an agent *before* the attempt (so it can be in
the configuration hash and the ``sandbox.isolation`` tag), and refuses, as the sandbox would, an
untrusted agent that ``local`` cannot isolate here.

A harness that resumes a sweep and finds an attempt whose owner is provably gone calls
:func:`end_orphans` with the attempt's sandbox and key (whatever the dead harness's watchdog did
not get to), then :func:`remove_world` on the attempt's run folder.
"""

from __future__ import annotations

from pathlib import Path

from mle_track.errors import SandboxError
from mle_track.registry import Registry
from mle_track.sandbox.base import Isolation, Sandbox

__all__ = [
    "SANDBOXES",
    "describe_isolation",
    "end_orphans",
    "isolation_of",
    "make_sandbox",
    "remove_world",
]

SANDBOXES: Registry[type[Sandbox]] = Registry("sandbox")
SANDBOXES.add_lazy("local", "mle_track.sandbox.local:LocalSandbox")
SANDBOXES.add_lazy("local-unisolated", "mle_track.sandbox.local:UnisolatedLocalSandbox")
SANDBOXES.add_lazy("docker", "mle_track.sandbox.docker:DockerSandbox")


def make_sandbox(name: str) -> Sandbox:
    """A sandbox with its default settings (docker: a client from the environment)."""
    return SANDBOXES.get(name)()


def isolation_of(name: str, *, trusted: bool) -> Isolation:
    """What sandbox ``name`` gives an agent here: ``docker`` for docker, ``none`` for
    ``local-unisolated``, and for ``local`` ``namespaces`` where bubblewrap works (probed once
    per process), else ``none`` for a trusted agent. Raises SandboxError (one line: what to
    install or which sandbox to choose) for an untrusted agent that ``local`` cannot isolate,
    and UnknownNameError (did you mean) for an unknown sandbox. Imports no sandbox."""
    if name not in SANDBOXES:
        SANDBOXES.get(name)  # raises, with close matches
    if name == "docker":
        return "docker"
    if name == "local":
        from mle_track.sandbox.bwrap import local_isolation

        return local_isolation(trusted=trusted)
    return "none"


def describe_isolation(name: str, *, trusted: bool) -> str:
    """One line for people: the sandbox and the isolation it gives (``make demo`` prints it)."""
    try:
        isolation = isolation_of(name, trusted=trusted)
    except SandboxError as exc:
        return f"Sandbox: {name}, refused: {exc}"
    how = {"namespaces": "bubblewrap namespaces", "docker": "a container"}.get(isolation, "")
    if isolation == "none" and name == "local":
        from mle_track.sandbox.bwrap import support

        how = f"unisolated: {support().reason}; only trusted built-in agents run so"
    elif isolation == "none":
        how = "unisolated, as chosen"
    return f"Sandbox: {name}, isolation: {isolation} ({how})"


def end_orphans(sandbox: str, attempt_key: str) -> int:
    """End what a dead harness left of an attempt it ran in ``sandbox``: processes (local) or
    containers (docker); returns how many were ended. Only for attempts whose owner is provably
    gone; raises SandboxError when the docker daemon cannot be reached."""
    return make_sandbox(sandbox).end_orphans(attempt_key)


def remove_world(run_dir: Path) -> bool:
    """Remove ``<run_dir>/home``, the world folder a killed local attempt leaves behind (with
    read-only folders in it); True if there was one. End the attempt's orphans first."""
    from mle_track.sandbox import layout

    return layout.remove_world(run_dir)

"""Sandboxes by name, and the clean-up a later harness owes an attempt whose harness died.

``make_sandbox("docker")`` imports the docker sandbox (and docker-py) only then: the entries are
lazy ``"module:Class"`` strings, so listing sandboxes or checking a config imports none of them.
An unknown name is answered with "did you mean".

A harness that resumes a sweep and finds an attempt whose owner is provably gone calls
:func:`end_orphans` with the attempt's sandbox and key (whatever the dead harness's watchdog did
not get to), then :func:`remove_world` on the attempt's run folder.
"""

from __future__ import annotations

from pathlib import Path

from mle_track.registry import Registry
from mle_track.sandbox.base import Sandbox

__all__ = ["SANDBOXES", "end_orphans", "make_sandbox", "remove_world"]

SANDBOXES: Registry[type[Sandbox]] = Registry("sandbox")
SANDBOXES.add_lazy("local", "mle_track.sandbox.local:LocalSandbox")
SANDBOXES.add_lazy("docker", "mle_track.sandbox.docker:DockerSandbox")


def make_sandbox(name: str) -> Sandbox:
    """A sandbox with its default settings (docker: a client from the environment)."""
    return SANDBOXES.get(name)()


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

"""Sandboxes that run agents under compute limits without exposing private answers.

``LocalSandbox`` runs the agent as a subprocess under limits (rlimits, affinity, a pids cgroup),
isolated with bubblewrap namespaces (``local-unisolated``: not at all, by explicit choice);
``DockerSandbox`` runs it in a container following MLE-bench's contract. Both are imported on
first use (so is docker-py), which keeps this package cheap to import: the watchdog process
imports parts of it at start-up. Pick one by name with
:func:`mle_track.sandbox.registry.make_sandbox`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mle_track.sandbox.base import AgentTask, AttemptResult, Limits, Sandbox

if TYPE_CHECKING:
    from mle_track.sandbox.docker import DockerSandbox
    from mle_track.sandbox.local import LocalSandbox

__all__ = ["AgentTask", "AttemptResult", "DockerSandbox", "Limits", "LocalSandbox", "Sandbox"]


def __getattr__(name: str) -> Any:
    if name == "LocalSandbox":
        from mle_track.sandbox.local import LocalSandbox

        return LocalSandbox
    if name == "DockerSandbox":
        from mle_track.sandbox.docker import DockerSandbox

        return DockerSandbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Sandboxes that run agents under compute limits without exposing private answers.

``LocalSandbox`` runs the agent as a subprocess (limits by rlimits, affinity and a pids cgroup;
no network or file-system isolation); ``DockerSandbox`` runs it in a container following
MLE-bench's contract (docker-py is imported only when a container is needed).
"""

from mle_track.sandbox.base import AgentTask, AttemptResult, Limits, Sandbox
from mle_track.sandbox.docker import DockerSandbox
from mle_track.sandbox.local import LocalSandbox

__all__ = ["AgentTask", "AttemptResult", "DockerSandbox", "Limits", "LocalSandbox", "Sandbox"]

"""Sandboxes that run agents under compute limits without exposing private answers."""

from mle_track.sandbox.base import AgentTask, AttemptResult, Limits, Sandbox

__all__ = ["AgentTask", "AttemptResult", "Limits", "Sandbox"]

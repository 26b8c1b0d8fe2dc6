"""An AIDE-style tree-search agent (Jiang et al., "AIDE: AI-Driven Exploration in the Space of
Code"), written for mle-track: the loop runs on the host, every script in the sandbox.

``conf/agent/aide.yaml`` selects it (``kind: host``); its knobs are :class:`AideSettings`.
"""

from mle_track.agents.aide.agent import run_host
from mle_track.agents.aide.settings import AideSettings

__all__ = ["AideSettings", "run_host"]

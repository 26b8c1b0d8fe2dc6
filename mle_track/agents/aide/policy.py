"""Which step comes next: the search policy of the AIDE paper (Jiang et al., 2025, §3).

1. Draft until ``num_drafts`` first solutions exist: diverse starting points are cheap and a
   search that only improves one early idea gets stuck in it.
2. Then, with probability ``debug_prob``, debug a buggy leaf whose chain of debug attempts is
   shorter than ``max_debug_depth`` (a fix is usually one step away; a line that keeps failing
   is abandoned).
3. Otherwise improve the best working solution; with none yet, draft again.

The random choices come from the attempt's seeded generator, so a seed replays its decisions.
"""

from __future__ import annotations

import random

from mle_track.agents.aide.journal import Action, Journal, Node
from mle_track.agents.aide.settings import AideSettings


def next_step(
    journal: Journal, settings: AideSettings, rng: random.Random
) -> tuple[Action, Node | None]:
    if len(journal.drafts) < settings.num_drafts:
        return "draft", None
    if rng.random() < settings.debug_prob:
        leaves = journal.debuggable_leaves(settings.max_debug_depth)
        if leaves:
            return "debug", rng.choice(leaves)
    best = journal.best()
    if best is None:
        return "draft", None
    return "improve", best

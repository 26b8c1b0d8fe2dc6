"""Competition data: fetching raw sources, running prepare, verifying, and where files live.

The public entry points are :func:`prepare_competition` (what ``mle-track prepare`` runs) and
:func:`ensure_prepared` (what a run calls before it starts: cheap when the data is ready).
"""

from mle_track.data.layout import CompetitionPaths
from mle_track.data.prepare import PrepareResult, ensure_prepared, prepare_competition

__all__ = ["CompetitionPaths", "PrepareResult", "ensure_prepared", "prepare_competition"]

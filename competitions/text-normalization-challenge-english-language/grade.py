"""Token accuracy with MLE-bench's reading of ``after``, shared with the Russian competition.

A custom grader rather than the library's ``accuracy``: answers and predictions must be read
and compared exactly as MLE-bench reads them with pandas (NA-like tokens become missing and
compare as the text ``"nan"``), which the typed Arrow reader of the library does not do. The
reading rules are documented in :mod:`mle_track.competitions.textnorm`.
"""

from __future__ import annotations

from mle_track.competitions.textnorm import grade

__all__ = ["grade"]

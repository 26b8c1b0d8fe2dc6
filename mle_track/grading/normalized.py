"""The normalised score: where a score falls between the sample submission (0) and gold (1).

Raw scores cannot be averaged across competitions (an AUROC, an RMSE in dollars, a log loss);
this places each on a common scale. Gold is the gold-medal threshold where a leaderboard exists,
else the metric's best value; an invalid submission counts as the sample submission's 0.
"""

from __future__ import annotations

import math
from pathlib import Path

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.grading.grader import grade_submission, metric_for
from mle_track.grading.report import CompetitionReport


def normalized_score(
    spec: CompetitionSpec, report: CompetitionReport, data_root: Path
) -> float | None:
    """``None`` when the scale is undefined (no sample score, or gold equals the sample)."""
    sample = sample_score(spec, data_root)
    target = report.gold_threshold if report.gold_threshold is not None else metric_for(spec).best
    if sample is None or target is None or target == sample:
        return None
    if report.score is None or not math.isfinite(report.score):
        return 0.0
    return (report.score - sample) / (target - sample)


_SAMPLE_SCORES: dict[tuple[str, int, Path, int], float | None] = {}


def sample_score(spec: CompetitionSpec, data_root: Path) -> float | None:
    """The sample submission's score (graded once per prepared version and process)."""
    path = CompetitionPaths(data_root, spec.id).resolve(spec.sample_submission)
    if not path.is_file():
        return None
    key = (spec.id, spec.version, data_root, path.stat().st_mtime_ns)
    if key not in _SAMPLE_SCORES:
        _SAMPLE_SCORES[key] = grade_submission(spec, path, data_root).score
    return _SAMPLE_SCORES[key]

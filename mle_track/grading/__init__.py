"""Grading: metrics, submission validation, medals and reports."""

from mle_track.grading.aggregate import (
    GradingReport,
    MeanSem,
    Outcome,
    SplitStats,
    grading_report,
    outcomes_of,
    summarize,
)
from mle_track.grading.grader import (
    grade_frame,
    grade_submission,
    metric_for,
    score_submission,
    validate_against_sample,
)
from mle_track.grading.medals import Medals, Thresholds, award, medal_positions, thresholds
from mle_track.grading.metrics import METRICS, Metric
from mle_track.grading.report import CompetitionReport, to_json

__all__ = [
    "METRICS",
    "CompetitionReport",
    "GradingReport",
    "MeanSem",
    "Medals",
    "Metric",
    "Outcome",
    "SplitStats",
    "Thresholds",
    "award",
    "grade_frame",
    "grade_submission",
    "grading_report",
    "medal_positions",
    "metric_for",
    "outcomes_of",
    "score_submission",
    "summarize",
    "thresholds",
    "to_json",
    "validate_against_sample",
]

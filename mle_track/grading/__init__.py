"""Grading: metrics, submission validation, medals and reports."""

from mle_track.grading.grader import (
    grade_frame,
    grade_submission,
    metric_for,
    score_submission,
    validate_against_sample,
)
from mle_track.grading.medals import Medals, Thresholds, award, medal_positions, thresholds
from mle_track.grading.metrics import METRICS, Metric
from mle_track.grading.report import CompetitionReport, grading_report, to_json

__all__ = [
    "METRICS",
    "CompetitionReport",
    "Medals",
    "Metric",
    "Thresholds",
    "award",
    "grade_frame",
    "grade_submission",
    "grading_report",
    "medal_positions",
    "metric_for",
    "score_submission",
    "thresholds",
    "to_json",
    "validate_against_sample",
]

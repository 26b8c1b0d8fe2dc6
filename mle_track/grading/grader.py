"""Grading one submission: score, validity with a reason, and medals.

Three outcomes are kept apart. A submission that breaks the format is *invalid* (the agent's
fault, with a reason). A failure anywhere else while grading is a *grader error* (our fault:
logged with its traceback and reported in its own field, never counted as an invalid
submission). Otherwise the score is rounded to 5 decimals, as MLE-bench does, and compared with
the leaderboard's medal thresholds.

The private files the grader reads (the answers, and the sample submission where it lies in
``private/``) are read only through :class:`~mle_track.data.verify.RecordedFile`: hashed by
content and compared with the sha256 recorded at prepare before every grade, so answers edited
after prepare are never graded against (:class:`~mle_track.errors.AnswersChanged`, which
propagates: there is no honest report to make).
"""

from __future__ import annotations

import logging
import math
import traceback
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import cast

import pandas as pd
import pyarrow as pa

from mle_track.competitions.files import load_function
from mle_track.competitions.spec import CompetitionSpec, MetricSpec
from mle_track.data.checksums import CHECKSUMS_FILE
from mle_track.data.layout import CompetitionPaths
from mle_track.data.verify import RecordedFile, recorded_digests, recorded_file
from mle_track.errors import (
    AnswersChanged,
    ConfigError,
    GraderError,
    InvalidSubmission,
    NotPreparedError,
)
from mle_track.grading.answers import read_answers
from mle_track.grading.leaderboard import competition_thresholds
from mle_track.grading.medals import Medals, award
from mle_track.grading.metrics import METRICS, Metric
from mle_track.grading.report import CompetitionReport
from mle_track.grading.validation import (
    align,
    read_reference,
    read_submission,
    with_targets_from,
)

log = logging.getLogger(__name__)

SCORE_DECIMALS = 5
CustomGrader = Callable[[pd.DataFrame, pd.DataFrame], float]


def metric_for(spec: CompetitionSpec) -> Metric:
    """The spec's metric, checking that the declared direction agrees with the metric's."""
    metric = METRICS.get(spec.metric.name)
    if metric.direction != spec.direction:
        raise ConfigError(
            f"competition {spec.id!r} declares direction {spec.direction!r} but metric "
            f"{metric.name!r} is {metric.direction!r}-is-better"
        )
    return metric


def answers_path(spec: CompetitionSpec, data_root: Path) -> Path:
    path = CompetitionPaths(data_root, spec.id).resolve(spec.answers)
    if not path.is_file():
        raise NotPreparedError(
            f"competition {spec.id!r} is not prepared in {data_root} (no {spec.answers}); "
            f"run `mle-track prepare -c {spec.id}`"
        )
    return path


def recorded_inputs(
    spec: CompetitionSpec, data_root: Path, recorded: Mapping[str, str] | None = None
) -> Mapping[str, str]:
    """The sha256s prepare recorded (``recorded``, when the caller verified the data itself and
    holds them, as the attempt pipeline does; else the marker's, checked with checksums.yaml)."""
    answers_path(spec, data_root)  # a clear "not prepared" before anything else
    if recorded is not None:
        return recorded
    paths = CompetitionPaths(data_root, spec.id)
    return recorded_digests(paths, spec.folder / CHECKSUMS_FILE)


def private_inputs(spec: CompetitionSpec) -> tuple[str, ...]:
    """The files below ``prepared/`` the grader reads that the agent must never change: the
    answers, and the sample submission where the competition keeps it private."""
    rels = [spec.answers]
    rels += [spec.sample_submission] if spec.sample_submission.startswith("private/") else []
    return tuple(dict.fromkeys(rels))


def score_submission(
    spec: CompetitionSpec,
    submission: Path,
    data_root: Path,
    *,
    recorded: Mapping[str, str] | None = None,
) -> float:
    """The raw (unrounded) score; raises InvalidSubmission or, for our own bugs, GraderError
    (AnswersChanged when a private input is not what prepare recorded)."""
    digests = recorded_inputs(spec, data_root, recorded)
    paths = CompetitionPaths(data_root, spec.id)
    answers = recorded_file(paths, spec.answers, digests)
    for rel in private_inputs(spec):
        if rel != spec.answers:
            recorded_file(paths, rel, digests).verify()
    if spec.grader:
        return _score_custom(spec, submission, answers)
    metric = metric_for(spec)
    sample = paths.resolve(spec.sample_submission)
    metric_spec = with_targets_from(spec.metric, sample)
    table = read_submission(submission, metric_spec)
    aligned = align(table, _reference_table(answers, metric_spec), metric_spec, metric)
    try:
        return metric(aligned.y_true, aligned.y_pred, **spec.metric.params)
    except Exception as exc:
        raise GraderError(f"metric {metric.name!r} failed: {type(exc).__name__}: {exc}") from exc


_REFERENCE_CACHE: dict[tuple[str, str | None, tuple[str, ...]], pa.Table] = {}


def _reference_table(answers: RecordedFile, metric_spec: MetricSpec) -> pa.Table:
    """The answers, parsed once per process and content (the key is their recorded sha256),
    and hashed on every call: parsed from the very bytes that were hashed, or, when cached,
    after the file on disk was hashed again."""
    key = (answers.sha256, metric_spec.id_column, metric_spec.target_columns)
    if key in _REFERENCE_CACHE:
        answers.verify()
        return _REFERENCE_CACHE[key]
    data = answers.read_bytes()
    try:
        _REFERENCE_CACHE[key] = read_reference(pa.BufferReader(data), metric_spec)
    except Exception as exc:
        raise GraderError(f"cannot read answers {answers.path}: {exc}") from exc
    return _REFERENCE_CACHE[key]


def _score_custom(spec: CompetitionSpec, submission: Path, answers: RecordedFile) -> float:
    from mle_track.grading.tables import read_header

    read_header(submission)  # the same file-level checks and reasons as the metric path
    try:
        frame = pd.read_csv(submission, float_precision="round_trip", low_memory=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidSubmission(f"submission cannot be parsed as CSV: {exc}") from None
    grade = _load_custom_grader(spec.folder, spec.grader or "")
    columns = getattr(grade, "answer_columns", None)  # the answers' columns it needs, if said
    reference = read_answers(answers.read_bytes(), answers.path.name, columns)  # CSV or JSONL
    try:
        return float(grade(frame, reference))
    except InvalidSubmission:
        raise
    except Exception as exc:
        raise GraderError(f"grader {spec.grader!r} failed: {type(exc).__name__}: {exc}") from exc


@cache
def _load_custom_grader(folder: Path, target: str) -> CustomGrader:
    """``module:function`` of the competition folder, loaded once per process by the one
    competition-file loader (so ``grade.py`` can import its siblings); a missing or broken file
    is a :class:`ConfigError` that names ``config.yaml`` and the file."""
    module_name, _, function = target.partition(":")
    owner = f"{folder / 'config.yaml'}: grader"
    return cast(CustomGrader, load_function(folder, module_name, function or "grade", owner=owner))


def grade_frame(spec: CompetitionSpec, submission: pd.DataFrame, data_root: Path) -> float:
    """Score a DataFrame exactly as the same rows written to ``submission.csv`` would score."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="mle-track-grade-") as tmp:
        path = Path(tmp) / "submission.csv"
        submission.to_csv(path, index=False)
        return round(score_submission(spec, path, data_root), SCORE_DECIMALS)


def grade_submission(
    spec: CompetitionSpec,
    submission: Path | None,
    data_root: Path,
    *,
    recorded: Mapping[str, str] | None = None,
) -> CompetitionReport:
    """The full report for one submission; never raises for a bad submission or a grader bug.

    It raises :class:`AnswersChanged` when a private input is not the prepared one: a report
    against other answers would be no grade of this submission at all. ``recorded``: the
    sha256s of the prepared files, when the caller holds them (see :func:`recorded_inputs`)."""
    path = Path(submission) if submission is not None else None
    exists = path is not None and path.is_file() and path.suffix.lower() == ".csv"
    score: float | None = None
    invalid_reason: str | None = None
    grader_error: str | None = None
    try:
        if path is None:
            raise InvalidSubmission("no submission was produced")
        raw = score_submission(spec, path, data_root, recorded=recorded)
        score = raw if math.isnan(raw) else round(raw, SCORE_DECIMALS)
        if math.isnan(raw):
            invalid_reason = "the metric is undefined (NaN) for this submission"
    except InvalidSubmission as exc:
        invalid_reason = str(exc)
    except AnswersChanged:
        raise
    except Exception as exc:  # our bug or our data: never the agent's fault
        grader_error = f"{type(exc).__name__}: {exc}"
        log.error("grading %s for %s failed:\n%s", path, spec.id, traceback.format_exc())
    limits = None
    try:
        limits = competition_thresholds(spec, data_root)
    except Exception as exc:
        grader_error = grader_error or f"{type(exc).__name__}: {exc}"
    medals = award(score, limits) if limits is not None else Medals()
    return CompetitionReport(
        competition_id=spec.id,
        score=score,
        gold_threshold=limits.gold if limits else None,
        silver_threshold=limits.silver if limits else None,
        bronze_threshold=limits.bronze if limits else None,
        median_threshold=limits.median if limits else None,
        any_medal=medals.any,
        gold_medal=medals.gold,
        silver_medal=medals.silver,
        bronze_medal=medals.bronze,
        above_median=medals.above_median,
        submission_exists=exists,
        valid_submission=score is not None and grader_error is None,
        is_lower_better=spec.direction == "lower",
        created_at=datetime.now().isoformat(),
        submission_path=str(path),
        metric=spec.metric.name,
        competition_version=spec.version,
        invalid_reason=invalid_reason,
        grader_error=grader_error,
        medals_available=limits is not None,
        splits=spec.splits,
    )


def validate_against_sample(spec: CompetitionSpec, submission: Path, sample: Path) -> None:
    """Agent-side check: the same format rules, against the public sample submission.

    The sample holds the test ids and valid placeholder predictions, so it stands in for the
    answers: no private file is read and no score is computed. Raises InvalidSubmission.
    """
    metric = metric_for(spec)
    metric_spec = with_targets_from(spec.metric, sample)
    table = read_submission(submission, metric_spec)
    align(table, read_reference(sample, metric_spec), metric_spec, metric)

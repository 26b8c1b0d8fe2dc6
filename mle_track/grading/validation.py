"""Checking a submission against the answers and aligning it row by row.

Validation is where an agent's mistakes are caught and explained: missing columns, wrong row
count, duplicate or unknown ids, text where numbers belong, NaN or infinity, probabilities outside
[0, 1] or rows that do not sum to one. It runs before the metric, so a metric only ever sees
clean, aligned arrays, and an exception after this point is a grader bug, not a bad submission.

The same checks run against the public sample submission inside the sandbox (``reference`` is
then the sample, whose ids equal the answers' ids), so agents can validate without any answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import Array, Metric
from mle_track.grading.tables import CsvSource, delimiter_hint, read_columns, read_header

#: how far a probability row may stray from summing to one: MLE-bench's
#: ``np.isclose(row_sum, 1, atol=1e-6)``, whose default rtol adds 1e-5
#: (so rows rounded to 5 decimals pass)
DISTRIBUTION_TOLERANCE = 1e-6 + 1e-5
_EXAMPLES = 3


@dataclass(frozen=True)
class Aligned:
    """Answers and predictions in the same row order, ready for a metric."""

    y_true: Array
    y_pred: Array


def read_submission(path: Path, spec: MetricSpec) -> pa.Table:
    header = read_header(path)
    wanted = _wanted_columns(spec)
    missing = [c for c in wanted if c not in header.columns]
    if missing:
        found = ", ".join(repr(c) for c in header.columns[:8])
        more = ", …" if len(header.columns) > 8 else ""
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has "
            f"{found}{more}{delimiter_hint(header)}"
        )
    extra = [c for c in header.columns if c not in wanted]
    if extra and spec.extra_columns == "error":
        expected = ", ".join(repr(c) for c in wanted[:6]) + (", …" if len(wanted) > 6 else "")
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly {expected}"
        )
    duplicated = sorted({c for c in header.columns if header.columns.count(c) > 1} & set(wanted))
    if duplicated:
        raise InvalidSubmission(f"column(s) {', '.join(duplicated)} appear more than once")
    return read_columns(path, wanted, _text_columns(spec))


def with_targets_from(spec: MetricSpec, sample: Path) -> MetricSpec:
    """The spec itself, or — when it lists no target columns — one whose targets are the sample
    submission's columns other than the id, in the sample's order (e.g. one column per class,
    when the classes are only known from the data)."""
    if spec.target_columns:
        return spec
    columns = read_header(sample).columns
    targets = tuple(c for c in columns if c != spec.id_column)
    return spec.model_copy(update={"target_columns": targets})


def read_reference(path: CsvSource, spec: MetricSpec) -> pa.Table:
    """The answers (or the sample submission): trusted files, so any problem is not the agent's."""
    return read_columns(path, _wanted_columns(spec), _text_columns(spec))


def align(submission: pa.Table, answers: pa.Table, spec: MetricSpec, metric: Metric) -> Aligned:
    n_sub, n_ans = submission.num_rows, answers.num_rows
    if n_sub != n_ans:
        raise InvalidSubmission(f"submission has {n_sub} rows, expected {n_ans}")
    if spec.id_column is None:
        order = None
    else:
        order = _match_ids(submission.column(spec.id_column), answers.column(spec.id_column))
    y_pred = _predictions(submission, spec, metric)
    y_true = _targets(answers, spec, metric)
    if metric.kind == "label":
        y_true, y_pred = _comparable_labels(y_true, y_pred)
    if order is not None:
        aligned = np.empty_like(y_pred)
        aligned[order] = y_pred
        y_pred = aligned
    if metric.columns == "one":
        y_true, y_pred = y_true[:, 0], y_pred[:, 0]
    return Aligned(y_true, y_pred)


def _wanted_columns(spec: MetricSpec) -> list[str]:
    ids = [spec.id_column] if spec.id_column else []
    return [*ids, *spec.target_columns]


def _text_columns(spec: MetricSpec) -> list[str]:
    return [spec.id_column] if spec.id_column else []


def _match_ids(sub_ids: pa.ChunkedArray, ans_ids: pa.ChunkedArray) -> Array:
    """For every submission row, the answer row with the same id (one hash pass in Arrow)."""
    positions = pc.index_in(sub_ids, value_set=ans_ids)
    unknown = positions.null_count
    if unknown:
        mask = pc.is_null(positions)
        examples = pc.filter(sub_ids, mask).slice(0, _EXAMPLES).to_pylist()
        raise InvalidSubmission(f"{unknown} id(s) are not in the test set, e.g. {_show(examples)}")
    index = np.asarray(positions.to_numpy())
    counts = np.bincount(index, minlength=len(ans_ids))
    if counts.max(initial=0) > 1:
        repeated = np.flatnonzero(counts > 1)
        examples = pc.take(ans_ids, pa.array(repeated[:_EXAMPLES])).to_pylist()
        raise InvalidSubmission(
            f"{int((counts[repeated] - 1).sum())} duplicate id row(s), e.g. {_show(examples)}"
        )
    return index


def _show(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _column_values(table: pa.Table, name: str, numeric: bool) -> Array:
    column = table.column(name)
    if not numeric:
        return np.asarray(column.to_numpy(zero_copy_only=False))
    kind = column.type
    if not (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind)):
        if pa.types.is_boolean(kind):
            return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)
        bad = _first_non_numeric(column)
        raise InvalidSubmission(f"column {name!r} must be numeric, found {bad!r}")
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


def _first_non_numeric(column: pa.ChunkedArray) -> Any:
    for value in column.cast(pa.string()).to_pylist():
        try:
            float(value)
        except (TypeError, ValueError):
            return value
    return column[0].as_py()


def _predictions(table: pa.Table, spec: MetricSpec, metric: Metric) -> Array:
    numeric = metric.kind != "label"
    values = np.column_stack([_column_values(table, c, numeric) for c in spec.target_columns])
    if numeric:
        _check_numeric(values, spec, metric)
    else:
        _check_labels(table, spec)
    return values


def _check_numeric(values: Array, spec: MetricSpec, metric: Metric) -> None:
    finite = np.isfinite(values)
    if not finite.all():
        row, col = np.argwhere(~finite)[0]
        bad = int((~finite).sum())
        what = "missing/NaN" if np.isnan(values[row, col]) else "infinite"
        raise InvalidSubmission(
            f"{bad} value(s) are missing, NaN or infinite, e.g. a {what} value in column "
            f"{spec.target_columns[col]!r} at data row {row + 1}"
        )
    if metric.kind in ("probability", "distribution"):
        outside = (values < 0.0) | (values > 1.0)
        if outside.any():
            row, col = np.argwhere(outside)[0]
            value = float(values[row, col])
            raise InvalidSubmission(
                f"{int(outside.sum())} probability value(s) lie outside [0, 1], e.g. "
                f"{value!r} in column {spec.target_columns[col]!r} at row {row + 1}"
            )
    if metric.kind == "nonnegative" and (values < 0).any():
        row, col = np.argwhere(values < 0)[0]
        value = float(values[row, col])
        raise InvalidSubmission(
            f"{int((values < 0).sum())} negative prediction(s), e.g. {value!r} in "
            f"column {spec.target_columns[col]!r} at row {row + 1}; this metric needs values ≥ 0"
        )
    if metric.kind == "distribution":
        sums = values.sum(axis=1)
        off = np.abs(sums - 1.0) > DISTRIBUTION_TOLERANCE
        if off.any():
            row = int(np.flatnonzero(off)[0])
            raise InvalidSubmission(
                f"{int(off.sum())} row(s) of class probabilities do not sum to 1, e.g. row "
                f"{row + 1} sums to {sums[row]:.6g}"
            )


def _check_labels(table: pa.Table, spec: MetricSpec) -> None:
    for name in spec.target_columns:
        column = table.column(name)
        if column.null_count:
            raise InvalidSubmission(f"column {name!r} has {column.null_count} empty value(s)")


def _targets(table: pa.Table, spec: MetricSpec, metric: Metric) -> Array:
    numeric = metric.kind != "label"
    return np.column_stack([_column_values(table, c, numeric) for c in spec.target_columns])


def _comparable_labels(y_true: Array, y_pred: Array) -> tuple[Array, Array]:
    """Labels compare as numbers when both sides are numeric (2 == 2.0), else as text."""
    try:
        return y_true.astype(np.float64), y_pred.astype(np.float64)
    except (TypeError, ValueError):
        return y_true.astype(str), y_pred.astype(str)

"""Building blocks for a competition's own ``grade.py``: reading the two columns it scores, and
the label rules several of MLE-bench's graders share.

Many of MLE-bench's graders score a single id column and a single label column with a registered
metric, after a rule of their own on the labels. The pieces they share live here, once: the
column check and typed table that :func:`~mle_track.grading.validation.align` takes, the check
that every label is a whole number (MLE-bench casts with ``int()``), and two ready graders:
whole-number category ids, and space-separated label sets read as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import is_object_dtype, is_string_dtype

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS, Metric
from mle_track.grading.validation import Aligned, align

Grader = Callable[[pd.DataFrame, pd.DataFrame], float]


def require_columns(frame: pd.DataFrame, *columns: str) -> None:
    """InvalidSubmission naming the missing ones and the header, when ``frame`` lacks any."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )


#: the stand-in target column :func:`matched_rows` aligns: each row's position in its file
_ROW = "__row__"


def matched_rows(submission: pd.DataFrame, answers: pd.DataFrame, id_column: str) -> np.ndarray:
    """For each answer row, the position of the submission row with the same id, after the
    library's id checks (row count, unknown, repeated and missing ids; ids matched as text):
    for graders whose predictions are not one value a row (run-length masks, box lists)."""
    spec = MetricSpec(name="mae", id_column=id_column, target_columns=(_ROW,))

    def positions(frame: pd.DataFrame) -> pa.Table:
        ids = pa.array(frame[id_column].astype(str).to_numpy(), type=pa.string())
        return pa.table({id_column: ids, _ROW: np.arange(len(frame), dtype=np.float64)})

    aligned = align(positions(submission), positions(answers), spec, METRICS.get(spec.name))
    return np.asarray(aligned.y_pred, dtype=np.int64)


def id_and_target(frame: pd.DataFrame, id_column: str, target: str) -> pa.Table:
    """The two columns as an Arrow table with the ids as text (matched as text, as the library
    does); a missing column or one Arrow cannot type is an InvalidSubmission."""
    require_columns(frame, id_column, target)
    try:
        table = pa.Table.from_pandas(frame[[id_column, target]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, id_column, table.column(id_column).cast(pa.string()))


def whole_numbers(values: np.ndarray, column: str) -> np.ndarray:
    """``values`` as int64 where every one is a finite whole number (``3`` or ``3.0``), else an
    InvalidSubmission naming ``column`` and the first offending value."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers)) | (abs(numbers) > 2**53)
    if bad.any():
        raise InvalidSubmission(
            f"{int(bad.sum())} {column} value(s) are not a whole-number category id, "
            f"e.g. {_first(values, bad)!r}"
        )
    return numbers.astype(np.int64)


def _first(values: np.ndarray, bad: np.ndarray) -> object:
    """The first value flagged in ``bad``, as a plain Python value (for a reason's example)."""
    example = values[np.flatnonzero(bad)[0]]
    return example.item() if isinstance(example, np.generic) else example


def _aligned(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    spec: MetricSpec,
    read: Callable[[pd.DataFrame, str, str], pa.Table],
) -> tuple[Metric, Aligned]:
    """The registered metric and the two files' rows aligned by the library, each file's id
    and target columns read by ``read``."""
    assert spec.id_column is not None
    target = spec.target_columns[0]
    metric = METRICS.get(spec.name)
    return metric, align(
        read(submission, spec.id_column, target),
        read(answers, spec.id_column, target),
        spec,
        metric,
    )


def whole_number_labels(metric_name: str, id_column: str, target: str) -> Grader:
    """A ``grade(submission, answers)`` scoring whole-number category ids with a registered
    metric: rows, columns and ids through the library's validation, every prediction a whole
    number (a fraction is rejected, where MLE-bench's ``int()`` would truncate it)."""
    spec = MetricSpec(name=metric_name, id_column=id_column, target_columns=(target,))

    def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
        metric, aligned = _aligned(submission, answers, spec, id_and_target)
        truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.int64)
        return metric(truth, whole_numbers(aligned.y_pred, target))

    return grade


def coded_labels(
    metric_name: str, id_column: str, target: str, codes: Sequence[int], what: str
) -> Grader:
    """A ``grade(submission, answers)`` for labels from a fixed range of integer codes (grades
    0-4, scores 1-6, classes 0-38) scored by a registered metric: ``2`` and ``2.0`` are code 2;
    a code outside the range, a fraction or text is rejected, naming ``what`` the codes are
    (MLE-bench scores such values as wrong answers or lets scikit-learn decide). The grader
    reads only the two answer columns."""
    spec = MetricSpec(name=metric_name, id_column=id_column, target_columns=(target,))

    def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
        metric, aligned = _aligned(submission, answers, spec, id_and_target)
        labels = pd.to_numeric(pd.Series(aligned.y_pred), errors="coerce").to_numpy(np.float64)
        outside = ~np.isin(labels, codes)
        if outside.any():
            raise InvalidSubmission(
                f"{int(outside.sum())} {target} value(s) are not one of the {what} "
                f"{codes[0]}-{codes[-1]}, e.g. {_first(aligned.y_pred, outside)!r}"
            )
        truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.float64)
        return metric(truth, labels)

    grade.answer_columns = (id_column, target)  # type: ignore[attr-defined]
    return grade


def label_texts(frame: pd.DataFrame, id_column: str, target: str) -> pa.Table:
    """Ids as text and each label list as text (``""`` where pandas read a missing value, an
    empty set). MLE-bench splits the column as text and fails on one pandas read as numbers
    (every cell a single number), so such a column is an InvalidSubmission here too."""
    require_columns(frame, id_column, target)
    labels = frame[target]
    if not (is_object_dtype(labels) or is_string_dtype(labels)) and labels.notna().any():
        raise InvalidSubmission(
            f"every {target!r} value reads as a number, so the column is not a text column of "
            "space-separated labels (at least one row must hold a value that is not a number)"
        )
    ids = pa.Table.from_pandas(frame[[id_column]], preserve_index=False).column(id_column)
    texts = labels.astype(object).where(labels.notna(), "").map(str)
    return pa.table(
        {id_column: ids.cast(pa.string()), target: pa.array(texts.tolist(), pa.string())}
    )


def label_sets(metric_name: str, id_column: str, target: str) -> Grader:
    """A ``grade(submission, answers)`` scoring space-separated label sets (read by
    :func:`label_texts`) with a registered metric; it reads only those two answer columns."""
    spec = MetricSpec(name=metric_name, id_column=id_column, target_columns=(target,))

    def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
        metric, aligned = _aligned(submission, answers, spec, label_texts)
        return metric(aligned.y_true, aligned.y_pred)

    grade.answer_columns = (id_column, target)  # type: ignore[attr-defined]
    return grade

"""The standard invalid submissions of a competition, derived from its spec and sample submission.

Every competition must reject the same kinds of broken submission: a missing column, a row too
few or too many, an unknown or repeated id, text where numbers belong, a missing or infinite
value, a probability outside [0, 1], a row of class probabilities that does not sum to one. Which
of these apply, and with which reason, follows from the spec alone — the id column, the target
columns, the metric's prediction kind, the extra-columns policy — plus the public sample
submission (what the ids and values look like). So the cases are generated here once, and a
competition's ``synthetic.py`` lists only what is particular to it.

A case is generated only where the grader must reject it:

* file and structure (empty file, header only, missing columns, row count, unknown id) for every
  competition: these are the contract of every grader, custom ones included;
* a repeated id only where the sample's ids are unique (a competition may identify rows by a
  text that repeats, and then a repeated id is a legitimate row);
* ids written as floats (``1.0`` for ``1``), a semicolon-separated file, extra columns when the
  spec forbids them, and every value check only on the library's validation path: a custom
  ``grade.py`` decides for itself how values are read (its ``synthetic.py`` lists its own);
* value checks by prediction kind: numbers for every numeric kind, [0, 1] for probabilities and
  distributions, sums for distributions, signs for non-negative metrics, and for labels only an
  empty cell where the labels are numbers (Arrow reads an empty text label as ``""``, a valid
  label).

The sample is read with every cell as its exact text, so ids such as ``007`` and values such as
``0.403494`` are written back unchanged, and only the one cell a case is about differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mle_track.competitions.spec import CompetitionSpec, MetricSpec
from mle_track.grading.metrics import METRICS, Metric
from mle_track.grading.validation import with_targets_from

_INTEGER = re.compile(r"-?\d+")
#: how far the generated "does not sum to one" row is moved from one
_SUM_SHIFT = 0.3


@dataclass(frozen=True)
class InvalidCase:
    """One submission the grader must reject, and a fragment its reason must contain."""

    label: str
    reason: str
    #: builds the submission file's bytes (on demand: a case of a large test set is megabytes)
    build: Callable[[], bytes] = field(repr=False)

    def write(self, path: Path) -> Path:
        path.write_bytes(self.build())
        return path


def standard_cases(spec: CompetitionSpec, sample_path: Path) -> list[InvalidCase]:
    """Every standard invalid submission that ``spec``'s grader must reject (unique labels)."""
    metric_spec = with_targets_from(spec.metric, sample_path)
    sample = pd.read_csv(sample_path, dtype=str, keep_default_na=False)
    cases = _file_cases(sample, library=spec.grader is None)
    if len(sample):
        cases += _structure_cases(sample, metric_spec)
        cases += _id_cases(sample, metric_spec.id_column, library=spec.grader is None)
        if spec.grader is None:
            metric = METRICS.get(spec.metric.name)
            cases += _value_cases(sample, metric_spec, metric)
    return cases


def _csv(make: Callable[[], pd.DataFrame], sep: str = ",") -> Callable[[], bytes]:
    """The file bytes of the frame ``make`` builds: both only when the case is written, so a
    large test set's cases never sit in memory together."""
    return lambda: make().to_csv(index=False, sep=sep).encode("utf-8")


def _with_cell(sample: pd.DataFrame, column: str, text: str, row: int = 0) -> pd.DataFrame:
    """The sample with ``column`` of data row ``row`` (0: the first) set to ``text``."""
    changed = sample.copy()
    changed.loc[changed.index[row], column] = text
    return changed


def _file_cases(sample: pd.DataFrame, *, library: bool) -> list[InvalidCase]:
    cases = [InvalidCase("empty file", "submission file is empty", lambda: b"")]
    if library and len(sample.columns) > 1:
        # the header check runs before the body is parsed only on the library path
        cases.append(
            InvalidCase("semicolon-separated", "missing column(s)", _csv(lambda: sample, sep=";"))
        )
    return cases


def _structure_cases(sample: pd.DataFrame, spec: MetricSpec) -> list[InvalidCase]:
    n = len(sample)
    first_target = spec.target_columns[0]
    cases = [
        InvalidCase("header only", f"has 0 rows, expected {n}", _csv(lambda: sample.iloc[:0])),
        InvalidCase(
            "a row too many",
            f"has {n + 1} rows, expected {n}",
            _csv(lambda: pd.concat([sample, sample.iloc[:1]], ignore_index=True)),
        ),
    ]
    if len(sample.columns) > 1:  # without its only column a file is empty, a case of its own
        cases.append(
            InvalidCase(
                f"no {first_target} column",
                f"missing column(s) {first_target!r}",
                _csv(lambda: sample.drop(columns=[first_target])),
            )
        )
    if n > 1:
        cases.append(
            InvalidCase(
                "a row short", f"has {n - 1} rows, expected {n}", _csv(lambda: sample.iloc[:-1])
            )
        )
    id_column = spec.id_column
    if id_column is not None:
        cases.append(
            InvalidCase(
                f"no {id_column} column",
                f"missing column(s) {id_column!r}",
                _csv(lambda: sample.drop(columns=[id_column])),
            )
        )
    return cases


def _id_cases(sample: pd.DataFrame, id_column: str | None, *, library: bool) -> list[InvalidCase]:
    if id_column is None:
        return []
    ids = sample[id_column]
    unknown = _unknown(ids)
    cases = [
        InvalidCase(
            "unknown id",
            "not in the test set",
            _csv(lambda: _with_cell(sample, id_column, unknown)),
        )
    ]
    if ids.is_unique and len(ids) > 1:
        repeated = _csv(lambda: _with_cell(sample, id_column, ids.iloc[0], row=1))
        cases.append(InvalidCase("duplicate id", "duplicate id", repeated))
    if library and ids.str.fullmatch(_INTEGER).all():
        as_floats = _csv(lambda: sample.assign(**{id_column: ids + ".0"}))
        cases.append(InvalidCase("ids written as floats", "not in the test set", as_floats))
    return cases


def _unknown(ids: pd.Series) -> str:
    """An id of the same kind as ``ids`` (a number for integer ids) that is not among them."""
    if ids.str.fullmatch(_INTEGER).all():
        return str(max(int(i) for i in ids) + 1)
    known = set(ids)
    candidate = f"{ids.iloc[0]}-unknown"
    while candidate in known:
        candidate += "-unknown"
    return candidate


def _value_cases(sample: pd.DataFrame, spec: MetricSpec, metric: Metric) -> list[InvalidCase]:
    target = spec.target_columns[0]
    cases: list[InvalidCase] = []

    def corrupt(label: str, text: str, reason: str) -> None:
        cases.append(InvalidCase(label, reason, _csv(lambda: _with_cell(sample, target, text))))

    # In a one-column file an empty cell is written quoted (a blank line would be skipped), and
    # Arrow reads a quoted empty cell as text, so there "missing" is spelled NaN and an empty
    # label cannot be written at all.
    one_column = len(sample.columns) == 1
    if metric.kind == "label":
        if _all_numbers(sample[target]) and not one_column:  # an empty text label is valid
            corrupt("an empty label", "", "empty value")
    else:
        corrupt("text for a number", "not-a-number", "must be numeric")
        corrupt("a missing value", "NaN" if one_column else "", "missing, NaN or infinite")
        corrupt("an infinite value", "inf", "missing, NaN or infinite")
    if metric.kind in ("probability", "distribution"):
        corrupt("a probability above one", "1.5", "outside [0, 1]")
        corrupt("a negative probability", "-0.1", "outside [0, 1]")
    if metric.kind == "distribution":
        value = float(sample[target].iloc[0])
        shifted = value + _SUM_SHIFT if value <= 1 - _SUM_SHIFT else value - _SUM_SHIFT
        corrupt("a row not summing to one", repr(shifted), "do not sum to 1")
    if metric.kind == "nonnegative":
        corrupt("a negative value", "-1", "negative prediction")
    if spec.extra_columns == "error":
        extra = _unused_name(sample.columns, "unexpected_extra")
        cases.append(
            InvalidCase(
                "an extra column",
                f"unexpected column(s) {extra!r}",
                _csv(lambda: sample.assign(**{extra: "0"})),
            )
        )
    return cases


def _all_numbers(column: pd.Series) -> bool:
    return bool(pd.to_numeric(column, errors="coerce").notna().all())


def _unused_name(columns: pd.Index, name: str) -> str:
    while name in columns:
        name += "_"
    return name

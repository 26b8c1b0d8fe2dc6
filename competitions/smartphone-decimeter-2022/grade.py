"""Mean over phones of the mean of the 50th and 95th percentile horizontal errors (metres).

MLE-bench pairs the rows of each trip (``tripId``: one phone on one drive) by their order in
the submission file with the answers' rows of that trip, and never reads ``UnixTimeMillis``.
The same pairing is kept here (the k-th row of a trip meets the answers' k-th row of it), and
it is checked: each trip's ``UnixTimeMillis`` values, in file order, must be the answers' (the
sample's), so a file whose rows are in another order within a trip is rejected with a reason
instead of being scored against the wrong epochs. The order of the trips does not matter.

Stricter than MLE-bench: that timestamp check, and a missing, infinite or non-numeric
coordinate is rejected (MLE-bench scores NaN coordinates as a NaN score).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

from .prepare import LAT, LON, TIME, TRIP

KEY = "trip_row"
SPEC = MetricSpec(name="mean_haversine_percentiles", id_column=KEY, target_columns=(LAT, LON, TIME))
PARAMS = {"quantiles": (0.5, 0.95), "radius": 6_371_000.0}
_EXAMPLES = 3


def _trips(frame: pd.DataFrame) -> pd.Series:
    return frame[TRIP].astype(str)


def _first_non_number(values: pd.Series) -> object:
    for value in values:
        try:
            float(value)
        except (TypeError, ValueError):
            return value
    return values.iloc[0] if len(values) else None


def keyed(frame: pd.DataFrame) -> pa.Table:
    """Coordinates and times keyed ``<tripId>#<k>``: the k-th row of that trip in the file."""
    trips = _trips(frame)
    key = trips + "#" + trips.groupby(trips, sort=False).cumcount().astype(str)
    columns: dict[str, pa.Array] = {KEY: pa.array(key.to_numpy(), type=pa.string())}
    for name in (LAT, LON, TIME):
        values = frame[name]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise InvalidSubmission(
                f"column {name!r} must be numeric, found {_first_non_number(values)!r}"
            )
        columns[name] = pa.array(values.to_numpy(dtype=np.float64))
    return pa.table(columns)


def _check_trips(submission: pd.DataFrame, answers: pd.DataFrame) -> None:
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    given, expected = Counter(_trips(submission)), Counter(_trips(answers))
    unknown = [t for t in given if t not in expected]
    if unknown:
        examples = ", ".join(repr(t) for t in unknown[:_EXAMPLES])
        raise InvalidSubmission(
            f"{len(unknown)} tripId(s) are not in the test set, e.g. {examples}"
        )
    wrong = [(t, given[t], n) for t, n in expected.items() if given[t] != n]
    if wrong:
        examples = ", ".join(f"{t!r} has {g} row(s), expected {n}" for t, g, n in wrong[:_EXAMPLES])
        raise InvalidSubmission(
            f"{len(wrong)} trip(s) do not have one row per epoch of the sample submission: "
            f"{examples}"
        )


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (TRIP, TIME, LAT, LON) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    _check_trips(submission, answers)
    metric = METRICS.get(SPEC.name)
    aligned = align(keyed(submission), keyed(answers), SPEC, metric)
    late = np.flatnonzero(aligned.y_pred[:, 2] != aligned.y_true[:, 2])
    if late.size:
        row = int(late[0])
        trips = _trips(answers)
        within = int(trips.groupby(trips, sort=False).cumcount().iloc[row])
        raise InvalidSubmission(
            f"{late.size} row(s) do not carry the sample submission's {TIME} in its order within "
            f"their trip: e.g. row {within + 1} of trip {trips.iloc[row]!r} has "
            f"{aligned.y_pred[row, 2]:.0f}, expected {aligned.y_true[row, 2]:.0f}; keep each "
            "trip's rows in the sample's (time) order"
        )
    groups = _trips(answers).to_numpy()
    return metric(aligned.y_true[:, :2], aligned.y_pred[:, :2], groups=groups, **PARAMS)

"""Metrics of positions on the Earth: haversine errors per phone and their percentiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: the mean Earth radius (metres) of the haversine formula, as Kaggle's GSDC metric uses it
EARTH_RADIUS_M = 6_371_000.0


def haversine_m(
    lat1: Array, lon1: Array, lat2: Array, lon2: Array, radius: float = EARTH_RADIUS_M
) -> Array:
    """Great-circle distances (metres) between points given in degrees, on a sphere of
    ``radius``. The haversine is capped at 1 against rounding (antipodal points)."""
    phi1, phi2 = np.deg2rad(lat1), np.deg2rad(lat2)
    d_phi = phi2 - phi1
    d_lambda = np.deg2rad(lon2) - np.deg2rad(lon1)
    h = np.sin(d_phi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    return np.asarray(2 * radius * np.arcsin(np.sqrt(np.minimum(h, 1.0))), dtype=np.float64)


@metric("mean_haversine_percentiles", "lower", "numeric", columns="many", best=0.0)
def mean_haversine_percentiles(
    y_true: Array,
    y_pred: Array,
    groups: Any = None,
    quantiles: Sequence[float] = (0.5, 0.95),
    radius: float = EARTH_RADIUS_M,
) -> float:
    """The Google Smartphone Decimeter score: for each group (a phone's trip), the mean of the
    ``quantiles`` (numpy's linear interpolation) of the haversine errors in metres; then the
    plain mean over groups.

    ``y_true`` and ``y_pred``: two columns, latitude and longitude in degrees. ``groups``: one
    key per row (all rows one group without it).
    """
    truth, predicted = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    errors = haversine_m(predicted[:, 0], predicted[:, 1], truth[:, 0], truth[:, 1], radius)
    keys = np.zeros(len(errors), dtype=np.int64) if groups is None else np.asarray(groups)
    if keys.shape != (len(errors),):
        raise ValueError(f"{len(keys)} group keys for {len(errors)} rows")
    _, index = np.unique(keys, return_inverse=True)
    scores = [
        float(np.mean(np.quantile(errors[index == g], list(quantiles))))
        for g in range(int(index.max(initial=-1)) + 1)
    ]
    return float(np.mean(scores))

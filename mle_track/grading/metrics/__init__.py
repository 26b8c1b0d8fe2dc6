"""The metric library: plain functions of aligned answers and predictions, by family.

Importing the package registers every metric of every family module in :data:`METRICS`
(:mod:`.registry` says what a metric is). A family module imports only numpy at the top; a
metric that needs scipy or scikit-learn imports it inside its function, so grading a
competition loads only what its metric uses.
"""

from mle_track.grading.metrics import (  # noqa: F401  (each import registers its metrics)
    boxes,
    classification,
    curves,
    detection,
    distributions,
    fairness,
    geodesy,
    label_sets,
    masks,
    probabilities,
    ranking,
    regression,
    science,
    sequences,
)
from mle_track.grading.metrics.registry import (
    METRICS,
    Array,
    Direction,
    Metric,
    MetricFn,
    PredictionKind,
    metric,
)

__all__ = ["METRICS", "Array", "Direction", "Metric", "MetricFn", "PredictionKind", "metric"]

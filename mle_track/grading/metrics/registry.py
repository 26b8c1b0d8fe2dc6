"""The metric registry: what a metric is, and the decorator that registers one.

Each metric is registered with its *direction* (declared, never guessed from a leaderboard), the
kind of prediction it scores (which decides how submissions are validated before it runs) and
whether it reads one target column or several. Metric functions receive arrays that validation
has already aligned row-by-row with the answers and checked for type, range and missing values,
so they hold no input checks of their own: an exception inside one is a grader bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from numpy.typing import NDArray

from mle_track.registry import Registry

Direction = Literal["higher", "lower"]
#: how validation treats the target columns of a submission
PredictionKind = Literal["probability", "distribution", "numeric", "nonnegative", "label"]
Array = NDArray[Any]
MetricFn = Callable[..., float]


@dataclass(frozen=True)
class Metric:
    name: str
    direction: Direction
    kind: PredictionKind
    #: ``"one"``: 1-D arrays of the single target column; ``"many"``: 2-D, one column per target
    columns: Literal["one", "many"]
    fn: MetricFn
    #: the best value a perfect submission reaches (None where it depends on the data)
    best: float | None

    def __call__(self, y_true: Array, y_pred: Array, **params: Any) -> float:
        return float(self.fn(y_true, y_pred, **params))

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


METRICS: Registry[Metric] = Registry("metric")


def metric(
    name: str,
    direction: Direction,
    kind: PredictionKind,
    *,
    columns: Literal["one", "many"] = "one",
    best: float | None = None,
) -> Callable[[MetricFn], MetricFn]:
    def decorate(fn: MetricFn) -> MetricFn:
        METRICS.add(name, Metric(name, direction, kind, columns, fn, best))
        return fn

    return decorate

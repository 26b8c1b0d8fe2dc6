"""The grading report of one graded submission, and JSON that never holds a bare NaN.

The per-competition report carries every field of MLE-bench's ``CompetitionReport`` in the same
order, so tools written for MLE-bench read ours, followed by what MLE-bench leaves out: the
metric, the competition version, why a submission was invalid, whether the grader itself failed,
and whether medals were available at all. JSON never holds a bare NaN: non-finite numbers are
written as null. The aggregate over a batch of reports is :mod:`mle_track.grading.aggregate`'s;
this module imports nothing of the grading package, so everything can depend on it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class CompetitionReport:
    competition_id: str
    score: float | None
    gold_threshold: float | None
    silver_threshold: float | None
    bronze_threshold: float | None
    median_threshold: float | None
    any_medal: bool
    gold_medal: bool
    silver_medal: bool
    bronze_medal: bool
    above_median: bool
    submission_exists: bool
    valid_submission: bool
    is_lower_better: bool
    created_at: str
    submission_path: str
    # --- beyond MLE-bench
    metric: str = ""
    competition_version: int = 0
    invalid_reason: str | None = None
    grader_error: str | None = None
    medals_available: bool = True
    splits: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["splits"] = list(self.splits)
        return {k: _finite_or_none(v) for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompetitionReport:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["splits"] = tuple(values.get("splits") or ())
        return cls(**values)


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(data: Any) -> str:
    """JSON with non-finite floats as null (``allow_nan=False`` guards against any that slip)."""
    return json.dumps(_clean(data), indent=2, allow_nan=False)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return _finite_or_none(value)

"""What the task card (``description.md``) says about the metric.

The files alone cannot tell a log-loss task from an accuracy task when the sample submission
holds integers, nor an MAE forecast from an RMSE one; the card usually can. The agent reads it
for metric names only (first mention in an "Evaluation"/"Metric" section, else in the whole
text) and treats the answer as a hint: when the card names nothing it knows, the files decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Output = Literal["probability", "label", "value"]
Loss = Literal["l1", "l2", "log_target", "none"]


@dataclass(frozen=True)
class MetricHint:
    """The metric the card names, what kind of prediction it scores, and the loss that fits it."""

    name: str
    output: Output
    loss: Loss = "none"


# Order matters only for ties at the same position; longer names come before their abbreviations.
_PATTERNS: tuple[tuple[str, MetricHint], ...] = (
    (
        r"root mean squared? log(arithmic)? error|\brmsle\b",
        MetricHint("rmsle", "value", "log_target"),
    ),
    (r"mean squared? log(arithmic)? error|\bmsle\b", MetricHint("msle", "value", "log_target")),
    (r"mean absolute error|\bmae\b", MetricHint("mae", "value", "l1")),
    (r"root mean squared? error|\brmse\b", MetricHint("rmse", "value", "l2")),
    (r"mean squared? error|\bmse\b", MetricHint("mse", "value", "l2")),
    (r"\br2\b|\br\^2\b|coefficient of determination", MetricHint("r2", "value", "l2")),
    (
        r"(multi-?class )?log(arithmic)?[ -]?loss|cross[ -]entropy",
        MetricHint("log_loss", "probability"),
    ),
    (r"\bauc\b|\broc\b|area under", MetricHint("auc", "probability")),
    (r"quadratic(ally)? weighted kappa|\bqwk\b|cohen'?s kappa", MetricHint("kappa", "label")),
    (r"\bf1\b|f-score|f1-score", MetricHint("f1", "label")),
    (r"\baccuracy\b|error rate|classification error", MetricHint("accuracy", "label")),
    (r"\bmap@\d+|mean average precision", MetricHint("map", "label")),
)
#: no metric named, but the card asks for probabilities
_PROBABILITY = re.compile(r"\bprobabilit(y|ies)\b", re.IGNORECASE)
_SECTION = re.compile(r"^#+\s*(evaluation|metric|scoring)[^\n]*$", re.IGNORECASE | re.MULTILINE)
_HEADING = re.compile(r"^#+\s", re.MULTILINE)


def read_card(data: Path) -> str:
    path = data / "description.md"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def evaluation_section(text: str) -> str:
    """The text under the first Evaluation/Metric heading (to the next heading), or ``""``."""
    found = _SECTION.search(text)
    if found is None:
        return ""
    rest = text[found.end() :]
    following = _HEADING.search(rest)
    return rest[: following.start()] if following else rest


def metric_hint(text: str) -> MetricHint | None:
    """The earliest metric mentioned, preferring the evaluation section; None when none is known."""
    for scope in (evaluation_section(text), text):
        best: tuple[int, int, MetricHint] | None = None
        for rank, (pattern, hint) in enumerate(_PATTERNS):
            match = re.search(pattern, scope, re.IGNORECASE)
            if match and (best is None or (match.start(), rank) < best[:2]):
                best = (match.start(), rank, hint)
        if best is not None:
            return best[2]
    if _PROBABILITY.search(text):
        return MetricHint("probability", "probability")
    return None

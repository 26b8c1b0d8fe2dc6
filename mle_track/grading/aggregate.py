"""Benchmark aggregates over competitions and seeds, as MLE-bench reports them.

Reports are grouped per competition in the order given; the k-th report of a competition is its
seed k. For each seed the rates are percentages over the split's competitions; across seeds we
report the mean and the standard error of the mean (sample standard deviation, ddof=1, over √n;
0 for one seed). Competitions with fewer reports than the others are padded with failing reports,
so a missing attempt counts against the agent rather than vanishing from the denominator.
pass@k is the share of competitions where at least one of the first k seeds won a medal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from mle_track.grading.report import CompetitionReport

RATE_FIELDS = {
    "any_medal": "any_medal",
    "gold_medal": "gold_medal",
    "silver_medal": "silver_medal",
    "bronze_medal": "bronze_medal",
    "above_median": "above_median",
    "valid_submission": "valid_submission",
    "submission_exists": "submission_exists",
}
OVERALL = "overall"


def mean_sem(values: Sequence[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    mean = float(array.mean()) if array.size else math.nan
    sem = float(array.std(ddof=1) / math.sqrt(array.size)) if array.size > 1 else 0.0
    return {"mean": mean, "sem": sem, "ci_lower": mean - 1.96 * sem, "ci_upper": mean + 1.96 * sem}


def by_competition(reports: Iterable[CompetitionReport]) -> dict[str, list[CompetitionReport]]:
    grouped: dict[str, list[CompetitionReport]] = {}
    for report in reports:
        grouped.setdefault(report.competition_id, []).append(report)
    return grouped


def seed_rates(grouped: dict[str, list[CompetitionReport]]) -> tuple[list[dict[str, float]], int]:
    """Per-seed percentages (padding missing seeds with failures) and the number padded."""
    n_seeds = max((len(v) for v in grouped.values()), default=0)
    padded = sum(n_seeds - len(v) for v in grouped.values())
    rates = []
    for seed in range(n_seeds):
        row = {}
        for name, attr in RATE_FIELDS.items():
            hits = sum(bool(getattr(v[seed], attr)) for v in grouped.values() if seed < len(v))
            row[name] = 100.0 * hits / len(grouped)
        rates.append(row)
    return rates, padded


def pass_at_k(grouped: dict[str, list[CompetitionReport]], k: int) -> float:
    """Percentage of competitions with a medal in at least one of their first k seeds."""
    if not grouped:
        return math.nan
    hits = sum(any(r.any_medal for r in v[:k]) for v in grouped.values())
    return 100.0 * hits / len(grouped)


def summarize(reports: Sequence[CompetitionReport]) -> dict[str, Any]:
    grouped = by_competition(reports)
    rates, padded = seed_rates(grouped)
    n_seeds = len(rates)
    return {
        "num_competitions": len(grouped),
        "num_seeds": n_seeds,
        "padded_missing_attempts": padded,
        **{
            f"{name}_pct": mean_sem([r[name] for r in rates]) if rates else mean_sem([])
            for name in RATE_FIELDS
        },
        "pass_at_k": {str(k): pass_at_k(grouped, k) for k in range(1, n_seeds + 1)},
    }


def split_summaries(
    reports: Sequence[CompetitionReport], splits: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """:func:`summarize` for every split the reports belong to, and for all of them together."""
    names = list(splits) if splits is not None else sorted({s for r in reports for s in r.splits})
    out = {name: summarize([r for r in reports if name in r.splits]) for name in names}
    out = {k: v for k, v in out.items() if v["num_competitions"]}
    if reports:
        out[OVERALL] = summarize(reports)
    return out

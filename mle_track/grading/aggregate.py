"""Benchmark aggregates over competitions and seeds, as MLE-bench reports them, and batch reports.

The aggregation reads a narrow input, :class:`Outcome`: which competition, which seed, which
splits, and the yes/no results the rates count. A graded :class:`CompetitionReport` gives one
(:func:`outcomes_of`), and so does a tracked attempt's metrics
(:func:`mle_track.tracking.queries.outcomes_of_frame`), so ``mle-track grade``, a sweep's parent
run and ``mle-track report`` apply the same rules without pretending one is the other.

Outcomes are grouped per competition and ordered by seed (ties keep the order given); the k-th
outcome of a competition is its seed k. For each seed the rates are percentages over the split's
competitions; across seeds we report the mean and the standard error of the mean (sample standard
deviation, ddof=1, over √n; 0 for one seed). Competitions with fewer outcomes than the others are
padded with failures, so a missing attempt counts against the agent rather than vanishing from
the denominator. pass@k is the share of competitions where at least one of the first k seeds won
a medal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mle_track.grading.report import CompetitionReport

#: the yes/no results whose percentages are reported, in the report's order
RATES = (
    "any_medal",
    "gold_medal",
    "silver_medal",
    "bronze_medal",
    "above_median",
    "valid_submission",
    "submission_exists",
)
OVERALL = "overall"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What the aggregates need of one attempt, and nothing they would have to make up."""

    competition_id: str
    #: orders a competition's attempts; equal seeds keep the order they were given in
    seed: int = 0
    splits: tuple[str, ...] = ()
    any_medal: bool
    gold_medal: bool
    silver_medal: bool
    bronze_medal: bool
    above_median: bool
    valid_submission: bool
    submission_exists: bool


def outcome_of(report: CompetitionReport, seed: int = 0) -> Outcome:
    return Outcome(
        competition_id=report.competition_id,
        seed=seed,
        splits=report.splits,
        **{name: bool(getattr(report, name)) for name in RATES},
    )


def outcomes_of(reports: Iterable[CompetitionReport]) -> list[Outcome]:
    """Outcomes of graded reports; a competition's k-th report is its seed k."""
    seen: dict[str, int] = {}
    out = []
    for report in reports:
        seed = seen.get(report.competition_id, 0)
        seen[report.competition_id] = seed + 1
        out.append(outcome_of(report, seed))
    return out


@dataclass(frozen=True)
class MeanSem:
    """A percentage over seeds: mean, standard error and the normal 95 % interval."""

    mean: float
    sem: float
    ci_lower: float
    ci_upper: float

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "sem": self.sem, "ci_lower": self.ci_lower,
                "ci_upper": self.ci_upper}  # fmt: skip


def mean_sem(values: Sequence[float]) -> MeanSem:
    array = np.asarray(values, dtype=np.float64)
    mean = float(array.mean()) if array.size else math.nan
    sem = float(array.std(ddof=1) / math.sqrt(array.size)) if array.size > 1 else 0.0
    return MeanSem(mean, sem, mean - 1.96 * sem, mean + 1.96 * sem)


@dataclass(frozen=True)
class SplitStats:
    """MLE-bench's aggregates over one set of competitions (a split, or all of them)."""

    num_competitions: int
    num_seeds: int
    padded_missing_attempts: int
    any_medal_pct: MeanSem
    gold_medal_pct: MeanSem
    silver_medal_pct: MeanSem
    bronze_medal_pct: MeanSem
    above_median_pct: MeanSem
    valid_submission_pct: MeanSem
    submission_exists_pct: MeanSem
    #: k (as text, the JSON key) → % of competitions with a medal in the first k seeds
    pass_at_k: dict[str, float]

    def rates(self) -> dict[str, MeanSem]:
        """Every rate by its field name (``any_medal_pct`` …), in the report's order."""
        return {f"{name}_pct": getattr(self, f"{name}_pct") for name in RATES}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the grading report's ``splits`` entries."""
        return {
            "num_competitions": self.num_competitions,
            "num_seeds": self.num_seeds,
            "padded_missing_attempts": self.padded_missing_attempts,
            **{name: value.to_dict() for name, value in self.rates().items()},
            "pass_at_k": dict(self.pass_at_k),
        }


def by_competition(outcomes: Iterable[Outcome]) -> dict[str, list[Outcome]]:
    """Outcomes per competition (first-seen order), each list ordered by seed."""
    grouped: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        grouped.setdefault(outcome.competition_id, []).append(outcome)
    return {cid: sorted(group, key=lambda o: o.seed) for cid, group in grouped.items()}


def seed_rates(grouped: dict[str, list[Outcome]]) -> tuple[list[dict[str, float]], int]:
    """Per-seed percentages (padding missing seeds with failures) and the number padded."""
    n_seeds = max((len(v) for v in grouped.values()), default=0)
    padded = sum(n_seeds - len(v) for v in grouped.values())
    rates = []
    for seed in range(n_seeds):
        row = {}
        for name in RATES:
            hits = sum(bool(getattr(v[seed], name)) for v in grouped.values() if seed < len(v))
            row[name] = 100.0 * hits / len(grouped)
        rates.append(row)
    return rates, padded


def pass_at_k(grouped: dict[str, list[Outcome]], k: int) -> float:
    """Percentage of competitions with a medal in at least one of their first k seeds."""
    if not grouped:
        return math.nan
    hits = sum(any(o.any_medal for o in v[:k]) for v in grouped.values())
    return 100.0 * hits / len(grouped)


def summarize(outcomes: Sequence[Outcome]) -> SplitStats:
    grouped = by_competition(outcomes)
    rates, padded = seed_rates(grouped)
    n_seeds = len(rates)
    means = {f"{name}_pct": mean_sem([r[name] for r in rates]) for name in RATES}
    return SplitStats(
        num_competitions=len(grouped),
        num_seeds=n_seeds,
        padded_missing_attempts=padded,
        pass_at_k={str(k): pass_at_k(grouped, k) for k in range(1, n_seeds + 1)},
        **means,
    )


def split_summaries(
    outcomes: Sequence[Outcome], splits: Iterable[str] | None = None
) -> dict[str, SplitStats]:
    """:func:`summarize` for every split the outcomes belong to, and for all of them together."""
    names = list(splits) if splits is not None else sorted({s for o in outcomes for s in o.splits})
    out = {name: summarize([o for o in outcomes if name in o.splits]) for name in names}
    out = {k: v for k, v in out.items() if v.num_competitions}
    if outcomes:
        out[OVERALL] = summarize(outcomes)
    return out


def summary_totals(reports: Sequence[CompetitionReport]) -> dict[str, int]:
    """MLE-bench's aggregate counts, plus how many submissions hit a grader error."""
    return {
        "total_runs": len(reports),
        "total_runs_with_submissions": sum(r.submission_exists for r in reports),
        "total_valid_submissions": sum(r.valid_submission for r in reports),
        "total_medals": sum(r.any_medal for r in reports),
        "total_gold_medals": sum(r.gold_medal for r in reports),
        "total_silver_medals": sum(r.silver_medal for r in reports),
        "total_bronze_medals": sum(r.bronze_medal for r in reports),
        "total_above_median": sum(r.above_median for r in reports),
        "total_grader_errors": sum(r.grader_error is not None for r in reports),
    }


@dataclass(frozen=True)
class GradingReport:
    """The batch report ``mle-track grade`` writes: totals, per-split rates, every report."""

    #: MLE-bench's ``total_*`` counts (see :func:`summary_totals`)
    totals: dict[str, int]
    splits: dict[str, SplitStats]
    competition_reports: tuple[CompetitionReport, ...]

    def to_dict(self) -> dict[str, Any]:
        """MLE-bench's report layout: the totals at the top level, then our splits, then the
        per-competition reports."""
        return {
            **self.totals,
            "splits": {name: stats.to_dict() for name, stats in self.splits.items()},
            "competition_reports": [r.to_dict() for r in self.competition_reports],
        }


def grading_report(
    reports: Sequence[CompetitionReport], splits: Iterable[str] | None = None
) -> GradingReport:
    """The batch report over graded submissions (a competition's k-th report is its seed k)."""
    return GradingReport(
        totals=summary_totals(reports),
        splits=split_summaries(outcomes_of(reports), splits),
        competition_reports=tuple(reports),
    )

"""Report fields, JSON without bare NaN, and the benchmark aggregates over seeds."""

from __future__ import annotations

import json
import math

import pytest

from mle_track.grading.aggregate import (
    RATES,
    Outcome,
    grading_report,
    outcome_of,
    outcomes_of,
    pass_at_k,
    split_summaries,
    summarize,
)
from mle_track.grading.report import CompetitionReport, to_json

MLE_BENCH_FIELDS = [
    "competition_id",
    "score",
    "gold_threshold",
    "silver_threshold",
    "bronze_threshold",
    "median_threshold",
    "any_medal",
    "gold_medal",
    "silver_medal",
    "bronze_medal",
    "above_median",
    "submission_exists",
    "valid_submission",
    "is_lower_better",
    "created_at",
    "submission_path",
]


def report(
    cid: str,
    *,
    medal: str | None = None,
    valid: bool = True,
    score: float | None = 1.0,
    splits: tuple[str, ...] = ("low",),
) -> CompetitionReport:
    return CompetitionReport(
        competition_id=cid,
        score=score if valid else None,
        gold_threshold=3.0,
        silver_threshold=2.0,
        bronze_threshold=1.0,
        median_threshold=0.5,
        any_medal=medal is not None,
        gold_medal=medal == "gold",
        silver_medal=medal == "silver",
        bronze_medal=medal == "bronze",
        above_median=medal is not None,
        submission_exists=True,
        valid_submission=valid,
        is_lower_better=False,
        created_at="2026-01-01T00:00:00",
        submission_path="/x.csv",
        metric="auroc",
        competition_version=1,
        splits=splits,
    )


def test_fields_start_with_mle_bench_report_in_order() -> None:
    keys = list(report("a").to_dict())
    assert keys[: len(MLE_BENCH_FIELDS)] == MLE_BENCH_FIELDS
    assert {"metric", "competition_version", "invalid_reason", "grader_error"} <= set(keys)


def test_json_round_trip_has_no_bare_nan() -> None:
    original = report("a", score=math.nan)
    text = to_json(original.to_dict())
    assert "NaN" not in text
    data = json.loads(text)
    assert data["score"] is None
    assert CompetitionReport.from_dict(data) == report("a", score=None)
    assert CompetitionReport.from_dict(report("b").to_dict()) == report("b")


def test_mean_and_sem_over_seeds_with_ddof_1() -> None:
    # two competitions, three seeds: medals per seed 2/2, 1/2, 0/2 -> 100, 50, 0 %
    reports = [
        report("a", medal="gold"),
        report("b", medal="bronze"),
        report("a", medal="silver"),
        report("b"),
        report("a"),
        report("b"),
    ]
    summary = summarize(outcomes_of(reports))
    assert summary.num_seeds == 3 and summary.num_competitions == 2
    medal = summary.any_medal_pct
    assert medal.mean == pytest.approx(50.0)
    assert medal.sem == pytest.approx(50.0 / math.sqrt(3))  # sd(100,50,0)=50
    assert summary.gold_medal_pct.mean == pytest.approx(100 / 6)
    assert summary.pass_at_k == {"1": 100.0, "2": 100.0, "3": 100.0}


def test_missing_seeds_count_as_failures() -> None:
    reports = [report("a", medal="gold"), report("b", medal="gold"), report("a", medal="gold")]
    summary = summarize(outcomes_of(reports))
    assert summary.padded_missing_attempts == 1
    assert summary.any_medal_pct.mean == pytest.approx(75.0)


def test_pass_at_k_counts_a_medal_in_any_of_the_first_k_seeds() -> None:
    from mle_track.grading.aggregate import by_competition

    reports = [report("a"), report("b"), report("a", medal="gold"), report("b")]
    grouped = by_competition(outcomes_of(reports))
    assert pass_at_k(grouped, 1) == 0.0 and pass_at_k(grouped, 2) == 50.0


def test_split_summaries_and_batch_report() -> None:
    reports = [report("a", medal="gold"), report("p", splits=("practice",))]
    splits = split_summaries(outcomes_of(reports))
    assert set(splits) == {"low", "practice", "overall"}
    assert splits["low"].any_medal_pct.mean == 100.0
    assert splits["overall"].any_medal_pct.mean == 50.0
    batch = grading_report(reports)
    assert batch.totals["total_runs"] == 2 and batch.totals["total_medals"] == 1
    assert batch.totals["total_gold_medals"] == 1 and batch.totals["total_grader_errors"] == 0
    json.loads(to_json(batch.to_dict()))


def test_the_batch_report_keeps_its_json_layout() -> None:
    """``mle-track grade``'s file: MLE-bench's totals first, then splits, then the reports."""
    reports = [report("a", medal="gold"), report("a"), report("p", splits=("practice",))]
    data = json.loads(to_json(grading_report(reports).to_dict()))
    totals = ["total_runs", "total_runs_with_submissions", "total_valid_submissions",
              "total_medals", "total_gold_medals", "total_silver_medals", "total_bronze_medals",
              "total_above_median", "total_grader_errors"]  # fmt: skip
    assert list(data) == [*totals, "splits", "competition_reports"]
    assert list(data["splits"]) == ["low", "practice", "overall"]
    rates = [f"{name}_pct" for name in RATES]
    low = data["splits"]["low"]
    assert list(low) == ["num_competitions", "num_seeds", "padded_missing_attempts", *rates,
                         "pass_at_k"]  # fmt: skip
    assert low["any_medal_pct"] == {"mean": 50.0, "sem": 50.0, "ci_lower": 50.0 - 1.96 * 50.0,
                                    "ci_upper": 50.0 + 1.96 * 50.0}  # fmt: skip
    assert low["pass_at_k"] == {"1": 100.0, "2": 100.0} and low["num_seeds"] == 2
    assert data["competition_reports"] == [r.to_dict() for r in reports]


def test_outcomes_of_reports_number_each_competitions_seeds_in_order() -> None:
    reports = [report("a", medal="gold"), report("b"), report("a", valid=False)]
    outcomes = outcomes_of(reports)
    assert [(o.competition_id, o.seed) for o in outcomes] == [("a", 0), ("b", 0), ("a", 1)]
    assert outcomes[0] == Outcome(
        competition_id="a", seed=0, splits=("low",), any_medal=True, gold_medal=True,
        silver_medal=False, bronze_medal=False, above_median=True, valid_submission=True,
        submission_exists=True,
    )  # fmt: skip
    assert outcome_of(reports[2], seed=7).seed == 7 and not outcomes[2].valid_submission


def test_seeds_follow_the_seed_field_not_the_order_given() -> None:
    def outcome(seed: int, medal: bool) -> Outcome:
        flags = dict.fromkeys(RATES, False) | {"any_medal": medal, "valid_submission": True}
        return Outcome(competition_id="a", seed=seed, splits=("low",), **flags)

    # seed 1 first in the input, yet pass@1 looks at seed 0 (no medal)
    summary = summarize([outcome(1, True), outcome(0, False)])
    assert summary.pass_at_k == {"1": 0.0, "2": 100.0}

"""Reading attempts back from MLflow as one table, and the benchmark aggregates over it.

One row per attempt run: its configuration (hash and labels), competition, splits, seed, status
and metrics. Aggregates reuse :mod:`mle_track.grading.aggregate` (the same rules the ``grade``
command reports), so a sweep's parent run, ``mle-track report`` and ``mle-track register`` can
never disagree about what a medal rate is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from mle_track.grading.aggregate import summarize
from mle_track.grading.report import CompetitionReport
from mle_track.tracking.record import BOOL_METRICS, LLM_METRICS

if TYPE_CHECKING:
    from mlflow import MlflowClient

PAGE = 10_000
SPLIT_ORDER = ("low", "medium", "high", "practice", "dev")
MLEBENCH_SPLITS = ("low", "medium", "high")
COLUMNS_FROM_TAGS = {
    "config_hash": "config_hash",
    "agent": "agent",
    "model": "model",
    "compute": "compute",
    "sandbox": "sandbox",
    "competition": "competition_id",
    "competition_version": "competition_version",
    "splits": "splits",
    "seed": "seed",
    "attempt_status": "attempt_status",
    "sweep": "sweep_id",
}
METRIC_COLUMNS = ("score", "normalized_score", *BOOL_METRICS, "runtime_s", *LLM_METRICS)

FRAME_COLUMNS = ["run_id", "status", "start_time", *COLUMNS_FROM_TAGS, *METRIC_COLUMNS]


def attempts_frame(
    client: MlflowClient, experiment_ids: Iterable[str], extra_filter: str = ""
) -> pd.DataFrame:
    """Every attempt run (runs tagged with an attempt key) of the experiments, as a table."""
    filters = ["tags.attempt_key != ''"]
    if extra_filter:
        filters.append(extra_filter)
    rows: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = client.search_runs(
            list(experiment_ids), " and ".join(filters), max_results=PAGE, page_token=token
        )
        for run in page:
            tags, metrics = run.data.tags, run.data.metrics
            row: dict[str, Any] = {
                "run_id": run.info.run_id,
                "status": run.info.status,
                "start_time": run.info.start_time,
            }
            row.update({col: tags.get(tag) for col, tag in COLUMNS_FROM_TAGS.items()})
            row.update({name: metrics.get(name) for name in METRIC_COLUMNS})
            rows.append(row)
        token = page.token
        if not token:
            break
    frame = pd.DataFrame(
        rows, columns=["run_id", "status", "start_time", *COLUMNS_FROM_TAGS, *METRIC_COLUMNS]
    )
    if not frame.empty:
        frame["seed"] = pd.to_numeric(frame["seed"], errors="coerce").fillna(0).astype(int)
    return frame


def finished(frame: pd.DataFrame) -> pd.DataFrame:
    """Finished attempts on the newest version of each competition: results on an older
    version (another split or leaderboard) are not comparable and would count as extra seeds."""
    done = frame[frame["status"] == "FINISHED"]
    if done.empty:
        return done
    version = pd.to_numeric(done["competition_version"], errors="coerce").fillna(0)
    newest = version.groupby(done["competition"]).transform("max")
    return done[version == newest]


def reports_of(frame: pd.DataFrame) -> list[CompetitionReport]:
    """Minimal reports rebuilt from attempt rows, ordered by seed within each competition."""
    reports = []
    for row in frame.sort_values(["competition", "seed", "start_time"]).itertuples(index=False):

        def flag(name: str, row: Any = row) -> bool:
            value = getattr(row, name)
            return bool(value) and not (isinstance(value, float) and math.isnan(value))

        reports.append(
            CompetitionReport(
                competition_id=str(row.competition), score=_number(row.score),
                gold_threshold=None, silver_threshold=None, bronze_threshold=None,
                median_threshold=None, any_medal=flag("any_medal"), gold_medal=flag("gold_medal"),
                silver_medal=flag("silver_medal"), bronze_medal=flag("bronze_medal"),
                above_median=flag("above_median"), submission_exists=flag("submission_exists"),
                valid_submission=flag("valid_submission"), is_lower_better=False, created_at="",
                submission_path="", splits=tuple(str(row.splits or "").split(",")),
            )
        )  # fmt: skip
    return reports


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def configuration_summaries(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Per agent configuration: labels, per-split and overall aggregates, cost and time."""
    out = []
    done = finished(frame)
    for config_hash, group in done.groupby("config_hash", sort=False):
        first = group.iloc[0]
        reports = reports_of(group)
        splits = sorted({s for r in reports for s in r.splits if s}, key=_split_rank)
        per_split = {s: summarize([r for r in reports if s in r.splits]) for s in splits}
        out.append(
            {
                "config_hash": config_hash,
                "agent": first["agent"],
                "model": first["model"],
                "compute": first["compute"],
                "sandbox": first["sandbox"],
                "attempts": len(group),
                "splits": per_split,
                "overall": summarize(reports),
                "all": _mlebench_all(reports),
                "mean_normalized_score": _mean(group["normalized_score"]),
                "mean_runtime_s": _mean(group["runtime_s"]),
                "total_cost_usd": float(pd.to_numeric(group["llm_cost_usd"]).fillna(0).sum()),
                "total_tokens": float(
                    pd.to_numeric(group["llm_input_tokens"]).fillna(0).sum()
                    + pd.to_numeric(group["llm_output_tokens"]).fillna(0).sum()
                ),
            }
        )
    return sorted(out, key=ranking_key)


def _mlebench_all(reports: list[CompetitionReport]) -> dict[str, Any] | None:
    """MLE-bench's "All": the low, medium and high splits together (practice and dev excluded)."""
    chosen = [r for r in reports if set(r.splits) & set(MLEBENCH_SPLITS)]
    return summarize(chosen) if chosen else None


def ranking_key(summary: dict[str, Any]) -> tuple[float, float, float]:
    """Best first: any-medal rate, then mean normalised score, then valid-submission rate
    (missing values count as worst)."""
    overall = summary["overall"]
    medal = overall["any_medal_pct"]["mean"]
    norm = summary["mean_normalized_score"]
    valid = overall["valid_submission_pct"]["mean"]
    return (-_or(medal, -1.0), -_or(norm, -math.inf), -_or(valid, -1.0))


def _or(value: float | None, default: float) -> float:
    return default if value is None or math.isnan(value) else float(value)


def _mean(series: pd.Series) -> float | None:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return float(values.mean()) if len(values) else None


def _split_rank(name: str) -> tuple[int, str]:
    return (SPLIT_ORDER.index(name) if name in SPLIT_ORDER else len(SPLIT_ORDER), name)


def label(summary: dict[str, Any]) -> str:
    model = summary["model"]
    model_part = f"/{model}" if model and model != "none" else ""
    return f"{summary['agent']}{model_part} [{summary['compute']}] {summary['config_hash']}"

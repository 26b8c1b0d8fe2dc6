"""Reading attempts back from MLflow as one table, and the benchmark aggregates over it.

One row per attempt run: its attempt key, configuration (hash and labels, the isolation it ran
under included), competition, splits, seed, status and metrics. Aggregates reuse
:mod:`mle_track.grading.aggregate` (the same rules the ``grade`` command reports) over
:class:`~mle_track.grading.aggregate.Outcome` values built from the rows' metrics, so a sweep's
parent run, ``mle-track report`` and ``mle-track register`` can never disagree about what a
medal rate is.

A store can hold two FINISHED runs of one attempt (two sweeps that ran it at once); only the one
that finished first counts, so a duplicate is never an extra seed. Rows are grouped by the
configuration hash *and* the isolation: the hash covers the isolation already, and grouping by
both keeps isolated and unisolated results apart even in a store whose tags disagree with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from mle_track.grading.aggregate import RATES, Outcome, SplitStats, summarize
from mle_track.names import BOOL_METRICS, LLM_METRICS, Metric, Tag

if TYPE_CHECKING:
    from mlflow import MlflowClient

PAGE = 10_000
SPLIT_ORDER = ("low", "medium", "high", "practice", "dev")
MLEBENCH_SPLITS = ("low", "medium", "high")
#: frame column → the tag it is read from
COLUMNS_FROM_TAGS = {
    "attempt_key": Tag.ATTEMPT_KEY,
    "config_hash": Tag.CONFIG_HASH,
    "agent": Tag.AGENT,
    "model": Tag.MODEL,
    "compute": Tag.COMPUTE,
    "sandbox": Tag.SANDBOX,
    "isolation": Tag.ISOLATION,
    "competition": Tag.COMPETITION_ID,
    "competition_version": Tag.COMPETITION_VERSION,
    "splits": Tag.SPLITS,
    "seed": Tag.SEED,
    "attempt_status": Tag.ATTEMPT_STATUS,
}
METRIC_COLUMNS = (
    Metric.SCORE,
    Metric.NORMALIZED_SCORE,
    *BOOL_METRICS,
    Metric.RUNTIME_S,
    *LLM_METRICS,
)
#: the run's own fields (times in milliseconds since the epoch)
RUN_COLUMNS = ("run_id", "status", "start_time", "end_time")
FRAME_COLUMNS = [*RUN_COLUMNS, *COLUMNS_FROM_TAGS, *METRIC_COLUMNS]
#: an Outcome's yes/no field → the 0/1 metric it is read from
RATE_METRICS = {
    "any_medal": Metric.ANY_MEDAL,
    "gold_medal": Metric.GOLD_MEDAL,
    "silver_medal": Metric.SILVER_MEDAL,
    "bronze_medal": Metric.BRONZE_MEDAL,
    "above_median": Metric.ABOVE_MEDIAN,
    "valid_submission": Metric.VALID_SUBMISSION,
    "submission_exists": Metric.SUBMISSION_EXISTS,
}
assert set(RATE_METRICS) == set(RATES) and set(RATE_METRICS.values()) <= set(METRIC_COLUMNS)


def attempts_frame(
    client: MlflowClient, experiment_ids: Iterable[str], extra_filter: str = ""
) -> pd.DataFrame:
    """Every attempt run (runs tagged with an attempt key) of the experiments, as a table."""
    filters = [f"tags.{Tag.ATTEMPT_KEY} != ''"]
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
                "end_time": run.info.end_time,
            }
            row.update({col: tags.get(tag) for col, tag in COLUMNS_FROM_TAGS.items()})
            row.update({name: metrics.get(name) for name in METRIC_COLUMNS})
            rows.append(row)
        token = page.token
        if not token:
            break
    return normalise(pd.DataFrame(rows, columns=FRAME_COLUMNS))


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """The column types both ways of reading the store agree on (seed an int, times numbers)."""
    if not frame.empty:
        frame["seed"] = pd.to_numeric(frame["seed"], errors="coerce").fillna(0).astype(int)
        frame["end_time"] = pd.to_numeric(frame["end_time"], errors="coerce")
    return frame


def finished(frame: pd.DataFrame) -> pd.DataFrame:
    """Finished attempts on the newest version of each competition, each attempt key once.

    Results on an older version (another split or leaderboard) are not comparable and would
    count as extra seeds, and so would a second run of the same attempt."""
    done = frame[frame["status"] == "FINISHED"]
    if done.empty:
        return done
    version = pd.to_numeric(done["competition_version"], errors="coerce").fillna(0)
    newest = version.groupby(done["competition"]).transform("max")
    return once_per_attempt(done[version == newest])


def once_per_attempt(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per attempt key: the run that finished first (then started first, then the
    smallest run id, so the choice never depends on the store's order). A row without a key
    stands for itself. Rows keep their order."""
    if frame.empty:
        return frame
    frame = frame.reset_index(drop=True)
    keys = frame["attempt_key"].astype(object)
    keys = keys.where(keys.notna() & (keys != ""), "run:" + frame["run_id"].astype(str))
    order = pd.DataFrame(
        {
            "key": keys,
            "end": pd.to_numeric(frame["end_time"], errors="coerce"),
            "start": pd.to_numeric(frame["start_time"], errors="coerce"),
            "run": frame["run_id"].astype(str),
        }
    ).sort_values(["end", "start", "run"], na_position="last")
    keep = order.index[~order["key"].duplicated()]
    return frame[frame.index.isin(keep)]


def outcomes_of_frame(frame: pd.DataFrame) -> list[Outcome]:
    """What the aggregates need of each attempt row, ordered by competition and seed."""
    ordered = frame.sort_values(["competition", "seed", "start_time"])
    columns = ["competition", "seed", "splits", *RATE_METRICS.values()]
    out = []
    for competition, seed, splits, *flags in ordered[columns].itertuples(index=False, name=None):
        out.append(
            Outcome(
                competition_id=str(competition),
                seed=int(seed),
                splits=tuple(s for s in str(splits or "").split(",") if s),
                **dict(zip(RATE_METRICS, map(_flag, flags), strict=True)),
            )
        )
    return out


def _flag(value: Any) -> bool:
    """A 0/1 metric as a yes/no; a missing metric (None or NaN) is a no."""
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Summary:
    """One agent configuration's aggregates over its finished attempts."""

    config_hash: str
    agent: str | None
    model: str | None
    compute: str | None
    sandbox: str | None
    #: how the attempts were isolated: ``none``, ``namespaces`` or ``docker`` (``None``: runs
    #: from before the ``sandbox.isolation`` tag, whose isolation is not known)
    isolation: str | None
    #: finished attempts counted (one per attempt key)
    attempts: int
    #: per split (low, medium, high, practice, dev), in that order
    splits: dict[str, SplitStats]
    overall: SplitStats
    #: MLE-bench's "All": low ∪ medium ∪ high; None when the configuration ran none of them
    mlebench_all: SplitStats | None
    mean_normalized_score: float | None
    mean_runtime_s: float | None
    total_cost_usd: float
    total_tokens: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape a registered champion's ``summary.json`` holds."""
        return {
            "config_hash": self.config_hash,
            "agent": self.agent,
            "model": self.model,
            "compute": self.compute,
            "sandbox": self.sandbox,
            "isolation": self.isolation,
            "attempts": self.attempts,
            "splits": {name: stats.to_dict() for name, stats in self.splits.items()},
            "overall": self.overall.to_dict(),
            "all": self.mlebench_all.to_dict() if self.mlebench_all is not None else None,
            "mean_normalized_score": self.mean_normalized_score,
            "mean_runtime_s": self.mean_runtime_s,
            "total_cost_usd": self.total_cost_usd,
            "total_tokens": self.total_tokens,
        }


def configuration_summaries(frame: pd.DataFrame) -> list[Summary]:
    """Per agent configuration: labels, per-split and overall aggregates, cost and time; best
    first (see :func:`ranking_key`)."""
    out = []
    done = finished(frame)
    for (config_hash, _), group in done.groupby(
        ["config_hash", "isolation"], sort=False, dropna=False
    ):
        first = group.iloc[0]
        outcomes = outcomes_of_frame(group)
        splits = sorted({s for o in outcomes for s in o.splits}, key=_split_rank)
        out.append(
            Summary(
                config_hash=str(config_hash),
                agent=first["agent"],
                model=first["model"],
                compute=first["compute"],
                sandbox=first["sandbox"],
                isolation=_optional(first["isolation"]),
                attempts=len(group),
                splits={s: summarize([o for o in outcomes if s in o.splits]) for s in splits},
                overall=summarize(outcomes),
                mlebench_all=_mlebench_all(outcomes),
                mean_normalized_score=_mean(group[Metric.NORMALIZED_SCORE]),
                mean_runtime_s=_mean(group[Metric.RUNTIME_S]),
                total_cost_usd=_total(group[Metric.LLM_COST_USD]),
                total_tokens=_total(group[Metric.LLM_INPUT_TOKENS])
                + _total(group[Metric.LLM_OUTPUT_TOKENS]),
            )
        )
    return sorted(out, key=ranking_key)


def _mlebench_all(outcomes: list[Outcome]) -> SplitStats | None:
    """MLE-bench's "All": the low, medium and high splits together (practice and dev excluded)."""
    chosen = [o for o in outcomes if set(o.splits) & set(MLEBENCH_SPLITS)]
    return summarize(chosen) if chosen else None


def ranking_key(summary: Summary) -> tuple[float, float, float]:
    """Best first: any-medal rate, then mean normalised score, then valid-submission rate
    (missing values count as worst)."""
    overall = summary.overall
    medal = overall.any_medal_pct.mean
    norm = summary.mean_normalized_score
    valid = overall.valid_submission_pct.mean
    return (-_or(medal, -1.0), -_or(norm, -math.inf), -_or(valid, -1.0))


def _optional(value: Any) -> str | None:
    """A tag value, or ``None`` when the run lacks the tag (None or NaN from a frame)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def is_isolated(summary: Summary) -> bool:
    """True when the configuration's attempts provably ran isolated (an unknown is not)."""
    return summary.isolation in ("namespaces", "docker")


def attempt_rows(frame: pd.DataFrame, summary: Summary) -> pd.DataFrame:
    """The finished runs a summary stands for (same hash and isolation)."""
    same = frame["config_hash"] == summary.config_hash
    isolation = frame["isolation"]
    if summary.isolation is None:
        same &= isolation.isna()
    else:
        same &= isolation == summary.isolation
    return frame[same & (frame["status"] == "FINISHED")]


def _or(value: float | None, default: float) -> float:
    return default if value is None or math.isnan(value) else float(value)


def _mean(series: pd.Series) -> float | None:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return float(values.mean()) if len(values) else None


def _total(series: pd.Series) -> float:
    return float(pd.to_numeric(series).fillna(0).sum())


def _split_rank(name: str) -> tuple[int, str]:
    return (SPLIT_ORDER.index(name) if name in SPLIT_ORDER else len(SPLIT_ORDER), name)


def label(summary: Summary) -> str:
    model = summary.model
    model_part = f"/{model}" if model and model != "none" else ""
    return f"{summary.agent}{model_part} [{summary.compute}] {summary.config_hash}"

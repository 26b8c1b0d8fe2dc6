"""The record of one attempt: everything that goes into its MLflow run, kept on disk first.

The record is written as ``attempt.json`` in the attempt's run directory before anything is sent
to MLflow. If the tracking server is unreachable, nothing is lost: ``mle-track sync`` rebuilds
the run from the record and the files beside it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mle_track import __version__
from mle_track.grading.report import CompetitionReport

RECORD_FILE = "attempt.json"
BOOL_METRICS = (
    "valid_submission",
    "submission_exists",
    "gold_medal",
    "silver_medal",
    "bronze_medal",
    "any_medal",
    "above_median",
)
THRESHOLD_METRICS = ("gold_threshold", "silver_threshold", "bronze_threshold", "median_threshold")
LLM_METRICS = ("llm_input_tokens", "llm_output_tokens", "llm_cost_usd")


@dataclass
class AttemptRecord:
    run_dir: str
    attempt_key: str
    config_hash: str
    params: dict[str, str]
    tags: dict[str, str]
    #: completed / failed / timeout / oom / error (harness) — the attempt, not the MLflow run
    status: str
    reason: str
    wall_time_s: float
    report: dict[str, Any] | None = None
    normalized_score: float | None = None
    llm: dict[str, float] = field(default_factory=dict)
    #: name → digest of the competition's prepared data, logged as a dataset input
    dataset: dict[str, str] = field(default_factory=dict)
    experiment: str = "mle-track"
    mlflow_run_id: str | None = None
    parent_run_id: str | None = None
    synced: bool = False
    step_metrics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def harness_failed(self) -> bool:
        """True when the harness could not carry the attempt out (the run is redone on resume)."""
        return self.status == "error"

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {"runtime_s": self.wall_time_s}
        report = CompetitionReport.from_dict(self.report) if self.report else None
        if report is not None:
            if report.score is not None and math.isfinite(report.score):
                out["score"] = report.score
            for name in BOOL_METRICS:
                out[name] = float(bool(getattr(report, name)))
            for name in THRESHOLD_METRICS:
                value = getattr(report, name)
                if value is not None:
                    out[name] = float(value)
        if self.normalized_score is not None and math.isfinite(self.normalized_score):
            out["normalized_score"] = self.normalized_score
        out["timed_out"] = float(self.status == "timeout")
        out.update({k: float(v) for k, v in self.llm.items()})
        return out

    def save(self) -> Path:
        path = Path(self.run_dir) / RECORD_FILE
        path.write_text(json.dumps(asdict(self), indent=2, allow_nan=False, default=str) + "\n")
        return path

    @classmethod
    def load(cls, run_dir: Path) -> AttemptRecord:
        data = json.loads((run_dir / RECORD_FILE).read_text())
        return cls(**data)


def base_tags(extra: dict[str, str]) -> dict[str, str]:
    from mle_track.tracking.provenance import git_sha

    return {"mle_track.version": __version__, "git_sha": git_sha() or "unknown", **extra}

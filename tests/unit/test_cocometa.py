"""The streaming COCO-metadata reader and writer against :mod:`json` itself, and the
per-category split against scikit-learn called the way MLE-bench calls it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from mle_track.competitions import cocometa

OBJECT = {
    "info": {"year": 2020, "description": "Jardín", "nested": {"b": [1, 2.5, None], "a": True}},
    "annotations": [{"image_id": i, "category_id": i % 3, "id": i} for i in range(5)],
    "images": [{"id": i, "file_name": f"images/{i}.jpg", "w": 0.5 * i} for i in range(5)],
    "empty": [],
    "licenses": [{"id": 0, "name": 'ø \n "q"'}],
}


@pytest.mark.parametrize("indent", [None, 2])
def test_read_keeps_small_values_and_the_spans_of_big_arrays(tmp_path: Path, indent: int) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(OBJECT, indent=indent, ensure_ascii=False), encoding="utf-8")
    meta = cocometa.read(path, {"annotations": ("image_id", "category_id"), "images": ("id",)})
    assert meta.keys == list(OBJECT)
    assert meta.values == {k: OBJECT[k] for k in ("info", "empty", "licenses")}
    assert meta.fields["annotations"]["category_id"] == [0, 1, 2, 0, 1]
    assert meta.fields["images"] == {"id": [0, 1, 2, 3, 4]}
    assert list(meta.entries("images", [3, 1])) == [OBJECT["images"][3], OBJECT["images"][1]]
    assert meta.count("annotations") == 5


def test_read_rejects_what_is_not_a_metadata_object(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"expected '\{'"):
        cocometa.read(path, {})
    path.write_text('{"images": [1]}')
    with pytest.raises(ValueError, match="not an object"):
        cocometa.read(path, {"images": ()})
    path.write_text('{"info": 1}')
    with pytest.raises(ValueError, match="no top-level images"):
        cocometa.read(path, {"images": ()})


def test_written_text_is_what_json_dump_writes(tmp_path: Path) -> None:
    obj = {**OBJECT, "images": cocometa.Items(iter(OBJECT["images"])), "empty2": cocometa.Items([])}
    cocometa.write_object(tmp_path / "a.json", obj)
    expected = json.dumps({**OBJECT, "empty2": []}, indent=4, sort_keys=True)
    assert (tmp_path / "a.json").read_text() == expected
    cocometa.write_list(tmp_path / "b.json", iter(OBJECT["images"]))
    assert (tmp_path / "b.json").read_text() == json.dumps(
        OBJECT["images"], indent=4, sort_keys=True
    )
    cocometa.write_list(tmp_path / "c.json", [])
    assert (tmp_path / "c.json").read_text() == "[]"
    cocometa.write_object(tmp_path / "d.json", {})
    assert (tmp_path / "d.json").read_text() == "{}"


def _reference_split(categories: list[int], size: float, keep_small: bool) -> tuple[list, list]:
    groups: dict[int, list[int]] = {}
    for index, category in enumerate(categories):
        groups.setdefault(category, []).append(index)
    train, test = [], []
    for members in groups.values():
        if keep_small and len(members) == 1:
            train.append(members)
            test.append([])
        elif keep_small and len(members) < 5:
            k = max(1, int(len(members) * size))
            train.append(members[:-k])
            test.append(members[-k:])
        else:
            left, right = train_test_split(members, test_size=size, random_state=0)
            train.append(left)
            test.append(right)
    return train, test


@pytest.mark.parametrize(("size", "keep_small"), [(0.2, True), (0.12, True), (0.2, False)])
def test_split_by_category_is_mle_benchs(size: float, keep_small: bool) -> None:
    rng = np.random.default_rng(0)
    low = 1 if keep_small else 2
    sizes = rng.integers(low, 30, 40)
    categories = [int(c) for c in rng.permutation(np.repeat(rng.permutation(1000)[:40], sizes))]
    train, test = cocometa.split_by_category(categories, size, keep_small=keep_small)
    expected_train, expected_test = _reference_split(categories, size, keep_small)
    assert list(train.values()) == expected_train and list(test.values()) == expected_test
    assert list(train) == list(dict.fromkeys(categories))  # first-appearance order


def test_shuffled_is_random_random_shuffle() -> None:
    items = list(range(50))
    expected = items.copy()
    random.Random(0).shuffle(expected)
    assert cocometa.shuffled(items) == expected and items == list(range(50))

"""COCO-style metadata of the FGVC competitions (Herbarium 2020-2022, iNaturalist 2019).

Their Kaggle downloads describe the images in one JSON object whose ``annotations`` and
``images`` arrays hold one entry per image (millions for Herbarium 2021), next to small
dataset-wide entries (``categories``, ``info``, ``licenses``, …). MLE-bench loads the whole
object with :func:`json.load`, splits per category and writes new objects with
``json.dump(..., indent=4, sort_keys=True)``. A loaded object of that size takes several
gigabytes of Python dicts, so here:

* :func:`read` keeps the file's text and, for each entry of the big arrays, only where its JSON
  starts and ends plus the few fields the split needs; an entry is decoded again only when it
  is written;
* :func:`write_object` and :func:`write_list` stream text that is byte for byte what
  ``json.dump(obj, indent=4, sort_keys=True)`` writes for the same object;
* :func:`split_by_category` is MLE-bench's per-category split, and :func:`shuffled` its
  ``random.Random(0).shuffle``.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
Entry = dict[str, Any]


@dataclass
class Metadata:
    """A metadata object: small entries decoded, big arrays kept as spans of the text."""

    text: str
    #: top-level keys in file order
    keys: list[str]
    #: the decoded value of every top-level key that is not a big array
    values: dict[str, Any]
    #: per big array, the (start, end) of each entry's JSON in ``text``
    spans: dict[str, NDArray[np.int64]]
    #: per big array and requested field, the field of each entry (None where absent)
    fields: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

    def entry(self, key: str, index: int) -> Entry:
        start, end = self.spans[key][index]
        value = json.loads(self.text[start:end])
        if not isinstance(value, dict):
            raise ValueError(f"entry {index} of {key!r} is not a JSON object")
        return value

    def entries(self, key: str, indices: Iterable[int]) -> Iterator[Entry]:
        return (self.entry(key, int(i)) for i in indices)

    def count(self, key: str) -> int:
        return len(self.spans[key])


def read(path: Path, wanted: Mapping[str, Sequence[str]], encoding: str = "utf-8") -> Metadata:
    """Read a top-level JSON object; ``wanted`` maps each big array to the entry fields to keep
    (``{"annotations": ("image_id", "category_id"), "images": ("id", "file_name")}``)."""
    text = path.read_text(encoding=encoding)
    position = _skip(text, 0)
    _expect(text, position, "{", path)
    position = _skip(text, position + 1)
    keys: list[str] = []
    values: dict[str, Any] = {}
    spans: dict[str, NDArray[np.int64]] = {}
    fields: dict[str, dict[str, list[Any]]] = {}
    if text.startswith("}", position):
        return Metadata(text, keys, values, spans, fields)
    while True:
        _expect(text, position, '"', path)
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        _expect(text, position, ":", path)
        position = _skip(text, position + 1)
        keys.append(key)
        if key in wanted:
            position, spans[key], fields[key] = _array(text, position, wanted[key], path)
        else:
            values[key], position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if text.startswith("}", position):
            break
        _expect(text, position, ",", path)
        position = _skip(text, position + 1)
    if _skip(text, position + 1) != len(text):
        raise ValueError(f"{path.name}: unexpected text after the top-level object")
    missing = [k for k in wanted if k not in spans]
    if missing:
        raise ValueError(f"{path.name}: no top-level {', '.join(missing)}")
    return Metadata(text, keys, values, spans, fields)


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _expect(text: str, position: int, char: str, path: Path) -> None:
    if not text.startswith(char, position):
        found = text[position : position + 20]
        raise ValueError(f"{path.name}: expected {char!r} at character {position}, found {found!r}")


def _array(
    text: str, position: int, names: Sequence[str], path: Path
) -> tuple[int, NDArray[np.int64], dict[str, list[Any]]]:
    _expect(text, position, "[", path)
    position = _skip(text, position + 1)
    starts: list[int] = []
    ends: list[int] = []
    columns: dict[str, list[Any]] = {name: [] for name in names}
    if text.startswith("]", position):
        return position + 1, np.empty((0, 2), dtype=np.int64), columns
    while True:
        value, end = _DECODER.raw_decode(text, position)
        if not isinstance(value, dict):
            raise ValueError(f"{path.name}: array entry at character {position} is not an object")
        starts.append(position)
        ends.append(end)
        for name in names:
            columns[name].append(value.get(name))
        position = _skip(text, end)
        if text.startswith("]", position):
            break
        _expect(text, position, ",", path)
        position = _skip(text, position + 1)
    return position + 1, np.column_stack([starts, ends]).astype(np.int64), columns


# ------------------------------------------------------------------------------------ writing


def _dump(value: Any, depth: int) -> str:
    """``value`` as json.dump(indent=4, sort_keys=True) writes it ``depth`` levels deep."""
    return json.dumps(value, indent=4, sort_keys=True).replace("\n", "\n" + "    " * depth)


def _write_items(out: IO[str], items: Iterable[Any], depth: int) -> None:
    """A JSON array of ``items`` at ``depth``, as json.dump(indent=4) lays it out."""
    inner = "\n" + "    " * (depth + 1)
    first = True
    for item in items:
        out.write(("[" if first else ",") + inner + _dump(item, depth + 1))
        first = False
    out.write("[]" if first else "\n" + "    " * depth + "]")


class Items:
    """A lazily produced array value for :func:`write_object` (entries written one by one)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def write_object(path: Path, obj: Mapping[str, Any]) -> None:
    """``json.dump(obj, f, indent=4, sort_keys=True)``, where a value may be :class:`Items`."""
    with path.open("w", encoding="utf-8") as out:
        if not obj:
            out.write("{}")
            return
        for number, key in enumerate(sorted(obj)):
            out.write(("{" if number == 0 else ",") + "\n    " + json.dumps(key) + ": ")
            value = obj[key]
            if isinstance(value, Items):
                _write_items(out, value.items, 1)
            else:
                out.write(_dump(value, 1))
        out.write("\n}")


def write_list(path: Path, items: Iterable[Any]) -> None:
    """``json.dump(list(items), f, indent=4, sort_keys=True)``, streamed."""
    with path.open("w", encoding="utf-8") as out:
        _write_items(out, items, 0)


# --------------------------------------------------------------------------------- the split


def by_category(categories: Sequence[Any]) -> dict[Any, list[int]]:
    """Entry indices grouped by category, categories in order of first appearance."""
    groups: dict[Any, list[int]] = {}
    for index, category in enumerate(categories):
        groups.setdefault(category, []).append(index)
    return groups


def split_by_category(
    categories: Sequence[Any], test_size: float, *, keep_small: bool
) -> tuple[dict[Any, list[int]], dict[Any, list[int]]]:
    """MLE-bench's per-category split: train and test entry indices per category.

    Every category with at least five entries goes through ``train_test_split(test_size,
    random_state=0)`` (its entries in file order). With ``keep_small`` (Herbarium 2020/2021,
    iNaturalist) a category of one entry stays in train and one of two to four sends its last
    ``max(1, int(n * test_size))`` entries to test; without it every category is split by
    ``train_test_split`` (which fails for a single entry).
    """
    from sklearn.model_selection import train_test_split

    cache: dict[int, tuple[list[int], list[int]]] = {}  # the split depends only on the size
    train: dict[Any, list[int]] = {}
    test: dict[Any, list[int]] = {}
    for category, indices in by_category(categories).items():
        n = len(indices)
        if keep_small and n == 1:
            train[category], test[category] = indices, []
        elif keep_small and n < 5:
            cut = n - max(1, int(n * test_size))
            train[category], test[category] = indices[:cut], indices[cut:]
        else:
            if n not in cache:
                left, right = train_test_split(list(range(n)), test_size=test_size, random_state=0)
                cache[n] = (list(left), list(right))
            left, right = cache[n]
            train[category] = [indices[i] for i in left]
            test[category] = [indices[i] for i in right]
    return train, test


def shuffled(items: Sequence[int], seed: int = 0) -> list[int]:
    """``items`` in the order ``random.Random(seed).shuffle`` leaves a copy of them."""
    out = list(items)
    random.Random(seed).shuffle(out)
    return out

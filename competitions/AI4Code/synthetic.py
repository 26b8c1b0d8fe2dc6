"""A tiny raw dataset in the shape of Kaggle's AI4Code download.

Kaggle ships ``train/<id>.json`` and ``test/<id>.json`` (one notebook each: ``cell_type`` and
``source`` objects keyed by 8-hex-digit cell ids, code cells in their true order followed by the
markdown cells shuffled), ``train_orders.csv`` (``id``, ``cell_order``: the true order),
``train_ancestors.csv`` (``id``, ``ancestor_id``, ``parent_id``, often empty) and
``sample_submission.csv``. Notebook ids are 14 hex digits. Here there are 140 notebooks in about
100 ancestor groups (up to 4 forks of one notebook).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import test_size

N_NOTEBOOKS, N_KAGGLE_TEST = 140, 3

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train": None,
    "public/test": None,
    "public/train_orders.csv": ["id", "cell_order"],
    "public/train_ancestors.csv": ["id", "ancestor_id", "parent_id"],
    "public/sample_submission.csv": ["id", "cell_order"],
    "private/test_orders.csv": ["id", "cell_order"],
}


def _hex(rng: np.random.Generator, digits: int) -> str:
    return rng.bytes(digits // 2).hex()


def _notebook(rng: np.random.Generator) -> tuple[dict[str, dict[str, str]], str]:
    """A notebook as Kaggle stores it, and its true cell order."""
    kinds = ["code"] * int(rng.integers(2, 7)) + ["markdown"] * int(rng.integers(1, 5))
    rng.shuffle(kinds)
    cells = [_hex(rng, 8) for _ in kinds]
    sources = {
        c: (f"x = {i}" if k == "code" else f"# step {i}")
        for i, (c, k) in enumerate(zip(cells, kinds, strict=True))
    }
    code = [c for c, k in zip(cells, kinds, strict=True) if k == "code"]
    markdown = [c for c, k in zip(cells, kinds, strict=True) if k == "markdown"]
    stored = code + [markdown[i] for i in rng.permutation(len(markdown))]
    kind_of = dict(zip(cells, kinds, strict=True))
    notebook = {
        "cell_type": {c: kind_of[c] for c in stored},
        "source": {c: sources[c] for c in stored},
    }
    return notebook, " ".join(cells)


def _write(folder: Path, notebook_id: str, notebook: dict[str, dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{notebook_id}.json").write_text(json.dumps(notebook), encoding="utf-8")


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [_hex(rng, 14) for _ in range(N_NOTEBOOKS)]
    orders, ancestors = [], []
    ancestor = _hex(rng, 8)
    for i, notebook_id in enumerate(ids):
        if i == 0 or rng.random() < 0.7:  # a new family; otherwise a fork of the previous one
            ancestor = _hex(rng, 8)
            parent = _hex(rng, 14) if rng.random() < 0.2 else None
        else:
            parent = ids[i - 1]
        notebook, order = _notebook(rng)
        _write(raw / "train", notebook_id, notebook)
        orders.append((notebook_id, order))
        ancestors.append((notebook_id, ancestor, parent))
    pd.DataFrame(orders, columns=["id", "cell_order"]).to_csv(raw / "train_orders.csv", index=False)
    pd.DataFrame(ancestors, columns=["id", "ancestor_id", "parent_id"]).to_csv(
        raw / "train_ancestors.csv", index=False
    )
    kaggle_test = []
    for _ in range(N_KAGGLE_TEST):
        notebook_id = _hex(rng, 14)
        notebook, _ = _notebook(rng)
        _write(raw / "test", notebook_id, notebook)
        kaggle_test.append((notebook_id, " ".join(notebook["cell_type"])))
    pd.DataFrame(kaggle_test, columns=["id", "cell_order"]).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    read = {"dtype": str, "keep_default_na": False}
    orders = pd.read_csv(raw / "train_orders.csv", **read)
    raw_ancestors = pd.read_csv(raw / "train_ancestors.csv", **read)
    answers = pd.read_csv(private / "test_orders.csv", **read)
    train_orders = pd.read_csv(public / "train_orders.csv", **read)
    ancestors = pd.read_csv(public / "train_ancestors.csv", **read)
    sample = pd.read_csv(public / "sample_submission.csv", **read)
    assert len(answers) == test_size(N_NOTEBOOKS) == 20
    assert len(train_orders) + len(answers) == len(orders)
    assert set(train_orders["id"]).isdisjoint(answers["id"])
    # answers and public train orders keep the raw file's row order
    position = {i: n for n, i in enumerate(orders["id"])}
    assert answers["id"].map(position).is_monotonic_increasing
    assert train_orders["id"].map(position).is_monotonic_increasing
    assert (
        answers.merge(orders, on="id", suffixes=("", "_raw"))
        .eval("cell_order == cell_order_raw")
        .all()
    )
    # no family straddles the split; public ancestors keep the shuffled order minus the test ids
    family = dict(zip(raw_ancestors["id"], raw_ancestors["ancestor_id"], strict=True))
    assert {family[i] for i in answers["id"]}.isdisjoint(ancestors["ancestor_id"])
    shuffled = raw_ancestors.sample(frac=1, random_state=0)
    assert ancestors["id"].tolist() == [i for i in shuffled["id"] if i not in set(answers["id"])]
    # notebooks: byte copies; the sample is each test notebook's stored order
    assert {p.stem for p in (public / "test").iterdir()} == set(answers["id"])
    assert {p.stem for p in (public / "train").iterdir()} == set(train_orders["id"])
    assert sample["id"].tolist() == answers["id"].tolist()
    for notebook_id, stored, truth in zip(
        sample["id"], sample["cell_order"], answers["cell_order"], strict=True
    ):
        text = (public / "test" / f"{notebook_id}.json").read_bytes()
        assert text == (raw / "train" / f"{notebook_id}.json").read_bytes()
        assert stored == " ".join(json.loads(text)["cell_type"])
        assert sorted(stored.split()) == sorted(truth.split())


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's rule: each cell_order is a permutation of its notebook's cell ids."""
    first = str(sample.loc[0, "cell_order"]).split()

    def with_first(cells: list[str]) -> pd.DataFrame:
        changed = sample.copy()
        changed.loc[0, "cell_order"] = " ".join(cells)
        return changed

    reason = "not an ordering of their notebook's cell ids"
    return [
        ("a cell left out", with_first(first[:-1]), reason),
        ("a cell twice", with_first([*first[:-1], first[0]]), "appears more than once"),
        ("an unknown cell", with_first([*first[:-1], "ffffffff"]), "is not in the notebook"),
        ("an extra cell", with_first([*first, "ffffffff"]), reason),
        ("empty cell order", with_first([]), "empty value"),
    ]

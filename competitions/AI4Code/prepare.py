"""Google AI4Code: MLE-bench's ancestor-grouped split of Kaggle's labelled notebooks.

Kaggle's test notebooks come without orders, so the labelled ``train/`` notebooks are split. The
rows of ``train_ancestors.csv`` are shuffled (pandas ``sample(frac=1, random_state=0)``) and
grouped by ``ancestor_id`` in order of first appearance; walking the groups once, a whole group
goes to the test side while it still fits in the test size, otherwise to train (so forks of one
notebook never straddle the split). The notebook JSON files are hard-linked unchanged: a test
notebook keeps its code cells in order and its markdown cells shuffled after them, and the sample
submission is exactly that stored order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_files

ID, TARGET = "id", "cell_order"
#: MLE-bench's fixed number of test notebooks, out of Kaggle's 139,256 labelled ones
TEST_NOTEBOOKS = 20_000
KAGGLE_NOTEBOOKS = 139_256
#: below this many notebooks the data is a small test fixture: the test side keeps the real
#: data's share (20,000 / 139,256) and the exact-size assertions are skipped
REAL_SCALE = 100_000


def test_size(n_notebooks: int) -> int:
    if n_notebooks >= REAL_SCALE:
        return TEST_NOTEBOOKS
    return max(1, n_notebooks * TEST_NOTEBOOKS // KAGGLE_NOTEBOOKS)


def split_by_ancestor(ancestors: pd.DataFrame, size: int) -> tuple[list[str], list[str]]:
    """Train and test notebook ids: whole ancestor groups, first-come, while the test side fits."""
    groups: dict[object, list[str]] = {}
    for row, (notebook, ancestor) in enumerate(
        zip(ancestors[ID].tolist(), ancestors["ancestor_id"].tolist(), strict=True)
    ):
        # a missing ancestor is a group of its own, as a NaN key never equals another
        key = ancestor if ancestor == ancestor else ("no ancestor", row)
        groups.setdefault(key, []).append(notebook)
    train: list[str] = []
    test: list[str] = []
    for members in groups.values():
        if len(test) + len(members) <= size:
            test.extend(members)
        else:
            train.extend(members)
    return train, test


def stored_order(notebook: Path) -> str:
    """The cell ids of a notebook JSON in the order they are stored (code first, then markdown)."""
    with notebook.open(encoding="utf-8") as handle:
        cells = json.load(handle)["cell_type"]
    return " ".join(cells)


def prepare(raw: Path, public: Path, private: Path) -> None:
    ancestors = pd.read_csv(raw / "train_ancestors.csv", dtype=str, keep_default_na=True)
    ancestors = ancestors.sample(frac=1, random_state=0).reset_index(drop=True)
    size = test_size(len(ancestors))
    train_ids, test_ids = split_by_ancestor(ancestors, size)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    link_files((f"{i}.json" for i in train_ids), raw / "train", public / "train")
    link_files((f"{i}.json" for i in test_ids), raw / "train", public / "test")

    orders = pd.read_csv(raw / "train_orders.csv", dtype=str, keep_default_na=False)
    test_set = set(test_ids)
    in_test = orders[ID].isin(test_set)
    orders[orders[ID].isin(set(train_ids))].to_csv(public / "train_orders.csv", index=False)
    answers = orders[in_test]
    answers.to_csv(private / "test_orders.csv", index=False)
    ancestors[~ancestors[ID].isin(test_set)].to_csv(public / "train_ancestors.csv", index=False)

    sample = pd.DataFrame(
        {
            ID: answers[ID].to_numpy(),
            TARGET: [stored_order(public / "test" / f"{i}.json") for i in answers[ID]],
        }
    )
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert len(train_ids) + len(test_ids) == len(ancestors)
    assert set(train_ids).isdisjoint(test_set), "train and test share notebooks"
    assert len(answers) == len(test_ids) == len(sample), "every test notebook needs its order"
    if len(ancestors) >= REAL_SCALE:
        assert len(test_ids) == TEST_NOTEBOOKS, f"{len(test_ids)} test notebooks"
        assert len(train_ids) == len(ancestors) - TEST_NOTEBOOKS
    else:
        assert 0 < len(test_ids) <= size

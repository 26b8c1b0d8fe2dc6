"""Herbarium 2021 (Half-Earth): a per-species split of Kaggle's labelled specimens.

As in MLE-bench: ``train/metadata.json`` (read as UTF-8) pairs ``annotations[i]`` with
``images[i]``. Per ``category_id`` (in order of first appearance, entries in file order) a
species of one specimen stays in train, one of two to four sends its last specimen to test,
and a larger one is split by ``train_test_split(test_size=0.2, random_state=0)``. The train
entries, grouped by species, replace ``annotations`` and ``images`` of the original object
(all other keys kept) in ``public/train/metadata.json``; images keep their ids and file names.
The test entries, concatenated by species and shuffled by ``random.Random(0)``, are
renumbered: entry ``k`` gets id ``"k"`` and ``images/{k // 1000:03d}/{k}.jpg``;
``public/test/metadata.json`` holds only ``images``, ``info`` and ``licenses``. Both files are
written as ``json.dump(indent=4, sort_keys=True)`` writes them. Kaggle's own test set is not
used; images are hard-linked. Herbarium 2020's preparation is the same but for its paths
(``nybg2020/``), its Latin-1 reading and its dataset-wide key (``regions``).
"""

from __future__ import annotations

from pathlib import Path

from mle_track.competitions import herbarium


def prepare(raw: Path, public: Path, private: Path) -> None:
    herbarium.prepare_split(
        raw / "train",
        public / "train",
        public / "test",
        public,
        private,
        encoding="utf-8",
        dataset_key="institutions",
    )

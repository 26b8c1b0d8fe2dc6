"""Split the Flavia leaf-shape table into a 32-species practice competition.

The source table is sorted by species, so rows are shuffled by the stratified split before ids
are assigned. Answers are one-hot (id + one 0/1 column per species, species in alphabetical
order), the layout MLE-bench uses for its multi-class log-loss competitions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import numbered_split

LABEL = "species"


def prepare(raw: Path, public: Path, private: Path) -> None:
    leaves = pd.read_pickle(raw / "leaf_id_flavia.pkl.xz", compression="xz")
    leaves = leaves.drop(columns=["rownames"])
    species = sorted(leaves[LABEL].unique())
    assert len(species) == 32, f"expected 32 species, found {len(species)}"
    features = [c for c in leaves.columns if c != LABEL]

    train, test = numbered_split(leaves, test_size=0.2, stratify=leaves[LABEL])

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train[["id", *features, LABEL]].to_csv(public / "train.csv", index=False)
    test[["id", *features]].to_csv(public / "test.csv", index=False)

    one_hot = pd.DataFrame({"id": test["id"]})
    for name in species:
        one_hot[name] = (test[LABEL] == name).astype(int)
    one_hot.to_csv(private / "test.csv", index=False)
    # Uniform probabilities: a valid submission that knows nothing (log loss = ln 32).
    sample = pd.DataFrame({"id": test["id"]})
    for name in species:
        sample[name] = 1 / len(species)
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(leaves) == 1907
    assert set(train["id"]).isdisjoint(test["id"])
    assert set(train[LABEL]) == set(species), "every species must appear in train"
    assert (one_hot[species].sum(axis=1) == 1).all()
    assert list(sample.columns) == list(one_hot.columns)

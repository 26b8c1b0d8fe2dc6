"""Predicting Molecular Properties (CHAMPS): MLE-bench's 90/10 re-split of Kaggle's molecules.

Kaggle's test couplings were never released, so the molecules of ``train.csv`` are split: the
per-molecule groups in ascending name order go through ``train_test_split(test_size=0.1,
random_state=0)``, and each side is the concatenation of its groups in the returned order (rows of
a molecule in file order). Splitting the sorted names draws the same permutation as splitting the
groups, and a stable sort by each molecule's position in that order puts the rows where
concatenating the groups would.

``structures.csv``, the five supplementary tables and the ``structures/<molecule>.xyz`` files are
published for the new training molecules only, as MLE-bench publishes them: the test molecules'
structures are missing (MLE-bench's known issue, kept in version 1).

Memory: ``train.csv`` (4.7 million rows) is read with the two text columns as categories (a few
hundred MB); every other table is filtered in chunks of a million rows and appended to its output,
each column read with the type pandas infers for the whole file (a first pass over the chunks
finds it), so the text written is what one whole-file read and write would produce.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file

ID, MOLECULE, TYPE, TARGET = "id", "molecule_name", "type", "scalar_coupling_constant"
TEST_SIZE = 0.1
CHUNK_ROWS = 1_000_000
PER_MOLECULE = [
    "structures.csv",
    "dipole_moments.csv",
    "magnetic_shielding_tensors.csv",
    "mulliken_charges.csv",
    "potential_energy.csv",
    "scalar_coupling_contributions.csv",
]


def split_molecules(couplings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    names = np.array(sorted(couplings[MOLECULE].unique()), dtype=object)
    train_names, test_names = train_test_split(names, test_size=TEST_SIZE, random_state=0)
    rank = pd.Series(np.arange(len(names)), index=[*train_names, *test_names])
    position = rank.reindex(couplings[MOLECULE].astype(str)).to_numpy()
    order = np.argsort(position, kind="stable")
    n_train_rows = int((position < len(train_names)).sum())
    ordered = couplings.iloc[order]
    return ordered.iloc[:n_train_rows], ordered.iloc[n_train_rows:]


def whole_file_dtypes(path: Path) -> dict[str, str]:
    """The dtype pandas gives each column when it reads the whole file: text if any chunk has
    text, else a float if any chunk has a float, else the chunks' integer type."""
    seen: dict[str, set[str]] = {}
    for chunk in pd.read_csv(path, chunksize=CHUNK_ROWS, float_precision="round_trip"):
        for name, dtype in chunk.dtypes.items():
            seen.setdefault(str(name), set()).add(dtype.kind)
    result = {}
    for name, kinds in seen.items():
        if kinds & {"O", "b"} or len(kinds - {"i", "f"}) > 0:
            result[name] = "object"
        elif "f" in kinds:
            result[name] = "float64"
        else:
            result[name] = "int64"
    return result


def filter_by_molecule(source: Path, target: Path, keep: set[str]) -> set[str]:
    """Write the rows of ``source`` whose molecule is in ``keep`` (file order) to ``target``;
    returns the molecules written."""
    dtypes = whole_file_dtypes(source)
    written: set[str] = set()
    with target.open("w", encoding="utf-8", newline="") as out:
        chunks = pd.read_csv(
            source, chunksize=CHUNK_ROWS, dtype=dtypes, float_precision="round_trip"
        )
        for number, chunk in enumerate(chunks):
            kept = chunk[chunk[MOLECULE].isin(keep)]
            kept.to_csv(out, index=False, header=number == 0)
            written.update(kept[MOLECULE].unique())
    return written


def prepare(raw: Path, public: Path, private: Path) -> None:
    couplings = pd.read_csv(
        raw / "train.csv",
        dtype={MOLECULE: "category", TYPE: "category"},
        float_precision="round_trip",
    )
    train, answers = split_molecules(couplings)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    answers[[ID]].assign(**{TARGET: 0}).to_csv(public / "sample_submission.csv", index=False)

    train_molecules = set(train[MOLECULE].astype(str).unique())
    for name in PER_MOLECULE:
        written = filter_by_molecule(raw / name, public / name, train_molecules)
        assert written == train_molecules, f"{name} does not cover exactly the train molecules"
    for molecule in sorted(train_molecules):
        link_file(raw / "structures" / f"{molecule}.xyz", public / "structures" / f"{molecule}.xyz")

    test_molecules = set(answers[MOLECULE].astype(str).unique())
    assert train_molecules.isdisjoint(test_molecules), "a molecule is on both sides"
    assert set(train[ID]).isdisjoint(answers[ID]) and len(train) + len(answers) == len(couplings)
    assert list(couplings.columns) == [ID, MOLECULE, "atom_index_0", "atom_index_1", TYPE, TARGET]
    assert len(list((public / "structures").glob("*.xyz"))) == len(train_molecules)

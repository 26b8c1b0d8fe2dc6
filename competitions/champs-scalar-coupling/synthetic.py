"""A tiny raw dataset in the shape of Kaggle's champs-scalar-coupling download.

Kaggle ships ``train.csv`` (``id``, ``molecule_name`` such as ``dsgdb9nsd_000001``,
``atom_index_0``, ``atom_index_1``, ``type`` such as ``1JHC``, ``scalar_coupling_constant``),
``test.csv``, ``sample_submission.csv``, ``structures.csv`` and ``structures/<molecule>.xyz`` (for
train and test molecules), and five tables for the training molecules only:
``dipole_moments.csv``, ``magnetic_shielding_tensors.csv``, ``mulliken_charges.csv``,
``potential_energy.csv`` and ``scalar_coupling_contributions.csv``. Here: 30 training molecules of
3-6 atoms with 2-7 couplings each (rows not sorted by molecule name, so the split's regrouping
shows), and 4 Kaggle test molecules.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST = 30, 4
TYPES = ["1JHC", "1JHN", "2JHC", "2JHH", "2JHN", "3JHC", "3JHH", "3JHN"]
ATOMS = ["H", "C", "N", "O"]
TENSOR = ["XX", "YX", "ZX", "XY", "YY", "ZY", "XZ", "YZ", "ZZ"]
COUPLING_COLUMNS = ["id", "molecule_name", "atom_index_0", "atom_index_1", "type"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": [*COUPLING_COLUMNS, "scalar_coupling_constant"],
    "public/test.csv": COUPLING_COLUMNS,
    "public/sample_submission.csv": ["id", "scalar_coupling_constant"],
    "public/structures.csv": ["molecule_name", "atom_index", "atom", "x", "y", "z"],
    "public/dipole_moments.csv": ["molecule_name", "X", "Y", "Z"],
    "public/magnetic_shielding_tensors.csv": ["molecule_name", "atom_index", *TENSOR],
    "public/mulliken_charges.csv": ["molecule_name", "atom_index", "mulliken_charge"],
    "public/potential_energy.csv": ["molecule_name", "potential_energy"],
    "public/scalar_coupling_contributions.csv": [
        "molecule_name",
        "atom_index_0",
        "atom_index_1",
        "type",
        "fc",
        "sd",
        "pso",
        "dso",
    ],
    "public/structures": None,
    "private/answers.csv": [*COUPLING_COLUMNS, "scalar_coupling_constant"],
}


def _round(values: np.ndarray) -> np.ndarray:
    return np.round(values, 6)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = rng.choice(np.arange(1, 200), N_TRAIN + N_KAGGLE_TEST, replace=False)
    names = [f"dsgdb9nsd_{n:06d}" for n in numbers]
    structures, couplings, contributions = [], [], []
    dipoles, tensors, charges, energies = [], [], [], []
    (raw / "structures").mkdir()
    for index, name in enumerate(names):
        n_atoms = int(rng.integers(3, 7))
        atoms = ["C", *rng.choice(ATOMS, n_atoms - 1).tolist()]
        xyz = _round(rng.normal(0, 1.5, (n_atoms, 3)))
        lines = [str(n_atoms), ""] + [
            f"{a} {x} {y} {z}" for a, (x, y, z) in zip(atoms, xyz, strict=True)
        ]
        (raw / "structures" / f"{name}.xyz").write_text("\n".join(lines) + "\n")
        structures += [(name, i, a, *xyz[i]) for i, a in enumerate(atoms)]
        if index >= N_TRAIN:
            continue
        pairs = [(i, j) for i in range(n_atoms) for j in range(n_atoms) if i != j]
        chosen = rng.choice(len(pairs), int(rng.integers(2, min(8, len(pairs)) + 1)), replace=False)
        for k in chosen:
            i, j = pairs[int(k)]
            kind = str(rng.choice(TYPES))
            parts = _round(rng.normal(0, [20, 0.3, 0.5, 0.5]))
            couplings.append((name, i, j, kind, float(_round(np.array([parts.sum()]))[0])))
            contributions.append((name, i, j, kind, *parts))
        dipoles.append((name, *_round(rng.normal(0, 1, 3))))
        energies.append((name, float(_round(rng.normal(-400, 20, 1))[0])))
        for i in range(n_atoms):
            tensors.append((name, i, *_round(rng.normal(100, 50, 9))))
            charges.append((name, i, float(_round(rng.normal(0, 0.3, 1))[0])))
    order = rng.permutation(len(couplings))  # Kaggle's file is not sorted by molecule name
    train = pd.DataFrame(
        [couplings[i] for i in order], columns=[*COUPLING_COLUMNS[1:], "scalar_coupling_constant"]
    )
    train.insert(0, "id", np.arange(len(train)))
    train.to_csv(raw / "train.csv", index=False)
    pd.DataFrame(structures, columns=["molecule_name", "atom_index", "atom", "x", "y", "z"]).to_csv(
        raw / "structures.csv", index=False
    )
    pd.DataFrame(dipoles, columns=["molecule_name", "X", "Y", "Z"]).to_csv(
        raw / "dipole_moments.csv", index=False
    )
    pd.DataFrame(tensors, columns=["molecule_name", "atom_index", *TENSOR]).to_csv(
        raw / "magnetic_shielding_tensors.csv", index=False
    )
    pd.DataFrame(charges, columns=["molecule_name", "atom_index", "mulliken_charge"]).to_csv(
        raw / "mulliken_charges.csv", index=False
    )
    pd.DataFrame(energies, columns=["molecule_name", "potential_energy"]).to_csv(
        raw / "potential_energy.csv", index=False
    )
    pd.DataFrame(
        [contributions[i] for i in order],
        columns=["molecule_name", "atom_index_0", "atom_index_1", "type", "fc", "sd", "pso", "dso"],
    ).to_csv(raw / "scalar_coupling_contributions.csv", index=False)
    test = pd.DataFrame(
        [(names[-1], 0, 1, "1JHC"), (names[-2], 0, 2, "2JHH")], columns=COUPLING_COLUMNS[1:]
    )
    test.insert(0, "id", np.arange(len(train), len(train) + len(test)))
    test.to_csv(raw / "test.csv", index=False)
    test[["id"]].assign(scalar_coupling_constant=0).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    train_mols, test_mols = set(train["molecule_name"]), set(answers["molecule_name"])
    assert len(test_mols) == 3 and len(train_mols) == 27 and train_mols.isdisjoint(test_mols)
    assert len(train) + len(answers) == len(original)
    # rows grouped by molecule (groups in the split's order), file order inside a group
    for frame in (train, answers):
        names = frame["molecule_name"].tolist()
        assert len({n for i, n in enumerate(names) if i == 0 or names[i - 1] != n}) == len(
            set(names)
        )
        for _, group in frame.groupby("molecule_name"):
            assert group["id"].is_monotonic_increasing
    pd.testing.assert_frame_equal(test, answers.drop(columns=["scalar_coupling_constant"]))
    assert sample["id"].tolist() == answers["id"].tolist()
    assert (sample["scalar_coupling_constant"] == 0).all()
    # the supplementary tables and structures cover the training molecules only (the known issue)
    for name in (
        "structures.csv",
        "dipole_moments.csv",
        "potential_energy.csv",
        "mulliken_charges.csv",
    ):
        assert set(pd.read_csv(public / name)["molecule_name"]) == train_mols, name
    assert {p.stem for p in (public / "structures").iterdir()} == train_mols


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Value rules (the library's numeric checks, applied by the custom grader)."""
    text = sample.astype({"scalar_coupling_constant": object})
    text.loc[0, "scalar_coupling_constant"] = "big"
    missing = sample.astype({"scalar_coupling_constant": float})
    missing.loc[0, "scalar_coupling_constant"] = np.nan
    return [
        ("text value", text, "must be numeric, found 'big'"),
        ("missing value", missing, "missing, NaN or infinite"),
        (
            "infinite value",
            sample.assign(scalar_coupling_constant=np.inf),
            "missing, NaN or infinite",
        ),
    ]

"""A small raw dataset in the shape of Kaggle's nomad2018-predict-transparent-conductors download.

Kaggle ships zips only: ``train.csv.zip`` (``train.csv``), ``train.zip``
(``train/<id>/geometry.xyz`` for ids 1 … N), the same pair for the test set, and
``sample_submission.csv.zip``.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mle_track.competitions.media import zip_csv, zip_members

N_TRAIN = 120
N_TEST = 30
FEATURES = [
    "spacegroup",
    "number_of_total_atoms",
    "percent_atom_al",
    "percent_atom_ga",
    "percent_atom_in",
    "lattice_vector_1_ang",
    "lattice_vector_2_ang",
    "lattice_vector_3_ang",
    "lattice_angle_alpha_degree",
    "lattice_angle_beta_degree",
    "lattice_angle_gamma_degree",
]
TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]


def _materials(rng: np.random.Generator, n: int) -> pd.DataFrame:
    al = np.round(rng.uniform(0, 1, size=n), 4)
    ga = np.round((1 - al) * rng.uniform(0, 1, size=n), 4)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "spacegroup": rng.choice([12, 33, 167, 194, 206, 227], size=n),
            "number_of_total_atoms": rng.choice([10.0, 20.0, 30.0, 40.0, 60.0, 80.0], size=n),
            "percent_atom_al": al,
            "percent_atom_ga": ga,
            "percent_atom_in": np.round(1 - al - ga, 4),
            "lattice_vector_1_ang": np.round(rng.uniform(3, 25, size=n), 4),
            "lattice_vector_2_ang": np.round(rng.uniform(3, 10, size=n), 4),
            "lattice_vector_3_ang": np.round(rng.uniform(5, 25, size=n), 4),
            "lattice_angle_alpha_degree": np.round(rng.uniform(89, 91, size=n), 4),
            "lattice_angle_beta_degree": np.round(rng.uniform(89, 106, size=n), 4),
            "lattice_angle_gamma_degree": np.round(rng.uniform(89, 121, size=n), 4),
        }
    )


def _geometry(rng: np.random.Generator, material: int) -> str:
    lines = ["#" + "=" * 40, f"# material {material}"]
    lines += [f"lattice_vector {rng.uniform(-9, 9):.8f} 0.0 0.0 " for _ in range(3)]
    lines += [f"atom {rng.uniform(0, 9):.8f} {rng.uniform(0, 9):.8f} 0.0 Ga" for _ in range(2)]
    return "\n".join(lines) + "\n"


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = _materials(rng, N_TRAIN)
    train["formation_energy_ev_natom"] = np.round(rng.uniform(0, 0.6, size=N_TRAIN), 4)
    train["bandgap_energy_ev"] = np.round(rng.uniform(0.1, 5.2, size=N_TRAIN), 4)
    test = _materials(rng, N_TEST)
    sample = pd.DataFrame({"id": test["id"], **dict.fromkeys(TARGETS, 0.1779)})
    zip_csv(train, raw / "train.csv.zip")
    zip_csv(test, raw / "test.csv.zip")
    zip_csv(sample, raw / "sample_submission.csv.zip")
    zip_members(
        raw / "train.zip", {f"train/{i}/geometry.xyz": _geometry(rng, i) for i in train["id"]}
    )
    zip_members(raw / "test.zip", {f"test/{i}/geometry.xyz": _geometry(rng, i) for i in test["id"]})


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", *FEATURES, *TARGETS],
    "public/test.csv": ["id", *FEATURES],
    "public/sample_submission.csv": ["id", *TARGETS],
    "private/test.csv": ["id", *FEATURES, *TARGETS],
    "public/train/1/geometry.xyz": None,
    "public/test/1/geometry.xyz": None,
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    with zipfile.ZipFile(raw / "train.csv.zip") as archive, archive.open("train.csv") as handle:
        original = pd.read_csv(handle)
    expected_train, expected_test = train_test_split(original, test_size=0.1, random_state=0)
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    test = pd.read_csv(public / "test.csv")
    assert len(answers) == len(test) == math.ceil(0.1 * len(original))
    # renumbered 1 … n on each side, rows in split order
    assert train["id"].tolist() == list(range(1, len(train) + 1))
    assert answers["id"].tolist() == test["id"].tolist() == list(range(1, len(test) + 1))
    columns = [*FEATURES, *TARGETS]
    pd.testing.assert_frame_equal(train[columns], expected_train[columns].reset_index(drop=True))
    pd.testing.assert_frame_equal(answers[columns], expected_test[columns].reset_index(drop=True))
    with zipfile.ZipFile(raw / "train.zip") as archive:
        for side, originals in (("train", expected_train), ("test", expected_test)):
            for new_id, old_id in enumerate(originals["id"], start=1):
                copied = (public / side / str(new_id) / "geometry.xyz").read_bytes()
                assert copied == archive.read(f"train/{old_id}/geometry.xyz")
            assert len(list((public / side).iterdir())) == len(originals)

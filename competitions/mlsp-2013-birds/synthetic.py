"""A tiny ``mlsp_contest_dataset.zip`` in the shape of Kaggle's, for the generic competition test.

50 recordings (40 labelled fold-0 ones, 10 hidden fold-1 ones), 19 species, a few hundred bytes
of WAV and 8×8 BMP per recording, the three rec_id-keyed supplemental text files, and
segmentation examples for only some recordings, as in the real archive.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image, random_samples, wav_bytes, zip_members

DATASET = "mlsp_contest_dataset"
N_SPECIES = 19
N_LABELLED, N_HIDDEN = 40, 10
SPECIES = [
    ("BRCR", "Brown Creeper"),
    ("PAWR", "Pacific Wren"),
    ("PSFL", "Pacific-slope Flycatcher"),
    ("RBNU", "Red-breasted Nuthatch"),
    ("DEJU", "Dark-eyed Junco"),
    ("OSFL", "Olive-sided Flycatcher"),
    ("HETH", "Hermit Thrush"),
    ("CBCH", "Chestnut-backed Chickadee"),
    ("VATH", "Varied Thrush"),
    ("HEWA", "Hermit Warbler"),
    ("SWTH", "Swainson's Thrush"),
    ("HAFL", "Hammond's Flycatcher"),
    ("WETA", "Western Tanager"),
    ("BHGB", "Black-headed Grosbeak"),
    ("GCKI", "Golden Crowned Kinglet"),
    ("WAVI", "Warbling Vireo"),
    ("MGWA", "MacGillivray's Warbler"),
    ("STJA", "Stellar's Jay"),
    ("CONI", "Common Nighthawk"),
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/essential_data/CVfolds_2.txt": ["rec_id", "fold"],
    "public/essential_data/rec_id2filename.txt": ["rec_id", "filename"],
    "public/essential_data/rec_labels_test_hidden.txt": None,
    "public/essential_data/species_list.txt": ["class_id", "code", "species"],
    "public/essential_data/src_wavs": None,
    "public/supplemental_data/filtered_spectrograms": None,
    "public/supplemental_data/segmentation_examples": None,
    "public/supplemental_data/spectrograms": None,
    "public/supplemental_data/supervised_segmentation": None,
    "public/supplemental_data/segment_clusters.bmp": None,
    "public/supplemental_data/segment_mosaic.bmp": None,
    "public/supplemental_data/histogram_of_segments.txt": None,
    "public/supplemental_data/segment_features.txt": None,
    "public/supplemental_data/segment_rectangles.txt": None,
    "public/sample_submission.csv": ["Id", "Probability"],
    "private/answers.csv": ["Id", "Probability"],
}


def _wav(rng: np.random.Generator) -> bytes:
    return wav_bytes(random_samples(rng, frames=100, amplitude=2000), rate=16000)


def _bmp(rng: np.random.Generator) -> bytes:
    return random_image(rng, "BMP", grey=True)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    n = N_LABELLED + N_HIDDEN
    folds = rng.permutation([0] * N_LABELLED + [1] * N_HIDDEN)
    filenames = [f"PC{1 + i % 13}_200906{10 + i % 20}_0{i % 10}0000_{i:04d}" for i in range(n)]
    files: dict[str, bytes | str] = {}
    e, s = "essential_data", "supplemental_data"
    files[f"{e}/CVfolds_2.txt"] = "rec_id,fold\n" + "".join(
        f"{i},{fold}\n" for i, fold in enumerate(folds)
    )
    files[f"{e}/rec_id2filename.txt"] = "rec_id,filename\n" + "".join(
        f"{i},{name}\n" for i, name in enumerate(filenames)
    )
    label_lines = []
    for i in range(n):
        if folds[i] == 1:
            label_lines.append(f"{i},?\n")
            continue
        species = sorted(rng.choice(N_SPECIES, size=int(rng.integers(0, 4)), replace=False))
        label_lines.append(f"{i}," + ",".join(map(str, species)) + "\n" if species else f"{i}\n")
    files[f"{e}/rec_labels_test_hidden.txt"] = "rec_id,[labels]\n" + "".join(label_lines)
    files[f"{e}/species_list.txt"] = "class_id,code,species\n" + "".join(
        f"{i},{code},{name}\n" for i, (code, name) in enumerate(SPECIES)
    )
    files[f"{e}/sample_submission.csv"] = "Id,Probability\n" + "".join(
        f"{i * 100 + k},0\n" for i in range(n) if folds[i] == 1 for k in range(N_SPECIES)
    )
    for i, name in enumerate(filenames):
        files[f"{e}/src_wavs/{name}.wav"] = _wav(rng)
        for folder in ("filtered_spectrograms", "spectrograms", "supervised_segmentation"):
            files[f"{s}/{folder}/{name}.bmp"] = _bmp(rng)
        if i % 3 == 0:
            files[f"{s}/segmentation_examples/{name}.bmp"] = _bmp(rng)
    files[f"{s}/segment_clusters.bmp"] = _bmp(rng)
    files[f"{s}/segment_mosaic.bmp"] = _bmp(rng)
    histogram = [f"{i}," + ",".join(f"{v:.6f}" for v in rng.random(5)) for i in range(n)]
    files[f"{s}/histogram_of_segments.txt"] = (
        "rec_id,[histogram of segment features]\n" + "\n".join(histogram) + "\n"
    )
    features, rectangles = [], []
    for i in range(n):
        for segment in range(int(rng.integers(0, 3))):
            values = ",".join(f"{v:.6f}" for v in rng.random(4))
            features.append(f"{i},{segment},{values}\n")
            rectangles.append(f"{i},{segment},10,20,30,40,\n")
    files[f"{s}/segment_features.txt"] = "rec_id,segment_id,[feature vector]\n" + "".join(features)
    files[f"{s}/segment_rectangles.txt"] = (
        "rec_id,[segment_id],[min_x],[max_x],[min_y],[max_y]\n" + "".join(rectangles)
    )
    zip_members(raw / f"{DATASET}.zip", {f"{DATASET}/{n}": c for n, c in files.items()})


def _raw_text(raw: Path, relative: str) -> str:
    with zipfile.ZipFile(raw / f"{DATASET}.zip") as archive:
        return archive.read(f"{DATASET}/{relative}").decode()


def check_split(public: Path, private: Path, raw: Path) -> None:
    raw_folds = pd.read_csv(io.StringIO(_raw_text(raw, "essential_data/CVfolds_2.txt")))
    labelled = raw_folds[raw_folds["fold"] == 0].reset_index(drop=True)
    expected_test = set(labelled.sample(frac=0.2, random_state=0).index)
    folds = pd.read_csv(public / "essential_data" / "CVfolds_2.txt")
    assert folds["rec_id"].tolist() == list(range(N_LABELLED)), "renumbered 0..N-1"
    test = set(folds.loc[folds["fold"] == 1, "rec_id"])
    assert test == expected_test and len(test) == round(0.2 * N_LABELLED)

    raw_labels = {}
    for line in _raw_text(raw, "essential_data/rec_labels_test_hidden.txt").splitlines()[1:]:
        first, *rest = line.split(",")
        raw_labels[int(first)] = {int(x) for x in rest if x not in ("", "?")}
    answers = pd.read_csv(private / "answers.csv")
    assert len(answers) == len(test) * N_SPECIES and answers["Id"].is_unique
    assert set(answers["Id"] // 100) == test
    for new_id, old_id in enumerate(labelled["rec_id"]):
        if new_id in test:
            rows = answers[answers["Id"] // 100 == new_id]
            assert set(rows.loc[rows["Probability"] == 1, "Id"] % 100) == raw_labels[old_id]
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sorted(sample["Id"]) == sorted(answers["Id"]) and (sample["Probability"] == 0).all()

    shown = (public / "essential_data" / "rec_labels_test_hidden.txt").read_text().splitlines()
    assert shown[0] == "rec_id,[labels]" and len(shown) == N_LABELLED + 1
    hidden = {int(line.split(",")[0]) for line in shown[1:] if line.endswith(",?")}
    assert hidden == test, "public labels hide exactly the new test recordings"

    names = pd.read_csv(public / "essential_data" / "rec_id2filename.txt")
    raw_names = pd.read_csv(io.StringIO(_raw_text(raw, "essential_data/rec_id2filename.txt")))
    kept = raw_names.set_index("rec_id").loc[labelled["rec_id"], "filename"].tolist()
    assert names["filename"].tolist() == kept
    wavs = {p.stem for p in (public / "essential_data" / "src_wavs").glob("*.wav")}
    assert wavs == set(kept)
    histogram = (public / "supplemental_data" / "histogram_of_segments.txt").read_text()
    assert {int(line.split(",")[0]) for line in histogram.splitlines()[1:]} <= set(range(40))

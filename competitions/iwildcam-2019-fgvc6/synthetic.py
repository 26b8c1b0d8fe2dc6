"""A tiny raw dataset in the shape of Kaggle's iwildcam-2019-fgvc6 download.

Kaggle ships ``train.csv`` (``category_id``, ``date_captured``, ``file_name`` = ``<id>.jpg``,
``frame_num``, ``id`` (a UUID), ``location`` (an integer camera id), ``rights_holder``,
``seq_id``, ``seq_num_frames``, ``width``, ``height``), ``train_images.zip`` (flat ``<id>.jpg``
members), ``test.csv`` and ``test_images.zip`` (Kaggle's unlabelled test set, another region)
and ``sample_submission.csv`` (``Id``, ``Predicted``). Here: 150 images from 20 camera locations
in random order (so the order of first appearance matters), in sequences of one to three frames;
``rights_holder`` is sometimes empty; each 8x8 JPEG carries its id in its comment.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

N_IMAGES, N_LOCATIONS, N_KAGGLE_TEST = 150, 20, 4
CATEGORIES = [0, 1, 3, 4, 8, 10, 11, 13, 14, 16, 17, 18, 19, 22]
COLUMNS = [
    "category_id",
    "date_captured",
    "file_name",
    "frame_num",
    "id",
    "location",
    "rights_holder",
    "seq_id",
    "seq_num_frames",
    "width",
    "height",
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": [c for c in COLUMNS if c != "category_id"],
    "public/sample_submission.csv": ["Unnamed: 0", "Id", "Category"],
    "public/train_images.zip": None,
    "public/test_images.zip": None,
    "private/test.csv": COLUMNS,
    "private/answers.csv": ["Id", "Category"],
}


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16)))


def _rows(rng: np.random.Generator, n: int, locations: np.ndarray) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    while len(rows) < n:
        frames = int(rng.integers(1, 4))
        seq, location = _uuid(rng), int(rng.choice(locations))
        category = int(rng.choice(CATEGORIES))
        start = pd.Timestamp("2011-05-13 23:43:18") + pd.Timedelta(
            minutes=int(rng.integers(0, 10**6))
        )
        for frame in range(frames):
            image = _uuid(rng)
            rows.append(
                {
                    "category_id": category,
                    "date_captured": str(start + pd.Timedelta(seconds=frame)),
                    "file_name": f"{image}.jpg",
                    "frame_num": frame + 1,
                    "id": image,
                    "location": location,
                    "rights_holder": None if rng.random() < 0.2 else "Justin Brown",
                    "seq_id": seq,
                    "seq_num_frames": frames,
                    "width": 1024,
                    "height": 747,
                }
            )
    return rows[:n]


def _zip_images(rng: np.random.Generator, ids: list[str], archive: Path) -> None:
    with zipfile.ZipFile(archive, "w") as out:
        for image in ids:
            out.writestr(f"{image}.jpg", random_image(rng, "JPEG", comment=image))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    locations = rng.choice(np.arange(0, 140), N_LOCATIONS, replace=False)
    train = pd.DataFrame(_rows(rng, N_IMAGES, locations), columns=COLUMNS)
    train.to_csv(raw / "train.csv", index=False)
    _zip_images(rng, train["id"].tolist(), raw / "train_images.zip")
    test = pd.DataFrame(_rows(rng, N_KAGGLE_TEST, np.arange(200, 205)), columns=COLUMNS)
    test = test.drop(columns=["category_id"])
    test.to_csv(raw / "test.csv", index=False)
    _zip_images(rng, test["id"].tolist(), raw / "test_images.zip")
    pd.DataFrame({"Id": test["id"], "Predicted": 0}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    from mle_track.competitions.media import image_comment

    labels = pd.read_csv(raw / "train.csv")
    locations = labels["location"].unique()
    assert locations.tolist() != sorted(locations)  # first-appearance order matters
    _, test_locations = train_test_split(locations, test_size=0.1, random_state=8)
    is_test = labels["location"].isin(test_locations)
    train, answers = labels[~is_test], labels[is_test]
    assert len(answers) >= 10 and answers["category_id"].nunique() > 2
    assert (public / "train.csv").read_text() == train.to_csv(index=False)
    assert (private / "test.csv").read_text() == answers.to_csv(index=False)
    test_text = answers.drop(columns=["category_id"]).to_csv(index=False)
    assert (public / "test.csv").read_text() == test_text
    gold = pd.read_csv(private / "answers.csv")
    assert gold["Id"].tolist() == answers["id"].tolist()
    assert gold["Category"].tolist() == answers["category_id"].tolist()
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["Unnamed: 0"].tolist() == answers.index.tolist()  # the raw row numbers
    assert sample["Id"].tolist() == answers["id"].tolist() and (sample["Category"] == 0).all()
    assert (public / "sample_submission.csv").read_text().startswith(",Id,Category\n")
    for side, frame in (("train", train), ("test", answers)):
        with zipfile.ZipFile(public / f"{side}_images.zip") as archive, TemporaryDirectory() as tmp:
            names = archive.namelist()
            assert names == sorted(f"{i}.jpg" for i in frame["id"]), side
            for name in names:
                scratch = Path(tmp) / name
                scratch.write_bytes(archive.read(name))
                assert image_comment(scratch) == name.removesuffix(".jpg"), name


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rules: whole-number categories, and the Category header MLE-bench needs."""
    text = sample.astype({"Category": object})
    text.loc[0, "Category"] = "deer"
    fraction = sample.astype({"Category": float})
    fraction.loc[0, "Category"] = 3.7
    kaggle_header = sample.rename(columns={"Category": "Predicted"})
    return [
        ("text category", text, "not a whole-number category id, e.g. 'deer'"),
        ("fractional category", fraction, "not a whole-number category id, e.g. 3.7"),
        ("missing category", sample.assign(Category=np.nan), "empty value"),
        ("Kaggle's Predicted header", kaggle_header, "missing column(s) 'Category'"),
    ]

"""Lyft 3D Object Detection: MLE-bench's re-split of Kaggle's training logs.

Kaggle's test boxes were never released, so the driving logs of ``train_data/log.json`` (file
order) are split with ``train_test_split(test_size=0.2, random_state=0)`` and every table
follows: a sample is on the test side when its ``scene_token`` is a test *log* token (MLE-bench
compares the two; in Lyft's data every scene has its log's token). ``train.csv`` rows go with
their sample (raw row order); the private ``test.csv`` is the test rows with a confidence
``1.0`` put before each box. The JSON tables are filtered or copied as MLE-bench does (see the
config notes, map.json quirk included) and written with ``json.dump``'s defaults; the camera
images and lidar sweeps named by each side's ``sample_data.json`` are hard-linked into flat
``{train,test}_images/`` and ``{train,test}_lidar/`` folders. Kaggle's own test files are not
used.

The tables are read one at a time and released before the next, so the largest
(``sample_annotation.json``) alone sets the peak memory.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from mle_track.competitions.preparing import link_file

TEST_SIZE = 0.2
#: the tables copied unchanged to both sides
COPIED = ("attribute.json", "category.json", "sensor.json", "visibility.json")
MAP_PNG = "map_raster_palo_alto.png"
MEDIA = {"jpeg": "images", "bin": "lidar"}

Records = list[dict[str, Any]]


def _read(raw: Path, name: str) -> Records:
    with open(raw / "train_data" / name, encoding="utf-8") as f:
        records: Records = json.load(f)
    return records


def _write(public: Path, side: str, name: str, records: Any) -> None:
    with open(public / f"{side}_data" / name, "w", encoding="utf-8") as f:
        json.dump(records, f)


def _with_confidence(boxes: str) -> str:
    """The 8-token boxes of a train.csv row with ``1.0`` before each (9 tokens per box)."""
    tokens = boxes.split(" ")
    assert len(tokens) % 8 == 0, f"a train.csv row of {len(tokens)} tokens"
    return " ".join(" ".join(["1.0", *tokens[i : i + 8]]) for i in range(0, len(tokens), 8))


def _first_uses(data: Records, key: str, table: Records) -> Records:
    """The records of ``table`` referenced by ``data[key]``, once each, in order of first use."""
    by_token = {record["token"]: record for record in table}
    seen: dict[str, None] = {}
    for datum in data:
        seen.setdefault(datum[key], None)
    return [by_token[token] for token in seen]


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    for side in ("train", "test"):
        (public / f"{side}_data").mkdir(parents=True, exist_ok=True)

    logs = _read(raw, "log.json")
    log_ids = [log["token"] for log in logs]
    assert len(set(log_ids)) == len(log_ids), "log tokens must be unique"
    train_logs, test_logs = train_test_split(log_ids, test_size=TEST_SIZE, random_state=0)
    side_of_log = {**dict.fromkeys(train_logs, "train"), **dict.fromkeys(test_logs, "test")}
    for side in ("train", "test"):
        _write(public, side, "log.json", [g for g in logs if side_of_log[g["token"]] == side])

    samples = _read(raw, "sample.json")
    sample_side: dict[str, str] = {}
    for sample in samples:
        side = side_of_log.get(sample["scene_token"])  # MLE-bench: scene token vs log tokens
        assert side is not None, f"sample {sample['token']} is in no log of either side"
        sample_side[sample["token"]] = side
    for side in ("train", "test"):
        _write(public, side, "sample.json", [s for s in samples if sample_side[s["token"]] == side])
    del samples

    boxes = pd.read_csv(raw / "train.csv")
    sides = boxes["Id"].map(sample_side)
    assert sides.notna().all(), "train.csv rows whose sample is in no log"
    train_rows, test_rows = boxes[sides == "train"], boxes[sides == "test"].copy()
    n_samples = pd.Series(sample_side).value_counts()
    assert len(train_rows) == n_samples.get("train", 0), "train samples without a train.csv row"
    assert len(test_rows) == n_samples.get("test", 0), "test samples without a train.csv row"
    train_rows.to_csv(public / "train.csv", index=False)
    test_rows["PredictionString"] = test_rows["PredictionString"].map(_with_confidence)
    test_rows.to_csv(private / "test.csv", index=False)
    test_rows[["Id"]].assign(PredictionString="").to_csv(
        public / "sample_submission.csv", index=False
    )
    row_side = dict.fromkeys(train_rows["Id"], "train") | dict.fromkeys(test_rows["Id"], "test")
    del boxes, train_rows, test_rows

    sample_data = _read(raw, "sample_data.json")
    data_of: dict[str, Records] = {"train": [], "test": []}
    for datum in sample_data:
        side = row_side.get(datum["sample_token"])
        if side is None:
            raise ValueError(f"sample data {datum['token']} belongs to no sample of either side")
        data_of[side].append(datum)
    for side in ("train", "test"):
        _write(public, side, "sample_data.json", data_of[side])

    for folder in ("maps", "images", "lidar"):
        for side in ("train", "test"):
            (public / f"{side}_{folder}").mkdir(parents=True, exist_ok=True)
    for side in ("train", "test"):
        link_file(raw / "train_maps" / MAP_PNG, public / f"{side}_maps" / MAP_PNG)
        for name in COPIED:
            link_file(raw / "train_data" / name, public / f"{side}_data" / name)

    calibrations = _read(raw, "calibrated_sensor.json")
    used = {
        side: _first_uses(data_of[side], "calibrated_sensor_token", calibrations)
        for side in data_of
    }
    assert len({c["token"] for side in used for c in used[side]}) == len(calibrations), (
        "calibrated sensors used by no sample data"
    )
    for side in ("train", "test"):
        _write(public, side, "calibrated_sensor.json", used[side])
    del calibrations, used

    poses = _read(raw, "ego_pose.json")
    pose_by_token = {pose["token"]: pose for pose in poses}
    for side in ("train", "test"):
        _write(
            public,
            side,
            "ego_pose.json",
            [pose_by_token[d["ego_pose_token"]] for d in data_of[side]],
        )
    covered = {d["ego_pose_token"] for side in data_of for d in data_of[side]}
    assert len(covered) == len(poses), "ego poses used by no sample data"
    del poses, pose_by_token

    maps = _read(raw, "map.json")
    assert len(maps) == 1, "expected only one map"
    # MLE-bench's quirk: both sides share the one map record, so both files list the test logs
    maps[0]["log_tokens"] = list(test_logs)
    for side in ("train", "test"):
        _write(public, side, "map.json", maps)

    scenes = _read(raw, "scene.json")
    for scene in scenes:
        if scene["log_token"] not in side_of_log:
            raise ValueError(f"scene {scene['token']} belongs to no log of either side")
    for side in ("train", "test"):
        _write(
            public,
            side,
            "scene.json",
            [s for s in scenes if side_of_log[s["log_token"]] == side],
        )

    annotations = _read(raw, "sample_annotation.json")
    train_annotations, test_instances = [], set()
    for annotation in annotations:
        side = row_side.get(annotation["sample_token"])
        if side is None:
            raise ValueError(f"annotation {annotation['token']} belongs to no sample")
        if side == "train":
            train_annotations.append(annotation)
        else:
            test_instances.add(annotation["instance_token"])
    _write(public, "train", "sample_annotation.json", train_annotations)  # none for test
    train_instances = {a["instance_token"] for a in train_annotations}
    del annotations, train_annotations

    instances = _read(raw, "instance.json")
    for instance in instances:
        if instance["token"] not in train_instances and instance["token"] not in test_instances:
            raise ValueError(f"instance {instance['token']} is annotated in no sample")
    _write(
        public, "train", "instance.json", [i for i in instances if i["token"] in train_instances]
    )
    del instances

    _link_media(raw, public, data_of)


def _link_media(raw: Path, public: Path, data_of: dict[str, Records]) -> None:
    """Each file named by a side's sample data, once, into ``<side>_images/`` or
    ``<side>_lidar/`` under the base name of its ``filename`` (as MLE-bench copies them); a
    file named on both sides fails, as MLE-bench's count check does."""
    placed: set[tuple[str, str]] = set()
    names: set[str] = set()
    for side, data in data_of.items():
        for datum in data:
            names.add(datum["filename"])
            kind = MEDIA.get(datum["fileformat"])
            if kind is None:
                raise ValueError(f"unexpected sample data format {datum['fileformat']!r}")
            name = PurePosixPath(datum["filename"]).name
            assert name.endswith(datum["fileformat"]), f"expected .{datum['fileformat']}: {name}"
            source = raw / f"train_{kind}" / name
            if not source.is_file():
                raise FileNotFoundError(f"{source} does not exist")
            if (side, name) not in placed:
                link_file(source, public / f"{side}_{kind}" / name)
                placed.add((side, name))
    assert len(placed) == len(names), "media files named on both sides or under two paths"

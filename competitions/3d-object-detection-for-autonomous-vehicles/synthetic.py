"""A tiny raw dataset in the shape of Kaggle's 3d-object-detection-for-autonomous-vehicles download.

Kaggle ships ``train.csv`` (``Id`` = a 64-hex sample token, ``PredictionString`` = groups
``center_x center_y center_z width length height yaw class_name``), ``train_data/`` with the 13
JSON tables of Lyft's nuScenes-style schema (log, scene, sample, sample_data, calibrated_sensor,
ego_pose, map, sample_annotation, instance, attribute, category, sensor, visibility),
``train_images/*.jpeg`` (camera frames), ``train_lidar/*.bin`` (lidar sweeps),
``train_maps/map_raster_palo_alto.png``, and the same for the unlabelled Kaggle test set
(``test_data/`` without annotations or instances) plus ``sample_submission.csv``.

Here: 10 logs with one scene each (scene token = log token, as in Lyft's data), 3-5 samples per
scene, each sample with two camera frames and one lidar sweep (8x8 JPEGs, a few float32 points)
and 1-4 annotated boxes; calibrations and poses are each used by some sample data, as
MLE-bench's coverage checks require.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_bytes, random_image, random_pixels

N_LOGS = 10
CLASSES = ["car", "pedestrian", "truck", "bus", "bicycle", "other_vehicle"]
TABLES = [
    "attribute.json",
    "calibrated_sensor.json",
    "category.json",
    "ego_pose.json",
    "instance.json",
    "log.json",
    "map.json",
    "sample.json",
    "sample_annotation.json",
    "sample_data.json",
    "scene.json",
    "sensor.json",
    "visibility.json",
]
TEST_TABLES = [t for t in TABLES if t not in ("instance.json", "sample_annotation.json")]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["Id", "PredictionString"],
    "public/sample_submission.csv": ["Id", "PredictionString"],
    "private/test.csv": ["Id", "PredictionString"],
    **{f"public/train_data/{t}": None for t in TABLES},
    **{f"public/test_data/{t}": None for t in TEST_TABLES},
    "public/train_images": None,
    "public/test_images": None,
    "public/train_lidar": None,
    "public/test_lidar": None,
    "public/train_maps/map_raster_palo_alto.png": None,
    "public/test_maps/map_raster_palo_alto.png": None,
}


def _token(rng: np.random.Generator) -> str:
    return rng.bytes(32).hex()


def _dump(path: Path, records: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")


def _tables(
    rng: np.random.Generator, n_logs: int, labelled: bool
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One data set's tables (``labelled``: with annotations and instances) and its
    train.csv rows."""
    sensors = [
        {"token": _token(rng), "channel": channel, "modality": modality}
        for channel, modality in (
            ("CAM_FRONT", "camera"),
            ("CAM_BACK", "camera"),
            ("LIDAR_TOP", "lidar"),
        )
    ]
    categories = [{"token": _token(rng), "name": c, "description": c} for c in CLASSES]
    tables: dict[str, Any] = {
        "sensor.json": sensors,
        "category.json": categories,
        "attribute.json": [
            {"token": _token(rng), "name": n, "description": n}
            for n in ("object_action_parked", "object_action_walking", "object_action_driving")
        ],
        "visibility.json": [
            {"token": str(v), "level": level, "description": level}
            for v, level in enumerate(("v0-40", "v40-60", "v60-80", "v80-100"), start=1)
        ],
    }
    logs, scenes, samples, data, calibrations, poses = [], [], [], [], [], []
    annotations, instances, rows = [], [], []
    for n in range(n_logs):
        vehicle = f"a{101 + n % 3}"
        log_token = _token(rng)
        logs.append(
            {
                "token": log_token,
                "vehicle": vehicle,
                "date_captured": f"2019-05-{10 + n:02d}",
                "location": "Palo Alto",
                "logfile": f"host-{vehicle}_lidar1_{1232000000 + n}",
            }
        )
        # one calibration per sensor and log, each used by this log's sample data
        calibration = {}
        for sensor in sensors:
            token = _token(rng)
            calibration[sensor["channel"]] = token
            calibrations.append(
                {
                    "token": token,
                    "sensor_token": sensor["token"],
                    "translation": rng.normal(0, 1, 3).round(3).tolist(),
                    "rotation": [1.0, 0.0, 0.0, 0.0],
                    "camera_intrinsic": []
                    if sensor["modality"] == "lidar"
                    else [[1, 0, 4], [0, 1, 4], [0, 0, 1]],
                }
            )
        tokens = [_token(rng) for _ in range(int(rng.integers(3, 6)))]
        scenes.append(
            {
                "token": log_token,  # Lyft's scenes carry their log's token
                "log_token": log_token,
                "name": f"host-{vehicle}-scene-{n}",
                "description": "",
                "nbr_samples": len(tokens),
                "first_sample_token": tokens[0],
                "last_sample_token": tokens[-1],
            }
        )
        instance_tokens = [_token(rng) for _ in range(int(rng.integers(1, 4)))]
        instance_count: dict[str, int] = {}
        for k, token in enumerate(tokens):
            timestamp = 1557000000000000 + 10**8 * n + 200000 * k
            samples.append(
                {
                    "token": token,
                    "timestamp": timestamp,
                    "scene_token": log_token,
                    "prev": tokens[k - 1] if k else "",
                    "next": tokens[k + 1] if k + 1 < len(tokens) else "",
                }
            )
            for sensor in sensors:
                pose = _token(rng)
                poses.append(
                    {
                        "token": pose,
                        "timestamp": timestamp,
                        "translation": rng.normal(1000, 50, 3).round(4).tolist(),
                        "rotation": [1.0, 0.0, 0.0, 0.0],
                    }
                )
                lidar = sensor["modality"] == "lidar"
                stem = (
                    f"host-{vehicle}_{'lidar1' if lidar else sensor['channel'].lower()}_{timestamp}"
                )
                data.append(
                    {
                        "token": _token(rng),
                        "sample_token": token,
                        "ego_pose_token": pose,
                        "calibrated_sensor_token": calibration[sensor["channel"]],
                        "timestamp": timestamp,
                        "fileformat": "bin" if lidar else "jpeg",
                        "is_key_frame": True,
                        "height": 0 if lidar else 8,
                        "width": 0 if lidar else 8,
                        "filename": f"lidar/{stem}.bin" if lidar else f"images/{stem}.jpeg",
                        "prev": "",
                        "next": "",
                    }
                )
            groups = []
            for _ in range(int(rng.integers(1, 5))):
                name = str(rng.choice(CLASSES))
                centre = rng.normal([1000, 1500, -20], [30, 30, 1]).round(6)
                size = rng.uniform([0.5, 0.5, 1.0], [3.0, 12.0, 4.0]).round(3)
                yaw = float(rng.uniform(-np.pi, np.pi))
                instance = str(rng.choice(instance_tokens))
                instance_count[instance] = instance_count.get(instance, 0) + 1
                annotations.append(
                    {
                        "token": _token(rng),
                        "sample_token": token,
                        "instance_token": instance,
                        "attribute_tokens": [],
                        "visibility_token": "4",
                        "translation": centre.tolist(),
                        "size": size.tolist(),
                        "rotation": [float(np.cos(yaw / 2)), 0.0, 0.0, float(np.sin(yaw / 2))],
                        "category_name": name,
                        "num_lidar_pts": int(rng.integers(0, 50)),
                        "num_radar_pts": 0,
                        "prev": "",
                        "next": "",
                    }
                )
                values = [*centre.tolist(), *size.tolist(), yaw]
                groups.append(" ".join([*(repr(float(v)) for v in values), name]))
            rows.append((token, " ".join(groups)))
        for token, count in instance_count.items():
            instances.append(
                {
                    "token": token,
                    "category_token": categories[0]["token"],
                    "nbr_annotations": count,
                    "first_annotation_token": "",
                    "last_annotation_token": "",
                }
            )
    tables.update(
        {
            "log.json": logs,
            "scene.json": scenes,
            "sample.json": samples,
            "sample_data.json": data,
            "calibrated_sensor.json": calibrations,
            "ego_pose.json": poses,
            "map.json": [
                {
                    "token": _token(rng),
                    "category": "semantic_prior",
                    "filename": "maps/map_raster_palo_alto.png",
                    "log_tokens": [log["token"] for log in logs],
                }
            ],
        }
    )
    if labelled:
        tables["sample_annotation.json"] = annotations
        tables["instance.json"] = instances
    return tables, rows


def _write_set(raw: Path, part: str, tables: dict[str, Any], rng: np.random.Generator) -> None:
    for name, records in tables.items():
        _dump(raw / f"{part}_data" / name, records)
    for folder in ("images", "lidar"):
        (raw / f"{part}_{folder}").mkdir(parents=True, exist_ok=True)
    for datum in tables["sample_data.json"]:
        name = Path(datum["filename"]).name
        if datum["fileformat"] == "jpeg":
            (raw / f"{part}_images" / name).write_bytes(random_image(rng, "JPEG"))
        else:
            points = rng.normal(0, 10, (4, 5)).astype(np.float32)
            (raw / f"{part}_lidar" / name).write_bytes(points.tobytes())
    (raw / f"{part}_maps").mkdir(parents=True, exist_ok=True)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train, rows = _tables(rng, N_LOGS, labelled=True)
    _write_set(raw, "train", train, rng)
    pd.DataFrame(rows, columns=["Id", "PredictionString"]).to_csv(raw / "train.csv", index=False)
    test, test_rows = _tables(rng, 2, labelled=False)
    _write_set(raw, "test", test, rng)
    pd.DataFrame({"Id": [token for token, _ in test_rows], "PredictionString": ""}).to_csv(
        raw / "sample_submission.csv", index=False
    )
    png = image_bytes(random_pixels(rng, 16), "PNG")
    for part in ("train", "test"):
        (raw / f"{part}_maps" / "map_raster_palo_alto.png").write_bytes(png)


def _load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    source = raw / "train_data"
    logs = _load(source, "log.json")
    train_logs, test_logs = train_test_split(
        [g["token"] for g in logs], test_size=0.2, random_state=0
    )
    assert len(test_logs) == 2 and len(train_logs) == 8
    for side, wanted in (("train", train_logs), ("test", test_logs)):
        got = [g["token"] for g in _load(public / f"{side}_data", "log.json")]
        assert got == [g["token"] for g in logs if g["token"] in wanted]  # file order
        # the map quirk: both sides list the test logs
        assert _load(public / f"{side}_data", "map.json")[0]["log_tokens"] == list(test_logs)
    samples = _load(source, "sample.json")
    test_samples = [s["token"] for s in samples if s["scene_token"] in test_logs]
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert answers["Id"].tolist() == [i for i in original["Id"] if i in set(test_samples)]
    assert train["Id"].tolist() == [i for i in original["Id"] if i not in set(test_samples)]
    assert (
        sample["Id"].tolist() == answers["Id"].tolist() and sample["PredictionString"].isna().all()
    )
    truth = original.set_index("Id")["PredictionString"]
    for token, text in zip(answers["Id"], answers["PredictionString"], strict=True):
        tokens, raw_tokens = text.split(" "), truth[token].split(" ")
        assert len(tokens) == 9 * len(raw_tokens) // 8
        assert tokens[0::9] == ["1.0"] * (len(tokens) // 9)
        assert [t for i, t in enumerate(tokens) if i % 9] == raw_tokens
    # the tables follow the samples; the test side has no annotations or instances
    test_data = public / "test_data"
    assert not (test_data / "sample_annotation.json").exists()
    assert not (test_data / "instance.json").exists()
    assert {d["sample_token"] for d in _load(test_data, "sample_data.json")} == set(test_samples)
    train_annotations = _load(public / "train_data", "sample_annotation.json")
    assert {a["sample_token"] for a in train_annotations} == set(train["Id"])
    images = {p.name for p in (public / "test_images").iterdir()}
    lidar = {p.name for p in (public / "test_lidar").iterdir()}
    named = {Path(d["filename"]).name for d in _load(test_data, "sample_data.json")}
    assert images | lidar == named and len(lidar) == len(test_samples)
    assert images.isdisjoint(p.name for p in (public / "train_images").iterdir())
    assert (public / "train_data" / "sensor.json").read_bytes() == (
        source / "sensor.json"
    ).read_bytes()
    # JSON written compactly, as json.dump's defaults do
    assert (test_data / "log.json").read_text(encoding="utf-8") == json.dumps(
        [g for g in logs if g["token"] in test_logs]
    )


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's box-text rules (columns, rows and ids are the standard cases)."""

    def with_first(text: str) -> pd.DataFrame:
        frame = sample.astype({"PredictionString": object})
        frame.loc[0, "PredictionString"] = text
        return frame

    box = "0.9 1000 1500 -20 2 4 2 0.1 car"
    return [
        ("no confidence", with_first("1000 1500 -20 2 4 2 0.1 car"), "not a multiple of 9"),
        ("double space", with_first(box.replace(" ", "  ", 1)), "not a multiple of 9"),
        ("text for a number", with_first(box.replace("1500", "north")), "is not a number"),
        ("nan size", with_first(box.replace(" 4 ", " nan ")), "'nan' is not a number"),
        ("zero size", with_first(box.replace(" 4 ", " 0 ")), "not positive"),
        ("trailing space", with_first(box + " "), "not a multiple of 9"),
    ]

"""A tiny raw data set in the shape of Kaggle's Google Smartphone Decimeter Challenge 2022 download.

Kaggle ships ``train/<drive>/<phone>/`` (drive ids ``YYYY-MM-DD-US-<city>-<n>``, phones such as
``GooglePixel4XL``) holding ``device_gnss.csv``, ``device_imu.csv``, ``ground_truth.csv``
(``MessageType``, ``Provider``, ``LatitudeDegrees``, ``LongitudeDegrees``, ``AltitudeMeters``,
``SpeedMps``, ``AccuracyMeters``, ``BearingDegrees``, ``UnixTimeMillis``: one row per epoch) and
``supplemental/`` (``gnss_log.txt``, ``gnss_rinex.*o``, ``span_log.nmea``: the reference
receiver's NMEA sentences); ``test/`` drives in the same layout without ground truth;
``metadata/`` (bit-map JSONs, ``constellation_type_mapping.csv``) and ``sample_submission.csv``
(``tripId``, ``UnixTimeMillis``, ``LatitudeDegrees``, ``LongitudeDegrees``). Here 23 drives on
20 dates (two dates with two drives), one to three phones each, 6-12 epochs per phone.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import (
    ANSWER_COLUMNS,
    GROUND_TRUTH,
    LAT,
    LON,
    SAMPLE_LAT,
    SAMPLE_LON,
    TEST_SIZE,
    TIME,
    TRIP,
    drive_date,
)

PHONES = ["GooglePixel4", "GooglePixel4XL", "GooglePixel5", "SamsungGalaxyS20Ultra", "XiaomiMi8"]
CITIES = ["MTV", "SJC", "LAX", "SVL", "RWC"]
TRUTH_COLUMNS = ["MessageType", "Provider", LAT, LON, "AltitudeMeters", "SpeedMps",
                 "AccuracyMeters", "BearingDegrees", TIME]  # fmt: skip
N_DATES, N_KAGGLE_TEST = 20, 2
METADATA = {
    "accumulated_delta_range_state_bit_map.json": '{"0": "ADR_STATE_UNKNOWN"}\n',
    "raw_state_bit_map.json": '{"0": "STATE_UNKNOWN"}\n',
    "constellation_type_mapping.csv": "ConstellationType,ConstellationName\n1,GPS\n6,GALILEO\n",
}

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train": None,
    "public/test": None,
    "public/metadata/constellation_type_mapping.csv": ["ConstellationType", "ConstellationName"],
    "public/sample_submission.csv": ANSWER_COLUMNS,
    "private/test.csv": ANSWER_COLUMNS,
}


def _drives(rng: np.random.Generator) -> list[str]:
    days = sorted(rng.choice(900, size=N_DATES, replace=False).tolist())
    dates = [pd.Timestamp("2020-05-14") + pd.Timedelta(days=int(d)) for d in days]
    names = [f"{d:%Y-%m-%d}-US-{CITIES[i % len(CITIES)]}-1" for i, d in enumerate(dates)]
    names += [f"{dates[3]:%Y-%m-%d}-US-SJC-2", f"{dates[11]:%Y-%m-%d}-US-MTV-2"]
    names.append(f"{dates[11]:%Y-%m-%d}-US-LAX-3")
    return sorted(names)


def _nmea(truth: pd.DataFrame) -> str:
    """GGA sentences of the positions (the leak: the same positions as the ground truth)."""
    lines = []
    for lat, lon in zip(truth[LAT], truth[LON], strict=True):
        lat_text = f"{int(abs(lat)):02d}{(abs(lat) % 1) * 60:07.4f},{'N' if lat >= 0 else 'S'}"
        lon_text = f"{int(abs(lon)):03d}{(abs(lon) % 1) * 60:07.4f},{'E' if lon >= 0 else 'W'}"
        lines.append(f"$GPGGA,000000.00,{lat_text},{lon_text},4,12,0.9,10.0,M,-30.0,M,,*00\n")
    return "".join(lines)


def _phone(folder: Path, rng: np.random.Generator, *, with_truth: bool) -> pd.DataFrame:
    n = int(rng.integers(6, 13))
    start = int(rng.integers(1_580_000_000_000, 1_650_000_000_000))
    base_lat, base_lon = 37.0 + rng.random(), -122.5 + rng.random()
    truth = pd.DataFrame(
        {
            "MessageType": "Fix",
            "Provider": "GT",
            LAT: base_lat + np.cumsum(rng.normal(0, 1e-4, n)),
            LON: base_lon + np.cumsum(rng.normal(0, 1e-4, n)),
            "AltitudeMeters": rng.normal(10, 2, n).round(2),
            "SpeedMps": rng.random(n) * 20,
            "AccuracyMeters": 0.1,
            "BearingDegrees": rng.random(n) * 360,
            TIME: start + 1000 * np.arange(n),
        }
    )
    (folder / "supplemental").mkdir(parents=True)
    if with_truth:
        truth.to_csv(folder / GROUND_TRUTH, index=False)
    gnss = pd.DataFrame(
        {
            "utcTimeMillis": np.repeat(truth[TIME].to_numpy()[:2], 2),
            "Svid": [3, 7, 3, 7],
            "Cn0DbHz": rng.normal(35, 3, 4).round(1),
        }
    )
    gnss.to_csv(folder / "device_gnss.csv", index=False)
    imu = pd.DataFrame(
        {"MessageType": ["UncalAccel"], "utcTimeMillis": [start], "MeasurementX": [0.1]}
    )
    imu.to_csv(folder / "device_imu.csv", index=False)
    (folder / "supplemental" / "gnss_log.txt").write_text("# Version: v3.0.0.1\nFix,GPS,0,0\n")
    (folder / "supplemental" / "gnss_rinex.20o").write_text(
        "     3.03           OBSERVATION DATA\n"
    )
    (folder / "supplemental" / "span_log.nmea").write_text(_nmea(truth))
    return truth


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    for drive in _drives(rng):
        phones = rng.choice(PHONES, size=int(rng.integers(1, 4)), replace=False)
        for phone in sorted(phones.tolist()):
            _phone(raw / "train" / drive / phone, rng, with_truth=True)
    sample_parts = []
    for k in range(N_KAGGLE_TEST):
        drive = f"2022-04-{k + 20:02d}-US-LAX-{k + 1}"
        truth = _phone(raw / "test" / drive / "GooglePixel5", rng, with_truth=False)
        sample_parts.append(
            truth[[TIME]].assign(**{TRIP: f"{drive}-GooglePixel5", LAT: 37.5, LON: -122.0})
        )
    pd.concat(sample_parts)[ANSWER_COLUMNS].to_csv(raw / "sample_submission.csv", index=False)
    (raw / "metadata").mkdir()
    for name, text in METADATA.items():
        (raw / "metadata" / name).write_text(text)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from mle_track.competitions.preparing import split

    drives = sorted(p.name for p in (raw / "train").iterdir())
    dates = pd.DataFrame({"date": sorted({drive_date(d) for d in drives})})
    _, test_dates = split(dates, test_size=TEST_SIZE)
    assert len(test_dates) == math.ceil(TEST_SIZE * N_DATES) == 2
    test_drives = [d for d in drives if drive_date(d) in set(test_dates["date"])]
    train_drives = [d for d in drives if d not in test_drives]
    assert sorted(p.name for p in (public / "train").iterdir()) == train_drives
    assert sorted(p.name for p in (public / "test").iterdir()) == test_drives
    for side, names in (("train", train_drives), ("test", test_drives)):
        for drive in names:
            source = raw / "train" / drive
            files = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
            if side == "test":
                files = {f for f in files if f.name != GROUND_TRUTH}
            linked = {
                p.relative_to(public / side / drive) for p in (public / side / drive).rglob("*")
            }
            assert {f for f in linked if (public / side / drive / f).is_file()} == files
            for rel in files:
                assert (public / side / drive / rel).read_bytes() == (source / rel).read_bytes()
    # the leak, copied: test drives keep the reference receiver's positions
    assert any((public / "test").rglob("span_log.nmea"))
    answers = pd.read_csv(private / "test.csv")
    expected = []
    for drive in test_drives:
        for phone in sorted(p.name for p in (raw / "train" / drive).iterdir()):
            truth = pd.read_csv(raw / "train" / drive / phone / GROUND_TRUTH)
            expected.append(truth.assign(**{TRIP: f"{drive}-{phone}"})[ANSWER_COLUMNS])
    pd.testing.assert_frame_equal(answers, pd.concat(expected, ignore_index=True))
    sample = pd.read_csv(public / "sample_submission.csv", float_precision="round_trip")
    assert sample[[TRIP, TIME]].equals(answers[[TRIP, TIME]])
    assert (sample[LAT] == SAMPLE_LAT).all() and (sample[LON] == SAMPLE_LON).all()
    metadata = sorted(p.name for p in (public / "metadata").iterdir())
    assert metadata == sorted(METADATA)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    cases: list[tuple[str, pd.DataFrame, str]] = []
    first_trip = sample[TRIP].iloc[0]
    rows = sample.index[sample[TRIP] == first_trip]

    def cell(label: str, column: str, value: object, reason: str) -> None:
        changed = sample.copy()
        changed[column] = changed[column].astype(object)
        changed.loc[0, column] = value
        cases.append((label, changed, reason))

    cell("text for a latitude", LAT, "north", "must be numeric")
    cell("a missing longitude", LON, np.nan, "missing, NaN or infinite")
    cell("an infinite latitude", LAT, np.inf, "missing, NaN or infinite")
    cell("text for a time", TIME, "noon", "must be numeric")
    swapped = sample.copy()
    swapped.loc[[rows[0], rows[1]]] = sample.loc[[rows[1], rows[0]]].to_numpy()
    cases.append(("two epochs of a trip swapped", swapped, "in its order within"))
    other = sample[TRIP][sample[TRIP] != first_trip].iloc[0]
    moved = sample.copy()
    moved.loc[rows[0], TRIP] = other  # same rows in all, one trip a row short, another long
    cases.append(("a row moved to another trip", moved, "one row per epoch"))
    shifted = sample.copy()
    shifted.loc[rows[0], TIME] = int(sample.loc[rows[0], TIME]) + 1
    cases.append(("a time off by a millisecond", shifted, "in its order within"))
    return cases

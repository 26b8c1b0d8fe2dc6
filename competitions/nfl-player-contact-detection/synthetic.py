"""A tiny raw dataset in the shape of Kaggle's nfl-player-contact-detection download.

Kaggle ships ``train_labels.csv`` (``contact_id`` = ``<game_play>_<step>_<player 1>_<player 2 or
G>``, ``game_play`` = ``<game_key>_<play_id:06d>``, ``datetime``, ``step``, ``nfl_player_id_1``,
``nfl_player_id_2``, ``contact``), ``train_baseline_helmets.csv``, ``train_player_tracking.csv``,
``train_video_metadata.csv``, ``train/<game_play>_{All29,Endzone,Sideline}.mp4``, and the
``test_*`` tables, ``test/`` videos and ``sample_submission.csv`` of a few mock test plays (not
used). Here: 20 labelled plays of 3 players and 2 steps, in random play order, so that the order
of first appearance matters; ``jersey_number`` has one gap (so pandas reads it as floats) and the
videos are a few bytes carrying their name (nothing decodes them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_PLAYS, N_PLAYERS, N_STEPS = 20, 3, 2
VIEWS = ("All29", "Endzone", "Sideline")
#: x, y, speed, distance, direction, orientation, acceleration, sa
MOTION_MEAN = np.array([60, 26, 3, 0.3, 180, 180, 1, 0])
MOTION_SCALE = np.array([20, 10, 2, 0.2, 90, 90, 1, 1])
LABEL_COLUMNS = [
    "contact_id",
    "game_play",
    "datetime",
    "step",
    "nfl_player_id_1",
    "nfl_player_id_2",
    "contact",
]
HELMET_COLUMNS = [
    "game_play",
    "game_key",
    "play_id",
    "view",
    "video",
    "frame",
    "nfl_player_id",
    "player_label",
    "left",
    "width",
    "top",
    "height",
]
TRACKING_COLUMNS = [
    "game_play",
    "game_key",
    "play_id",
    "nfl_player_id",
    "step",
    "team",
    "position",
    "jersey_number",
    "datetime",
    "x_position",
    "y_position",
    "speed",
    "distance",
    "direction",
    "orientation",
    "acceleration",
    "sa",
]
VIDEO_COLUMNS = ["game_play", "game_key", "play_id", "view", "start_time", "end_time", "snap_time"]
TABLES = {
    "baseline_helmets.csv": HELMET_COLUMNS,
    "player_tracking.csv": TRACKING_COLUMNS,
    "video_metadata.csv": VIDEO_COLUMNS,
}

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv": LABEL_COLUMNS,
    "public/sample_submission.csv": ["contact_id", "contact"],
    **{
        f"public/{side}_{name}": columns
        for name, columns in TABLES.items()
        for side in ("train", "test")
    },
    "public/train": None,
    "public/test": None,
    "private/test.csv": LABEL_COLUMNS,
}


def _video_bytes(name: str) -> bytes:
    """A few bytes that start like an MP4 file (an ``ftyp`` box) and carry ``name``."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + name.encode()


def _stamp(base: pd.Timestamp, tenths: int) -> str:
    moment = base + pd.Timedelta(milliseconds=100 * tenths)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _play_tables(
    rng: np.random.Generator, game_key: int, play_id: int
) -> dict[str, list[tuple[object, ...]]]:
    play = f"{game_key}_{play_id:06d}"
    base = pd.Timestamp("2020-09-11T03:01:48.100") + pd.Timedelta(days=int(rng.integers(0, 300)))
    players = sorted(int(p) for p in rng.choice(np.arange(37000, 55000), N_PLAYERS, replace=False))
    labels: list[tuple[object, ...]] = []
    for step in range(N_STEPS):
        stamp = _stamp(base, step)
        for i, first in enumerate(players):
            for second in [*players[i + 1 :], "G"]:
                contact = int(rng.random() < 0.3)
                cid = f"{play}_{step}_{first}_{second}"
                labels.append((cid, play, stamp, step, first, second, contact))
    helmets: list[tuple[object, ...]] = []
    for view in ("Endzone", "Sideline"):
        for frame in (0, 1):
            for player in players:
                box = rng.integers(1, 700, 4)
                label = f"{'HV'[player % 2]}{player % 90}"
                video = f"{play}_{view}.mp4"
                helmets.append((play, game_key, play_id, view, video, frame, player, label, *box))
    tracking: list[tuple[object, ...]] = []
    for player in players:
        jersey = float(player % 99) if player % 7 else np.nan
        for step in range(-1, N_STEPS):
            motion = np.round(rng.normal(MOTION_MEAN, MOTION_SCALE), 2)
            team = "home" if player % 2 else "away"
            tracking.append(
                (
                    play,
                    game_key,
                    play_id,
                    player,
                    step,
                    team,
                    "CB",
                    jersey,
                    _stamp(base, step),
                    *motion,
                )
            )
    videos: list[tuple[object, ...]] = []
    for view in ("Endzone", "Sideline"):
        start, end, snap = _stamp(base, -50), _stamp(base, 70), _stamp(base, 0)
        videos.append((play, game_key, play_id, view, start, end, snap))
    return {
        "labels": labels,
        "baseline_helmets.csv": helmets,
        "player_tracking.csv": tracking,
        "video_metadata.csv": videos,
    }


def _write(rows: list[tuple[object, ...]], columns: list[str], path: Path) -> None:
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    games = rng.choice(np.arange(57500, 58600), N_PLAYS + 1, replace=False)
    plays = [(int(g), int(rng.integers(50, 4000))) for g in games]
    tables = [_play_tables(rng, game, play) for game, play in plays]
    train, kaggle_test = tables[:N_PLAYS], tables[N_PLAYS:]
    _write([r for t in train for r in t["labels"]], LABEL_COLUMNS, raw / "train_labels.csv")
    for name, columns in TABLES.items():
        _write([r for t in train for r in t[name]], columns, raw / f"train_{name}")
        _write([r for t in kaggle_test for r in t[name]], columns, raw / f"test_{name}")
    pd.DataFrame(
        {"contact_id": [r[0] for t in kaggle_test for r in t["labels"]], "contact": 0}
    ).to_csv(raw / "sample_submission.csv", index=False)
    for folder, group in (("train", plays[:N_PLAYS]), ("test", plays[N_PLAYS:])):
        (raw / folder).mkdir()
        for game, play in group:
            for view in VIEWS:
                name = f"{game}_{play:06d}_{view}.mp4"
                (raw / folder / name).write_bytes(_video_bytes(name))


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    labels = pd.read_csv(raw / "train_labels.csv")
    assert labels["game_play"].tolist() != sorted(labels["game_play"])  # order matters
    train_plays, test_plays = train_test_split(
        labels["game_play"].unique(), test_size=0.1, random_state=0
    )
    assert len(test_plays) == 2 and len(train_plays) == N_PLAYS - 2

    def written(frame: pd.DataFrame) -> str:
        return frame.to_csv(index=False)

    new_train = labels[labels["game_play"].isin(train_plays)]
    new_test = labels[labels["game_play"].isin(test_plays)]
    assert (public / "train_labels.csv").read_text() == written(new_train)
    assert (private / "test.csv").read_text() == written(new_test)
    assert set(new_test["contact"]) == {0, 1}, "the test set needs both classes"
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["contact_id"].tolist() == new_test["contact_id"].tolist()
    assert (sample["contact"] == 0).all()
    for name in TABLES:
        table = pd.read_csv(raw / f"train_{name}")
        for side, plays in (("train", train_plays), ("test", test_plays)):
            expected = written(table[table["game_play"].isin(plays)])
            assert (public / f"{side}_{name}").read_text() == expected, f"{side}_{name}"
    tracking = pd.read_csv(public / "train_player_tracking.csv")
    assert tracking["jersey_number"].dtype == np.float64  # the gap makes the column floats
    for side, plays in (("train", train_plays), ("test", test_plays)):
        names = sorted(p.name for p in (public / side).iterdir())
        assert names == sorted(f"{p}_{v}.mp4" for p in plays for v in VIEWS), side
        for name in names:
            # the same bytes (hard-linked from raw/, which the CLI path has removed by now)
            assert (public / side / name).read_bytes() == (raw / "train" / name).read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rules: a contact is 0 or 1; ids are matched exactly (case included)."""
    two = sample.copy()
    two.loc[0, "contact"] = 2
    fraction = sample.astype({"contact": float})
    fraction.loc[0, "contact"] = 0.7
    text = sample.astype({"contact": object})
    text.loc[0, "contact"] = "yes"
    ground = sample["contact_id"].str.endswith("_G")
    lower = sample.copy()
    lower.loc[ground.idxmax(), "contact_id"] = sample.loc[ground.idxmax(), "contact_id"][:-1] + "g"
    return [
        ("contact 2", two, "not 0 or 1 (no contact / contact), e.g. 2"),
        ("fractional contact", fraction, "not 0 or 1 (no contact / contact), e.g. 0.7"),
        ("text contact", text, "not 0 or 1 (no contact / contact), e.g. 'yes'"),
        ("missing contact", sample.assign(contact=np.nan), "empty value"),
        ("lower-case ground id", lower, "not in the test set"),
    ]

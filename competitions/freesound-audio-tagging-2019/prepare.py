"""Freesound Audio Tagging 2019: Kaggle's files as released, graded on the post-competition labels.

No new split: Kaggle's download (``train_curated.csv`` / ``train_noisy.csv`` with ``fname`` and
comma-joined ``labels``, the clips in ``train_curated.zip``, ``train_noisy.zip`` and
``test.zip``, and ``sample_submission.csv``) is passed on to ``public/`` unchanged, as MLE-bench
does (hard links, nothing is unzipped). The test labels were published after the competition
in the FSDKaggle2019 metadata on Zenodo (record 3612637, ``FSDKaggle2019.meta.zip``); its
``test_post_competition.csv`` rows with ``usage == "Private"`` become the answers: ``fname``
and one 0/1 column per class, in the sample submission's class order.

The metadata is read from ``raw/`` when it is there (the zip, or its extracted
``FSDKaggle2019.meta/`` folder, e.g. supplied with ``--raw-dir``); otherwise it is downloaded
from Zenodo into ``raw/``, as MLE-bench downloads it. It is never passed on to ``public/``.
"""

from __future__ import annotations

import io
import os
import shutil
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID = "fname"
META = "FSDKaggle2019.meta"
META_ZIP = f"{META}.zip"
META_URL = "https://zenodo.org/records/3612637/files/FSDKaggle2019.meta.zip?download=1"
TEST_LABELS = f"{META}/test_post_competition.csv"
_CLASS_NAMES = """
        Accelerating_and_revving_and_vroom Accordion Acoustic_guitar Applause Bark Bass_drum
        Bass_guitar Bathtub_(filling_or_washing) Bicycle_bell Burping_and_eructation Bus Buzz
        Car_passing_by Cheering Chewing_and_mastication Child_speech_and_kid_speaking
        Chink_and_clink Chirp_and_tweet Church_bell Clapping Computer_keyboard Crackle Cricket
        Crowd Cupboard_open_or_close Cutlery_and_silverware Dishes_and_pots_and_pans
        Drawer_open_or_close Drip Electric_guitar Fart Female_singing
        Female_speech_and_woman_speaking Fill_(with_liquid) Finger_snapping Frying_(food) Gasp
        Glockenspiel Gong Gurgling Harmonica Hi-hat Hiss Keys_jangling Knock Male_singing
        Male_speech_and_man_speaking Marimba_and_xylophone Mechanical_fan Meow Microwave_oven
        Motorcycle Printer Purr Race_car_and_auto_racing Raindrop Run Scissors Screaming Shatter
        Sigh Sink_(filling_or_washing) Skateboard Slam Sneeze Squeak Stream Strum Tap Tick-tock
        Toilet_flush Traffic_noise_and_roadway_noise Trickle_and_dribble Walk_and_footsteps
        Water_tap_and_faucet Waves_and_surf Whispering Writing Yell Zipper_(clothing)
"""
#: the 80 classes, in the order of Kaggle's sample submission (sorted as text)
CLASSES: tuple[str, ...] = tuple(sorted(_CLASS_NAMES.split()))
DOWNLOAD_TIMEOUT = 60


def test_labels(raw: Path) -> pd.DataFrame:
    """``test_post_competition.csv`` of the post-competition metadata."""
    if (raw / TEST_LABELS).is_file():
        return pd.read_csv(raw / TEST_LABELS)
    if not (raw / META_ZIP).is_file():
        download(META_URL, raw / META_ZIP)
    with zipfile.ZipFile(raw / META_ZIP) as archive:
        return pd.read_csv(io.BytesIO(archive.read(TEST_LABELS)))


def download(url: str, target: Path) -> None:
    partial = target.with_name(target.name + ".part")
    try:
        with (
            urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response,
            partial.open("wb") as out,
        ):
            shutil.copyfileobj(response, out, length=1 << 20)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise RuntimeError(
            f"cannot download the test labels from {url} ({exc}); put {META_ZIP} (Zenodo "
            f"record 3612637) into the raw folder and pass it with --raw-dir"
        ) from exc
    os.replace(partial, target)


def link_entry(source: Path, target: Path) -> None:
    """A file, or every file of a folder, hard-linked to the same place below ``target``."""
    if source.is_dir():
        for folder, _subfolders, files in os.walk(source):
            for name in files:
                path = Path(folder) / name
                link_file(path, target / path.relative_to(source))
        target.mkdir(parents=True, exist_ok=True)
    else:
        link_file(source, target)


def answers_from(labels: pd.DataFrame) -> pd.DataFrame:
    """One row per private test clip (file order): ``fname`` and 0/1 per class. Names outside
    the class list are dropped, as in MLE-bench."""
    private = labels[labels["usage"] == "Private"]
    tags = [set(text.split(",")) for text in private["labels"]]
    columns = {c: [int(c in clip) for clip in tags] for c in CLASSES}
    return pd.DataFrame({ID: private[ID].to_numpy(), **columns})


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    entries = sorted(p for p in raw.iterdir() if META not in p.name)
    for entry in entries:
        link_entry(entry, public / entry.name)

    answers = answers_from(test_labels(raw))
    answers.to_csv(private / "test.csv", index=False)

    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(list(public.iterdir())) == len(entries)
    assert list(sample.columns) == [ID, *CLASSES], "the sample's classes are not the 80 expected"
    assert list(answers.columns) == list(sample.columns)
    assert len(sample) == len(answers), (len(sample), len(answers))
    assert sorted(sample[ID]) == sorted(answers[ID]), "sample and answers name other clips"
    assert answers[ID].is_unique

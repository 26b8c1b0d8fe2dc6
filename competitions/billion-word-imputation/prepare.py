"""Billion Word Imputation: MLE-bench's 1% re-split of Kaggle's training sentences.

Kaggle's test sentences have no answers, so the ~30 million training sentences of
``train_v2.txt`` (one tokenised sentence per line) are split. One ``numpy.random.RandomState(0)``
serves the whole pass: every line draws one uniform number, and a line goes to the test side
when that number is at most 0.01 and it has more than two words; a test line then draws the
position of the word to remove (never the first or the last). Both steps share the generator, so
the draws interleave exactly as in MLE-bench; uniform numbers are drawn a window at a time and
the generator is rewound to just after a test line's draw before its position is drawn.

The file is streamed line by line, straight from the zip into the public zip: the 4 GB text is
never held in memory nor written out uncompressed.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path

import numpy as np

from mle_track.competitions.preparing import ZIP_TIMESTAMP

TRAIN, TEST = "train_v2.txt", "test_v2.txt"
TEST_FRACTION = 0.01
HEADER = '"id","sentence"\n'
#: the line count of Kaggle's train_v2.txt, asserted from this many lines on (smaller files are
#: test fixtures)
KAGGLE_LINES = 30_301_028
REAL_SCALE = 1_000_000
#: uniform numbers drawn at a time
_WINDOW = 256


def assign(lines: Iterable[str], rng: np.random.RandomState) -> Iterator[tuple[str, int | None]]:
    """Each line with the index of the word it loses on the test side, or None for train."""
    source = iter(lines)
    while chunk := list(islice(source, _WINDOW)):
        start = 0
        while start < len(chunk):
            state = rng.get_state()
            draws = rng.random_sample(len(chunk) - start)
            hit = next(
                (
                    int(k)
                    for k in np.flatnonzero(draws <= TEST_FRACTION)
                    if len(chunk[start + k].split()) > 2
                ),
                None,
            )
            if hit is None:
                for line in chunk[start:]:
                    yield line, None
                break
            rng.set_state(state)
            rng.random_sample(hit + 1)  # the draws up to and including the test line's
            for line in chunk[start : start + hit]:
                yield line, None
            line = chunk[start + hit]
            yield line, int(rng.randint(1, len(line.split()) - 1))
            start += hit + 1


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)  # fixed metadata: reproducible zips
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _open_source(raw: Path, stack: ExitStack) -> io.TextIOWrapper:
    """``train_v2.txt`` as MLE-bench reads it once extracted: UTF-8 text, universal newlines."""
    if (raw / f"{TRAIN}.zip").is_file():
        archive = stack.enter_context(zipfile.ZipFile(raw / f"{TRAIN}.zip"))
        return stack.enter_context(
            io.TextIOWrapper(archive.open(TRAIN), encoding="utf-8", newline=None)
        )
    return stack.enter_context((raw / TRAIN).open(encoding="utf-8", newline=None))


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    rng = np.random.RandomState(0)
    n_train = n_test = 0
    with ExitStack() as stack:
        source = _open_source(raw, stack)
        train_zip = stack.enter_context(
            zipfile.ZipFile(public / f"{TRAIN}.zip", "w", zipfile.ZIP_DEFLATED)
        )
        train = stack.enter_context(
            io.TextIOWrapper(
                train_zip.open(_info(TRAIN), "w", force_zip64=True), encoding="utf-8", newline=""
            )
        )
        answers = stack.enter_context(
            (private / "test.csv").open("w", encoding="utf-8", newline="")
        )
        masked = stack.enter_context(
            (private / "sample_submission.csv").open("w", encoding="utf-8", newline="")
        )
        answers.write(HEADER)
        masked.write(HEADER)
        for line, dropped in assign(source, rng):
            if dropped is None:
                train.write(line)
                n_train += 1
                continue
            sentence = line.strip().replace('"', '""')  # CSV-escaped before the word goes
            words = sentence.split()
            answers.write(f'{n_test},"{sentence}"\n')
            masked.write(f'{n_test},"{" ".join(words[:dropped] + words[dropped + 1 :])}"\n')
            n_test += 1

    # the masked sentences are the public test file, and a valid (private) sample submission
    with (
        zipfile.ZipFile(public / f"{TEST}.zip", "w", zipfile.ZIP_DEFLATED) as test_zip,
        (private / "sample_submission.csv").open("rb") as masked_bytes,
        test_zip.open(_info(TEST), "w", force_zip64=True) as member,
    ):
        shutil.copyfileobj(masked_bytes, member)

    assert n_test > 0 and n_train > n_test
    for name in ("test.csv", "sample_submission.csv"):
        with (private / name).open(encoding="utf-8") as handle:
            assert sum(1 for _ in handle) == n_test + 1, f"{name} has a wrong line count"
    if n_train + n_test >= REAL_SCALE:
        assert n_train + n_test == KAGGLE_LINES, f"{n_train + n_test} lines in {TRAIN}"
    assert not (public / TRAIN).exists() and not (public / TEST).exists()

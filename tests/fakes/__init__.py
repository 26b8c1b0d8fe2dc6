"""Test doubles for the data pipeline: a fake Kaggle API and tiny competitions built on disk.

:func:`add_competition` writes a complete competition folder (config.yaml, prepare.py,
description.md) whose prepare is cheap and deterministic and which can be slowed down or made to
log its runs through environment variables, so the locking and interruption tests can watch it
from another process. :func:`build_wheel` makes a small valid wheel for the pypi-wheel source.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import yaml

#: env var: file the toy prepare appends one line to per run
ENV_LOG = "TOY_PREPARE_LOG"
#: env var: file the toy prepare creates when it starts (before sleeping)
ENV_STARTED = "TOY_PREPARE_STARTED"
#: env var: seconds the toy prepare sleeps after starting
ENV_SLEEP = "TOY_PREPARE_SLEEP"

TOY_PREPARE = textwrap.dedent(
    f'''
    """Toy split: the last two rows of raw/train.csv become the test set."""

    import csv
    import os
    import time
    from pathlib import Path


    def _write(path, header, rows):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)


    def prepare(raw: Path, public: Path, private: Path) -> None:
        if os.environ.get("{ENV_LOG}"):
            with open(os.environ["{ENV_LOG}"], "a") as log:
                log.write(f"{{os.getpid()}}\\n")
        if os.environ.get("{ENV_STARTED}"):
            Path(os.environ["{ENV_STARTED}"]).write_text("started")
        time.sleep(float(os.environ.get("{ENV_SLEEP}") or 0))
        with (raw / "train.csv").open() as handle:
            rows = [(r["id"], r["x"], r["label"]) for r in csv.DictReader(handle)]
        train, test = rows[:-2], rows[-2:]
        _write(public / "train.csv", ["id", "x", "label"], train)
        _write(public / "test.csv", ["id", "x"], [(i, x) for i, x, _ in test])
        _write(public / "sample_submission.csv", ["id", "label"], [(i, 0) for i, _, _ in test])
        _write(public / "extra" / "notes.csv", ["n"], [(len(train),)])
        _write(private / "test.csv", ["id", "label"], [(i, y) for i, _, y in test])
    '''
).lstrip()

RAW_ROWS = [(str(i), str(i * 1.5), str(i % 2)) for i in range(1, 11)]


def write_toy_raw(folder: Path, rows: list[tuple[str, str, str]] | None = None) -> Path:
    """The raw files the toy prepare reads: ``train.csv`` with id, x, label."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "train.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "x", "label"])
        writer.writerows(rows or RAW_ROWS)
    return folder


def add_competition(
    competitions_dir: Path,
    competition_id: str,
    source: dict[str, Any],
    *,
    prepare: str = TOY_PREPARE,
    version: int = 1,
    suites: dict[str, list[str]] | None = None,
) -> Path:
    """Write ``competitions_dir/<id>/`` with config.yaml, prepare.py and description.md."""
    folder = competitions_dir / competition_id
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "id": competition_id,
        "name": competition_id.replace("-", " ").title(),
        "version": version,
        "metric": {"name": "accuracy", "id_column": "id", "target_columns": ["label"]},
        "direction": "higher",
        "answers": "private/test.csv",
        "sample_submission": "public/sample_submission.csv",
        "source": source,
        "leaderboard": {"source": "none"},
    }
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    (folder / "prepare.py").write_text(prepare)
    (folder / "description.md").write_text(f"# {competition_id}\n\nPredict the label.\n")
    if suites is not None:
        (competitions_dir / "suites.yaml").write_text(yaml.safe_dump({"suites": suites}))
    return folder


def build_wheel(dest: Path, package: str, version: str, members: dict[str, bytes]) -> Path:
    """A small but valid pure-python wheel holding ``members`` (paths inside the wheel)."""
    dest.mkdir(parents=True, exist_ok=True)
    dist = package.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = dict(members)
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: mle-track-tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = dest / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return wheel

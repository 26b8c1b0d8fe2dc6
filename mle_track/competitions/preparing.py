"""Helpers that competitions' ``prepare.py`` files share.

Split fidelity with MLE-bench depends on calling scikit-learn's ``train_test_split`` exactly as
it does (same row order, fraction and ``random_state``); media files are copied or re-zipped
deterministically (sorted members, fixed timestamps) so checksums are stable across machines.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

#: a fixed timestamp for zip members, so a re-zip is byte-identical
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)


def split(
    frame: pd.DataFrame,
    test_size: float | int,
    random_state: int = 0,
    stratify: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``sklearn.model_selection.train_test_split`` with MLE-bench's defaults (seed 0)."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(
        frame, test_size=test_size, random_state=random_state, stratify=stratify
    )
    return train, test


def numbered_split(
    frame: pd.DataFrame, test_size: float | int, stratify: pd.Series | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`split`, then an ``id`` column numbering the rows 1, 2, … (train first, then test).

    The ids are given after the shuffle, so neither an id nor the row order says anything about
    the target (the practice competitions' source tables are often sorted by it).
    """
    train, test = split(frame, test_size=test_size, stratify=stratify)
    train = train.reset_index(drop=True)
    test = test.reset_index(drop=True)
    train.insert(0, "id", range(1, len(train) + 1))
    test.insert(0, "id", range(len(train) + 1, len(train) + len(test) + 1))
    return train, test


def copy_files(names: Iterable[str], source: Path, target: Path) -> int:
    """Copy ``source/name`` to ``target/name`` for each name; returns how many were copied."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for name in names:
        shutil.copyfile(source / name, target / name)
        count += 1
    return count


def zip_folder(folder: Path, archive: Path, arcname_prefix: str = "") -> None:
    """Zip every file under ``folder`` (sorted, fixed timestamps) so the archive is reproducible."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = arcname_prefix + path.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, path.read_bytes())


def one_hot(
    frame: pd.DataFrame, id_column: str, target_column: str, classes: Sequence[str]
) -> pd.DataFrame:
    """``id`` plus one 0/1 column per class, in the given class order."""
    unknown = set(frame[target_column]) - set(classes)
    if unknown:
        raise ValueError(f"labels outside the class list: {sorted(map(str, unknown))[:5]}")
    columns = {c: (frame[target_column] == c).astype(int).to_numpy() for c in classes}
    return pd.DataFrame({id_column: frame[id_column].to_numpy(), **columns})


def link_file(source: Path, target: Path) -> None:
    """Put ``source`` at ``target`` without copying its bytes where the file system allows:
    a hard link (media of tens of gigabytes cost no space twice), else a copy. The prepared
    tree is sealed read-only afterwards, so sharing the raw file's inode is safe."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def link_files(names: Iterable[str], source: Path, target: Path) -> int:
    """:func:`link_file` for ``source/name`` → ``target/name``; returns how many."""
    count = 0
    for name in names:
        link_file(source / name, target / name)
        count += 1
    return count

"""Extracting downloaded archives (``.zip`` and ``.7z``) into ``raw/``.

Like MLE-bench, only the top-level archive is extracted by default: several prepare functions
read the inner zips themselves (and re-zip images for the agent), so unpacking them here would
break those. ``nested=True`` unpacks inner archives too, for competitions that want that.
Member paths are checked to stay inside the target, whatever the archive says.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from mle_track.errors import PrepareError

ARCHIVE_SUFFIXES = (".zip", ".7z")


def is_archive(path: Path) -> bool:
    return path.suffix.lower() in ARCHIVE_SUFFIXES


def is_complete_archive(path: Path) -> bool:
    """False for a truncated download (a zip without its central directory, a bad 7z header)."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".zip":
        return zipfile.is_zipfile(path)
    if path.suffix.lower() == ".7z":
        import py7zr

        try:
            with py7zr.SevenZipFile(path, mode="r") as archive:
                archive.getnames()
        except Exception:
            return False
        return True
    return False


def extract(archive: Path, target: Path, *, nested: bool = False) -> list[Path]:
    """Extract ``archive`` into ``target``; returns the top-level entries that appeared."""
    target.mkdir(parents=True, exist_ok=True)
    before = set(target.iterdir())
    suffix = archive.suffix.lower()
    if suffix == ".zip":
        _extract_zip(archive, target)
    elif suffix == ".7z":
        _extract_7z(archive, target)
    else:
        raise PrepareError(f"cannot extract {archive.name}: only .zip and .7z are supported")
    if nested:
        _extract_inner(target)
    return sorted(set(target.iterdir()) - before)


def _check_members(archive: Path, names: list[str], target: Path) -> None:
    root = target.resolve()
    for name in names:
        dest = (root / name).resolve()
        if dest != root and root not in dest.parents:
            raise PrepareError(f"{archive.name}: member {name!r} would land outside {target}")


def _extract_zip(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            _check_members(archive, zf.namelist(), target)
            zf.extractall(target)
    except zipfile.BadZipFile as exc:
        raise PrepareError(f"{archive} is not a valid zip file: {exc}") from exc


def _extract_7z(archive: Path, target: Path) -> None:
    import py7zr

    try:
        with py7zr.SevenZipFile(archive, mode="r") as sz:
            _check_members(archive, sz.getnames(), target)
            sz.extractall(path=target)
    except py7zr.Bad7zFile as exc:
        raise PrepareError(f"{archive} is not a valid 7z file: {exc}") from exc


def _extract_inner(folder: Path) -> None:
    """Unpack every archive below ``folder`` next to itself and remove it, until none is left."""
    while True:
        inner = sorted(p for p in folder.rglob("*") if p.is_file() and is_archive(p))
        if not inner:
            return
        for path in inner:
            extract(path, path.parent)
            path.unlink()

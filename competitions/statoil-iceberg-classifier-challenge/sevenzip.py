"""7z archives and JSON arrays for this competition's prepare (and its synthetic data).

Kaggle ships the records as ``*.json.7z`` and MLE-bench passes the new splits on as 7z archives
too. ``write_7z`` writes them reproducibly: py7zr stamps every member with the current time (and
with a file's ctime, which cannot be set), so the member's times are fixed after it is added and
before the header is written on close. ``json_array_items`` reads a JSON array one element at a
time, for Kaggle's 1.5 GB ``test.json`` of which only the field names are needed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

#: 2020-01-01T00:00:00Z, the time every member of a written archive carries
FIXED_TIME = 1577836800.0
_TIMES = ("creationtime", "lastwritetime", "lastaccesstime")
_CHUNK = 1 << 20
_NUMBER_CHARS = frozenset("0123456789.eE+-")


def write_7z(archive: Path, members: Mapping[str, Path | bytes]) -> None:
    """``archive`` holding each member (a file, streamed, or bytes) with fixed timestamps."""
    import io

    import py7zr
    from py7zr.helpers import ArchiveTimestamp

    stamp = ArchiveTimestamp.from_datetime(FIXED_TIME)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with py7zr.SevenZipFile(archive, "w") as out:
        for name, content in members.items():
            if isinstance(content, Path):
                with content.open("rb") as handle:
                    out.writef(handle, name)
            else:
                out.writef(io.BytesIO(content), name)
            info = out.header.files_info.files[-1]
            for key in _TIMES:
                info[key] = stamp


def extract_member(archive: Path, member: str, target: Path) -> Path:
    """``member`` of the 7z ``archive`` extracted to ``target/member``; returns that path.

    The member is extracted into a temporary folder beside it and renamed into place when
    complete, so an interrupted extraction never leaves a truncated file at ``target/member``.
    """
    import py7zr

    path = target / member
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".extracting-", dir=path.parent) as scratch:
        with py7zr.SevenZipFile(archive, "r") as source:
            names = source.getnames()
            if member not in names:
                raise FileNotFoundError(
                    f"{archive.name} has no member {member!r}, only {names[:5]}"
                )
            source.extract(path=scratch, targets=[member])
        extracted = Path(scratch) / member
        if not extracted.is_file():
            raise FileNotFoundError(f"extracting {member!r} from {archive.name} wrote nothing")
        os.replace(extracted, path)
    return path


def json_array_items(path: Path) -> Iterator[Any]:
    """The elements of the JSON array in ``path``, decoded one at a time."""
    with path.open(encoding="utf-8") as handle:
        yield from _items(handle)


def _items(handle: IO[str]) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    buffer, position, eof = "", 0, False

    def fill(size: int) -> bool:
        nonlocal buffer, position, eof
        chunk = handle.read(size)
        eof = not chunk
        buffer, position = buffer[position:] + chunk, 0
        return bool(chunk)

    def next_char() -> str:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not fill(_CHUNK):
                raise ValueError(f"{handle.name}: the JSON array ends early")

    if next_char() != "[":
        raise ValueError(f"{handle.name}: not a JSON array")
    position += 1
    if next_char() == "]":
        return
    while True:
        next_char()
        try:
            item, end = decoder.raw_decode(buffer, position)
            # a number cut by the chunk's end may go on in the next chunk
            complete = eof or (end < len(buffer) and buffer[end] not in _NUMBER_CHARS)
        except json.JSONDecodeError:
            if eof:
                raise
            complete = False
        if not complete:
            fill(max(_CHUNK, len(buffer)))
            continue
        position = end
        yield item
        separator = next_char()
        position += 1
        if separator == "]":
            return
        if separator != ",":
            raise ValueError(f"{handle.name}: expected ',' or ']' after an element")

"""A short preview of the competition's public files, for the prompt.

Built on the host from the *public* folder (the same files the sandbox mounts read-only, so
nothing the agent could not read itself). A model that sees the files, their sizes, the CSV
columns and a few rows writes a first script that loads the data correctly far more often than
one that guesses from the description. Kept within a character budget: a folder of 50,000
images is one line, not 50,000.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

MAX_CHARS = 6000
MAX_LISTED = 40
ROWS_SHOWN = 3
#: files larger than this are not line-counted (reading them takes too long for a preview)
COUNT_LIMIT = 200 << 20


def preview(public: Path, max_chars: int = MAX_CHARS) -> str:
    lines = ["Files in the data folder:"]
    tables: list[Path] = []
    entries = sorted(public.iterdir(), key=lambda p: (p.is_dir(), p.name))
    for entry in entries[:MAX_LISTED]:
        if entry.is_dir():
            lines.append(f"- {entry.name}/ {_folder_summary(entry)}")
        else:
            lines.append(f"- {entry.name} ({_size(entry.stat().st_size)})")
            if entry.suffix.lower() in (".csv", ".tsv"):
                tables.append(entry)
    if len(entries) > MAX_LISTED:
        lines.append(f"- ... and {len(entries) - MAX_LISTED} more")
    for table in tables:
        lines += ["", *_table(table)]
    text = "\n".join(lines)
    return text if len(text) <= max_chars else text[: max_chars - 20] + "\n[preview truncated]"


def _folder_summary(folder: Path) -> str:
    count, size = 0, 0
    kinds: Counter[str] = Counter()
    for root, _, files in os.walk(folder):
        for name in files:
            count += 1
            kinds[Path(name).suffix.lower() or "(no extension)"] += 1
            size += (Path(root) / name).stat().st_size
    common = ", ".join(f"{n} {k}" for k, n in kinds.most_common(3))
    return f"({count} files, {_size(size)}: {common})" if count else "(empty)"


def _table(path: Path) -> list[str]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader, [])
            rows = [row for _, row in zip(range(ROWS_SHOWN), reader, strict=False)]
    except (OSError, csv.Error) as exc:
        return [f"{path.name}: unreadable ({exc})"]
    count = _rows(path)
    shown_columns = header if len(header) <= 30 else [*header[:25], f"... ({len(header)} columns)"]
    out = [f"{path.name}: {count} rows, {len(header)} columns: {', '.join(shown_columns)}"]
    for row in rows:
        cells = [_cell(c) for c in row[:12]]
        more = ", ..." if len(row) > 12 else ""
        out.append("  " + ", ".join(cells) + more)
    return out


def _rows(path: Path) -> str:
    size = path.stat().st_size
    if size > COUNT_LIMIT:
        return "many"
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return f"{max(0, lines - 1):,}"


def _cell(value: str) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= 30 else value[:27] + "..."


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f} {unit}"

"""Reading submission and answer CSVs into Arrow tables, with reasons a person can act on.

Submissions come from agents and can be anything: empty, binary junk, semicolon-separated,
prefixed with a byte-order mark, ten times too long. Each of these becomes an
:class:`InvalidSubmission` whose message says what was found. Only the columns a metric needs are
parsed (with Arrow's multi-threaded reader), and id columns are always read as text on both sides
so ``007`` and ``7`` are never silently merged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import pyarrow as pa
import pyarrow.csv as pacsv

from mle_track.errors import InvalidSubmission

BOM = b"\xef\xbb\xbf"
_HEADER_PROBE_BYTES = 1 << 16
_OTHER_DELIMITERS = (";", "\t", "|")


@dataclass(frozen=True)
class CsvHeader:
    columns: tuple[str, ...]
    has_bom: bool


def read_header(path: Path) -> CsvHeader:
    """The column names of a CSV file; raises InvalidSubmission for files that are not CSV."""
    if not path.exists():
        raise InvalidSubmission(f"no submission file at {path}")
    if not path.is_file():
        raise InvalidSubmission(f"{path} is not a regular file")
    if path.suffix.lower() != ".csv":
        raise InvalidSubmission(f"submission must be a .csv file, got {path.name!r}")
    with path.open("rb") as handle:
        head = handle.read(_HEADER_PROBE_BYTES)
    if not head.strip():
        raise InvalidSubmission("submission file is empty")
    has_bom = head.startswith(BOM)
    if has_bom:
        head = head[len(BOM) :]
    if b"\x00" in head:
        raise InvalidSubmission("submission is binary data, not a CSV text file")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a multi-byte character cut by the probe
            raise InvalidSubmission(
                f"submission is not UTF-8 text (undecodable byte at offset {exc.start})"
            ) from None
        text = head[: exc.start].decode("utf-8")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    columns = next(csv.reader(io.StringIO(first_line)), [])
    if not any(c.strip() for c in columns):
        raise InvalidSubmission("submission has no header row")
    return CsvHeader(tuple(columns), has_bom)


def delimiter_hint(header: CsvHeader) -> str:
    """A hint when the header looks separated by something other than commas."""
    if len(header.columns) == 1:
        for delimiter in _OTHER_DELIMITERS:
            if delimiter in header.columns[0]:
                name = {"\t": "tab"}.get(delimiter, repr(delimiter))
                return f" (the header looks {name}-separated; the file must use commas)"
    return ""


#: a CSV to parse: a file, or bytes already read (the answers, hashed before they are parsed)
CsvSource: TypeAlias = Path | pa.NativeFile


def read_columns(
    path: CsvSource, columns: Sequence[str], text_columns: Sequence[str] = ()
) -> pa.Table:
    """Parse only ``columns`` of a CSV (``text_columns`` kept as strings, others inferred).

    Raises InvalidSubmission when the body cannot be parsed: ragged rows, bad UTF-8.
    """
    convert = pacsv.ConvertOptions(
        include_columns=list(columns),
        column_types={c: pa.string() for c in text_columns},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        return pacsv.read_csv(path, convert_options=convert)
    except pa.ArrowInvalid as exc:
        message = str(exc).splitlines()[0]
        if "UTF8" in message or "UTF-8" in message:
            raise InvalidSubmission(f"submission is not valid UTF-8 text: {message}") from None
        if "Empty CSV" in message:
            raise InvalidSubmission("submission file is empty") from None
        raise InvalidSubmission(f"submission cannot be parsed as CSV: {message}") from None

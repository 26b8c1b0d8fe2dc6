"""The subset of BSON that Cdiscount's files use, read one document at a time.

A BSON file is a plain concatenation of documents. A document is ``int32 total length``
(little-endian, counting itself), then elements, then a NUL byte; an element is ``type byte,
key (a NUL-terminated string), value``. Cdiscount's products are ``{_id: int, imgs: [{picture:
binary}, ...], category_id: int}`` (``test.bson`` without ``category_id``); arrays are
documents keyed ``"0"``, ``"1"``, …

The prepare never decodes the images: it walks the top-level elements of each document to read
``_id`` and ``category_id``, copies a document's bytes unchanged, and drops one element by
slicing it out and rewriting the length. MLE-bench decodes and re-encodes every document with
pymongo's ``bson``, which gives the same bytes for documents of this shape (ints that fit 32
bits stored as int32, binary subtype 0). Decoding and encoding of whole documents exist here
only for the synthetic data and its checks.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

#: value sizes of the fixed-width element types
_FIXED = {0x01: 8, 0x07: 12, 0x08: 1, 0x09: 8, 0x0A: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16}
_MAX_DOCUMENT = 1 << 30


def documents(path: Path) -> Iterator[bytes]:
    """Every document of a BSON file, in file order, one at a time (constant memory)."""
    with path.open("rb", buffering=1 << 20) as handle:
        offset = 0
        while head := handle.read(4):
            if len(head) < 4:
                raise ValueError(f"{path.name}: truncated document at byte {offset}")
            (length,) = struct.unpack("<i", head)
            if not 5 <= length <= _MAX_DOCUMENT:
                raise ValueError(f"{path.name}: bad document length {length} at byte {offset}")
            body = handle.read(length - 4)
            if len(body) < length - 4 or body[-1] != 0:
                raise ValueError(f"{path.name}: truncated document at byte {offset}")
            yield head + body
            offset += length


def elements(document: bytes) -> Iterator[tuple[str, int, int, int, int]]:
    """``(key, type, element start, value start, element end)`` of each top-level element."""
    position, end = 4, len(document) - 1
    while position < end:
        start, kind = position, document[position]
        key_end = document.index(b"\x00", position + 1)
        key = document[position + 1 : key_end].decode("utf-8")
        value = key_end + 1
        if kind in _FIXED:
            size = _FIXED[kind]
        elif kind in (0x02, 0x0D, 0x0E):  # string, JavaScript code, symbol
            size = 4 + struct.unpack_from("<i", document, value)[0]
        elif kind in (0x03, 0x04):  # document, array
            size = struct.unpack_from("<i", document, value)[0]
        elif kind == 0x05:  # binary: length, subtype, bytes
            size = 5 + struct.unpack_from("<i", document, value)[0]
        elif kind in (0xFF, 0x7F):  # min key, max key
            size = 0
        else:
            raise ValueError(f"unsupported BSON element type 0x{kind:02x} (key {key!r})")
        position = value + size
        if position > end:
            raise ValueError(f"BSON element {key!r} runs past the end of its document")
        yield key, kind, start, value, position


def integer(document: bytes, key: str) -> int | None:
    """The value of a top-level int32 or int64 element ``key`` (None when absent)."""
    for name, kind, _, value, _ in elements(document):
        if name == key:
            if kind == 0x10:
                return int(struct.unpack_from("<i", document, value)[0])
            if kind == 0x12:
                return int(struct.unpack_from("<q", document, value)[0])
            raise ValueError(f"BSON element {key!r} is of type 0x{kind:02x}, not an integer")
    return None


def without(document: bytes, key: str) -> bytes:
    """The document with its top-level element ``key`` removed (unchanged when absent)."""
    for name, _, start, _, end in elements(document):
        if name == key:
            body = document[4:start] + document[end:]
            return struct.pack("<i", len(body) + 4) + body
    return document


# ------------------------------------------------------------- whole documents (synthetic data)


def _element(key: str, value: Any) -> bytes:
    name = key.encode("utf-8") + b"\x00"
    if isinstance(value, bool):
        return b"\x08" + name + (b"\x01" if value else b"\x00")
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return b"\x10" + name + struct.pack("<i", value)
        return b"\x12" + name + struct.pack("<q", value)
    if isinstance(value, bytes):
        return b"\x05" + name + struct.pack("<i", len(value)) + b"\x00" + value
    if isinstance(value, str):
        data = value.encode("utf-8") + b"\x00"
        return b"\x02" + name + struct.pack("<i", len(data)) + data
    if isinstance(value, Mapping):
        return b"\x03" + name + encode(value)
    if isinstance(value, Sequence):
        return b"\x04" + name + encode({str(i): v for i, v in enumerate(value)})
    raise TypeError(f"cannot encode {type(value).__name__} as BSON")


def encode(document: Mapping[str, Any]) -> bytes:
    """One BSON document (ints, bytes as binary subtype 0, str, lists, dicts, bools)."""
    body = b"".join(_element(k, v) for k, v in document.items()) + b"\x00"
    return struct.pack("<i", len(body) + 4) + body


def decode(document: bytes) -> dict[str, Any]:
    """The inverse of :func:`encode` (arrays come back as lists)."""
    out: dict[str, Any] = {}
    for key, kind, _, value, end in elements(document):
        if kind == 0x10:
            out[key] = struct.unpack_from("<i", document, value)[0]
        elif kind == 0x12:
            out[key] = struct.unpack_from("<q", document, value)[0]
        elif kind == 0x08:
            out[key] = document[value] == 1
        elif kind == 0x05:
            out[key] = document[value + 5 : end]
        elif kind == 0x02:
            out[key] = document[value + 4 : end - 1].decode("utf-8")
        elif kind in (0x03, 0x04):
            inner = decode(document[value:end])
            out[key] = list(inner.values()) if kind == 0x04 else inner
        else:
            raise ValueError(f"cannot decode BSON element type 0x{kind:02x}")
    return out

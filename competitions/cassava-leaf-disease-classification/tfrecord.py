"""Just enough of the TFRecord format to read each record's ``image_name`` (and, for the
synthetic data, to write small files), without TensorFlow.

A TFRecord file is a run of records ``[u64 length][u32 masked crc32c(length)][data][u32 masked
crc32c(data)]`` (little-endian), where ``masked(c) = rotate_right(c, 15) + 0xA282EAD8``. The
data of each record is a serialized ``tf.train.Example``: field 1 holds ``Features``, whose
repeated field 1 is a map entry (key = field 1, a string; value = field 2, a ``Feature``); a
``Feature`` holds a ``BytesList`` in field 1 (``Int64List`` in field 3), whose repeated field 1
is the values. MLE-bench reads the same feature with TensorFlow.

The length checksum of every record is verified (a file that is not a TFRecord fails at once);
the data checksum is not (a pure-Python CRC over gigabytes of JPEGs would take minutes), but a
corrupt record still fails as a protobuf that does not parse or lacks the feature.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

_POLY = 0x82F63B78  # Castagnoli, bit-reversed
_TABLE: list[int] = []
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ _POLY if _crc & 1 else _crc >> 1
    _TABLE.append(_crc)


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def records(path: Path) -> Iterator[bytes]:
    """The data of each record of ``path``, in file order, one at a time."""
    with path.open("rb") as handle:
        while header := handle.read(12):
            if len(header) < 12:
                raise ValueError(f"{path.name}: truncated record header")
            length, length_crc = struct.unpack("<QI", header)
            if masked_crc(header[:8]) != length_crc:
                raise ValueError(f"{path.name}: bad length checksum (not a TFRecord file?)")
            data = handle.read(length)
            if len(data) < length or len(handle.read(4)) < 4:
                raise ValueError(f"{path.name}: truncated record")
            yield data


def _varint(buffer: memoryview, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(buffer):
            raise ValueError("truncated protobuf varint")
        byte = buffer[position]
        value |= (byte & 0x7F) << shift
        position += 1
        if byte < 0x80:
            return value, position
        shift += 7


def _length_delimited(buffer: memoryview) -> Iterator[tuple[int, memoryview]]:
    """``(field number, payload)`` of the length-delimited fields; other fields are skipped."""
    position = 0
    while position < len(buffer):
        key, position = _varint(buffer, position)
        wire = key & 7
        if wire == 0:
            _, position = _varint(buffer, position)
        elif wire == 1:
            position += 8
        elif wire == 5:
            position += 4
        elif wire == 2:
            size, position = _varint(buffer, position)
            if position + size > len(buffer):
                raise ValueError("truncated protobuf field")
            yield key >> 3, buffer[position : position + size]
            position += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def bytes_feature(example: bytes, name: str) -> bytes | None:
    """The first value of the bytes feature ``name`` of a serialized Example (None if absent;
    a key given twice keeps its last value, as protobuf maps do)."""
    found = None
    for number, features in _length_delimited(memoryview(example)):
        if number != 1:
            continue
        for entry_number, entry in _length_delimited(features):
            if entry_number != 1:
                continue
            fields = dict(_length_delimited(entry))
            if 1 not in fields or bytes(fields[1]).decode("utf-8") != name or 2 not in fields:
                continue
            lists = [v for n, v in _length_delimited(fields[2]) if n == 1]
            values = [bytes(v) for n, v in _length_delimited(lists[-1]) if n == 1] if lists else []
            found = values[0] if values else None
    return found


def image_names(path: Path, feature: str = "image_name") -> list[str]:
    """The ``image_name`` of every record of ``path``, in file order (MLE-bench's test ids)."""
    names = []
    for index, data in enumerate(records(path)):
        value = bytes_feature(data, feature)
        if value is None:
            raise ValueError(f"{path.name}: record {index} has no bytes feature {feature!r}")
        names.append(value.decode("utf-8"))
    return names


# ------------------------------------------------------------------ writing (synthetic data)


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def encode_example(features: Mapping[str, bytes | int]) -> bytes:
    """An Example of bytes features (``bytes``) and single non-negative int64 ones (``int``)."""
    entries = b""
    for key, value in features.items():
        if isinstance(value, bytes):
            feature = _field(1, _field(1, value))
        else:
            feature = _field(3, _field(1, _encode_varint(value)))
        entries += _field(1, _field(1, key.encode("utf-8")) + _field(2, feature))
    return _field(1, entries)


def write_records(path: Path, items: Iterable[bytes]) -> None:
    with path.open("wb") as handle:
        for data in items:
            length = struct.pack("<Q", len(data))
            handle.write(length + struct.pack("<I", masked_crc(length)))
            handle.write(data + struct.pack("<I", masked_crc(data)))

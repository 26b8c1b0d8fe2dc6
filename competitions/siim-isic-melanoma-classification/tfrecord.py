"""TFRecord files of ``tf.train.Example`` records, read and written with the standard library.

MLE-bench takes SIIM's test images from two of Kaggle's training TFRecord files and reads their
``image_name`` feature with TensorFlow; a multi-gigabyte dependency for a few kilobytes of names.
This module reads exactly that feature (and writes small files for the synthetic test data).

File format: a sequence of records, each ``[uint64 length][uint32 masked CRC-32C of the length
bytes][data][uint32 masked CRC-32C of the data]``, little-endian; ``masked(c) =
((c >> 15 | c << 17) + 0xA282EAD8) mod 2**32``. Each ``data`` is a serialized protobuf::

    Example   { Features features = 1; }
    Features  { map<string, Feature> feature = 1; }   // repeated entries {key = 1; value = 2}
    Feature   { oneof { BytesList bytes_list = 1; FloatList float_list = 2;
                        Int64List int64_list = 3; } }
    BytesList { repeated bytes value = 1; }

Only wire types 0 (varint), 1 (64-bit), 2 (length-delimited) and 5 (32-bit) occur. The image
bytes of each record are skipped by slicing a memoryview, never copied or decoded.

Checks: the length CRC of every record is verified (it is 8 bytes, so free) and a truncated
file raises. The data CRC is verified only with ``verify_data=True``: a pure-Python CRC-32C
runs at a few MB/s and Kaggle's files hold gigabytes of JPEGs. An undetected corrupt record
still fails loudly as a protobuf that does not parse or has no ``image_name``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

_MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF


def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1  # reversed Castagnoli poly
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data: bytes | memoryview) -> int:
    """CRC-32C (Castagnoli), the checksum TFRecord uses; ``crc32c(b"123456789") == 0xE3069283``."""
    crc = _U32
    for byte in bytes(data):
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ _U32


def masked_crc(data: bytes | memoryview) -> int:
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def iter_records(path: Path, *, verify_data: bool = False) -> Iterator[bytes]:
    """The data of every record in ``path``, in file order."""
    with path.open("rb") as handle:
        while True:
            header = handle.read(12)
            if not header:
                return
            if len(header) < 12:
                raise ValueError(f"{path.name}: truncated record header")
            (length,) = struct.unpack("<Q", header[:8])
            (length_crc,) = struct.unpack("<I", header[8:])
            if masked_crc(header[:8]) != length_crc:
                raise ValueError(f"{path.name}: bad length checksum (not a TFRecord file?)")
            data = handle.read(length)
            footer = handle.read(4)
            if len(data) < length or len(footer) < 4:
                raise ValueError(f"{path.name}: truncated record")
            if verify_data and masked_crc(data) != struct.unpack("<I", footer)[0]:
                raise ValueError(f"{path.name}: bad data checksum")
            yield data


def write_records(path: Path, records: Iterable[bytes]) -> None:
    with path.open("wb") as handle:
        for data in records:
            length = struct.pack("<Q", len(data))
            handle.write(length + struct.pack("<I", masked_crc(length)))
            handle.write(data + struct.pack("<I", masked_crc(data)))


# ------------------------------------------------------------------------------------ protobuf


def _varint(buffer: memoryview, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(buffer):
            raise ValueError("truncated varint")
        byte = buffer[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def _fields(buffer: memoryview) -> Iterator[tuple[int, int, int | memoryview]]:
    """``(field number, wire type, value)``; length-delimited values are memoryview slices."""
    position = 0
    while position < len(buffer):
        key, position = _varint(buffer, position)
        number, wire = key >> 3, key & 7
        value: int | memoryview
        if wire == 0:
            value, position = _varint(buffer, position)
        elif wire == 1:
            value, position = (
                int.from_bytes(buffer[position : position + 8], "little"),
                position + 8,
            )
        elif wire == 2:
            size, position = _varint(buffer, position)
            value, position = buffer[position : position + size], position + size
        elif wire == 5:
            value, position = (
                int.from_bytes(buffer[position : position + 4], "little"),
                position + 4,
            )
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if position > len(buffer):
            raise ValueError("truncated protobuf field")
        yield number, wire, value


def _submessages(buffer: memoryview, number: int) -> Iterator[memoryview]:
    for field, wire, value in _fields(buffer):
        if field == number and wire == 2 and isinstance(value, memoryview):
            yield value


def bytes_feature(example: bytes, name: str) -> list[bytes] | None:
    """The values of the ``bytes_list`` feature ``name`` of one serialized Example, or None.

    A key that occurs twice keeps its last value, as protobuf map parsing does.
    """
    found: list[bytes] | None = None
    for features in _submessages(memoryview(example), 1):
        for entry in _submessages(features, 1):
            key = value = None
            for field, wire, content in _fields(entry):
                if wire == 2 and isinstance(content, memoryview):
                    if field == 1:
                        key = bytes(content).decode("utf-8")
                    elif field == 2:
                        value = content
            if key != name or value is None:
                continue
            found = [
                bytes(item) for bytes_list in _submessages(value, 1)
                for item in _submessages(bytes_list, 1)
            ]  # fmt: skip
    return found


def read_ids(path: Path, feature: str = "image_name") -> list[str]:
    """The first value of ``feature`` in every record, decoded as UTF-8 (MLE-bench's ids)."""
    ids = []
    for index, record in enumerate(iter_records(path)):
        values = bytes_feature(record, feature)
        if not values:
            raise ValueError(f"{path.name}: record {index} has no bytes feature {feature!r}")
        ids.append(values[0].decode("utf-8"))
    return ids


# ------------------------------------------------------------------------------------- writing

FeatureValue = bytes | str | int | float | Sequence[int] | Sequence[float]


def _encode_varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 values are ten-byte two's complement varints
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _length_delimited(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _feature(value: FeatureValue) -> bytes:
    if isinstance(value, str):
        return _length_delimited(1, _length_delimited(1, value.encode("utf-8")))
    if isinstance(value, bytes):
        return _length_delimited(1, _length_delimited(1, value))
    items: list[int | float] = [value] if isinstance(value, int | float) else list(value)
    if all(isinstance(v, int) for v in items):
        packed = b"".join(_encode_varint(int(v)) for v in items)
        return _length_delimited(3, _length_delimited(1, packed))
    packed = b"".join(struct.pack("<f", float(v)) for v in items)
    return _length_delimited(2, _length_delimited(1, packed))


def encode_example(features: Mapping[str, FeatureValue]) -> bytes:
    """A serialized ``tf.train.Example``: bytes/str → bytes_list, ints → int64_list (packed),
    floats → float_list (packed)."""
    entries = b"".join(
        _length_delimited(
            1, _length_delimited(1, key.encode("utf-8")) + _length_delimited(2, _feature(v))
        )
        for key, v in features.items()
    )
    return _length_delimited(1, entries)

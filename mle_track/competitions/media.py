"""Tiny files in the formats Kaggle competitions ship, for the synthetic raw data sets.

A ``synthetic.py`` writes a raw data set in the shape of a competition's Kaggle download, small
enough for the tests: 8x8 images, a hundred audio frames, zipped CSVs. The files must still be
what real readers accept (Pillow opens the images, ``wave`` and ``aifc`` readers the audio,
``zipfile`` the archives), because the competition's real ``prepare.py`` and the agents read
them. These writers are shared so that each ``synthetic.py`` says only what its competition's
files hold, not how a PNG is encoded. Their bytes are test data: they may change between
versions, and no checksum depends on them.
"""

from __future__ import annotations

import io
import struct
import wave
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

ImageFormat = Literal["PNG", "JPEG", "TIFF", "BMP"]
#: the file suffix each image format is written with
SUFFIXES: dict[ImageFormat, str] = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif", "BMP": ".bmp"}
#: what a DICOM file starts with: a 128-byte preamble and the magic ``DICM``
DICOM_PREAMBLE = bytes(128) + b"DICM"


# ------------------------------------------------------------------------------------- images


def random_pixels(rng: np.random.Generator, size: int = 8, *, grey: bool = False) -> NDArray[Any]:
    """A ``size`` x ``size`` image of uniform noise: RGB, or one grey channel."""
    shape = (size, size) if grey else (size, size, 3)
    return rng.integers(0, 256, size=shape, dtype=np.uint8)


def image_bytes(pixels: NDArray[Any], fmt: ImageFormat, *, comment: str | None = None) -> bytes:
    """``pixels`` (2-D grey or 3-D RGB, values 0-255) encoded as ``fmt``.

    ``comment`` is stored in a JPEG's comment segment, where :func:`image_comment` reads it back:
    synthetic data uses it to follow an image through a prepare that renames files.
    """
    from PIL import Image

    options: dict[str, Any] = {}
    if comment is not None:
        if fmt != "JPEG":
            raise ValueError(f"only JPEG images carry a comment, not {fmt}")
        options["comment"] = comment.encode()
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def random_image(
    rng: np.random.Generator,
    fmt: ImageFormat,
    *,
    size: int = 8,
    grey: bool = False,
    comment: str | None = None,
) -> bytes:
    """A noise image of ``size`` x ``size`` pixels encoded as ``fmt``."""
    return image_bytes(random_pixels(rng, size, grey=grey), fmt, comment=comment)


def write_images(
    folder: Path,
    stems: Iterable[str],
    rng: np.random.Generator,
    fmt: ImageFormat,
    *,
    size: int = 8,
    grey: bool = False,
) -> None:
    """``folder/<stem><suffix>`` for each stem, a noise image each (the folder is created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        (folder / f"{stem}{SUFFIXES[fmt]}").write_bytes(
            random_image(rng, fmt, size=size, grey=grey)
        )


def image_comment(path: Path) -> str:
    """The comment stored by :func:`image_bytes` in a JPEG (``""`` when it has none)."""
    from PIL import Image

    with Image.open(path) as image:
        comment = image.info.get("comment", b"")
    return comment.decode() if isinstance(comment, bytes) else str(comment)


# -------------------------------------------------------------------------------------- audio


def random_samples(rng: np.random.Generator, frames: int, amplitude: int) -> NDArray[np.int16]:
    """``frames`` mono 16-bit samples of uniform noise in ``[-amplitude, amplitude)``."""
    return rng.integers(-amplitude, amplitude, frames).astype(np.int16)


def wav_bytes(samples: NDArray[np.int16], rate: int) -> bytes:
    """A mono 16-bit PCM WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def aiff_bytes(samples: NDArray[np.int16], rate: int) -> bytes:
    """A mono 16-bit AIFF file (the format of the right-whale clips)."""
    data = samples.astype(">i2").tobytes()
    comm = b"COMM" + struct.pack(">IhIh", 18, 1, len(samples), 16) + _extended(rate)
    ssnd = b"SSND" + struct.pack(">III", 8 + len(data), 0, 0) + data
    body = b"AIFF" + comm + ssnd
    return b"FORM" + struct.pack(">I", len(body)) + body


def _extended(value: int) -> bytes:
    """A positive integer as the 80-bit IEEE extended float AIFF stores its sample rate in."""
    if value <= 0:
        raise ValueError(f"a sample rate must be positive, got {value}")
    exponent = value.bit_length() - 1
    return struct.pack(">HQ", 16383 + exponent, value << (63 - exponent))


# ---------------------------------------------------------------------------------- documents


def dicom_like_bytes(payload: bytes) -> bytes:
    """The DICOM preamble and magic followed by ``payload``: enough for tools that sniff the
    type, not a parseable DICOM data set (no competition here decodes the pixels)."""
    return DICOM_PREAMBLE + payload


# ----------------------------------------------------------------------------------- archives


def zip_members(archive: Path, members: Mapping[str, bytes | str]) -> None:
    """``archive`` holding each member (deflated); a name ending in ``/`` is a folder entry."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():
            out.writestr(name, content)


def zip_csv(frame: pd.DataFrame, archive: Path, member: str | None = None, **to_csv: Any) -> None:
    """``archive`` holding ``frame`` as one CSV (``member``, default: the archive's name without
    ``.zip``), written by ``DataFrame.to_csv(index=False, **to_csv)``."""
    name = member or archive.name.removesuffix(".zip")
    zip_members(archive, {name: frame.to_csv(index=False, **to_csv)})

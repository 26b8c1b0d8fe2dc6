"""Checksums, hashing with the stat cache, archives and the prepare loader."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
import yaml

from mle_track.data.archives import extract, is_complete_archive
from mle_track.data.checksums import (
    ChecksumDiff,
    compare,
    load_checksums,
    split_digests,
    verify_checksums,
)
from mle_track.data.hashing import digest_tree, sha256_file
from mle_track.data.loader import load_prepare
from mle_track.errors import ChecksumMismatch, PrepareError


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_digest_tree_is_recursive_posix_and_skips_the_marker(tmp_path: Path) -> None:
    _tree(tmp_path, {"public/a.csv": "a", "public/img/b.png": "b", "private/t.csv": "t"})
    (tmp_path / ".prepared.json").write_text("{}")
    tree = digest_tree(tmp_path)
    assert list(tree.digests) == ["private/t.csv", "public/a.csv", "public/img/b.png"]
    assert tree.digests["public/a.csv"] == sha256_file(tmp_path / "public/a.csv")
    assert tree.rehashed == 3


def test_stat_cache_rehashes_only_changed_files(tmp_path: Path) -> None:
    _tree(tmp_path, {"public/a.csv": "a", "public/b.csv": "b", "private/t.csv": "t"})
    first = digest_tree(tmp_path)
    again = digest_tree(tmp_path, first.stat_cache())
    assert again.rehashed == 0 and again.digests == first.digests

    changed = tmp_path / "public/b.csv"
    changed.write_text("bb")
    st = changed.stat()
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    third = digest_tree(tmp_path, first.stat_cache())
    assert third.rehashed == 1
    assert third.digests["public/b.csv"] != first.digests["public/b.csv"]
    assert third.digests["public/a.csv"] == first.digests["public/a.csv"]


def test_split_digests_and_compare() -> None:
    actual = split_digests({"public/a.csv": "1", "private/t.csv": "2", "public/x/y": "3"})
    assert actual == {"public": {"a.csv": "1", "x/y": "3"}, "private": {"t.csv": "2"}}
    expected = {"public": {"a.csv": "9", "gone.csv": "4"}, "private": {"t.csv": "2"}}
    diff = compare(expected, actual)
    assert diff.missing == ["public/gone.csv"]
    assert diff.unexpected == ["public/x/y"]
    assert [c[0] for c in diff.changed] == ["public/a.csv"]
    with pytest.raises(ValueError):
        split_digests({"elsewhere/a.csv": "1"})


def test_diff_lists_a_few_paths_with_counts() -> None:
    diff = ChecksumDiff(missing=[f"public/m{i}.csv" for i in range(8)])
    text = diff.describe()
    assert "8 missing" in text
    assert "public/m0.csv" in text and "public/m7.csv" not in text
    assert "… and 3 more" in text


def test_verify_writes_then_compares(tmp_path: Path) -> None:
    path = tmp_path / "checksums.yaml"
    digests = {"public/a.csv": "1" * 64, "private/t.csv": "2" * 64}
    assert verify_checksums(path, digests, competition_id="toy") is True
    assert yaml.safe_load(path.read_text()) == {
        "public": {"a.csv": "1" * 64},
        "private": {"t.csv": "2" * 64},
    }
    assert load_checksums(path) is not None
    assert verify_checksums(path, digests, competition_id="toy") is False

    changed = {**digests, "public/a.csv": "3" * 64, "public/new.csv": "4" * 64}
    with pytest.raises(ChecksumMismatch) as info:
        verify_checksums(path, changed, competition_id="toy", hint="bump the version")
    message = str(info.value)
    assert "'toy'" in message and "1 changed" in message and "1 unexpected" in message
    assert "public/new.csv" in message and "bump the version" in message


def test_extract_zip_top_level_only_unless_nested(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.txt", "deep")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "data/inner.zip")
        zf.writestr("top.csv", "a")
    flat = tmp_path / "flat"
    extract(outer, flat)
    assert (flat / "data/inner.zip").is_file() and not (flat / "data/deep.txt").exists()
    nested = tmp_path / "nested"
    extract(outer, nested, nested=True)
    assert (nested / "data/deep.txt").read_text() == "deep"
    assert not (nested / "data/inner.zip").exists()


def test_truncated_zip_is_not_complete(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("x.csv", "x" * 1000)
    assert is_complete_archive(archive)
    archive.write_bytes(archive.read_bytes()[:50])
    assert not is_complete_archive(archive)


def test_prepare_signature_is_enforced(tmp_path: Path) -> None:
    (tmp_path / "prepare.py").write_text("def prepare(raw, private, public):\n    pass\n")
    with pytest.raises(PrepareError, match=r"exactly \(raw, public, private\)"):
        load_prepare(tmp_path, "toy")


def test_prepare_modules_get_unique_names_and_relative_helpers(tmp_path: Path) -> None:
    for name, value in (("one", 1), ("two", 2)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "helpers.py").write_text(f"VALUE = {value}\n")
        (folder / "prepare.py").write_text(
            "from .helpers import VALUE\n\ndef prepare(raw, public, private):\n    return VALUE\n"
        )
    one = load_prepare(tmp_path / "one", "same-id")
    two = load_prepare(tmp_path / "two", "same-id")
    assert one(raw=None, public=None, private=None) == 1
    assert two(raw=None, public=None, private=None) == 2

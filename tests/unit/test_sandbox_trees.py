"""The walks of agent-made trees: any depth, no path-length limit, links never followed,
locked folders opened up, a tree moved under a walk detected."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mle_track.sandbox import disk, trees
from mle_track.sandbox.layout import MAX_OUTPUT_DEPTH
from mle_track.sandbox.local_session import collect_outputs

#: deeper than the recursion limit, and (with names of 8 characters) longer than PATH_MAX
DEPTH = max(sys.getrecursionlimit() + 500, 1500)


@pytest.fixture(autouse=True)
def _remove_deep_trees(tmp_path: Path) -> Iterator[None]:
    """pytest's own clean-up of old temporary folders recurses: leave no deep chain behind."""
    yield
    for entry in list(tmp_path.iterdir()):
        trees.remove(entry)


def deep_chain(top: Path, depth: int = DEPTH, name: str = "d") -> None:
    """``top/name/name/…/bottom.txt``, made relative to a descriptor (no long path is named)."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            deeper = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        out = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"x" * 5000)
        os.close(out)
    finally:
        os.close(fd)


def test_a_chain_past_the_recursion_and_path_limits_is_walked_and_removed(tmp_path: Path) -> None:
    top = tmp_path / "top"
    top.mkdir()
    deep_chain(top, name="deepname")  # 1,500 × 9 bytes: past PATH_MAX
    found = list(trees.entries(top))
    assert len(found) == DEPTH + 1
    bottom = found[-1]
    assert bottom.name == "bottom.txt" and bottom.depth == DEPTH + 1
    assert bottom.folder == ("deepname",) * DEPTH
    usage = disk.measure([top])
    assert usage.complete and usage.bytes >= 5000
    trees.remove(top)
    assert not top.exists()


def test_links_are_entries_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    top = tmp_path / "top"
    top.mkdir()
    (top / "to-outside").symlink_to(outside)
    (top / "file.txt").write_text("x")
    names = sorted(entry.name for entry in trees.entries(top))
    assert names == ["file.txt", "to-outside"]
    trees.remove(top)
    assert not top.exists() and (outside / "secret.txt").read_text() == "secret"
    link = tmp_path / "link"
    link.symlink_to(outside)
    trees.remove(link)  # a link given as the top is removed itself
    assert not link.is_symlink() and (outside / "secret.txt").exists()


def test_locked_folders_are_opened_up_walked_and_removed(tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / "a" / "b").mkdir(parents=True)
    (top / "a" / "b" / "f.txt").write_text("x")
    os.chmod(top / "a" / "b", 0)
    os.chmod(top / "a", 0)
    assert [e.name for e in trees.entries(top)] == ["a", "b", "f.txt"]
    os.chmod(top / "a", 0)
    trees.open_up(top)
    assert stat.S_IMODE((top / "a").stat().st_mode) & 0o700 == 0o700
    os.chmod(top / "a", 0)
    trees.remove(top)
    assert not top.exists()


def test_a_tree_moved_under_the_walk_stops_it(tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / "a" / "b").mkdir(parents=True)
    walk = trees.entries(top)
    assert next(walk).name == "a"
    assert next(walk).name == "b"  # the walk is now inside a/
    (top / "a").rename(tmp_path / "moved")
    with pytest.raises(trees.TreeMoved):
        list(walk)


def test_copy_keeps_folders_and_files_and_leaves_out_the_rest(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "run.sh").write_text("echo\n")
    os.chmod(source / "sub" / "run.sh", 0o700)
    (source / "link").symlink_to("/etc/passwd")
    os.mkfifo(source / "fifo")
    deep_chain(source / "sub", depth=1200)
    notes = trees.copy(source, target)
    assert (target / "sub" / "run.sh").read_text() == "echo\n"
    assert stat.S_IMODE((target / "sub" / "run.sh").stat().st_mode) == 0o755
    assert not (target / "link").exists() and not (target / "fifo").exists()
    assert any("2 link or special file(s)" in note for note in notes), notes
    assert sum(1 for e in trees.entries(target) if e.name == "bottom.txt") == 1


def test_outputs_deeper_than_the_bound_are_dropped_with_a_note(tmp_path: Path) -> None:
    home, run_dir = tmp_path / "home", tmp_path / "run"
    for name in ("submission", "logs", "code"):
        (home / name).mkdir(parents=True)
    run_dir.mkdir()
    (home / "submission" / "submission.csv").write_text("id,y\n1,0\n")
    deep_chain(home / "logs")
    (home / "logs" / "kept.txt").write_text("kept")
    notes = collect_outputs(home, run_dir, max_bytes=1 << 20)
    assert (run_dir / "logs" / "kept.txt").read_text() == "kept"
    depths = [entry.depth for entry in trees.entries(run_dir / "logs")]
    assert max(depths) == MAX_OUTPUT_DEPTH
    assert any("deeper than" in note for note in notes), notes

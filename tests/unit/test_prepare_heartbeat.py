"""The prepare heartbeat: a line with the elapsed time and what the staging folder holds."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from mle_track.data.heartbeat import heartbeat, tree_size


def test_the_heartbeat_reports_what_the_folder_holds_until_the_block_ends(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.bin").write_bytes(b"x" * 3000)
    (tmp_path / "y.csv").write_text("id\n1\n")
    (tmp_path / "link").symlink_to(tmp_path / "y.csv")
    assert tree_size(tmp_path) == (2, 3005)
    lines: list[str] = []
    seen = threading.Event()

    def report(line: str) -> None:
        lines.append(line)
        seen.set()

    with heartbeat(report, "running prepare.py", tmp_path, interval_s=0.01):
        assert seen.wait(30), "no heartbeat came"
    assert re.fullmatch(r"running prepare\.py: \d+m\d\ds, 0\.0 MB in 2 files so far", lines[0])
    names = [thread.name for thread in threading.enumerate()]
    assert "mle-track-prepare-heartbeat" not in names, "the heartbeat outlived the block"

"""The disk budget's parts on their own: what a walk counts, how the guard calls back, what the
outputs keep, and what the agent is told."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from mle_track.sandbox import disk
from mle_track.sandbox.base import Limits

MB = 1 << 20


def _write(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))
    return path


def test_a_walk_counts_blocks_once_and_follows_no_link(tmp_path: Path) -> None:
    world = tmp_path / "world"
    big = _write(world / "code" / "big.bin", 3 * MB)
    os.link(big, world / "code" / "same.bin")  # the same blocks: counted once
    outside = _write(tmp_path / "outside" / "host.bin", 5 * MB)
    (world / "logs").mkdir()
    (world / "logs" / "host").symlink_to(outside.parent)  # never followed
    with open(world / "sparse.bin", "wb") as handle:  # a hole takes nothing
        handle.truncate(1 << 40)
    _write(world / "data" / "train.csv", 4 * MB)  # the read-only data: skipped
    usage = disk.measure([world], skip={str(world / "data")})
    assert usage.complete and usage.unreadable == 0
    assert 3 * MB <= usage.bytes < 3 * MB + 256 * 1024, usage
    assert usage.entries == 6  # code/ logs/ big same host sparse (data/ not entered)


def test_a_walk_opens_up_a_folder_the_agent_locked(tmp_path: Path) -> None:
    hidden = tmp_path / "world" / "hidden"
    _write(hidden / "inner" / "blob.bin", 2 * MB)
    hidden.chmod(0)
    try:
        usage = disk.measure([tmp_path / "world"])
    finally:
        hidden.chmod(0o755)
    assert usage.bytes >= 2 * MB and usage.unreadable == 0


def test_a_walk_stops_once_past_the_budget(tmp_path: Path) -> None:
    for index in range(20):
        _write(tmp_path / f"d{index}" / "f.bin", MB)
    usage = disk.measure([tmp_path], stop_above=2 * MB)
    assert not usage.complete and 2 * MB < usage.bytes < 20 * MB
    assert usage.describe().startswith("at least ")


def test_the_guard_calls_back_once_past_the_budget(tmp_path: Path) -> None:
    world = tmp_path / "world"
    world.mkdir()
    called = threading.Event()
    seen: list[disk.Usage] = []

    def exceeded(usage: disk.Usage) -> None:
        seen.append(usage)
        called.set()

    guard = disk.DiskGuard(0.01, [world], on_exceeded=exceeded).start()  # 10.24 MB
    try:
        _write(world / "a.bin", 5 * MB)
        time.sleep(3 * disk.MIN_INTERVAL_S)
        assert not called.is_set(), "under the budget"
        started = time.monotonic()
        _write(world / "b.bin", 8 * MB)
        assert called.wait(10), "the guard did not see the budget go"
        assert time.monotonic() - started < 5
    finally:
        guard.stop()
    assert len(seen) == 1 and guard.exceeded is seen[0]
    assert seen[0].bytes > guard.budget
    reason = disk.exceeded_reason(0.01, seen[0])
    assert reason.startswith("the disk budget of 0.01 GB was exceeded: ") and "MB" in reason


def test_the_guard_counts_the_output_files(tmp_path: Path) -> None:
    world, log = tmp_path / "world", tmp_path / "run.log"
    world.mkdir()
    guard = disk.DiskGuard(0.001, [world], on_exceeded=lambda usage: None)
    guard.files = (log,)
    assert guard.check().bytes < guard.budget and guard.exceeded is None
    _write(log, 2 * MB)
    assert guard.check().bytes >= 2 * MB and guard.exceeded is not None


def test_trimming_keeps_the_submission_then_the_smallest_files(tmp_path: Path) -> None:
    submission, logs = tmp_path / "submission", tmp_path / "logs"
    _write(submission / "submission.csv", 3 * MB)
    for index in range(4):  # junk beside the submission, more than the room left
        _write(submission / f"junk-{index}.bin", MB)
    _write(logs / "found.json", MB // 2)  # small: kept, though its folder comes later
    _write(logs / "deep" / "huge.bin", 6 * MB)
    (logs / "link").symlink_to(logs / "deep" / "huge.bin")
    trimmed = disk.trim([submission, logs], 4 * MB, first=[submission / "submission.csv"])
    assert (submission / "submission.csv").is_file() and (logs / "found.json").is_file()
    assert not (logs / "deep" / "huge.bin").exists() and (logs / "link").is_symlink()
    assert sorted(p.name for p in submission.iterdir()) == ["submission.csv"]
    assert trimmed == disk.Trimmed(3 * MB + MB // 2, 5, 10 * MB)


@pytest.mark.parametrize(
    ("disk_gb", "line"),
    [
        (None, "1 CPU(s), 4 GB memory, no GPU"),
        (20.0, "1 CPU(s), 4 GB memory, no GPU, 20 GB disk"),
        (0.05, "1 CPU(s), 4 GB memory, no GPU, 0.05 GB disk"),
    ],
)
def test_the_hardware_line_names_the_disk_budget(disk_gb: float | None, line: str) -> None:
    assert Limits(time_limit_s=1, cpus=1, memory_gb=4, disk_gb=disk_gb).describe() == line


def test_sizes_read_as_a_person_expects() -> None:
    assert disk.size_text(52 * MB + MB // 2) == "52.5 MB"
    assert disk.size_text(3 << 30) == "3 GB"

"""Prepares in other processes: killed halfway (SIGKILL) and two at once on one competition."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mle_track.competitions import Catalog
from mle_track.competitions import catalog as catalog_module
from mle_track.data import CompetitionPaths, prepare_competition
from mle_track.data.staging import STAGING_PREFIX
from tests.fakes import ENV_LOG, ENV_SLEEP, ENV_STARTED, add_competition, write_toy_raw

SCRIPT = """
import json, sys
from pathlib import Path
from mle_track.competitions import Catalog
from mle_track.data import prepare_competition

spec = Catalog().get(sys.argv[1])
result = prepare_competition(
    spec, Path(sys.argv[2]), raw_dir=Path(sys.argv[3]), progress=lambda m: print(m, file=sys.stderr)
)
print(json.dumps({"skipped": result.skipped}))
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    competitions = tmp_path / "competitions"
    add_competition(competitions, "toy", {"kind": "kaggle", "competition": "toy"})
    monkeypatch.setenv("MLE_TRACK_COMPETITIONS_DIR", str(competitions))
    monkeypatch.setenv(ENV_LOG, str(tmp_path / "runs.log"))
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()
    yield {
        "data": tmp_path / "data",
        "raw": write_toy_raw(tmp_path / "raw"),
        "log": tmp_path / "runs.log",
        "started": tmp_path / "started",
    }
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()


def _spawn(setup: dict[str, Path], sleep: float) -> subprocess.Popen[str]:
    env = {**os.environ, ENV_SLEEP: str(sleep), ENV_STARTED: str(setup["started"])}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "toy", str(setup["data"]), str(setup["raw"])],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"prepare exited early:\n{proc.communicate()[1]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear within {timeout}s")
        time.sleep(0.02)


def test_killed_prepare_leaves_nothing_ready_and_next_prepare_succeeds(
    setup: dict[str, Path],
) -> None:
    proc = _spawn(setup, sleep=60)
    try:
        _wait_for(setup["started"], proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    paths = CompetitionPaths(setup["data"], "toy")
    assert not paths.is_prepared() and not paths.prepared.exists()
    assert list(paths.base.glob(f"{STAGING_PREFIX}*")), "the killed build left its staging"

    result = prepare_competition(Catalog().get("toy"), setup["data"], raw_dir=setup["raw"])
    assert result.paths.is_prepared() and not result.skipped
    assert not list(paths.base.glob(f"{STAGING_PREFIX}*"))
    assert len(setup["log"].read_text().splitlines()) == 2


def test_two_concurrent_prepares_run_the_prepare_once(setup: dict[str, Path]) -> None:
    first = _spawn(setup, sleep=2.0)
    _wait_for(setup["started"], first)  # the first holds the lock and is inside prepare
    second = _spawn(setup, sleep=2.0)
    outputs, errors = [], []
    for proc in (first, second):
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
        errors.append(err)
    assert outputs == [{"skipped": False}, {"skipped": True}]
    assert "waiting for another prepare" in errors[1]
    assert len(setup["log"].read_text().splitlines()) == 1
    assert CompetitionPaths(setup["data"], "toy").is_prepared()

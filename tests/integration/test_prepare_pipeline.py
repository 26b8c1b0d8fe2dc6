"""The prepare pipeline end to end in one process, with the fake Kaggle API and tmp folders."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.competitions import catalog as catalog_module
from mle_track.data import (
    CompetitionPaths,
    PrepareResult,
    ensure_prepared,
    prepare_competition,
)
from mle_track.data.staging import STAGING_PREFIX
from mle_track.errors import ChecksumMismatch, KaggleRulesNotAccepted, PrepareError
from tests.fakes import ENV_LOG, add_competition, write_toy_raw
from tests.fakes.kaggle import FakeKaggleApi
from tests.fakes.tamper import edit_keeping_stats


@pytest.fixture
def competitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "competitions"
    folder.mkdir()
    monkeypatch.setenv("MLE_TRACK_COMPETITIONS_DIR", str(folder))
    monkeypatch.delenv("MLE_TRACK_WHEEL_CACHE", raising=False)
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()
    yield folder
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file the toy prepare appends to on every run, to count real prepares."""
    log = tmp_path / "prepare-runs.log"
    monkeypatch.setenv(ENV_LOG, str(log))
    return log


def _count(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def _served(tmp_path: Path, competition: str = "toy") -> Path:
    root = tmp_path / "kaggle-server"
    write_toy_raw(root / competition)
    return root


def _spec(competitions: Path, cid: str = "toy", **source: object) -> CompetitionSpec:
    add_competition(competitions, cid, {"kind": "kaggle", "competition": cid, **source})
    return Catalog().get(cid)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("archive_format", ["zip", "7z"])
def test_happy_path_writes_checksums_then_verifies(
    competitions: Path, runs: Path, tmp_path: Path, archive_format: str
) -> None:
    spec = _spec(competitions)
    api = FakeKaggleApi(_served(tmp_path), archive_format=archive_format)
    data = tmp_path / "data"
    lines: list[str] = []
    result = prepare_competition(spec, data, kaggle_api=api, progress=lines.append)

    assert isinstance(result, PrepareResult)
    assert not result.skipped and result.verified and result.checksums_written
    paths = result.paths
    assert paths.is_prepared()
    assert (paths.public / "train.csv").is_file() and (paths.private / "test.csv").is_file()
    assert (paths.public / "description.md").read_text().startswith("# toy")
    assert not paths.raw.exists() and not paths.downloads.exists()
    assert not list(paths.base.glob(f"{STAGING_PREFIX}*"))
    assert any("downloading" in line for line in lines)
    assert stat.S_IMODE(paths.prepared.stat().st_mode) == 0o755, "a sandbox user must read it"

    checksums = yaml.safe_load((competitions / "toy" / "checksums.yaml").read_text())
    assert set(checksums["public"]) == {
        "description.md",
        "extra/notes.csv",
        "sample_submission.csv",
        "test.csv",
        "train.csv",
    }
    assert checksums["private"] == {"test.csv": _sha(paths.private / "test.csv")}

    marker = json.loads(paths.marker.read_text())
    assert marker["competition_id"] == "toy" and marker["version"] == 1
    assert marker["verified"] is True and marker["source"]["kind"] == "kaggle"
    size, mtime_ns, sha = marker["files"]["private/test.csv"]
    st = (paths.private / "test.csv").stat()
    assert (size, mtime_ns, sha) == (st.st_size, st.st_mtime_ns, _sha(paths.private / "test.csv"))

    forced = prepare_competition(spec, data, kaggle_api=api, force=True)
    assert not forced.skipped and forced.verified and not forced.checksums_written
    assert _count(runs) == 2


def test_rerun_is_fast_and_does_not_prepare_again(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions)
    api = FakeKaggleApi(_served(tmp_path))
    data = tmp_path / "data"
    prepare_competition(spec, data, kaggle_api=api)
    again = prepare_competition(spec, data, kaggle_api=api)
    assert again.skipped and again.verified
    assert _count(runs) == 1 and len(api.calls) == 1
    assert ensure_prepared(spec, data, kaggle_api=api).is_prepared()
    assert _count(runs) == 1


def test_rerun_rehashes_touched_files_and_catches_edits(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions)
    data = tmp_path / "data"
    paths = prepare_competition(spec, data, kaggle_api=FakeKaggleApi(_served(tmp_path))).paths
    train = paths.public / "train.csv"
    os.utime(train, ns=(0, 1_000_000_000))  # touched, same content: re-hashed and accepted
    lines: list[str] = []
    assert prepare_competition(spec, data, progress=lines.append).skipped
    assert any("re-hashed 1 file" in line for line in lines)
    marker = json.loads(paths.marker.read_text())
    assert marker["files"]["public/train.csv"][1] == 1_000_000_000

    train.write_text("id,x,label\n1,2,3\n")
    with pytest.raises(ChecksumMismatch, match="--force"):
        prepare_competition(spec, data)
    assert _count(runs) == 1


def test_new_spec_version_rebuilds(competitions: Path, runs: Path, tmp_path: Path) -> None:
    spec = _spec(competitions)
    data = tmp_path / "data"
    api = FakeKaggleApi(_served(tmp_path))
    prepare_competition(spec, data, kaggle_api=api)
    bumped = spec.model_copy(update={"version": 2})
    result = prepare_competition(bumped, data, kaggle_api=api)
    assert not result.skipped and _count(runs) == 2
    assert json.loads(result.paths.marker.read_text())["version"] == 2


def test_checksum_mismatch_names_the_files_and_publishes_nothing(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions)
    (competitions / "toy" / "checksums.yaml").write_text(
        yaml.safe_dump(
            {
                "public": {"train.csv": "0" * 64, "gone.csv": "1" * 64},
                "private": {"test.csv": "2" * 64},
            }
        )
    )
    data = tmp_path / "data"
    with pytest.raises(ChecksumMismatch) as info:
        prepare_competition(spec, data, kaggle_api=FakeKaggleApi(_served(tmp_path)))
    message = str(info.value)
    assert "1 missing" in message and "public/gone.csv" in message
    assert "2 changed" in message and "private/test.csv" in message
    assert "4 unexpected" in message and "public/description.md" in message
    paths = CompetitionPaths(data, "toy")
    assert not paths.prepared.exists() and not list(paths.base.glob(f"{STAGING_PREFIX}*"))
    assert paths.raw.is_dir(), "raw/ is kept after a failure so a re-run need not download"


def test_raw_sha_mismatch_is_reported(competitions: Path, runs: Path, tmp_path: Path) -> None:
    spec = _spec(competitions, zip_sha256="f" * 64)
    with pytest.raises(ChecksumMismatch, match=r"toy\.zip: sha256 expected f{64}, got"):
        prepare_competition(spec, tmp_path / "data", kaggle_api=FakeKaggleApi(_served(tmp_path)))
    assert _count(runs) == 0


def test_raw_sha_is_checked_when_it_matches(competitions: Path, tmp_path: Path) -> None:
    served = _served(tmp_path)
    probe = tmp_path / "probe"
    FakeKaggleApi(served).competition_download_files("toy", path=str(probe))
    spec = _spec(competitions, zip_sha256=_sha(probe / "toy.zip"))
    assert prepare_competition(spec, tmp_path / "data", kaggle_api=FakeKaggleApi(served)).verified


def test_no_verify_skips_checks_and_marks_unverified(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions, zip_sha256="f" * 64)  # a wrong raw sha is not even looked at
    (competitions / "toy" / "checksums.yaml").write_text("public: {a.csv: bad}\nprivate: {}\n")
    data = tmp_path / "data"
    api = FakeKaggleApi(_served(tmp_path))
    result = prepare_competition(spec, data, kaggle_api=api, verify=False)
    assert not result.verified and not result.checksums_written
    assert json.loads(result.paths.marker.read_text())["verified"] is False
    assert prepare_competition(spec, data, verify=False).skipped


def test_keep_raw_keeps_raw_and_reuses_it(competitions: Path, runs: Path, tmp_path: Path) -> None:
    spec = _spec(competitions)
    data = tmp_path / "data"
    api = FakeKaggleApi(_served(tmp_path))
    result = prepare_competition(spec, data, kaggle_api=api, keep_raw=True)
    assert (result.paths.raw / "train.csv").is_file()
    assert (result.paths.downloads / "toy.zip").is_file()
    lines: list[str] = []
    prepare_competition(spec, data, kaggle_api=api, force=True, progress=lines.append)
    assert len(api.calls) == 1 and any("reusing raw/" in line for line in lines)
    assert not result.paths.raw.exists()


def test_partial_download_is_removed_and_downloaded_again(
    competitions: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions)
    data = tmp_path / "data"
    downloads = data / "toy" / "downloads"
    downloads.mkdir(parents=True)
    (downloads / "toy.zip").write_bytes(b"PK\x03\x04 truncated")
    (downloads / "toy.zip.part").write_bytes(b"junk")
    api = FakeKaggleApi(_served(tmp_path))
    assert prepare_competition(spec, data, kaggle_api=api).paths.is_prepared()
    assert len(api.calls) == 1


def test_raw_dir_links_user_files_without_downloading(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions, zip_sha256="f" * 64)  # not checked: there is no download
    mine = write_toy_raw(tmp_path / "my-raw")
    api = FakeKaggleApi(tmp_path / "nothing-served")
    result = prepare_competition(spec, tmp_path / "data", raw_dir=mine, kaggle_api=api)
    assert result.paths.is_prepared() and api.calls == []
    assert (mine / "train.csv").is_file(), "the user's files survive raw/ being removed"
    marker = json.loads(result.paths.marker.read_text())
    assert marker["source"] == {"kind": "raw-dir", "path": str(mine.resolve())}


def test_raw_dir_may_be_the_downloaded_archive(competitions: Path, tmp_path: Path) -> None:
    spec = _spec(competitions)
    FakeKaggleApi(_served(tmp_path)).competition_download_files("toy", path=str(tmp_path))
    result = prepare_competition(spec, tmp_path / "data", raw_dir=tmp_path / "toy.zip")
    assert result.paths.is_prepared()


def test_rules_not_accepted_names_the_rules_url(competitions: Path, tmp_path: Path) -> None:
    spec = _spec(competitions)
    api = FakeKaggleApi(_served(tmp_path), rules_not_accepted={"toy"})
    with pytest.raises(KaggleRulesNotAccepted) as info:
        prepare_competition(spec, tmp_path / "data", kaggle_api=api)
    assert info.value.rules_url == "https://www.kaggle.com/c/toy/rules"
    assert "https://www.kaggle.com/c/toy/rules" in str(info.value)


def test_stale_staging_folders_are_cleaned(competitions: Path, tmp_path: Path) -> None:
    spec = _spec(competitions)
    data = tmp_path / "data"
    stale = data / "toy" / f"{STAGING_PREFIX}dead"
    (stale / "public").mkdir(parents=True)
    (stale / "public" / "half.csv").write_text("x")
    half_built = data / "toy" / "prepared" / "public"
    half_built.mkdir(parents=True)  # a prepared/ without marker does not count
    lines: list[str] = []
    result = prepare_competition(
        spec, data, kaggle_api=FakeKaggleApi(_served(tmp_path)), progress=lines.append
    )
    assert result.paths.is_prepared() and not result.skipped
    assert not stale.exists() and any("interrupted" in line for line in lines)


def test_failing_prepare_and_missing_outputs_are_prepare_errors(
    competitions: Path, tmp_path: Path
) -> None:
    add_competition(
        competitions,
        "broken",
        {"kind": "kaggle", "competition": "broken"},
        prepare="def prepare(raw, public, private):\n    raise ValueError('bad split')\n",
    )
    add_competition(
        competitions,
        "lazy",
        {"kind": "kaggle", "competition": "lazy"},
        prepare="def prepare(raw, public, private):\n    (private / 'test.csv').write_text('x')\n",
    )
    served = tmp_path / "served"
    write_toy_raw(served / "broken")
    write_toy_raw(served / "lazy")
    api = FakeKaggleApi(served)
    catalog = Catalog()
    with pytest.raises(PrepareError, match=r"ValueError: bad split \(.*prepare\.py:2\)"):
        prepare_competition(catalog.get("broken"), tmp_path / "data", kaggle_api=api)
    with pytest.raises(PrepareError, match="public/ empty"):
        prepare_competition(catalog.get("lazy"), tmp_path / "data", kaggle_api=api)


def test_private_files_are_sealed_and_verified_by_content(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    """The stat cache trusts size and mtime, which a writer can set back: private files are
    hashed by content at every verification, and they are read-only after prepare."""
    spec = _spec(competitions)
    data = tmp_path / "data"
    api = FakeKaggleApi(_served(tmp_path))
    paths = prepare_competition(spec, data, kaggle_api=api).paths
    assert stat.S_IMODE(paths.private.stat().st_mode) == 0o555
    assert stat.S_IMODE((paths.private / "test.csv").stat().st_mode) == 0o444
    assert stat.S_IMODE((paths.public / "train.csv").stat().st_mode) & 0o200, "public untouched"
    again = prepare_competition(spec, data)
    assert again.skipped and again.digests["private/test.csv"] == _sha(paths.private / "test.csv")

    edit_keeping_stats(paths.private / "test.csv")
    with pytest.raises(ChecksumMismatch, match=r"private/test\.csv") as info:
        prepare_competition(spec, data)
    assert "--force" in str(info.value)
    rebuilt = prepare_competition(spec, data, kaggle_api=api, force=True)
    assert not rebuilt.skipped and prepare_competition(spec, data).skipped
    assert not list(paths.base.glob(".trash-*")), "the sealed old build was removed"


def test_a_missing_checksums_file_is_not_rewritten_from_changed_files(
    competitions: Path, runs: Path, tmp_path: Path
) -> None:
    spec = _spec(competitions)
    data = tmp_path / "data"
    paths = prepare_competition(spec, data, kaggle_api=FakeKaggleApi(_served(tmp_path))).paths
    (competitions / "toy" / "checksums.yaml").unlink()
    edit_keeping_stats(paths.private / "test.csv")
    with pytest.raises(ChecksumMismatch, match=r"recorded when they were prepared"):
        prepare_competition(spec, data)
    assert not (competitions / "toy" / "checksums.yaml").exists()

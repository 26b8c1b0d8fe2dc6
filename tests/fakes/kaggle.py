"""A stand-in for ``kaggle.api.kaggle_api_extended.KaggleApi`` that never touches the network.

It has the method names and signatures of the real 2.x API that mle-track calls and serves
archives it builds from folders on disk: ``<files_root>/<competition>/`` becomes
``<path>/<competition>.zip`` (or ``.7z``), like the real download. It can be told that the rules
of some competitions are not accepted (HTTP 403 with Kaggle's message), to fail transiently a
number of times first (alternating a dropped connection and HTTP 503), and to serve a truncated
archive once. Every call is recorded in ``calls``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

RULES_MESSAGE = "You must accept this competition's rules before you'll be able to download files."
LEADERBOARD_HEADER = [
    "Rank",
    "TeamId",
    "TeamName",
    "LastSubmissionDate",
    "Score",
    "SubmissionCount",
    "TeamMemberUserNames",
]


@dataclass
class FakeResponse:
    status_code: int
    text: str


class FakeHTTPError(Exception):
    """Shaped like ``requests.HTTPError``: the status lives on ``.response``."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"{status_code} Client Error: {message}")
        self.response = FakeResponse(status_code, message)


class FakeKaggleApi:
    def __init__(
        self,
        files_root: Path,
        *,
        archive_format: str = "zip",
        rules_not_accepted: Iterable[str] = (),
        transient_failures: int = 0,
        truncated_downloads: int = 0,
        leaderboards: dict[str, Sequence[tuple[str, float]]] | None = None,
    ) -> None:
        self.files_root = Path(files_root)
        self.archive_format = archive_format
        self.rules_not_accepted = set(rules_not_accepted)
        self.transient_failures = transient_failures
        self.truncated_downloads = truncated_downloads
        self.leaderboards = dict(leaderboards or {})
        self.calls: list[tuple[str, str]] = []
        self.authenticated = False

    def authenticate(self) -> None:
        self.authenticated = True

    def competition_download_files(
        self,
        competition: str,
        path: str | None = None,
        force: bool = False,
        quiet: bool = True,
        unzip: bool = False,
    ) -> None:
        self.calls.append(("download", competition))
        self._fail_if_told(competition)
        source = self.files_root / competition
        if not source.is_dir():
            raise FakeHTTPError(404, "Not Found")
        out = Path(path or ".") / f"{competition}.{self.archive_format}"
        out.parent.mkdir(parents=True, exist_ok=True)
        if self.archive_format == "7z":
            _write_7z(source, out)
        else:
            _write_zip(source, out)
        if self.truncated_downloads > 0:
            self.truncated_downloads -= 1
            data = out.read_bytes()
            out.write_bytes(data[: len(data) // 2])

    def competition_leaderboard_download(
        self, competition: str, path: str, quiet: bool = True
    ) -> None:
        self.calls.append(("leaderboard", competition))
        self._fail_if_told(competition)
        if competition not in self.leaderboards:
            raise FakeHTTPError(404, "Not Found")
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(LEADERBOARD_HEADER)
        for rank, (team, score) in enumerate(self.leaderboards[competition], start=1):
            writer.writerow([rank, 1000 + rank, team, "2020-01-01 00:00:00", score, 3, team])
        out = Path(path) / f"{competition}.zip"
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr(f"{competition}-publicleaderboard.csv", text.getvalue())

    def competition_leaderboard_view(self, competition: str, **kwargs: object) -> list[object]:
        raise AssertionError("the paged leaderboard view must never be used")

    def _fail_if_told(self, competition: str) -> None:
        if competition in self.rules_not_accepted:
            raise FakeHTTPError(403, RULES_MESSAGE)
        if self.transient_failures > 0:
            self.transient_failures -= 1
            if self.transient_failures % 2:
                raise ConnectionError("Connection reset by peer")
            raise FakeHTTPError(503, "Service Unavailable")


def _files(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*") if p.is_file())


def _write_zip(source: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in _files(source):
            zf.write(path, path.relative_to(source).as_posix())


def _write_7z(source: Path, out: Path) -> None:
    import py7zr

    with py7zr.SevenZipFile(out, "w") as archive:
        for path in _files(source):
            archive.write(path, path.relative_to(source).as_posix())

"""``kaggle`` source: the competition zip from the Kaggle API (``kaggle`` 2.x), and leaderboards.

``import kaggle`` authenticates at import time and prints login help (or exits) when no
credentials exist, so the credentials are looked for first and the package is imported only
inside :func:`real_api`. The API object is a parameter everywhere: tests pass a fake with the
same method names (``tests/fakes/kaggle.py``) and never touch the network.

Failures are sorted by what the user can do about them: rules not accepted →
:class:`KaggleRulesNotAccepted` with the rules URL (there is no API to accept them); bad or
missing credentials → :class:`KaggleCredentialsError` naming the file to create; connection
errors, 429 and 5xx → retried with backoff; anything else → :class:`DownloadError`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mle_track.competitions.spec import KaggleSource
from mle_track.data.archives import extract, is_archive, is_complete_archive
from mle_track.data.hashing import sha256_file
from mle_track.data.retry import Sleep, call_with_retries
from mle_track.data.sources import SOURCES, FetchContext, Progress
from mle_track.errors import (
    ChecksumMismatch,
    DownloadError,
    KaggleCredentialsError,
    KaggleRulesNotAccepted,
    LeaderboardError,
)

RETRIES = 3
#: Kaggle's own resume marker beside a partial download (kaggle 2.x ``download_file``)
RESUME_SUFFIX = ".kaggle-partial"
_TRANSIENT_TYPES = {
    "ConnectionError",
    "Timeout",
    "ConnectTimeout",
    "ReadTimeout",
    "TimeoutError",
    "ChunkedEncodingError",
    "ProtocolError",
    "IncompleteDownload",
}
MISSING_CREDENTIALS = (
    "no Kaggle credentials found. Create an API token at https://www.kaggle.com/settings/api "
    "and then either save the downloaded kaggle.json as ~/.kaggle/kaggle.json (chmod 600; "
    "or put it in $KAGGLE_CONFIG_DIR), export KAGGLE_USERNAME and KAGGLE_KEY, or export "
    "KAGGLE_API_TOKEN (or save the token to ~/.kaggle/access_token)"
)


class IncompleteDownload(Exception):
    """The API returned but left no complete archive; retried like a dropped connection."""


def find_credentials(
    environ: Mapping[str, str] | None = None, home: Path | None = None
) -> str | None:
    """Where usable Kaggle credentials are, or ``None``; looks only, never reads secrets."""
    env = os.environ if environ is None else environ
    home = home or Path.home()
    if env.get("KAGGLE_API_TOKEN"):
        return "KAGGLE_API_TOKEN"
    if env.get("KAGGLE_USERNAME") and env.get("KAGGLE_KEY"):
        return "KAGGLE_USERNAME/KAGGLE_KEY"
    if env.get("KAGGLE_CONFIG_DIR"):
        candidates = [Path(env["KAGGLE_CONFIG_DIR"]) / "kaggle.json"]
    else:
        xdg = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        candidates = [home / ".kaggle" / "kaggle.json", xdg / "kaggle" / "kaggle.json"]
    candidates += [
        home / ".kaggle" / "access_token",
        home / ".kaggle" / "access_token.txt",
        home / ".kaggle" / "credentials.json",  # `kaggle auth login` (OAuth)
    ]
    for path in candidates:
        if path.is_file():
            return str(path)
    return None


def real_api() -> Any:
    """An authenticated ``KaggleApi``; credentials are checked before the package is imported."""
    if find_credentials() is None:
        raise KaggleCredentialsError(MISSING_CREDENTIALS)
    # The package prints warnings on import; keep them off stdout, which belongs to our output.
    with contextlib.redirect_stdout(sys.stderr):
        try:
            from kaggle.api.kaggle_api_extended import KaggleApi

            api = KaggleApi()
            api.authenticate()
        except SystemExit:
            raise KaggleCredentialsError(MISSING_CREDENTIALS) from None
        except Exception as exc:  # e.g. no network while a token is checked
            reason = f"{type(exc).__name__}: {exc}"
            raise DownloadError(f"Kaggle authentication failed: {reason}") from exc
    return api


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    for value in (getattr(response, "status_code", None), getattr(exc, "status", None)):
        if isinstance(value, int):
            return value
    return None


def _text(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    body = getattr(response, "text", None) or getattr(exc, "body", None) or ""
    return f"{exc} {body}" if isinstance(body, str) else str(exc)


def is_transient(exc: BaseException) -> bool:
    """Connection trouble, rate limits and server errors: worth another try."""
    status = _status(exc)
    if status is not None:
        return status == 429 or status >= 500
    return any(cls.__name__ in _TRANSIENT_TYPES for cls in type(exc).__mro__)


def translate(exc: Exception, competition: str, action: str) -> Exception:
    """Map an API failure to the error the user can act on."""
    status = _status(exc)
    text = _text(exc)
    if "must accept" in text.lower() or status == 403:
        return KaggleRulesNotAccepted(competition)
    if status == 401:
        return KaggleCredentialsError(
            f"Kaggle rejected the credentials (401) while {action}; create a new API token at "
            "https://www.kaggle.com/settings/api and replace ~/.kaggle/kaggle.json"
        )
    if status == 404:
        return DownloadError(f"Kaggle has no competition {competition!r} (404) while {action}")
    return DownloadError(f"{action} failed: {type(exc).__name__}: {text.strip()}")


def _call(action: Any, competition: str, what: str, sleep: Sleep, progress: Progress) -> Any:
    def on_retry(attempt: int, exc: BaseException, delay: float) -> None:
        progress(f"{what}: {type(exc).__name__}: {exc}; retry {attempt}/{RETRIES} in {delay:.0f}s")

    try:
        return call_with_retries(
            action, is_transient=is_transient, retries=RETRIES, sleep=sleep, on_retry=on_retry
        )
    except Exception as exc:
        if isinstance(exc, DownloadError | ChecksumMismatch):
            raise
        raise translate(exc, competition, what) from exc


def _clean_partials(downloads: Path) -> bool:
    """Delete incomplete downloads; True if one with a Kaggle resume marker was kept instead."""
    resumable = False
    for path in sorted(downloads.iterdir()):
        if not path.is_file() or path.name.endswith(RESUME_SUFFIX):
            continue
        if Path(f"{path}{RESUME_SUFFIX}").is_file():
            resumable = True  # kaggle resumes it safely (it checks ETag and size)
        elif not (is_archive(path) and is_complete_archive(path)):
            path.unlink()
    return resumable


def _single_archive(downloads: Path, competition: str) -> Path:
    archives = sorted(p for p in downloads.iterdir() if p.is_file() and is_archive(p))
    if len(archives) != 1:
        found = ", ".join(p.name for p in archives) or "no archive"
        raise DownloadError(
            f"expected exactly one archive for {competition!r} in {downloads}, found {found}"
        )
    archive = archives[0]
    if not is_complete_archive(archive):
        archive.unlink()
        raise IncompleteDownload(f"{archive.name} is incomplete")
    return archive


def download_archive(source: KaggleSource, context: FetchContext) -> Path:
    """The competition archive in ``context.downloads``, reusing a complete earlier download."""
    downloads = context.downloads
    downloads.mkdir(parents=True, exist_ok=True)
    resumable = _clean_partials(downloads)
    if not resumable and any(is_archive(p) for p in downloads.iterdir()):
        earlier = _single_archive(downloads, source.competition)
        context.progress(f"reusing downloaded {earlier.name}")
        return earlier
    api: Any = context.kaggle_api if context.kaggle_api is not None else real_api()

    def attempt() -> Path:
        nonlocal resumable
        if not resumable:
            _clean_partials(downloads)
        api.competition_download_files(
            source.competition, path=str(downloads), force=not resumable, quiet=True
        )
        resumable = False
        return _single_archive(downloads, source.competition)

    started = time.monotonic()
    context.progress(f"downloading Kaggle competition {source.competition!r}")
    archive: Path = _call(
        attempt, source.competition, "downloading the data", context.sleep, context.progress
    )
    size_mb = archive.stat().st_size / 1e6
    elapsed = time.monotonic() - started
    context.progress(f"downloaded {archive.name} ({size_mb:.1f} MB) in {elapsed:.1f}s")
    return archive


@SOURCES.register("kaggle")
def fetch_kaggle(source: KaggleSource, raw: Path, context: FetchContext) -> None:
    archive = download_archive(source, context)
    if context.verify and source.zip_sha256:
        context.progress(f"checking sha256 of {archive.name}")
        actual = sha256_file(archive)
        if actual != source.zip_sha256:
            archive.unlink()
            raise ChecksumMismatch(
                f"{archive.name}: sha256 expected {source.zip_sha256}, got {actual} "
                "(the download was deleted; Kaggle may have changed the data)"
            )
    started = time.monotonic()
    context.progress(f"extracting {archive.name}")
    extract(archive, raw, nested=context.extract_nested)
    context.progress(f"extracted {archive.name} in {time.monotonic() - started:.1f}s")


def download_leaderboard(
    competition_id: str,
    dest_csv: Path,
    kaggle_api: object | None = None,
    *,
    sleep: Sleep = time.sleep,
    progress: Progress | None = None,
) -> int:
    """Write the full private leaderboard of ``competition_id`` to ``dest_csv``; returns rows.

    Uses the leaderboard *download* (a zip with every team), never the paged view, which
    returns only the first page and would silently move the medal thresholds. Rows keep Kaggle's
    rank order; the score column is named ``score``; team and member names are dropped; rows
    without a score are dropped because they cannot be ranked.
    """
    report = progress or (lambda message: None)
    api: Any = kaggle_api if kaggle_api is not None else real_api()
    with tempfile.TemporaryDirectory(prefix="mle-track-lb-") as tmp:
        _call(
            lambda: api.competition_leaderboard_download(competition_id, path=tmp, quiet=True),
            competition_id,
            "downloading the leaderboard",
            sleep,
            report,
        )
        text = _leaderboard_text(Path(tmp), competition_id)
    header, rows = normalise_leaderboard(text, competition_id)
    dest_csv.parent.mkdir(parents=True, exist_ok=True)
    partial = dest_csv.with_name(f".{dest_csv.name}.tmp")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    partial.replace(dest_csv)
    report(f"wrote {len(rows)} leaderboard rows to {dest_csv}")
    return len(rows)


def _leaderboard_text(folder: Path, competition_id: str) -> str:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    for path in files:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                members = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                if len(members) == 1:
                    return zf.read(members[0]).decode("utf-8-sig")
        elif path.suffix.lower() == ".csv":
            return path.read_text(encoding="utf-8-sig")
    names = ", ".join(p.name for p in files) or "nothing"
    raise LeaderboardError(f"leaderboard download of {competition_id!r} gave {names}, no CSV")


def _is_name_column(column: str) -> bool:
    key = column.lower().replace("_", "").replace(" ", "")
    return ("teamname" in key and not key.startswith("has")) or "username" in key


def normalise_leaderboard(text: str, competition_id: str) -> tuple[list[str], list[list[str]]]:
    """Kaggle's leaderboard CSV → (header, rows) in rank order, ``score`` named, names dropped."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise LeaderboardError(f"leaderboard of {competition_id!r} is empty")
    lowered = [c.strip().lower() for c in header]
    if "score" not in lowered:
        raise LeaderboardError(
            f"leaderboard of {competition_id!r} has no score column (columns: {', '.join(header)})"
        )
    score_at = lowered.index("score")
    keep = [i for i, c in enumerate(header) if not _is_name_column(c)]
    rows = [row for row in reader if len(row) == len(header) and row[score_at].strip()]
    if "rank" in lowered:
        rank_at = lowered.index("rank")
        with contextlib.suppress(ValueError):
            rows.sort(key=lambda row: int(row[rank_at]))
    out_header = ["score" if i == score_at else header[i] for i in keep]
    return out_header, [[row[i] for i in keep] for row in rows]

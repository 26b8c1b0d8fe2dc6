"""``mle-track prepare``: fetch, split and verify competition data into the data root.

Competitions are prepared one after another. With several of them (a suite), one failure —
typically Kaggle rules not accepted for that competition — is reported with what to do, and the
others still run; the exit code is 1 if any failed. Progress of long steps goes to stderr with
the elapsed seconds; one result line per competition and the summary go to stdout.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mle_track import settings
from mle_track.cli import add_data_dir_option
from mle_track.competitions import Catalog
from mle_track.errors import MleTrackError, PrepareError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "prepare",
        help="download and prepare competition data",
        description="Download each competition's raw data, run its prepare step into "
        "prepared/public and prepared/private, and verify the result against checksums.yaml.",
    )
    parser.add_argument(
        "-c",
        "--competition",
        dest="competitions",
        action="append",
        default=[],
        metavar="ID",
        help="a competition id (repeatable)",
    )
    parser.add_argument(
        "--suite", default=None, metavar="NAME", help="every competition of a suite"
    )
    parser.add_argument(
        "--keep-raw", action="store_true", help="keep raw/ and the download after preparing"
    )
    add_data_dir_option(parser)
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="use raw files you already have instead of downloading (with several "
        "competitions: DIR/<id> for each); the raw checksum is not checked",
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip all checksum comparisons (the marker records verified: false)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if already prepared")
    parser.set_defaults(handler=functools.partial(run, parser=parser))


def run(args: argparse.Namespace, parser: argparse.ArgumentParser | None = None) -> int:
    if not args.competitions and not args.suite:
        message = "name competitions with -c ID or a suite with --suite NAME"
        if parser is not None:
            parser.error(message)
        raise SystemExit(message)
    from mle_track.data import prepare_competition

    specs = Catalog().resolve(args.competitions, args.suite)
    root = settings.data_dir(args.data_dir)
    if args.no_verify:
        print(
            "verification is off (--no-verify): checksums are not compared and the data is "
            "marked verified: false"
        )
    started = time.monotonic()
    done: list[str] = []
    skipped: list[str] = []
    failed: list[tuple[str, str]] = []
    for spec in specs:
        progress = _progress_printer(spec.id)
        try:
            raw_dir = _raw_dir_for(args.raw_dir, spec.id, several=len(specs) > 1)
            result = prepare_competition(
                spec,
                root,
                keep_raw=args.keep_raw,
                raw_dir=raw_dir,
                verify=not args.no_verify,
                force=args.force,
                progress=progress,
            )
        except (MleTrackError, OSError) as exc:
            failed.append((spec.id, str(exc)))
            print(f"mle-track: {spec.id} failed: {exc}", file=sys.stderr, flush=True)
            continue
        state = "verified" if result.verified else "not verified"
        if result.checksums_written:
            print(f"{spec.id}: recorded new checksums in {spec.folder / 'checksums.yaml'}")
        if result.skipped:
            skipped.append(spec.id)
            print(f"{spec.id}: already prepared ({state}, {result.seconds:.1f}s)")
        else:
            done.append(spec.id)
            where = result.paths.prepared
            print(f"{spec.id}: prepared in {result.seconds:.1f}s ({state}) → {where}")
        sys.stdout.flush()
    if len(specs) > 1 or failed:
        print(
            f"\nprepared {len(done)}, already prepared {len(skipped)}, failed {len(failed)} "
            f"of {len(specs)} in {time.monotonic() - started:.1f}s (data root {root})"
        )
        for competition_id, message in failed:
            print(f"  FAILED {competition_id}: {message.splitlines()[0]}")
    return 1 if failed else 0


def _progress_printer(competition_id: str) -> Callable[[str], None]:
    started = time.monotonic()

    def progress(message: str) -> None:
        elapsed = time.monotonic() - started
        print(f"[{elapsed:7.1f}s] {competition_id}: {message}", file=sys.stderr, flush=True)

    return progress


def _raw_dir_for(raw_dir: Path | None, competition_id: str, *, several: bool) -> Path | None:
    if raw_dir is None or not several:
        return raw_dir
    own = raw_dir / competition_id
    if not own.exists():
        raise PrepareError(
            f"--raw-dir {raw_dir} with several competitions needs a folder {own} per competition"
        )
    return own

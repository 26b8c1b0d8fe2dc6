"""``mle-track leaderboard``: make or fetch the leaderboards that medal thresholds come from.

``leaderboard build`` trains a competition's reference population on its prepared public data
and writes ``competitions/<id>/leaderboard.csv`` (see :mod:`mle_track.leaderboards`). Further
actions (such as downloading a Kaggle leaderboard) register their own sub-command beside it
through :data:`ACTIONS`, so ``mle-track leaderboard --help`` lists them all.

``leaderboard download`` stores the human private leaderboard of a Kaggle competition in the
data root (``<data>/<id>/leaderboard.csv``, which grading prefers over a shipped copy): from
Kaggle's full leaderboard download (never the paged view, which holds only the top rows and
would move every threshold), or, with ``--leaderboard FILE``, from a CSV the user supplies,
validated first. Either way the file is staged beside its destination and only moved into place
once it holds numeric scores, so a failed attempt never destroys a leaderboard already there.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import math
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mle_track import settings
from mle_track.cli import add_data_dir_option
from mle_track.competitions import Catalog
from mle_track.errors import ConfigError, LeaderboardError

#: functions that add one ``leaderboard <action>`` sub-command each
ACTIONS: list[Callable[[Any], None]] = []


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "leaderboard",
        help="build or fetch competition leaderboards",
        description="Leaderboards hold the scores that medal thresholds are read from.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for add_action in ACTIONS:
        add_action(actions)


def _add_build(actions: Any) -> None:
    parser = actions.add_parser(
        "build",
        help="build a reference-population leaderboard",
        description="Train the documented population of reference solutions on the public "
        "train split, score each on the private test answers with the competition's grader, "
        "and write competitions/<id>/leaderboard.csv in rank order. Needs prepared data.",
    )
    parser.add_argument("competitions", nargs="*", metavar="ID", help="competition ids")
    parser.add_argument(
        "--suite", default=None, metavar="NAME", help="every competition of a suite"
    )
    add_data_dir_option(parser)
    parser.add_argument(
        "--size",
        type=int,
        default=None,
        help="population size (default: the standard population recorded in config notes)",
    )
    parser.add_argument("--seed", type=int, default=0, help="population seed (default 0)")
    parser.add_argument(
        "--jobs", type=int, default=2, help="reference solutions trained at once (default 2)"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print every reference solution's score"
    )
    parser.set_defaults(handler=functools.partial(run_build, parser=parser))


ACTIONS.append(_add_build)


def run_build(args: argparse.Namespace, parser: argparse.ArgumentParser | None = None) -> int:
    if not args.competitions and not args.suite:
        message = "name competition ids or a suite with --suite NAME"
        if parser is not None:
            parser.error(message)
        raise SystemExit(message)
    from mle_track.grading import thresholds
    from mle_track.leaderboards import DEFAULT_SIZE, GENERATOR_VERSION, build_leaderboard

    specs = Catalog().resolve(args.competitions, args.suite)
    not_built = [s.id for s in specs if s.leaderboard.source != "reference-population"]
    if not_built:
        raise ConfigError(
            f"not reference-population leaderboards: {', '.join(not_built)} "
            "(their leaderboard.source says where they come from)"
        )
    root = settings.data_dir(args.data_dir)
    started = time.monotonic()
    cpu_total = 0.0
    print(
        f"{'competition':<30} {'n':>3} {'train':>6} {'test':>6} {'best':>10} {'gold':>10} "
        f"{'silver':>10} {'bronze':>10} {'median':>10} {'worst':>10} {'secs':>6} {'cpu':>6}"
    )
    for spec in specs:
        result = build_leaderboard(
            spec,
            root,
            size=args.size or DEFAULT_SIZE,
            seed=args.seed,
            jobs=args.jobs,
            progress=_member_printer(spec.id) if args.verbose else None,
        )
        scores = result.table["score"].tolist()
        limits = thresholds(scores, spec.direction == "higher")
        cpu_total += result.cpu_seconds
        print(
            f"{spec.id:<30} {len(scores):>3} {result.n_train:>6} {result.n_test:>6} "
            f"{scores[0]:>10.5g} {limits.gold:>10.5g} {limits.silver:>10.5g} "
            f"{limits.bronze:>10.5g} {limits.median:>10.5g} {scores[-1]:>10.5g} "
            f"{result.seconds:>6.1f} {result.cpu_seconds:>6.1f}",
            flush=True,
        )
        if spec.leaderboard.generator_version != GENERATOR_VERSION:
            print(
                f"  note: set leaderboard.generator_version to {GENERATOR_VERSION!r} in "
                f"{spec.folder / 'config.yaml'} (it says "
                f"{spec.leaderboard.generator_version!r})",
                flush=True,
            )
    print(
        f"\nwrote {len(specs)} leaderboard(s) in {time.monotonic() - started:.1f}s "
        f"({cpu_total:.1f}s CPU training the reference solutions)"
    )
    return 0


def _member_printer(competition_id: str) -> Callable[[Any, float, float], None]:
    def report(member: Any, score: float, seconds: float) -> None:
        print(
            f"  {competition_id}: {member.name:<40} {score:>12.6g}  {seconds:6.2f}s",
            file=sys.stderr,
            flush=True,
        )

    return report


# ------------------------------------------------------------------------------------ download


def _add_download(actions: Any) -> None:
    parser = actions.add_parser(
        "download",
        help="fetch a Kaggle competition's human leaderboard into the data root",
        description="Download the full private leaderboard of a Kaggle competition (Kaggle's "
        "leaderboard download, not the paged view) and store its scores in rank order as "
        "<data>/<id>/leaderboard.csv, where grading finds it. Needs Kaggle credentials and the "
        "competition's rules accepted. With --leaderboard FILE, a CSV you supply is checked and "
        "stored instead (no Kaggle access).",
    )
    parser.add_argument("competition", metavar="ID", help="competition id")
    add_data_dir_option(parser)
    parser.add_argument(
        "--leaderboard",
        type=Path,
        default=None,
        metavar="FILE",
        help="store this leaderboard instead of downloading one: a CSV (or a zip holding one) "
        "with a numeric 'score' column, best team first",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace a leaderboard already in the data root"
    )
    parser.set_defaults(handler=run_download)


ACTIONS.append(_add_download)


def run_download(args: argparse.Namespace) -> int:
    from mle_track.data.layout import CompetitionPaths
    from mle_track.data.sources import kaggle as kaggle_source
    from mle_track.grading import thresholds
    from mle_track.grading.leaderboard import load_scores, order_agrees

    spec = Catalog().get(args.competition)
    if spec.leaderboard.source != "kaggle":
        hint = (
            f"; make it with `mle-track leaderboard build {spec.id}`"
            if spec.leaderboard.source == "reference-population"
            else ""
        )
        raise ConfigError(
            f"{spec.id}: its leaderboard.source is {spec.leaderboard.source!r}, not 'kaggle', so "
            f"there is no human leaderboard to store{hint}"
        )
    dest = CompetitionPaths(settings.data_dir(args.data_dir), spec.id).leaderboard
    if dest.exists() and not args.force:
        raise LeaderboardError(f"{dest} already exists; pass --force to replace it")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staged = dest.with_name(f".{dest.name}.new")
    try:
        if args.leaderboard is not None:
            origin = str(args.leaderboard)
            _stage_supplied(args.leaderboard, staged, spec.id)
        else:
            if spec.source.kind != "kaggle":
                raise ConfigError(f"{spec.id}: its data does not come from Kaggle")
            origin = f"Kaggle competition {spec.source.competition!r}"
            print(f"downloading the leaderboard of {origin} …", file=sys.stderr, flush=True)
            kaggle_source.download_leaderboard(spec.source.competition, staged)
        scores = load_scores(staged)
        staged.replace(dest)
    finally:
        staged.unlink(missing_ok=True)

    higher = spec.direction == "higher"
    better = "higher" if higher else "lower"
    if not order_agrees(scores, higher):
        print(
            f"mle-track: warning: {spec.id}: the first score ({scores[0]:.6g}) is worse than the "
            f"last ({scores[-1]:.6g}) although {better} is better for {spec.metric.name}; a "
            "leaderboard must list the best team first, so the medal thresholds are likely "
            "wrong",
            file=sys.stderr,
        )
    limits = thresholds(scores, higher)
    print(f"{spec.id}: stored {len(scores)} scores from {origin} in {dest}")
    print(
        f"  medal thresholds ({better} is better): gold {limits.gold:.6g}, silver "
        f"{limits.silver:.6g}, bronze {limits.bronze:.6g}, median {limits.median:.6g}"
    )
    if not spec.awards_medals:
        print(f"  note: {spec.id} awards no medals (awards_medals: false); grading ignores it")
    return 0


def _supplied_text(path: Path) -> str:
    """The CSV text of a user-supplied leaderboard file (or of the one CSV in a zip)."""
    if not path.is_file():
        raise LeaderboardError(f"--leaderboard {path}: no such file")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if len(members) != 1:
                    raise LeaderboardError(
                        f"--leaderboard {path}: the zip must hold exactly one CSV, found "
                        f"{len(members)}"
                    )
                return archive.read(members[0]).decode("utf-8-sig")
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LeaderboardError(f"--leaderboard {path}: not UTF-8 text ({exc.reason})") from None


def _stage_supplied(path: Path, staged: Path, competition_id: str) -> None:
    """Check a user's leaderboard strictly, then write it the way downloads are written."""
    from mle_track.data.sources.kaggle import normalise_leaderboard

    text = _supplied_text(path)
    rows = list(csv.reader(io.StringIO(text)))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    if "score" not in header:
        found = ", ".join(rows[0][:8]) if rows else "nothing"
        raise LeaderboardError(f"--leaderboard {path}: no 'score' column (the header has {found})")
    at = header.index("score")
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(f.strip() for f in row)]
    if not body:
        raise LeaderboardError(f"--leaderboard {path}: no rows below the header")
    for line, row in body:
        if len(row) != len(header):
            raise LeaderboardError(
                f"--leaderboard {path}: line {line} has {len(row)} fields, the header {len(header)}"
            )
        try:
            value = float(row[at])
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise LeaderboardError(
                f"--leaderboard {path}: line {line}: score {row[at]!r} is not a finite number"
            )
    out_header, out_rows = normalise_leaderboard(text, competition_id)
    with staged.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(out_header)
        writer.writerows(out_rows)

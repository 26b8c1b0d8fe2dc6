"""``mle-track list``: the competitions and suites this installation knows."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mle_track import settings
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.grading.leaderboard import leaderboard_file

#: what the ``medals`` column says, and how to get a leaderboard
MEDALS_KEY = (
    "medals: yes = a leaderboard is here; download = `mle-track leaderboard download ID` "
    "(Kaggle credentials) or `--leaderboard FILE`; build = `mle-track leaderboard build ID`; "
    "none = score and validity only"
)


def medals(spec: CompetitionSpec, root: Path) -> str:
    """Whether grading can award medals here, or how to make it able to."""
    if spec.leaderboard.source == "none":
        return "none"
    if leaderboard_file(spec, root) is not None:
        return "yes"
    return "build" if spec.leaderboard.source == "reference-population" else "download"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("list", help="list competitions and suites")
    parser.add_argument("what", nargs="?", choices=["competitions", "suites"], default=None)
    parser.add_argument("--suite", default=None, help="only the competitions of this suite")
    parser.add_argument("--data-dir", default=None, help="data root, to show what is prepared")
    parser.add_argument("--ids", action="store_true", help="print only competition ids, one a line")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    catalog = Catalog()
    root = settings.data_dir(args.data_dir)
    ids = catalog.suite(args.suite).available(catalog) if args.suite else catalog.ids()
    if args.ids:
        print("\n".join(ids))
        return 0
    if args.what in (None, "competitions"):
        header = f"{'competition':<52} {'ver':>3}  {'metric':<30} {'dir':<6} {'splits':<9}"
        print(f"{header} {'prepared':<8} medals")
        for spec in (catalog.get(i) for i in ids):
            prepared = "yes" if CompetitionPaths(root, spec.id).is_prepared() else "-"
            print(
                f"{spec.id:<52} {spec.version:>3}  {spec.metric.name:<30} {spec.direction:<6} "
                f"{','.join(spec.splits):<9} {prepared:<8} {medals(spec, root)}"
            )
        print(MEDALS_KEY)
    if args.what in (None, "suites"):
        if args.what is None:
            print()
        print(f"{'suite':<18} {'defined':>7} / {'listed':<6}")
        for name in catalog.suite_names():
            suite = catalog.suite(name)
            label = name if name == suite.name else f"{name} (= {suite.name})"
            print(f"{label:<18} {len(suite.available(catalog)):>7} / {len(suite.competition_ids)}")
    return 0

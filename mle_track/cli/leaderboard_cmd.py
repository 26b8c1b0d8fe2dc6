"""``mle-track leaderboard``: make or fetch the leaderboards that medal thresholds come from.

``leaderboard build`` trains a competition's reference population on its prepared public data
and writes ``competitions/<id>/leaderboard.csv`` (see :mod:`mle_track.leaderboards`). Further
actions (such as downloading a Kaggle leaderboard) register their own sub-command beside it
through :data:`ACTIONS`, so ``mle-track leaderboard --help`` lists them all.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from typing import Any

from mle_track import settings
from mle_track.cli import add_data_dir_option
from mle_track.competitions import Catalog
from mle_track.errors import ConfigError

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
    print(
        f"{'competition':<30} {'n':>3} {'train':>6} {'test':>6} {'best':>10} {'gold':>10} "
        f"{'median':>10} {'worst':>10} {'secs':>6}"
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
        print(
            f"{spec.id:<30} {len(scores):>3} {result.n_train:>6} {result.n_test:>6} "
            f"{scores[0]:>10.5g} {limits.gold:>10.5g} {limits.median:>10.5g} "
            f"{scores[-1]:>10.5g} {result.seconds:>6.1f}",
            flush=True,
        )
        if spec.leaderboard.generator_version != GENERATOR_VERSION:
            print(
                f"  note: set leaderboard.generator_version to {GENERATOR_VERSION!r} in "
                f"{spec.folder / 'config.yaml'} (it says "
                f"{spec.leaderboard.generator_version!r})",
                flush=True,
            )
    print(f"\nwrote {len(specs)} leaderboard(s) in {time.monotonic() - started:.1f}s")
    return 0


def _member_printer(competition_id: str) -> Callable[[Any, float, float], None]:
    def report(member: Any, score: float, seconds: float) -> None:
        print(
            f"  {competition_id}: {member.name:<40} {score:>12.6g}  {seconds:6.2f}s",
            file=sys.stderr,
            flush=True,
        )

    return report

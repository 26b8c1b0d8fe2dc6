"""``mle-track run [-m] key=value …``: Hydra-composed, MLflow-tracked attempts and sweeps.

Everything after ``run`` is Hydra's command line, with one addition: ``suite=NAME`` expands to
the suite's competitions (``competition=a,b,c``) and makes the run a sweep, since one attempt is
one competition. After a sweep, the parent run is finished here whatever happened to the jobs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mle_track.errors import ConfigError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run tracked attempts (Hydra overrides: agent=… competition=… suite=… seed=…)",
        add_help=False,
    )
    parser.add_argument("overrides", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=run)


def expand_suite(overrides: list[str]) -> list[str]:
    """Replace ``suite=NAME`` by the suite's competitions, switching to multirun when needed."""
    from mle_track.competitions import Catalog

    suites = [o for o in overrides if o.startswith("suite=")]
    if not suites:
        return overrides
    if len(suites) > 1 or "," in suites[0]:
        raise ConfigError("give one suite per run (suite=NAME); sweep suites with separate runs")
    if any(o.startswith("competition=") for o in overrides):
        raise ConfigError("give either competition=… or suite=…, not both")
    catalog = Catalog()
    name = suites[0].split("=", 1)[1]
    suite = catalog.suite(name)
    missing = suite.missing(catalog)
    if missing:
        raise ConfigError(f"suite {name!r} lists undefined competitions: {', '.join(missing)}")
    out = [o for o in overrides if not o.startswith("suite=")]
    out += [f"suite={name}", "competition=" + ",".join(suite.competition_ids)]
    if len(suite.competition_ids) > 1 and not ({"-m", "--multirun"} & set(out)):
        out.insert(0, "--multirun")
    return out


def run(args: argparse.Namespace) -> int:
    import logging

    from mle_track.app import callbacks

    if args.overrides[:1] in (["-h"], ["--help"]):
        print(__doc__)
    overrides = expand_suite(list(args.overrides))
    logging.getLogger("mle_track").setLevel(logging.INFO)
    saved = sys.argv
    sys.argv = ["mle-track-run", *overrides]
    started = len(callbacks.STARTED_SWEEPS)
    try:
        from mle_track.app.main import main

        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            return int(exc.code) if isinstance(exc.code, int) else 1
    finally:
        sys.argv = saved
        for sweep_dir in callbacks.STARTED_SWEEPS[started:]:
            _finish(sweep_dir)
    return 0


def _finish(sweep_dir: Path) -> None:
    from mle_track.app.callbacks import finish_sweep
    from mle_track.tracking.report import render_table

    try:
        result = finish_sweep(sweep_dir)
    except Exception as exc:
        print(f"mle-track: could not finish the sweep's parent run: {exc}", file=sys.stderr)
        return
    if result is not None:
        print(render_table(result["summaries"], "table"))

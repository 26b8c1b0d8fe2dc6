"""``mle-track``: one sub-command per module in this package.

Each command module exposes ``register(subparsers)``, which adds its parser and sets ``handler``
to a function taking the parsed arguments and returning an exit code. Command modules import
their heavy dependencies inside the handler, so ``mle-track grade-sample`` never pays for MLflow
or Hydra. Errors derived from :class:`MleTrackError` print as one line, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mle_track.errors import MleTrackError

#: command modules, in the order ``--help`` lists them
COMMAND_MODULES = (
    "mle_track.cli.list_cmd",
    "mle_track.cli.prepare_cmd",
    "mle_track.cli.grade_cmd",
    "mle_track.cli.leaderboard_cmd",
    "mle_track.cli.run_agent_cmd",
    "mle_track.cli.run_cmd",
    "mle_track.cli.tracking_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mle-track",
        description="Run MLE-bench competitions, grade submissions and track attempts.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # a command not written yet
                continue
            raise
        module.register(subparsers)
    return parser


#: commands whose arguments belong to another parser (Hydra's), passed through untouched
PASSTHROUGH = {"run": "mle_track.cli.run_cmd"}


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] in PASSTHROUGH:
        module = importlib.import_module(PASSTHROUGH[words[0]])
        args = argparse.Namespace(overrides=words[1:], handler=module.run)
    else:
        args = build_parser().parse_args(words)
    try:
        return int(args.handler(args))
    except MleTrackError as exc:
        print(f"mle-track: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mle-track: interrupted", file=sys.stderr)
        return 130


def add_data_dir_option(parser: argparse.ArgumentParser) -> None:
    """The ``--data-dir`` flag every data-reading command shares."""
    parser.add_argument(
        "--data-dir",
        default=None,
        help="data root (default: $MLE_TRACK_DATA_DIR or ~/.cache/mle-track/data)",
    )

"""``mle-track grade`` and ``mle-track grade-sample``: MLE-bench's grading commands.

``grade`` reads MLE-bench's JSONL input (one ``{"competition_id", "submission_path"}`` per line;
blank lines and lines starting with ``#`` or ``//`` are skipped) and writes a timestamped grading
report; ``grade-sample`` grades one CSV and prints its report. Both import only the grading code:
no MLflow, no Hydra.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle_track import settings
from mle_track.cli import add_data_dir_option
from mle_track.errors import MleTrackError

if TYPE_CHECKING:
    from mle_track.grading.aggregate import GradingReport


def register(subparsers: Any) -> None:
    grade = subparsers.add_parser("grade", help="grade a batch of submissions (MLE-bench JSONL)")
    grade.add_argument(
        "--submission", required=True, help="JSONL of competition_id/submission_path"
    )
    grade.add_argument("--output-dir", required=True, help="where the grading report is written")
    add_data_dir_option(grade)
    grade.set_defaults(handler=run_grade)

    sample = subparsers.add_parser("grade-sample", help="grade one CSV and print its report")
    sample.add_argument("submission", help="the submission CSV")
    sample.add_argument("competition_id", help="the competition it is for")
    add_data_dir_option(sample)
    sample.set_defaults(handler=run_grade_sample)


@dataclass(frozen=True)
class BatchEntry:
    line: int
    competition_id: str
    submission_path: Path | None


def read_batch(path: Path) -> list[BatchEntry]:
    """Parse the JSONL input, rejecting the whole batch with every bad line named."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MleTrackError(f"cannot read {path}: {exc}") from None
    entries: list[BatchEntry] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith(("#", "//")):
            continue
        try:
            record = json.loads(text)
            competition_id = record["competition_id"]
            raw_path = record.get("submission_path")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(f"line {number}: expected a JSON object with competition_id ({exc})")
            continue
        submission = Path(raw_path).expanduser() if raw_path else None
        entries.append(BatchEntry(number, str(competition_id), submission))
    if problems:
        raise MleTrackError(f"{path} is malformed:\n  " + "\n  ".join(problems))
    return entries


def run_grade(args: argparse.Namespace) -> int:
    from mle_track.competitions import Catalog
    from mle_track.grading import grade_submission, grading_report, to_json

    entries = read_batch(Path(args.submission))
    catalog = Catalog()
    specs = {}
    unknown = []
    for entry in entries:
        try:
            specs[entry.competition_id] = catalog.get(entry.competition_id)
        except MleTrackError as exc:
            unknown.append(f"line {entry.line}: {exc}")
    if unknown:
        raise MleTrackError("cannot grade this batch:\n  " + "\n  ".join(unknown))
    data_root = settings.data_dir(args.data_dir)
    reports = [
        grade_submission(specs[e.competition_id], e.submission_path, data_root) for e in entries
    ]
    report = grading_report(reports)
    output_dir = Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H-%M-%S-GMT", time.gmtime())
    out = output_dir / f"{stamp}_grading_report.json"
    out.write_text(to_json(report.to_dict()) + "\n", encoding="utf-8")
    _print_summary(report, out)
    return 0


def _print_summary(report: GradingReport, path: Path) -> None:
    width = max(len(k) for k in report.totals)
    for key, value in report.totals.items():
        print(f"{key:<{width}}  {value}", file=sys.stderr)
    for name, split in report.splits.items():
        medal = split.any_medal_pct
        print(
            f"{name}: any medal {medal.mean:.1f}% ± {medal.sem:.1f} over "
            f"{split.num_competitions} competition(s), {split.num_seeds} seed(s)",
            file=sys.stderr,
        )
    print(str(path))


def run_grade_sample(args: argparse.Namespace) -> int:
    from mle_track.competitions import Catalog
    from mle_track.grading import grade_submission, to_json

    spec = Catalog().get(args.competition_id)
    report = grade_submission(spec, Path(args.submission), settings.data_dir(args.data_dir))
    print(to_json(report.to_dict()))
    return 0

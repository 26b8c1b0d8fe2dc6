"""``mle-track prepare --suite all|dev --no-verify`` end to end, with the fake Kaggle API.

Every competition's ``synthetic.make_raw`` output is served by the fake Kaggle API as
``<competition>.zip`` (the files at the top level of one archive, as Kaggle ships a
competition), and the real CLI runs the real pipeline and every real ``prepare.py`` in one
process. The fake account has not accepted the rules of one competition: the CLI must name it
with its rules URL, prepare the others anyway, print a summary and exit with 1.

The CLI obtains its Kaggle API object from ``mle_track.data.sources.kaggle.real_api``, which is
patched to return the fake. Each suite is run once per module. Competitions of a suite that
are not defined yet (or are half written: no config, prepare, description or synthetic raw
data) are skipped by name; until all of a suite exist the run names the defined ones with
``-c`` (the same pipeline), and the test of the ``--suite`` flag itself is skipped.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from mle_track import settings
from mle_track.cli import main
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.competitions.files import load_module
from mle_track.data import CompetitionPaths, space
from mle_track.data.sources import kaggle as kaggle_source
from mle_track.errors import MleTrackError
from mle_track.grading import grade_submission, metric_for
from tests.fakes.kaggle import FakeKaggleApi

COMPETITIONS = settings.PROJECT_DIR / "competitions"
#: the Kaggle suites run end to end, with their sizes
SUITES = {"all": 75, "dev": 7}
REQUIRED_FILES = ("config.yaml", "prepare.py", "description.md", "synthetic.py")


def _why_unavailable(competition_id: str) -> str | None:
    """None when the competition can run here, else why not (it is being written)."""
    folder = COMPETITIONS / competition_id
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        return f"{competition_id} is not fully defined yet (no {', '.join(missing)})"
    try:
        Catalog(COMPETITIONS).get(competition_id)
    except MleTrackError as exc:
        return f"{competition_id}: config does not load yet: {exc}"
    return None


@dataclass(frozen=True)
class Suite:
    name: str
    ids: tuple[str, ...]
    #: competition → why it cannot run here yet
    unavailable: dict[str, str]

    @property
    def available(self) -> list[str]:
        return [c for c in self.ids if c not in self.unavailable]

    @property
    def refused(self) -> str:
        """The competition whose rules the fake Kaggle account has not accepted (the first)."""
        return self.available[0] if self.available else ""


def _suite(name: str) -> Suite:
    ids = Catalog(COMPETITIONS).suite(name).competition_ids
    unavailable = {c: why for c in ids if (why := _why_unavailable(c)) is not None}
    return Suite(name, tuple(ids), unavailable)


KAGGLE_SUITES = {name: _suite(name) for name in SUITES}
CASES = [(name, c) for name, suite in KAGGLE_SUITES.items() for c in suite.ids]


@dataclass(frozen=True)
class SuiteRun:
    argv: list[str]
    exit_code: int
    out: str
    err: str
    data: Path
    served: Path
    api: FakeKaggleApi


def synthetic_module(spec: CompetitionSpec) -> ModuleType:
    return load_module(spec.folder, "synthetic")


@pytest.fixture(scope="module")
def suite_runs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], SuiteRun]:
    """``run(name)``: the suite's prepare through the CLI, run the first time it is asked for."""
    runs: dict[str, SuiteRun] = {}

    def run(name: str) -> SuiteRun:
        if name not in runs:
            runs[name] = _run_suite(KAGGLE_SUITES[name], tmp_path_factory)
        return runs[name]

    return run


def _run_suite(suite: Suite, tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    if not suite.available:
        pytest.skip(f"no {suite.name} competition is defined yet")
    root = tmp_path_factory.mktemp(f"{suite.name}-suite")
    served, data = root / "served", root / "data"
    catalog = Catalog(COMPETITIONS)
    for competition_id in suite.available:
        spec = catalog.get(competition_id)
        raw = served / spec.source.competition  # type: ignore[union-attr]
        raw.mkdir(parents=True)
        synthetic_module(spec).make_raw(raw, np.random.default_rng(0))
    api = FakeKaggleApi(served, rules_not_accepted={suite.refused})
    if suite.unavailable:
        selection = [arg for c in suite.available for arg in ("-c", c)]
    else:
        selection = ["--suite", suite.name]
    argv = ["prepare", *selection, "--no-verify", "--data-dir", str(data)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kaggle_source, "real_api", lambda: api)
        # the configs declare the real downloads' sizes (up to 160 GB); the fake serves kilobytes
        patch.setattr(space, "free_bytes", lambda folder: 1 << 50)
        patch.setenv(settings.ENV_COMPETITIONS_DIR, str(COMPETITIONS))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    return SuiteRun(argv, code, out.getvalue(), err.getvalue(), data, served, api)


@pytest.mark.parametrize("name", SUITES)
def test_the_suite_continues_past_the_refused_competition_and_summarises(
    suite_runs: Callable[[str], SuiteRun], name: str
) -> None:
    suite, suite_run = KAGGLE_SUITES[name], suite_runs(name)
    n, refused = len(suite.available), suite.refused
    assert suite_run.exit_code == 1, suite_run.out + suite_run.err
    assert "verification is off (--no-verify)" in suite_run.out
    summary = f"prepared {n - 1}, already prepared 0, failed 1 of {n} in "
    assert summary in suite_run.out, suite_run.out[-3000:] + suite_run.err[-3000:]
    failed = [line for line in suite_run.out.splitlines() if line.startswith("  FAILED ")]
    assert len(failed) == 1 and failed[0].startswith(f"  FAILED {refused}: the rules of Kaggle")
    assert f"https://www.kaggle.com/c/{refused}/rules" in failed[0]
    assert f"mle-track: {refused} failed: the rules of Kaggle competition" in suite_run.err
    assert suite.available.index(refused) == 0, "the refused one comes first: the rest went on"


@pytest.mark.parametrize("name", SUITES)
def test_the_suite_flag_itself_runs_the_whole_suite(name: str) -> None:
    suite = KAGGLE_SUITES[name]
    if suite.unavailable:
        pytest.skip(
            f"{len(suite.unavailable)} of {len(suite.ids)} {name} competitions are not defined yet"
        )
    assert len(suite.available) == len(suite.ids) == SUITES[name]


@pytest.mark.parametrize(("name", "competition_id"), CASES)
def test_each_competition_came_through_the_cli(
    suite_runs: Callable[[str], SuiteRun], name: str, competition_id: str
) -> None:
    suite = KAGGLE_SUITES[name]
    if competition_id in suite.unavailable:
        pytest.skip(suite.unavailable[competition_id])
    suite_run = suite_runs(name)
    if not suite.unavailable:
        assert suite_run.argv[1:3] == ["--suite", name]
    spec = Catalog(COMPETITIONS).get(competition_id)
    slug = spec.source.competition  # type: ignore[union-attr]
    paths = CompetitionPaths(suite_run.data, competition_id)
    assert suite_run.api.calls.count(("download", slug)) == 1, "one download, no retries"
    if competition_id == suite.refused:
        assert not paths.is_prepared()
        assert not any(p.is_file() for p in paths.base.rglob("*") if p.name != ".lock")
        return

    assert f"\n{competition_id}: prepared in " in f"\n{suite_run.out}"
    assert f"s] {competition_id}: downloading Kaggle competition '{slug}'" in suite_run.err
    assert paths.is_prepared()
    assert json.loads(paths.marker.read_text())["verified"] is False
    assert not paths.raw.exists() and not paths.downloads.exists(), "raw/ and the zip dropped"
    assert (paths.public / "description.md").is_file()

    synthetic = synthetic_module(spec)
    for relative, columns in synthetic.EXPECTED_FILES.items():
        path = paths.resolve(relative)
        assert path.exists(), relative
        if columns is not None:
            assert list(pd.read_csv(path, nrows=0).columns) == columns, relative
    synthetic.check_split(paths.public, paths.private, suite_run.served / slug)

    sample = grade_submission(spec, paths.resolve(spec.sample_submission), suite_run.data)
    assert sample.valid_submission, (sample.invalid_reason, sample.grader_error)
    gold = grade_submission(spec, paths.resolve(spec.gold_path), suite_run.data)
    assert gold.valid_submission, (gold.invalid_reason, gold.grader_error)
    best = metric_for(spec).best
    if best is not None:
        assert gold.score == pytest.approx(best, abs=1e-5)

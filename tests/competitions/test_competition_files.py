"""The one loader for competition files: package semantics for every entry file, no shadowing,
one-line errors that name the file, and every caller (prepare, grader, reference) going
through it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mle_track import settings
from mle_track.competitions.files import (
    ENTRY_FILES,
    PACKAGE_PREFIX,
    CompetitionFileError,
    load_function,
    load_module,
)
from mle_track.data.loader import load_prepare
from mle_track.errors import ConfigError, LeaderboardError, PrepareError
from mle_track.grading import grade_submission
from mle_track.leaderboards.problem import load_reference_module
from tests.competitions.conftest import TOY_ANSWERS, MakeCustomGraded

COMPETITIONS = settings.PROJECT_DIR / "competitions"


def write_folder(folder: Path, helper_value: int) -> Path:
    """A folder whose four entry files each import the same sibling helper relatively."""
    folder.mkdir(parents=True)
    (folder / "helpers.py").write_text(f"VALUE = {helper_value}\n")
    for stem in ENTRY_FILES:
        (folder / f"{stem}.py").write_text(
            "from . import helpers\nfrom .helpers import VALUE\n\n"
            "def value():\n    return helpers.VALUE, VALUE\n"
        )
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty competition folder named ``toy``."""
    path = tmp_path / "toy"
    path.mkdir()
    return path


@pytest.mark.parametrize("stem", ENTRY_FILES)
def test_every_entry_file_imports_its_siblings_relatively(tmp_path: Path, stem: str) -> None:
    one = write_folder(tmp_path / "one" / "same-name", 1)
    two = write_folder(tmp_path / "two" / "same-name", 2)
    first, second = load_module(one, stem), load_module(two, stem)
    assert first.value() == (1, 1) and second.value() == (2, 2), "no shadowing by folder name"
    assert first.__name__ != second.__name__
    assert sys.modules[first.__name__] is first, "registered for dataclasses and pickle"
    assert first.__package__ and sys.modules[f"{first.__package__}.helpers"].VALUE == 1


def test_an_entry_file_imports_another_entry_file(folder: Path) -> None:
    (folder / "prepare.py").write_text("LABELS = ['a', 'b']\n")
    (folder / "synthetic.py").write_text("from .prepare import LABELS\n")
    assert load_module(folder, "synthetic").LABELS == ["a", "b"]


def test_each_load_runs_the_file_afresh(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "toy", 1)
    before = load_module(folder, "grade")
    (folder / "helpers.py").write_text("VALUE = 2  # edited\n")
    assert load_module(folder, "grade").value() == (2, 2)
    assert before.value() == (1, 1), "an earlier load keeps its own modules"


def test_errors_are_one_line_and_name_the_file(folder: Path) -> None:
    with pytest.raises(CompetitionFileError, match=r"^toy: .*synthetic\.py does not exist$"):
        load_module(folder, "synthetic")
    (folder / "grade.py").write_text("import math\n\nX = 1 / 0\n")
    before = set(sys.modules)
    with pytest.raises(CompetitionFileError) as failed:
        load_module(folder, "grade")
    left = [n for n in set(sys.modules) - before if n.startswith(PACKAGE_PREFIX)]
    assert not left, f"a failed load leaves nothing half run: {left}"
    message = str(failed.value)
    assert "\n" not in message and "importing" in message and "grade.py" in message
    assert "ZeroDivisionError" in message and "grade.py:3" in message
    (folder / "reference.py").write_text("load_problem = 3\n")
    with pytest.raises(CompetitionFileError, match="defines no function load_problem"):
        load_function(folder, "reference", "load_problem")
    with pytest.raises(CompetitionFileError, match="not a module name"):
        load_module(folder, "../grade")
    assert issubclass(CompetitionFileError, ConfigError)


def test_prepare_keeps_its_error_type_and_signature_check(tmp_path: Path) -> None:
    with pytest.raises(PrepareError, match=r"^toy: .*prepare\.py does not exist"):
        load_prepare(tmp_path, "toy")
    (tmp_path / "prepare.py").write_text("raise RuntimeError('broken')\n")
    with pytest.raises(PrepareError, match=r"toy: importing .*prepare\.py failed: RuntimeError"):
        load_prepare(tmp_path, "toy")
    (tmp_path / "prepare.py").write_text("from . import missing_helper\n")
    with pytest.raises(PrepareError, match="ImportError"):
        load_prepare(tmp_path, "toy")


def test_a_custom_grader_imports_its_siblings(
    make_custom_graded: MakeCustomGraded, data_root: Path, tmp_path: Path
) -> None:
    spec = make_custom_graded(
        "toy-sibling-grader",
        "grade:grade",
        {
            "scoring.py": "CONSTANT = 0.25\n",
            "grade.py": "from .scoring import CONSTANT\n\n"
            "def grade(submission, answers):\n    return CONSTANT\n",
        },
    )
    TOY_ANSWERS.to_csv(tmp_path / "submission.csv", index=False)
    report = grade_submission(spec, tmp_path / "submission.csv", data_root)
    assert report.grader_error is None and report.score == 0.25


def test_a_missing_custom_grader_is_a_config_error_naming_config_yaml(
    make_custom_graded: MakeCustomGraded, data_root: Path, tmp_path: Path
) -> None:
    spec = make_custom_graded("toy-no-grader", "scoring:grade", {})
    TOY_ANSWERS.to_csv(tmp_path / "submission.csv", index=False)
    report = grade_submission(spec, tmp_path / "submission.csv", data_root)
    assert report.grader_error and report.grader_error.startswith("CompetitionFileError: ")
    assert "config.yaml: grader: " in report.grader_error
    assert "scoring.py does not exist" in report.grader_error


def test_reference_files_load_through_the_same_loader(folder: Path) -> None:
    with pytest.raises(LeaderboardError, match=r"has no reference\.py"):
        load_reference_module(folder, "toy")
    (folder / "features.py").write_text("def load_problem(public):\n    return public\n")
    (folder / "reference.py").write_text("from .features import load_problem\n")
    assert load_reference_module(folder, "toy").load_problem("x") == "x"
    (folder / "reference.py").write_text("import not_a_module_anywhere\n")
    with pytest.raises(LeaderboardError, match="ModuleNotFoundError"):
        load_reference_module(folder, "toy")


def test_no_competition_file_loads_another_folder_or_edits_sys_path() -> None:
    for path in sorted(COMPETITIONS.glob("*/*.py")):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("spec_from_file_location", "sys.path", "parent.parent"):
            assert forbidden not in text, f"{path.relative_to(COMPETITIONS)} uses {forbidden}"


@pytest.mark.parametrize(
    "competition", sorted(p.parent.name for p in COMPETITIONS.glob("*/config.yaml"))
)
def test_every_entry_file_of_every_competition_loads(competition: str) -> None:
    for stem in ENTRY_FILES:
        if (COMPETITIONS / competition / f"{stem}.py").is_file():
            load_module(COMPETITIONS / competition, stem)

"""Fixtures of the competition tests: a toy competition graded by a ``grade.py`` of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from mle_track.competitions.spec import CompetitionSpec
from tests.conftest import MakeCompetition

#: the answers of every toy custom-grader competition (AUROC needs both classes)
TOY_ANSWERS = pd.DataFrame({"id": [1, 2, 3], "t": [0.0, 1.0, 0.0]})
#: (competition id, ``module:function`` of the grader, {file name: source}) -> spec
MakeCustomGraded = Callable[[str, str, dict[str, str]], CompetitionSpec]


@pytest.fixture
def make_custom_graded(
    make_competition: MakeCompetition, competitions_root: Path
) -> MakeCustomGraded:
    """A prepared toy competition (AUROC on ``t``) graded by ``grader``, with ``files`` written
    into its folder; its sample submission predicts 0.5 everywhere."""

    def make(competition_id: str, grader: str, files: dict[str, str]) -> CompetitionSpec:
        spec = make_competition(
            competition_id,
            metric="auroc",
            direction="higher",
            answers=TOY_ANSWERS,
            sample=TOY_ANSWERS.assign(t=0.5),
            target_columns=["t"],
            grader=grader,
        )
        for name, source in files.items():
            (competitions_root / competition_id / name).write_text(source)
        return spec

    return make

"""``mle-track list``: every competition with where its medals come from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mle_track.cli import main
from mle_track.competitions import Catalog


def test_every_competition_is_listed_with_its_medal_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["list", "competitions", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line[:1].isalnum()}
    catalog = Catalog()
    assert set(catalog.ids()) <= set(rows)
    assert len([c for c in catalog.ids() if not c.startswith("practice-")]) == 82
    assert rows["spaceship-titanic"][-1] == "download"  # a Kaggle board, none in this data root
    assert rows["practice-diamond-prices"][-1] == "yes"  # shipped in the competition's folder
    assert re.search(r"^medals: yes = a leaderboard is here; download = ", out, re.MULTILINE)

"""Competition configs, discovery and suites, on the real tree and on broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mle_track import settings
from mle_track.competitions import Catalog
from mle_track.errors import ConfigError, UnknownNameError
from mle_track.grading import metric_for

REAL = settings.PROJECT_DIR / "competitions"


def test_lite_suite_matches_mle_bench_low_split() -> None:
    catalog = Catalog(REAL)
    lite = catalog.suite("lite")
    assert lite.name == "low" and len(lite.competition_ids) == 22
    assert "spooky-author-identification" in lite.competition_ids
    assert len(catalog.suite("all").competition_ids) == 75
    assert len(catalog.suite("medium").competition_ids) == 38
    assert len(catalog.suite("high").competition_ids) == 15
    assert len(catalog.suite("dev").competition_ids) == 7
    assert len(catalog.suite("practice").competition_ids) >= 6
    assert catalog.suite("split75") == catalog.suite("all")
    systemcard = catalog.suite("systemcard").competition_ids
    assert len(systemcard) == 30 and set(systemcard) <= set(catalog.suite("all").competition_ids)
    assert {"billion-word-imputation", "stanford-covid-vaccine"} <= set(systemcard)


def test_every_defined_competition_validates_and_agrees_with_its_suites() -> None:
    catalog = Catalog(REAL)
    for spec in catalog.all():
        metric_for(spec)  # direction declared in config agrees with the metric
        for split in spec.splits:
            assert spec.id in catalog.suite(split).competition_ids, (spec.id, split)
        assert (spec.folder / spec.description).is_file(), spec.id


def test_unknown_names_suggest_close_matches() -> None:
    catalog = Catalog(REAL)
    with pytest.raises(UnknownNameError, match="Did you mean 'practice'"):
        catalog.suite("practise")
    with pytest.raises(UnknownNameError, match="practice-mnist-digits"):
        catalog.get("practice-mnist-digit")


def write_config(root: Path, cid: str, **overrides: object) -> Path:
    config = {
        "id": cid,
        "name": "X",
        "version": 1,
        "metric": {"name": "auroc", "id_column": "id", "target_columns": ["t"]},
        "direction": "higher",
        "answers": "private/test.csv",
        "sample_submission": "public/sample_submission.csv",
        "source": {"kind": "kaggle", "competition": cid},
        "leaderboard": {"source": "none"},
    }
    config.update(overrides)
    (root / cid).mkdir()
    path = root / cid / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_malformed_config_names_file_and_field(tmp_path: Path) -> None:
    write_config(tmp_path, "bad-direction", direction="up")
    with pytest.raises(ConfigError, match=r"bad-direction/config.yaml: direction"):
        Catalog(tmp_path).get("bad-direction")
    write_config(tmp_path, "typo-key", metrc={"name": "auroc"})
    with pytest.raises(ConfigError, match="metrc: Extra inputs are not permitted"):
        Catalog(tmp_path).get("typo-key")
    write_config(tmp_path, "escape", answers="../../etc/passwd")
    with pytest.raises(ConfigError, match="answers"):
        Catalog(tmp_path).get("escape")
    write_config(tmp_path, "wrong-id", id="other")
    with pytest.raises(ConfigError, match="must equal the folder name"):
        Catalog(tmp_path).get("wrong-id")


def test_declared_direction_must_agree_with_the_metric(tmp_path: Path) -> None:
    write_config(tmp_path, "mismatch", direction="lower")
    spec = Catalog(tmp_path).get("mismatch")
    with pytest.raises(ConfigError, match="declares direction 'lower'"):
        metric_for(spec)


def test_suite_listing_undefined_competitions_is_a_clear_error(tmp_path: Path) -> None:
    write_config(tmp_path, "one")
    (tmp_path / "suites.yaml").write_text("suites:\n  mine: [one, two]\n  both: [mine]\n")
    catalog = Catalog(tmp_path)
    assert catalog.suite("both").competition_ids == ("one", "two")
    with pytest.raises(ConfigError, match=r"not defined .*: two"):
        catalog.resolve([], "mine")
    assert [s.id for s in catalog.resolve(["one", "one"], None)] == ["one"]

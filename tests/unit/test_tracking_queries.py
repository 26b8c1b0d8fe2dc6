"""Attempt tables read through the MLflow client and straight from SQL agree; summaries rank."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import pytest

from mle_track.tracking.queries import attempts_frame, configuration_summaries, label
from mle_track.tracking.report import render_table
from mle_track.tracking.sql_queries import attempts_frame_sql, engine_for, experiment_ids
from mle_track.tracking.store import client_for, ensure_experiment, local_store


@pytest.fixture(scope="module")
def store_with_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str]:
    from mlflow.entities import Metric, RunTag

    store = local_store(tmp_path_factory.mktemp("store") / "mlruns")
    client = client_for(store)
    experiment_id = ensure_experiment(client, "q", store)
    now = int(time.time() * 1000)
    for config, medal_rate in (("aaaaaaaaaaaa", 1.0), ("bbbbbbbbbbbb", 0.0)):
        for comp, split in (("c1", "low"), ("c2", "medium")):
            for seed in range(3):
                run = client.create_run(experiment_id)
                medal = float(medal_rate > 0 and seed != 2)
                tags = {"attempt_key": f"{config}{comp}{seed}", "config_hash": config,
                        "agent": config[:1], "model": "none", "compute": "c", "sandbox": "local",
                        "competition_id": comp, "splits": split, "seed": str(seed)}  # fmt: skip
                metrics = {"any_medal": medal, "gold_medal": medal, "valid_submission": 1.0,
                           "submission_exists": 1.0, "runtime_s": 10.0 + seed}  # fmt: skip
                if config.startswith("a"):
                    metrics["normalized_score"] = 0.5
                client.log_batch(
                    run.info.run_id,
                    metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
                    tags=[RunTag(k, v) for k, v in tags.items()],
                )
                client.set_terminated(run.info.run_id, "FINISHED")
    other = client.create_run(experiment_id, tags={"sweep": "true"})  # not an attempt
    client.set_terminated(other.info.run_id, "FINISHED")
    return store, experiment_id


def test_sql_and_client_paths_return_the_same_table(store_with_runs: tuple[object, str]) -> None:
    store, experiment_id = store_with_runs
    client = client_for(store)  # type: ignore[arg-type]
    through_client = attempts_frame(client, [experiment_id])
    engine = engine_for(store.tracking_uri)  # type: ignore[attr-defined]
    assert experiment_ids(engine, "q") == [experiment_id]
    direct = attempts_frame_sql(engine, [experiment_id])
    assert len(direct) == 12
    pd.testing.assert_frame_equal(
        direct.sort_values("run_id").reset_index(drop=True),
        through_client.sort_values("run_id").reset_index(drop=True),
        check_dtype=False,
    )


def test_summaries_rank_by_medal_rate_and_split_aggregates(
    store_with_runs: tuple[object, str],
) -> None:
    store, experiment_id = store_with_runs
    engine = engine_for(store.tracking_uri)  # type: ignore[attr-defined]
    summaries = configuration_summaries(attempts_frame_sql(engine, [experiment_id]))
    assert [s.config_hash for s in summaries] == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]
    best = summaries[0]
    # seeds 0 and 1 medal on both competitions, seed 2 on none: 100, 100, 0 %
    assert best.overall.any_medal_pct.mean == pytest.approx(200 / 3)
    assert best.splits["low"].num_seeds == 3
    assert best.mlebench_all is not None and best.mlebench_all.num_competitions == 2
    assert best.overall.pass_at_k == {"1": 100.0, "2": 100.0, "3": 100.0}
    assert best.mean_normalized_score == 0.5 and summaries[1].mean_normalized_score is None
    text = render_table(summaries, "markdown")
    assert label(best) in text and "66.7 ± 33.3" in text
    assert "Low (Lite) %" in text and "Medium %" in text and "All %" in text


def test_only_the_newest_competition_version_counts() -> None:
    from mle_track.tracking.queries import FRAME_COLUMNS, finished

    rows = [
        {"run_id": "a", "status": "FINISHED", "competition": "c", "competition_version": "1"},
        {"run_id": "b", "status": "FINISHED", "competition": "c", "competition_version": "2"},
        {"run_id": "c", "status": "FINISHED", "competition": "d", "competition_version": "1"},
        {"run_id": "d", "status": "FAILED", "competition": "d", "competition_version": "3"},
    ]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    assert list(finished(frame)["run_id"]) == ["b", "c"]


def test_a_duplicated_attempt_counts_once(store_with_runs: tuple[object, str]) -> None:
    """Two sweeps at once can leave two FINISHED runs of one attempt: the one that finished
    first counts, and the other is neither an extra seed nor a second vote in the rates."""
    from mlflow.entities import Metric, RunTag

    from mle_track.tracking.queries import finished

    store, _ = store_with_runs
    client = client_for(store)  # type: ignore[arg-type]
    experiment_id = client.create_experiment("duplicates")
    base = int(time.time() * 1000)

    def attempt(comp: str, seed: int, *, good: bool, start: int, end: int) -> str:
        run = client.create_run(experiment_id, start_time=base + start)
        tags = {"attempt_key": f"k-{comp}-{seed}", "config_hash": "cccccccccccc", "agent": "c",
                "model": "none", "compute": "c", "sandbox": "local", "competition_id": comp,
                "competition_version": "1", "splits": "low", "seed": str(seed)}  # fmt: skip
        flag = float(good)
        metrics = {"any_medal": flag, "gold_medal": flag, "above_median": flag,
                   "valid_submission": flag, "submission_exists": 1.0}  # fmt: skip
        client.log_batch(
            run.info.run_id,
            metrics=[Metric(k, v, base, 0) for k, v in metrics.items()],
            tags=[RunTag(k, v) for k, v in tags.items()],
        )
        client.set_terminated(run.info.run_id, "FINISHED", end_time=base + end)
        return str(run.info.run_id)

    kept = {attempt(c, seed, good=True, start=10 * seed, end=100 + seed)
            for c in ("c1", "c2") for seed in (0, 1)}  # fmt: skip
    # the other sweep's run of (c1, seed 0) started first but finished last
    duplicate = attempt("c1", 0, good=False, start=-5, end=500)

    engine = engine_for(store.tracking_uri)  # type: ignore[attr-defined]
    direct = attempts_frame_sql(engine, [experiment_id])
    through_client = attempts_frame(client, [experiment_id])
    pd.testing.assert_frame_equal(
        direct.sort_values("run_id").reset_index(drop=True),
        through_client.sort_values("run_id").reset_index(drop=True),
        check_dtype=False,
    )
    assert len(direct) == 5 and (direct["attempt_key"] == "k-c1-0").sum() == 2
    for frame in (direct, through_client):
        assert duplicate in set(frame["run_id"]) and set(finished(frame)["run_id"]) == kept
        (summary,) = configuration_summaries(frame)
        assert summary.attempts == 4
        overall = summary.overall
        assert overall.num_seeds == 2 and overall.num_competitions == 2
        assert overall.padded_missing_attempts == 0
        assert overall.any_medal_pct.mean == 100.0 and overall.any_medal_pct.sem == 0.0
        assert overall.valid_submission_pct.mean == 100.0
        assert overall.pass_at_k == {"1": 100.0, "2": 100.0}


def test_the_first_finished_run_of_an_attempt_wins_deterministically() -> None:
    from mle_track.tracking.queries import FRAME_COLUMNS, once_per_attempt

    rows = [
        {"run_id": "r3", "attempt_key": "k", "start_time": 1, "end_time": 9},
        {"run_id": "r2", "attempt_key": "k", "start_time": 2, "end_time": 5},
        {"run_id": "r1", "attempt_key": "k", "start_time": 2, "end_time": 5},
        {"run_id": "r4", "attempt_key": "j", "start_time": 1, "end_time": None},
        {"run_id": "r5", "attempt_key": "j", "start_time": 3, "end_time": 4},
        {"run_id": "r6", "attempt_key": None, "start_time": 1, "end_time": 1},
        {"run_id": "r7", "attempt_key": None, "start_time": 1, "end_time": 1},
    ]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    for order in (frame, frame.iloc[::-1]):
        assert sorted(once_per_attempt(order)["run_id"]) == ["r1", "r5", "r6", "r7"]
    assert list(once_per_attempt(frame)["run_id"]) == ["r1", "r5", "r6", "r7"]


def _isolation_runs(client: Any, experiment_id: str) -> None:
    """Configuration u (unisolated) medals everywhere, i (isolated) on half; and one store
    whose tags disagree with the hash: the same hash under two isolations."""
    from mlflow.entities import Metric, Param, RunTag

    now = int(time.time() * 1000)
    for config, isolation, medal_of in (
        ("uuuuuuuuuuuu", "none", lambda seed: 1.0),
        ("iiiiiiiiiiii", "namespaces", lambda seed: float(seed == 0)),
        ("mmmmmmmmmmmm", "docker", lambda seed: 0.0),
        ("mmmmmmmmmmmm", "none", lambda seed: 0.0),
    ):
        for seed in range(2):
            run = client.create_run(experiment_id)
            tags = {"attempt_key": f"{config}{isolation}{seed}", "config_hash": config,
                    "agent": config[:1], "model": "none", "compute": "c", "sandbox": "local",
                    "sandbox.isolation": isolation, "competition_id": "c1", "splits": "low",
                    "seed": str(seed)}  # fmt: skip
            medal = medal_of(seed)
            metrics = {"any_medal": medal, "valid_submission": 1.0, "submission_exists": 1.0}
            client.log_batch(
                run.info.run_id,
                metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
                params=[Param("agent.name", config[:1]), Param("sandbox.isolation", isolation)],
                tags=[RunTag(k, v) for k, v in tags.items()],
            )
            client.set_terminated(run.info.run_id, "FINISHED")


def test_isolation_is_a_column_and_never_mixes_in_one_row(
    store_with_runs: tuple[object, str],
) -> None:
    store, _ = store_with_runs
    client = client_for(store)  # type: ignore[arg-type]
    experiment_id = client.create_experiment("isolation-rows")
    _isolation_runs(client, experiment_id)
    engine = engine_for(store.tracking_uri)  # type: ignore[attr-defined]
    direct = attempts_frame_sql(engine, [experiment_id])
    through_client = attempts_frame(client, [experiment_id])
    pd.testing.assert_frame_equal(
        direct.sort_values("run_id").reset_index(drop=True),
        through_client.sort_values("run_id").reset_index(drop=True),
        check_dtype=False,
    )
    summaries = configuration_summaries(direct)
    rows = {(s.config_hash, s.isolation) for s in summaries}
    assert rows == {
        ("uuuuuuuuuuuu", "none"),
        ("iiiiiiiiiiii", "namespaces"),
        ("mmmmmmmmmmmm", "docker"),
        ("mmmmmmmmmmmm", "none"),
    }
    assert all(s.attempts == 2 for s in summaries)
    header, *lines = render_table(summaries, "csv").strip().splitlines()
    assert header.endswith(",isolation")
    assert lines[0].startswith("u") and lines[0].endswith(",none")
    assert any(line.startswith("i") and line.endswith(",namespaces") for line in lines)
    assert summaries[0].to_dict()["isolation"] == "none"
    unknown = configuration_summaries(attempts_frame(client, [store_with_runs[1]]))
    assert "| ? |" in render_table(unknown, "markdown"), "runs from before the tag"


def test_register_refuses_an_unisolated_champion_unless_told(
    store_with_runs: tuple[object, str],
) -> None:
    from mle_track.tracking.champion import UnisolatedChampion, register_champion

    store, _ = store_with_runs
    client = client_for(store)  # type: ignore[arg-type]
    experiment_id = client.create_experiment("isolation-champion")
    _isolation_runs(client, experiment_id)
    with pytest.raises(UnisolatedChampion, match=r"isolation 'none'.*--allow-unisolated"):
        register_champion(client, experiment_id, "iso-agents")
    assert not client.search_registered_models("name = 'iso-agents'")
    champion = register_champion(client, experiment_id, "iso-agents", allow_unisolated=True)
    assert champion.summary.config_hash == "uuuuuuuuuuuu"
    version = client.get_model_version_by_alias("iso-agents", "champion")
    assert version.tags["sandbox.isolation"] == "none"
    assert client.get_logged_model(version.tags["model_id"]).tags["sandbox.isolation"] == "none"


def test_register_cli_refuses_in_one_line(
    store_with_runs: tuple[object, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from mle_track.cli import main

    store, _ = store_with_runs
    client = client_for(store)  # type: ignore[arg-type]
    _isolation_runs(client, client.create_experiment("isolation-cli"))
    args = ["register", "--experiment", "isolation-cli", "--name", "iso-cli"]
    uri = ["--tracking-uri", store.tracking_uri]  # type: ignore[attr-defined]
    assert main([*args, *uri]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "--allow-unisolated" in line and "uuuuuuuuuuuu" in line
    assert main([*args, *uri, "--allow-unisolated"]) == 0
    assert "isolation none" in capsys.readouterr().out

"""``mle-track run agent=aide model=scripted competition=practice-cell-segmentation``, end to end:
Hydra composition, a fresh ``mle-track`` process, the practice data prepared from its real
wheel, the scripted OpenAI-compatible server answering over HTTP, the scripts running in the
local sandbox, grading, and MLflow (SQLite in a temporary working directory).

The scripted "model" writes a crashing draft, a logistic-regression fix and a random-forest
improvement for the real data, and reviews each run by reading the output it is shown; so the
journal, the traces, the token and cost metrics and the per-step metrics are all real.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mle_track.llm.scripted import Reply, ScriptedLLM, message_text

pytestmark = pytest.mark.slow
MLE = str(Path(sys.executable).with_name("mle-track"))
COMPETITION = "practice-cell-segmentation"
KEY = "sk-scripted-e2e-4c1f"
PRICES = (5.0, 15.0)

LOAD = """\
import os
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.metrics import roc_auc_score
data = "{data}"
train = pd.read_csv(os.path.join(data, "train.csv"))
test = pd.read_csv(os.path.join(data, "test.csv"))
"""
CRASH = (
    LOAD
    + """\
X = train.drop(columns=["id"]).astype(float)  # the class column is text: this fails
"""
)
FIT = (
    LOAD
    + """\
from sklearn.{module} import {model}
{extra}
features = [c for c in train.columns if c not in ("id", "class")]
X, y = train[features].values, (train["class"] == "PS").astype(int).values
model = {build}
folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
oof = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
print("Validation metric:", round(roc_auc_score(y, oof), 5))
model.fit(X, y)
os.makedirs("submission", exist_ok=True)
pd.DataFrame({{"id": test["id"], "PS": model.predict_proba(test[features].values)[:, 1]}}).to_csv(
    "submission/submission.csv", index=False
)
"""
)
LOGISTIC = FIT.format(
    data="{data}",
    module="linear_model",
    model="LogisticRegression",
    extra="from sklearn.pipeline import make_pipeline\n"
    "from sklearn.preprocessing import StandardScaler",
    build="make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))",
)
FOREST = FIT.format(
    data="{data}",
    module="ensemble",
    model="RandomForestClassifier",
    extra="",
    build="RandomForestClassifier(n_estimators=60, min_samples_leaf=2, random_state=0, n_jobs=1)",
)
_METRIC = re.compile(r"Validation metric:\s*([0-9.]+)")
_DATA = re.compile(r"Read the data from (\S+)/ by absolute path")


def scripted_model(body: dict[str, Any]) -> Reply:
    """A deterministic stand-in for the code and review models."""
    text = message_text(body)
    if body.get("tools"):
        output = text.split("## The end of its output", 1)[-1]
        found = _METRIC.findall(output)
        broken = "Traceback" in output or not found
        return Reply(
            tool_args={
                "is_bug": broken,
                "summary": "It crashed." if broken else "Cross-validated; submission written.",
                "metric": None if broken else float(found[-1]),
                "lower_is_better": False,
            }
        )
    data = _DATA.search(text)
    assert data, "the prompt names the data folder"
    if "# This step: fix a broken solution" in text:
        plan, script = "Drop the text label from the features; logistic regression.", LOGISTIC
    elif "# This step: improve the best solution" in text:
        plan, script = "A random forest captures interactions the linear model misses.", FOREST
    else:
        plan, script = "Use every column as a float feature.", CRASH
    code = script.replace("{data}", data.group(1))
    return Reply(content=f"{plan}\n\n```python\n{code}```\n")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with ScriptedLLM(fallback=scripted_model) as llm:
        conf = tmp_path / "extra-conf" / "model"
        conf.mkdir(parents=True)
        (conf / "scripted.yaml").write_text(
            "name: scripted\nprovider: openai-compatible\nmodel: scripted-coder\n"
            f"base_url: {llm.url}\napi_key_env: SCRIPTED_API_KEY\ntemperature: 0.2\n"
            "request_timeout_s: 60\nmax_retries: 2\n"
            f"price_input_per_mtok: {PRICES[0]}\nprice_output_per_mtok: {PRICES[1]}\n"
        )
        work = tmp_path / "work"
        work.mkdir()
        cache = os.environ.get(
            "MLE_TRACK_TEST_WHEEL_CACHE", str(Path.home() / ".cache/mle-track/test-wheels")
        )
        env = {
            **os.environ,
            "MLFLOW_DISABLE_TELEMETRY": "true",
            "MLE_TRACK_DATA_DIR": str(tmp_path / "data"),
            "MLE_TRACK_WHEEL_CACHE": cache,
            "SCRIPTED_API_KEY": KEY,
        }
        env.pop("MLFLOW_TRACKING_URI", None)
        yield {"llm": llm, "cwd": work, "env": env, "conf": tmp_path / "extra-conf"}


def test_aide_run_is_traced_costed_and_tracked(world: dict[str, Any]) -> None:
    done = subprocess.run(
        [
            MLE,
            "run",
            "agent=aide",
            "model=scripted",
            f"competition={COMPETITION}",
            "compute=demo",
            "compute.time_limit_s=300",
            "agent.kwargs.steps=3",
            "agent.kwargs.num_drafts=1",
            "agent.kwargs.debug_prob=1.0",
            "agent.kwargs.step_timeout_s=120",
            f"hydra.searchpath=[file://{world['conf']}]",
        ],
        cwd=world["cwd"],
        env=world["env"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    llm: ScriptedLLM = world["llm"]
    assert len(llm.requests) == 6 and not llm.mismatches
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in llm.requests)

    from mle_track.tracking.store import client_for, local_store

    client = client_for(local_store(Path(world["cwd"]) / "mlruns"))
    experiment = client.get_experiment_by_name("mle-track")
    assert experiment is not None
    (run,) = client.search_runs([experiment.experiment_id])
    run_id = run.info.run_id
    assert run.info.status == "FINISHED", run.data.tags.get("attempt_reason")
    tags, metrics = run.data.tags, run.data.metrics
    assert tags["attempt_status"] == "completed", tags["attempt_reason"]
    assert tags["model"] == "scripted" and run.data.params["model.model"] == "scripted-coder"
    assert metrics["valid_submission"] == 1.0 and 0.5 < metrics["score"] <= 1.0

    # tokens and cost: summed from the run's traces, priced from the model config
    traces = client.search_traces(locations=[experiment.experiment_id], run_id=run_id)
    assert len(traces) == 3, "one trace per step"
    tokens_in = sum(t.info.token_usage["input_tokens"] for t in traces)
    tokens_out = sum(t.info.token_usage["output_tokens"] for t in traces)
    assert metrics["llm_input_tokens"] == tokens_in > 0
    assert metrics["llm_output_tokens"] == tokens_out > 0
    cost = (tokens_in * PRICES[0] + tokens_out * PRICES[1]) / 1e6
    assert metrics["llm_cost_usd"] == pytest.approx(cost)
    assert metrics["llm_traces"] == 3 and metrics["llm_calls"] == 6
    from mle_track.tracking.queries import attempts_frame, configuration_summaries

    (summary,) = configuration_summaries(attempts_frame(client, [experiment.experiment_id]))
    assert summary.total_cost_usd == pytest.approx(cost), "the report shows the cost"
    assert summary.total_tokens == tokens_in + tokens_out
    for trace in traces:
        names = [span.name for span in trace.data.spans]
        assert "llm.code" in names and "llm.feedback" in names, names
        assert sum(name.startswith("Completions") for name in names) == 2, names

    # per-step metrics with their steps
    history = client.get_metric_history(run_id, "aide_validation_metric")
    assert sorted(m.step for m in history) == [2, 3]
    best = client.get_metric_history(run_id, "aide_best_validation_metric")
    assert max(m.step for m in best) == 3
    assert [m.value for m in client.get_metric_history(run_id, "aide_buggy")] != []

    # artifacts: the journal (every node), the best script, the submission; no key anywhere
    artifacts = Path(client.download_artifacts(run_id, "", str(Path(world["cwd"]) / "dl")))
    journal = json.loads((artifacts / "logs" / "aide_journal.json").read_text())
    assert [(n["action"], n["failure"]) for n in journal["nodes"]] == [
        ("draft", "crash"),
        ("debug", ""),
        ("improve", ""),
    ]
    assert all(n["code"] and n["plan"] and "total" in n["timing"] for n in journal["nodes"])
    best_node = journal["nodes"][journal["best_id"]]
    assert best_node["metric"] == pytest.approx(max(m.value for m in history))
    assert best_node["code"] in (artifacts / "code" / "solution.py").read_text()
    assert (artifacts / "submission" / "submission.csv").is_file()
    for path in artifacts.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path

"""The AIDE agent's pieces on their own: reply parsing, the search policy, the journal, the
knobs, the data preview; and the agent configurations that select it and the other scaffolds."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from mle_track.agents.aide.journal import Action, Journal, Node
from mle_track.agents.aide.parsing import plan_and_code, review_from
from mle_track.agents.aide.policy import next_step
from mle_track.agents.aide.preview import preview
from mle_track.agents.aide.settings import AideSettings
from mle_track.agents.config import (
    AgentConfig,
    agent_names,
    check_privileged,
    command_for,
    format_kwargs,
    load_agent,
)
from mle_track.agents.host import llm_metrics
from mle_track.errors import AgentError, ConfigError
from mle_track.llm.client import Usage

# -- parsing ---------------------------------------------------------------------------------


def test_plan_and_the_longest_python_block() -> None:
    reply = (
        "I will train a forest.\n\n```bash\npip list\n```\n"
        "```python\nimport os\nprint(1)\nprint(2)\n```\nand a tiny helper\n```py\nx = 1\n```"
    )
    plan, code = plan_and_code(reply)
    assert plan == "I will train a forest."
    assert code == "import os\nprint(1)\nprint(2)\n"


def test_untagged_block_and_bare_script_are_code() -> None:
    assert plan_and_code("Plan.\n```\nimport os\n```")[1] == "import os\n"
    assert plan_and_code("import os\nprint(os.sep)\n") == ("", "import os\nprint(os.sep)\n")


@pytest.mark.parametrize(
    "reply",
    [
        "Let me think about gradient boosting first.",
        "Plan.\n```python\nimport os\nprint('cut off by the token lim",  # unclosed
        "```python\n\n```",
        "import os\nthis is not python (",
    ],
)
def test_no_usable_code(reply: str) -> None:
    assert plan_and_code(reply)[1] is None


def test_review_from_a_call_or_from_text() -> None:
    good = '{"is_bug": false, "summary": "ok", "metric": 0.93, "lower_is_better": false}'
    review = review_from(good, "")
    assert review is not None and review.metric == 0.93 and not review.is_bug
    loose = '{"is_bug": "false", "summary": "ok", "metric": "0.5", "lower_is_better": "true"}'
    assert review_from(None, f"Here you go: {loose} thanks") == review_from(loose, "")
    nulls = review_from('{"is_bug": true, "summary": "x", "metric": null}', "")
    assert nulls is not None and nulls.metric is None and nulls.lower_is_better is False
    nan = review_from('{"is_bug": false, "summary": "", "metric": NaN}', "")
    assert nan is not None and nan.metric is None


@pytest.mark.parametrize(
    "arguments",
    [
        '{"is_bug": fals',
        '{"summary": "no verdict"}',
        '{"is_bug": "maybe", "metric": 1}',
        '{"is_bug": false, "metric": "high"}',
        "[1, 2]",
    ],
)
def test_malformed_reviews(arguments: str) -> None:
    assert review_from(arguments, "no json here") is None


# -- journal and policy ----------------------------------------------------------------------


def _node(
    journal: Journal, action: Action = "draft", parent: Node | None = None, **kw: Any
) -> Node:
    node = journal.new_node(len(journal.nodes) + 1, action, parent)
    for key, value in {"code": "print(1)\n", **kw}.items():
        setattr(node, key, value)
    journal.add(node)
    return node


def test_the_best_follows_the_first_working_nodes_direction() -> None:
    journal = Journal()
    _node(journal, is_buggy=True, failure="crash")
    first = _node(journal, is_buggy=False, metric=0.40, lower_is_better=True)
    assert journal.best() is first and journal.lower_is_better is True
    _node(journal, is_buggy=False, metric=0.55, lower_is_better=False)  # disagrees: ignored
    lower = _node(journal, "improve", first, is_buggy=False, metric=0.30, lower_is_better=True)
    assert journal.best() is lower and first.children == [lower.id]
    assert "validation metric 0.3" in journal.memory(10)
    assert "buggy (crash)" in journal.memory(10)


def test_debug_depth_and_what_can_be_debugged() -> None:
    journal = Journal()
    root = _node(journal, is_buggy=True, failure="crash")
    child = _node(journal, "debug", root, is_buggy=True, failure="crash")
    assert (root.debug_depth, child.debug_depth) == (0, 1)
    _node(journal, is_buggy=True, failure="llm", code="")
    _node(journal, is_buggy=True, failure="no_code", code="")
    assert journal.debuggable_leaves(max_depth=3) == [child]
    assert journal.debuggable_leaves(max_depth=1) == []
    assert len(journal.drafts) == 2, "a failed call is not a draft"


def _ids(choice: tuple[str, Node | None]) -> tuple[str, int | None]:
    return choice[0], choice[1].id if choice[1] is not None else None


def test_policy_drafts_first_then_debugs_or_improves() -> None:
    settings = AideSettings(num_drafts=2, debug_prob=0.5, max_debug_depth=2)
    rng = random.Random(0)
    journal = Journal()
    assert next_step(journal, settings, rng) == ("draft", None)
    buggy = _node(journal, is_buggy=True, failure="crash")
    assert next_step(journal, settings, rng)[0] == "draft"
    good = _node(journal, is_buggy=False, metric=0.8, lower_is_better=False)
    seen = {_ids(next_step(journal, settings, rng)) for _ in range(200)}
    assert seen == {("debug", buggy.id), ("improve", good.id)}
    always = AideSettings(num_drafts=2, debug_prob=1.0)
    assert next_step(journal, always, rng) == ("debug", buggy)
    never = AideSettings(num_drafts=2, debug_prob=0.0)
    assert next_step(journal, never, rng) == ("improve", good)


def test_policy_drafts_again_when_nothing_works_and_nothing_is_debuggable() -> None:
    journal = Journal()
    root = _node(journal, is_buggy=True, failure="crash")
    _node(journal, "debug", root, is_buggy=True, failure="crash")
    settings = AideSettings(num_drafts=1, debug_prob=1.0, max_debug_depth=1)
    assert next_step(journal, settings, random.Random(0)) == ("draft", None)


# -- settings, preview, configs --------------------------------------------------------------


def test_settings_check_names_types_and_ranges() -> None:
    settings = AideSettings.from_kwargs({"steps": "30", "debug_prob": 1, "data_preview": "false"})
    assert (settings.steps, settings.debug_prob, settings.data_preview) == (30, 1.0, False)
    assert AideSettings.from_kwargs({"steps": 30}, step_limit=4).steps == 4
    with pytest.raises(ConfigError, match=r"unknown setting.*stepz"):
        AideSettings.from_kwargs({"stepz": 3})
    with pytest.raises(ConfigError, match="debug_prob"):
        AideSettings.from_kwargs({"debug_prob": 2})
    with pytest.raises(ConfigError, match="must be a int"):
        AideSettings.from_kwargs({"steps": 2.5})


def test_preview_lists_files_columns_and_rows(tmp_path: Path) -> None:
    (tmp_path / "train.csv").write_text("id,x,label\n1,0.5,a\n2,0.7,b\n3,0.1,a\n4,0.2,b\n")
    (tmp_path / "images").mkdir()
    for i in range(30):
        (tmp_path / "images" / f"{i}.png").write_bytes(b"x" * 10)
    text = preview(tmp_path)
    assert "train.csv: 4 rows, 3 columns: id, x, label" in text
    assert "1, 0.5, a" in text and "images/ (30 files, 300 B: 30 .png)" in text
    assert len(preview(tmp_path, max_chars=60)) <= 60


def test_every_agent_config_loads_and_host_agents_have_no_command() -> None:
    for name in agent_names():
        config = load_agent(name)
        assert config.name == name
        if config.kind == "host":
            assert command_for(config, "local") == ()
            AideSettings.from_kwargs(config.kwargs)
    aide = load_agent("aide")
    assert aide.kind == "host" and aide.module == "mle_track.agents.aide"
    with pytest.raises(ConfigError, match="needs a module"):
        AgentConfig(name="x", kind="host").validate()


def test_mlebench_scaffolds_keep_their_kwargs_style() -> None:
    aide = load_agent("mlebench-aide")
    words = format_kwargs(aide.kwargs, aide.kwargs_style)
    assert "agent.search.debug_prob=1" in words and "copy_data=false" in words
    mlab = load_agent("mlebench-mlagentbench")
    assert format_kwargs(mlab.kwargs, mlab.kwargs_style)[:2] == ["--llm-name", "gpt-4o-2024-08-06"]
    for agent in (aide, mlab, load_agent("mlebench-opendevin")):
        assert agent.kind == "external" and agent.secrets == ["OPENAI_API_KEY"]


def test_privileged_agents_need_consent() -> None:
    opendevin = load_agent("mlebench-opendevin")
    assert opendevin.privileged
    with pytest.raises(AgentError, match="I_ACCEPT_RUNNING_PRIVILEGED_CONTAINERS"):
        check_privileged(opendevin, {})
    check_privileged(opendevin, {"I_ACCEPT_RUNNING_PRIVILEGED_CONTAINERS": "true"})
    check_privileged(load_agent("mlebench-aide"), {})


def test_traced_usage_is_used_only_when_it_covers_the_counted_calls() -> None:
    usage = Usage(calls=2, input_tokens=100, output_tokens=10, cost_usd=0.5)
    full = {"llm_input_tokens": 100.0, "llm_output_tokens": 10.0, "llm_cost_usd": 0.5}
    assert llm_metrics(usage, {**full, "llm_traces": 2.0})["llm_traces"] == 2.0
    partial = {**full, "llm_input_tokens": 40.0, "llm_cost_usd": 0.1, "llm_traces": 1.0}
    metrics = llm_metrics(usage, partial)
    assert metrics["llm_input_tokens"] == 100.0 and metrics["llm_cost_usd"] == 0.5
    assert metrics["llm_traces"] == 1.0
    assert llm_metrics(usage, None)["llm_calls"] == 2.0

"""The agent's prompts: drafting, improving, debugging, and the review of a run.

Each code prompt has the same parts in the same order — the role, the task card (the
competition's ``description.md``), a preview of the data, the memory of earlier solutions, the
step's own request, and how the script is run — so that a model sees one stable frame and only
the request changes. The wording is ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from mle_track.agents.aide.journal import Node
from mle_track.llm.client import Message

METRIC_LINE = "Validation metric:"

SYSTEM = """\
You are an experienced machine-learning engineer competing alone in an offline, Kaggle-style \
competition. You work in steps: each step you write one complete Python script, it is run for \
you, and you are shown its output. Aim for the best score on the hidden test labels. \
Predictions must come from a model your code trains; never write them by hand, and never try \
to find the test labels or other people's solutions."""

REVIEW_SYSTEM = """\
You review one run of a machine-learning script written for a competition. Judge only from \
the code and the output you are given, and report through the function you are offered."""


@dataclass(frozen=True)
class Brief:
    """The facts every code prompt states."""

    task_card: str
    data_preview: str
    data_dir: PurePosixPath
    working_dir: PurePosixPath
    sample_submission: str
    hardware: str
    step_timeout_s: float
    k_fold_hint: int
    python_packages: str = (
        "numpy, pandas, scikit-learn, scipy, lightgbm and the standard library "
        "(others may be missing, and nothing can be installed)"
    )


def how_it_runs(brief: Brief, time_left_s: float) -> str:
    validation = (
        f"Estimate the score with {brief.k_fold_hint}-fold cross-validation when the data is "
        "small enough to train several times within the limit, else with a hold-out split."
        if brief.k_fold_hint
        else "Hold out part of the training data to estimate the score."
    )
    return f"""\
# How your script is run
- It runs as `python solution.py` in a fresh, empty working folder, with no network and nobody \
to answer questions. It is stopped after {_duration(brief.step_timeout_s)} \
(the whole competition has {_duration(time_left_s)} left).
- Read the data from {brief.data_dir}/ by absolute path (read-only).
- For files worth keeping between steps (computed features, trained models), use \
{brief.working_dir}/.
- Write the test-set predictions to ./submission/submission.csv (relative to the working \
folder) in exactly the format of {brief.data_dir}/{brief.sample_submission}. Only that file \
is scored; a run that does not write it counts as failed.
- {validation} Use the competition's own metric, and print the result on one line as \
`{METRIC_LINE} <number>`.
- Hardware: {brief.hardware}. Available: {brief.python_packages}.
- Keep the output short: do not print data frames, per-epoch logs or warnings in bulk.

# Your reply
A short plan in plain text (a few sentences, no code), then exactly one fenced block \
```python ... ``` with the complete script. Nothing after the block."""


def _context(brief: Brief, memory: str) -> str:
    parts = [f"# The competition\n{brief.task_card.strip()}"]
    if brief.data_preview:
        parts.append(f"# The data\n{brief.data_preview.strip()}")
    if memory:
        parts.append(f"# Solutions tried so far\n{memory}")
    return "\n\n".join(parts)


def draft(brief: Brief, memory: str, time_left_s: float) -> list[Message]:
    request = """\
# This step: a new solution
Write a first, complete solution. Prefer a sound, simple approach that runs well within the \
time limit and produces a valid submission; later steps will improve it. If solutions were \
tried already, take a different approach from theirs."""
    return _messages(brief, memory, request, time_left_s)


def improve(
    brief: Brief, memory: str, node: Node, output: str, time_left_s: float
) -> list[Message]:
    request = f"""\
# This step: improve the best solution
Below is the best solution so far (validation metric {node.metric:.6g}). Propose one specific, \
self-contained change that should improve the validation score — a better model, features, \
tuning, or validation — say in the plan what it is and why it should help, and give the full \
updated script. Keep everything else as it is.

## Its code
```python
{node.code.strip()}
```

## The end of its output
```
{output.strip()}
```"""
    return _messages(brief, memory, request, time_left_s)


def debug(brief: Brief, memory: str, node: Node, output: str, time_left_s: float) -> list[Message]:
    request = f"""\
# This step: fix a broken solution
The script below did not work: {node.summary.strip() or node.failure}. Find the cause from \
its output, explain the fix in the plan, and give the full corrected script. Keep the \
approach unless it cannot work.

## Its code
```python
{node.code.strip()}
```

## The end of its output
```
{output.strip() or "(no output)"}
```"""
    return _messages(brief, memory, request, time_left_s)


def no_code_reply() -> Message:
    return {
        "role": "user",
        "content": "Your reply had no complete ```python fenced block. Reply again: a short "
        "plan, then the whole script in exactly one ```python block.",
    }


def malformed_review() -> Message:
    return {
        "role": "user",
        "content": "That function call could not be read. Call submit_review again with all "
        "four fields: is_bug (boolean), summary (string), metric (number or null) and "
        "lower_is_better (boolean).",
    }


def review(
    task_card: str, node: Node, output: str, facts: list[str], max_card_chars: int = 3000
) -> list[Message]:
    card = task_card.strip()
    if len(card) > max_card_chars:
        card = card[:max_card_chars] + "\n[description truncated]"
    fact_lines = "\n".join(f"- {fact}" for fact in facts)
    user = f"""\
# The competition
{card}

# The script
```python
{node.code.strip()}
```

# What happened when it ran
{fact_lines}

## The end of its output
```
{output.strip() or "(no output)"}
```

# Your review
Call the function with:
- is_bug: true if the run failed, the output shows an error or a wrong result (for example \
a leak from the validation data into training), or it did not print a validation score;
- summary: two or three sentences on what the script did and what came out (or what went wrong);
- metric: the validation score the script printed (its `{METRIC_LINE}` line), or null if none;
- lower_is_better: true if a lower value of this competition's metric is better (an error or \
a loss), false if higher is better (an accuracy, an AUC, an F1)."""
    return [{"role": "system", "content": REVIEW_SYSTEM}, {"role": "user", "content": user}]


def _messages(brief: Brief, memory: str, request: str, time_left_s: float) -> list[Message]:
    user = "\n\n".join([_context(brief, memory), request, how_it_runs(brief, time_left_s)])
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def _duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} seconds"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"

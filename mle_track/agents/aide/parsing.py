"""Reading the model's replies: plan and code from a code reply, the review from a function call.

Models format replies loosely: several fenced blocks (a shell line, then the script), a block
without a language tag, a reply cut off by the token limit, review arguments with a number as a
string or the JSON in the text instead of a tool call. The parsers accept what is plainly meant
and return ``None`` for what is not, so the agent can ask again instead of running half a script.
"""

from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from typing import Any

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)```", re.DOTALL)
_PYTHON_TAGS = ("", "python", "py", "python3")

REVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "is_bug": {
            "type": "boolean",
            "description": "true if the run failed or shows a bug, or printed no validation score",
        },
        "summary": {
            "type": "string",
            "description": "two or three sentences on what was done and what came out",
        },
        "metric": {
            "type": ["number", "null"],
            "description": "the validation score the script printed; null if none",
        },
        "lower_is_better": {
            "type": "boolean",
            "description": "true if lower values of the metric are better",
        },
    },
    "required": ["is_bug", "summary", "metric", "lower_is_better"],
}


@dataclass(frozen=True)
class Review:
    is_bug: bool
    summary: str
    metric: float | None
    lower_is_better: bool


def plan_and_code(reply: str) -> tuple[str, str | None]:
    """The plan (the text before the code) and the script, or ``None`` for no usable code."""
    blocks = [(m.group(1).lower(), m.group(2), m.start()) for m in _FENCE.finditer(reply)]
    python = [b for b in blocks if b[0] in _PYTHON_TAGS and b[1].strip()]
    if python:
        code = max(python, key=lambda b: len(b[1]))[1]
        plan = reply[: blocks[0][2]].strip() or _FENCE.sub("", reply).strip()
        return plan, code.strip("\n") + "\n"
    if "```" not in reply and _looks_like_a_script(reply):
        return "", reply.strip("\n") + "\n"
    return reply.strip(), None


def _looks_like_a_script(text: str) -> bool:
    if "\n" not in text.strip() or "import " not in text:
        return False
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def review_from(arguments: str | None, text: str) -> Review | None:
    """The review from the tool call's arguments, else from a JSON object in the text."""
    for candidate in (arguments, _json_in(text)):
        if not candidate:
            continue
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        review = _review(data)
        if review is not None:
            return review
    return None


def _json_in(text: str) -> str | None:
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else None


def _review(data: Any) -> Review | None:
    if not isinstance(data, dict) or not {"is_bug", "metric"} <= set(data):
        return None
    is_bug = _boolean(data.get("is_bug"))
    lower = _boolean(data.get("lower_is_better", False))
    metric = _number(data.get("metric"))
    if is_bug is None or lower is None or metric is False:
        return None
    summary = data.get("summary")
    return Review(
        is_bug=is_bug,
        summary=str(summary) if summary is not None else "",
        metric=metric if isinstance(metric, float) else None,
        lower_is_better=lower,
    )


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _number(value: Any) -> float | bool | None:
    """A finite float, ``None`` for no metric, ``False`` for something that is not a number."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null", "none")):
        return None
    if isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number if math.isfinite(number) else None

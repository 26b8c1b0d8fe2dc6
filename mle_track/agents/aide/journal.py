"""The search tree: every solution the agent wrote, how it ran, what the review said.

The journal is both the agent's memory (what to debug, what to improve, what to mention in the
next prompt) and the attempt's record: it is saved as ``logs/aide_journal.json`` after every
step, so even a killed attempt leaves its history behind.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Action = Literal["draft", "debug", "improve"]
#: why a node is buggy ("" for a working node)
Failure = Literal[
    "",
    "llm",  # the code call failed: nothing was written
    "no_code",  # the reply had no code block
    "timeout",
    "crash",  # non-zero exit
    "no_submission",
    "invalid_submission",
    "no_metric",
    "review",  # the review says it is buggy, or no usable review came back
]


@dataclass
class Node:
    id: int
    step: int
    action: Action
    parent_id: int | None
    plan: str = ""
    code: str = ""
    #: the tail of the script's output (what the model is shown)
    output: str = ""
    exit_code: int | None = None
    timed_out: bool = False
    is_buggy: bool = True
    failure: Failure = ""
    #: the review's account, or why a guard marked the node buggy
    summary: str = ""
    metric: float | None = None
    lower_is_better: bool | None = None
    submission_check: str = ""
    debug_depth: int = 0
    children: list[int] = field(default_factory=list)
    #: seconds: llm_code, exec, llm_feedback, total, overhead (total minus those three; it
    #: includes validate and promote, the sandbox calls that check and keep a submission)
    timing: dict[str, float] = field(default_factory=dict)
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def works(self) -> bool:
        return not self.is_buggy and self.metric is not None and math.isfinite(self.metric)

    @property
    def debuggable(self) -> bool:
        """Buggy with code to look at (a failed call or an empty reply gives nothing to fix)."""
        return self.is_buggy and bool(self.code) and self.failure not in ("llm", "no_code")


@dataclass
class Journal:
    nodes: list[Node] = field(default_factory=list)
    #: the metric's direction, fixed by the first working node's review
    lower_is_better: bool | None = None
    best_id: int | None = None
    stop_reason: str = ""

    def new_node(self, step: int, action: Action, parent: Node | None) -> Node:
        depth = parent.debug_depth + 1 if parent is not None and action == "debug" else 0
        parent_id = parent.id if parent is not None else None
        return Node(len(self.nodes), step, action, parent_id, debug_depth=depth)

    def add(self, node: Node) -> bool:
        """Record a finished node; ``True`` if it is the new best."""
        self.nodes.append(node)
        if node.parent_id is not None:
            self.nodes[node.parent_id].children.append(node.id)
        if not node.works:
            return False
        if self.lower_is_better is None:
            self.lower_is_better = bool(node.lower_is_better)
        best = self.best()
        if best is None or self.better(node, best):
            self.best_id = node.id
            return True
        return False

    def better(self, a: Node, b: Node) -> bool:
        assert a.metric is not None and b.metric is not None
        return a.metric < b.metric if self.lower_is_better else a.metric > b.metric

    def best(self) -> Node | None:
        return self.nodes[self.best_id] if self.best_id is not None else None

    @property
    def drafts(self) -> list[Node]:
        """Drafts that produced something (a failed call is not a draft)."""
        return [n for n in self.nodes if n.action == "draft" and n.failure != "llm"]

    @property
    def working(self) -> list[Node]:
        return [n for n in self.nodes if n.works]

    def debuggable_leaves(self, max_depth: int) -> list[Node]:
        return [
            n for n in self.nodes if n.debuggable and not n.children and n.debug_depth < max_depth
        ]

    def memory(self, limit: int) -> str:
        """What was tried so far, newest last, for the next prompt ("" when nothing)."""
        tried = [n for n in self.nodes if n.failure not in ("llm", "no_code")][-limit:]
        lines = []
        for node in tried:
            if node.works:
                result = f"validation metric {node.metric:.6g}"
            else:
                result = f"buggy ({node.failure})"
            plan = " ".join(node.plan.split())[:400]
            summary = " ".join(node.summary.split())[:400]
            lines.append(
                f"- Solution {node.id} ({node.action}): {plan}\n  Result: {result}. {summary}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower_is_better": self.lower_is_better,
            "best_id": self.best_id,
            "stop_reason": self.stop_reason,
            "nodes": [asdict(n) for n in self.nodes],
        }

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=1, allow_nan=False, default=str) + "\n")
        tmp.replace(path)

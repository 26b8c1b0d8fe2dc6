"""The AIDE loop: draft, debug or improve; run the script in the sandbox; review; keep the best.

One step: the policy picks an action and a parent (:mod:`.policy`); the code model writes a
plan and a script (:mod:`.prompts`, :mod:`.parsing`); the script runs in the attempt's sandbox
under the per-step timeout, in a folder of its own, with ``./submission/submission.csv`` as its
output; the sandbox's validator checks that file's format; the feedback model reviews the run
through a function call; guards overrule the review where facts contradict it (a crash, a
timeout, no or an invalid submission, no metric, a metric other than the one printed). A node
better than the best so far becomes the attempt's submission (``/home/submission``) and code
(``/home/code/solution.py``) at once, so whatever stops the attempt later, the best is in place.

Each step is one MLflow trace (``aide.step``) holding its LLM calls and its script run.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import PurePosixPath
from typing import Any

from mle_track.agents.aide import prompts
from mle_track.agents.aide.journal import Journal, Node
from mle_track.agents.aide.parsing import REVIEW_SCHEMA, Review, plan_and_code, review_from
from mle_track.agents.aide.policy import next_step
from mle_track.agents.aide.preview import preview
from mle_track.agents.aide.settings import AideSettings
from mle_track.agents.contract import find_sample_submission
from mle_track.agents.host import HostContext, HostOutcome
from mle_track.llm.client import ChatClient, ChatReply, LlmError, Message, Tool
from mle_track.llm.models import load_model

JOURNAL_FILE = "aide_journal.json"
#: a step is not started with less time than this left
MIN_STEP_S = 2.0
VALIDATE_TIMEOUT_S = 120.0
REVIEW_TOOL = Tool(
    "submit_review", "Report the review of one run of a competition script.", REVIEW_SCHEMA
)
_PRINTED_METRIC = re.compile(
    re.escape(prompts.METRIC_LINE) + r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
)


def run_host(context: HostContext) -> HostOutcome:
    return Aide(context).run()


class Aide:
    def __init__(self, context: HostContext) -> None:
        self.ctx = context
        self.session = context.session
        limits = context.task.limits
        self.settings = AideSettings.from_kwargs(context.kwargs, limits.step_limit)
        self.rng = random.Random(context.task.seed)
        self.code_llm = context.client(context.model, "code")
        feedback = self.settings.feedback_model
        self.review_llm = context.client(
            load_model(feedback) if feedback else context.model, "feedback"
        )
        self.journal = Journal()
        paths = self.session.paths
        self.root = paths.agent / "aide"
        self.working = self.root / "working"
        public = context.task.public_dir
        card = public / "description.md"
        sample = find_sample_submission(public)
        self.brief = prompts.Brief(
            task_card=card.read_text(errors="replace") if card.is_file() else "(no description)",
            data_preview=preview(public) if self.settings.data_preview else "",
            data_dir=paths.data,
            working_dir=self.working,
            sample_submission=sample.name if sample else "sample_submission.csv",
            hardware=limits.describe(),
            step_timeout_s=self.settings.step_timeout_s,
            k_fold_hint=self.settings.k_fold_hint,
        )
        self.step_metrics: list[dict[str, Any]] = []
        self.llm_failures = 0

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> HostOutcome:
        self.session.makedirs(self.working)
        self.session.makedirs(self.root / "nodes")
        stop = f"the step limit ({self.settings.steps})"
        for step in range(1, self.settings.steps + 1):
            if self.session.remaining_s() < MIN_STEP_S:
                stop = "the time limit"
                break
            if self.llm_failures >= self.settings.llm_failure_limit:
                last = self.journal.nodes[-1].summary
                stop = f"the code model failed {self.llm_failures} steps in a row ({last})"
                break
            self._one_step(step)
        self.journal.stop_reason = stop
        self.journal.save(self.ctx.artifacts / JOURNAL_FILE)
        return self._outcome(stop)

    def _one_step(self, step: int) -> None:
        start = time.monotonic()
        action, parent = next_step(self.journal, self.settings, self.rng)
        node = self.journal.new_node(step, action, parent)
        attributes = {"step": step, "action": action, "node": node.id}
        with self.ctx.tracer.span(f"aide.step.{step}", "AGENT", attributes) as span:
            span.inputs({"action": action, "parent": parent.id if parent else None})
            self._step(node, parent)
            span.outputs({"buggy": node.is_buggy, "failure": node.failure, "metric": node.metric})
        new_best = self.journal.add(node)
        if new_best:
            mark = time.monotonic()
            self._promote(node)
            node.timing["promote"] = time.monotonic() - mark
        timing = node.timing
        timing["total"] = time.monotonic() - start
        busy = (
            timing.get("llm_code", 0.0) + timing.get("exec", 0.0) + timing.get("llm_feedback", 0.0)
        )
        timing["overhead"] = max(0.0, timing["total"] - busy)
        self._record(node)
        self.journal.save(self.ctx.artifacts / JOURNAL_FILE)
        verdict = f"metric {node.metric:.6g}" if node.works else f"buggy ({node.failure})"
        best = " — new best" if new_best else ""
        self.session.note(f"[aide] step {step}: {action} → solution {node.id}: {verdict}{best}")

    def _step(self, node: Node, parent: Node | None) -> None:
        if not self._ask_code(node, self._prompt(node, parent)):
            return
        if not node.code:
            node.failure, node.summary = "no_code", "the reply had no complete Python code block"
            return
        self._run_and_review(node)

    def _prompt(self, node: Node, parent: Node | None) -> list[Message]:
        memory = self.journal.memory(self.settings.memory_size)
        left = self.session.remaining_s()
        if node.action == "draft" or parent is None:
            return prompts.draft(self.brief, memory, left)
        output = parent.output[-self.settings.output_chars :]
        if node.action == "debug":
            return prompts.debug(self.brief, memory, parent, output, left)
        return prompts.improve(self.brief, memory, parent, output, left)

    def _ask_code(self, node: Node, messages: list[Message]) -> bool:
        """Ask for plan and code, again when a reply has none; ``False`` if the call failed."""
        conversation = list(messages)
        for attempt in range(self.settings.code_retries + 1):
            reply = self._chat(node, "llm_code", self.code_llm, conversation)
            if isinstance(reply, LlmError):
                if attempt == 0:
                    node.failure, node.summary = "llm", str(reply)
                    self.llm_failures += 1
                    return False
                break  # a failed re-ask: the node stays without code
            plan, code = plan_and_code(reply.text)
            node.plan = plan[:4000]
            if code is not None:
                node.code = code
                break
            conversation += [{"role": "assistant", "content": reply.text}, prompts.no_code_reply()]
        self.llm_failures = 0
        return True

    def _chat(
        self,
        node: Node,
        timer: str,
        client: ChatClient,
        messages: list[Message],
        tool: Tool | None = None,
    ) -> ChatReply | LlmError:
        """One call; its latency (the wall time of a failed call) is added to ``timer``."""
        start = time.monotonic()
        try:
            reply = client.chat(messages, tool=tool)
        except LlmError as exc:
            node.timing[timer] = node.timing.get(timer, 0.0) + time.monotonic() - start
            return exc
        node.timing[timer] = node.timing.get(timer, 0.0) + reply.latency_s
        node.input_tokens += reply.input_tokens
        node.output_tokens += reply.output_tokens
        return reply

    # -- running and reviewing ---------------------------------------------------------------
    def _run_and_review(self, node: Node) -> None:
        folder = self._node_dir(node)
        self.session.makedirs(folder / "submission")
        self.session.write_file(folder / "solution.py", node.code.encode())
        run = self.session.exec(
            [self.session.python, "solution.py"],
            timeout_s=self.settings.step_timeout_s,
            cwd=folder,
            label=f"aide step {node.step}: {node.action} → solution {node.id}",
        )
        node.timing["exec"] = run.wall_time_s
        node.output = run.output[-self.settings.output_chars :]
        node.exit_code, node.timed_out = run.exit_code, run.timed_out
        facts = [f"wall time: {run.wall_time_s:.1f} s"]
        if run.timed_out:
            facts.append(f"it was stopped at the time limit ({run.wall_time_s:.0f} s)")
        else:
            facts.append(f"exit code: {run.exit_code}")
        if run.ok:
            mark = time.monotonic()
            node.submission_check = self._check_submission(folder)
            node.timing["validate"] = time.monotonic() - mark
            facts.append(f"submission check: {node.submission_check}")
        else:
            node.submission_check = "not checked (the run failed)"
        review = self._review(node, facts)
        self._judge(node, review)

    def _check_submission(self, folder: PurePosixPath) -> str:
        paths = self.session.paths
        result = self.session.exec(
            ["sh", str(paths.validate_script), str(folder / "submission" / "submission.csv")],
            timeout_s=VALIDATE_TIMEOUT_S,
            label="validate the submission",
        )
        lines = [line for line in result.output.splitlines() if line.strip()]
        message = lines[-1].strip() if lines else "(the validator printed nothing)"
        if result.ok and message.startswith("Submission is valid"):
            return "valid"
        return message if not result.timed_out else "the validator timed out"

    def _review(self, node: Node, facts: list[str]) -> Review | None:
        messages = prompts.review(self.brief.task_card, node, node.output, facts)
        for _ in range(self.settings.feedback_retries + 1):
            reply = self._chat(node, "llm_feedback", self.review_llm, messages, REVIEW_TOOL)
            if isinstance(reply, LlmError):
                node.summary = f"no review ({reply})"
                return None
            review = review_from(reply.tool_arguments, reply.text)
            if review is not None:
                return review
            messages = [*messages, prompts.malformed_review()]
        node.summary = "the review call returned no usable arguments"
        return None

    def _judge(self, node: Node, review: Review | None) -> None:
        """The node's verdict: facts first, then the review, then the printed metric."""
        said = review.summary.strip() if review else node.summary or "no usable review"
        if node.timed_out:
            node.failure, node.summary = "timeout", f"Stopped at the time limit. {said}"
        elif node.exit_code != 0:
            node.failure, node.summary = "crash", f"Failed with exit code {node.exit_code}. {said}"
        elif node.submission_check != "valid":
            missing = "no submission file" in node.submission_check
            node.failure = "no_submission" if missing else "invalid_submission"
            node.summary = f"Submission check: {node.submission_check}. {said}"
        elif review is None or review.is_bug:
            node.failure, node.summary = "review", said
        else:
            node.summary = said
            metric = self._metric(node, review)
            if metric is None:
                node.failure = "no_metric"
                node.summary = f"No validation metric was printed. {said}"
            else:
                node.metric, node.lower_is_better, node.is_buggy = (
                    metric,
                    review.lower_is_better,
                    False,
                )
                return
        node.is_buggy = True

    @staticmethod
    def _metric(node: Node, review: Review) -> float | None:
        """The metric the script printed wins over the review's reading of it."""
        printed = _PRINTED_METRIC.findall(node.output)
        if printed:
            try:
                return float(printed[-1])
            except ValueError:
                pass
        return review.metric

    # -- bookkeeping -------------------------------------------------------------------------
    def _promote(self, node: Node) -> None:
        """Make the node the attempt's submission and code."""
        paths = self.session.paths
        source = self._node_dir(node) / "submission" / "submission.csv"
        copied = self.session.exec(
            ["cp", str(source), str(paths.submission / "submission.csv")],
            timeout_s=VALIDATE_TIMEOUT_S,
            label=f"solution {node.id} becomes the submission",
        )
        if not copied.ok:
            self.session.note(f"[aide] could not copy solution {node.id}'s submission")
        header = (
            f"# AIDE solution {node.id} (step {node.step}, {node.action}); "
            f"validation metric {node.metric}\n"
        )
        self.session.write_file(paths.code / "solution.py", (header + node.code).encode())

    def _record(self, node: Node) -> None:
        def add(key: str, value: float) -> None:
            self.step_metrics.append({"key": key, "value": float(value), "step": node.step})

        if node.works and node.metric is not None:
            add("aide_validation_metric", node.metric)
        best = self.journal.best()
        if best is not None and best.metric is not None:
            add("aide_best_validation_metric", best.metric)
        add("aide_buggy", float(node.is_buggy))
        timing = node.timing
        add("aide_step_time_s", timing["total"])
        add("aide_exec_time_s", timing.get("exec", 0.0))
        add("aide_llm_time_s", timing.get("llm_code", 0.0) + timing.get("llm_feedback", 0.0))
        add("aide_loop_overhead_s", timing["overhead"])

    def _node_dir(self, node: Node) -> PurePosixPath:
        return self.root / "nodes" / f"{node.id:03d}"

    def _outcome(self, stop: str) -> HostOutcome:
        nodes = self.journal.nodes
        best = self.journal.best()
        if best is None:
            last = next((n.summary for n in reversed(nodes) if n.summary), "")
            reason = f"aide: no working solution in {len(nodes)} step(s); stopped by {stop}"
            reason += f"; last: {last[:300]}" if last else ""
            return HostOutcome("failed", reason, list(self.step_metrics))
        reason = (
            f"aide: best validation metric {best.metric:.6g} (solution {best.id}, step "
            f"{best.step}); {len(self.journal.working)} of {len(nodes)} solutions worked; "
            f"stopped by {stop}"
        )
        return HostOutcome("completed", reason, list(self.step_metrics))

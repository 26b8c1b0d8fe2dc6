"""What the harness checks once the agent has stopped and before anything is graded.

Grading comes after these checks so that the attempt which changed the data is the one that
answers for it: an attempt whose private answers changed while it ran is a harness error
naming the files, tagged ``rule_violation=modified private answers``, and it is not graded
(no score against answers nobody prepared); an attempt that wrote into its public data is
graded and flagged. Either way the files' stat-cache entries are dropped, so the next attempt's
verification hashes them by content and refuses them, even when the writer set their size and
modification time back. An attempt whose sandbox gave a weaker isolation than planned is a
harness error too: a result is never recorded as isolated when it was not.

How the files are compared: ``private/`` by content always (a few files, the ones that decide
every score); ``public/`` by content when the agent ran unisolated (it ran as a user who can
write the files and set their stats back), and by size and mtime when the sandbox mounted the
public data read-only (namespaces, docker), where a write fails whoever tries it, so the
cheap check only backs the mount up; hashing a large image set after every attempt would cost
seconds to minutes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from mle_track.attempt.plan import RunSpec
from mle_track.attempt.stages import PreparedData
from mle_track.data.hashing import changed_files
from mle_track.data.verify import changed_by_content, forget_stats
from mle_track.names import RuleViolation, Tag
from mle_track.sandbox.base import AttemptResult

log = logging.getLogger(__name__)

#: how many changed paths a message lists before "…"
SHOWN = 5


@dataclass(frozen=True)
class AfterRun:
    """What the checks found: tags for the attempt's record, and why it is not graded."""

    tags: dict[str, str] = field(default_factory=dict)
    #: a harness error: the attempt is not graded
    problem: str | None = None
    #: added to the attempt's reason, which is graded all the same
    note: str | None = None


def check_after_run(plan: RunSpec, data: PreparedData, result: AttemptResult) -> AfterRun:
    """Isolation as planned, private answers unchanged, public data unchanged (see above)."""
    tags = {Tag.ISOLATION: str(result.isolation)}
    problems: list[str] = []
    paths = data.paths
    private = changed_by_content(paths.prepared, data.digests, "private")
    public = public_changes(data, str(result.isolation))
    if private or public:
        forget_stats(paths, [*private, *public])
    note = None
    if public:
        tags[Tag.RULE_VIOLATION] = RuleViolation.PUBLIC_DATA
        log.warning("attempt modified public data of %s: %s", paths.competition_id, _shown(public))
        note = (
            f"the agent modified the competition's public data ({_shown(public)}); the next "
            f"attempt re-verifies it (rebuild with `mle-track prepare --force -c "
            f"{paths.competition_id}`)"
        )
    if private:
        tags[Tag.RULE_VIOLATION] = RuleViolation.PRIVATE_ANSWERS
        problems.append(_private_problem(paths.competition_id, private))
    if plan.isolation is not None and result.isolation != plan.isolation:
        problems.append(
            f"sandbox {plan.sandbox_name!r} ran the agent with isolation "
            f"{result.isolation!r}, not the planned {plan.isolation!r}: the attempt is not "
            "graded (its result would be recorded under an isolation it did not have)"
        )
    return AfterRun(tags, "; ".join(problems) or None, note)


def check_after_failure(data: PreparedData) -> AfterRun:
    """The harness failed once the agent may have run (the sandbox raised while it ran or
    while its outputs were copied): the answers are checked all the same, so an attempt that
    changed them is flagged even then, and not the next one."""
    private = changed_by_content(data.paths.prepared, data.digests, "private")
    if not private:
        return AfterRun()
    forget_stats(data.paths, private)
    tags = {Tag.RULE_VIOLATION: RuleViolation.PRIVATE_ANSWERS}
    return AfterRun(tags, _private_problem(data.paths.competition_id, private))


def _private_problem(competition_id: str, private: list[str]) -> str:
    log.error("private answers of %s changed during an attempt: %s", competition_id,
              _shown(private))  # fmt: skip
    return (
        f"the private answers of {competition_id} changed during this attempt "
        f"({_shown(private)}): it is not graded, no score is reported against changed answers, "
        f"and every later attempt refuses the data until it is rebuilt with "
        f"`mle-track prepare --force -c {competition_id}`"
    )


def public_changes(data: PreparedData, isolation: str) -> list[str]:
    """Public files changed, appeared or vanished since the attempt's verification: by content
    when the agent ran unisolated, by size and mtime behind a read-only mount."""
    paths = data.paths
    if isolation == "none":
        return changed_by_content(paths.prepared, data.digests, "public")
    cache = (paths.read_marker() or {}).get("files") or {}
    return changed_files(paths.prepared, cache)


def _shown(rels: list[str]) -> str:
    return ", ".join(rels[:SHOWN]) + (" …" if len(rels) > SHOWN else "")

"""The exception tree.

Every error a user can cause or meet derives from :class:`MleTrackError`, so the CLI can print it
as one friendly line instead of a traceback. The tree separates *what went wrong on whose side*:
an :class:`InvalidSubmission` is the agent's fault and is a normal grading outcome, while a
:class:`GraderError` is our bug and must never be counted as an invalid submission.
"""

from __future__ import annotations


class MleTrackError(Exception):
    """Base class for every error mle-track raises on purpose."""


class UnknownNameError(MleTrackError, KeyError):
    """A name (competition, suite, metric, agent…) that no registry knows."""

    def __init__(self, kind: str, name: str, suggestions: list[str], known: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        listing = "" if suggestions or len(known) > 12 else f" Known: {', '.join(known)}."
        super().__init__(f"unknown {kind} {name!r}.{hint}{listing}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class ConfigError(MleTrackError):
    """A configuration file that does not validate; the message names the file and field."""


class InvalidSubmission(MleTrackError):
    """The submission breaks the competition's format; the message is the human-readable reason."""


class GraderError(MleTrackError):
    """The grading code itself failed on a well-formed input: a bug on our side, not the agent's."""


class AnswersChanged(GraderError):
    """A prepared file the grader reads (the answers) no longer has the content hashed at prepare.

    Grading against it would score every submission against answers nobody prepared, so no
    report is made; the message names the file. Ours to fix (rebuild the data), never the
    submission's fault, although an unisolated agent may be the one that changed it."""


class LeaderboardError(MleTrackError):
    """A leaderboard is missing, empty or malformed."""


class PrepareError(MleTrackError):
    """Preparing a competition's data failed."""


class NotPreparedError(PrepareError):
    """An operation needs prepared data that is not there."""


class ChecksumMismatch(PrepareError):
    """Prepared or downloaded files do not match their recorded checksums."""


class DownloadError(PrepareError):
    """A raw source could not be fetched."""


class KaggleCredentialsError(DownloadError):
    """No usable Kaggle credentials were found."""


class KaggleRulesNotAccepted(DownloadError):
    """The user has not accepted the competition's rules on kaggle.com."""

    def __init__(self, competition_id: str) -> None:
        self.competition_id = competition_id
        self.rules_url = f"https://www.kaggle.com/c/{competition_id}/rules"
        super().__init__(
            f"the rules of Kaggle competition {competition_id!r} are not accepted for this "
            f"account; accept them at {self.rules_url} and run the command again"
        )


class SandboxError(MleTrackError):
    """The sandbox itself cannot run (no Docker daemon, missing image): not the agent's fault."""


class AgentError(MleTrackError):
    """An agent is misconfigured (unknown agent, missing secret, bad kwargs)."""

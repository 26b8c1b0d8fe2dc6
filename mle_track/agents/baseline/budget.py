"""The agent's time budget: one monotonic clock that every stage asks before starting work.

The sandbox kills the agent at ``TIME_LIMIT_SECS``, so the agent must stop on its own well
before that: training stops *starting* new work (folds, candidates, boosting rounds) once
``train_share`` of the budget is spent, which leaves the rest for predicting and writing the
submission. Decisions are taken between whole units of work, so when the budget does not bind the
same seed reproduces the same run exactly; when it does bind, the log says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

#: share of the budget after which no new training work starts
TRAIN_SHARE = 0.6
#: share after which the agent gives up on its model and keeps the sample submission
HARD_SHARE = 0.9


@dataclass
class Budget:
    """Seconds since the agent started, against its time limit."""

    limit_s: float
    train_share: float = TRAIN_SHARE
    started: float = field(default_factory=time.monotonic)
    #: set once any stage had to cut its work short because of the budget
    limited: bool = False

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def share(self) -> float:
        return self.elapsed() / self.limit_s if self.limit_s > 0 else 1.0

    def train_left(self) -> float:
        """Seconds left before training must stop (negative once past the training share)."""
        return self.limit_s * self.train_share - self.elapsed()

    def may_train(self) -> bool:
        """Whether a new unit of training work (a fold, a candidate) may start."""
        if self.train_left() > 0:
            return True
        self.limited = True
        return False

    def hard_deadline_s(self) -> float:
        """Seconds from now until the agent must abandon its model (for an alarm)."""
        return max(1.0, self.limit_s * HARD_SHARE - self.elapsed())

    def allowance(self, parts: int) -> Allowance:
        """An equal share of the remaining training time, for one of ``parts`` targets."""
        seconds = max(0.0, self.train_left()) / max(1, parts)
        return Allowance(self, time.monotonic() + seconds)


@dataclass
class Allowance:
    """Training time for one piece of work (a target, a candidate, a fold): it ends at its own
    deadline or its parent's (finally the budget's), whichever comes first."""

    budget: Budget
    deadline: float
    parent: Allowance | None = None

    def left(self) -> float:
        above = self.parent.left() if self.parent else self.budget.train_left()
        return min(self.deadline - time.monotonic(), above)

    def split(self, parts: int) -> Allowance:
        """An equal share of what is left, for the first of ``parts`` pieces of work (time a
        piece does not use passes on to the next, which splits again)."""
        return self.share(1 / max(1, parts))

    def share(self, fraction: float) -> Allowance:
        """A child allowance of ``fraction`` of what is left."""
        seconds = max(0.0, self.left()) * min(1.0, max(0.0, fraction))
        return Allowance(self.budget, time.monotonic() + seconds, self)

    def may_train(self) -> bool:
        if self.left() > 0:
            return True
        self.budget.limited = True
        return False

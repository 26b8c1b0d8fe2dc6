"""Google QUEST Q&A Labeling: MLE-bench's 90/10 re-split of Kaggle's rated question-answer pairs.

Kaggle's test ratings were never released, so the labelled ``train.csv`` is split with
``test_size=0.1`` in its released row order. ``question_type_spelling`` is almost always 0; when
the whole test side holds one value, Spearman's correlation would be undefined for that column,
so, as MLE-bench does, the first test row trades places with the first train row (in split order)
whose ``question_type_spelling`` is not 0. The sample submission ranks the rows in file order:
every target column is ``linspace(0, 1, n)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import split

ID = "qa_id"
FEATURES = [
    "qa_id",
    "question_title",
    "question_body",
    "question_user_name",
    "question_user_page",
    "answer",
    "answer_user_name",
    "answer_user_page",
    "url",
    "category",
    "host",
]
TARGETS = [
    "question_asker_intent_understanding",
    "question_body_critical",
    "question_conversational",
    "question_expect_short_answer",
    "question_fact_seeking",
    "question_has_commonly_accepted_answer",
    "question_interestingness_others",
    "question_interestingness_self",
    "question_multi_intent",
    "question_not_really_a_question",
    "question_opinion_seeking",
    "question_type_choice",
    "question_type_compare",
    "question_type_consequence",
    "question_type_definition",
    "question_type_entity",
    "question_type_instructions",
    "question_type_procedure",
    "question_type_reason_explanation",
    "question_type_spelling",
    "question_well_written",
    "answer_helpful",
    "answer_level_of_information",
    "answer_plausible",
    "answer_relevance",
    "answer_satisfaction",
    "answer_type_instructions",
    "answer_type_procedure",
    "answer_type_reason_explanation",
    "answer_well_written",
]
RARE = "question_type_spelling"
TEST_SIZE = 0.1


def give_test_a_rare_row(train: pd.DataFrame, test: pd.DataFrame) -> None:
    """When ``RARE`` is constant on the test side, swap (in place) the first test row with the
    first train row whose ``RARE`` is not 0; each row keeps its place, the values trade."""
    if test[RARE].nunique() != 1:
        return
    donor = train.index[train[RARE] != 0][0]
    first = test.index[0]
    incoming, outgoing = train.loc[donor].copy(), test.loc[first].copy()
    test.loc[first] = incoming
    train.loc[donor] = outgoing


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(labelled, test_size=TEST_SIZE)
    give_test_a_rare_row(train, test)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    test[FEATURES].to_csv(public / "test.csv", index=False)
    answers = test[[ID, *TARGETS]]
    answers.to_csv(private / "test.csv", index=False)
    ranks = np.linspace(0, 1, len(answers))
    sample = answers.assign(**{target: ranks for target in TARGETS})
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert list(labelled.columns) == FEATURES + TARGETS, "unexpected train.csv columns"
    assert labelled[ID].is_unique
    assert len(train) + len(test) == len(labelled) and len(train) > len(test)
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    constant = [t for t in TARGETS if answers[t].nunique() <= 1]
    assert not constant, f"target(s) constant on the test side: {constant}"

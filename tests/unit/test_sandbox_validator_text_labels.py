"""The in-sandbox validator on label columns: an empty cell is an empty label where the sample
fills the column with text (tag sets, answers left blank), and a missing value where the sample's
labels are numbers, as the host's standard invalid cases have it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mle_track.sandbox.resources import validate_server as vs
from mle_track.sandbox.rules import ValidationRules

IDS = ["a", "b", "c"]


def rules(tmp_path: Path, sample: pd.DataFrame) -> vs.Rules:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    sample.to_csv(data / "sample_submission.csv", index=False)
    spec = ValidationRules("c", "sample_submission.csv", "id", ("labels",), "label")
    path = tmp_path / "rules.json"
    path.write_text(spec.for_data_dir(str(data)).to_json())
    return vs.load_rules(str(path))


@pytest.mark.parametrize(
    ("sample_labels", "submitted", "valid"),
    [
        (["java php", "c#", "python"], ["java", "", "c# python"], True),  # text: empty set
        (["", "", ""], ["", "YES", "3:7"], True),  # the sample itself leaves them empty
        (["0", "1", "4"], ["2", "", "3"], False),  # numbers: an empty one is missing
        (["0", "1", "4"], ["2", "1", "3"], True),
    ],
)
def test_empty_labels_follow_the_sample(
    tmp_path: Path, sample_labels: list[str], submitted: list[str], valid: bool
) -> None:
    checked = rules(tmp_path, pd.DataFrame({"id": IDS, "labels": sample_labels}))
    submission = tmp_path / "submission.csv"
    pd.DataFrame({"id": IDS, "labels": submitted}).to_csv(submission, index=False)
    message = vs.check(str(submission), checked)
    assert (message == vs.VALID) == valid, message
    assert valid or "empty value" in message
    sample = Path(checked.sample_path)
    assert vs.check(str(sample), checked) == vs.VALID

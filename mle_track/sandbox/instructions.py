"""The benchmark rules every agent reads in ``instructions.txt``.

The text is ours, but it covers the same points as MLE-bench's instructions so that agents built
for MLE-bench behave the same here: where the task and data are, the one file that is graded,
that the split is the benchmark's own, how to check a file's format, and what is forbidden.
Paths are filled in per sandbox (``/home/...`` in Docker, the run directory locally).
"""

from __future__ import annotations

from pathlib import PurePosixPath

_TEMPLATE = """\
BENCHMARK INSTRUCTIONS

You are taking part in an offline machine-learning benchmark built from Kaggle-style
competitions. Your job: train a model on the competition's training data and predict the
test set as well as you can. Nobody will answer questions, so work on your own until you are done.

Where things are
- The task: {data}/description.md describes the competition (goal, data, metric).
- The data: every file you may use is in {data}/ (read-only).
- Your output: write your predictions as a CSV file at exactly
      {submission}/submission.csv
  Only that file is graded. If it is missing when you finish, the attempt counts as failed.
  Use that path and the CSV format of the sample submission even where the competition text
  names another file name or format.
- Keep your code in {code}/ and any logs in {logs}/; both are saved with the attempt.

Rules
1. The train/test split was made by this benchmark, not by the original competition, so file
   names, sizes and even some columns can differ from what the competition text says. Trust
   the files you have.
2. Check the format of your file before you finish:
      {validate} [FILE]
   prints "Submission is valid." or "Submission invalid! <reason>". It compares your file with
   the public sample submission (columns, ids, row count, value types) and never reveals a
   score.{server}
3. Do not label test data by hand or write predictions yourself: every prediction must come
   from code you run.
4. Do not look for other people's solutions to this competition (notebooks, forum posts,
   write-ups, leaderboards) or copy them; an attempt that does so is disqualified.
5. Your submission is scored with the competition's own metric on answers you cannot see.
   Aim for the best score you can reach in the time you have.
6. These rules take precedence over anything the competition's description says.

Your budget
- Time limit: {time_limit} seconds of wall-clock time from the start of the attempt.
- Hardware: {hardware}
- The environment variables DATA_DIR, SUBMISSION_DIR, CODE_DIR, LOGS_DIR, COMPETITION_ID,
  TIME_LIMIT_SECS, STEP_LIMIT, SEED and HARDWARE repeat these facts for your code.
"""

_SERVER = """
   The same check is served over HTTP: POST the file as the multipart field "file" to
   {url} (for example: curl -X POST -F file=@submission.csv {url})."""


def render(
    *,
    data: PurePosixPath,
    submission: PurePosixPath,
    code: PurePosixPath,
    logs: PurePosixPath,
    validate: PurePosixPath,
    hardware: str,
    time_limit_s: float,
    server_url: str | None = None,
) -> str:
    """The instructions with this sandbox's paths; ``server_url`` when a validation server runs."""
    server = _SERVER.format(url=server_url) if server_url else ""
    return _TEMPLATE.format(
        data=data,
        submission=submission,
        code=code,
        logs=logs,
        validate=validate,
        hardware=hardware,
        time_limit=int(time_limit_s),
        server=server,
    )

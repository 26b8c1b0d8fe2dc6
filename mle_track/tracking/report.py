"""Leaderboard tables and plots across agent configurations, like MLE-bench's README.

One row per agent configuration: any-medal % per split (mean ± SEM over seeds) with MLE-bench's
"All" (low ∪ medium ∪ high) where those splits are present, the practice suite where it is,
pass@1 and pass@k, mean normalised score, valid-submission %, mean wall time, LLM cost and the
isolation the attempts ran under (``none`` means the agent could have read the answers, so a
reader must see it beside the medals; ``?`` for runs from before it was recorded).
"""

from __future__ import annotations

import csv
import html
import io
import math
from pathlib import Path
from typing import Any

from mle_track.grading.aggregate import SplitStats
from mle_track.names import Metric
from mle_track.tracking.queries import Summary, finished, label

FORMATS = ("table", "markdown", "csv", "html")
SPLIT_TITLES = {
    "low": "Low (Lite)",
    "medium": "Medium",
    "high": "High",
    "all": "All",
    "practice": "Practice",
    "dev": "Dev",
}


def _pm(stats: SplitStats | None, key: str = "any_medal_pct") -> str:
    if stats is None or not stats.num_competitions:
        return "-"
    value = stats.rates()[key]
    if math.isnan(value.mean):
        return "-"
    return f"{value.mean:.1f} ± {value.sem:.1f}"


def _split(summary: Summary, name: str) -> SplitStats | None:
    """A column's aggregates: a split's, or MLE-bench's "All" (low ∪ medium ∪ high)."""
    return summary.mlebench_all if name == "all" else summary.splits.get(name)


def _num(value: float | None, fmt: str = "{:.3f}") -> str:
    return (
        "-"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else fmt.format(value)
    )


def rows(summaries: list[Summary]) -> tuple[list[str], list[list[str]]]:
    present = [s for s in SPLIT_TITLES if any(_split(x, s) is not None for x in summaries)]
    header = ["Agent configuration", *[f"{SPLIT_TITLES[s]} %" for s in present]]
    header += ["pass@1 %", "pass@k %", "seeds", "norm. score", "valid %", "time (min)", "cost ($)"]
    header += ["isolation"]
    table = []
    for summary in summaries:
        overall = summary.overall
        passes = overall.pass_at_k
        k = max((int(key) for key in passes), default=0)
        cells = [label(summary)]
        cells += [_pm(_split(summary, split)) for split in present]
        cells += [
            _num(passes.get("1"), "{:.1f}"),
            f"{_num(passes.get(str(k)), '{:.1f}')} (k={k})" if k else "-",
            str(overall.num_seeds),
            _num(summary.mean_normalized_score),
            _pm(overall, "valid_submission_pct"),
            _num(
                summary.mean_runtime_s / 60 if summary.mean_runtime_s is not None else None,
                "{:.1f}",
            ),
            _num(summary.total_cost_usd, "{:.2f}"),
            summary.isolation or "?",
        ]
        table.append(cells)
    return header, table


def render_table(summaries: list[Summary], fmt: str = "table") -> str:
    header, body = rows(summaries)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(body)
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body
        )
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{cells}</tbody>\n</table>\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, body)]) + "\n"


def plot(summaries: list[Summary], frame: Any, out_dir: Path) -> list[Path]:
    """Medal rates per configuration (bars with SEM) and score against wall time (the attempts
    the aggregates count: one run per attempt key, newest competition version)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    labels = [label(s) for s in summaries]
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(labels) + 3), 4))
    names = ("any_medal_pct", "gold_medal_pct", "above_median_pct", "valid_submission_pct")
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        means = [s.overall.rates()[name].mean for s in summaries]
        sems = [s.overall.rates()[name].sem for s in summaries]
        xs = [j + i * width for j in range(len(summaries))]
        ax.bar(
            xs, means, width, yerr=sems, capsize=3, label=name.replace("_pct", "").replace("_", " ")
        )
    ax.set_xticks(
        [j + 0.4 - width / 2 for j in range(len(summaries))],
        labels,
        rotation=20,
        ha="right",
        fontsize=7,
    )
    ax.set_ylabel("% of competitions (mean ± SEM over seeds)")
    ax.set_ylim(0, 105)
    ax.legend(fontsize=7)
    ax.set_title("Medal rates per agent configuration")
    fig.tight_layout()
    paths.append(out_dir / "medal_rates.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    done = finished(frame)
    for config_hash, group in done.groupby("config_hash"):
        ax.scatter(
            group[Metric.RUNTIME_S].astype(float) / 60,
            group[Metric.NORMALIZED_SCORE].astype(float),
            s=14,
            label=f"{group['agent'].iloc[0]} {config_hash}",
        )
    ax.set_xlabel("wall time (min)")
    ax.set_ylabel("normalised score (sample = 0, gold = 1)")
    ax.set_title("Score vs wall time per attempt")
    ax.legend(fontsize=7)
    fig.tight_layout()
    paths.append(out_dir / "score_vs_time.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths

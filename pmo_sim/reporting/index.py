"""The batch's front page (``index.html``) and cross-client benchmark (``summary.csv``).

Every text that came from an input (client names, errors) is HTML-escaped.
The benchmark chart is an inline PNG so the page reads offline.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_sim.files import atomic_write_text, write_csv
from pmo_sim.presentation import figure_png, plain_text, score_text
from pmo_sim.reporting.html import escape
from pmo_sim.reporting.kinds import REPORT_KINDS

if TYPE_CHECKING:
    from pmo_sim.reporting.batch import EngagementOutcome

__all__ = ["assessment_summary", "write_index"]


def assessment_summary(out: Path, outcomes: Sequence[EngagementOutcome]) -> pd.DataFrame:
    """One row per assessment report: client, date, tier, index, then each dimension's score."""
    rows = []
    for o in outcomes:
        results = out / o.slug / "assessment.json"
        if o.kind != "assessment" or o.status == "failed" or not results.exists():
            continue
        data = json.loads(results.read_text(encoding="utf-8"))
        row = {
            "client": o.client,
            "date": data.get("assessed_on") or "",
            "tier": data["tier"],
            "index": round(float(data["index"]), 3),
        }
        for dim in data["dimensions"]:
            row[dim["id"]] = round(float(dim["score"]), 3)
        rows.append(row)
    return pd.DataFrame(rows)


def _benchmark_chart(summary: pd.DataFrame) -> str:
    """Inline PNG (data URI) of dimension scores by client; empty when nothing to show."""
    dims = [c for c in summary.columns if c not in {"client", "date", "tier", "index"}]
    if summary.empty or not dims:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    table = summary.set_index("client")[dims].astype(float)
    # Client names are text, never mathtext: seaborn measures the labels while building.
    with plain_text():
        # Room for the longest client name on the left, the colour bar on the right and
        # the dimension labels (written upright) below.
        names = max((len(str(c)) for c in table.index), default=0)
        labels = max((len(str(d)) for d in dims), default=0)
        width = 2.2 + 0.7 * len(dims) + min(0.08 * names, 4.0)
        height = 1.4 + 0.5 * len(table) + min(0.08 * labels, 3.5)
        fig, ax = plt.subplots(figsize=(width, height))
        try:
            sns.heatmap(
                table,
                vmin=0,
                vmax=4,
                cmap="RdYlGn",
                # scores truncated toward their tier, as everywhere (2.996 is "2.99", tier 2)
                annot=table.map(lambda v: "" if v != v else score_text(v)).to_numpy(),
                fmt="",
                ax=ax,
                cbar_kws={"label": "score (0-4)"},
            )
            ax.set_xlabel("dimension")
            ax.set_ylabel("")
            ax.set_title("Maturity by dimension across clients")
            fig.tight_layout()
            png = figure_png(fig)
        finally:
            plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(png).decode()


_STATUS = {"done": "made", "skipped": "up to date", "failed": "FAILED"}


def _file_label(path: Path) -> str:
    """How the index names a report's file: ``open`` for the HTML, else its type."""
    from pmo_sim.reporting.deliverables import FORMATS

    suffix = path.suffix.lstrip(".").lower()
    if suffix in FORMATS:
        return FORMATS[suffix].label
    return "results (JSON)" if suffix == "json" else path.name


def _kind_title(name: str) -> str:
    kind = REPORT_KINDS.get(name)
    return kind.title if kind is not None else name.replace("_", " ")


def write_index(out: Path, title: str, outcomes: Sequence[EngagementOutcome]) -> tuple[Path, Path]:
    """Write ``index.html`` and ``summary.csv`` under ``out``; return their paths."""
    summary = assessment_summary(out, outcomes)
    summary_path = out / "summary.csv"
    write_csv(summary_path, summary)
    by_client = summary.set_index("client") if not summary.empty else None

    rows = []
    for o in outcomes:
        link = (
            " ".join(
                f'<a href="{escape(p.relative_to(out).as_posix())}">{escape(_file_label(p))}</a>'
                for p in [o.html, *o.files]
            )
            if o.html is not None and o.status != "failed"
            else ""
        )
        detail = ""
        if o.kind == "assessment" and by_client is not None and o.client in by_client.index:
            rec = by_client.loc[o.client]
            if isinstance(rec, pd.DataFrame):
                rec = rec.iloc[0]
            detail = f"tier {int(rec['tier'])}, index {score_text(float(rec['index']))}"
        if o.status == "failed":
            kept = (
                f" (notebook kept: {escape(o.failed_notebook.relative_to(out).as_posix())})"
                if o.failed_notebook is not None
                else ""
            )
            detail = f'<span class="failed">{escape(o.error)}</span>{kept}'
        rows.append(
            f'<tr class="{escape(o.status)}"><td>{escape(o.client)}</td>'
            f"<td>{escape(_kind_title(o.kind))}</td><td>{_STATUS.get(o.status, o.status)}</td>"
            f"<td>{link}</td><td>{detail}</td></tr>"
        )
    chart = _benchmark_chart(summary)
    chart_html = (
        f'<h2>Cross-client benchmark</h2><img alt="maturity by dimension across clients" '
        f'src="{chart}"><p>Data: <a href="summary.csv">summary.csv</a></p>'
        if chart
        else ""
    )
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    failed = sum(o.status == "failed" for o in outcomes)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
body {{ font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; max-width: 1100px;
       margin: 2em auto; padding: 0 1em; color: #1f2933; }}
h1 {{ border-bottom: 3px solid #2f6690; padding-bottom: .3em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .45em .7em; border-bottom: 1px solid #d9e2ec; }}
tr.failed td {{ background: #fdecea; }} .failed {{ color: #b3261e; }}
img {{ max-width: 100%; }}
</style></head>
<body>
<h1>{escape(title)}</h1>
<p>{len(outcomes)} reports: {len(outcomes) - failed} available, {failed} failed. Made {made}.</p>
<table><thead><tr><th>Client</th><th>Report</th><th>Status</th><th>Files</th><th>Result</th></tr>
</thead><tbody>
{chr(10).join(rows)}
</tbody></table>
{chart_html}
</body></html>
"""
    index_path = out / "index.html"
    atomic_write_text(index_path, page)
    return index_path, summary_path

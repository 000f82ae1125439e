"""The calibration report: where each number came from, and whether the model reproduces the past.

One self-contained HTML page (inline PNG figures, nothing from a CDN), in
the house style of the batch index: the history read, the notes a reader
must see (small samples, bunched arrivals, what was assumed), the arrival
rates with arrivals over time, each effort fit with its QQ plot, the roles,
and the backtest with its verdict. Every text that came from an input is
escaped; figures show only ids the kit made (slugs) and numbers.
"""

from __future__ import annotations

import base64
import math
from typing import TYPE_CHECKING

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

from pmo_sim.presentation import figure_png, format_value, plain_text
from pmo_sim.reporting.html import escape

if TYPE_CHECKING:
    from pmo_sim.calibration import Backtest, Calibration

__all__ = [
    "arrivals_figure",
    "backtest_figure",
    "calibration_page",
    "lead_time_figure",
    "qq_figure",
]

_STYLE = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; max-width: 1100px;
       margin: 2em auto; padding: 0 1em; color: #1f2933; }
h1 { border-bottom: 3px solid #2f6690; padding-bottom: .3em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; font-size: .92em; }
th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid #d9e2ec; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pmo-callout { background: #eef4f8; border-left: 5px solid #2f6690; padding: .8em 1.1em; }
.pmo-flag { color: #b3261e; font-weight: 600; }
img { max-width: 100%; }
"""


def _png(fig: Figure) -> str:
    png = figure_png(fig, dpi=100, bbox_inches="tight")  # names drawn as written, never mathtext
    fig.clear()
    data = base64.b64encode(png).decode()
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def qq_figure(calibration: Calibration) -> Figure | None:
    """QQ plot of each fitted effort: observed against the fitted family's quantiles."""
    fits = [f for f in calibration.efforts if not f.qq.empty]
    if not fits:
        return None
    cols = min(3, len(fits))
    rows = math.ceil(len(fits) / cols)
    with plain_text(), sns.axes_style("whitegrid"):
        fig = Figure(figsize=(4.0 * cols, 3.6 * rows))
        for k, fit in enumerate(fits):
            ax = fig.add_subplot(rows, cols, k + 1)
            done, running = fit.qq[~fit.qq["open"]], fit.qq[fit.qq["open"]]
            ax.scatter(done["theoretical"], done["observed"], s=12, color="#2f6690",
                       label="finished")  # fmt: skip
            if len(running):
                ax.scatter(running["theoretical"], running["observed"], s=12, color="#e8871e",
                           label="open (imputed)")  # fmt: skip
                ax.legend(fontsize=8, loc="upper left")
            top = float(max(fit.qq["theoretical"].max(), fit.qq["observed"].max()))
            ax.plot([0, top], [0, top], color="#b3261e", lw=1)
            ax.set_title(f"{fit.type} / {fit.role}: {fit.qq_family}", fontsize=10)
            ax.set_xlabel("fitted quantile (person-weeks)")
            ax.set_ylabel("observed (person-weeks)")
        fig.tight_layout()
    return fig


def arrivals_figure(calibration: Calibration) -> Figure:
    """Cumulative arrivals per type against the fitted rate, with a Poisson 90% band."""
    with plain_text(), sns.axes_style("whitegrid"):
        fig = Figure(figsize=(9, 3.8))
        ax = fig.add_subplot()
        colours = sns.color_palette("colorblind", len(calibration.arrivals))
        for fit, colour in zip(calibration.arrivals, colours, strict=True):
            at = fit.weeks_of_arrival
            ax.step(at, np.arange(1, len(at) + 1), where="post", color=colour, label=fit.type)
            t = np.linspace(0, fit.weeks, 100)
            mean = fit.rate_per_week * t
            ax.plot(t, mean, color=colour, ls="--", lw=1)
            ax.fill_between(t, mean - 1.645 * np.sqrt(mean), mean + 1.645 * np.sqrt(mean),
                            color=colour, alpha=0.15, lw=0)  # fmt: skip
        ax.set_xlabel("weeks from the start of the history")
        ax.set_ylabel("projects arrived (cumulative)")
        ax.legend(loc="upper left", fontsize=9)
        fig.tight_layout()
    return fig


def lead_time_figure(result: Backtest) -> Figure:
    """Lead-time distribution: the history's finished projects against the replications'."""
    with plain_text(), sns.axes_style("whitegrid"):
        fig = Figure(figsize=(9, 3.2))
        ax = fig.add_subplot()
        for values, label, colour in (
            (result.simulated_lead_times, "simulated (all replications)", "#2f6690"),
            (result.actual_lead_times, "actual", "#b3261e"),
        ):
            x = np.sort(values[np.isfinite(values)])
            if len(x):
                ax.step(x, np.arange(1, len(x) + 1) / len(x), where="post", label=label,
                        color=colour)  # fmt: skip
        ax.axhline(0.5, color="#9aa5b1", lw=0.8, ls=":")
        ax.axhline(0.85, color="#9aa5b1", lw=0.8, ls=":")
        ax.set_xlabel("lead time, created to finish (weeks)")
        ax.set_ylabel("share of finished projects")
        ax.legend(loc="lower right", fontsize=9)
        fig.tight_layout()
    return fig


def backtest_figure(result: Backtest) -> Figure:
    """Per quarter: the simulated 90% band and median against the actual figure."""
    groups = [g for g in dict.fromkeys(result.figures["group"]) if g != "lead time"]
    with plain_text(), sns.axes_style("whitegrid"):
        fig = Figure(figsize=(9, 2.6 * len(groups)))
        for k, group in enumerate(groups):
            part = result.figures[result.figures["group"] == group]
            ax = fig.add_subplot(len(groups), 1, k + 1)
            ax.fill_between(part["week"], part["low"], part["high"], color="#2f6690", alpha=0.2,
                            step="mid", label="simulated 90% band")  # fmt: skip
            ax.plot(part["week"], part["median"], color="#2f6690", lw=1, label="simulated median")
            for inside, colour, label in ((True, "#1f2933", "actual, inside"),
                                          (False, "#b3261e", "actual, outside")):  # fmt: skip
                shown = part[part["inside"] == inside]
                if len(shown):
                    ax.scatter(shown["week"], shown["actual"], color=colour, zorder=3, s=18,
                               label=label)  # fmt: skip
            ax.set_ylabel(group)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        ax.set_xlabel("weeks from the start of the backtest")
        fig.tight_layout()
    return fig


def _table(
    header: list[str], rows: list[list[object]], numeric: frozenset[int] | set[int] = frozenset()
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{escape(v)}</td>' if i in numeric else f"<td>{escape(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(value: float, digits: int = 2) -> str:
    """A statistic (rate, AIC, test statistic) with ``digits`` decimals."""
    return format_value(value, spec=f",.{digits}f")


def calibration_page(calibration: Calibration, result: Backtest | None) -> str:
    """The calibration report as one HTML page."""
    h = calibration.history
    window = format_value(h.window_weeks, "weeks", spec=",.0f")
    parts = [
        f"<h1>Calibration: {escape(h.source)}</h1>",
        f"<p>{len(h.projects)} projects read as <b>{escape(h.layout)}</b>, from "
        f"{h.start.date()} to {h.as_of.date()} ({window} weeks): "
        f"{(h.projects['status'] == 'done').sum()} done, "
        f"{(h.projects['status'] == 'open').sum()} open (kept as censored observations), "
        f"{(h.projects['status'] == 'cancelled').sum()} cancelled.</p>",
    ]
    if result is not None:
        flag = "" if result.reproduces else ' class="pmo-flag"'
        parts.append(f'<div class="pmo-callout"><p{flag}>{escape(result.verdict())}</p></div>')
    if calibration.notes:
        parts.append("<h2>What the reader should know</h2><ul>")
        parts += [f"<li>{escape(n)}</li>" for n in calibration.notes]
        parts.append("</ul>")
    parts.append("<h2>Arrivals</h2>")
    parts.append(
        _table(
            ["type", "projects", "rate per week", "95% interval", "dispersion", "p", "verdict"],
            [
                [
                    a.type,
                    a.n,
                    _fmt(a.rate_per_week, 3),
                    f"{_fmt(a.low, 3)} - {_fmt(a.high, 3)}",
                    _fmt(a.dispersion),
                    _fmt(a.dispersion_p, 3),
                    "bunched (not Poisson)" if a.over_dispersed else "consistent with Poisson",
                ]
                for a in calibration.arrivals
            ],
            {1, 2, 4, 5},
        )
    )
    parts.append(_png(arrivals_figure(calibration)))
    parts.append(
        "<h2>Effort per project (person-weeks)</h2><p>Maximum likelihood per family, open "
        "projects as right-censored observations; the lowest AIC is kept, then checked with a "
        "Kolmogorov-Smirnov test (open projects' efforts imputed beyond their effort so far, "
        "median over 25 imputations). QQ plots: points on the red line fit the family.</p>"
    )
    families = sorted({f for fit in calibration.efforts for f in fit.aic})
    parts.append(
        _table(
            [
                "type",
                "role",
                "finished",
                "open",
                "chosen",
                "mean",
                "sd",
                "KS D",
                "KS p",
                *[f"AIC {f}" for f in families],
            ],
            [
                [
                    f.type,
                    f.role,
                    f.n,
                    f.n_censored,
                    f.family if f.method == "mle" else f.method,
                    _fmt(f.mean, 1),
                    _fmt(f.sd, 1),
                    _fmt(f.ks_statistic, 3),
                    _fmt(f.ks_pvalue),
                    *[_fmt(f.aic.get(name, math.nan), 1) for name in families],
                ]
                for f in calibration.efforts
            ],
            {2, 3, 5, 6, 7, 8, *range(9, 9 + len(families))},
        )
    )
    qq = qq_figure(calibration)
    if qq is not None:
        parts.append(_png(qq))
    parts.append("<h2>Roles</h2>")
    parts.append(
        _table(
            [
                "role",
                "headcount",
                "availability",
                "weekly cost",
                "headcount from",
                "availability from",
            ],
            [
                [
                    r.role,
                    r.headcount,
                    format_value(r.availability, "share"),
                    format_value(r.weekly_cost, "money"),
                    r.headcount_source,
                    r.availability_source,
                ]
                for r in calibration.roles
            ],
            {1, 2, 3},
        )
    )
    if result is not None:
        parts.append(
            f"<h2>Backtest</h2><p>{result.replications} replications (seed {result.seed}) of "
            f"the {format_value(result.weeks, 'weeks', spec=',.0f')} weeks from "
            f"{result.start.date()}, starting from the work in progress then. Bands are the 5th "
            "to 95th percentile of the replications.</p>"
        )
        parts.append(_png(backtest_figure(result)))
        parts.append(_png(lead_time_figure(result)))
        parts.append(
            _table(
                ["figure", "period", "actual", "simulated 5%", "median", "95%", "inside"],
                [
                    [
                        r.group,
                        r.label,
                        *(format_value(v, r.unit) for v in (r.actual, r.low, r.median, r.high)),
                        "yes" if r.inside else "NO",
                    ]
                    for r in result.figures.itertuples()
                ],
                {2, 3, 4, 5},
            )
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>Calibration: {escape(h.source)}</title>\n<style>{_STYLE}</style></head>\n"
        "<body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )

"""Live results: the tier, the index and the radar per group, redrawn as answers arrive.

Projected beside the capture form, this is what makes a workshop lively: an
executive sees their line on the radar sit a tier above the team members'
while the discussion is still going. The widget scores the workshop database
with the same :func:`~pmo_sim.assessment.score_answers` as ``pmo-sim assess``
and reuses the report's radar (:func:`pmo_sim.reporting.plots.group_radar`).

It refreshes when the database changes: at once after a change made by a
capture form it is linked to, and by polling every few seconds for changes
made elsewhere (a participant's Voila page writes to the same file).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from pmo_sim.assessment.dimension_scores import Weighting
from pmo_sim.assessment.groups import group_label
from pmo_sim.assessment.questionnaire import Questionnaire
from pmo_sim.assessment.result import Assessment
from pmo_sim.assessment.scoring import score_answers
from pmo_sim.assessment.store import AnswerStore
from pmo_sim.presentation import figure_png, score_text
from pmo_sim.widgets.capture import CaptureForm
from pmo_sim.widgets.scheduling import Debouncer, Poller

__all__ = ["LiveResults", "live_results"]

#: Style of the small tables under the charts (live results, what-if differences).
TABLE_CSS = (
    ".pmo-table{border-collapse:collapse;font-size:90%}"
    ".pmo-table td,.pmo-table th{padding:2px 8px;border-bottom:1px solid #eee}"
)
#: Resolution of the live radar: sharp enough on a projector, quick to redraw.
RADAR_DPI = 72


class LiveResults:
    """Headline (tier, index, who answered), radar per group, and a dimension table.

    ``refresh()`` rescores now; ``poll()`` rescores only if the database
    changed since the last refresh. :attr:`assessment` is the latest result
    (None until someone has answered).
    """

    def __init__(
        self,
        store: AnswerStore,
        *,
        poll_seconds: float = 2.0,
        delay: float = 0.3,
        weighting: Weighting = "groups",
    ) -> None:
        self.store = store
        self.weighting = weighting
        #: The latest scored assessment, or None before the first answer.
        self.assessment: Assessment | None = None
        #: How many times the results were redrawn (a test can watch it change).
        self.redraws = 0
        self.headline = w.HTML()
        self.radar = w.Image(format="png")
        self.radar.layout.max_width = "640px"
        self.table = w.HTML()
        self.widget = w.VBox([self.headline, self.radar, self.table])
        self.widget.add_class("pmo-live")
        self._seen = -1
        self._debouncer = Debouncer(delay, self.refresh)
        self.poller = Poller(poll_seconds, self.poll)
        self.refresh()
        self.poller.start()

    def follow(self, form: CaptureForm) -> None:
        """Refresh shortly after each change saved by ``form`` (same kernel)."""
        form.on_change(lambda *_: self._debouncer.trigger())

    def poll(self) -> None:
        """Refresh if the database changed (in any process) since the last refresh."""
        if self.store.change_count() != self._seen:
            self.refresh()

    def refresh(self) -> None:
        """Rescore the database and redraw everything."""
        self._seen = self.store.change_count()
        answers = self.store.answers_frame()
        if answers["level"].notna().sum() == 0:
            self.assessment = None
            self.headline.value = "<h3>Waiting for the first answer…</h3>"
            self.table.value = ""
            return
        try:
            result = score_answers(answers, self.store.questionnaire, weighting=self.weighting)
        except Exception as exc:
            self.headline.value = (
                f"<span style='color:#b3261e'>Cannot score the answers yet: "
                f"{html.escape(str(exc))}</span>"
            )
            return
        self.assessment = result
        self.headline.value = _headline(result)
        self.radar.value = _radar_png(result)
        self.table.value = _dimension_table(result)
        self.redraws += 1

    def close(self) -> None:
        """Stop polling and close the database connection."""
        self.poller.stop()
        self._debouncer.cancel()
        self.store.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _headline(result: Assessment) -> str:
    low, high = result.index_interval
    groups = ", ".join(f"{group_label(g)} {n}" for g, n in result.group_sizes.items())
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    return (
        f"<h3 style='margin:4px 0'>Tier {result.tier} · {html.escape(result.tier_name)}"
        f" &nbsp;|&nbsp; index {score_text(result.index)}"
        f" <small>({result.confidence:.0%} interval {score_text(low)}–{score_text(high)})"
        "</small></h3>"
        f"<div>{result.n_respondents} respondents ({html.escape(groups)}); "
        f"{result.answers_used} answers scored. <small>Updated {stamp}.</small></div>"
    )


def _radar_png(result: Assessment) -> bytes:
    # Imported here: seaborn takes a second to import, and `pmo-sim assess` on a
    # workshop database loads this package without drawing anything.
    from pmo_sim.reporting.plots import group_radar

    fig = group_radar(result)
    png = figure_png(fig, dpi=RADAR_DPI)
    fig.clear()
    return png


def _dimension_table(result: Assessment) -> str:
    rows = []
    for d in result.dimensions.itertuples(index=False):
        score = score_text(d.score)
        tier = "–" if d.tier != d.tier else f"{int(d.tier)} {html.escape(str(d.tier_name))}"
        flag = " ⚑" if d.flagged else ""
        hold = " <b>holds the tier</b>" if d.blocking else ""
        rows.append(
            f"<tr><td>{html.escape(d.name)}</td><td style='text-align:right'>{score}</td>"
            f"<td>{tier}{flag}{hold}</td><td style='text-align:right'>{d.n_respondents}</td></tr>"
        )
    return (
        f"<style>{TABLE_CSS}</style><table class='pmo-table'>"
        "<tr><th style='text-align:left'>Dimension</th><th>Score</th><th>Tier</th>"
        "<th>Respondents</th></tr>" + "".join(rows) + "</table>"
        "<small>⚑ respondents disagree (spread above one tier).</small>"
    )


def live_results(
    database: str | Path,
    questionnaire: Questionnaire | str | Path | None = None,
    *,
    follow: CaptureForm | None = None,
    poll_seconds: float = 2.0,
    weighting: Weighting = "groups",
) -> LiveResults:
    """Live tier, index and radar for the workshop database (created if missing).

    ``follow`` links a capture form in the same notebook for an immediate
    refresh after each answer; changes from elsewhere appear within
    ``poll_seconds``.
    """
    store = AnswerStore(database, questionnaire)
    live = LiveResults(store, poll_seconds=poll_seconds, weighting=weighting)
    if follow is not None:
        live.follow(follow)
    return live

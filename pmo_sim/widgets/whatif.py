"""The capacity what-if dashboard: the room moves the levers, the simulation answers.

"What if we had four more developers?" "What if we stopped starting and
capped work in progress at 25?" "What if people were spread over three
projects each?" Each question is a slider, a dropdown or a tick: headcount
per role, the WIP limit, the priority rule, multitasking (the most projects
per person and the time lost to switching, :mod:`.whatif_multitasking`), and
how many replications to run. A change re-runs the capacity simulation once the
controls have been still for a moment (debounced), with quick settings by
default, and redraws utilisation, lead time and benefits against the
baseline with 95% intervals. Both are run on the same seeds (common random
numbers), so the differences table shows the effect of the levers, not
noise. The overrides in force are listed as ``--set`` lines, and one button
saves them as a scenario YAML that ``pmo-sim simulate`` runs.

>>> dashboard = whatif_dashboard("scenarios/baseline.yaml")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import html
import os
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import yaml

from pmo_sim.errors import InputError
from pmo_sim.files import slugify, staged
from pmo_sim.presentation import format_value, intervals, verdict
from pmo_sim.seeds import DEFAULT_SEED
from pmo_sim.simulation import (
    PRIORITY_RULES,
    Scenario,
    SimulationResult,
    apply_overrides,
    describe_metric,
    dump_scenario,
    load_scenario,
    simulate,
)
from pmo_sim.widgets.live import TABLE_CSS
from pmo_sim.widgets.scheduling import Debouncer
from pmo_sim.widgets.whatif_charts import WhatIfChart
from pmo_sim.widgets.whatif_multitasking import MultitaskingControls, loss_with_two

__all__ = [
    "DEFAULT_DELAY",
    "DEFAULT_REPLICATIONS",
    "WhatIfDashboard",
    "whatif_dashboard",
]

#: Quick settings: enough replications for intervals that separate real effects, fast enough
#: to redraw within a second on two cores.
DEFAULT_REPLICATIONS = 10
#: Seconds the controls must be still before the simulation re-runs.
DEFAULT_DELAY = 0.25
_CACHE_SIZE = 32

#: Least share of busy time lost to switching that gets a row in the differences table.
_SHOWN_LOSS = 0.0005
# Metrics in the differences table, in the order a sponsor asks about them.
_KEY_METRICS = (
    "throughput_per_year",
    "lead_time_mean",
    "lead_time_p85",
    "on_time_share",
    "wip_mean",
    "backlog_mean",
    "benefit_total",
    "delay_cost",
    "spend",
)


class WhatIfDashboard:
    """Controls, charts and the logic that ties them to the simulation.

    Tests drive it like the room would: ``headcount["developer"].value = 40``,
    ``wip_limit.value = 25``, ``priority.value = "wsjf"``,
    ``multitasking.enabled.value = True``, then read :attr:`overrides`,
    :attr:`variant` (the last :class:`SimulationResult`) or click
    ``save_button``. ``wip_limit`` 0 means no limit.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        source: Path | None = None,
        replications: int = DEFAULT_REPLICATIONS,
        seed: int = DEFAULT_SEED,
        workers: int = 1,
        delay: float = DEFAULT_DELAY,
        save_dir: Path | None = None,
    ) -> None:
        self.baseline = scenario
        #: The baseline's file, if any: saved scenarios extend it.
        self.source = source
        self.seed = seed
        self.workers = workers
        self.save_dir = Path(save_dir) if save_dir is not None else Path.cwd()
        #: The latest what-if result and the baseline result it is compared with.
        self.variant: SimulationResult | None = None
        self.baseline_result: SimulationResult | None = None
        #: Seconds the last re-run took (simulation and drawing), and how many there were.
        self.last_seconds = 0.0
        self.runs = 0
        self._results: OrderedDict[tuple, SimulationResult] = OrderedDict()
        self._resetting = False

        role_names = {
            rid: role.name or rid.replace("_", " ") for rid, role in scenario.roles.items()
        }
        needs = _people_needed(scenario)
        #: One headcount slider per role, by role id.
        self.headcount: dict[str, w.IntSlider] = {}
        for rid, role in scenario.roles.items():
            slider = w.IntSlider(
                value=role.headcount,
                min=needs.get(rid, 0),
                max=max(2 * role.headcount, role.headcount + 6),
                description=role_names[rid],
                continuous_update=False,
                style={"description_width": "170px"},
            )
            slider.layout.width = "420px"
            self.headcount[rid] = slider
        wip = scenario.policy.wip_limit
        self.wip_limit = w.IntSlider(
            value=wip or 0,
            min=0,
            max=max(60, 2 * (wip or 0)),
            description="WIP limit (0 = none)",
            continuous_update=False,
            style={"description_width": "170px"},
        )
        self.wip_limit.layout.width = "420px"
        self.priority = w.Dropdown(
            options=[(rule.label, name) for name, rule in PRIORITY_RULES.items()],
            value=scenario.policy.priority,
            description="Priority rule",
            style={"description_width": "170px"},
        )
        self.priority.layout.width = "420px"
        #: The multitasking levers (toggle, most projects per person, switching loss).
        self.multitasking = MultitaskingControls(
            scenario.policy.multitasking, width="420px", label_width="170px"
        )
        self.replications = w.IntSlider(
            value=replications,
            min=2,
            max=max(100, replications),
            step=1,
            description="Replications",
            continuous_update=False,
            style={"description_width": "170px"},
        )
        self.replications.layout.width = "420px"
        self.reset_button = w.Button(description="Back to baseline", icon="undo")
        self.reset_button.on_click(lambda _: self.reset())

        self.overrides_view = w.HTML()
        self.status = w.HTML()
        #: The chart (SVG in HTML), redrawn after each run.
        self.chart = w.HTML()
        self.differences = w.HTML()
        self.save_name = w.Text(placeholder="scenario name", description="Save as")
        self.save_button = w.Button(description="Save scenario YAML", icon="save")
        self.save_button.layout.width = "190px"
        self.save_button.on_click(lambda _: self.save())

        self._chart = WhatIfChart(role_names, list(scenario.objectives))
        self._role_names = role_names
        self._debouncer = Debouncer(delay, self.run)
        for control in (
            *self.headcount.values(),
            self.wip_limit,
            self.priority,
            *self.multitasking.controls,
            self.replications,
        ):
            control.observe(self._changed, "value")

        controls = w.VBox(
            [
                w.HTML("<b>Headcount by role</b>"),
                *self.headcount.values(),
                w.HTML("<b>Policy</b>"),
                self.wip_limit,
                self.priority,
                w.HTML("<b>Multitasking</b>"),
                self.multitasking.widget,
                self.replications,
                self.reset_button,
            ]
        )
        side = w.VBox(
            [
                self.overrides_view,
                w.HBox([self.save_name, self.save_button]),
                self.status,
            ]
        )
        controls.layout.flex = "0 0 auto"
        side.layout.padding = "0 0 0 16px"
        top = w.HBox([controls, side], layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox([top, self.chart, self.differences])
        self.widget.add_class("pmo-whatif")
        self._show_overrides()
        self.run()

    # -- the levers ---------------------------------------------------------------

    @property
    def overrides(self) -> dict[str, Any]:
        """The changes from the baseline in force, as ``{dotted path: value}``."""
        out: dict[str, Any] = {}
        for rid, slider in self.headcount.items():
            if slider.value != self.baseline.roles[rid].headcount:
                out[f"roles.{rid}.headcount"] = slider.value
        wip = self.wip_limit.value or None
        if wip != self.baseline.policy.wip_limit:
            out["policy.wip_limit"] = wip
        if self.priority.value != self.baseline.policy.priority:
            out["policy.priority"] = self.priority.value
        out.update(self.multitasking.overrides())
        return out

    def scenario(self) -> Scenario:
        """The baseline with the overrides in force applied (validated like a file)."""
        overrides = self.overrides
        if not overrides:
            return self.baseline
        return apply_overrides(self.baseline, overrides)

    def reset(self) -> None:
        """Move every control back to the baseline and re-run."""
        self._resetting = True
        try:
            for rid, slider in self.headcount.items():
                slider.value = self.baseline.roles[rid].headcount
            self.wip_limit.value = self.baseline.policy.wip_limit or 0
            self.priority.value = self.baseline.policy.priority
            self.multitasking.reset()
        finally:
            self._resetting = False
        self._changed(None)

    def _changed(self, _change: dict | None) -> None:
        if self._resetting:
            return
        self._show_overrides()
        self.status.value = "<span style='color:#666'>Re-running…</span>"
        self._debouncer.trigger()

    # -- running ------------------------------------------------------------------

    def _simulate(self, scenario: Scenario, overrides: dict[str, Any], n: int) -> SimulationResult:
        key = (tuple(sorted((k, repr(v)) for k, v in overrides.items())), n, self.seed)
        if key in self._results:
            self._results.move_to_end(key)
            return self._results[key]
        result = simulate(scenario, n, self.seed, workers=self.workers, detail=False)
        self._results[key] = result
        if len(self._results) > _CACHE_SIZE:
            self._results.popitem(last=False)
        return result

    def run(self) -> None:
        """Re-run the simulation with the controls' settings and redraw (what a change does)."""
        started = time.perf_counter()
        overrides = self.overrides
        n = self.replications.value
        try:
            scenario = self.scenario()
        except InputError as exc:
            problems = "; ".join(str(p) for p in exc.problems)
            self.status.value = (
                f"<span style='color:#b3261e'>Not run: {html.escape(problems)}</span>"
            )
            return
        try:
            self.baseline_result = self._simulate(self.baseline, {}, n)
            self.variant = self._simulate(scenario, overrides, n)
        except Exception as exc:
            # Shown on the page: from the event loop a traceback would only reach the log.
            self.status.value = (
                f"<span style='color:#b3261e'>Simulation failed: {html.escape(repr(exc))}</span>"
            )
            raise
        metrics = self._chart.metrics
        self.chart.value = self._chart.svg(
            _summary(self.baseline_result, metrics), _summary(self.variant, metrics)
        )
        self.differences.value = _differences_table(
            self.baseline_result, self.variant, self._role_names
        )
        self.last_seconds = time.perf_counter() - started
        self.runs += 1
        self.status.value = (
            f"<span style='color:#1b6e3a'>Updated {dt.datetime.now():%H:%M:%S}: "
            f"{n} replications of each, seed {self.seed}, in {self.last_seconds:.2f} s.</span>"
        )

    # -- saving -------------------------------------------------------------------

    def save(self) -> Path | None:
        """Write the overrides in force as a scenario YAML in ``save_dir``; returns its path.

        The file extends the baseline's file when there is one (so it reads
        like the levers in ``scenarios/``), else holds the whole scenario. It
        is read back with :func:`~pmo_sim.simulation.load_scenario` before the
        button reports success. An existing file is never overwritten.
        """
        overrides = self.overrides
        name = self.save_name.value.strip() or _default_name(overrides)
        try:
            scenario = self.scenario()
        except InputError as exc:
            self.status.value = (
                f"<span style='color:#b3261e'>Not saved: {html.escape(str(exc))}</span>"
            )
            return None
        path = _free_path(self.save_dir, slugify(name, fallback="whatif", limit=60))
        text = self._scenario_text(scenario, name, overrides, path)
        try:
            with staged(path, text) as tmp:
                saved = load_scenario(tmp.resolve())
                if saved.model_dump(exclude={"name", "description"}) != scenario.model_dump(
                    exclude={"name", "description"}
                ):
                    raise ValueError("the file does not read back as the scenario shown")
        except (OSError, InputError, ValueError) as exc:
            self.status.value = (
                f"<span style='color:#b3261e'>Not saved: {html.escape(str(exc))}</span>"
            )
            return None
        self.status.value = (
            f"<span style='color:#1b6e3a'>Saved <code>{html.escape(str(path))}</code>.</span>"
        )
        return path

    def _scenario_text(
        self, scenario: Scenario, name: str, overrides: dict[str, Any], path: Path
    ) -> str:
        lines = [
            f"# Saved from the what-if dashboard on {dt.date.today().isoformat()}.",
            f"# Baseline: {self.baseline.name or 'unnamed'}"
            + (f" ({self.source})" if self.source else ""),
            "# Overrides in force:",
            *(f"#   --set {k}={_yaml_value(v)}" for k, v in overrides.items()),
        ]
        if not overrides:
            lines.append("#   (none: this is the baseline)")
        description = (
            "Baseline with " + ", ".join(f"{k}={_yaml_value(v)}" for k, v in overrides.items())
            if overrides
            else "The baseline, unchanged."
        )
        if self.source is not None:
            data: dict[str, Any] = {
                "extends": os.path.relpath(self.source.resolve(), path.parent.resolve()),
                "name": name,
                "description": description,
            }
            for dotted, value in overrides.items():
                node = data
                *parents, leaf = dotted.split(".")
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = value
            body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        else:
            named = scenario.model_copy(update={"name": name, "description": description})
            body = dump_scenario(named)
        return "\n".join(lines) + "\n" + body

    # -- display ------------------------------------------------------------------

    def _show_overrides(self) -> None:
        overrides = self.overrides
        if not overrides:
            body = "<i>none: this is the baseline</i>"
        else:
            body = "<br>".join(
                f"<code>--set {html.escape(k)}={html.escape(_yaml_value(v))}</code>"
                for k, v in overrides.items()
            )
        self.overrides_view.value = (
            f"<b>Overrides in force</b> (against {html.escape(self.baseline.name or 'baseline')}):"
            f"<div class='pmo-overrides'>{body}</div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _people_needed(scenario: Scenario) -> dict[str, int]:
    """Per role, the most people one demand needs at once: the lowest headcount allowed."""
    needs: dict[str, int] = {}
    for ptype in scenario.project_types.values():
        for phase in ptype.phases:
            for demand in phase.demands:
                needs[demand.role] = max(needs.get(demand.role, 0), demand.people)
    return needs


def _summary(result: SimulationResult, metrics: list[str]) -> pd.DataFrame:
    """Mean and 95% interval of ``metrics``: the chart's part of ``result.summary()``."""
    table = result.metrics.reindex(columns=metrics)
    return intervals(table)


def _switching_loss(result: SimulationResult, role: str) -> pd.Series:
    """Per replication, the share of ``role``'s busy time lost to switching.

    Single-tasking (no ``policy.multitasking``) loses none by construction: 0
    wherever the role was busy at all, undefined (NaN) where it never was, as
    the simulation's own metric would be.
    """
    metrics = result.metrics.set_index("replication")
    column = f"switching_loss.{role}"
    if column in metrics:
        return metrics[column]
    busy = metrics[f"utilisation.{role}"]
    return (0.0 * busy).where(busy > 0)


def _differences_table(
    baseline: SimulationResult, variant: SimulationResult, role_names: dict[str, str]
) -> str:
    # The paired differences of pmo_sim.simulation.compare, for the key metrics only.
    a = baseline.metrics.set_index("replication")
    b = variant.metrics.set_index("replication").reindex(a.index)
    metrics = [m for m in _KEY_METRICS if m in a and m in b]
    labels = {m: describe_metric(m).label for m in metrics}
    a, b = a[metrics], b[metrics]
    spreading = any(r.scenario.policy.multitasking is not None for r in (baseline, variant))
    note = ""
    if spreading:
        # One row per role that loses time to switching in either run (a row of 0.0% on
        # both sides says nothing).
        lost = describe_metric("switching_loss")
        for role, name in role_names.items():
            metric = f"switching_loss.{role}"
            in_a = _switching_loss(baseline, role).reindex(a.index)
            in_b = _switching_loss(variant, role).reindex(a.index)
            if in_a.mean() >= _SHOWN_LOSS or in_b.mean() >= _SHOWN_LOSS:
                a, b = a.assign(**{metric: in_a}), b.assign(**{metric: in_b})
                metrics.append(metric)
                labels[metric] = f"{lost.label}: {name}"
        note = (
            f" {html.escape(lost.label.capitalize())}: {html.escape(lost.description)}; "
            "working on one demand at a time loses none; roles not listed lose less than "
            f"{format_value(_SHOWN_LOSS, 'share', spec='.2%')} in both."
        )
    means_a = intervals(a[metrics]).set_index("metric")["mean"]
    means_b = intervals(b[metrics]).set_index("metric")["mean"]
    paired = intervals(b[metrics] - a[metrics]).set_index("metric")
    rows = []
    for metric in metrics:
        info = describe_metric(metric)
        difference, low, high = paired.loc[metric, ["mean", "low", "high"]]
        rows.append(
            f"<tr><td title='{html.escape(info.description)}'>{html.escape(labels[metric])}</td>"
            f"<td style='text-align:right'>{info.show(means_a[metric])}</td>"
            f"<td style='text-align:right'>{info.show(means_b[metric])}</td>"
            f"<td style='text-align:right'>{info.show(difference, difference=True)}</td>"
            f"<td style='text-align:right'>[{info.show(low, difference=True)}, "
            f"{info.show(high, difference=True)}]</td>"
            f"<td>{_verdict_html(low, high, info.better)}</td></tr>"
        )
    return (
        f"<style>{TABLE_CSS}</style><table class='pmo-table pmo-differences'>"
        "<tr><th style='text-align:left'>Metric</th><th>Baseline</th><th>What-if</th>"
        "<th>Difference</th><th>95% interval</th><th></th></tr>" + "".join(rows) + "</table>"
        f"<small>Paired over {variant.n} replications on common random numbers.{note}</small>"
    )


#: Colours of the verdicts in the differences table.
_VERDICT_COLOURS = {"better": "#1b6e3a", "worse": "#b3261e"}


def _verdict_html(low: float, high: float, better: str) -> str:
    words = verdict(low, high, better)
    colour = _VERDICT_COLOURS.get(words, "#666")
    return f"<span style='color:{colour}'>{words}</span>"


def _yaml_value(value: Any) -> str:
    """An override's value as ``--set`` takes it (lists and mappings in YAML flow style)."""
    if value is None:
        return "none"
    if isinstance(value, dict | list):
        return yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    return str(value)


def _name_part(path: str, value: Any) -> str:
    """A few words for one override, for a saved scenario's default name."""
    if path.startswith("roles."):
        return f"{path.split('.')[-2]} {_yaml_value(value)}"
    if path == "policy.multitasking":
        return "single-tasking" if value is None else "multitasking"
    if path == "policy.multitasking.max_assignments":
        return f"up to {value} projects each" if value else "no cap on projects each"
    if path == "policy.multitasking.switching_loss":
        return f"switching loss {loss_with_two(value):.0%} with 2"
    return f"{path.split('.')[-1]} {_yaml_value(value)}"


def _default_name(overrides: dict[str, Any]) -> str:
    if not overrides:
        return "baseline copy"
    return "what-if " + ", ".join(_name_part(k, v) for k, v in overrides.items())


def _free_path(directory: Path, stem: str) -> Path:
    path = directory / f"{stem}.yaml"
    n = 2
    while path.exists():
        path = directory / f"{stem}-{n}.yaml"
        n += 1
    return path


def whatif_dashboard(
    scenario: str | Path | Scenario,
    *,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    delay: float = DEFAULT_DELAY,
    save_dir: str | Path | None = None,
) -> WhatIfDashboard:
    """The what-if dashboard on a scenario file (or a loaded scenario).

    Quick settings by default: ``replications`` (10) per run, in this
    process (``workers=1``), re-run ``delay`` seconds after the last change.
    Scenarios are saved into ``save_dir`` (default: the scenario's folder).
    """
    source = None
    if not isinstance(scenario, Scenario):
        source = Path(scenario)
        scenario = load_scenario(source)
    if save_dir is None:
        save_dir = source.parent if source is not None else Path.cwd()
    return WhatIfDashboard(
        scenario,
        source=source,
        replications=replications,
        seed=seed,
        workers=workers,
        delay=delay,
        save_dir=Path(save_dir),
    )

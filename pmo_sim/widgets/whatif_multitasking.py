"""The what-if dashboard's multitasking levers: people spread over several projects at once.

Today's model gives a demand its people only when they are free: each person
works on one thing at a time. "What if, as in most organisations, people were
put on three projects at once?" is one tick of a checkbox, which turns on
``policy.multitasking`` (:class:`pmo_sim.simulation.Multitasking`): the most
projects per person (``max_assignments``, or no cap) and the time lost to
switching with 1, 2, 3... concurrent assignments (``switching_loss``).

The loss curve is a list, but a room argues about one number: how much time a
person loses with two projects at once (Weinberg says 20%). The slider sets that
number and scales the whole curve by the same factor, so the shape is the
scenario's own (Weinberg's when the scenario has no multitasking, or when its
curve loses nothing with two projects and so cannot be scaled). No entry goes
above :data:`MAX_LOSS`. The curve in force is always written out under the
slider, and left at the scenario's value the slider gives the scenario's curve
exactly.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as w

from pmo_sim.presentation import format_value
from pmo_sim.simulation.scenario import WEINBERG_SWITCHING_LOSS, Multitasking

__all__ = ["LOSS_SLIDER_TOP", "MAX_LOSS", "MultitaskingControls", "loss_with_two", "scaled_curve"]

#: Highest share of time a scaled curve may lose with any number of projects (the
#: scenario refuses 100%: a person who loses all their time does no work at all).
MAX_LOSS = 0.95
#: Right end of the "time lost with 2 projects" slider, unless the scenario says more.
LOSS_SLIDER_TOP = 0.5
_CAP_CHOICES = range(1, 9)


def loss_with_two(curve: list[float] | tuple[float, ...]) -> float:
    """Share of time lost with two concurrent projects (the last entry holds beyond the list)."""
    return float(curve[min(1, len(curve) - 1)])


def scaled_curve(shape: list[float] | tuple[float, ...], loss_two: float) -> list[float]:
    """``shape`` scaled so that two projects lose ``loss_two``; each entry at most :data:`MAX_LOSS`.

    Weinberg's curve with 30% lost on two projects instead of 20% (a factor 1.5):

    >>> scaled_curve([0.0, 0.2, 0.4, 0.6, 0.75], 0.3)
    [0.0, 0.3, 0.6, 0.9, 0.95]
    """
    two = loss_with_two(shape)
    if two <= 0:
        raise ValueError("a curve that loses nothing with two projects cannot be scaled")
    factor = loss_two / two
    return [round(min(x * factor, MAX_LOSS), 4) for x in shape]


class MultitaskingControls:
    """The toggle, the cap on projects per person and the switching-loss slider.

    ``initial`` is the scenario's ``policy.multitasking`` (None: single-tasking);
    the controls start from it, and :meth:`overrides` gives what differs from it
    as dotted-path overrides.
    """

    def __init__(self, initial: Multitasking | None, *, width: str, label_width: str) -> None:
        self.initial = initial
        start = initial or Multitasking()
        #: The scenario's curve (or the default), and the shape the slider scales.
        self.start_curve = list(start.switching_loss)
        own = loss_with_two(self.start_curve) > 0
        self.shape = self.start_curve if own else list(WEINBERG_SWITCHING_LOSS)
        self._shape_name = (
            "Weinberg's curve"
            if self.shape == list(WEINBERG_SWITCHING_LOSS)
            else "the scenario's curve"
        )
        self.start_loss_two = loss_with_two(self.start_curve)
        style = {"description_width": label_width}

        #: Ticked: people hold several demands at once (``policy.multitasking``).
        self.enabled = w.Checkbox(
            value=initial is not None,
            description="People work on several projects at once",
            indent=False,
        )
        self.enabled.layout.width = width
        caps = sorted({*_CAP_CHOICES, *([start.max_assignments] if start.max_assignments else [])})
        #: Most projects per person; 0 is "no cap".
        self.max_assignments = w.Dropdown(
            options=[("no cap", 0), *((str(n), n) for n in caps)],
            value=start.max_assignments or 0,
            description="Most projects per person",
            style=style,
        )
        self.max_assignments.layout.width = width
        #: Share of a person's time lost with two projects at once; scales the curve.
        self.loss_two = w.FloatSlider(
            value=self.start_loss_two,
            min=0.0,
            max=max(LOSS_SLIDER_TOP, self.start_loss_two),
            step=0.01,
            readout_format=".0%",
            description="Time lost with 2 projects",
            continuous_update=False,
            style=style,
        )
        self.loss_two.layout.width = width
        #: The whole curve in force, in words.
        self.curve_view = w.HTML()
        self.curve_view.layout.margin = "0 0 6px 8px"
        for control in (self.enabled, self.max_assignments, self.loss_two):
            control.observe(self._show, "value")
        self.widget = w.VBox(
            [self.enabled, self.max_assignments, self.loss_two, self.curve_view],
        )
        self.widget.add_class("pmo-multitasking")
        self._show(None)

    @property
    def controls(self) -> tuple[w.ValueWidget, ...]:
        """The widgets whose changes re-run the simulation."""
        return (self.enabled, self.max_assignments, self.loss_two)

    def curve(self) -> list[float]:
        """The switching-loss curve the slider gives (the scenario's own at its start)."""
        if math.isclose(self.loss_two.value, self.start_loss_two, abs_tol=1e-9):
            return list(self.start_curve)
        return scaled_curve(self.shape, self.loss_two.value)

    def overrides(self) -> dict[str, Any]:
        """What differs from the scenario's ``policy.multitasking``, as ``{dotted path: value}``.

        Off where the scenario has it on: ``policy.multitasking: None``. On where it
        has none: the whole setting. Otherwise only the fields changed.
        """
        base = self.initial
        if not self.enabled.value:
            return {} if base is None else {"policy.multitasking": None}
        cap = self.max_assignments.value or None
        curve = self.curve()
        if base is None:
            return {"policy.multitasking": {"max_assignments": cap, "switching_loss": curve}}
        out: dict[str, Any] = {}
        if cap != base.max_assignments:
            out["policy.multitasking.max_assignments"] = cap
        if curve != list(base.switching_loss):
            out["policy.multitasking.switching_loss"] = curve
        return out

    def reset(self) -> None:
        """Back to the scenario's setting."""
        start = self.initial or Multitasking()
        self.enabled.value = self.initial is not None
        self.max_assignments.value = start.max_assignments or 0
        self.loss_two.value = self.start_loss_two

    def _show(self, _change: dict | None) -> None:
        on = bool(self.enabled.value)
        self.max_assignments.disabled = not on
        self.loss_two.disabled = not on
        if not on:
            self.curve_view.value = (
                "<small style='color:#666'>Off: each person works on one demand at a time, "
                "so no time is lost to switching.</small>"
            )
            return
        curve = self.curve()
        counts = ", ".join(str(n) for n in range(1, len(curve) + 1))
        shares = ", ".join(format_value(x, "share") for x in curve)
        if self.curve() == self.start_curve:
            source = "the scenario's curve" if self.initial is not None else "Weinberg's curve"
        else:
            factor = self.loss_two.value / loss_with_two(self.shape)
            source = f"{self._shape_name} x {factor:.2f}"
            if any(x >= MAX_LOSS for x in curve):
                source += f", at most {format_value(MAX_LOSS, 'share')}"
        self.curve_view.value = (
            f"<small style='color:#444'>Time lost with {counts} "
            f"project{'s' if len(curve) > 1 else ''}: "
            f"{html.escape(shares)} ({html.escape(source)}; the last holds beyond).</small>"
        )

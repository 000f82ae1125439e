"""Intervals across replications (the 95% Student-t interval): see :mod:`pmo_sim.presentation`.

Kept so that ``pmo_sim.simulation.stats`` imports keep working; the code lives
in :mod:`pmo_sim.presentation.intervals`, where tables and charts share it.
"""

from pmo_sim.presentation.intervals import mean_interval, t_quantile

__all__ = ["mean_interval", "t_quantile"]

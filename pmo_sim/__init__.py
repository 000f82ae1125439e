"""pmo-sim: assessment and simulation kit for PMO consultants.

Three parts, one package each: :mod:`pmo_sim.assessment` scores maturity
workshops on tiers 1-4, :mod:`pmo_sim.simulation` runs capacity scenarios as
a discrete-event simulation, :mod:`pmo_sim.reporting` turns results into
client reports. Bad input raises :class:`InputError`. Every command, notebook
and report defaults to the same seed, :data:`DEFAULT_SEED`.
"""

from pmo_sim._version import __version__
from pmo_sim.errors import InputError, Problem
from pmo_sim.seeds import DEFAULT_SEED

__all__ = ["DEFAULT_SEED", "InputError", "Problem", "__version__"]

"""The kit's default seed, defined once.

Every random number in pmo-sim (bootstrap resamples, simulated arrivals and
efforts) comes from a seed. Whichever way a file is run, ``pmo-sim assess``
or ``simulate``, a report notebook, a batch manifest or the workshop
dashboard, the seed defaults to :data:`DEFAULT_SEED`, so the terminal and the
HTML report of the same file show the same intervals.

>>> DEFAULT_SEED
1
"""

from __future__ import annotations

__all__ = ["DEFAULT_SEED"]

#: The seed used when none is given.
DEFAULT_SEED: int = 1

"""Random streams: one per replication, per source of randomness, per project type.

Replication ``i`` of seed ``s`` uses ``SeedSequence(s).spawn(n)[i]`` (built
directly as ``SeedSequence(s, spawn_key=(i,))``, which is the same thing), so
a replication's numbers do not depend on how many replications run or which
worker runs them. Inside it, arrivals, efforts and values each have their
own stream per project type (and per pipeline project), keyed by a stable
hash of the id rather than by position: a variant that changes the WIP
limit, adds a role or even adds a project type sees exactly the same
arrivals, efforts and benefits for every other type (common random numbers).
"""

from __future__ import annotations

from zlib import crc32

import numpy as np

__all__ = ["ARRIVALS", "EFFORT", "ESTIMATE", "VALUE", "replication_seed", "stream"]

ARRIVALS = 0
EFFORT = 1
VALUE = 2
#: The PMO's estimate errors (planned against mean effort), under ``policy.estimates``.
ESTIMATE = 3


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one replication: child ``replication`` of ``SeedSequence(seed)``."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))


def stream(parent: np.random.SeedSequence, source: int, *names: str) -> np.random.Generator:
    """An independent generator for ``source`` (ARRIVALS, EFFORT, ...) and ids ``names``."""
    key = (*parent.spawn_key, source, *(crc32(n.encode("utf-8")) for n in names))
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(parent.entropy, spawn_key=key))
    )

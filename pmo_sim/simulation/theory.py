"""Queueing theory the model is checked against: Erlang C for the M/M/c queue.

With Poisson arrivals at rate ``lam``, ``c`` servers and exponential service
at rate ``mu`` per server, the probability that an arrival waits is Erlang's
C formula, and the mean wait in queue is ``Wq = C / (c mu - lam)``. The
scenario ``scenarios/validation/mmc.yaml`` is this queue in the model's terms
(one role of ``c`` people with availability 1, one demand of one person with
exponential effort of mean ``1 / mu``).

Under multitasking with no switching loss and no cap, one person shares
their time equally between everything in progress: a processor-sharing
queue. For M/M/1-PS the mean time in system is ``1 / (mu - lam)``; for
M/G/1-PS a job of size ``x`` takes ``x / (1 - rho)`` on average, whatever the
distribution of sizes.
"""

from __future__ import annotations

__all__ = ["erlang_c", "mmc_utilisation", "mmc_wait", "ps_sojourn", "ps_sojourn_of_size"]


def _check(lam: float, mu: float, c: int) -> float:
    if lam <= 0 or mu <= 0 or c < 1:
        raise ValueError("need lam > 0, mu > 0 and c >= 1")
    rho = lam / (c * mu)
    if rho >= 1:
        raise ValueError(f"unstable queue: utilisation lam / (c mu) = {rho:g} >= 1")
    return rho


def erlang_c(lam: float, mu: float, c: int) -> float:
    """Probability that an arrival has to wait in an M/M/c queue."""
    rho = _check(lam, mu, c)
    a = lam / mu
    term = 1.0  # a^k / k!, built up term by term to avoid overflowing factorials
    total = 0.0
    for k in range(c):
        total += term
        term *= a / (k + 1)
    waiting = term / (1 - rho)  # a^c / c! / (1 - rho)
    return waiting / (total + waiting)


def mmc_wait(lam: float, mu: float, c: int) -> float:
    """Mean time in queue ``Wq`` of an M/M/c queue."""
    return erlang_c(lam, mu, c) / (c * mu - lam)


def mmc_utilisation(lam: float, mu: float, c: int) -> float:
    """Share of server time busy: ``lam / (c mu)``."""
    return _check(lam, mu, c)


def ps_sojourn(lam: float, mu: float) -> float:
    """Mean time in system of an M/M/1 processor-sharing queue: ``1 / (mu - lam)``."""
    _check(lam, mu, 1)
    return 1 / (mu - lam)


def ps_sojourn_of_size(x: float, rho: float) -> float:
    """Mean time in system of a job of size ``x`` in an M/G/1-PS queue: ``x / (1 - rho)``."""
    if not 0 <= rho < 1:
        raise ValueError(f"unstable queue: utilisation {rho:g} must lie in [0, 1)")
    return x / (1 - rho)

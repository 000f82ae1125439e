"""Uncertain quantities: effort in person-weeks, benefit per week.

A consultant rarely knows that a feature takes 8 person-weeks; they know it
takes "about 8, at least 5, at worst 14". Each distribution here is a small
frozen dataclass with its parameters, a ``mean`` (the *planned* figure a PMO
uses at intake) and a vectorised ``sample``. They are registered by name in
:data:`DISTRIBUTIONS`, which is what a scenario's ``dist:`` key looks up, so a
new distribution is one class and one decorator.

Every distribution here is non-negative: efforts and benefits cannot be
below zero, and a parameter that would allow it is rejected when read.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np

if TYPE_CHECKING:
    pass

__all__ = [
    "DISTRIBUTIONS",
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Pert",
    "Sampler",
    "Triangular",
    "TruncatedNormal",
    "Uniform",
    "distribution_to_dict",
    "parse_distribution",
]


class Distribution:
    """Base of the registered distributions (frozen dataclasses)."""

    name: ClassVar[str]
    #: Parameters that take a list of numbers rather than one number.
    list_params: ClassVar[frozenset[str]] = frozenset()

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def problems(self) -> list[str]:
        """What is wrong with the parameters (empty when they are valid)."""
        return []


DISTRIBUTIONS: dict[str, type[Distribution]] = {}
D = TypeVar("D", bound="Distribution")


def _register(cls: type[D]) -> type[D]:
    DISTRIBUTIONS[cls.name] = cls
    return cls


def _nonneg(**values: float) -> list[str]:
    return [f"{k} must be >= 0 (got {v:g})" for k, v in values.items() if v < 0]


@_register
@dataclass(frozen=True)
class Fixed(Distribution):
    """Always ``value``: a known effort, a contracted benefit."""

    name: ClassVar[str] = "fixed"
    value: float

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, _rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, float(self.value))

    def problems(self) -> list[str]:
        return _nonneg(value=self.value)


@_register
@dataclass(frozen=True)
class Uniform(Distribution):
    """Anything between ``min`` and ``max`` equally likely."""

    name: ClassVar[str] = "uniform"
    min: float
    max: float

    @property
    def mean(self) -> float:
        return (self.min + self.max) / 2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.min, self.max, size)

    def problems(self) -> list[str]:
        out = _nonneg(min=self.min)
        if self.max < self.min:
            out.append(f"max must be >= min (got min {self.min:g}, max {self.max:g})")
        return out


@dataclass(frozen=True)
class _ThreePoint(Distribution):
    """A three-point estimate: ``min``, most likely ``mode``, ``max``."""

    min: float
    mode: float
    max: float

    def problems(self) -> list[str]:
        out = _nonneg(min=self.min)
        if not self.min <= self.mode <= self.max:
            out.append(f"needs min <= mode <= max (got {self.min:g}, {self.mode:g}, {self.max:g})")
        return out


@_register
@dataclass(frozen=True)
class Triangular(_ThreePoint):
    """Three-point estimate with a triangular shape."""

    name: ClassVar[str] = "triangular"

    @property
    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.max == self.min:
            return np.full(size, float(self.min))
        return rng.triangular(self.min, self.mode, self.max, size)


@_register
@dataclass(frozen=True)
class Pert(_ThreePoint):
    """Three-point estimate with PERT's beta shape (less weight in the tails)."""

    name: ClassVar[str] = "pert"

    @property
    def mean(self) -> float:
        return (self.min + 4 * self.mode + self.max) / 6

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        span = self.max - self.min
        if span == 0:
            return np.full(size, float(self.min))
        a = 1 + 4 * (self.mode - self.min) / span
        b = 1 + 4 * (self.max - self.mode) / span
        return self.min + span * rng.beta(a, b, size)


@dataclass(frozen=True)
class _MeanSd(Distribution):
    """A family given by its own ``mean`` (> 0) and standard deviation ``sd`` (>= 0)."""

    mean_: float
    sd: float

    @property
    def mean(self) -> float:
        return self.mean_

    def problems(self) -> list[str]:
        out = []
        if self.mean_ <= 0:
            out.append(f"mean must be > 0 (got {self.mean_:g})")
        if self.sd < 0:
            out.append(f"sd must be >= 0 (got {self.sd:g})")
        return out


@_register
@dataclass(frozen=True)
class TruncatedNormal(_MeanSd):
    """Normal with ``mean`` and ``sd`` before truncation at 0 (negative draws redrawn)."""

    name: ClassVar[str] = "normal"

    @property
    def mean(self) -> float:
        if self.sd == 0:
            return self.mean_
        # Mean of a normal conditioned on being >= 0.
        alpha = -self.mean_ / self.sd
        pdf = math.exp(-alpha * alpha / 2) / math.sqrt(2 * math.pi)
        tail = 0.5 * math.erfc(alpha / math.sqrt(2))
        return self.mean_ + self.sd * pdf / tail

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        out = rng.normal(self.mean_, self.sd, size)
        bad = out < 0
        while bad.any():
            out[bad] = rng.normal(self.mean_, self.sd, int(bad.sum()))
            bad = out < 0
        return out


@_register
@dataclass(frozen=True)
class LogNormal(_MeanSd):
    """Right-skewed, given by its own ``mean`` and ``sd`` (not the log's)."""

    name: ClassVar[str] = "lognormal"

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        return rng.lognormal(math.log(self.mean_) - sigma2 / 2, math.sqrt(sigma2), size)


@_register
@dataclass(frozen=True)
class Exponential(Distribution):
    """Memoryless, by its ``mean``: the M in M/M/c."""

    name: ClassVar[str] = "exponential"
    mean_: float

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean_, size)

    def problems(self) -> list[str]:
        return [] if self.mean_ > 0 else [f"mean must be > 0 (got {self.mean_:g})"]


@_register
@dataclass(frozen=True)
class Gamma(_MeanSd):
    """Right-skewed with a lighter tail than the lognormal, given by its ``mean`` and ``sd``."""

    name: ClassVar[str] = "gamma"

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.sd == 0:
            return np.full(size, float(self.mean_))
        shape = (self.mean_ / self.sd) ** 2
        return rng.gamma(shape, self.sd**2 / self.mean_, size)


@_register
@dataclass(frozen=True)
class Empirical(Distribution):
    """Resampling of observed ``values`` (each equally likely): history when no family fits."""

    name: ClassVar[str] = "empirical"
    list_params: ClassVar[frozenset[str]] = frozenset({"values"})
    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), size)

    def problems(self) -> list[str]:
        bad = [v for v in self.values if v < 0]
        return [f"values must be >= 0 (got {bad[0]:g})"] if bad else []


def _param_names(cls: type[Distribution]) -> list[str]:
    # ``mean_`` is spelt ``mean`` in files: the property ``mean`` is the planned value.
    return [f.name.rstrip("_") for f in fields(cls)]  # type: ignore[arg-type]


# Complexity: one message per way a distribution mapping can be wrong.
def parse_distribution(value: Any) -> Distribution:  # noqa: C901
    """A distribution from a number (fixed) or a mapping ``{dist: NAME, ...params}``.

    Raises ValueError listing every problem with the parameters.
    """
    if isinstance(value, Distribution):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a number or a distribution, not a boolean")
    if isinstance(value, int | float):
        value = {"dist": "fixed", "value": value}
    if not isinstance(value, dict):
        raise ValueError(
            "expected a number or a mapping such as {dist: triangular, min: 4, mode: 6, max: 10}"
        )
    name = value.get("dist")
    known = ", ".join(DISTRIBUTIONS)
    if name is None:
        raise ValueError(f"missing 'dist' (one of: {known})")
    cls = DISTRIBUTIONS.get(str(name))
    if cls is None:
        raise ValueError(f"unknown distribution {name!r}; choose from {known}")
    names = _param_names(cls)
    problems = []
    missing = [n for n in names if n not in value]
    if missing:
        problems.append(f"{name} needs {', '.join(names)}; missing {', '.join(missing)}")
    extra = sorted(set(value) - {"dist", *names})
    if extra:
        problems.append(f"{name} takes {', '.join(names)}; unexpected {', '.join(extra)}")
    params: dict[str, float | tuple[float, ...]] = {}
    for field_name, key in zip((f.name for f in fields(cls)), names, strict=True):  # type: ignore[arg-type]
        if key not in value:
            continue
        raw = value[key]
        if key in cls.list_params:
            numbers = raw if isinstance(raw, list | tuple) else [raw]
            if not numbers or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in numbers
            ):
                problems.append(f"{key} must be a non-empty list of finite numbers")
            else:
                params[field_name] = tuple(float(v) for v in numbers)
        elif isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            problems.append(f"{key} must be a finite number (got {raw!r})")
        else:
            params[field_name] = float(raw)
    if problems:
        raise ValueError("; ".join(problems))
    dist = cls(**params)
    problems = dist.problems()
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems))
    return dist


def distribution_to_dict(dist: Distribution) -> dict[str, Any] | float:
    """The file form: a bare number for ``fixed``, else ``{dist: NAME, ...}``."""
    if isinstance(dist, Fixed):
        return dist.value
    params = {
        k.rstrip("_"): list(v) if isinstance(v, tuple) else v
        for k, v in asdict(dist).items()  # type: ignore[call-overload]
    }
    return {"dist": dist.name, **params}


class Sampler:
    """Draws from one distribution in growing blocks: cheap per draw, same sequence always.

    The sequence depends only on the generator's seed, never on how the draws
    are spread over time, so the k-th project of a type gets the same effort in
    every scenario variant (common random numbers).
    """

    __slots__ = ("_block", "_buffer", "_dist", "_pos", "_rng")

    def __init__(self, dist: Distribution, rng: np.random.Generator, block: int = 16) -> None:
        self._dist = dist
        self._rng = rng
        self._block = block
        self._buffer: list[float] = []
        self._pos = 0

    def __call__(self) -> float:
        if self._pos == len(self._buffer):
            self._buffer = self._dist.sample(self._rng, self._block).tolist()
            self._pos = 0
            self._block = min(self._block * 2, 8192)
        value = self._buffer[self._pos]
        self._pos += 1
        return value

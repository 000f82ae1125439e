"""Plain JSON from results: NaN as null, floats rounded, numpy and paths as Python values.

Every results file the kit writes (assessment, simulation, business case)
goes through :func:`json_clean`, so the same number is written the same way
everywhere and ``json.dumps`` never meets a ``NaN`` or a ``numpy.int64``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

__all__ = ["JSON_DECIMALS", "json_clean"]

#: Decimals floats keep in results files.
JSON_DECIMALS = 6


def json_clean(value: Any, decimals: int = JSON_DECIMALS) -> Any:
    """``value`` with every float rounded and NaN/infinity as None, recursively.

    >>> json_clean({"a": float("nan"), "b": [1.23456789, 2], "c": (True, None)})
    {'a': None, 'b': [1.234568, 2], 'c': [True, None]}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): json_clean(v, decimals) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_clean(v, decimals) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item") and callable(value.item):  # a numpy scalar
        return json_clean(value.item(), decimals)
    if isinstance(value, float):
        return round(value, decimals) if math.isfinite(value) else None
    return value

"""Sweep grids: ``PATH=V1,V2,...`` specifications, their Cartesian product, dotted-path edits."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from corridor.errors import ScenarioError

__all__ = ["GridAxis", "Point", "expand_grid", "parse_grid", "set_path"]

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GridAxis:
    """One axis of a sweep: a dotted path into the scenario and the values it takes."""

    path: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    """One point of the grid: its index and the value of each axis (in axis order)."""

    index: int
    values: tuple[tuple[str, Scalar], ...]

    def as_dict(self) -> dict[str, Scalar]:
        """``{path: value}``."""
        return dict(self.values)

    @property
    def label(self) -> str:
        """``path=value, ...`` for messages and charts."""
        return ", ".join(f"{p}={v}" for p, v in self.values)


def _scalar(text: str, spec: str) -> Scalar:
    if text[:1] in "[{" or text[-1:] in "]}":
        raise ScenarioError(f"--grid '{spec}': value '{text}' must be a single number or word")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        value = text
    if isinstance(value, list | dict):
        raise ScenarioError(f"--grid '{spec}': value '{text}' must be a single number or word")
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def parse_grid(specs: Iterable[str]) -> list[GridAxis]:
    """Parse ``PATH=V1,V2,...`` specifications.

    Values are read as YAML scalars: ``1`` is an int, ``1.5`` a float, ``true`` a bool, other
    words strings.

    Raises
    ------
    ScenarioError
        For a malformed specification or a path given twice.

    Examples
    --------
    >>> parse_grid(["demand.scale=1,2", "changes.services.ferry.vessels=4"])[0]
    GridAxis(path='demand.scale', values=(1, 2))
    """
    axes: list[GridAxis] = []
    for spec in specs:
        path, sep, rest = spec.partition("=")
        path = path.strip()
        if not sep or not path or not rest.strip():
            raise ScenarioError(f"--grid '{spec}': expected PATH=V1,V2,... e.g. demand.scale=1,2")
        if any(not part for part in path.split(".")):
            raise ScenarioError(f"--grid '{spec}': '{path}' is not a dotted path like demand.scale")
        if any(a.path == path for a in axes):
            raise ScenarioError(f"--grid '{spec}': the path '{path}' is given twice")
        values = tuple(_scalar(v.strip(), spec) for v in rest.split(","))
        if len(set(map(repr, values))) != len(values):
            raise ScenarioError(f"--grid '{spec}': a value is repeated")
        axes.append(GridAxis(path=path, values=values))
    return axes


def expand_grid(axes: Sequence[GridAxis]) -> list[Point]:
    """The Cartesian product of the axes, first axis slowest (one point if there are none)."""
    combos = itertools.product(*(a.values for a in axes))
    return [
        Point(index=i, values=tuple((a.path, v) for a, v in zip(axes, combo, strict=True)))
        for i, combo in enumerate(combos)
    ]


def set_path(doc: Mapping[str, Any], path: str, value: Scalar) -> dict[str, Any]:
    """A copy of ``doc`` with the value at the dotted ``path`` replaced (or created).

    Integers index lists (``demand.flows.0.teu_year``); missing mappings along the way are
    created, so ``changes.services.X.vessels`` works on a scenario without ``changes``.

    Raises
    ------
    ScenarioError
        When the path runs through a value that is not a mapping or a list, or a list index is
        out of range.
    """
    out = copy.deepcopy(dict(doc))
    parts = path.split(".")
    node: Any = out
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError(
                    f"grid path '{path}': '{where}' needs an index below {len(node)}"
                )
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
            continue
        if not isinstance(node, dict):
            raise ScenarioError(f"grid path '{path}': '{'.'.join(parts[:i])}' is not a mapping")
        if last:
            node[part] = value
        else:
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
    return out

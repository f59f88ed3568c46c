"""The exception tree of Corridor.

All errors raised on purpose derive from :class:`CorridorError`::

    CorridorError
    ├── ModelError (ValueError)       an impossible value in the domain model
    ├── DataError (ValueError)        a malformed data file: names file, row, field, what is valid
    ├── NodeNotFoundError (LookupError)  unknown or ambiguous place name, with candidates
    ├── NoRouteError                  no feasible route under the given constraints
    ├── ScenarioError (ValueError)    an invalid scenario file or impossible scenario
    ├── SimulationError               the capacity simulation could not run
    └── MissingExtraError (ImportError)  a feature needs an optional extra that is not installed

They are translated into exit codes (CLI) and HTTP statuses (API) only in the service layer.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = [
    "CorridorError",
    "DataError",
    "MissingExtraError",
    "ModelError",
    "NoRouteError",
    "NodeNotFoundError",
    "ScenarioError",
    "SimulationError",
    "require_extra",
]


class CorridorError(Exception):
    """Base class of every error Corridor raises on purpose."""


class ModelError(CorridorError, ValueError):
    """An impossible value in the domain model (negative distance, unknown mode...)."""


class DataError(CorridorError, ValueError):
    """A data file is malformed.

    Parameters
    ----------
    message
        What is wrong and what would be valid.
    file, row, field
        Where: the file name, the 1-based data row (header is row 1) and the column or key.
    also
        Further problems of the same file, when a reader reports every bad row at once.
    """

    @property
    def problems(self) -> tuple[DataError, ...]:
        """This problem and the others found with it."""
        return (self, *self.also)

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        also: Sequence[DataError] = (),
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.reason = message
        self.also = tuple(also)
        """Further problems found in the same file (each names its row and field)."""
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else None,
                f"field '{field}'" if field is not None else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class NodeNotFoundError(CorridorError, LookupError):
    """A place name matches no node, or several.

    Parameters
    ----------
    query
        The name as the user typed it.
    candidates
        Closest node names, best first.
    ambiguous
        True when the name matched several nodes equally well.
    what
        What was looked up, for the message ("place", or "country or place" for ``--avoid``).
    """

    def __init__(
        self,
        query: str,
        candidates: Sequence[str],
        *,
        ambiguous: bool = False,
        what: str = "place",
    ) -> None:
        self.query = query
        self.candidates = list(candidates)
        self.ambiguous = ambiguous
        self._what = what
        if ambiguous:
            msg = f"'{query}' is ambiguous: it could be {', '.join(self.candidates)}"
        elif self.candidates:
            msg = f"unknown {what} '{query}'; did you mean {' or '.join(self.candidates[:3])}?"
        elif what == "place":
            msg = f"unknown place '{query}'; try `corridor nodes --search` to list places"
        else:
            msg = (
                f"unknown {what} '{query}'; give a country code (RU, RUS), an English country "
                "name (Russia) or a place (`corridor nodes --search` lists them)"
            )
        super().__init__(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its fields (it crosses from a compute worker to the server)."""
        return (
            _node_not_found,
            (self.query, tuple(self.candidates), self.ambiguous, self._what),
        )

    def __str__(self) -> str:
        return str(self.args[0])


class NoRouteError(CorridorError):
    """No route satisfies the request (constraints, year, avoided countries)."""


class ScenarioError(CorridorError, ValueError):
    """A scenario is invalid: unknown key or node, negative capacity, impossible change."""


class SimulationError(CorridorError):
    """The capacity simulation could not be run."""


def _node_not_found(
    query: str, candidates: Sequence[str], ambiguous: bool, what: str
) -> NodeNotFoundError:
    return NodeNotFoundError(query, candidates, ambiguous=ambiguous, what=what)


class MissingExtraError(CorridorError, ImportError):
    """A feature needs an optional part of Corridor (an extra) that is not installed.

    Examples
    --------
    >>> print(MissingExtraError("simulate", "numba", "the capacity simulation"))
    the capacity simulation needs the 'simulate' extra (numba is not installed): pip install 'corridor[simulate]'
    """  # noqa: E501

    def __init__(self, extra: str, module: str, what: str) -> None:
        super().__init__(
            f"{what} needs the '{extra}' extra ({module} is not installed): "
            f"pip install 'corridor[{extra}]'"
        )
        self.extra = extra
        self.module = module
        self.what = what

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.extra, self.module, self.what)


def require_extra(module: str, extra: str, what: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` naming the extra that installs it.

    Examples
    --------
    >>> require_extra("json", "base", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise MissingExtraError(extra, module.partition(".")[0], what) from exc

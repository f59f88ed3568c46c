"""How much routing one request may ask for: the same bounds for the API and the command line.

Measured on the bundled network: 10 alternatives through one via place took 4 s of routing, 5
through four 6 s, a Pareto front through two via places 20 s (through one, 4 s); 20 alternatives
through three via places ran past 45 s. Past these bounds a request is refused before any work.
"""

from __future__ import annotations

__all__ = ["MAX_ALTERNATIVES", "PARETO_MAX_VIA", "ROUTE_WORK", "route_cost_problem"]

ROUTE_WORK = 12
"""Most ``alternatives × (1 + via places)`` in one request (about 1.5 s of routing at worst)."""
PARETO_MAX_VIA = 1
"""Most via places a Pareto front may pass."""
MAX_ALTERNATIVES = 10
"""Most alternative routes in one request."""


def route_cost_problem(*, via: int, alternatives: int, pareto: bool) -> str | None:
    """Why a routing request is too costly to run, or None.

    Examples
    --------
    >>> route_cost_problem(via=3, alternatives=20, pareto=False)
    'alternatives must be at most 10'
    >>> route_cost_problem(via=1, alternatives=6, pareto=False) is None
    True
    >>> route_cost_problem(via=2, alternatives=1, pareto=True)
    'a Pareto front may pass at most 1 via place (got 2)'
    """
    if alternatives > MAX_ALTERNATIVES:
        return f"alternatives must be at most {MAX_ALTERNATIVES}"
    if pareto and via > PARETO_MAX_VIA:
        return f"a Pareto front may pass at most {PARETO_MAX_VIA} via place (got {via})"
    if not pareto and alternatives * (1 + via) > ROUTE_WORK:
        return (
            f"alternatives × (1 + via places) must be at most {ROUTE_WORK} "
            f"(got {alternatives} × {1 + via}); ask for fewer alternatives or via places"
        )
    return None

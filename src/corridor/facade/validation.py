"""The model against observed journeys (``corridor validate``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import DataError, NodeNotFoundError
from corridor.network import Network, load_network

if TYPE_CHECKING:
    from corridor.transit import Validation

__all__ = ["validate"]


def validate(
    observed: str | Path,
    *,
    samples: int = 2000,
    seed: int = 1,
    network: Network | None = None,
    text: str | None = None,
) -> Validation:
    """The model's P10/P50/P90 against observed journeys (``corridor validate``).

    Parameters
    ----------
    observed
        A CSV file of observed journeys (see :mod:`corridor.io.observed` for the columns), or,
        with ``text``, the name to give the CSV in messages.
    samples, seed
        Monte-Carlo journeys per corridor and row, and the seed.
    network
        The network (bundled by default).
    text
        The CSV itself (as the API receives it) instead of reading ``observed``.

    Raises
    ------
    DataError
        A missing file, missing columns or bad rows, each naming its file, row and field (all
        bad rows in ``problems``).

    Examples
    --------
    >>> csv_text = "origin,destination,depart,days,service\\nXi'an,Baku,2025-05-01,9-12,express\\n"
    >>> v = validate("mine.csv", text=csv_text, samples=500)
    >>> v.checks[0].journey.service.value
    'express'
    """
    from corridor.io import parse_observed_rows, raise_problems, read_observed_text  # noqa: PLC0415
    from corridor.transit import validate_journeys  # noqa: PLC0415

    net = network or load_network()
    name = Path(str(observed)).name
    if text is None:
        text = read_observed_text(observed)
    journeys, problems = parse_observed_rows(text, file=name)
    if problems:
        # report the unknown places of the well-formed rows with the malformed rows
        names = [
            DataError(str(exc), file=name, row=j.row, field=field)
            for j in journeys
            for field, place in (("origin", j.origin), ("destination", j.destination))
            if (exc := _unknown(net, place)) is not None
        ]
        raise_problems([*problems, *names])
    if not journeys:
        raise DataError("no journeys (only a header)", file=name, row=2)
    return validate_journeys(net, journeys, samples=samples, seed=seed, file=name)


def _unknown(net: Network, place: str) -> NodeNotFoundError | None:
    try:
        net.node(place)
    except NodeNotFoundError as exc:
        return exc
    return None

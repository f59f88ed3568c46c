"""Observed journeys: what an operator saw, to check the model against (``corridor validate``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from corridor.errors import ModelError
from corridor.model.enums import Corridor, ServiceClass

__all__ = ["ObservedJourney"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ObservedJourney:
    """One observed door-to-door journey (a row of an observations file).

    Parameters
    ----------
    row
        Row of the file it was read from (the header is row 1), for messages.
    origin, destination
        Place names as written (id, name, alias or UN/LOCODE).
    depart
        Departure date.
    days_min, days_max
        Observed door-to-door days: equal for one figure, a range otherwise.
    service
        Service class the journey travelled in.
    corridor
        The corridor it took, if known (``None``: compare with the model's fastest option).
    label, source
        Free text: a name for the journey and where the figure comes from.

    Examples
    --------
    >>> j = ObservedJourney(row=2, origin="Xi'an", destination="Duisburg",
    ...                     depart=date(2024, 1, 15), days_min=13, days_max=14)
    >>> j.days
    13.5
    """

    row: int
    origin: str
    destination: str
    depart: date
    days_min: float
    days_max: float
    service: ServiceClass = ServiceClass.STANDARD
    corridor: Corridor | None = None
    label: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.days_min <= self.days_max:
            raise ModelError(
                f"observed days must satisfy 0 < min <= max, got {self.days_min}-{self.days_max}"
            )

    @property
    def days(self) -> float:
        """The observation as one figure: the middle of the range, days."""
        return (self.days_min + self.days_max) / 2.0

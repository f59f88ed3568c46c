"""The local time zone of a place, from its coordinates (IANA zone boundaries).

Times in the model are UTC; a shipper reads an arrival in the destination's clock. The zone is
looked up from the node's latitude and longitude in the time zone boundaries shipped with
``tzfpy`` (derived from OpenStreetMap), so a new node needs no extra column.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from corridor.model import Node

__all__ = ["local_iso", "zone_name"]


@lru_cache(maxsize=4096)
def _zone_at(lat: float, lon: float) -> str | None:
    from tzfpy import get_tz  # noqa: PLC0415  (start-up: the boundaries load on first use)

    name = get_tz(lon, lat)
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def zone_name(node: Node) -> str | None:
    """The IANA zone of ``node`` (``None`` at sea or where no zone is known).

    Examples
    --------
    >>> from corridor import load_network
    >>> zone_name(load_network().node("Istanbul"))
    'Europe/Istanbul'
    """
    return _zone_at(node.lat, node.lon)


def local_iso(when: datetime, zone: str) -> str:
    """A naive UTC date-time as local time in ``zone``, to the minute, with its offset.

    Examples
    --------
    >>> local_iso(datetime(2025, 1, 28, 10, 0), "Europe/Istanbul")
    '2025-01-28T13:00+03:00'
    """
    return when.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")

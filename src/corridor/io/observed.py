"""Read observed journeys (``corridor validate``) from CSV.

Columns (header row required, any order; extra columns are ignored):

| column | meaning |
|---|---|
| ``origin``, ``destination`` | place names (id, name, alias or UN/LOCODE) |
| ``depart`` | departure date ``YYYY-MM-DD`` |
| ``days`` | observed door-to-door days, one figure or a range ``13-16`` |
| ``days_min``, ``days_max`` | the range in two columns (instead of ``days``) |
| ``service`` | ``standard`` or ``express`` (empty: standard) |
| ``corridor`` | a corridor label (``middle``, ``north-south``, ``direct``...; empty: any) |
| ``label``, ``source`` | free text |

Every row is checked; all bad rows are reported at once (:attr:`DataError.problems`), each
naming the file, the row (the header is row 1) and the field.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from corridor.errors import DataError, ModelError
from corridor.io.files import UnreadableFileError, read_text_bounded
from corridor.model import Corridor, ObservedJourney, ServiceClass

__all__ = [
    "MAX_OBSERVED_ROWS",
    "parse_observed",
    "parse_observed_rows",
    "raise_problems",
    "read_observed",
    "read_observed_text",
]

MAX_OBSERVED_ROWS = 2000
"""Most journeys one file may hold (each is a Monte-Carlo comparison)."""
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_OBSERVED_BYTES = 4 * 2**20
"""Largest observations file: 2,000 journeys of a few hundred bytes each, with room to spare."""
MAX_CELL_CHARS = 1000
"""Longest cell of an observations file (a label or a source reference)."""

_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*$")


def _days(raw: dict[str, str], file: str, row: int) -> tuple[float, float]:
    text = (raw.get("days") or "").strip()
    lo_text = (raw.get("days_min") or "").strip()
    hi_text = (raw.get("days_max") or "").strip()
    if text:
        m = _RANGE.match(text)
        if m is None:
            raise DataError(
                f"'{text}' is not a number of days or a range like 13-16",
                file=file,
                row=row,
                field="days",
            )
        lo = float(m.group(1))
        hi = float(m.group(2)) if m.group(2) else lo
        field = "days"
    elif lo_text or hi_text:
        field = "days_min" if lo_text else "days_max"
        try:
            lo = float(lo_text or hi_text)
            hi = float(hi_text or lo_text)
        except ValueError:
            raise DataError(
                "days_min and days_max must be numbers", file=file, row=row, field=field
            ) from None
    else:
        raise DataError(
            "no observed days (give days, or days_min and days_max)",
            file=file,
            row=row,
            field="days",
        )
    if not 0 < lo <= hi or hi > 365:
        raise DataError(
            f"observed days must be > 0, at most 365, and min <= max (got {lo:g}-{hi:g})",
            file=file,
            row=row,
            field=field,
        )
    return lo, hi


def _journey(raw: dict[str, str], file: str, row: int) -> ObservedJourney:
    for name in ("origin", "destination"):
        if not (raw.get(name) or "").strip():
            raise DataError("empty", file=file, row=row, field=name)
    text = (raw.get("depart") or "").strip()
    try:
        depart = date.fromisoformat(text)
    except ValueError:
        raise DataError(
            f"'{text}' is not a date YYYY-MM-DD", file=file, row=row, field="depart"
        ) from None
    if not EARLIEST <= depart <= LATEST:
        raise DataError(
            f"{depart} is outside {EARLIEST} to {LATEST} (the years the model has values for)",
            file=file,
            row=row,
            field="depart",
        )
    lo, hi = _days(raw, file, row)
    service_text = (raw.get("service") or "").strip() or "standard"
    try:
        service = ServiceClass.parse(service_text)
    except ModelError:
        raise DataError(
            f"unknown service '{service_text}'; use standard or express",
            file=file,
            row=row,
            field="service",
        ) from None
    corridor_text = (raw.get("corridor") or "").strip().lower()
    try:
        corridor = Corridor(corridor_text) if corridor_text else None
    except ValueError:
        valid = ", ".join(c.value for c in Corridor)
        raise DataError(
            f"unknown corridor '{corridor_text}'; use one of {valid} or leave it empty",
            file=file,
            row=row,
            field="corridor",
        ) from None
    return ObservedJourney(
        row=row,
        origin=raw["origin"].strip(),
        destination=raw["destination"].strip(),
        depart=depart,
        days_min=lo,
        days_max=hi,
        service=service,
        corridor=corridor,
        label=(raw.get("label") or "").strip(),
        source=(raw.get("source") or "").strip(),
    )


def parse_observed_rows(
    text: str, *, file: str = "observed.csv"
) -> tuple[tuple[ObservedJourney, ...], tuple[DataError, ...]]:
    """The good rows of an observations CSV and the problems of the bad ones.

    Raises
    ------
    DataError
        For problems of the file as a whole: missing columns, too many rows.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError("NUL character in the file", file=file, row=line)
    reader = csv.DictReader(text.lstrip("\ufeff").splitlines())
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise DataError(f"not valid CSV ({exc})", file=file, row=1) from None
    reader.fieldnames = header
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise DataError(f"column(s) {', '.join(twice)} given twice", file=file, row=1)
    missing = [c for c in ("origin", "destination", "depart") if c not in header]
    if "days" not in header and "days_min" not in header and "days_max" not in header:
        missing.append("days (or days_min and days_max)")
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; the header has "
            f"{', '.join(header) or 'nothing'}",
            file=file,
            row=1,
        )
    journeys: list[ObservedJourney] = []
    problems: list[DataError] = []
    for row, raw in _records(reader, file):
        if row - 1 > MAX_OBSERVED_ROWS:
            raise DataError(f"more than {MAX_OBSERVED_ROWS} journeys", file=file, row=row)
        if None in raw:
            problems.append(
                DataError(
                    f"{len(header) + len(raw[None])} cells for {len(header)} columns "
                    "(an unquoted comma?)",
                    file=file,
                    row=row,
                )
            )
            continue
        if not any((v or "").strip() for v in raw.values()):
            continue  # a blank line
        long = next((k for k, v in raw.items() if len(v or "") > MAX_CELL_CHARS), None)
        if long is not None:
            problems.append(
                DataError(f"more than {MAX_CELL_CHARS} characters", file=file, row=row, field=long)
            )
            continue
        try:
            journeys.append(_journey(raw, file, row))
        except DataError as exc:
            problems.append(exc)
    return tuple(journeys), tuple(problems)


def _records(reader: csv.DictReader[str], file: str) -> Iterator[tuple[int, dict[Any, Any]]]:
    """The rows of ``reader`` numbered as in the file (header = row 1); a CSV error (such as a
    cell beyond the csv module's field limit) is a DataError naming the row."""
    row = 1
    while True:
        row += 1
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"not valid CSV ({exc})", file=file, row=row) from None
        yield row, raw


def raise_problems(problems: Sequence[DataError]) -> None:
    """Raise the first problem, carrying the others (sorted by row), if there are any."""
    if problems:
        first, *rest = sorted(problems, key=lambda p: p.row or 0)
        raise DataError(first.reason, file=first.file, row=first.row, field=first.field, also=rest)


def parse_observed(text: str, *, file: str = "observed.csv") -> tuple[ObservedJourney, ...]:
    """Observed journeys from CSV text.

    Raises
    ------
    DataError
        Missing columns, no rows, too many rows, or bad rows (all of them in ``problems``).

    Examples
    --------
    >>> rows = parse_observed("origin,destination,depart,days\\nXi'an,Duisburg,2024-01-15,13-14\\n")
    >>> rows[0].days_min, rows[0].days_max, rows[0].service.value
    (13.0, 14.0, 'standard')
    """
    journeys, problems = parse_observed_rows(text, file=file)
    raise_problems(problems)
    if not journeys:
        raise DataError("no journeys (only a header)", file=file, row=2)
    return journeys


def read_observed_text(path: str | Path) -> str:
    """The text of an observations file.

    Raises
    ------
    DataError
        The file is missing, a folder, or not UTF-8 text.
    """
    p = Path(path)
    try:
        return read_text_bounded(p, max_bytes=MAX_OBSERVED_BYTES)
    except UnreadableFileError as exc:
        raise DataError(str(exc), file=str(p)) from None


def read_observed(path: str | Path) -> tuple[ObservedJourney, ...]:
    """Observed journeys from a CSV file (see :func:`parse_observed`).

    Raises
    ------
    DataError
        The file is missing, not UTF-8 text, or has bad rows.
    """
    return parse_observed(read_observed_text(path), file=Path(path).name)

"""Small pieces shared by the ``corridor`` commands: JSON and CSV output, the ``--csv`` option.

Kept free of heavy imports: every command module imports it at start-up.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from corridor.errors import CorridorError

__all__ = [
    "PROGRESS_SAMPLES",
    "CsvOpt",
    "JsonOpt",
    "complete_place",
    "domain_errors",
    "print_json",
    "printable",
    "reject_together",
    "sampling_progress",
    "strict_json",
    "system_error_line",
    "write_csv",
]

_P = ParamSpec("_P")
_T = TypeVar("_T")


def system_error_line(exc: OSError | RecursionError) -> str:
    """The one line that reports a file the system refused or an input nested too deeply.

    Examples
    --------
    >>> system_error_line(OSError(36, "File name too long", "a" * 300))[:40]
    "error: cannot use the file 'aaaaaaaaaaaa"
    """
    if isinstance(exc, RecursionError):
        return "error: the input is nested too deeply to read"
    name = str(exc.filename or "")
    shown = f" '{name[:60]}…'" if len(name) > 60 else f" '{name}'" if name else ""
    return f"error: cannot use the file{shown}: {exc.strerror or exc}"


@functools.cache
def _place_names() -> tuple[tuple[str, str], ...]:
    """``(name, what)`` for every place of the bundled network: names, ids, aliases, LOCODEs.

    Read straight from ``nodes.csv`` (no network is built: completion must answer at once).
    """
    from importlib.resources import files  # noqa: PLC0415

    text = files("corridor").joinpath("data", "nodes.csv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    seen: set[str] = set()  # an id that only lower-cases its name is offered once
    for row in csv.DictReader(text.splitlines()):
        if row.get("kind") == "passage":
            continue
        what = f"{row['name']} ({row['country']}, {row['kind']})"
        aliases = [a for a in (row.get("aliases") or "").split(";") if a]
        for name in (row["name"], *aliases, row.get("locode") or "", row["id"]):
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out[name] = what
    return tuple(sorted(out.items(), key=lambda kv: kv[0].casefold()))


def complete_place(incomplete: str) -> list[tuple[str, str]]:
    """Tab completion of a place: the names, aliases, ids and LOCODEs that start with what was
    typed (any case), each with the place it stands for.

    Examples
    --------
    >>> [name for name, _ in complete_place("aktau")]
    ['Aktau', 'Aktau port']
    """
    typed = incomplete.casefold()
    return [(name, what) for name, what in _place_names() if name.casefold().startswith(typed)]


def domain_errors(func: Callable[_P, _T]) -> Callable[_P, _T]:
    """Turn Corridor's errors, files the system refuses (a name too long, a full disk) and
    inputs nested too deeply into a one-line message on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return func(*args, **kwargs)
        except CorridorError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except (OSError, RecursionError) as exc:
            typer.echo(system_error_line(exc), err=True)
            raise typer.Exit(1) from None

    return wrapper


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with terminal control characters (escape sequences, NUL, C1 codes) shown as
    ``\ufffd``, so a label from a user's file cannot move the cursor or recolour the terminal.

    Examples
    --------
    >>> printable("\x1b[31mRED\x1b[0m ok")
    '\ufffd[31mRED\ufffd[0m ok'
    """
    return _CONTROL.sub("\ufffd", text)


def reject_together(**flags: bool) -> None:
    """A usage error (exit 2) when more than one of ``flags`` (option name: given) is set.

    Raises
    ------
    typer.BadParameter
        Naming the options that exclude each other.
    """
    given = [name for name, on in flags.items() if on]
    if len(given) > 1:
        raise typer.BadParameter(f"{' and '.join(given)} cannot be used together")


PROGRESS_SAMPLES = 200_000
"""From this many journeys per corridor, ``compare`` shows a progress bar on stderr."""


def strict_json(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by ``None`` (JSON has neither).

    Examples
    --------
    >>> strict_json({"a": [1.0, float("inf")], "b": float("nan")})
    {'a': [1.0, None], 'b': None}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    return value


def print_json(doc: Any) -> None:
    """Write ``doc`` as one indented, strict JSON document on stdout (no NaN or Infinity)."""
    text = json.dumps(strict_json(doc), ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write(text + "\n")


CsvOpt = Annotated[
    bool,
    typer.Option(
        "--csv", metavar="", help="Print the table as CSV (one header row) and nothing else."
    ),
]
"""The ``--csv`` flag: the command's table as CSV on stdout (header row first)."""

JsonOpt = Annotated[
    bool, typer.Option("--json", metavar="", help="Print one JSON document and nothing else.")
]
"""The ``--json`` flag."""


def write_csv(rows: Iterable[Mapping[str, Any]]) -> None:
    """Write ``rows`` (dicts sharing their keys) as CSV on stdout; ``None`` becomes empty."""
    items = list(rows)
    if not items:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(items[0]), lineterminator="\n")
    writer.writeheader()
    for row in items:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


@contextlib.contextmanager
def sampling_progress(samples: int) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a bar on stderr for large samples.

    Below :data:`PROGRESS_SAMPLES` journeys per corridor, or when stderr is not a terminal,
    yields ``None`` (no bar): the answer comes in about a second and the output stays clean.
    """
    from rich.console import Console  # noqa: PLC0415

    console = Console(stderr=True)
    if samples < PROGRESS_SAMPLES or not console.is_terminal:
        yield None
        return
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("sampling journeys"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("sampling", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update

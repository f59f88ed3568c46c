"""Small pieces shared by the ``corridor`` commands: JSON and CSV output, the ``--csv`` option.

Kept free of heavy imports: every command module imports it at start-up.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

import typer

__all__ = ["CsvOpt", "JsonOpt", "print_json", "write_csv"]


def print_json(doc: Any) -> None:
    """Write ``doc`` as one indented JSON document on stdout."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


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

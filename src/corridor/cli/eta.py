"""``corridor eta``: when will the container arrive, given where it has been seen.

:func:`register` adds the command to the ``corridor`` typer app.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, ParamSpec, TypeVar, get_args

import typer

from corridor.cli.common import complete_place, domain_errors, print_json

if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

# The values of ``corridor.model.Corridor``, spelt out so that building the command line does not
# import the model (start-up); a test keeps the two equal.
CorridorName = Literal["middle", "north-south", "northern", "southern", "maritime", "direct"]
CORRIDOR_NAMES: tuple[str, ...] = get_args(CorridorName)

__all__ = ["eta_view", "register"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _when(text: str) -> str:
    return text.replace("T", " ")


def _deadline(text: str) -> str:
    """``2025-02-01T00:00`` (the end of 31 January) reads ``2025-01-31``."""
    when = datetime.fromisoformat(text)
    if when.time() == time(0, 0):
        return (when - timedelta(days=1)).date().isoformat()
    return _when(text)


def eta_view(doc: dict[str, Any]) -> Group:
    """The human view of a ``corridor eta`` document: the band at each stage, then the detail."""
    from rich.console import Group  # noqa: PLC0415  (start-up: rich loads when output is drawn)
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    o, d = doc["origin"]["name"], doc["destination"]["name"]
    t = Table(
        title=f"{o} → {d}, departing {doc['depart']} ({doc['service']} service)",
        caption=f"{doc['samples']:,} sampled journeys per forecast, seed {doc['seed']}; times UTC",
        header_style="bold",
    )
    cols = ["as of", "ETA P10", "ETA P50", "ETA P90", "band d", "remaining P50 d"]
    if "deadline" in doc:
        cols.append(f"on time (by {_deadline(doc['deadline'])})")
    for col in cols:
        t.add_column(col, justify="left" if col == "as of" else "right")
    stages = list(doc["stages"])
    if "as_of" in doc:  # the band now, conditioned on no news since the last milestone
        stages.append({**doc, "after": "now"})
    for stage in stages:
        after = stage["after"]
        if after == "now":
            label = f"now {_when(stage['as_of'])}" + (" OVERDUE" if stage["overdue"] else "")
        elif after is None:
            label = "departure"
        else:
            label = f"{after['event']} {after['node']} {_when(after['at'])}"
        row = [
            label,
            _when(stage["eta"]["p10"]),
            _when(stage["eta"]["p50"]),
            _when(stage["eta"]["p90"]),
            f"{stage['band_days']:.1f}",
            f"{stage['remaining_days']['p50']:.1f}",
        ]
        if "on_time_probability" in stage:
            row.append(f"{stage['on_time_probability']:.0%}")
        t.add_row(*row)
    lines: list[Table | Text] = [t]
    route = doc["route"]
    if route["replanned_at"]:
        lines.append(
            Text(
                f"re-planned at {', '.join(route['replanned_at'])}: the container left the "
                "planned route",
                style="yellow",
            )
        )
    if doc["status"] == "delivered":
        lines.append(Text(f"delivered at {doc['position']['name']} {_when(doc['position']['at'])}"))
        return Group(*lines)
    lines.extend(_now_notes(doc))
    lines.extend(Text(f"warning: {w}", style="yellow") for w in doc.get("warnings", []))
    nxt = doc["next_milestone"]
    if nxt is not None:
        verb = "arrival at" if nxt["event"] == "arr" else "departure from"
        lines.append(Text(f"next: {verb} {nxt['name']}, P50 {_when(nxt['p50'])}"))
    w = Table(title="where the remaining days go", title_justify="left", show_edge=False)
    w.add_column("mode")
    w.add_column("mean d", justify="right")
    total = sum(x["days"] for x in doc["where"]) or 1.0
    w.add_column("share", justify="right")
    for x in doc["where"]:
        w.add_row(x["mode"], f"{x['days']:.1f}", f"{x['days'] / total:.0%}")
    lines.append(w)
    return Group(*lines)


def _now_notes(doc: dict[str, Any]) -> list[Text]:
    """Overdue, beyond the model, and the ETA in the destination's local time."""
    from rich.text import Text  # noqa: PLC0415

    d = doc["destination"]["name"]
    notes: list[Text] = []
    if doc.get("overdue"):
        notes.append(
            Text(
                f"overdue: no news since {_since(doc)} and past the P90 "
                f"({_when(doc['expected_by'])}) of the forecast made then",
                style="bold red",
            )
        )
    if doc.get("beyond_model"):
        notes.append(
            Text(
                "later than 99 % of the modelled journeys: the band extrapolates the latest ones",
                style="yellow",
            )
        )
    local = doc.get("eta_local")
    if local is not None:
        notes.append(
            Text(
                f"ETA in {local['tz']} (local time at {d}): P50 {_when(local['p50'][:16])}, "
                f"P10–P90 {_when(local['p10'][:16])} – {_when(local['p90'][:16])}"
            )
        )
    return notes


def _since(doc: dict[str, Any]) -> str:
    pos = doc.get("position")
    if pos is None:
        return f"the departure on {doc['depart']}"
    verb = "arrival at" if pos["event"] == "arr" else "departure from"
    return f"the {verb} {pos['name']} {_when(pos['at'])}"


def report_view(doc: dict[str, Any]) -> Table:
    """The ``corridor eta-report`` table: share of arrivals inside the band, by stage."""
    from rich.table import Table  # noqa: PLC0415  (start-up: rich loads when output is drawn)

    t = Table(
        title=f"Forecast log: {doc['shipments']} delivered shipments",
        caption=f"a calibrated forecaster has about {doc['expected_inside']:.0%} inside "
        "P10–P90, 10 % early and 10 % late at every stage",
        header_style="bold",
    )
    for col in (
        "stage",
        "forecasts",
        "inside P10–P90",
        "early",
        "late",
        "P50 error d",
        "|error| d",
    ):
        t.add_column(col, justify="left" if col == "stage" else "right")
    for row in doc["stages"]:
        t.add_row(
            "booking" if row["stage"] == 0 else f"after milestone {row['stage']}",
            str(row["forecasts"]),
            f"{row['inside_p10_p90']:.0%}",
            f"{row['early']:.0%}",
            f"{row['late']:.0%}",
            f"{row['p50_error_days']['mean']:+.1f}",
            f"{row['p50_error_days']['mean_abs']:.1f}",
        )
    return t


def _depart_date(text: str) -> date:
    """``--depart`` as a date, between 2000-01-01 and 2100-12-31 as for ``compare``."""
    try:
        when = date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date YYYY-MM-DD") from None
    if not date(2000, 1, 1) <= when <= date(2100, 12, 31):
        raise typer.BadParameter(f"{text} is not between 2000-01-01 and 2100-12-31")
    return when


_OptimizeOpt = Annotated[
    Literal["time", "cost", "co2", "generalized"],
    typer.Option(
        "--optimize",
        metavar="time|cost|co2|generalized",
        help="What picks the planned route (as in compare).",
    ),
]
_ValueOfTimeOpt = Annotated[
    float,
    typer.Option(
        "--value-of-time", metavar="USD", min=0.0, help="USD per FEU-hour in the generalized cost."
    ),
]


def _present(now: str | None) -> datetime | None:
    """The ``--now`` option as a date-time (``None``: this machine's clock, chosen later)."""
    if now is None:
        return None
    try:
        return datetime.fromisoformat(now)
    except ValueError:
        msg = f"'{now}' is not a date-time like 2025-01-14T08:00"
        raise typer.BadParameter(msg) from None


def _print_eta_report(*, as_json: bool) -> None:
    """Score the delivered shipments of the service's store and print the report."""
    from corridor.cli.serve import require_service  # noqa: PLC0415

    require_service("eta-report (it reads the service's store)")
    from corridor.api import Settings  # noqa: PLC0415  (the store is only needed here)
    from corridor.api.tracking import forecast_log  # noqa: PLC0415
    from corridor.cli.render import make_console  # noqa: PLC0415
    from corridor.store import Shipments, Store  # noqa: PLC0415

    try:
        store = Store(Settings().store_url())
    except Exception as exc:  # an unreachable or unreadable database
        typer.echo(f"error: cannot open the store: {str(exc).splitlines()[0]}", err=True)
        raise typer.Exit(1) from None
    try:
        doc = forecast_log(Shipments(store).finished())
    finally:
        store.close()
    if as_json:
        print_json(doc)
        return
    if not doc["stages"]:
        typer.echo("no delivered shipments yet: nothing to score", err=True)
        return
    make_console().print(report_view(doc))


# The options of ``eta`` beyond the route's (place, date, service, samples, seed, objective).
_SeenOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--seen",
        metavar="NODE@DATETIME",
        help="Milestone NODE@DATETIME[:arr|dep] (UTC; arrival if no suffix), "
        "e.g. aktau@2025-01-14T08:00:dep; repeatable, in the order they happened.",
    ),
]
_DeadlineOpt = Annotated[
    str | None,
    typer.Option(
        "--deadline", metavar="DATE", help="Due by the end of this date (or a date-time)."
    ),
]
_CorridorOpt = Annotated[
    CorridorName | None,
    typer.Option(
        "--corridor",
        metavar="|".join(CORRIDOR_NAMES),
        help="Plan within this corridor (default: fastest).",
    ),
]
_YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        min=1990,
        max=2100,
        help="Network and values in force that year (default: the departure year).",
    ),
]
_NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="DATETIME",
        help="The present, UTC (default: this machine's clock): the ETA is conditioned "
        "on no news between the last milestone and then.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add ``eta`` and ``eta-report`` to ``app``."""

    @app.command("eta-report")
    def eta_report(
        as_json: Annotated[
            bool, typer.Option("--json", help="Print one JSON document and nothing else.")
        ] = False,
    ) -> None:
        """How often delivered shipments arrived inside the forecast P10–P90, by stage.

        Reads the service's store (CORRIDOR_DATABASE_URL, or the default SQLite file).
        """
        _print_eta_report(as_json=as_json)

    @app.command()
    @domain_errors
    def eta(
        ctx: typer.Context,
        origin: Annotated[
            str,
            typer.Argument(
                help="Origin: id, name, alias or UN/LOCODE.", autocompletion=complete_place
            ),
        ],
        destination: Annotated[
            str, typer.Argument(help="Destination.", autocompletion=complete_place)
        ],
        depart: Annotated[
            str, typer.Option("--depart", metavar="YYYY-MM-DD", help="Departure date YYYY-MM-DD.")
        ],
        seen: _SeenOpt = None,
        deadline: _DeadlineOpt = None,
        service: Annotated[
            str | None,
            typer.Option("--service", metavar="express|standard", help="Service class."),
        ] = None,
        corridor: _CorridorOpt = None,
        year: _YearOpt = None,
        samples: Annotated[
            int,
            typer.Option(
                "--samples", metavar="N", min=1, max=1_000_000, help="Journeys per forecast."
            ),
        ] = 10_000,
        seed: Annotated[
            int, typer.Option("--seed", metavar="SEED", min=0, help="Random seed.")
        ] = 1,
        now: _NowOpt = None,
        optimize: _OptimizeOpt = "time",
        value_of_time: _ValueOfTimeOpt = 2.85,
        as_json: Annotated[
            bool,
            typer.Option("--json", metavar="", help="Print one JSON document and nothing else."),
        ] = False,
    ) -> None:
        """ETA P10/P50/P90 of a container, conditioned on the milestones seen so far and on
        the silence since (a box not seen by now has not arrived by now)."""
        from corridor.cli.render import make_console  # noqa: PLC0415
        from corridor.facade import eta as eta_api  # noqa: PLC0415
        from corridor.network import load_network  # noqa: PLC0415

        when = _depart_date(depart)
        present = _present(now)
        if service is not None and service not in ("express", "standard"):
            raise typer.BadParameter(f"'{service}' is not a service class: express or standard")
        network: Path | None = ctx.obj
        result = eta_api(
            origin,
            destination,
            depart=when,
            seen=seen or (),
            deadline=deadline,
            service=service,
            corridor=corridor,
            year=year,
            samples=samples,
            seed=seed,
            now=present,
            network=load_network(network) if network is not None else None,
            objective=optimize,
            value_of_time_usd_per_h=value_of_time,
        )
        doc = result.to_dict()
        if as_json:
            print_json(doc)
            return
        make_console().print(eta_view(doc))

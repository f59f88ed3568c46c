"""The ``corridor`` command.

Exit codes: 0 success; 1 domain error (unknown place, no route, invalid scenario or data) with a
one-line message on stderr; 2 usage error (bad option or value).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from corridor.cli import eta as eta_commands
from corridor.cli import serve as serve_commands
from corridor.cli import simulate as simulate_commands
from corridor.cli import sweep as sweep_commands
from corridor.cli.render import comparison_view, make_console, nodes_table, route_table
from corridor.errors import CorridorError
from corridor.facade import compare as compare_api
from corridor.facade import route as route_api
from corridor.io import network_geojson
from corridor.network import Network, load_network
from corridor.routing import DEFAULT_VALUE_OF_TIME_USD_PER_H, Objective

__all__ = ["app"]

app = typer.Typer(
    name="corridor",
    help="Plan, compare and simulate container freight across the Eurasian land bridges.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _domain_errors(func: Callable[_P, _T]) -> Callable[_P, _T]:
    """Turn Corridor's errors into a one-line message on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return func(*args, **kwargs)
        except CorridorError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None

    return wrapper


@app.callback()
def _main(
    ctx: typer.Context,
    network: Annotated[
        Path | None,
        typer.Option(
            "--network",
            help="Folder with network files (see data/SCHEMA.md) instead of the bundled network.",
            envvar="CORRIDOR_NETWORK",
        ),
    ] = None,
) -> None:
    """Plan, compare and simulate container freight across the Eurasian land bridges."""
    ctx.obj = network


def _network(ctx: typer.Context) -> Network:
    return load_network(ctx.obj) if ctx.obj is not None else load_network()


def _print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date YYYY-MM-DD") from None


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", min=1990, max=2100, help="Network of that year (planned links open)."),
]
OriginArg = Annotated[str, typer.Argument(help="Origin: id, name, alias or UN/LOCODE.")]
DestinationArg = Annotated[str, typer.Argument(help="Destination.")]
AvoidOpt = Annotated[
    list[str] | None,
    typer.Option("--avoid", help="Country code (RU, IR) or place to avoid; repeatable."),
]


@app.command()
@_domain_errors
def nodes(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", help="Only places whose names contain this.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the places of the network."""
    net = _network(ctx)
    found = net.index.search(search, net.nodes) if search else list(net.nodes.values())
    if as_json:
        _print_json({"nodes": [n.to_dict() for n in found]})
        return
    if not found:
        typer.echo(f"error: no place matches '{search}'", err=True)
        raise typer.Exit(1)
    make_console().print(nodes_table(found))


@app.command()
@_domain_errors
def route(
    ctx: typer.Context,
    origin: OriginArg,
    destination: DestinationArg,
    via: Annotated[
        list[str] | None, typer.Option("--via", help="Place to pass; repeatable, in order.")
    ] = None,
    avoid: AvoidOpt = None,
    optimize: Annotated[
        Objective, typer.Option("--optimize", help="What to minimise.")
    ] = Objective.TIME,
    alternatives: Annotated[
        int, typer.Option("--alternatives", min=1, max=20, help="Genuinely different routes.")
    ] = 1,
    pareto: Annotated[
        bool, typer.Option("--pareto", help="The time/cost/CO2 Pareto front instead.")
    ] = False,
    value_of_time: Annotated[
        float,
        typer.Option("--value-of-time", min=0.0, help="USD per FEU-hour in the generalized cost."),
    ] = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    year: YearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Plan routes between two places (expected-value hours, USD and CO2e per FEU)."""
    plan = route_api(
        origin,
        destination,
        via=via or (),
        avoid=avoid or (),
        optimize=optimize,
        alternatives=alternatives,
        pareto=pareto,
        year=year,
        value_of_time_usd_per_h=value_of_time,
        network=_network(ctx),
    )
    if as_json:
        _print_json(plan.to_dict())
        return
    title = f"{plan.origin.name} → {plan.destination.name} (optimised for {optimize.value})"
    make_console().print(route_table(list(plan.routes), plan.network.nodes, title))


@app.command()
@_domain_errors
def compare(
    ctx: typer.Context,
    origin: OriginArg,
    destination: DestinationArg,
    depart: Annotated[
        str | None, typer.Option("--depart", help="Departure date YYYY-MM-DD (default today).")
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", min=1, max=1_000_000, help="Journeys per corridor.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 1,
    year: YearOpt = None,
    avoid: AvoidOpt = None,
    deadline: Annotated[
        float | None,
        typer.Option("--deadline", min=0.1, help="Report P(arrival within DAYS)."),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the distributions to this PNG.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Compare corridors: best route of each with P10/P50/P90 days, cost and CO2e."""
    result = compare_api(
        origin,
        destination,
        depart=_parse_date(depart),
        samples=samples,
        seed=seed,
        year=year,
        avoid=avoid or (),
        deadline_days=deadline,
        keep_samples=plot is not None,
        network=_network(ctx),
    )
    if plot is not None:
        from corridor.transit.plot import plot_comparison  # noqa: PLC0415  (matplotlib is slow)

        plot_comparison(result, plot)
    if as_json:
        _print_json(result.to_dict())
        return
    console = make_console()
    console.print(comparison_view(result, _network(ctx).nodes))
    if plot is not None:
        console.print(f"distributions written to {plot}")


@app.command()
@_domain_errors
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="GeoJSON file to write.")],
    origin: Annotated[
        str | None, typer.Option("--from", help="Export routes from this place.")
    ] = None,
    destination: Annotated[str | None, typer.Option("--to", help="... to this place.")] = None,
    via: Annotated[list[str] | None, typer.Option("--via", help="Place to pass.")] = None,
    avoid: AvoidOpt = None,
    alternatives: Annotated[int, typer.Option("--alternatives", min=1, max=20)] = 1,
    year: YearOpt = None,
) -> None:
    """Write GeoJSON (for QGIS): the whole network, or routes with --from and --to."""
    if (origin is None) != (destination is None):
        raise typer.BadParameter("give both --from and --to, or neither")
    if origin is not None and destination is not None:
        plan = route_api(
            origin,
            destination,
            via=via or (),
            avoid=avoid or (),
            alternatives=alternatives,
            year=year,
            network=_network(ctx),
        )
        doc = plan.to_geojson()
    else:
        net = _network(ctx)
        doc = network_geojson(
            net.nodes,
            [lk for lk in net.links if year is None or lk.is_open(year)],
            net.geometries,
        )
    try:
        out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(doc['features'])} features to {out}", err=True)


eta_commands.register(app)
serve_commands.register(app)
simulate_commands.register(app)
sweep_commands.register(app)


def main() -> None:
    """Entry point used by ``python -m corridor``."""
    app()

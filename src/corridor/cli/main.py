"""The ``corridor`` command.

Exit codes: 0 success; 1 domain error (unknown place, no route, invalid scenario or data) with a
one-line message on stderr; 2 usage error (bad option or value).

Start-up is a feature: this module imports only typer; the engines (numpy, numba, pandas) load
inside the command that needs them, so ``corridor --help`` costs about as much as importing numpy.
"""

from __future__ import annotations

import copy
import math
import os
import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, ParamSpec, TypeVar, get_args

import typer

from corridor import __version__
from corridor.cli import eta as eta_commands
from corridor.cli import serve as serve_commands
from corridor.cli import simulate as simulate_commands
from corridor.cli import sweep as sweep_commands
from corridor.cli import validate as validate_commands
from corridor.cli.common import (
    CsvOpt,
    JsonOpt,
    complete_place,
    domain_errors,
    print_json,
    reject_together,
    sampling_progress,
    strict_json,
    system_error_line,
    write_csv,
)
from corridor.errors import CorridorError

if TYPE_CHECKING:
    from typer.models import CommandInfo

    from corridor.network import Network

__all__ = ["app", "app_for", "main"]

app = typer.Typer(
    name="corridor",
    help="Plan, compare and simulate container freight across the Eurasian land bridges.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_P = ParamSpec("_P")
_T = TypeVar("_T")

# The routing objectives (``corridor.routing.Objective``), spelt out here so that building the
# command line does not import the routing engine; a test keeps the two lists equal.
ObjectiveName = Literal["time", "cost", "co2", "generalized"]
OBJECTIVES: tuple[str, ...] = get_args(ObjectiveName)
# ``corridor.routing.DEFAULT_VALUE_OF_TIME_USD_PER_H``, likewise checked by a test.
VALUE_OF_TIME_USD_PER_H = 2.85
OptimizeOpt = Annotated[
    ObjectiveName,
    typer.Option(
        "--optimize",
        metavar="|".join(OBJECTIVES),
        help="What to minimise (also what picks each corridor's route).",
    ),
]
ValueOfTimeOpt = Annotated[
    float,
    typer.Option(
        "--value-of-time",
        metavar="USD",
        min=0.0,
        help="USD per FEU-hour in the generalized cost.",
    ),
]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"corridor {__version__}")
        raise typer.Exit


@app.callback()
def _main(
    ctx: typer.Context,
    network: Annotated[
        Path | None,
        typer.Option(
            "--network",
            metavar="FOLDER",
            help="Folder with network files (see data/SCHEMA.md) instead of the bundled network.",
            envvar="CORRIDOR_NETWORK",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            help="Print the version and exit.",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Plan, compare and simulate container freight across the Eurasian land bridges."""
    ctx.obj = network


def _network(ctx: typer.Context) -> Network:
    from corridor.network import load_network  # noqa: PLC0415  (keeps start-up light)

    return load_network(ctx.obj) if ctx.obj is not None else load_network()


_EARLIEST = date(2000, 1, 1)
_LATEST = date(2100, 12, 31)
_PLOT_FORMATS = ("png", "svg", "pdf", "jpg", "jpeg", "webp", "tif", "tiff", "eps", "ps")


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        when = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date YYYY-MM-DD") from None
    if not _EARLIEST <= when <= _LATEST:
        raise typer.BadParameter(f"{value} is not between {_EARLIEST} and {_LATEST}")
    return when


def _finite(value: float | None) -> float | None:
    """Reject ``nan`` and ``inf`` (click's ranges let NaN through)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number")
    return value


def _plot_path(value: Path | None) -> Path | None:
    if value is None:
        return None
    suffix = value.suffix.lower().lstrip(".")
    if suffix not in _PLOT_FORMATS:
        raise typer.BadParameter(
            f"'{value}': the file name must end in one of ." + ", .".join(_PLOT_FORMATS)
        )
    if not value.parent.is_dir():
        raise typer.BadParameter(f"'{value}': no folder {value.parent}")
    if value.is_dir():
        raise typer.BadParameter(f"'{value}' is a folder")
    return value


YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        min=1990,
        max=2100,
        help="Network, values in force (planned links, border times, Red Sea) and tariffs of "
        "that year (default: the departure year).",
    ),
]
RouteYearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        min=1990,
        max=2100,
        help="Network, values in force (planned links, border times, Red Sea) and tariffs of "
        "that year (default: this year).",
    ),
]
# The service classes (``corridor.model.ServiceClass``), spelt out for a light start-up.
ServiceName = Literal["standard", "express"]
SERVICES: tuple[str, ...] = get_args(ServiceName)
ServiceOpt = Annotated[
    ServiceName,
    typer.Option(
        "--service",
        metavar="|".join(SERVICES),
        help="Train product: standard (regular, CPMM averages) or express (scheduled block train).",
    ),
]
OriginArg = Annotated[
    str,
    typer.Argument(
        metavar="ORIGIN",
        help="Origin: id, name, alias or UN/LOCODE.",
        autocompletion=complete_place,
    ),
]
DestinationArg = Annotated[
    str,
    typer.Argument(metavar="DESTINATION", help="Destination.", autocompletion=complete_place),
]


class ContainerSize(StrEnum):
    """Container sizes a cost and emission figure can be for."""

    TWENTY = "20"
    FORTY = "40"


ContainerOpt = Annotated[
    ContainerSize,
    typer.Option("--container", help="Container size in feet: costs and CO2e per container."),
]
CargoOpt = Annotated[
    float | None,
    typer.Option(
        "--cargo-t",
        min=0.1,
        max=60.0,
        metavar="T",
        help="Cargo mass in the container, t (default 10 t per TEU, GLEC's default load).",
    ),
]
AvoidOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid",
        metavar="COUNTRY|PLACE",
        help="Country code (RU, IR) or place to avoid; repeatable.",
    ),
]


@app.command()
@domain_errors
def nodes(
    ctx: typer.Context,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            metavar="TEXT",
            help="Only places whose id, name, alias or UN/LOCODE contains TEXT "
            "(any case, any accents).",
        ),
    ] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    stats: Annotated[
        bool,
        typer.Option(
            "--stats",
            help="Instead of the places: how many operations and links rest only on "
            "assumptions, by kind, and how many operations name their side and operator.",
        ),
    ] = False,
) -> None:
    """List the places of the network."""
    from corridor.cli.render import make_console, nodes_rows, nodes_table  # noqa: PLC0415

    reject_together(**{"--json": as_json, "--csv": as_csv})

    net = _network(ctx)
    if stats:
        from corridor.cli.render import stats_table  # noqa: PLC0415
        from corridor.network import data_stats  # noqa: PLC0415

        doc = data_stats(net)
        if as_json:
            print_json(doc)
        else:
            make_console().print(stats_table(doc))
        return
    found = net.index.search(search, net.nodes) if search else list(net.nodes.values())
    if as_json:
        print_json({"nodes": [n.to_dict() for n in found]})
        return
    if not found:
        near = net.index.suggest(search or "")
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        typer.echo(f"error: no place matches '{search}'{hint}", err=True)
        raise typer.Exit(1)
    if as_csv:
        write_csv(nodes_rows(found))
        return
    make_console().print(nodes_table(found))


ViaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--via",
        metavar="PLACE",
        help="Place to pass; repeatable, in order.",
        autocompletion=complete_place,
    ),
]
ScenarioOpt = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        metavar="NAME|FILE",
        help="Use the network as this scenario describes it (bundled name or YAML file); "
        "--year defaults to its network year.",
    ),
]


@app.command()
@domain_errors
def route(
    ctx: typer.Context,
    origin: OriginArg,
    destination: DestinationArg,
    via: ViaOpt = None,
    avoid: AvoidOpt = None,
    optimize: OptimizeOpt = "time",
    alternatives: Annotated[
        int,
        typer.Option(
            "--alternatives", metavar="K", min=1, max=20, help="Genuinely different routes."
        ),
    ] = 1,
    pareto: Annotated[
        bool,
        typer.Option("--pareto", metavar="", help="The time/cost/CO2 Pareto front instead."),
    ] = False,
    value_of_time: ValueOfTimeOpt = VALUE_OF_TIME_USD_PER_H,
    year: RouteYearOpt = None,
    service: ServiceOpt = "standard",
    scenario: ScenarioOpt = None,
    container: ContainerOpt = ContainerSize.FORTY,
    cargo_t: CargoOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Plan routes between two places (expected-value hours, USD and CO2e per container)."""
    from corridor.cli.render import make_console, route_rows, route_view  # noqa: PLC0415
    from corridor.facade import route as route_api  # noqa: PLC0415
    from corridor.model import ServiceClass  # noqa: PLC0415
    from corridor.routing import Objective, RouteRequest  # noqa: PLC0415
    from corridor.routing.bounds import route_cost_problem  # noqa: PLC0415

    reject_together(**{"--json": as_json, "--csv": as_csv})
    reject_together(**{"--pareto": pareto, "--alternatives": alternatives != 1})
    too_costly = route_cost_problem(via=len(via or ()), alternatives=alternatives, pareto=pareto)
    if too_costly is not None:
        raise typer.BadParameter(too_costly)

    request = RouteRequest(
        origin=origin,
        destination=destination,
        via=tuple(via or ()),
        avoid=tuple(avoid or ()),
        objective=Objective(optimize),
        year=year,
        value_of_time_usd_per_h=value_of_time,
        scenario=scenario,
        container_ft=int(container.value),
        cargo_t=cargo_t,
        service=ServiceClass(service),
    )
    plan = route_api(request, alternatives=alternatives, pareto=pareto, network=_network(ctx))
    if as_json:
        print_json(plan.to_dict())
        return
    if as_csv:
        write_csv(route_rows(list(plan.routes), plan.network.nodes))
        return
    what = (
        "time/cost/CO2 Pareto front"
        if pareto
        else f"optimised for {optimize}"
        + (f" at {value_of_time:g} USD/FEU-h" if optimize == "generalized" else "")
    )
    if plan.scenario is not None:
        what += f", scenario {plan.scenario}, network of {plan.year}"
    title = f"{plan.origin.name} → {plan.destination.name} ({service} service, {what})"
    make_console().print(route_view(list(plan.routes), plan.network.nodes, title))


@app.command()
@domain_errors
def compare(
    ctx: typer.Context,
    origin: OriginArg,
    destination: DestinationArg,
    depart: Annotated[
        str | None,
        typer.Option("--depart", metavar="YYYY-MM-DD", help="Departure date (default: today)."),
    ] = None,
    samples: Annotated[
        int,
        typer.Option("--samples", metavar="N", min=1, max=1_000_000, help="Journeys per corridor."),
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", metavar="SEED", min=0, help="Random seed.")] = 1,
    year: YearOpt = None,
    service: ServiceOpt = "standard",
    avoid: AvoidOpt = None,
    via: ViaOpt = None,
    scenario: ScenarioOpt = None,
    deadline: Annotated[
        float | None,
        typer.Option(
            "--deadline",
            metavar="DAYS",
            min=0.1,
            max=365,
            callback=_finite,
            help="Report P(arrival within DAYS).",
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            metavar="PNG",
            callback=_plot_path,
            help="Write the distributions to this PNG (or .svg, .pdf).",
        ),
    ] = None,
    container: ContainerOpt = ContainerSize.FORTY,
    cargo_t: CargoOpt = None,
    optimize: OptimizeOpt = "time",
    value_of_time: ValueOfTimeOpt = VALUE_OF_TIME_USD_PER_H,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Compare corridors: best route of each with P10/P50/P90 days, cost and CO2e."""
    reject_together(**{"--json": as_json, "--csv": as_csv})
    from corridor.cli.render import comparison_rows, comparison_view, make_console  # noqa: PLC0415
    from corridor.facade import compare as compare_api  # noqa: PLC0415
    from corridor.model import ServiceClass  # noqa: PLC0415
    from corridor.routing import CompareRequest, Objective  # noqa: PLC0415

    request = CompareRequest(
        origin=origin,
        destination=destination,
        depart=_parse_date(depart),
        samples=samples,
        seed=seed,
        year=year,
        avoid=tuple(avoid or ()),
        via=tuple(via or ()),
        deadline_days=deadline,
        scenario=scenario,
        container_ft=int(container.value),
        cargo_t=cargo_t,
        service=ServiceClass(service),
        objective=Objective(optimize),
        value_of_time_usd_per_h=value_of_time,
    )
    net = _network(ctx)
    with sampling_progress(samples) as progress:
        result = compare_api(request, keep_samples=plot is not None, network=net, progress=progress)
    if plot is not None:
        from corridor.present import plot_comparison  # noqa: PLC0415

        try:
            plot_comparison(result, plot)
        except OSError as exc:
            typer.echo(f"error: cannot write {plot}: {exc.strerror}", err=True)
            raise typer.Exit(1) from None
    if as_json:
        print_json(result.to_dict())
        return
    if as_csv:
        write_csv(comparison_rows(result))
        return
    console = make_console()
    if result.scenario is not None:
        console.print(f"scenario: {result.scenario}")
    console.print(comparison_view(result, net.nodes))
    if plot is not None:
        console.print(f"distributions written to {plot}")


class ReportCorridor(StrEnum):
    """Corridors an emission report can be restricted to."""

    MIDDLE = "middle"
    NORTH_SOUTH = "north-south"
    NORTHERN = "northern"
    SOUTHERN = "southern"
    MARITIME = "maritime"
    DIRECT = "direct"


@app.command()
@domain_errors
def emissions(
    ctx: typer.Context,
    origin: OriginArg,
    destination: DestinationArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="FILE",
            help="Report file: .csv, .json or .html (by its extension).",
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            min=1990,
            max=2100,
            help="Network, values in force and tariffs of that year (default: this year, as "
            "in compare).",
        ),
    ] = None,
    avoid: AvoidOpt = None,
    via: Annotated[
        list[str] | None,
        typer.Option("--via", metavar="PLACE", help="Place to pass; repeatable, in order."),
    ] = None,
    corridor: Annotated[
        ReportCorridor | None,
        typer.Option("--corridor", help="Only this corridor (default: the options of compare)."),
    ] = None,
    service: ServiceOpt = "standard",
    container: ContainerOpt = ContainerSize.FORTY,
    cargo_t: CargoOpt = None,
    optimize: OptimizeOpt = "time",
    value_of_time: ValueOfTimeOpt = VALUE_OF_TIME_USD_PER_H,
) -> None:
    """Write an ISO 14083 / GLEC emission report: every transport chain element and hub, WTW
    and TTW."""
    import json  # noqa: PLC0415

    from corridor.facade import emissions as emissions_api  # noqa: PLC0415
    from corridor.model import Corridor, ServiceClass  # noqa: PLC0415
    from corridor.routing import Objective, RouteRequest  # noqa: PLC0415

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json", ".html", ".htm"):
        raise typer.BadParameter(f"'{out}' must end in .csv, .json or .html", param_hint="'--out'")
    request = RouteRequest(
        origin=origin,
        destination=destination,
        year=year,
        avoid=tuple(avoid or ()),
        via=tuple(via or ()),
        corridor=Corridor(corridor.value) if corridor is not None else None,
        service=ServiceClass(service),
        container_ft=int(container.value),
        cargo_t=cargo_t,
        objective=Objective(optimize),
        value_of_time_usd_per_h=value_of_time,
    )
    report = emissions_api(request, network=_network(ctx))
    if suffix == ".csv":
        text = report.to_csv()
    elif suffix == ".json":
        text = json.dumps(strict_json(report.to_dict()), ensure_ascii=False, indent=2) + "\n"
    else:
        text = report.to_html()
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    chains = report.to_dict()["chains"]
    summary = "; ".join(
        f"{c['corridor']} {c['totals']['total']['wtw']:,.0f} kg WTW / "
        f"{c['totals']['total']['ttw']:,.0f} kg TTW"
        for c in chains
    )
    typer.echo(
        f"wrote {out}: {len(chains)} transport chain(s) per {report.container_ft}-ft container "
        f"({summary})",
        err=True,
    )


@app.command()
@domain_errors
def export(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="FILE",
            help="File to write: .geojson (default format), .gpkg (GeoPackage) or .fgb "
            "(FlatGeobuf).",
        ),
    ],
    origin: Annotated[
        str | None,
        typer.Option("--from", metavar="PLACE", help="Export routes from this place."),
    ] = None,
    destination: Annotated[
        str | None, typer.Option("--to", metavar="PLACE", help="... to this place.")
    ] = None,
    via: Annotated[
        list[str] | None, typer.Option("--via", metavar="PLACE", help="Place to pass.")
    ] = None,
    avoid: AvoidOpt = None,
    alternatives: Annotated[
        int, typer.Option("--alternatives", metavar="K", min=1, max=20, help="Routes wanted.")
    ] = 1,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", metavar="YEAR", min=1990, max=2100, help="Only the links open that year."
        ),
    ] = None,
    scenario: ScenarioOpt = None,
    per_option: Annotated[
        bool,
        typer.Option(
            "--per-option",
            help="With --from and --to: one line per corridor option of a comparison, with its "
            "days, USD and CO2 as columns (instead of one feature per leg).",
        ),
    ] = False,
) -> None:
    """Write the network, or routes with --from and --to, for QGIS and other GIS tools."""
    from corridor.cli.export import export_file  # noqa: PLC0415
    from corridor.network import scenario_network  # noqa: PLC0415
    from corridor.routing.bounds import route_cost_problem  # noqa: PLC0415

    if (origin is None) != (destination is None):
        raise typer.BadParameter("give both --from and --to, or neither")
    if origin is None and (via or avoid or alternatives != 1):
        # these shape routes: without --from and --to the whole network is written
        raise typer.BadParameter("--via, --avoid and --alternatives need --from and --to")
    too_costly = route_cost_problem(via=len(via or ()), alternatives=alternatives, pareto=False)
    if too_costly is not None:
        raise typer.BadParameter(too_costly)
    net = _network(ctx)
    if scenario is not None:
        sc, net = scenario_network(scenario, net)
        if year is None and sc.year_stated:
            year = sc.network_year
    export_file(
        net,
        out,
        origin=origin,
        destination=destination,
        via=via or (),
        avoid=avoid or (),
        alternatives=alternatives,
        year=year,
        per_option=per_option,
    )


eta_commands.register(app)
serve_commands.register(app)
simulate_commands.register(app)
sweep_commands.register(app)
validate_commands.register(app)


_ROOT_VALUE_OPTIONS = frozenset({"--network"})
"""Options of the ``corridor`` group itself that take a value (given before the command)."""


def _command_name(args: Sequence[str]) -> str | None:
    """The command that ``args`` (the command line after ``corridor``) runs, if they plainly name
    one after the group's own options; ``None`` for help, version, anything unusual.

    Examples
    --------
    >>> _command_name(["--network", "net", "compare", "Xi'an", "Istanbul"])
    'compare'
    >>> _command_name(["--help"]) is None
    True
    """
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _ROOT_VALUE_OPTIONS:
            skip = True
        elif arg.startswith("--network="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def _name_of(command: CommandInfo) -> str:
    """The name a registered command is called by (Typer's rule: the function's, dashed)."""
    name = str(command.name or getattr(command.callback, "__name__", ""))
    return name.lower().replace("_", "-")


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that runs ``args``: when they name a command, a copy of :data:`app` holding only
    that command (and the group's options), else :data:`app` itself.

    Typer builds every command's parameters (evaluating each signature's annotations) before it
    runs one; building only the command asked for saves most of that at every start. Help of the
    whole tool, shell completion and unknown names run the full app, so their output is Typer's.
    """
    name = _command_name(args)
    if name is None or any(key.endswith("_COMPLETE") for key in os.environ):
        return app
    commands = [c for c in app.registered_commands if _name_of(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    slim = copy.copy(app)
    slim.registered_commands = commands
    slim.registered_groups = groups
    return slim


def _run_app() -> int:
    """Run the command; a usage error is one ``error:`` line on stderr and exit code 2.

    Click's own rendering of usage errors is a framed box of several lines; the contract asks for
    one line naming what is wrong, then the command whose help explains it.
    """
    try:
        rv = app_for(sys.argv[1:])(standalone_mode=False)
    except typer.Abort:
        sys.stderr.write("aborted\n")
        return 1
    except CorridorError as exc:  # raised before a command's own handling (a missing extra)
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except (OSError, RecursionError) as exc:  # a file name too long, a --grid path of
        sys.stderr.write(system_error_line(exc) + "\n")  # thousands of levels...
        return 1
    except typer.TyperException as exc:  # Click's usage and parameter errors
        text = " ".join(str(getattr(exc, "format_message", exc.__str__)()).split())
        ctx = getattr(exc, "ctx", None)
        where = getattr(ctx, "command_path", "") or "corridor"
        code = getattr(exc, "exit_code", 2)
        hint = f" (see '{where} -h')" if code == 2 else ""  # 2: Click's usage error
        if text:  # an empty message follows help already shown (no arguments given)
            sys.stderr.write(f"error: {text}{hint}\n")
        return int(code)
    return rv if isinstance(rv, int) else 0


def main() -> None:
    """Entry point of the ``corridor`` script and ``python -m corridor``.

    Runs the command, flushes its output, then leaves without the interpreter's final garbage
    collection and module teardown (a tenth to a quarter of a second of pure waiting); exit
    handlers registered with :mod:`atexit` still run.
    """
    import atexit  # noqa: PLC0415
    import os  # noqa: PLC0415

    code = 0
    try:
        code = _run_app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (``corridor nodes | head``)
        code = code or 1
    os._exit(code)

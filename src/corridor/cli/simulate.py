"""``corridor simulate`` and ``corridor scenarios``: the capacity simulation on the command line.

Call :func:`register` on the ``corridor`` typer app to add the two commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridor.cli.render import make_console
from corridor.errors import CorridorError
from corridor.network import Network, load_network

__all__ = ["register"]


def _network(ctx: typer.Context) -> Network:
    """The network chosen by ``--network`` on the main command, or the bundled one."""
    root = ctx.find_root()
    folder = root.obj if isinstance(root.obj, str | Path) else None
    return load_network(folder) if folder is not None else load_network()


def _fail(exc: CorridorError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _resources_table(result: Any) -> Table:
    t = Table(
        title=f"{result.scenario}: {result.days} days, seed {result.seed}", header_style="bold"
    )
    for col, justify in (
        ("resource", "left"),
        ("kind", "left"),
        ("capacity", "right"),
        ("utilisation", "right"),
        ("mean wait h", "right"),
        ("P90 wait h", "right"),
        ("max queue TEU", "right"),
        ("throughput TEU", "right"),
    ):
        t.add_column(col, justify=justify)  # type: ignore[arg-type]
    hot = set(result.bottlenecks)
    for r in result.resources:
        style = "bold red" if r.id in hot else ("dim" if r.kind == "formation" else None)
        t.add_row(
            r.name,
            r.kind,
            f"{r.capacity:,.0f} {r.capacity_unit}",
            f"{r.utilization:.0%}",
            _fmt(r.mean_wait_h),
            _fmt(r.p90_wait_h),
            f"{r.max_queue_teu:,.0f}",
            f"{r.throughput_teu:,.0f}",
            style=style,
        )
    return t


def _summary(console: Console, result: Any) -> None:
    p50, p90 = result.transit_p50_days, result.transit_p90_days
    console.print(
        f"arrived {result.arrived_teu:,} TEU = delivered {result.delivered_teu:,} "
        f"+ in system {result.in_system_teu:,}; door-to-door P50 {p50:.1f} d, P90 {p90:.1f} d"
    )
    if result.bottlenecks:
        names = {r.id: r for r in result.resources}
        console.print(
            "bottlenecks (worst first): "
            + ", ".join(
                f"[bold red]{names[b].name}[/] ({names[b].utilization:.0%})"
                for b in result.bottlenecks
            )
        )
    else:
        console.print("no resource above 80 % utilisation: no bottleneck")


def _diff_table(rows: list[Any], base: str, other: str) -> Table:
    t = Table(title=f"{other} compared with {base}", header_style="bold")
    for col in ("resource", "quantity", base, other, "change"):
        t.add_column(col, justify="left" if col in ("resource", "quantity") else "right")
    for row in rows:
        ch = row.change
        colour = "" if ch is None or abs(ch) < 1e-9 else ("green" if ch < 0 else "red")
        if row.quantity in ("delivered_teu", "throughput_teu") and ch is not None:
            colour = "green" if ch > 0 else ("red" if ch < 0 else "")
        digits = 3 if row.quantity == "utilization" else 1
        change = _fmt(ch, digits)
        t.add_row(
            row.resource or "(whole corridor)",
            row.quantity,
            _fmt(row.base, digits),
            _fmt(row.other, digits),
            f"[{colour}]{change}[/]" if colour else change,
        )
    return t


def simulate_command(
    ctx: typer.Context,
    scenario: Annotated[
        str, typer.Argument(help="Scenario YAML file or bundled scenario name (see `scenarios`).")
    ],
    days: Annotated[
        int | None, typer.Option("--days", min=1, max=3650, help="Days to simulate.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 1,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document and nothing else.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for result.json, Parquet time series and PNG charts."),
    ] = None,
    compare_to: Annotated[
        str | None,
        typer.Option("--compare-to", help="Also run this scenario and show the differences."),
    ] = None,
) -> None:
    """Simulate a scenario's container flows through the corridor's capacity for a year."""
    from corridor.simulation import (  # noqa: PLC0415  (numba import is slow; only when used)
        compare_results,
        load_scenario,
        simulate,
        write_outputs,
    )

    console = Console(stderr=True)
    try:
        net = _network(ctx)
        scenarios = [load_scenario(scenario, net)]
        if compare_to is not None:
            scenarios.insert(0, load_scenario(compare_to, net))
        results = []
        if as_json:
            results = [simulate(s, network=net, days=days, seed=seed) for s in scenarios]
        else:
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task("starting", total=None)
                for s in scenarios:

                    def step(label: str, name: str = s.name) -> None:
                        bar.update(task, description=f"{name}: {label}")

                    results.append(simulate(s, network=net, days=days, seed=seed, progress=step))
        written = write_outputs(results[-1], out) if out is not None else []
    except CorridorError as exc:
        raise _fail(exc) from None
    result = results[-1]
    if as_json:
        doc: dict[str, Any] = result.to_dict()
        if compare_to is not None:
            base = results[0]
            doc["compare_to"] = base.to_dict()
            doc["differences"] = [d.to_dict() for d in compare_results(base, result)]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    stdout = make_console()
    if compare_to is not None:
        base = results[0]
        stdout.print(_diff_table(compare_results(base, result), base.scenario, result.scenario))
        _summary(stdout, result)
    else:
        stdout.print(_resources_table(result))
        _summary(stdout, result)
    if written:
        stdout.print(f"wrote {len(written)} files to {out}: " + ", ".join(p.name for p in written))


def scenarios_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document and nothing else.")
    ] = False,
) -> None:
    """List the bundled scenarios."""
    from corridor.simulation.scenario import (  # noqa: PLC0415
        bundled_scenarios,
        scenario_summary,
    )

    try:
        rows = [scenario_summary(name) for name in bundled_scenarios()]
    except CorridorError as exc:
        raise _fail(exc) from None
    if as_json:
        sys.stdout.write(json.dumps({"scenarios": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    t = Table(title="bundled scenarios", header_style="bold")
    for col in ("name", "year", "base", "description"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["name"], str(r["year"] or ""), str(r["base"]), r["description"])
    make_console().print(t)


def register(app: typer.Typer) -> None:
    """Add ``simulate`` and ``scenarios`` to the ``corridor`` app."""
    app.command("simulate")(simulate_command)
    app.command("scenarios")(scenarios_command)

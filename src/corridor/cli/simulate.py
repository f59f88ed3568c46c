"""``corridor simulate`` and ``corridor scenarios``: the capacity simulation on the command line.

Call :func:`register` on the ``corridor`` typer app to add the two commands.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.cli.common import CsvOpt, JsonOpt, print_json, reject_together, write_csv
from corridor.errors import CorridorError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from corridor.network import Network

__all__ = ["register"]

# How each compared quantity reads in the ``--compare-to`` table: label, unit, scale, digits.
_QUANTITIES: dict[str, tuple[str, str, float, int]] = {
    "delivered_teu": ("delivered", "TEU", 1.0, 0),
    "in_system_teu": ("still in the system", "TEU", 1.0, 0),
    "transit_p50_days": ("door-to-door P50", "days", 1.0, 1),
    "transit_p90_days": ("door-to-door P90", "days", 1.0, 1),
    "utilization": ("utilisation", "%", 100.0, 0),
    "mean_wait_h": ("mean wait", "h", 1.0, 1),
    "max_queue_teu": ("longest queue", "TEU", 1.0, 0),
    "throughput_teu": ("throughput", "TEU", 1.0, 0),
}
# Quantities where more is better (the others: less is better).
_MORE_IS_BETTER = frozenset({"delivered_teu", "throughput_teu"})


def _network(ctx: typer.Context) -> Network:
    """The network chosen by ``--network`` on the main command, or the bundled one."""
    from corridor.network import load_network  # noqa: PLC0415  (keeps start-up light)

    root = ctx.find_root()
    folder = root.obj if isinstance(root.obj, str | Path) else None
    return load_network(folder) if folder is not None else load_network()


def _fail(exc: CorridorError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _resources_table(result: Any) -> Table:
    from rich.table import Table  # noqa: PLC0415

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
        # Formation pools (trains and vessels filling up) are full by design: shown dim, never
        # painted as bottlenecks.
        style = "bold red" if r.id in hot else ("dim" if not r.kind.capacitated else None)
        t.add_row(
            r.name,
            r.kind.value,
            f"{r.capacity:,.0f} {r.capacity_unit}",
            f"{r.utilization:.0%}",
            _fmt(r.mean_wait_h),
            _fmt(r.p90_wait_h),
            f"{r.max_queue_teu:,.0f}",
            f"{r.throughput_teu:,.0f}",
            style=style,
        )
    return t


def _summary(console: Console, result: Any, *, steady: bool = False) -> None:
    p50, p90 = result.transit_p50_days, result.transit_p90_days
    transit = (
        f"door-to-door P50 {p50:.1f} d, P90 {p90:.1f} d"
        if result.delivered_teu > 0
        else "no container delivered yet: run more days for door-to-door times"
    )
    if steady:
        transit = "door-to-door times: from the steady state, below"
    console.print(
        f"arrived {result.arrived_teu:,} TEU = delivered {result.delivered_teu:,} "
        f"+ in system {result.in_system_teu:,}; {transit}"
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
        from corridor.simulation import BOTTLENECK_UTILIZATION  # noqa: PLC0415

        pools = any(not r.kind.capacitated for r in result.resources)
        note = "; the dimmed formation pools are trains filling up, not queues" if pools else ""
        console.print(
            "no bottleneck: no border, terminal, port, fleet or line is busier than "
            f"{BOTTLENECK_UTILIZATION:.0%}{note}"
        )


def _show(x: float | None, unit: str, scale: float, digits: int, *, signed: bool = False) -> str:
    if x is None:
        return "–"
    text = f"{x * scale:+,.{digits}f}" if signed else f"{x * scale:,.{digits}f}"
    return text + (" pp" if signed and unit == "%" else f" {unit}")


def _diff_table(rows: list[Any], base: Any, other: Any) -> Table:
    """The ``--compare-to`` table: readable resource names, units, percentages, signed changes."""
    from rich.table import Table  # noqa: PLC0415

    names = {r.id: r.name for r in (*base.resources, *other.resources)}
    t = Table(title=f"{other.scenario} compared with {base.scenario}", header_style="bold")
    for col in ("resource", "quantity", base.scenario, other.scenario, "change"):
        t.add_column(col, justify="left" if col in ("resource", "quantity") else "right")
    previous = None
    for row in rows:
        label, unit, scale, digits = _QUANTITIES.get(row.quantity, (row.quantity, "", 1.0, 1))
        ch = row.change
        colour = ""
        if ch is not None and abs(ch) * scale >= 0.5 * 10**-digits:
            better = ch > 0 if row.quantity in _MORE_IS_BETTER else ch < 0
            colour = "green" if better else "red"

        change = _show(ch, unit, scale, digits, signed=True)
        resource = names.get(row.resource, row.resource) if row.resource else "whole corridor"
        t.add_row(
            resource if resource != previous else "",
            label,
            _show(row.base, unit, scale, digits),
            _show(row.other, unit, scale, digits),
            f"[{colour}]{change}[/]" if colour else change,
        )
        previous = resource
    return t


def simulate_command(
    ctx: typer.Context,
    scenario: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO",
            help="Scenario YAML file or bundled scenario name (see `scenarios`).",
        ),
    ],
    days: Annotated[
        int | None,
        typer.Option("--days", metavar="N", min=1, max=3650, help="Days to simulate."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="SEED", min=0, help="Random seed.")] = 1,
    as_json: JsonOpt = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FOLDER",
            help="Folder for result.json, Parquet time series and PNG charts.",
        ),
    ] = None,
    compare_to: Annotated[
        str | None,
        typer.Option(
            "--compare-to",
            metavar="SCENARIO",
            help="Also run this scenario and show the differences.",
        ),
    ] = None,
    as_csv: CsvOpt = False,
    equilibrium: Annotated[
        bool,
        typer.Option(
            "--equilibrium",
            help="Let shippers divert to the other corridors as this one congests; iterate "
            "simulation and choice until the flows stop moving; times from the steady state.",
        ),
    ] = False,
    max_teu: Annotated[
        float,
        typer.Option(
            "--max-teu",
            metavar="TEU",
            min=1,
            max=1e12,
            help="Refuse a run expected to simulate more TEU than this (about 150 bytes of "
            "memory each).",
        ),
    ] = 20_000_000.0,
) -> None:
    """Simulate a scenario's container flows through the corridor's capacity for a year."""
    reject_together(**{"--json": as_json, "--csv": as_csv})
    try:
        results, equilibria = _run_scenarios(
            ctx,
            scenario,
            compare_to,
            days=days,
            seed=seed,
            equilibrium=equilibrium,
            max_teu=max_teu,
            quiet=as_json or as_csv,
        )
        written = []
        if out is not None:
            from corridor.present import write_simulation_charts  # noqa: PLC0415  (matplotlib)
            from corridor.simulation import write_outputs  # noqa: PLC0415

            written = [*write_outputs(results[-1], out), *write_simulation_charts(results[-1], out)]
    except CorridorError as exc:
        raise _fail(exc) from None
    if as_json:
        _print_simulation_json(results, equilibria, compared=compare_to is not None)
    elif as_csv:
        _write_simulation_csv(results, compared=compare_to is not None)
    else:
        _print_simulation(
            results, equilibria, compared=compare_to is not None, written=written, out=out
        )


def _run_scenarios(
    ctx: typer.Context,
    scenario: str,
    compare_to: str | None,
    *,
    days: int | None,
    seed: int,
    equilibrium: bool,
    max_teu: float,
    quiet: bool,
) -> tuple[list[Any], list[Any]]:
    """Load and run the scenario (after ``compare_to`` when given): results and equilibria.

    Without ``quiet`` a transient spinner on stderr tells which scenario and stage is running.
    """
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import (  # noqa: PLC0415
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from corridor.simulation import (  # noqa: PLC0415  (numba import is slow; only when used)
        load_scenario,
        simulate,
    )
    from corridor.simulation.equilibrium import (  # noqa: PLC0415
        equilibrium as run_equilibrium,
    )

    console = Console(stderr=True)
    net = _network(ctx)
    scenarios = [load_scenario(scenario, net)]
    if compare_to is not None:
        scenarios.insert(0, load_scenario(compare_to, net))
    results: list[Any] = []
    equilibria: list[Any] = []

    def run_one(s: Any, step: Any = None) -> Any:
        if not equilibrium:
            return simulate(s, network=net, days=days, seed=seed, progress=step, max_teu=max_teu)
        eq = run_equilibrium(s, network=net, days=days, seed=seed, progress=step, max_teu=max_teu)
        equilibria.append(eq)
        return eq.result

    if quiet:
        return [run_one(s) for s in scenarios], equilibria
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)
        first_compile = not _kernel_cached()
        for s in scenarios:

            def step(label: str, name: str = s.name) -> None:
                if label == "simulating" and first_compile:
                    label = (
                        "simulating; first run: compiling the kernel (a minute or more, "
                        "cached for the next runs)"
                    )
                bar.update(task, description=f"{name}: {label}")

            results.append(run_one(s, step))
    return results, equilibria


def _print_simulation_json(results: list[Any], equilibria: list[Any], *, compared: bool) -> None:
    """``--json``: the last result or equilibrium; with the base run and differences if compared."""
    from corridor.simulation import compare_results  # noqa: PLC0415

    result = results[-1]
    doc: dict[str, Any] = equilibria[-1].to_dict() if equilibria else result.to_dict()
    if compared:
        base = results[0]
        doc["compare_to"] = equilibria[0].to_dict() if equilibria else base.to_dict()
        doc["differences"] = [d.to_dict() for d in compare_results(base, result)]
    print_json(doc)


def _write_simulation_csv(results: list[Any], *, compared: bool) -> None:
    """``--csv``: the differences when compared, else one row per resource."""
    from corridor.simulation import compare_results  # noqa: PLC0415

    if compared:
        write_csv(d.to_dict() for d in compare_results(results[0], results[-1]))
    else:
        write_csv(_resource_rows(results[-1]))


def _print_simulation(
    results: list[Any],
    equilibria: list[Any],
    *,
    compared: bool,
    written: list[Path],
    out: Path | None,
) -> None:
    """The tables: resources (or differences when compared), summary, equilibrium, files."""
    from corridor.cli.render import make_console  # noqa: PLC0415
    from corridor.simulation import compare_results  # noqa: PLC0415

    result = results[-1]
    stdout = make_console()
    if compared:
        base = results[0]
        stdout.print(_diff_table(compare_results(base, result), base, result))
    else:
        stdout.print(_resources_table(result))
    _summary(stdout, result, steady=bool(equilibria))
    if equilibria:
        _equilibrium_summary(stdout, equilibria[-1])
    if written:
        stdout.print(f"wrote {len(written)} files to {out}: " + ", ".join(p.name for p in written))


def _equilibrium_summary(console: Console, eq: Any) -> None:
    """Where the demand goes at equilibrium, how the iterations ended, and the steady state."""
    from rich.table import Table  # noqa: PLC0415

    st = eq.steady
    state = (
        f"steady state from day {st.warmup_days:.0f} to day {st.end_day:.0f} (MSER-5): "
        f"door-to-door P50 {st.p50_days:.1f} d, P90 {st.p90_days:.1f} d"
        if st.exists
        else "[bold red]no steady state[/]: demand is above capacity, the TEU in the system grow "
        f"by {st.queue_growth_teu_per_day:,.1f} a day after day {st.warmup_days:.0f} "
        f"({st.undelivered_share:.0%} of the boxes arriving then are still on the way at the "
        f"end); door-to-door of the boxes arriving from day {st.warmup_days:.0f} to day "
        f"{st.end_day:.0f}: P50 {st.p50_days:.1f} d, P90 {st.p90_days:.1f} d (lower bounds: "
        "they depend on how long the run is)"
    )
    verdict = "converged" if eq.converged else "[bold red]not converged[/]"
    console.print(
        f"equilibrium: {verdict} after {eq.iterations} simulations (relative gap {eq.gap:.3f}); "
        f"{eq.diverted_teu:,.0f} of {eq.stated_teu_year:,.0f} TEU/year diverted from their "
        f"stated corridor; {state}"
    )
    t = Table(title="corridor shares at equilibrium", header_style="bold")
    for col in ("corridor", "share", "TEU/year"):
        t.add_column(col, justify="left" if col == "corridor" else "right")
    scale = eq.result_scale
    for corridor, share in sorted(eq.shares.items(), key=lambda kv: -kv[1]):
        teu = sum(o.teu_year for o in eq.options if o.corridor.value == corridor) * scale
        t.add_row(corridor, f"{share:.1%}", f"{teu:,.0f}")
    console.print(t)


def _kernel_cached() -> bool:
    """Whether numba's on-disk cache already holds the compiled simulation kernel.

    Looks at the kernel's entry points (the numba dispatchers of the engine that are not
    inlined): compiled in this process, or their index file in numba's cache folder, which numba
    names after the function and its line. When that cannot be told (a numba without these
    attributes, caching off) the answer is "yes", so nothing misleading is shown.
    """
    from corridor.simulation import engine  # noqa: PLC0415

    for value in vars(engine).values():
        folder = getattr(getattr(value, "_cache", None), "_cache_path", None)
        options = getattr(value, "targetoptions", {})
        func = getattr(value, "py_func", None)
        if not isinstance(folder, str) or func is None or options.get("inline") == "always":
            continue
        if getattr(value, "signatures", None):
            continue  # compiled in this process already
        index = f"engine.{func.__name__}-{func.__code__.co_firstlineno}.py*.nbi"
        if not any(Path(folder).glob(index)):
            return False
    return True


def _resource_rows(result: Any) -> list[dict[str, Any]]:
    """The ``simulate --csv`` rows: one per resource, as in the table."""
    hot = set(result.bottlenecks)
    return [
        {
            "id": r.id,
            "name": r.name,
            "kind": r.kind,
            "capacity": r.capacity,
            "capacity_unit": r.capacity_unit,
            "utilization": round(r.utilization, 4),
            "mean_wait_h": None if r.mean_wait_h is None else round(r.mean_wait_h, 2),
            "p90_wait_h": None if r.p90_wait_h is None else round(r.p90_wait_h, 2),
            "max_queue_teu": r.max_queue_teu,
            "throughput_teu": r.throughput_teu,
            "bottleneck_rank": result.bottlenecks.index(r.id) + 1 if r.id in hot else None,
        }
        for r in result.resources
    ]


def scenarios_command(as_json: JsonOpt = False) -> None:
    """List the bundled scenarios."""
    from corridor.io import bundled_scenarios, scenario_summary  # noqa: PLC0415

    try:
        rows = [scenario_summary(name) for name in bundled_scenarios()]
    except CorridorError as exc:
        raise _fail(exc) from None
    if as_json:
        print_json({"scenarios": rows})
        return
    from rich.table import Table  # noqa: PLC0415

    from corridor.cli.render import make_console  # noqa: PLC0415

    t = Table(title="bundled scenarios", header_style="bold")
    for col in ("name", "year", "base", "description"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["name"], str(r["year"] or ""), str(r["base"]), r["description"])
    make_console().print(t)


def capacity_command(
    ctx: typer.Context,
    scenario: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO",
            help="Scenario YAML file or bundled scenario name (see `scenarios`).",
        ),
    ],
    corridor: Annotated[
        str | None,
        typer.Option("--corridor", metavar="C", help="Only this corridor (e.g. middle)."),
    ] = None,
    compare_to: Annotated[
        str | None,
        typer.Option(
            "--compare-to",
            metavar="SCENARIO",
            help="Also measure this scenario and show what it changes (e.g. one more vessel).",
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", metavar="FILE", help="Draw the curves into a PNG file."),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option("--days", metavar="N", min=30, max=3650, help="Days of each run."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="SEED", min=0, help="Random seed.")] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run the curves' simulations on this Dask scheduler (tcp://host:8786).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            min=1,
            max=256,
            help="Run them on a local Dask cluster of N processes.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Each corridor's capacity: the TEU/year at which median door-to-door time doubles."""
    parallel = scheduler is not None or workers is not None
    if parallel and ctx.find_root().obj is not None:
        typer.echo(
            "error: --scheduler/--workers run on the bundled network, not --network", err=True
        )
        raise typer.Exit(2)
    try:
        docs = _measure_capacity(
            ctx,
            [scenario] if compare_to is None else [scenario, compare_to],
            corridor=corridor,
            days=days,
            seed=seed,
            scheduler=scheduler,
            workers=workers,
        )
        if plot is not None:
            from corridor.present.png import plot_capacity  # noqa: PLC0415  (matplotlib)

            plot_capacity(docs, plot)
    except CorridorError as exc:
        raise _fail(exc) from None
    if as_json:
        doc = dict(docs[0])
        if compare_to is not None:
            doc["compare_to"] = docs[1]
            doc["differences"] = _capacity_differences(docs[0], docs[1])
        print_json(doc)
        return
    _print_capacity(docs, compared=compare_to is not None, plot=plot)


def _measure_capacity(
    ctx: typer.Context,
    names: list[str],
    *,
    corridor: str | None,
    days: int | None,
    seed: int,
    scheduler: str | None,
    workers: int | None,
) -> list[dict[str, Any]]:
    """One capacity document per scenario named, on Dask when a scheduler or workers are given."""
    from rich.console import Console  # noqa: PLC0415

    from corridor.simulation import load_scenario  # noqa: PLC0415
    from corridor.simulation.capacity import capacity  # noqa: PLC0415

    err = Console(stderr=True)
    docs: list[dict[str, Any]] = []
    parallel = scheduler is not None or workers is not None
    net = _network(ctx)
    with contextlib.ExitStack() as stack:
        map_fn = None
        if parallel:
            from corridor.sweep import dask_map  # noqa: PLC0415  (dask is slow to import)

            map_fn = stack.enter_context(dask_map(scheduler, workers))
        status = stack.enter_context(err.status("measuring capacity"))
        for name in names:
            sc = load_scenario(name, net)
            found = capacity(
                name if parallel else sc,
                network=net,
                corridor=corridor,
                days=days,
                seed=seed,
                progress=status.update,
                map_fn=map_fn,
            )
            docs.append({"scenario": sc.name, "corridors": [c.to_dict() for c in found]})
    return docs


def _print_capacity(docs: list[dict[str, Any]], *, compared: bool, plot: Path | None) -> None:
    """The capacity tables, what the compared scenario changes, and the plot written."""
    from corridor.cli.render import make_console  # noqa: PLC0415

    out = make_console()
    for d in docs:
        out.print(_capacity_table(d))
    if compared:
        for row in _capacity_differences(docs[0], docs[1]):
            a, b, ch = row["base"], row["other"], row["change"]
            text = (
                f"{row['corridor']}: {_fmt(a, 0)} → {_fmt(b, 0)} TEU/year"
                + (f" ({ch:+,.0f}, {ch / a:+.0%})" if a and ch is not None else "")
                + _limit_text(row["limiting_resource_base"], row["limiting_resource_other"])
            )
            out.print(f"{docs[1]['scenario']} vs {docs[0]['scenario']}: {text}")
    if plot is not None:
        out.print(f"wrote {plot}")


def _limit_text(base: str | None, other: str | None) -> str:
    if base == other:
        return f"; still limited by {other or '–'}"
    return f"; the limit moves from {base or '–'} to {other or '–'}"


def _capacity_table(doc: dict[str, Any]) -> Table:
    from rich.table import Table  # noqa: PLC0415

    t = Table(title=f"{doc['scenario']}: capacity per corridor", header_style="bold")
    for col in ("corridor", "saturation TEU/year", "limiting resource", "free-flow P50 d", "note"):
        t.add_column(col, justify="right" if "TEU" in col or "P50" in col else "left")
    for c in doc["corridors"]:
        sat = c["saturation_teu_per_year"]
        t.add_row(
            c["corridor"],
            "–" if sat is None else f"{sat:,.0f}",
            c["limiting_resource"] or "–",
            _fmt(c["free_flow_p50_days"]),
            c["note"],
        )
    return t


def _capacity_differences(base: dict[str, Any], other: dict[str, Any]) -> list[dict[str, Any]]:
    """Per corridor: saturation throughput in each scenario and the change."""
    b = {c["corridor"]: c for c in base["corridors"]}
    o = {c["corridor"]: c for c in other["corridors"]}
    rows = []
    for corr in [*b, *(k for k in o if k not in b)]:
        x = b.get(corr, {}).get("saturation_teu_per_year")
        y = o.get(corr, {}).get("saturation_teu_per_year")
        rows.append(
            {
                "corridor": corr,
                "base": x,
                "other": y,
                "change": None if x is None or y is None else y - x,
                "limiting_resource_base": b.get(corr, {}).get("limiting_resource"),
                "limiting_resource_other": o.get(corr, {}).get("limiting_resource"),
            }
        )
    return rows


def register(app: typer.Typer) -> None:
    """Add ``simulate``, ``capacity`` and ``scenarios`` to the ``corridor`` app."""
    app.command("simulate")(simulate_command)
    app.command("capacity")(capacity_command)
    app.command("scenarios")(scenarios_command)

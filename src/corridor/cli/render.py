"""Rich rendering of results for people (the ``--json`` output is for programs)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from corridor.model import Node, Route
from corridor.present.colours import corridor_colour
from corridor.routing import route_countries
from corridor.transit import Comparison

__all__ = [
    "COST_CAPTION",
    "comparison_rows",
    "comparison_view",
    "cost_cells",
    "countries_line",
    "make_console",
    "nodes_rows",
    "nodes_table",
    "omitted_line",
    "route_rows",
    "route_summary",
    "route_table",
    "route_view",
]


def countries_line(countries: tuple[str, ...] | list[str]) -> str:
    """``CN › KZ › (Caspian) › AZ › GE › TR``: the countries crossed, in order."""
    return " › ".join(countries)


def omitted_line(c: Comparison) -> Text | None:
    """One line naming the corridors a comparison leaves out and why (None if none)."""
    if not c.omitted:
        return None
    line = Text("not shown: ", style="bold")
    for i, o in enumerate(c.omitted):
        if i:
            line.append("; ")
        line.append(o.corridor.value, style=corridor_colour(o.corridor.value))
        line.append(f" — {o.reason}")
    return line


def route_summary(route: Route, nodes: Mapping[str, Node], *, width: int = 8) -> str:
    """A short ``A > B > C`` line of the route's notable stops (ports, borders, ends)."""
    keep = [route.nodes[0]]
    for nid in route.nodes[1:-1]:
        if nodes[nid].kind.value in ("port", "border"):
            keep.append(nid)
    keep.append(route.nodes[-1])
    if len(keep) > width:
        keep = [*keep[: width - 2], "…", keep[-1]]
    return " > ".join(nodes[k].name if k in nodes else k for k in keep)


def nodes_table(nodes: list[Node]) -> Table:
    """The ``corridor nodes`` table."""
    t = Table(title=f"{len(nodes)} place{'' if len(nodes) == 1 else 's'}", header_style="bold")
    for col in ("id", "name", "country", "kind", "locode", "gauges", "operations"):
        t.add_column(col)
    for n in nodes:
        t.add_row(
            n.id,
            n.name,
            n.country,
            n.kind.value,
            n.locode or "",
            "/".join(str(g) for g in sorted(n.gauges)),
            ", ".join(sorted(k.value for k in n.operations)),
        )
    return t


COST_CAPTION = (
    "USD: expected cost per container, from segment tariffs (low-high range and per-leg sources "
    "in --json); est.: share of it resting on estimated rates (docs/costs.md). "
    "CO2e: well-to-wheel (WTW) and tank-to-wheel (TTW), ISO 14083 / GLEC."
)


def _unit(routes: list[Route]) -> str:
    size = routes[0].container_ft if routes else None
    return "FEU" if size in (None, 40) else "TEU"


def cost_cells(r: Route) -> list[str]:
    """Expected USD, the estimated share, WTW and TTW kg CO2e of a route."""
    wtw, ttw = r.co2e_kg if r.priced else (r.co2_kg, 0.0)
    return [
        f"{r.cost_usd:,.0f}",
        f"{r.cost_estimated_share:.0%}" if r.priced else "",
        f"{wtw:,.0f}",
        f"{ttw:,.0f}" if r.priced else "",
    ]


def route_table(routes: list[Route], nodes: Mapping[str, Node], title: str) -> Table:
    """The ``corridor route`` table: one row per route (the stops are in :func:`route_view`)."""
    unit = _unit(routes)
    t = Table(title=title, header_style="bold", caption=COST_CAPTION)
    for col, just in (
        ("#", "right"),
        ("corridor", "left"),
        ("days", "right"),
        ("km", "right"),
        (f"USD/{unit}", "right"),
        ("est.", "right"),
        ("kg CO2e WTW", "right"),
        ("TTW", "right"),
        ("borders", "right"),
        ("transship.", "right"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for i, r in enumerate(routes, start=1):
        t.add_row(
            str(i),
            Text(r.corridor.value, style=corridor_colour(r.corridor.value)),
            f"{r.days:.1f}",
            f"{r.distance_km:,.0f}",
            *cost_cells(r),
            str(r.borders),
            str(r.transshipments),
        )
    return t


def route_view(routes: list[Route], nodes: Mapping[str, Node], title: str) -> Group:
    """The ``corridor route`` output: the table, then each route's stops on a line of its own.

    The stops sit below the table rather than in a column so that they use the terminal's full
    width instead of wrapping in whatever the numeric columns leave over.
    """
    lines: list[Table | Text] = [route_table(routes, nodes, title)]
    for i, r in enumerate(routes, start=1):
        line = Text(f"{i:>3}  ")
        line.append(f"{r.corridor.value:<10}", style=corridor_colour(r.corridor.value))
        line.append(countries_line(route_countries(r, nodes)))
        line.append(f"\n{'':15}{route_summary(r, nodes, width=12)}", style="dim")
        lines.append(line)
    return Group(*lines)


def nodes_rows(nodes: list[Node]) -> list[dict[str, object]]:
    """The ``corridor nodes --csv`` rows."""
    return [
        {
            "id": n.id,
            "name": n.name,
            "aliases": ";".join(n.aliases),
            "country": n.country,
            "kind": n.kind.value,
            "locode": n.locode or "",
            "lat": n.lat,
            "lon": n.lon,
            "gauges": ";".join(str(g) for g in sorted(n.gauges)),
            "operations": ";".join(sorted(k.value for k in n.operations)),
        }
        for n in nodes
    ]


def _priced_columns(r: Route) -> dict[str, object]:
    """Container size, cost range, estimated share and both emission scopes (CSV columns)."""
    if not r.priced:
        return {}
    band = r.cost_band
    wtw, ttw = r.co2e_kg
    return {
        "container": r.container_ft,
        "cost_usd_low": round(band.low, 2),
        "cost_usd_high": round(band.high, 2),
        "cost_estimated_share": round(r.cost_estimated_share, 3),
        "co2e_kg_wtw": round(wtw, 2),
        "co2e_kg_ttw": round(ttw, 2),
    }


def route_rows(routes: list[Route], nodes: Mapping[str, Node]) -> list[dict[str, object]]:
    """The ``corridor route --csv`` rows: one per route, every stop listed."""
    return [
        {
            "rank": i,
            "corridor": r.corridor.value,
            "days": round(r.days, 2),
            "hours": round(r.hours, 2),
            "distance_km": round(r.distance_km, 1),
            "cost_usd_per_feu": round(r.cost_usd, 2),
            "co2_kg_per_feu": round(r.co2_kg, 2),
            **_priced_columns(r),
            "borders": r.borders,
            "transshipments": r.transshipments,
            "countries": " › ".join(route_countries(r, nodes)),
            "nodes": ";".join(r.nodes),
            "stops": " > ".join(nodes[k].name if k in nodes else k for k in r.nodes),
        }
        for i, r in enumerate(routes, start=1)
    ]


def comparison_rows(c: Comparison) -> list[dict[str, object]]:
    """The ``corridor compare --csv`` rows: one per corridor option."""
    rows: list[dict[str, object]] = []
    for o in c.options:
        row: dict[str, object] = {
            "origin": c.origin.id,
            "destination": c.destination.id,
            "depart": c.depart.isoformat(),
            "corridor": o.corridor.value,
            "p10_days": round(o.days.p10, 2),
            "p50_days": round(o.days.p50, 2),
            "p90_days": round(o.days.p90, 2),
            "mean_days": round(o.days.mean, 2),
            "distance_km": round(o.route.distance_km, 1),
            "cost_usd_per_feu": round(o.route.cost_usd, 2),
            "co2_kg_per_feu": round(o.route.co2_kg, 2),
            **_priced_columns(o.route),
            "borders": o.route.borders,
            "transshipments": o.route.transshipments,
        }
        if c.deadline_days is not None:
            row["deadline_days"] = c.deadline_days
            row["on_time_probability"] = (
                None if o.on_time_probability is None else round(o.on_time_probability, 4)
            )
        row["countries"] = " › ".join(o.countries)
        row["notes"] = "; ".join(o.notes)
        row["nodes"] = ";".join(o.route.nodes)
        rows.append(row)
    return rows


def comparison_view(c: Comparison, nodes: Mapping[str, Node], *, top_legs: int = 6) -> Group:
    """The ``corridor compare`` view: the corridors table, then where the days go."""
    t = Table(
        title=f"{c.origin.name} → {c.destination.name}, departing {c.depart.isoformat()}, "
        f"{c.service.value} service" + (f", values of {c.year}" if c.year else ""),
        caption=f"{c.samples:,} sampled journeys per corridor, seed {c.seed}. {COST_CAPTION}",
        header_style="bold",
    )
    unit = "FEU" if c.container_ft == 40 else "TEU"
    cols = [
        "corridor",
        "P10 d",
        "P50 d",
        "P90 d",
        "mean d",
        "km",
        f"USD/{unit}",
        "est.",
        "kg CO2e WTW",
        "TTW",
        "borders",
        "transship.",
    ]
    if c.deadline_days is not None:
        cols.append(f"≤ {c.deadline_days:g} d")
    for col in cols:
        t.add_column(col, justify="left" if col == "corridor" else "right")
    for o in c.options:
        row: list[Text | str] = [
            Text(o.corridor.value, style=corridor_colour(o.corridor.value)),
            f"{o.days.p10:.1f}",
            f"{o.days.p50:.1f}",
            f"{o.days.p90:.1f}",
            f"{o.days.mean:.1f}",
            f"{o.route.distance_km:,.0f}",
            *cost_cells(o.route),
            str(o.route.borders),
            str(o.route.transshipments),
        ]
        if o.on_time_probability is not None:
            row.append(f"{o.on_time_probability:.0%}")
        t.add_row(*row)
    parts: list[Table | Text] = [t]
    for o in c.options:
        line = Text("  ")
        line.append(f"{o.corridor.value:<10}", style=corridor_colour(o.corridor.value))
        line.append(countries_line(o.countries or route_countries(o.route, nodes)))
        line.append(f"\n{'':12}{route_summary(o.route, nodes, width=12)}", style="dim")
        for note in o.notes:
            line.append(f"\n{'':12}note: {note}", style="yellow")
        parts.append(line)
    omitted = omitted_line(c)
    if omitted is not None:
        parts.append(omitted)
    for o in c.options:
        w = Table(
            title=f"[{corridor_colour(o.corridor.value)}]{o.corridor.value}[/]: "
            f"{route_summary(o.route, nodes)}",
            title_justify="left",
            header_style="bold",
            show_edge=False,
        )
        w.add_column("where the days go")
        w.add_column("mode")
        w.add_column("mean h", justify="right")
        w.add_column("P90 h", justify="right")
        w.add_column("share", justify="right")
        total = sum(s.mean_h for s in o.legs) or 1.0
        ranked = sorted(
            zip(o.route.legs, o.legs, strict=True), key=lambda p: p[1].mean_h, reverse=True
        )
        for leg, stat in ranked[:top_legs]:
            a = nodes[leg.from_id].name
            label = a if leg.is_operation else f"{a} → {nodes[leg.to_id].name}"
            mode = leg.operation.value if leg.operation else leg.mode.value
            w.add_row(
                label, mode, f"{stat.mean_h:.1f}", f"{stat.p90_h:.1f}", f"{stat.mean_h / total:.0%}"
            )
        rest = ranked[top_legs:]
        if rest:
            w.add_row(
                f"{len(rest)} other legs",
                "",
                f"{sum(s.mean_h for _, s in rest):.1f}",
                "",
                f"{sum(s.mean_h for _, s in rest) / total:.0%}",
            )
        parts.append(w)
    return Group(*parts)


def make_console() -> Console:
    """A console for stdout: the terminal's width, or 150 columns when piped or captured."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=150)
    return console

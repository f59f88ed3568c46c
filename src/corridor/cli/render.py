"""Rich rendering of results for people (the ``--json`` output is for programs)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from corridor.model import Node, Route
from corridor.transit import Comparison

__all__ = ["comparison_view", "make_console", "nodes_table", "route_summary", "route_table"]

_COLOURS = {"middle": "green", "northern": "red", "southern": "yellow", "maritime": "blue"}


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
    t = Table(title=f"{len(nodes)} places", header_style="bold")
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


def route_table(routes: list[Route], nodes: Mapping[str, Node], title: str) -> Table:
    """The ``corridor route`` table: one row per route."""
    t = Table(title=title, header_style="bold")
    for col, just in (
        ("#", "right"),
        ("corridor", "left"),
        ("days", "right"),
        ("km", "right"),
        ("USD/FEU", "right"),
        ("kg CO2e/FEU", "right"),
        ("borders", "right"),
        ("transship.", "right"),
        ("via", "left"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for i, r in enumerate(routes, start=1):
        t.add_row(
            str(i),
            Text(r.corridor.value, style=_COLOURS.get(r.corridor.value, "")),
            f"{r.days:.1f}",
            f"{r.distance_km:,.0f}",
            f"{r.cost_usd:,.0f}",
            f"{r.co2_kg:,.0f}",
            str(r.borders),
            str(r.transshipments),
            route_summary(r, nodes),
        )
    return t


def comparison_view(c: Comparison, nodes: Mapping[str, Node], *, top_legs: int = 6) -> Group:
    """The ``corridor compare`` view: the corridors table, then where the days go."""
    t = Table(
        title=f"{c.origin.name} → {c.destination.name}, departing {c.depart.isoformat()}"
        + (f", network of {c.year}" if c.year else ""),
        caption=f"{c.samples:,} sampled journeys per corridor, seed {c.seed}",
        header_style="bold",
    )
    cols = [
        "corridor",
        "P10 d",
        "P50 d",
        "P90 d",
        "mean d",
        "km",
        "USD/FEU",
        "kg CO2e/FEU",
        "borders",
        "transship.",
    ]
    if c.deadline_days is not None:
        cols.append(f"≤ {c.deadline_days:g} d")
    for col in cols:
        t.add_column(col, justify="left" if col == "corridor" else "right")
    for o in c.options:
        row: list[Text | str] = [
            Text(o.corridor.value, style=_COLOURS.get(o.corridor.value, "")),
            f"{o.days.p10:.1f}",
            f"{o.days.p50:.1f}",
            f"{o.days.p90:.1f}",
            f"{o.days.mean:.1f}",
            f"{o.route.distance_km:,.0f}",
            f"{o.route.cost_usd:,.0f}",
            f"{o.route.co2_kg:,.0f}",
            str(o.route.borders),
            str(o.route.transshipments),
        ]
        if o.on_time_probability is not None:
            row.append(f"{o.on_time_probability:.0%}")
        t.add_row(*row)
    parts: list[Table | Text] = [t]
    for o in c.options:
        w = Table(
            title=f"[{_COLOURS.get(o.corridor.value, '')}]{o.corridor.value}[/]: "
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

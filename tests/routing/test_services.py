"""Routes as chains of services on the tiny network, worked out by hand.

The tiny network (see ``test_search.py``) in July: northern Alpha-Bravo-Charlie-Romeo-Zulu
166.7 h, middle by the Papa-Quebec ferry 168.7 h. Charlie is the CN/KZ frontier station
(border clearance and gauge change); Romeo the KZ/RU one. Land services added here:

- ``east`` runs in CN and KZ, ``west`` in KZ, RU and AZ, 2 a week (every 84 h: a box that
  changes onto it, from a train or off the ferry, waits 42 h on average); ``through`` runs in
  all four countries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType

import pytest

from corridor.model import Corridor, DepartureRule, DepartureRuleKind, Mode, Service
from corridor.network import Network
from corridor.routing import Constraints, best_route
from corridor.routing.services import service_rides
from corridor.transit.engine import sample_route

JULY = Constraints(month=7)
NORTHERN = Constraints(month=7, via=("rr",))  # the way by Romeo, overland


def _train(sid: str, countries: set[str], every_h: float = 84.0) -> Service:
    return Service(
        id=sid,
        mode=Mode.RAIL,
        links=(),
        vessels=0,
        capacity_teu=0.0,
        departure=DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=every_h),
        crossing=None,
        operator=f"{sid} operator",
        countries=frozenset(countries),
    )


def _with(net: Network, *services: Service) -> Network:
    return replace(net, land_services=MappingProxyType({s.id: s for s in services}))


EAST = _train("east", {"CN", "KZ"})
WEST = _train("west", {"KZ", "RU", "AZ"})
THROUGH = _train("through", {"CN", "KZ", "RU", "AZ"})


def test_a_relay_waits_half_the_headway_of_the_second_service(tiny: Network) -> None:
    net = _with(tiny, EAST, WEST)
    r = best_route(net, "aa", "zz", constraints=NORTHERN)
    assert r.nodes == ("aa", "bb", "cc", "rr", "zz")
    # 166.7 h of running and operations, plus 84 / 2 = 42 h waiting at Charlie for ``west``
    assert r.hours == pytest.approx(166.7 + 42.0)
    rides = service_rides(r)
    assert [(x.service.id, x.from_id, x.to_id) for x in rides] == [
        ("east", "aa", "cc"),
        ("west", "cc", "zz"),
    ]
    assert rides[1].wait_h == pytest.approx(42.0)
    assert rides[0].wait_h == 0.0  # booked at the origin: the terminal dwell covers it


MIDDLE = Constraints(month=7, corridor=Corridor.MIDDLE)


def test_a_box_off_a_vessel_waits_for_its_train_like_one_off_a_train(tiny: Network) -> None:
    # middle: ``east`` to Papa, the ferry, then ``west`` from Quebec port: the wait for a
    # departure is set by the departing service (every 84 h: 42 h), whatever the box came by
    r = best_route(_with(tiny, EAST, WEST), "aa", "zz", constraints=MIDDLE)
    assert r.nodes == ("aa", "bb", "cc", "pp", "qq", "zz")
    assert r.hours == pytest.approx(168.7 + 42.0)
    rides = service_rides(r)
    assert [(x.service.id, x.from_id, x.to_id) for x in rides] == [
        ("east", "aa", "pp"),
        ("ferry-pq", "pp", "qq"),
        ("west", "qq", "zz"),
    ]
    assert rides[2].wait_h == pytest.approx(42.0)
    # so the overland relay at Charlie (166.7 + 42 h) is now the faster way
    assert best_route(_with(tiny, EAST, WEST), "aa", "zz", constraints=JULY).hours == (
        pytest.approx(166.7 + 42.0)
    )


def test_a_train_timed_to_the_ferry_takes_the_box_without_a_wait(tiny: Network) -> None:
    timed = replace(WEST, connects_with=frozenset({"ferry-pq"}))
    r = best_route(_with(tiny, EAST, timed), "aa", "zz", constraints=JULY)
    assert r.corridor is Corridor.MIDDLE
    assert r.hours == pytest.approx(168.7)
    assert [x.wait_h for x in service_rides(r)][2] == 0.0
    # timed to the ferry, not to the trains: the relay at Charlie still waits 42 h
    overland = best_route(_with(tiny, EAST, timed), "aa", "zz", constraints=NORTHERN)
    assert overland.hours == pytest.approx(166.7 + 42.0)


@pytest.mark.parametrize("constraints", [MIDDLE, NORTHERN], ids=["middle", "northern"])
def test_services_add_the_same_waits_in_both_directions(
    tiny: Network, constraints: Constraints
) -> None:
    """Each change of service costs the departing service's wait, so a chain's waits are the
    same there and back: east-(ferry)-west westbound, west-(ferry)-east eastbound."""
    net = _with(tiny, EAST, WEST)
    back_c = replace(constraints, via=tuple(reversed(constraints.via)))
    added = []
    for o, d, c in (("aa", "zz", constraints), ("zz", "aa", back_c)):
        added.append(
            best_route(net, o, d, constraints=c).hours - best_route(tiny, o, d, constraints=c).hours
        )
    assert added[0] == pytest.approx(42.0)
    assert added[1] == pytest.approx(42.0)


def test_a_through_service_beats_a_relay_of_the_same_running_time(tiny: Network) -> None:
    r = best_route(_with(tiny, EAST, WEST, THROUGH), "aa", "zz", constraints=NORTHERN)
    assert r.hours == pytest.approx(166.7)
    assert [x.service.id for x in service_rides(r)] == ["through"]


def test_sampled_relay_wait_is_uniform_over_the_headway(tiny: Network) -> None:
    r = best_route(_with(tiny, EAST, WEST), "aa", "zz", constraints=NORTHERN)
    i = next(k for k, leg in enumerate(r.legs) if leg.boarding and leg.service is WEST)
    s = sample_route(r, 20_000, seed=3, depart=date(2025, 7, 1))
    wait = s.leg_hours[i] - 3000 / 40  # Charlie-Romeo runs 75 h at a fixed 40 km/h
    assert wait.mean() == pytest.approx(42.0, abs=1.0)  # uniform on [0, 84): mean 42, sd 24
    assert wait.min() >= 0.0
    assert wait.max() < 84.0
    assert s.total_hours.mean() == pytest.approx(r.hours, rel=0.01)


def test_without_land_services_a_route_is_one_conveyance(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=NORTHERN)
    assert r.hours == pytest.approx(166.7)
    assert all(leg.service is None for leg in r.link_legs)

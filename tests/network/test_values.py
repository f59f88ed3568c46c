"""Values in force by service class, direction and year: selection rules on the tiny network."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import DataError
from corridor.model import Direction, Operation, OperationKind, ServiceClass, Status
from corridor.network import load_network, select_values
from corridor.routing import Constraints, best_route

HEADER = (
    "node,operation,service_class,direction,year_from,year_to,"
    "dwell_h_min,dwell_h_mean,dwell_h_cv,estimate,source,note\n"
)


def _write(tiny_copy: Path, rows: str) -> None:
    (tiny_copy / "operation_values.csv").write_text(HEADER + rows, encoding="utf-8")


def _border_hours(route_legs: tuple, node: str) -> float:  # type: ignore[type-arg]
    return next(
        leg.dwell.mean
        for leg in route_legs
        if leg.from_id == node and leg.operation is OperationKind.BORDER
    )


def test_most_specific_row_wins(tiny_copy: Path) -> None:
    _write(
        tiny_copy,
        "cc,border,,,,2021,5,40,0,no,tiny,\n"
        "cc,border,,,2022,,5,60,0,no,tiny,\n"
        "cc,border,,in,2022,,5,70,0,no,tiny,\n"
        "cc,border,express,,,,1,2,0,no,tiny,\n",
    )
    net = load_network(tiny_copy)

    def op(cls: str, year: int | None) -> Operation:
        return select_values(net, cls, year).nodes["cc"].operations[OperationKind.BORDER]

    assert op("standard", 2020).dwell_for(Direction.IN).mean == 40
    assert op("standard", 2023).dwell_for(Direction.IN).mean == 70  # directed beats undirected
    assert op("standard", 2023).dwell_for(Direction.OUT).mean == 60
    assert op("standard", None).dwell_for(Direction.OUT).mean == 60  # latest values
    assert op("express", 2023).dwell_for(Direction.IN).mean == 2  # the class beats the rest
    # the base value of a node without rows is untouched
    assert (
        select_values(net, "express", 2023).nodes["bb"].operations[OperationKind.BORDER].dwell.mean
        == 5
    )


def test_direction_of_travel_picks_the_figure(tiny_copy: Path) -> None:
    # cc (KZ) is entered from bb (CN) going aa -> zz, and left towards bb going back
    _write(tiny_copy, "cc,border,,in,,,5,50,0,no,tiny,\ncc,border,,out,,,1,3,0,no,tiny,\n")
    net = load_network(tiny_copy)
    there = best_route(net, "aa", "zz", objective="cost")
    back = best_route(net, "zz", "aa", objective="cost")
    assert _border_hours(there.legs, "cc") == 50
    assert _border_hours(back.legs, "cc") == 3


def test_service_class_reaches_the_legs(tiny_copy: Path) -> None:
    _write(tiny_copy, "cc,border,express,,,,1,2,0,no,tiny,\n")
    net = load_network(tiny_copy)
    std = best_route(net, "aa", "zz", objective="cost")
    exp = best_route(
        net, "aa", "zz", objective="cost", constraints=Constraints(service=ServiceClass.EXPRESS)
    )
    assert _border_hours(std.legs, "cc") == 5
    assert _border_hours(exp.legs, "cc") == 2
    assert exp.hours < std.hours


def test_bad_value_rows_name_file_row_and_field(tiny_copy: Path) -> None:
    _write(tiny_copy, "cc,border,express,sideways,,,1,2,0,no,tiny,\n")
    with pytest.raises(DataError, match=r"operation_values.csv.*row 2.*direction"):
        load_network(tiny_copy)
    _write(tiny_copy, "cc,border,,,2024,2020,1,2,0,no,tiny,\n")
    with pytest.raises(DataError, match=r"operation_values.csv.*row 2.*year_to"):
        load_network(tiny_copy)
    _write(tiny_copy, "cc,border,,,,,1,2,0,no,nowhere,\n")
    with pytest.raises(DataError, match=r"unknown source id 'nowhere'"):
        load_network(tiny_copy)
    _write(tiny_copy, "aa,port,,,,,1,2,0,no,tiny,\n")
    with pytest.raises(DataError, match=r"no 'port' operation"):
        load_network(tiny_copy)


def test_unknown_service_class_is_a_model_error() -> None:
    from corridor.errors import ModelError

    with pytest.raises(ModelError, match="express"):
        Constraints(service="premium")  # type: ignore[arg-type]


def test_dated_link_status(tiny_copy: Path) -> None:
    (tiny_copy / "link_status.csv").write_text(
        "id,from,to,mode,both_directions,status,date_from,date_to,source,note\n"
        "shut,pp,qq,ferry,yes,closed,2023-12-15,,tiny,\n",
        encoding="utf-8",
    )
    net = load_network(tiny_copy)
    ferry = ("pp", "qq", "ferry")
    assert select_values(net, "standard", 2023).by_key[ferry].status is Status.OPERATIONAL
    assert select_values(net, "standard", 2024).by_key[ferry].status is Status.CLOSED
    assert select_values(net, "standard", None).by_key[ferry].status is Status.CLOSED
    assert select_values(net, "standard", 2024).by_key[("qq", "pp", "ferry")].status is (
        Status.CLOSED
    )

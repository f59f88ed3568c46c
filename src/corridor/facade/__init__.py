"""The Python API mirroring the CLI: names in, typed results out.

Every function accepts place names as the CLI does (id, name, alias or UN/LOCODE, any case or
accents) and an optional ``network`` (the bundled one by default). One module per concern:
:mod:`~corridor.facade.planning` (``route``, ``compare``, ``emissions``),
:mod:`~corridor.facade.tracking` (``eta`` and the planned route of a shipment) and
:mod:`~corridor.facade.validation` (``validate``); the CLI and the API call them here.
"""

from __future__ import annotations

from corridor.facade.planning import RoutePlan, compare, emissions, route
from corridor.facade.tracking import (
    EtaResult,
    eta,
    eta_document,
    parse_deadline,
    parse_milestone,
    plan_shipment,
    port_ids,
)
from corridor.facade.validation import validate
from corridor.routing import CompareRequest, RouteRequest, ScenarioRef, resolve_avoid

__all__ = [
    "CompareRequest",
    "EtaResult",
    "RoutePlan",
    "RouteRequest",
    "ScenarioRef",
    "compare",
    "emissions",
    "eta",
    "eta_document",
    "parse_deadline",
    "parse_milestone",
    "plan_shipment",
    "port_ids",
    "resolve_avoid",
    "route",
    "validate",
]

"""L1 domain model: frozen, slotted, keyword-only records shared by every layer."""

from corridor.model.distributions import LogNormalSpeed, ShiftedLogNormal, lognormal_params
from corridor.model.enums import (
    Corridor,
    DepartureRuleKind,
    LegMode,
    Mode,
    NodeKind,
    OperationKind,
    Status,
)
from corridor.model.network import (
    DepartureRule,
    Link,
    MonthWeather,
    Node,
    Operation,
    Profile,
    Service,
    Source,
)
from corridor.model.route import Leg, Route

__all__ = [
    "Corridor",
    "DepartureRule",
    "DepartureRuleKind",
    "Leg",
    "LegMode",
    "Link",
    "LogNormalSpeed",
    "Mode",
    "MonthWeather",
    "Node",
    "NodeKind",
    "Operation",
    "OperationKind",
    "Profile",
    "Route",
    "Service",
    "ShiftedLogNormal",
    "Source",
    "Status",
    "lognormal_params",
]

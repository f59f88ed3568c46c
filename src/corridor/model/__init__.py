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
from corridor.model.scenario import (
    DEFAULT_REFORM_MAX_WAIT_H,
    DEFAULT_TRAIN_MAX_WAIT_H,
    DEFAULT_TRAIN_TEU,
    Changes,
    Flow,
    LinkEdit,
    OperationEdit,
    Scenario,
    ServiceEdit,
)

__all__ = [
    "DEFAULT_REFORM_MAX_WAIT_H",
    "DEFAULT_TRAIN_MAX_WAIT_H",
    "DEFAULT_TRAIN_TEU",
    "Changes",
    "Corridor",
    "DepartureRule",
    "DepartureRuleKind",
    "Flow",
    "Leg",
    "LegMode",
    "Link",
    "LinkEdit",
    "LogNormalSpeed",
    "Mode",
    "MonthWeather",
    "Node",
    "NodeKind",
    "Operation",
    "OperationEdit",
    "OperationKind",
    "Profile",
    "Route",
    "Scenario",
    "Service",
    "ServiceEdit",
    "ShiftedLogNormal",
    "Source",
    "Status",
    "lognormal_params",
]

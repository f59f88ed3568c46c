"""Graph checks run when a network is loaded."""

from __future__ import annotations

from corridor.errors import DataError
from corridor.model import Mode, NodeKind, OperationKind
from corridor.network.graph import Network

__all__ = ["validate_network"]


def validate_network(net: Network) -> None:  # noqa: PLR0912  (one branch per consistency rule, each with its own message)
    """Check that the network is consistent; raise :class:`DataError` on the first problem.

    Checks
    ------
    - every rail link has a gauge present at both its end nodes;
    - every node where rail links of different gauges meet has a ``gauge_change`` operation;
    - every node where a vessel is boarded or left (a ferry/sea link end that is not a sea
      passage) has a ``port`` operation;
    - every node where rail meets road has a ``transfer`` operation;
    - every terminal has a ``terminal`` operation;
    - every link of a service exists as a ferry/sea link;
    - no node is an orphan (without any link).
    """
    gauges_at: dict[str, set[int]] = {n: set() for n in net.nodes}
    modes_at: dict[str, set[Mode]] = {n: set() for n in net.nodes}
    for link in net.links:
        for end in (link.from_id, link.to_id):
            modes_at[end].add(link.mode)
            node = net.nodes[end]
            if link.mode is Mode.RAIL:
                assert link.gauge is not None  # guaranteed by the loader
                gauges_at[end].add(link.gauge)
                if link.gauge not in node.gauges:
                    raise DataError(
                        f"rail link {link.from_id} -> {link.to_id} has gauge {link.gauge} but node "
                        f"'{end}' has gauges {sorted(node.gauges) or 'none'}",
                        file="links.csv",
                        field="gauge",
                    )
    for node_id, node in net.nodes.items():
        modes = modes_at[node_id]
        if not modes:
            raise DataError(f"node '{node_id}' has no link (orphan)", file="nodes.csv", field="id")
        if len(gauges_at[node_id]) > 1 and OperationKind.GAUGE_CHANGE not in node.operations:
            raise DataError(
                f"node '{node_id}' joins 1435 and 1520 mm track but has no gauge_change operation",
                file="operations.csv",
                field="operation",
            )
        water = any(m.is_water for m in modes)
        if (
            water
            and node.kind is not NodeKind.PASSAGE
            and OperationKind.PORT not in node.operations
        ):
            raise DataError(
                f"node '{node_id}' is served by vessels but has no port operation",
                file="operations.csv",
                field="operation",
            )
        if {Mode.RAIL, Mode.ROAD} <= modes and OperationKind.TRANSFER not in node.operations:
            raise DataError(
                f"node '{node_id}' joins rail and road but has no transfer operation",
                file="operations.csv",
                field="operation",
            )
        if node.kind is NodeKind.TERMINAL and OperationKind.TERMINAL not in node.operations:
            raise DataError(
                f"terminal '{node_id}' has no terminal operation",
                file="operations.csv",
                field="operation",
            )
    for service in net.services.values():
        for a, b in service.links:
            if (a, b, service.mode.value) not in net.by_key:
                raise DataError(
                    f"service '{service.id}' runs {a} -> {b} but there is no {service.mode} link",
                    file="services.yaml",
                    field="links",
                )

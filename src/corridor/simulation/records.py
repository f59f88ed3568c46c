"""Named records of arrays: what the compiled model hands the kernel, and what the kernel returns.

numba passes ``NamedTuple`` records of arrays to compiled functions, so the kernel reads
``model.services.turn_h[s]`` instead of the 31st positional argument. Indices:

- a *step* is a container step (``steps``); a flow's route starts at ``steps.first_of_flow[f]``;
- a *segment* is the run of a block train between two container-level steps: its train steps are
  ``trains.seg_start[g] .. trains.seg_end[g] - 1``;
- a *statistic* (resource) index runs over servers, then formation pools, then vessel
  directions; ``steps.res`` of a step holds the statistic index of its resource (-1: none);
- a *direction* ``d`` of service ``s`` from port ``i`` to port ``j`` (indices into the service's
  port list) is ``services.dir_base[s] + i * services.nports[s] + j``; a *global port* of
  service ``s`` is ``services.port_base[s] + i``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "Calendar",
    "KernelModel",
    "KernelResult",
    "NodeDwells",
    "PoolSpec",
    "ServerSpec",
    "ServiceSpec",
    "Steps",
    "TrainSteps",
    "WhereTEU",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Steps(NamedTuple):
    """Container steps of every flow's route, flow after flow."""

    first_of_flow: IntArray
    """First step of each flow."""
    kind: IntArray
    """:class:`~corridor.simulation.codes.StepKind` of each step."""
    res: IntArray
    """Statistic index of the step's resource (server, pool or vessel direction); -1: none."""
    dk: IntArray
    """:class:`~corridor.model.timing.DurationKind` of the step's duration."""
    d: FloatArray
    """``(n_steps, 3)`` parameters of the step's duration."""


class TrainSteps(NamedTuple):
    """Steps of block-train segments (a border crossing or a line section each)."""

    seg_start: IntArray
    seg_end: IntArray
    res: IntArray
    """Server of the step (-1: none)."""
    dk: IntArray
    d: FloatArray


class ServerSpec(NamedTuple):
    """FIFO servers: occupancy per TEU (container context) and per train, hours."""

    h_teu: FloatArray
    h_train: FloatArray


class PoolSpec(NamedTuple):
    """Block-train formation pools."""

    seg: IntArray
    """Segment the pool's trains run."""
    cap: FloatArray
    """TEU that fill a train."""
    wait_h: FloatArray
    """Longest wait after the first TEU, hours."""


class ServiceSpec(NamedTuple):
    """Vessel services (fleets shared by every direction of the service)."""

    vessels: IntArray
    cap: FloatArray
    """TEU per sailing."""
    when_full: IntArray
    """1 under "when full" (sail when full or after ``max_wait_h``), 0 under slots."""
    max_wait_h: FloatArray
    period_h: FloatArray
    """Period of the slots (timetable or interval), hours."""
    slot_start: IntArray
    slot_n: IntArray
    slot_offsets_h: FloatArray
    """Slot offsets from 1 January 00:00 of each service, ``slot_start[s]`` on."""
    cross_dk: IntArray
    cross_d: FloatArray
    turn_h: FloatArray
    """Turnaround in port after a crossing, hours."""
    wprob: FloatArray
    """``(n_services, 12)`` probability a sailing is held by weather, by month."""
    wmean: FloatArray
    """``(n_services, 12)`` mean hold, hours."""
    nports: IntArray
    port_base: IntArray
    dir_base: IntArray
    dir_valid: IntArray
    """1 for each direction the service sails."""


class NodeDwells(NamedTuple):
    """Dwell codes of the operations of nodes with several overlapping ones.

    A step whose duration is ``LONGEST`` takes the longest of the ``d[1]`` codes from index
    ``d[0]`` of this table.
    """

    dk: IntArray
    d: FloatArray


class Calendar(NamedTuple):
    """Hours from 1 January 00:00 to the start of each month, and the month numbers (1-12)."""

    month_edge_h: FloatArray
    month_num: IntArray


class KernelModel(NamedTuple):
    """Everything the kernel reads about the network and its resources."""

    steps: Steps
    trains: TrainSteps
    servers: ServerSpec
    pools: PoolSpec
    services: ServiceSpec
    calendar: Calendar
    node_dwells: NodeDwells


class WhereTEU(NamedTuple):
    """Where the TEU still in the system are at the horizon, counted from the kernel's state."""

    moving: int
    """In a node operation, a dwell or a running leg (a pending container event)."""
    in_pools: int
    """Waiting for a block train."""
    on_trains: int
    """On block trains under way."""
    in_ports: int
    """Waiting in a port for a ship."""
    on_ships: int
    """On ships loading or at sea."""
    finishing: int
    """On their last step, delivered after the horizon."""


class KernelResult(NamedTuple):
    """What one kernel run returns (statistics indexed by resource, see the module docstring)."""

    deliver_h: FloatArray
    """Delivery time of each TEU (NaN: not delivered within the horizon)."""
    arrived: int
    delivered: int
    st_arrived: FloatArray
    st_throughput: FloatArray
    st_busy_h: FloatArray
    st_wait_sum_h: FloatArray
    st_wait_n: FloatArray
    st_queue: FloatArray
    st_max_queue: FloatArray
    st_units: FloatArray
    st_capacity_offered: FloatArray
    hist: FloatArray
    snap_queue: FloatArray
    snap_in_system: FloatArray
    snap_delivered: FloatArray
    sailing_t_h: FloatArray
    sailing_dir: IntArray
    sailing_load: IntArray
    vessel_busy_h: FloatArray
    where: WhereTEU
    clock_reversals: int
    overflow: int
    """-1 when the run completed; else the index of the table that was full."""

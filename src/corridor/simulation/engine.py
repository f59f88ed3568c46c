"""The discrete-event kernel (numba): containers, block trains and vessels through FIFO resources.

:func:`run_kernel` runs a whole simulation on the named records of arrays of a
:class:`~corridor.simulation.records.KernelModel` and returns a
:class:`~corridor.simulation.records.KernelResult`. It is split by concern into small compiled
helpers: the event queue (``_flush``, ``_heap_*``), FIFO servers (``_serve``, ``_wait_end*``),
formation pools and block trains (``_join_pool``, ``_dispatch_train``, ``_train_step``), vessels
(``_join_direction``, ``_port_ready``, ``_ship_sails``, ``_ship_arrives``) and snapshots; its state
lives in named records (``_State``, ``_Events``). Events live in a 4-ary heap ordered by
``(time, insertion counter)``, so equal times keep their order and runs are reproducible. No
array is reallocated inside the event loop (numba would then reference-count every array on
every event): tables are sized by the caller, who reruns with more room if one fills up.

Resources:

- a *server* (node operation with a TEU/day capacity, border with trains/day, line section with
  train paths/day) is a single FIFO server whose occupancy is ``24 / capacity`` hours per TEU
  (container context) or per train (train context), followed by a dwell that does not hold it
  (clearance, yard, running). Because arrivals are handled in time order, the start of service
  is known on arrival (Lindley's recursion) and no event is needed for the server itself; the
  ends of the waits in its queue are kept in a time-ordered list and applied when the queue
  length is read, as if they were heap events;
- a *formation pool* collects the containers of one block-train relation; the train leaves when
  it holds ``train_teu`` or ``train_max_wait_h`` after its first container, whichever is first;
- a *vessel service* has ``vessels`` ships shared by all its directions. A ship that is ready at a
  port loads the containers waiting there for the destination with the longest queue (if no one
  waits, it repositions to the port with the most cargo waiting). Ships in the same port load one
  at a time, in order of arrival. Under "when full" a ship sails when full or ``max_wait_h`` after
  it was ready in port (arrival plus turnaround), whichever comes first; under a timetable or
  interval rule it sails at the next slot of its port. Each sailing is held by weather with the
  probability of its month (exponential hold). After the crossing it unloads and is ready again
  after the turnaround.

Every wait is counted up to the horizon at most (waits still running at the end are censored
there), so that means can be compared with the SimPy reference model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from corridor.errors import MissingExtraError

try:
    import numba
except ModuleNotFoundError as exc:  # a base install: the kernel is the `simulate` extra
    raise MissingExtraError("simulate", "numba", "the capacity simulation") from exc
from corridor.simulation.codes import DurationKind, EventKind, StepKind, Table
from corridor.simulation.records import KernelModel, KernelResult, WhereTEU

__all__ = ["HIST_BINS", "HIST_W0_H", "hist_quantile", "run_kernel"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_F = TypeVar("_F", bound=Callable[..., Any])

HIST_BINS = 400
"""Number of wait-histogram bins: bin 0 holds waits below ``HIST_W0_H``, then geometric bins."""
HIST_W0_H = 0.01
"""Lower edge of the first geometric bin of the wait histograms, hours."""
_HIST_LOG_RATIO = math.log(1e7) / (HIST_BINS - 2)

# The codes of ``simulation.codes`` as plain integers (compile-time constants for numba).
_CONTAINER = int(EventKind.CONTAINER)
_TRAIN = int(EventKind.TRAIN)
_FORM = int(EventKind.FORM)
_SHIP_READY = int(EventKind.SHIP_READY)
_SHIP_SAILS = int(EventKind.SHIP_SAILS)
_SLOT = int(EventKind.SLOT)
_SHIP_ARRIVES = int(EventKind.SHIP_ARRIVES)
_WAIT_END = int(EventKind.WAIT_END)
_NEXT_SHIP = int(EventKind.NEXT_SHIP)
_STEP_OP = int(StepKind.OP)
_STEP_FORM = int(StepKind.FORM)
_STEP_VESSEL = int(StepKind.VESSEL)
_STEP_END = int(StepKind.END)
_FIXED = int(DurationKind.FIXED)
_LOGNORMAL = int(DurationKind.LOGNORMAL)
_LONGEST = int(DurationKind.LONGEST)
_T_HEAP = int(Table.HEAP)
_T_NOW = int(Table.NOW)
_T_TRAINS = int(Table.TRAINS)
_T_SAILINGS = int(Table.SAILINGS)
_T_WAIT_ENDS = int(Table.WAIT_ENDS)

_NONE = -1
"""No event (a handler with no follow-up)."""

# Counters of the event queue (``_Events.n``).
_NH, _SEQ, _NS, _NOW_HEAD, _NOW_TAIL, _TOP_OUT, _HP_SEQ = range(7)
# Counters of the wait-end lists (``_Servers.n``): released entries, first never-used entry.
_N_SPARE, _TOP = range(2)
# Counters of a run (``_State.n``).
_ARRIVED, _DELIVERED, _N_TRAINS, _N_SAILINGS, _SNAP_I, _DL_ACC, _N_BACK, _NEXT_ARRIVAL = range(8)
_FINISHING = 8
_N_COUNTERS = 9


def hist_quantile(hist: FloatArray, q: float) -> float:
    """The ``q``-quantile (0-1) of a wait histogram, hours (geometric interpolation in a bin).

    Examples
    --------
    >>> h = np.zeros(HIST_BINS)
    >>> h[0] = 10.0
    >>> hist_quantile(h, 0.9)
    0.0
    """
    total = float(hist.sum())
    if total <= 0:
        return 0.0
    target = q * total
    cum = np.cumsum(hist)
    b = int(np.searchsorted(cum, target, side="left"))
    if b == 0:
        return 0.0
    b = min(b, HIST_BINS - 1)
    before = float(cum[b - 1])
    frac = (target - before) / float(hist[b]) if hist[b] > 0 else 0.0
    lo = HIST_W0_H * math.exp((b - 1) * _HIST_LOG_RATIO)
    return lo * math.exp(frac * _HIST_LOG_RATIO)


_KERNEL_OPTIONS: dict[str, Any] = {"cache": True, "_nrt": False}


def _compiled(fn: _F) -> _F:
    """Compile a kernel function: inlined where it is called, without reference counting.

    The kernel's functions take its records (NamedTuples of arrays) and never allocate: every
    array is made by :func:`run_kernel` in Python, so numba's reference counting is off
    (``_nrt=False``; with it, every call would count references to every array of every record
    it is passed, on every event). Inlining makes the event loop one compiled function, as
    fast as if it were written as one.
    """
    return numba.njit(**_KERNEL_OPTIONS, inline="always")(fn)  # type: ignore[no-any-return]


def _compiled_entry(fn: _F) -> _F:
    """Compile the kernel's entry point (not inlined, no reference counting)."""
    return numba.njit(**_KERNEL_OPTIONS)(fn)  # type: ignore[no-any-return]


# ==================================================================== state records


class _Events(NamedTuple):
    """The event queue: a 4-ary heap, a FIFO of events due now, and the staged pushes."""

    ht: FloatArray
    """Heap times; the children of entry ``i`` are ``4i+1 .. 4i+4``."""
    hv: IntArray
    """``(cap, 4)``: insertion counter, kind, a, b (one cache line per entry with ``ht``)."""
    now_k: IntArray
    now_a: IntArray
    now_b: IntArray
    st_t: FloatArray
    """Pushes staged by the event being handled, flushed before the next event."""
    st_k: IntArray
    st_a: IntArray
    st_b: IntArray
    n: IntArray
    """Counters ``_NH .. _HP_SEQ``."""
    hp_t: FloatArray
    """``[time]`` of the last event taken from the heap (its counter is ``n[_HP_SEQ]``)."""


class _Servers(NamedTuple):
    """FIFO servers: when each is free, and the ends of the waits in its queue.

    As a FIFO server's starts increase, the ends of its waits ("the queue of server ``r``
    shrinks by ``n`` at time ``t``") are kept in a per-server list in time order instead of
    the heap, and applied when the queue length is read (an arrival that queues, a snapshot),
    exactly as if they had been popped from the heap. Each takes the insertion counter it
    would have had in the heap, so the other events keep theirs.
    """

    free: FloatArray
    end_t: FloatArray
    end_seq: IntArray
    end_n: FloatArray
    end_next: IntArray
    spare: IntArray
    """Stack of released entries."""
    head: IntArray
    tail: IntArray
    n: IntArray
    """Counters ``_N_SPARE``, ``_TOP``."""


class _Stats(NamedTuple):
    """Per-resource statistics (index: servers, pools, vessel directions)."""

    arr: FloatArray
    thru: FloatArray
    busy: FloatArray
    wsum: FloatArray
    wn: FloatArray
    q: FloatArray
    maxq: FloatArray
    units: FloatArray
    capoff: FloatArray
    hist: FloatArray


class _Containers(NamedTuple):
    step: IntArray
    """Step at which the container waits (pool, port queue)."""
    enter: FloatArray
    """When it started waiting there."""
    next: IntArray
    """Next container in the same linked list (pool, train, port queue, ship)."""
    deliver: FloatArray


class _Pools(NamedTuple):
    head: IntArray
    tail: IntArray
    n: IntArray
    gen: IntArray
    """Train generation: a deadline event of an older generation is void."""


class _Trains(NamedTuple):
    head: IntArray
    n: IntArray
    """TEU on the train (0 once it is dissolved)."""
    seg: IntArray


class _Fleet(NamedTuple):
    """Ships, their ports (global port index) and the containers waiting per direction."""

    svc: IntArray
    port: IntArray
    """Port index within the service (-1: at sea)."""
    dest: IntArray
    load: IntArray
    head: IntArray
    tail: IntArray
    gen: IntArray
    next: IntArray
    """Next ship in the same port queue."""
    busy: FloatArray
    """Hours at sea or in turnaround within the horizon."""
    ready: FloatArray
    """When the ship was last ready in port."""
    port_svc: IntArray
    port_i: IntArray
    port_head: IntArray
    """First ship in each global port's queue (the one that may load)."""
    port_tail: IntArray
    loading: IntArray
    """Ship loading at each global port under "when full" (-1: none)."""
    dir_svc: IntArray
    dir_i: IntArray
    dir_j: IntArray
    cq_head: IntArray
    cq_tail: IntArray
    cq_n: IntArray
    sl_t: FloatArray
    sl_dir: IntArray
    sl_load: IntArray


class _Snapshots(NamedTuple):
    q: FloatArray
    wip: FloatArray
    done: FloatArray
    dl_cnt: IntArray
    """Deliveries by the first snapshot that counts them."""


class _State(NamedTuple):
    c: _Containers
    srv: _Servers
    st: _Stats
    pools: _Pools
    trains: _Trains
    fleet: _Fleet
    snap: _Snapshots
    n: IntArray
    """Counters ``_ARRIVED .. _FINISHING``."""


# ==================================================================== small helpers


@_compiled
def _sample(dk: int, d0: float, d1: float, d2: float) -> float:  # pragma: no cover - numba
    """A duration drawn by the rule of :class:`~corridor.model.timing.DurationKind`."""
    if dk == _FIXED:
        return d0
    z = np.random.standard_normal()  # noqa: NPY002  (numba's generator, seeded by run_kernel)
    if dk == _LOGNORMAL:
        return d0 + math.exp(d1 + d2 * z)
    return d0 / math.exp(d1 + d2 * z)


@_compiled
def _draw(m: KernelModel, dk: int, d0: float, d1: float, d2: float) -> float:  # pragma: no cover
    """A step's duration: :func:`_sample`, or the longest of a node's overlapping operations."""
    if dk != _LONGEST:
        return _sample(dk, d0, d1, d2)
    nd = m.node_dwells
    longest = 0.0
    for g in range(int(d0), int(d0) + int(d1)):
        longest = max(longest, _sample(nd.dk[g], nd.d[g, 0], nd.d[g, 1], nd.d[g, 2]))
    return longest


@_compiled
def _snap_bucket(t: float, dt: float, n_snap: int) -> int:  # pragma: no cover - numba
    """The first snapshot ``i`` (``i * dt > t``) that counts something done at time ``t``."""
    b = int(t / dt) + 1
    while b > 0 and (b - 1) * dt > t:
        b -= 1
    while b * dt <= t:
        b += 1
    return min(b, n_snap)


@_compiled
def _hist_bin(w: float) -> int:  # pragma: no cover - numba
    if w < HIST_W0_H:
        return 0
    b = 1 + int(math.log(w / HIST_W0_H) / _HIST_LOG_RATIO)
    return b if b < HIST_BINS else HIST_BINS - 1


@_compiled
def _record_wait(st: _Stats, i: int, w: float, n: float) -> None:  # pragma: no cover - numba
    """``n`` TEU waited ``w`` hours at resource ``i``."""
    st.wsum[i] += w * n
    st.wn[i] += n
    st.hist[i, _hist_bin(w)] += n


@_compiled
def _record_list_waits(
    st: _Stats, i: int, c: _Containers, first: int, until: float
) -> None:  # pragma: no cover - numba
    """Every container of the linked list from ``first`` waited at ``i`` until ``until``."""
    x = first
    while x >= 0:
        _record_wait(st, i, until - c.enter[x], 1.0)
        x = c.next[x]


@_compiled
def _join(
    head: IntArray, tail: IntArray, q: int, c: _Containers, x: int
) -> None:  # pragma: no cover
    """Append container ``x`` to the linked list ``q`` (``head[q]``, ``tail[q]``)."""
    if tail[q] >= 0:
        c.next[tail[q]] = x
    else:
        head[q] = x
    tail[q] = x
    c.next[x] = -1


# ==================================================================== event queue


@_compiled
def _stage(ev: _Events, t: float, kind: int, a: int, b: int) -> None:  # pragma: no cover - numba
    """Stage an event; it enters the queue at the next flush (see :func:`_flush`)."""
    i = ev.n[_NS]
    ev.st_t[i] = t
    ev.st_k[i] = kind
    ev.st_a[i] = a
    ev.st_b[i] = b
    ev.n[_NS] = i + 1


@_compiled
def _now_push(ev: _Events, kind: int, a: int, b: int) -> bool:  # pragma: no cover - numba
    """Append an event due now to the FIFO (False when it is full)."""
    cap = ev.now_k.shape[0]
    head = ev.n[_NOW_HEAD]
    tail = ev.n[_NOW_TAIL]
    if tail == cap:
        if head == 0:
            return False
        m = tail - head
        for y in range(m):
            ev.now_k[y] = ev.now_k[head + y]
            ev.now_a[y] = ev.now_a[head + y]
            ev.now_b[y] = ev.now_b[head + y]
        head = 0
        tail = m
        ev.n[_NOW_HEAD] = 0
    ev.now_k[tail] = kind
    ev.now_a[tail] = a
    ev.now_b[tail] = b
    ev.n[_NOW_TAIL] = tail + 1
    return True


@_compiled
def _heap_push(
    ev: _Events, t_new: float, seq: int, kind: int, a: int, b: int, lim: int
) -> None:  # pragma: no cover - numba
    """Sift a new entry up from the end of the heap, no higher than below entry ``lim``."""
    ht = ev.ht
    hv = ev.hv
    pos = ev.n[_NH]
    ev.n[_NH] = pos + 1
    while pos > lim:
        par = (pos - 1) >> 2
        if ht[par] < t_new or (ht[par] == t_new and hv[par, 0] < seq):
            break
        ht[pos] = ht[par]
        hv[pos, 0] = hv[par, 0]
        hv[pos, 1] = hv[par, 1]
        hv[pos, 2] = hv[par, 2]
        hv[pos, 3] = hv[par, 3]
        pos = par
    ht[pos] = t_new
    hv[pos, 0] = seq
    hv[pos, 1] = kind
    hv[pos, 2] = a
    hv[pos, 3] = b


@_compiled
def _heap_sift_root(
    ev: _Events, rt: float, rs: int, rk: int, ra: int, rb: int
) -> None:  # pragma: no cover - numba
    """Put the entry ``(rt, rs, rk, ra, rb)`` at the root and sift it down."""
    ht = ev.ht
    hv = ev.hv
    nh = ev.n[_NH]
    pos = 0
    while True:
        c0 = 4 * pos + 1
        if c0 >= nh:
            break
        ch = c0
        if c0 + 3 < nh:
            # the smallest of four children, without hard-to-predict branches
            ta = ht[c0]
            tb = ht[c0 + 1]
            tc = ht[c0 + 2]
            td = ht[c0 + 3]
            i1 = c0 + int(tb < ta)
            t1 = min(ta, tb)
            i2 = c0 + 2 + int(td < tc)
            t2 = min(tc, td)
            ch = i2 if t2 < t1 else i1
            tie = ta == tb or tc == td or t1 == t2
        else:
            tie = True
        if tie:  # rare (equal times) or a partial group: compare (time, seq)
            ch = c0
            for x in range(c0 + 1, min(c0 + 4, nh)):
                if ht[x] < ht[ch] or (ht[x] == ht[ch] and hv[x, 0] < hv[ch, 0]):
                    ch = x
        if ht[ch] < rt or (ht[ch] == rt and hv[ch, 0] < rs):
            ht[pos] = ht[ch]
            hv[pos, 0] = hv[ch, 0]
            hv[pos, 1] = hv[ch, 1]
            hv[pos, 2] = hv[ch, 2]
            hv[pos, 3] = hv[ch, 3]
            pos = ch
        else:
            break
    ht[pos] = rt
    hv[pos, 0] = rs
    hv[pos, 1] = rk
    hv[pos, 2] = ra
    hv[pos, 3] = rb


@_compiled
def _flush(  # noqa: PLR0915  (one pass that keeps the replaced root in locals: the hot path)
    ev: _Events, srv: _Servers, t: float
) -> int:  # pragma: no cover - numba
    """Move the staged events into the queue; returns the full :class:`Table` or -1.

    Ends of server waits go to their server's list, events due now to the FIFO, the others
    into the heap. The event just handled may still sit at the root (``_TOP_OUT``): the first
    later event replaces it and is sifted down once after the flush (a pop and a push in one
    pass); until then no push may reach the root (only an event earlier than now could).
    """
    n = ev.n
    top_out = n[_TOP_OUT] == 1
    lim = 4 if top_out else 0
    sift = False
    rt = 0.0
    rs = 0
    rk = 0
    ra = 0
    rb = 0
    seq = n[_SEQ]
    ovf = -1
    for x in range(n[_NS]):
        kind = ev.st_k[x]
        if kind == _WAIT_END:  # always later than t (a wait that has started)
            if not _wait_end_add(srv, ev.st_a[x], ev.st_t[x], float(ev.st_b[x]), seq):
                ovf = _T_WAIT_ENDS
                break
            seq += 1
            continue
        if ev.st_t[x] == t:
            if not _now_push(ev, kind, ev.st_a[x], ev.st_b[x]):
                ovf = _T_NOW
                break
            continue
        if top_out:
            top_out = False
            rt = ev.st_t[x]
            rs = seq
            rk = kind
            ra = ev.st_a[x]
            rb = ev.st_b[x]
            sift = True
            seq += 1
            continue
        if n[_NH] == ev.ht.shape[0]:
            ovf = _T_HEAP
            break
        _heap_push(ev, ev.st_t[x], seq, kind, ev.st_a[x], ev.st_b[x], lim)
        seq += 1
    n[_NS] = 0
    n[_SEQ] = seq
    if ovf >= 0:
        return ovf
    if top_out:  # nothing replaced the event taken from the root: pop it
        top_out = False
        nh = n[_NH] - 1
        n[_NH] = nh
        if nh > 0:
            rt = ev.ht[nh]
            rs = ev.hv[nh, 0]
            rk = ev.hv[nh, 1]
            ra = ev.hv[nh, 2]
            rb = ev.hv[nh, 3]
            sift = True
    n[_TOP_OUT] = 0
    if sift:
        _heap_sift_root(ev, rt, rs, rk, ra, rb)
    return -1


# ==================================================================== servers


@_compiled
def _wait_end_add(
    srv: _Servers, r: int, t_end: float, n_teu: float, seq: int
) -> bool:  # pragma: no cover - numba
    """Append "the queue of ``r`` shrinks by ``n_teu`` at ``t_end``" (False: table full)."""
    if srv.n[_N_SPARE] > 0:
        srv.n[_N_SPARE] -= 1
        e = srv.spare[srv.n[_N_SPARE]]
    elif srv.n[_TOP] < srv.end_t.shape[0]:
        e = srv.n[_TOP]
        srv.n[_TOP] += 1
    else:
        return False
    srv.end_t[e] = t_end
    srv.end_seq[e] = seq
    srv.end_n[e] = n_teu
    srv.end_next[e] = -1
    if srv.tail[r] >= 0:
        srv.end_next[srv.tail[r]] = e
    else:
        srv.head[r] = e
    srv.tail[r] = e
    return True


@_compiled
def _wait_ends_before(
    srv: _Servers, st: _Stats, r: int, t: float, hp_t: float, hp_seq: int
) -> None:  # pragma: no cover - numba
    """Apply the wait ends of ``r`` that precede an event at ``t``.

    Those before ``t``, and those at ``t`` inserted before the event taken from the heap at
    ``t`` (``hp_t``, ``hp_seq``); pass ``hp_t < t`` to apply only those before ``t``.
    """
    e = srv.head[r]
    while e >= 0 and (
        srv.end_t[e] < t or (srv.end_t[e] == t and hp_t == t and srv.end_seq[e] < hp_seq)
    ):
        st.q[r] -= srv.end_n[e]
        srv.spare[srv.n[_N_SPARE]] = e
        srv.n[_N_SPARE] += 1
        e = srv.end_next[e]
    srv.head[r] = e
    if e < 0:
        srv.tail[r] = -1


@_compiled
def _serve(
    srv: _Servers,
    st: _Stats,
    ev: _Events,
    r: int,
    t: float,
    occ: float,
    n_teu: int,
    horizon_h: float,
) -> float:  # pragma: no cover - numba
    """``n_teu`` TEU (one TEU or a train) reach FIFO server ``r`` at ``t``, holding it ``occ`` h.

    Returns when their service starts (Lindley's recursion: arrivals come in time order).
    """
    nteu = float(n_teu)
    start = max(t, srv.free[r])
    srv.free[r] = start + occ
    st.arr[r] += nteu
    _record_wait(st, r, min(start, horizon_h) - t, nteu)
    if start > t:
        _wait_ends_before(srv, st, r, t, ev.hp_t[0], ev.n[_HP_SEQ])
        st.q[r] += nteu
        st.maxq[r] = max(st.maxq[r], st.q[r])
        _stage(ev, start, _WAIT_END, r, n_teu)
    if start < horizon_h:
        st.busy[r] += min(start + occ, horizon_h) - start
    if start + occ <= horizon_h:
        st.thru[r] += nteu
    return float(start)


# ==================================================================== containers and trains


@_compiled
def _deliver(state: _State, x: int, td: float, dt: float) -> None:  # pragma: no cover - numba
    """Container ``x`` is delivered at ``td`` (within the horizon)."""
    state.c.deliver[x] = td
    state.n[_DELIVERED] += 1
    state.snap.dl_cnt[_snap_bucket(td, dt, state.snap.q.shape[0])] += 1


@_compiled
def _operation_step(
    m: KernelModel,
    state: _State,
    ev: _Events,
    x: int,
    k: int,
    t: float,
    horizon_h: float,
    dt: float,
) -> None:  # pragma: no cover - numba
    """Container ``x`` at operation step ``k``: its server (if any), then the step's duration."""
    steps = m.steps
    r = steps.res[k]
    start = t
    occ = 0.0
    if r >= 0:
        occ = m.servers.h_teu[r]
        start = _serve(state.srv, state.st, ev, r, t, occ, 1, horizon_h)
    dur = _draw(m, steps.dk[k], steps.d[k, 0], steps.d[k, 1], steps.d[k, 2])
    if steps.kind[k + 1] == _STEP_END:
        # Delivery touches no shared state and draws no random number: record it now instead
        # of through an event (counted in the snapshots at its time).
        td = start + occ + dur
        if td <= horizon_h:
            _deliver(state, x, td, dt)
        else:
            state.n[_FINISHING] += 1
    else:
        _stage(ev, start + occ + dur, _CONTAINER, x, k + 1)


@_compiled
def _join_pool(
    m: KernelModel, state: _State, ev: _Events, x: int, k: int, t: float
) -> int:  # pragma: no cover - numba
    """Container ``x`` joins the formation pool of step ``k``; returns the pool when it is full."""
    sidx = m.steps.res[k]
    p = sidx - m.servers.h_teu.shape[0]
    c = state.c
    st = state.st
    pools = state.pools
    c.step[x] = k
    c.enter[x] = t
    st.arr[sidx] += 1.0
    st.q[sidx] += 1.0
    st.maxq[sidx] = max(st.maxq[sidx], st.q[sidx])
    _join(pools.head, pools.tail, p, c, x)
    pools.n[p] += 1
    if pools.n[p] == 1:
        pools.gen[p] += 1
        _stage(ev, t + m.pools.wait_h[p], _FORM, p, pools.gen[p])
    if pools.n[p] >= m.pools.cap[p]:
        return int(p)  # dispatched through a zero-delay deadline of the new generation
    return -1


@_compiled
def _dispatch_train(
    m: KernelModel, state: _State, ev: _Events, p: int, gen: int, t: float
) -> int:  # pragma: no cover - numba
    """Deadline (or full train) of pool ``p``'s generation ``gen``; returns a full table or -1."""
    pools = state.pools
    if pools.gen[p] != gen or pools.n[p] == 0:
        return -1
    st = state.st
    sidx = m.servers.h_teu.shape[0] + p
    nteu = pools.n[p]
    _record_list_waits(st, sidx, state.c, pools.head[p], t)
    st.q[sidx] -= nteu
    st.thru[sidx] += nteu
    st.units[sidx] += 1.0
    st.capoff[sidx] += m.pools.cap[p]
    tr = state.n[_N_TRAINS]
    if tr == state.trains.head.shape[0]:
        return _T_TRAINS
    seg = m.pools.seg[p]
    state.trains.head[tr] = pools.head[p]
    state.trains.n[tr] = nteu
    state.trains.seg[tr] = seg
    pools.head[p] = -1
    pools.tail[p] = -1
    pools.n[p] = 0
    pools.gen[p] += 1
    _stage(ev, t, _TRAIN, tr, m.trains.seg_start[seg])
    state.n[_N_TRAINS] = tr + 1
    return -1


@_compiled
def _train_step(
    m: KernelModel, state: _State, ev: _Events, tr: int, j: int, t: float, horizon_h: float
) -> None:  # pragma: no cover - numba
    """Train ``tr`` reaches its train step ``j``; at the end of its segment it is dissolved."""
    trains = state.trains
    ts = m.trains
    if j == ts.seg_end[trains.seg[tr]]:
        x = trains.head[tr]
        while x >= 0:
            nxt = state.c.next[x]
            state.c.next[x] = -1
            _stage(ev, t, _CONTAINER, x, state.c.step[x] + 1)
            x = nxt
        trains.n[tr] = 0
        return
    r = ts.res[j]
    start = t
    occ = 0.0
    if r >= 0:
        occ = m.servers.h_train[r]
        start = _serve(state.srv, state.st, ev, r, t, occ, trains.n[tr], horizon_h)
    dur = _draw(m, ts.dk[j], ts.d[j, 0], ts.d[j, 1], ts.d[j, 2])
    _stage(ev, start + occ + dur, _TRAIN, tr, j + 1)


# ==================================================================== vessels


@_compiled
def _join_direction(
    m: KernelModel, state: _State, x: int, k: int, t: float
) -> int:  # pragma: no cover - numba
    """Container ``x`` waits for a ship of step ``k``'s direction; returns a ship now full.

    Under "when full" it boards the ship loading in its port for its destination if there is
    one with room; otherwise it queues in the port.
    """
    svc = m.services
    fl = state.fleet
    st = state.st
    c = state.c
    sidx = m.steps.res[k]
    d = sidx - (m.servers.h_teu.shape[0] + m.pools.seg.shape[0])
    c.step[x] = k
    c.enter[x] = t
    st.arr[sidx] += 1.0
    st.q[sidx] += 1.0
    st.maxq[sidx] = max(st.maxq[sidx], st.q[sidx])
    s = fl.dir_svc[d]
    v = fl.loading[svc.port_base[s] + fl.dir_i[d]]
    if svc.when_full[s] == 1 and v >= 0 and fl.dest[v] == fl.dir_j[d] and fl.load[v] < svc.cap[s]:
        _join(fl.head, fl.tail, v, c, x)
        fl.load[v] += 1
        return v if fl.load[v] >= svc.cap[s] else -1
    _join(fl.cq_head, fl.cq_tail, d, c, x)
    fl.cq_n[d] += 1
    return -1


@_compiled
def _pick_destination(m: KernelModel, fl: _Fleet, s: int, i: int) -> int:  # pragma: no cover
    """Destination (port index) for a ship loading at port ``i`` of service ``s``, or -1.

    The direction with the longest queue; if no one waits, the port with the most cargo
    waiting (the ship repositions).
    """
    svc = m.services
    np_ = svc.nports[s]
    base = svc.dir_base[s] + i * np_
    best = -1
    best_q = -1
    for jj in range(np_):
        if svc.dir_valid[base + jj] == 1 and fl.cq_n[base + jj] > best_q:
            best = jj
            best_q = fl.cq_n[base + jj]
    if best_q == 0:
        best_back = -1
        for jj in range(np_):
            if svc.dir_valid[base + jj] == 1:
                back = 0
                b2 = svc.dir_base[s] + jj * np_
                for kk in range(np_):
                    back += fl.cq_n[b2 + kk]
                if back > best_back:
                    best_back = back
                    best = jj
    return best


@_compiled
def _load_ship(m: KernelModel, state: _State, v: int, d: int) -> None:  # pragma: no cover
    """Ship ``v`` takes the containers waiting for direction ``d``, up to its capacity."""
    fl = state.fleet
    c = state.c
    cap = m.services.cap[fl.svc[v]]
    while fl.cq_n[d] > 0 and fl.load[v] < cap:
        x = fl.cq_head[d]
        fl.cq_head[d] = c.next[x]
        if fl.cq_head[d] < 0:
            fl.cq_tail[d] = -1
        fl.cq_n[d] -= 1
        _join(fl.head, fl.tail, v, c, x)
        fl.load[v] += 1


@_compiled
def _port_ready(
    m: KernelModel,
    state: _State,
    ev: _Events,
    kind: int,
    a: int,
    b: int,
    t: float,
    horizon_h: float,
) -> int:  # pragma: no cover - numba
    """A ship ready in port, the next ship's turn, or a slot; returns a ship that sails now.

    The ship at the head of the port's queue loads for the best destination. Under "when full"
    it sails when full or ``max_wait_h`` after it was ready; under slots it sails at once.
    """
    svc = m.services
    fl = state.fleet
    if kind == _SHIP_READY:
        v = a
        s = fl.svc[v]
        gp = svc.port_base[s] + fl.port[v]
        fl.next[v] = -1
        fl.ready[v] = t
        if fl.port_tail[gp] >= 0:
            fl.next[fl.port_tail[gp]] = v
        else:
            fl.port_head[gp] = v
        fl.port_tail[gp] = v
    else:
        gp = a
        s = fl.port_svc[gp]
    v = fl.port_head[gp]
    go = False
    if kind == _SLOT:
        nslot = b + 1
        nsl = svc.slot_n[s]
        t_next = (
            svc.period_h[s] * (nslot // nsl) + svc.slot_offsets_h[svc.slot_start[s] + nslot % nsl]
        )
        if t_next <= horizon_h:
            _stage(ev, t_next, _SLOT, gp, nslot)
        go = v >= 0
    elif svc.when_full[s] == 1 and v >= 0 and fl.loading[gp] < 0:
        go = True
    if not go:
        return -1
    i = fl.port_i[gp]
    best = _pick_destination(m, fl, s, i)
    if best < 0:
        return -1
    fl.dest[v] = best
    _load_ship(m, state, v, svc.dir_base[s] + i * svc.nports[s] + best)
    if svc.when_full[s] == 0:
        return int(v)
    fl.loading[gp] = v
    fl.gen[v] += 1
    if fl.load[v] >= svc.cap[s] or fl.ready[v] + svc.max_wait_h[s] <= t:
        return int(v)
    _stage(ev, fl.ready[v] + svc.max_wait_h[s], _SHIP_SAILS, v, fl.gen[v])
    return -1


@_compiled
def _ship_arrives(
    m: KernelModel, state: _State, ev: _Events, v: int, t: float, horizon_h: float
) -> None:  # pragma: no cover - numba
    """Ship ``v`` arrives: it unloads (each container goes on) and turns around."""
    fl = state.fleet
    s = fl.svc[v]
    fl.port[v] = fl.dest[v]
    x = fl.head[v]
    while x >= 0:
        nxt = state.c.next[x]
        state.c.next[x] = -1
        _stage(ev, t, _CONTAINER, x, state.c.step[x] + 1)
        x = nxt
    fl.head[v] = -1
    fl.tail[v] = -1
    fl.load[v] = 0
    turn = m.services.turn_h[s]
    _stage(ev, t + turn, _SHIP_READY, v, 0)
    if t < horizon_h:
        fl.busy[v] += min(t + turn, horizon_h) - t


@_compiled
def _weather_hold(m: KernelModel, s: int, t: float) -> float:  # pragma: no cover - numba
    """Hours a sailing of service ``s`` at ``t`` is held by the weather of its month."""
    cal = m.calendar
    mo = cal.month_num[np.searchsorted(cal.month_edge_h, t, side="right") - 1] - 1
    p_hold = m.services.wprob[s, mo]
    if p_hold > 0.0 and np.random.random() < p_hold:  # noqa: NPY002  (numba)
        return float(np.random.exponential(m.services.wmean[s, mo]))  # noqa: NPY002
    return 0.0


@_compiled
def _ship_sails(
    m: KernelModel, state: _State, ev: _Events, v: int, gen: int, t: float, horizon_h: float
) -> int:  # pragma: no cover - numba
    """Ship ``v`` of generation ``gen`` sails (after a weather hold); returns a full table or -1."""
    fl = state.fleet
    if fl.gen[v] != gen or fl.port[v] < 0:
        return -1
    svc = m.services
    st = state.st
    s = fl.svc[v]
    i = fl.port[v]
    gp = svc.port_base[s] + i
    d = svc.dir_base[s] + i * svc.nports[s] + fl.dest[v]
    sidx = m.servers.h_teu.shape[0] + m.pools.seg.shape[0] + d
    dep = t + _weather_hold(m, s, t)
    load = fl.load[v]
    _record_list_waits(st, sidx, state.c, fl.head[v], min(dep, horizon_h))
    st.q[sidx] -= load
    if dep <= horizon_h:
        st.thru[sidx] += load
    st.units[sidx] += 1.0
    st.capoff[sidx] += svc.cap[s]
    n_sl = state.n[_N_SAILINGS]
    if n_sl == fl.sl_t.shape[0]:
        return _T_SAILINGS
    fl.sl_t[n_sl] = t
    fl.sl_dir[n_sl] = d
    fl.sl_load[n_sl] = load
    state.n[_N_SAILINGS] = n_sl + 1
    cross = _sample(svc.cross_dk[s], svc.cross_d[s, 0], svc.cross_d[s, 1], svc.cross_d[s, 2])
    if t < horizon_h:
        fl.busy[v] += min(dep + cross, horizon_h) - t
    fl.port[v] = -1
    fl.gen[v] += 1
    # leave the port queue (the ship is its head)
    fl.port_head[gp] = fl.next[v]
    if fl.port_head[gp] < 0:
        fl.port_tail[gp] = -1
    fl.next[v] = -1
    _stage(ev, dep + cross, _SHIP_ARRIVES, v, 0)
    if svc.when_full[s] == 1:
        fl.loading[gp] = -1
        if fl.port_head[gp] >= 0:
            _stage(ev, t, _NEXT_SHIP, gp, 0)
    return -1


# ==================================================================== snapshots


@_compiled
def _snapshots_until(state: _State, t: float, dt: float) -> None:  # pragma: no cover - numba
    """Take the snapshots at times ``<= t``: the state after every event before each of them."""
    snap = state.snap
    st = state.st
    n_srv = state.srv.free.shape[0]
    n_snap = snap.q.shape[0]
    n_stats = st.q.shape[0]
    while state.n[_SNAP_I] < n_snap and state.n[_SNAP_I] * dt <= t:
        i = state.n[_SNAP_I]
        t_snap = i * dt
        for r in range(n_srv):
            _wait_ends_before(state.srv, st, r, t_snap, -np.inf, 0)
        for r in range(n_stats):
            snap.q[i, r] = st.q[r]
        state.n[_DL_ACC] += snap.dl_cnt[i]
        snap.wip[i] = state.n[_ARRIVED] - state.n[_DL_ACC]
        snap.done[i] = state.n[_DL_ACC]
        state.n[_SNAP_I] = i + 1


# ==================================================================== set-up and the end


def _new_events(caps: IntArray, cap_stage: int) -> _Events:  # pragma: no cover - numba
    cap_h = caps[_T_HEAP]
    cap_now = caps[_T_NOW]
    return _Events(
        np.empty(cap_h),
        np.empty((cap_h, 4), np.int64),
        np.empty(cap_now, np.int64),
        np.empty(cap_now, np.int64),
        np.empty(cap_now, np.int64),
        np.empty(cap_stage),
        np.empty(cap_stage, np.int64),
        np.empty(cap_stage, np.int64),
        np.empty(cap_stage, np.int64),
        np.zeros(7, np.int64),
        np.full(1, -np.inf),
    )


def _new_fleet(m: KernelModel, cap_sailings: int) -> _Fleet:  # pragma: no cover - numba
    """Ships spread over their service's ports in turn; the port and direction tables."""
    svc = m.services
    n_svc = svc.vessels.shape[0]
    n_dir = svc.dir_valid.shape[0]
    n_v = 0
    n_gp = 0
    for s in range(n_svc):
        n_v += svc.vessels[s]
        n_gp += svc.nports[s]
    nvv = max(n_v, 1)
    ngp = max(n_gp, 1)
    ndir = max(n_dir, 1)
    fl = _Fleet(
        np.zeros(nvv, np.int64),
        np.zeros(nvv, np.int64),
        np.full(nvv, -1, np.int64),
        np.zeros(nvv, np.int64),
        np.full(nvv, -1, np.int64),
        np.full(nvv, -1, np.int64),
        np.zeros(nvv, np.int64),
        np.full(nvv, -1, np.int64),
        np.zeros(nvv),
        np.zeros(nvv),
        np.zeros(ngp, np.int64),
        np.zeros(ngp, np.int64),
        np.full(ngp, -1, np.int64),
        np.full(ngp, -1, np.int64),
        np.full(ngp, -1, np.int64),
        np.zeros(n_dir, np.int64),
        np.zeros(n_dir, np.int64),
        np.zeros(n_dir, np.int64),
        np.full(ndir, -1, np.int64),
        np.full(ndir, -1, np.int64),
        np.zeros(ndir, np.int64),
        np.empty(cap_sailings),
        np.empty(cap_sailings, np.int64),
        np.empty(cap_sailings, np.int64),
    )
    v = 0
    for s in range(n_svc):
        np_ = svc.nports[s]
        for i in range(np_):
            fl.port_svc[svc.port_base[s] + i] = s
            fl.port_i[svc.port_base[s] + i] = i
            for j in range(np_):
                d = svc.dir_base[s] + i * np_ + j
                fl.dir_svc[d] = s
                fl.dir_i[d] = i
                fl.dir_j[d] = j
        for k in range(svc.vessels[s]):
            fl.svc[v] = s
            fl.port[v] = k % np_
            v += 1
    return fl


def _new_state(
    m: KernelModel, n_c: int, caps: IntArray, n_snap: int
) -> _State:  # pragma: no cover - numba
    n_srv = m.servers.h_teu.shape[0]
    n_pool = m.pools.seg.shape[0]
    n_stats = n_srv + n_pool + m.services.dir_valid.shape[0]
    cap_we = caps[_T_WAIT_ENDS]
    cap_tr = caps[_T_TRAINS]
    ns1 = max(n_srv, 1)
    np1 = max(n_pool, 1)
    return _State(
        _Containers(
            np.zeros(n_c, np.int64), np.zeros(n_c), np.full(n_c, -1, np.int64), np.full(n_c, np.nan)
        ),
        _Servers(
            np.zeros(ns1),
            np.empty(cap_we),
            np.empty(cap_we, np.int64),
            np.empty(cap_we),
            np.empty(cap_we, np.int64),
            np.empty(cap_we, np.int64),
            np.full(ns1, -1, np.int64),
            np.full(ns1, -1, np.int64),
            np.zeros(2, np.int64),
        ),
        _Stats(
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros(n_stats),
            np.zeros((n_stats, HIST_BINS)),
        ),
        _Pools(
            np.full(np1, -1, np.int64),
            np.full(np1, -1, np.int64),
            np.zeros(np1, np.int64),
            np.zeros(np1, np.int64),
        ),
        _Trains(np.empty(cap_tr, np.int64), np.empty(cap_tr, np.int64), np.empty(cap_tr, np.int64)),
        _new_fleet(m, caps[_T_SAILINGS]),
        _Snapshots(
            np.zeros((n_snap, n_stats)),
            np.zeros(n_snap),
            np.zeros(n_snap),
            np.zeros(n_snap + 1, np.int64),
        ),
        np.zeros(_N_COUNTERS, np.int64),
    )


@_compiled
def _stage_initial(m: KernelModel, state: _State, ev: _Events) -> None:  # pragma: no cover
    """Every ship is ready at 0; every port of a slot service has its first slot."""
    svc = m.services
    for v in range(svc.vessels.sum()):
        _stage(ev, 0.0, _SHIP_READY, v, 0)
    for s in range(svc.vessels.shape[0]):
        if svc.when_full[s] == 0 and svc.slot_n[s] > 0:
            for i in range(svc.nports[s]):
                _stage(
                    ev,
                    svc.slot_offsets_h[svc.slot_start[s]],
                    _SLOT,
                    svc.port_base[s] + i,
                    0,
                )


def _stage_capacity(m: KernelModel) -> int:  # pragma: no cover - numba
    """Most events one event can stage: a train dissolved or a ship unloaded, plus follow-ups.

    The initial events are one per ship and one per slot port.
    """
    svc = m.services
    cap = svc.vessels.sum() + svc.nports.sum() + 8
    for p in range(m.pools.cap.shape[0]):
        cap = max(cap, int(m.pools.cap[p]) + 8)
    for s in range(svc.cap.shape[0]):
        cap = max(cap, int(svc.cap[s]) + 8)
    return int(cap)


@_compiled
def _censor_waits(m: KernelModel, state: _State, horizon_h: float) -> None:  # pragma: no cover
    """Count the waits still running in pools, port queues and loading ships up to the end."""
    st = state.st
    c = state.c
    fl = state.fleet
    n_srv = m.servers.h_teu.shape[0]
    n_pool = m.pools.seg.shape[0]
    dir0 = n_srv + n_pool
    for p in range(n_pool):
        _record_list_waits(st, n_srv + p, c, state.pools.head[p], horizon_h)
    for d in range(m.services.dir_valid.shape[0]):
        _record_list_waits(st, dir0 + d, c, fl.cq_head[d], horizon_h)
    for v in range(m.services.vessels.sum()):
        if fl.port[v] >= 0 and fl.dest[v] >= 0 and fl.load[v] > 0:
            s = fl.svc[v]
            d = m.services.dir_base[s] + fl.port[v] * m.services.nports[s] + fl.dest[v]
            _record_list_waits(st, dir0 + d, c, fl.head[v], horizon_h)


@_compiled
def _finish(m: KernelModel, state: _State, horizon_h: float, dt: float) -> None:  # pragma: no cover
    """The snapshots after the last event, the queues at the horizon, the censored waits."""
    _snapshots_until(state, np.inf, dt)
    srv = state.srv
    for r in range(srv.free.shape[0]):
        e = srv.head[r]
        while e >= 0 and srv.end_t[e] <= horizon_h:
            state.st.q[r] -= srv.end_n[e]
            e = srv.end_next[e]
    _censor_waits(m, state, horizon_h)


def _where(state: _State, ev: _Events) -> WhereTEU:
    """Count where the TEU not delivered are, from the queues, trains, ships and events."""
    heap_kinds = ev.hv[: ev.n[_NH], 1]
    now_kinds = ev.now_k[ev.n[_NOW_HEAD] : ev.n[_NOW_TAIL]]
    fl = state.fleet
    return WhereTEU(
        moving=int((heap_kinds == _CONTAINER).sum() + (now_kinds == _CONTAINER).sum()),
        in_pools=int(state.pools.n.sum()),
        on_trains=int(state.trains.n[: state.n[_N_TRAINS]].sum()),
        in_ports=int(fl.cq_n.sum()),
        on_ships=int(fl.load.sum()),
        finishing=int(state.n[_FINISHING]),
    )


# ==================================================================== the event loop


@_compiled
def _container_event(
    m: KernelModel,
    state: _State,
    ev: _Events,
    x: int,
    k: int,
    t: float,
    horizon_h: float,
    dt: float,
) -> tuple[int, int, int]:  # pragma: no cover - numba
    """Container ``x`` reaches step ``k``; returns a follow-up event to handle at once."""
    sk = m.steps.kind[k]
    if sk == _STEP_OP:
        _operation_step(m, state, ev, x, k, t, horizon_h, dt)
    elif sk == _STEP_FORM:
        p = _join_pool(m, state, ev, x, k, t)
        if p >= 0:
            return _FORM, p, state.pools.gen[p]
    elif sk == _STEP_VESSEL:
        v = _join_direction(m, state, x, k, t)
        if v >= 0:
            return _SHIP_SAILS, v, state.fleet.gen[v]
    else:
        _deliver(state, x, t, dt)
    return _NONE, 0, 0


@_compiled
def _handle(
    m: KernelModel,
    state: _State,
    ev: _Events,
    event: tuple[int, int, int],
    t: float,
    horizon_h: float,
    dt: float,
) -> int:  # pragma: no cover - numba
    """Handle one event (and the follow-up it sets off); returns a full table or -1."""
    kind, a, b = event
    if kind == _CONTAINER:
        kind, a, b = _container_event(m, state, ev, a, b, t, horizon_h, dt)
    if kind == _TRAIN:
        _train_step(m, state, ev, a, b, t, horizon_h)
    elif kind == _FORM:
        ovf = _dispatch_train(m, state, ev, a, b, t)
        if ovf >= 0:
            return ovf
    elif kind == _SHIP_READY or kind == _NEXT_SHIP or kind == _SLOT:  # noqa: PLR1714, SIM109  (numba: no tuple membership)
        v = _port_ready(m, state, ev, kind, a, b, t, horizon_h)
        if v >= 0:
            kind, a, b = _SHIP_SAILS, v, state.fleet.gen[v]
    elif kind == _SHIP_ARRIVES:
        _ship_arrives(m, state, ev, a, t, horizon_h)
    if kind == _SHIP_SAILS:
        return _ship_sails(m, state, ev, a, b, t, horizon_h)
    return -1


@_compiled_entry
def _run(
    m: KernelModel,
    state: _State,
    ev: _Events,
    arr_t: FloatArray,
    arr_flow: IntArray,
    horizon_h: float,
    snap_dt_h: float,
) -> int:  # pragma: no cover - numba
    """The event loop: handle events in time order up to the horizon; a full table or -1."""
    first_of_flow = m.steps.first_of_flow
    cnt = state.n
    _stage_initial(m, state, ev)
    ovf = -1
    t = 0.0
    last_t = 0.0
    while True:
        ovf = _flush(ev, state.srv, t)
        if ovf >= 0:
            break
        if ev.n[_NOW_HEAD] < ev.n[_NOW_TAIL]:
            i = ev.n[_NOW_HEAD]
            event = (ev.now_k[i], ev.now_a[i], ev.now_b[i])
            ev.n[_NOW_HEAD] = i + 1
            if i + 1 == ev.n[_NOW_TAIL]:
                ev.n[_NOW_HEAD] = 0
                ev.n[_NOW_TAIL] = 0
        else:
            ai = cnt[_NEXT_ARRIVAL]
            t_arr = arr_t[ai] if ai < arr_t.shape[0] else np.inf
            t_heap = ev.ht[0] if ev.n[_NH] > 0 else np.inf
            t = min(t_arr, t_heap)
            if t > horizon_h:
                break
            _snapshots_until(state, t, snap_dt_h)
            if t_arr <= t_heap:
                event = (_CONTAINER, ai, first_of_flow[arr_flow[ai]])
                cnt[_NEXT_ARRIVAL] = ai + 1
                cnt[_ARRIVED] += 1
            else:
                event = (ev.hv[0, 1], ev.hv[0, 2], ev.hv[0, 3])
                ev.hp_t[0] = t
                ev.n[_HP_SEQ] = ev.hv[0, 0]
                ev.n[_TOP_OUT] = 1  # removed (or replaced) at the next flush
        if t < last_t:
            cnt[_N_BACK] += 1
        last_t = t
        ovf = _handle(m, state, ev, event, t, horizon_h, snap_dt_h)
        if ovf >= 0:
            break
    if ovf < 0:
        _finish(m, state, horizon_h, snap_dt_h)
    return ovf


def run_kernel(
    m: KernelModel,
    arrivals: tuple[FloatArray, IntArray],
    *,
    seed: int,
    horizon_h: float,
    snap_dt_h: float,
    caps: IntArray,
) -> KernelResult:
    """Run one simulation of ``m``: TEU arrive at ``arrivals`` (hours, sorted; their flows).

    ``caps`` holds the sizes of the kernel's tables, indexed by
    :class:`~corridor.simulation.codes.Table`. The state is allocated here, once: no array is
    made inside the compiled event loop. When a table is full the run stops and ``overflow``
    names it; the caller runs it again with more room (the same seed gives the same run).
    """
    arr_t, arr_flow = arrivals
    _seed(seed)
    n_snap = int(horizon_h / snap_dt_h) + 1
    state = _new_state(m, arr_t.shape[0], caps, n_snap)
    ev = _new_events(caps, _stage_capacity(m))
    ovf = _run(m, state, ev, arr_t, arr_flow, horizon_h, snap_dt_h)
    st = state.st
    fl = state.fleet
    n_v = int(m.services.vessels.sum())
    n_sl = int(state.n[_N_SAILINGS])
    return KernelResult(
        deliver_h=state.c.deliver,
        arrived=int(state.n[_ARRIVED]),
        delivered=int(state.n[_DELIVERED]),
        st_arrived=st.arr,
        st_throughput=st.thru,
        st_busy_h=st.busy,
        st_wait_sum_h=st.wsum,
        st_wait_n=st.wn,
        st_queue=st.q,
        st_max_queue=st.maxq,
        st_units=st.units,
        st_capacity_offered=st.capoff,
        hist=st.hist,
        snap_queue=state.snap.q,
        snap_in_system=state.snap.wip,
        snap_delivered=state.snap.done,
        sailing_t_h=fl.sl_t[:n_sl].copy(),
        sailing_dir=fl.sl_dir[:n_sl].copy(),
        sailing_load=fl.sl_load[:n_sl].copy(),
        vessel_busy_h=fl.busy[:n_v].copy(),
        where=_where(state, ev),
        clock_reversals=int(state.n[_N_BACK]),
        overflow=int(ovf),
    )


@numba.njit(cache=True)
def _seed(seed: int) -> None:  # pragma: no cover - numba
    """Seed numba's own generator (used by every draw in the kernel)."""
    np.random.seed(seed)  # noqa: NPY002  (numba's generator; the seed comes from a SeedSequence)

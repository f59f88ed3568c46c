"""The discrete-event kernel (numba): containers, block trains and vessels through FIFO resources.

One compiled function runs a whole simulation on the flat arrays of a
:class:`~corridor.simulation.build.CompiledModel`. Events live in a 4-ary heap ordered by
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
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from corridor.simulation.codes import DurationKind, StepKind

__all__ = ["HIST_BINS", "HIST_W0_H", "hist_quantile", "run_kernel"]

FloatArray = npt.NDArray[np.float64]

HIST_BINS = 400
"""Number of wait-histogram bins: bin 0 holds waits below ``HIST_W0_H``, then geometric bins."""
HIST_W0_H = 0.01
"""Lower edge of the first geometric bin of the wait histograms, hours."""
_HIST_LOG_RATIO = math.log(1e7) / (HIST_BINS - 2)

_EV_C, _EV_T, _EV_FORM, _EV_VREADY, _EV_VDEAD, _EV_SLOT, _EV_VARR, _EV_QDEC, _EV_NEXT = range(9)
_CAP_HEAP, _CAP_NQ, _CAP_TRAINS, _CAP_SAILINGS, _CAP_QDEC = range(5)


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


@numba.njit(cache=True)
def _sample(dk: int, d0: float, d1: float, d2: float) -> float:  # pragma: no cover - numba
    if dk == DurationKind.FIXED:
        return d0
    z = np.random.standard_normal()  # noqa: NPY002  (numba's generator, seeded by run_kernel)
    if dk == DurationKind.LOGNORMAL:
        return d0 + math.exp(d1 + d2 * z)
    return d0 / math.exp(d1 + d2 * z)


@numba.njit(cache=True)
def _snap_bucket(t: float, dt: float, n_snap: int) -> int:  # pragma: no cover - numba
    """The first snapshot ``i`` (``i * dt > t``) that counts something done at time ``t``."""
    b = int(t / dt) + 1
    while b > 0 and (b - 1) * dt > t:
        b -= 1
    while b * dt <= t:
        b += 1
    return min(b, n_snap)


@numba.njit(cache=True)
def _hist_bin(w: float) -> int:  # pragma: no cover - numba
    if w < HIST_W0_H:
        return 0
    b = 1 + int(math.log(w / HIST_W0_H) / _HIST_LOG_RATIO)
    return b if b < HIST_BINS else HIST_BINS - 1


@numba.njit(cache=True)
def run_kernel(  # noqa: PLR0917  (a numba kernel takes flat arrays positionally)
    seed: int,
    horizon_h: float,
    snap_dt_h: float,
    arr_t: FloatArray,
    arr_flow: npt.NDArray[np.int64],
    flow_first_step: npt.NDArray[np.int64],
    step_kind: npt.NDArray[np.int64],
    step_res: npt.NDArray[np.int64],
    step_dk: npt.NDArray[np.int64],
    step_d: FloatArray,
    seg_start: npt.NDArray[np.int64],
    seg_end: npt.NDArray[np.int64],
    tstep_res: npt.NDArray[np.int64],
    tstep_dk: npt.NDArray[np.int64],
    tstep_d: FloatArray,
    n_srv: int,
    res_h_teu: FloatArray,
    res_h_train: FloatArray,
    pool_seg: npt.NDArray[np.int64],
    pool_cap: FloatArray,
    pool_wait_h: FloatArray,
    svc_nv: npt.NDArray[np.int64],
    svc_cap: FloatArray,
    svc_when_full: npt.NDArray[np.int64],
    svc_max_wait_h: FloatArray,
    svc_period_h: FloatArray,
    svc_slot_start: npt.NDArray[np.int64],
    svc_slot_n: npt.NDArray[np.int64],
    slot_offsets_h: FloatArray,
    svc_cross_dk: npt.NDArray[np.int64],
    svc_cross_d: FloatArray,
    svc_turn_h: FloatArray,
    svc_wprob: FloatArray,
    svc_wmean: FloatArray,
    svc_nports: npt.NDArray[np.int64],
    svc_port_base: npt.NDArray[np.int64],
    svc_dir_base: npt.NDArray[np.int64],
    dir_valid: npt.NDArray[np.int64],
    month_edge_h: FloatArray,
    month_num: npt.NDArray[np.int64],
    n_stats: int,
    n_pool: int,
    caps: npt.NDArray[np.int64],
) -> tuple[Any, ...]:  # pragma: no cover - compiled by numba
    """Run one simulation; see the module docstring. Returns a tuple of arrays.

    ``caps`` holds the capacities of the event heap, the FIFO of events due now, the train table
    and the sailing log (see :func:`initial_caps`). No array is reallocated inside the event
    loop (that would make numba reference-count every array on every event); when one is full
    the run stops and the last element returned is the index of the capacity to raise
    (``-1`` when the run completed), and the caller runs it again with more room: the same seed
    gives the same run.
    """
    np.random.seed(seed)  # noqa: NPY002  (numba's own generator; seed from a SeedSequence)
    n_c = arr_t.shape[0]
    n_svc = svc_nv.shape[0]
    n_dir = dir_valid.shape[0]
    dir0 = n_srv + n_pool

    # ---------------------------------------------------------------- directions
    dir_svc = np.zeros(n_dir, np.int64)
    dir_i = np.zeros(n_dir, np.int64)
    dir_j = np.zeros(n_dir, np.int64)
    n_gp = 0
    for s in range(n_svc):
        np_ = svc_nports[s]
        n_gp += np_
        for i in range(np_):
            for j in range(np_):
                d = svc_dir_base[s] + i * np_ + j
                dir_svc[d] = s
                dir_i[d] = i
                dir_j[d] = j
    gp_svc = np.zeros(max(n_gp, 1), np.int64)
    gp_i = np.zeros(max(n_gp, 1), np.int64)
    for s in range(n_svc):
        for i in range(svc_nports[s]):
            gp_svc[svc_port_base[s] + i] = s
            gp_i[svc_port_base[s] + i] = i

    # ---------------------------------------------------------------- state
    c_step = np.zeros(n_c, np.int64)
    c_enter = np.zeros(n_c)
    c_next = np.full(n_c, -1, np.int64)
    deliver = np.full(n_c, np.nan)

    free = np.zeros(max(n_srv, 1))
    st_arr = np.zeros(n_stats)
    st_thru = np.zeros(n_stats)
    st_busy = np.zeros(n_stats)
    st_wsum = np.zeros(n_stats)
    st_wn = np.zeros(n_stats)
    st_q = np.zeros(n_stats)
    st_maxq = np.zeros(n_stats)
    st_units = np.zeros(n_stats)
    st_capoff = np.zeros(n_stats)
    hist = np.zeros((n_stats, HIST_BINS))

    pool_head = np.full(max(n_pool, 1), -1, np.int64)
    pool_tail = np.full(max(n_pool, 1), -1, np.int64)
    pool_n = np.zeros(max(n_pool, 1), np.int64)
    pool_gen = np.zeros(max(n_pool, 1), np.int64)

    cap_h = caps[_CAP_HEAP]
    cap_qd = caps[_CAP_QDEC]
    cap_nq = caps[_CAP_NQ]
    cap_tr = caps[_CAP_TRAINS]
    cap_sl = caps[_CAP_SAILINGS]
    ovf = -1

    tr_head = np.empty(cap_tr, np.int64)
    tr_n = np.empty(cap_tr, np.int64)
    tr_seg = np.empty(cap_tr, np.int64)
    n_tr = 0

    n_v = 0
    for s in range(n_svc):
        n_v += svc_nv[s]
    nvv = max(n_v, 1)
    v_svc = np.zeros(nvv, np.int64)
    v_port = np.zeros(nvv, np.int64)
    v_dest = np.full(nvv, -1, np.int64)
    v_load = np.zeros(nvv, np.int64)
    v_head = np.full(nvv, -1, np.int64)
    v_tail = np.full(nvv, -1, np.int64)
    v_gen = np.zeros(nvv, np.int64)
    v_next = np.full(nvv, -1, np.int64)
    v_busy = np.zeros(nvv)  # hours at sea or in turnaround within the horizon
    v_ready = np.zeros(nvv)  # when the ship was last ready in port
    pf_head = np.full(max(n_gp, 1), -1, np.int64)
    pf_tail = np.full(max(n_gp, 1), -1, np.int64)
    loading = np.full(max(n_gp, 1), -1, np.int64)
    cq_head = np.full(max(n_dir, 1), -1, np.int64)
    cq_tail = np.full(max(n_dir, 1), -1, np.int64)
    cq_n = np.zeros(max(n_dir, 1), np.int64)

    sl_t = np.empty(cap_sl)
    sl_dir = np.empty(cap_sl, np.int64)
    sl_load = np.empty(cap_sl, np.int64)
    n_sl = 0

    n_snap = int(horizon_h / snap_dt_h) + 1
    snap_q = np.zeros((n_snap, n_stats))
    snap_wip = np.zeros(n_snap)
    snap_done = np.zeros(n_snap)
    snap_i = 0

    # heap: 4-ary (children of i are 4i+1..4i+4), ordered by (time, seq)
    ht = np.empty(cap_h)
    hv = np.empty((cap_h, 4), np.int64)  # seq, kind, a, b: one cache line per entry with ht
    nh = 0
    seq = 0
    hp_t = -np.inf  # (time, seq) of the last event taken from the heap
    hp_seq = -1
    top_out = False  # the root is the event being handled
    sift = False
    rt = 0.0
    rs = 0
    rk = 0
    ra = 0
    rb = 0

    # Ends of server waits ("the queue of server r shrinks by n at time s"). They are not heap
    # events: as a FIFO server's starts increase, each server keeps them in a list in time
    # order, and they are applied when the queue length is read (an arrival that queues, a
    # snapshot), exactly as if they had been popped from the heap: those before the current
    # time, and those at the current time that come before it in (time, seq) order. Each takes
    # the sequence number it would have had in the heap, so the other events keep theirs.
    qd_t = np.empty(cap_qd)
    qd_s = np.empty(cap_qd, np.int64)
    qd_n = np.empty(cap_qd)
    qd_next = np.empty(cap_qd, np.int64)
    qd_free = np.empty(cap_qd, np.int64)  # stack of released entries
    n_free = 0
    qd_top = 0  # entries from qd_top on were never used
    qd_head = np.full(max(n_srv, 1), -1, np.int64)
    qd_tail = np.full(max(n_srv, 1), -1, np.int64)

    arrived = 0
    delivered = 0
    dl_cnt = np.zeros(n_snap + 1, np.int64)  # deliveries by first snapshot that counts them
    dl_acc = 0
    n_back = 0
    last_t = 0.0
    ai = 0

    # ---------------------------------------------------------------- initial events
    # staged list of (t, kind, a, b) to push. One event stages at most max(train, ship
    # capacity) + 3 others (a train dissolved or a ship unloaded, plus follow-ups); the initial
    # events are one per ship and one per slot port.
    cap_st = n_v + n_gp + 8
    for p in range(n_pool):
        cap_st = max(cap_st, int(pool_cap[p]) + 8)
    for s in range(n_svc):
        cap_st = max(cap_st, int(svc_cap[s]) + 8)
    stage_t = np.empty(cap_st)
    stage_k = np.empty(cap_st, np.int64)
    stage_a = np.empty(cap_st, np.int64)
    stage_b = np.empty(cap_st, np.int64)
    ns = 0

    v = 0
    for s in range(n_svc):
        for k in range(svc_nv[s]):
            v_svc[v] = s
            v_port[v] = k % svc_nports[s]
            stage_t[ns] = 0.0
            stage_k[ns] = _EV_VREADY
            stage_a[ns] = v
            stage_b[ns] = 0
            ns += 1
            v += 1
    for s in range(n_svc):
        if svc_when_full[s] == 0 and svc_slot_n[s] > 0:
            for i in range(svc_nports[s]):
                stage_t[ns] = slot_offsets_h[svc_slot_start[s]]
                stage_k[ns] = _EV_SLOT
                stage_a[ns] = svc_port_base[s] + i
                stage_b[ns] = 0
                ns += 1

    # events due at the current time skip the heap: a FIFO of (kind, a, b)
    nq_k = np.empty(cap_nq, np.int64)
    nq_a = np.empty(cap_nq, np.int64)
    nq_b = np.empty(cap_nq, np.int64)
    nq_head = 0
    nq_tail = 0
    t = 0.0

    while True:
        # ---- flush staged pushes: those due now to the FIFO, the others into the heap
        # While the root holds the event just handled, no push may take its place (only an
        # event earlier than now could, i.e. a clock reversal): pushes stop below the root.
        lim = 4 if top_out else 0
        for x in range(ns):
            if stage_k[x] == _EV_QDEC:  # always later than t (a wait that has started)
                if n_free > 0:
                    n_free -= 1
                    e = qd_free[n_free]
                elif qd_top < cap_qd:
                    e = qd_top
                    qd_top += 1
                else:
                    ovf = _CAP_QDEC
                    break
                r = stage_a[x]
                qd_t[e] = stage_t[x]
                qd_s[e] = seq
                qd_n[e] = float(stage_b[x])
                qd_next[e] = -1
                if qd_tail[r] >= 0:
                    qd_next[qd_tail[r]] = e
                else:
                    qd_head[r] = e
                qd_tail[r] = e
                seq += 1
                continue
            if stage_t[x] == t:
                if nq_tail == cap_nq:
                    if nq_head == 0:
                        ovf = _CAP_NQ
                        break
                    m_ = nq_tail - nq_head
                    for y in range(m_):
                        nq_k[y] = nq_k[nq_head + y]
                        nq_a[y] = nq_a[nq_head + y]
                        nq_b[y] = nq_b[nq_head + y]
                    nq_head = 0
                    nq_tail = m_
                nq_k[nq_tail] = stage_k[x]
                nq_a[nq_tail] = stage_a[x]
                nq_b[nq_tail] = stage_b[x]
                nq_tail += 1
                continue
            if top_out:
                # the event just taken is still at the root: this one replaces it and is
                # sifted down once after the flush (a pop and a push in one pass)
                top_out = False
                rt = stage_t[x]
                rs = seq
                rk = stage_k[x]
                ra = stage_a[x]
                rb = stage_b[x]
                sift = True
                seq += 1
                continue
            if nh == cap_h:
                ovf = _CAP_HEAP
                break
            t_new = stage_t[x]
            pos = nh
            nh += 1
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
            hv[pos, 1] = stage_k[x]
            hv[pos, 2] = stage_a[x]
            hv[pos, 3] = stage_b[x]
            seq += 1
        ns = 0
        if ovf >= 0:
            break
        if top_out:  # nothing replaced the event taken from the root: pop it
            top_out = False
            nh -= 1
            if nh > 0:
                rt = ht[nh]
                rs = hv[nh, 0]
                rk = hv[nh, 1]
                ra = hv[nh, 2]
                rb = hv[nh, 3]
                sift = True
        if sift:
            # The root's entry (rt, rs, rk, ra, rb) goes down: later pushes of this flush
            # could not pass the old root (it is earlier than all of them).
            sift = False
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

        # ---- next event: one due now, a container arrival, or the top of the heap
        if nq_head < nq_tail:
            kind = nq_k[nq_head]
            ea = nq_a[nq_head]
            eb = nq_b[nq_head]
            nq_head += 1
            if nq_head == nq_tail:
                nq_head = 0
                nq_tail = 0
            t_arr = np.inf
            t_heap = np.inf
        else:
            kind = -1
            ea = 0
            eb = 0
            t_arr = arr_t[ai] if ai < n_c else np.inf
            t_heap = ht[0] if nh > 0 else np.inf
            t = min(t_arr, t_heap)
            if t > horizon_h:
                break
            while snap_i < n_snap and snap_i * snap_dt_h <= t:
                t_snap = snap_i * snap_dt_h
                for r in range(n_srv):
                    e = qd_head[r]
                    while e >= 0 and qd_t[e] < t_snap:
                        st_q[r] -= qd_n[e]
                        qd_free[n_free] = e
                        n_free += 1
                        e = qd_next[e]
                    qd_head[r] = e
                    if e < 0:
                        qd_tail[r] = -1
                for r in range(n_stats):
                    snap_q[snap_i, r] = st_q[r]
                dl_acc += dl_cnt[snap_i]
                snap_wip[snap_i] = arrived - dl_acc
                snap_done[snap_i] = dl_acc
                snap_i += 1
            if t_arr <= t_heap:
                kind = _EV_C
                ea = ai
                eb = flow_first_step[arr_flow[ai]]
                ai += 1
                arrived += 1
            else:
                kind = hv[0, 1]
                ea = hv[0, 2]
                eb = hv[0, 3]
                hp_t = t
                hp_seq = hv[0, 0]
                top_out = True  # removed (or replaced) at the next flush

        if t < last_t:
            n_back += 1
        last_t = t

        if kind == _EV_C:
            c = ea
            k = eb
            sk = step_kind[k]
            if sk == StepKind.OP:
                r = step_res[k]
                start = t
                occ = 0.0
                if r >= 0:
                    start = max(t, free[r])
                    occ = res_h_teu[r]
                    free[r] = start + occ
                    st_arr[r] += 1.0
                    w = min(start, horizon_h) - t
                    st_wsum[r] += w
                    st_wn[r] += 1.0
                    hist[r, _hist_bin(w)] += 1.0
                    if start > t:
                        e = qd_head[r]
                        while e >= 0 and (
                            qd_t[e] < t or (qd_t[e] == t and hp_t == t and qd_s[e] < hp_seq)
                        ):
                            st_q[r] -= qd_n[e]
                            qd_free[n_free] = e
                            n_free += 1
                            e = qd_next[e]
                        qd_head[r] = e
                        if e < 0:
                            qd_tail[r] = -1
                        st_q[r] += 1.0
                        st_maxq[r] = max(st_maxq[r], st_q[r])
                        stage_t[ns] = start
                        stage_k[ns] = _EV_QDEC
                        stage_a[ns] = r
                        stage_b[ns] = 1
                        ns += 1
                    if start < horizon_h:
                        st_busy[r] += min(start + occ, horizon_h) - start
                    if start + occ <= horizon_h:
                        st_thru[r] += 1.0
                dur = _sample(step_dk[k], step_d[k, 0], step_d[k, 1], step_d[k, 2])
                if step_kind[k + 1] == StepKind.END:
                    # Delivery touches no shared state and draws no random number: record it
                    # now instead of through an event (counted in the snapshots at its time).
                    td = start + occ + dur
                    if td <= horizon_h:
                        deliver[c] = td
                        delivered += 1
                        dl_cnt[_snap_bucket(td, snap_dt_h, n_snap)] += 1
                else:
                    stage_t[ns] = start + occ + dur
                    stage_k[ns] = _EV_C
                    stage_a[ns] = c
                    stage_b[ns] = k + 1
                    ns += 1
            elif sk == StepKind.FORM:
                sidx = step_res[k]
                p = sidx - n_srv
                c_step[c] = k
                c_enter[c] = t
                st_arr[sidx] += 1.0
                st_q[sidx] += 1.0
                st_maxq[sidx] = max(st_maxq[sidx], st_q[sidx])
                if pool_tail[p] >= 0:
                    c_next[pool_tail[p]] = c
                else:
                    pool_head[p] = c
                pool_tail[p] = c
                c_next[c] = -1
                pool_n[p] += 1
                if pool_n[p] == 1:
                    pool_gen[p] += 1
                    stage_t[ns] = t + pool_wait_h[p]
                    stage_k[ns] = _EV_FORM
                    stage_a[ns] = p
                    stage_b[ns] = pool_gen[p]
                    ns += 1
                if pool_n[p] >= pool_cap[p]:
                    # dispatch below through a zero-delay deadline event of the new generation
                    kind = _EV_FORM
                    ea = p
                    eb = pool_gen[p]
            elif sk == StepKind.VESSEL:
                sidx = step_res[k]
                d = sidx - dir0
                c_step[c] = k
                c_enter[c] = t
                st_arr[sidx] += 1.0
                st_q[sidx] += 1.0
                st_maxq[sidx] = max(st_maxq[sidx], st_q[sidx])
                s = dir_svc[d]
                gp = svc_port_base[s] + dir_i[d]
                vl = loading[gp]
                boarded = False
                if (
                    svc_when_full[s] == 1
                    and vl >= 0
                    and v_dest[vl] == dir_j[d]
                    and v_load[vl] < svc_cap[s]
                ):
                    if v_tail[vl] >= 0:
                        c_next[v_tail[vl]] = c
                    else:
                        v_head[vl] = c
                    v_tail[vl] = c
                    c_next[c] = -1
                    v_load[vl] += 1
                    boarded = True
                    if v_load[vl] >= svc_cap[s]:
                        kind = _EV_VDEAD
                        ea = vl
                        eb = v_gen[vl]
                if not boarded:
                    if cq_tail[d] >= 0:
                        c_next[cq_tail[d]] = c
                    else:
                        cq_head[d] = c
                    cq_tail[d] = c
                    c_next[c] = -1
                    cq_n[d] += 1
            else:
                deliver[c] = t
                delivered += 1
                dl_cnt[_snap_bucket(t, snap_dt_h, n_snap)] += 1

        if kind == _EV_T:
            tr = ea
            j = eb
            seg = tr_seg[tr]
            if j == seg_end[seg]:
                c = tr_head[tr]
                while c >= 0:
                    nxt = c_next[c]
                    c_next[c] = -1
                    stage_t[ns] = t
                    stage_k[ns] = _EV_C
                    stage_a[ns] = c
                    stage_b[ns] = c_step[c] + 1
                    ns += 1
                    c = nxt
            else:
                r = tstep_res[j]
                nteu = float(tr_n[tr])
                start = t
                occ = 0.0
                if r >= 0:
                    start = max(t, free[r])
                    occ = res_h_train[r]
                    free[r] = start + occ
                    st_arr[r] += nteu
                    w = min(start, horizon_h) - t
                    st_wsum[r] += w * nteu
                    st_wn[r] += nteu
                    hist[r, _hist_bin(w)] += nteu
                    if start > t:
                        e = qd_head[r]
                        while e >= 0 and (
                            qd_t[e] < t or (qd_t[e] == t and hp_t == t and qd_s[e] < hp_seq)
                        ):
                            st_q[r] -= qd_n[e]
                            qd_free[n_free] = e
                            n_free += 1
                            e = qd_next[e]
                        qd_head[r] = e
                        if e < 0:
                            qd_tail[r] = -1
                        st_q[r] += nteu
                        st_maxq[r] = max(st_maxq[r], st_q[r])
                        stage_t[ns] = start
                        stage_k[ns] = _EV_QDEC
                        stage_a[ns] = r
                        stage_b[ns] = tr_n[tr]
                        ns += 1
                    if start < horizon_h:
                        st_busy[r] += min(start + occ, horizon_h) - start
                    if start + occ <= horizon_h:
                        st_thru[r] += nteu
                dur = _sample(tstep_dk[j], tstep_d[j, 0], tstep_d[j, 1], tstep_d[j, 2])
                stage_t[ns] = start + occ + dur
                stage_k[ns] = _EV_T
                stage_a[ns] = tr
                stage_b[ns] = j + 1
                ns += 1

        elif kind == _EV_FORM:
            p = ea
            if pool_gen[p] == eb and pool_n[p] > 0:
                sidx = n_srv + p
                nteu = pool_n[p]
                c = pool_head[p]
                while c >= 0:
                    w = t - c_enter[c]
                    st_wsum[sidx] += w
                    st_wn[sidx] += 1.0
                    hist[sidx, _hist_bin(w)] += 1.0
                    c = c_next[c]
                st_q[sidx] -= nteu
                st_thru[sidx] += nteu
                st_units[sidx] += 1.0
                st_capoff[sidx] += pool_cap[p]
                if n_tr == cap_tr:
                    ovf = _CAP_TRAINS
                    break
                tr_head[n_tr] = pool_head[p]
                tr_n[n_tr] = nteu
                tr_seg[n_tr] = pool_seg[p]
                pool_head[p] = -1
                pool_tail[p] = -1
                pool_n[p] = 0
                pool_gen[p] += 1
                stage_t[ns] = t
                stage_k[ns] = _EV_T
                stage_a[ns] = n_tr
                stage_b[ns] = seg_start[pool_seg[p]]
                ns += 1
                n_tr += 1

        elif kind == _EV_VREADY or kind == _EV_NEXT or kind == _EV_SLOT:  # noqa: PLR1714, SIM109
            # find the ship that may load now at port gp
            if kind == _EV_VREADY:
                v = ea
                s = v_svc[v]
                gp = svc_port_base[s] + v_port[v]
                v_next[v] = -1
                v_ready[v] = t
                if pf_tail[gp] >= 0:
                    v_next[pf_tail[gp]] = v
                else:
                    pf_head[gp] = v
                pf_tail[gp] = v
            else:
                gp = ea
                s = gp_svc[gp]
            v = pf_head[gp]
            go = False
            if kind == _EV_SLOT:
                # next slot of this port
                nslot = eb + 1
                per = svc_period_h[s]
                nsl = svc_slot_n[s]
                t_next = per * (nslot // nsl) + slot_offsets_h[svc_slot_start[s] + nslot % nsl]
                if t_next <= horizon_h:
                    stage_t[ns] = t_next
                    stage_k[ns] = _EV_SLOT
                    stage_a[ns] = gp
                    stage_b[ns] = nslot
                    ns += 1
                go = v >= 0
            elif svc_when_full[s] == 1 and v >= 0 and loading[gp] < 0:
                go = True
            if go:
                i = gp_i[gp]
                np_ = svc_nports[s]
                base = svc_dir_base[s] + i * np_
                best = -1
                best_q = -1
                for jj in range(np_):
                    if dir_valid[base + jj] == 1 and cq_n[base + jj] > best_q:
                        best = jj
                        best_q = cq_n[base + jj]
                if best_q == 0:
                    best_back = -1
                    for jj in range(np_):
                        if dir_valid[base + jj] == 1:
                            back = 0
                            b2 = svc_dir_base[s] + jj * np_
                            for kk in range(np_):
                                back += cq_n[b2 + kk]
                            if back > best_back:
                                best_back = back
                                best = jj
                if best >= 0:
                    d = base + best
                    v_dest[v] = best
                    while cq_n[d] > 0 and v_load[v] < svc_cap[s]:
                        c = cq_head[d]
                        cq_head[d] = c_next[c]
                        if cq_head[d] < 0:
                            cq_tail[d] = -1
                        cq_n[d] -= 1
                        c_next[c] = -1
                        if v_tail[v] >= 0:
                            c_next[v_tail[v]] = c
                        else:
                            v_head[v] = c
                        v_tail[v] = c
                        v_load[v] += 1
                    if svc_when_full[s] == 1:
                        loading[gp] = v
                        v_gen[v] += 1
                        if v_load[v] >= svc_cap[s] or v_ready[v] + svc_max_wait_h[s] <= t:
                            kind = _EV_VDEAD
                            ea = v
                            eb = v_gen[v]
                        else:
                            stage_t[ns] = v_ready[v] + svc_max_wait_h[s]
                            stage_k[ns] = _EV_VDEAD
                            stage_a[ns] = v
                            stage_b[ns] = v_gen[v]
                            ns += 1
                    else:
                        kind = _EV_VDEAD
                        ea = v
                        eb = v_gen[v]

        elif kind == _EV_VARR:
            v = ea
            s = v_svc[v]
            v_port[v] = v_dest[v]
            c = v_head[v]
            while c >= 0:
                nxt = c_next[c]
                c_next[c] = -1
                stage_t[ns] = t
                stage_k[ns] = _EV_C
                stage_a[ns] = c
                stage_b[ns] = c_step[c] + 1
                ns += 1
                c = nxt
            v_head[v] = -1
            v_tail[v] = -1
            v_load[v] = 0
            stage_t[ns] = t + svc_turn_h[s]
            stage_k[ns] = _EV_VREADY
            stage_a[ns] = v
            stage_b[ns] = 0
            ns += 1
            if t < horizon_h:
                v_busy[v] += min(t + svc_turn_h[s], horizon_h) - t

        # a departure (deadline reached, ship full, or slot) may have been set above
        if kind == _EV_VDEAD:
            v = ea
            if v_gen[v] == eb and v_port[v] >= 0:
                s = v_svc[v]
                i = v_port[v]
                np_ = svc_nports[s]
                gp = svc_port_base[s] + i
                d = svc_dir_base[s] + i * np_ + v_dest[v]
                sidx = dir0 + d
                mi = np.searchsorted(month_edge_h, t, side="right") - 1
                mo = month_num[mi] - 1
                hold = 0.0
                p_hold = svc_wprob[s, mo]
                if p_hold > 0.0 and np.random.random() < p_hold:  # noqa: NPY002  (numba)
                    hold = np.random.exponential(svc_wmean[s, mo])  # noqa: NPY002
                dep = t + hold
                load = v_load[v]
                c = v_head[v]
                while c >= 0:
                    w = min(dep, horizon_h) - c_enter[c]
                    st_wsum[sidx] += w
                    st_wn[sidx] += 1.0
                    hist[sidx, _hist_bin(w)] += 1.0
                    c = c_next[c]
                st_q[sidx] -= load
                if dep <= horizon_h:
                    st_thru[sidx] += load
                st_units[sidx] += 1.0
                st_capoff[sidx] += svc_cap[s]
                if n_sl == cap_sl:
                    ovf = _CAP_SAILINGS
                    break
                sl_t[n_sl] = t
                sl_dir[n_sl] = d
                sl_load[n_sl] = load
                n_sl += 1
                cross = _sample(
                    svc_cross_dk[s], svc_cross_d[s, 0], svc_cross_d[s, 1], svc_cross_d[s, 2]
                )
                if t < horizon_h:
                    v_busy[v] += min(dep + cross, horizon_h) - t
                v_port[v] = -1
                v_gen[v] += 1
                # leave the port queue (the ship is its head)
                pf_head[gp] = v_next[v]
                if pf_head[gp] < 0:
                    pf_tail[gp] = -1
                v_next[v] = -1
                stage_t[ns] = dep + cross
                stage_k[ns] = _EV_VARR
                stage_a[ns] = v
                stage_b[ns] = 0
                ns += 1
                if svc_when_full[s] == 1:
                    loading[gp] = -1
                    if pf_head[gp] >= 0:
                        stage_t[ns] = t
                        stage_k[ns] = _EV_NEXT
                        stage_a[ns] = gp
                        stage_b[ns] = 0
                        ns += 1

    # ---------------------------------------------------------------- end of horizon
    # A snapshot at S is the state after every event before S (the snapshots not taken in the
    # loop have no event of the loop after them, but may have ends of waits and deliveries).
    while snap_i < n_snap:
        t_snap = snap_i * snap_dt_h
        for r in range(n_srv):
            e = qd_head[r]
            while e >= 0 and qd_t[e] < t_snap:
                st_q[r] -= qd_n[e]
                e = qd_next[e]
            qd_head[r] = e
        for r in range(n_stats):
            snap_q[snap_i, r] = st_q[r]
        dl_acc += dl_cnt[snap_i]
        snap_wip[snap_i] = arrived - dl_acc
        snap_done[snap_i] = dl_acc
        snap_i += 1
    for r in range(n_srv):
        e = qd_head[r]
        while e >= 0 and qd_t[e] <= horizon_h:
            st_q[r] -= qd_n[e]
            e = qd_next[e]
    # censor the waits still running in pools, port queues and loading ships
    for p in range(n_pool):
        c = pool_head[p]
        while c >= 0:
            w = horizon_h - c_enter[c]
            st_wsum[n_srv + p] += w
            st_wn[n_srv + p] += 1.0
            hist[n_srv + p, _hist_bin(w)] += 1.0
            c = c_next[c]
    for d in range(n_dir):
        c = cq_head[d]
        while c >= 0:
            w = horizon_h - c_enter[c]
            st_wsum[dir0 + d] += w
            st_wn[dir0 + d] += 1.0
            hist[dir0 + d, _hist_bin(w)] += 1.0
            c = c_next[c]
    for v in range(n_v):
        if v_port[v] >= 0 and v_dest[v] >= 0 and v_load[v] > 0:
            s = v_svc[v]
            d = svc_dir_base[s] + v_port[v] * svc_nports[s] + v_dest[v]
            c = v_head[v]
            while c >= 0:
                w = horizon_h - c_enter[c]
                st_wsum[dir0 + d] += w
                st_wn[dir0 + d] += 1.0
                hist[dir0 + d, _hist_bin(w)] += 1.0
                c = c_next[c]
    return (
        deliver,
        arrived,
        delivered,
        st_arr,
        st_thru,
        st_busy,
        st_wsum,
        st_wn,
        st_q,
        st_maxq,
        st_units,
        st_capoff,
        hist,
        snap_q,
        snap_wip,
        snap_done,
        sl_t[:n_sl].copy(),
        sl_dir[:n_sl].copy(),
        sl_load[:n_sl].copy(),
        v_busy[:n_v].copy(),
        n_back,
        ovf,
    )

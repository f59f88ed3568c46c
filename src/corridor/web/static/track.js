/* Corridor shipment view: book a shipment, add milestone events, watch the ETA band move. */
(function () {
  "use strict";

  const C = window.CorridorCommon;
  const $ = (id) => document.getElementById(id);
  const getJSON = C.getJSON;
  const escapeHtml = C.escapeHtml;
  const tc = (name) => C.colour("track", name);
  const state = { nodes: {}, links: {}, routeLayer: null, chart: null, shipment: null };
  const DAY_MS = 86400000;

  function setMsg(id, text, isError) {
    const el = $(id);
    el.textContent = text || "";
    el.classList.toggle("error", Boolean(isError));
  }

  function headers() {
    const h = { "Content-Type": "application/json" };
    const key = $("api-key").value.trim();
    if (key) h["X-API-Key"] = key;
    return h;
  }

  /* Times are UTC ISO strings "YYYY-MM-DDTHH:MM" (the API's) */
  const utc = (s) => Date.parse(s.length === 16 ? s + ":00Z" : s);
  const show = (s) => (s ? s.replace("T", " ").slice(0, 16) : "");

  /* ---------------------------------------------------------------- map */

  const map = C.makeMap("map");

  async function loadNetwork() {
    const [nodes, net] = await Promise.all([getJSON("/api/v1/nodes"), getJSON("/api/v1/network.geojson")]);
    const list = $("places");
    for (const n of nodes.nodes) {
      state.nodes[n.id] = n;
      const opt = document.createElement("option");
      opt.value = n.name;
      list.appendChild(opt);
    }
    for (const f of net.features) {
      if (f.geometry.type === "Point") continue;
      const p = f.properties, c = f.geometry.coordinates;
      if (!state.links[p.from + "|" + p.to]) state.links[p.from + "|" + p.to] = c;
      if (!state.links[p.to + "|" + p.from]) state.links[p.to + "|" + p.from] = c.slice().reverse();
    }
  }

  function pathCoords(nodes) {
    const out = [];
    for (let i = 1; i < nodes.length; i++) {
      const a = nodes[i - 1], b = nodes[i];
      let c = state.links[a + "|" + b];
      if (!c) {
        const na = state.nodes[a], nb = state.nodes[b];
        if (!na || !nb) continue;
        c = [[na.lon, na.lat], [nb.lon, nb.lat]];
      }
      out.push(c.map((x) => [x[1], x[0]]));
    }
    return out;
  }

  function drawRoute(doc) {
    if (state.routeLayer) state.routeLayer.remove();
    const eta = doc.eta;
    if (!eta) return;
    const nodes = eta.route.nodes, reached = eta.route.reached;
    const group = L.featureGroup();
    const done = nodes.slice(0, Math.max(reached, 1));
    const ahead = nodes.slice(Math.max(reached - 1, 0));
    L.polyline(pathCoords(ahead), { color: tc("ahead"), weight: 4, opacity: 0.8, dashArray: "8 6", className: "route-ahead" })
      .bindTooltip("still to travel").addTo(group);
    if (done.length > 1) {
      L.polyline(pathCoords(done), { color: tc("travelled"), weight: 5, opacity: 0.9, className: "route-travelled" })
        .bindTooltip("travelled").addTo(group);
    }
    const here = state.nodes[nodes[Math.max(reached - 1, 0)]];
    if (here) {
      L.circleMarker([here.lat, here.lon], { radius: 8, color: tc("travelled"), fillColor: tc("here"), fillOpacity: 1, weight: 2, className: "route-here" })
        .bindTooltip(eta.position ? `${here.name}: ${eta.position.event === "dep" ? "left" : "arrived"} ${show(eta.position.at)}` : `${here.name}: departure`)
        .addTo(group);
    }
    group.addTo(map);
    state.routeLayer = group;
    C.frame(map, group);
  }

  /* ---------------------------------------------------------------- view */

  function stageLabel(f, events) {
    if (!f.event_id) return "booking";
    const e = events.find((x) => x.id === f.event_id);
    if (!e) return "event";
    const name = (state.nodes[e.node] || { name: e.node }).name;
    return `${e.milestone === "dep" ? "left" : "at"} ${name} ${show(f.as_of).slice(5)}`;
  }

  function drawBand(doc) {
    const start = utc(doc.depart + "T00:00");
    const days = (s) => (utc(s) - start) / DAY_MS;
    const labels = doc.forecasts.map((f) => stageLabel(f, doc.events));
    const datasets = [
      { type: "bar", label: "P10–P90", data: doc.forecasts.map((f) => [days(f.eta.p10), days(f.eta.p90)]),
        backgroundColor: tc("band") + "59", borderColor: tc("band"), borderWidth: 1 },
      { type: "line", label: "P50", data: doc.forecasts.map((f) => days(f.eta.p50)),
        borderColor: tc("p50"), backgroundColor: tc("p50"), pointRadius: 4, tension: 0 },
    ];
    if (doc.deadline) {
      const d = days(doc.deadline);
      datasets.push({ type: "line", label: "deadline", data: labels.map(() => d), borderColor: tc("deadline"),
        borderDash: [6, 4], pointRadius: 0, borderWidth: 1 });
    }
    const tick = (v) => new Date(start + v * DAY_MS).toISOString().slice(5, 10);
    if (state.chart) state.chart.destroy();
    state.chart = new Chart($("band-chart"), {
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false, responsive: true,
        scales: { y: { title: { display: true, text: "arrival (month-day, UTC)" }, ticks: { callback: tick } } },
        plugins: { tooltip: { callbacks: { label: (ctx) => {
          const v = ctx.raw;
          return Array.isArray(v) ? `P10 ${tick(v[0])} – P90 ${tick(v[1])}` : `${ctx.dataset.label} ${tick(v)}`;
        } } } },
      },
    });
    $("band-chart").dataset.stages = String(doc.forecasts.length);
  }

  function render(doc) {
    state.shipment = doc;
    $("view").hidden = false;
    const o = doc.origin.name, d = doc.destination.name;
    $("view-title").textContent = `${o} → ${d}` + (doc.reference ? ` (${doc.reference})` : "");
    const eta = doc.eta || {};
    const route = eta.route || { corridor: "?", replanned_at: [] };
    const state_ = doc.status === "delivered" ? "Delivered " + show(doc.arrived_at)
      : (doc.overdue ? "Overdue" : "In transit");
    $("view-summary").innerHTML =
      `<b class="${doc.overdue ? "overdue" : ""}" id="ship-state">${escapeHtml(state_)}</b> · departed ${doc.depart}` +
      ` · ${escapeHtml(route.corridor)} corridor · ${doc.service}` +
      (route.replanned_at && route.replanned_at.length ? ` · re-planned at ${escapeHtml(route.replanned_at.join(", "))}` : "");
    const nxt = eta.next_milestone;
    const local = (s, tz) => (s && tz ? ` (${show(s)} ${tz})` : "");
    $("next-milestone").textContent = nxt
      ? `Next: ${nxt.event === "dep" ? "departure from" : "arrival at"} ${nxt.name}, P50 ${show(nxt.p50)} UTC` +
        local(nxt.p50_local, nxt.tz)
      : (doc.status === "delivered" ? "Arrived." : "");
    const since = eta.position ? `${eta.position.event === "dep" ? "departure from" : "arrival at"} ${eta.position.name} ${show(eta.position.at)} UTC`
      : `departure on ${doc.depart}`;
    $("overdue-note").hidden = !doc.overdue;
    $("overdue-note").textContent = doc.overdue
      ? `Overdue: no news since the ${since}, and past ${show(eta.expected_by)} UTC, the P90 forecast then. ` +
        "The ETA below assumes the box has not arrived by now." + (eta.beyond_model ? " It is later than 99 % of the modelled journeys: the band extrapolates the latest ones." : "")
      : "";
    const body = $("eta-table").querySelector("tbody");
    body.textContent = "";
    const ontime = eta.on_time_probability;
    $("ontime-col").hidden = ontime === undefined;
    if (eta.eta) {
      const tr = document.createElement("tr");
      tr.innerHTML = `<td>now${eta.as_of ? " (" + show(eta.as_of) + ")" : ""}</td><td>${show(eta.eta.p10)}</td><td>${show(eta.eta.p50)}</td><td>${show(eta.eta.p90)}</td>` +
        (ontime === undefined ? "" : `<td>${Math.round(ontime * 100)}%</td>`);
      body.appendChild(tr);
      const loc = eta.eta_local;
      if (loc) {
        const tl = document.createElement("tr");
        tl.className = "local-times";
        tl.innerHTML = `<td>local, ${escapeHtml(loc.tz)}</td><td>${show(loc.p10)}</td><td>${show(loc.p50)}</td><td>${show(loc.p90)}</td>` +
          (ontime === undefined ? "" : "<td></td>");
        body.appendChild(tl);
      }
    }
    const ev = $("events-table").querySelector("tbody");
    ev.textContent = "";
    for (const e of doc.events) {
      const tr = document.createElement("tr");
      const name = (state.nodes[e.node] || { name: e.node }).name;
      tr.innerHTML = `<td>${escapeHtml(show(new Date(Date.parse(e.eventDateTime)).toISOString()))}</td>` +
        `<td>${e.milestone === "dep" ? "departed" : "arrived"}</td><td>${escapeHtml(name)}</td><td>${escapeHtml(e.eventClassifierCode)}</td>`;
      ev.appendChild(tr);
    }
    drawBand(doc);
    drawRoute(doc);
  }

  async function open(id) {
    try {
      render(await getJSON(`/api/v1/shipments/${encodeURIComponent(id)}`, { headers: headers() }));
      setMsg("ship-msg", "");
    } catch (e) { setMsg("ship-msg", e.message, true); }
  }

  async function loadList() {
    try {
      const doc = await getJSON("/api/v1/shipments?limit=20", { headers: headers() });
      const ul = $("ship-list");
      ul.textContent = "";
      for (const s of doc.shipments) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "#" + s.id;
        a.textContent = `${s.origin.name} → ${s.destination.name}, ${s.depart}` + (s.reference ? ` (${s.reference})` : "") + ` · ${s.status.replace("_", " ")}`;
        li.appendChild(a);
        ul.appendChild(li);
      }
    } catch (e) { setMsg("ship-msg", e.message, true); }
  }

  async function onCreate(ev) {
    ev.preventDefault();
    const body = { origin: $("origin").value.trim(), destination: $("destination").value.trim(), depart: $("depart").value };
    if ($("deadline").value) body.deadline = $("deadline").value;
    if ($("corridor").value) body.corridor = $("corridor").value;
    if ($("service").value) body.service = $("service").value;
    if ($("reference").value.trim()) body.reference = $("reference").value.trim();
    $("ship-btn").disabled = true;
    setMsg("ship-msg", "Planning and forecasting…");
    try {
      const doc = await getJSON("/api/v1/shipments", { method: "POST", headers: headers(), body: JSON.stringify(body) });
      history.replaceState(null, "", "#" + doc.id);
      render(doc);
      setMsg("ship-msg", "Shipment booked.");
      loadList();
    } catch (e) { setMsg("ship-msg", e.message, true); }
    finally { $("ship-btn").disabled = false; }
  }

  async function onEvent(ev) {
    ev.preventDefault();
    if (!state.shipment) return;
    const place = $("ev-place").value.trim();
    const when = $("ev-time").value;  /* YYYY-MM-DDTHH:MM, read as UTC */
    const body = {
      eventClassifierCode: $("ev-class").value, eventType: "TRANSPORT",
      transportEventTypeCode: $("ev-type").value,
      eventDateTime: when + (when.length === 16 ? ":00Z" : "Z"),
      eventLocation: /^[A-Z]{2}[A-Z2-9]{3}$/.test(place) ? { UNLocationCode: place } : { locationName: place },
    };
    $("ev-btn").disabled = true;
    try {
      const doc = await getJSON(`/api/v1/shipments/${state.shipment.id}/events`, { method: "POST", headers: headers(), body: JSON.stringify(body) });
      render(doc);
      setMsg("ev-msg", doc.duplicate ? "That event was already recorded." : "Event added; the ETA is updated.");
      loadList();
    } catch (e) { setMsg("ev-msg", e.message, true); }
    finally { $("ev-btn").disabled = false; }
  }

  async function start() {
    const today = new Date().toISOString().slice(0, 10);
    $("depart").value = today;
    $("ship-form").addEventListener("submit", onCreate);
    $("event-form").addEventListener("submit", onEvent);
    $("api-key").addEventListener("change", loadList);  /* the list shows the shipments of this key */
    window.addEventListener("hashchange", () => { if (location.hash.length > 1) open(location.hash.slice(1)); });
    await C.loadPalette();
    await Promise.all([C.drawCountries(map).catch(() => null), loadNetwork()]);
    await loadList();
    if (location.hash.length > 1) await open(location.hash.slice(1));
    document.body.dataset.ready = "1";
  }

  start().catch((e) => setMsg("ship-msg", e.message, true));
})();

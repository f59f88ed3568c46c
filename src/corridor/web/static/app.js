/* Corridor web page: offline map (Natural Earth shapes, no tiles), compare, simulation. */
(function () {
  "use strict";

  // Every colour (corridors, modes, resources, series) is the one palette of the terminal and the
  // PNG charts, loaded from GET /api/v1/palette at start: this page declares none.
  const C = window.CorridorCommon;
  const MAP_MODES = ["rail", "ferry", "sea", "road", "river"];
  const LEG_GROUPS = ["rail", "ferry", "sea", "road", "river", "border", "transfer", "port"];
  const corridorColour = (name) => C.colour("corridors", name);
  const modeColour = (name) => C.colour("modes", name);
  const getJSON = C.getJSON;
  const escapeHtml = C.escapeHtml;

  const $ = (id) => document.getElementById(id);
  const state = { nodes: {}, links: {}, nodeLayer: null, corridorLayer: null, charts: {} };

  function fmt(x, digits) {
    return Number(x).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  }

  function setMsg(id, text, isError) {
    const el = $(id);
    el.textContent = text || "";
    el.classList.toggle("error", Boolean(isError));
  }

  function chart(id, config) {
    if (state.charts[id]) state.charts[id].destroy();
    state.charts[id] = new Chart($(id), config);
    return state.charts[id];
  }

  /* ---------------------------------------------------------------- map */

  const map = C.makeMap("map");

  function linkKey(a, b, mode) { return a + "|" + b + "|" + mode; }

  async function drawNetwork() {
    const doc = await getJSON("/api/v1/network.geojson");
    const lines = [];
    const points = [];
    for (const f of doc.features) {
      if (f.geometry.type === "Point") points.push(f); else lines.push(f);
    }
    let railShaped = 0, rail = 0;
    for (const f of lines) {
      const p = f.properties;
      const coords = f.geometry.coordinates;
      state.links[linkKey(p.from, p.to, p.mode)] = coords;
      state.links[linkKey(p.to, p.from, p.mode)] = coords.slice().reverse();
      if (p.mode === "rail") {
        rail += 1;
        if (coords.length > 2 && p.distance_method !== "estimate") railShaped += 1;
      }
    }
    // rail links drawn along measured track (the rest are straight: estimates, planned lines)
    document.body.dataset.railShaped = `${railShaped}/${rail}`;
    L.geoJSON({ type: "FeatureCollection", features: lines }, {
      style: (f) => ({
        color: modeColour(f.properties.mode),
        weight: f.properties.mode === "sea" ? 1.5 : 2,
        opacity: 0.8,
        dashArray: f.properties.status === "planned" ? "6 5" : null,
        className: "network-link mode-" + f.properties.mode + (f.properties.status === "planned" ? " planned" : ""),
      }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        const how = p.distance_method === "osm_track_bridged"
          ? `measured on OSM track, ${fmt(p.bridged_km, 0)} km of gaps bridged straight`
          : { osm: "measured on OSM track", source: "cited", searoute: "sea route", estimate: "estimate" }[p.distance_method];
        layer.bindTooltip(`${p.from} – ${p.to}: ${p.mode}, ${fmt(p.distance_km, 0)} km` +
          (how ? ` (${how})` : "") +
          (p.status === "planned" ? ` (planned${p.open_year ? ", " + p.open_year : ""})` : ""));
      },
    }).addTo(map);
    state.nodeLayer = L.geoJSON({ type: "FeatureCollection", features: points }, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: f.properties.kind === "passage" ? 2 : 3.5, weight: 1, color: "#333",
        fillColor: "#fff", fillOpacity: 1, className: "network-node",
      }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        state.nodes[p.id] = { layer: layer, props: p };
        layer.bindPopup(`<b>${escapeHtml(p.name)}</b><br>${p.country} · ${p.kind}` +
          (p.locode ? ` · ${p.locode}` : "") + `<br><small>${escapeHtml(p.operations || "")}</small>`);
      },
    }).addTo(map);
    addLegend();
  }

  function addLegend() {
    const legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      const div = L.DomUtil.create("div", "legend");
      // folded on a phone, where the map is short: a tap opens it
      const phone = window.matchMedia("(max-width: 820px)").matches;
      let html = `<details${phone ? "" : " open"}><summary>Legend</summary>`;
      for (const mode of MAP_MODES) {
        html += `<div><i style="border-color:${modeColour(mode)}"></i>${mode}</div>`;
      }
      html += `<div><i class="dashed" style="border-color:${modeColour("rail")}"></i>planned</div></details>`;
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    legend.addTo(map);
  }


  async function loadPlaces() {
    const doc = await getJSON("/api/v1/nodes");
    const list = $("places");
    const frag = document.createDocumentFragment();
    const seen = new Set();
    for (const n of doc.nodes) {
      if (n.kind === "passage") continue;
      for (const name of [n.name, ...(n.aliases || [])]) {
        if (seen.has(name)) continue;
        seen.add(name);
        const opt = document.createElement("option");
        opt.value = name;
        opt.label = `${n.name} (${n.country})`;
        frag.appendChild(opt);
      }
    }
    list.appendChild(frag);
  }

  async function onSearch(ev) {
    ev.preventDefault();
    const text = $("search").value.trim();
    if (!text) return;
    try {
      const doc = await getJSON("/api/v1/nodes?search=" + encodeURIComponent(text));
      if (!doc.nodes.length) {
        const near = doc.suggestions && doc.suggestions.length ? ` Did you mean ${doc.suggestions.join(", ")}?` : "";
        setMsg("search-msg", `No place matches “${text}”.${near}`, true);
        return;
      }
      const n = doc.nodes[0];
      map.setView([n.lat, n.lon], 6, { animate: false });
      const hit = state.nodes[n.id];
      if (hit) hit.layer.openPopup();
      setMsg("search-msg", doc.nodes.length > 1
        ? `${doc.nodes.length} places: ${doc.nodes.slice(0, 6).map((x) => x.name).join(", ")}` : n.name);
    } catch (e) { setMsg("search-msg", e.message, true); }
  }

  /* ---------------------------------------------------------------- compare */

  function routeCoords(option) {
    const out = [];
    for (const leg of option.route.legs) {
      if (leg.from === leg.to) continue;
      let coords = state.links[linkKey(leg.from, leg.to, leg.mode)];
      if (!coords) {
        const a = state.nodes[leg.from], b = state.nodes[leg.to];
        if (!a || !b) continue;
        coords = [a.layer.feature.geometry.coordinates, b.layer.feature.geometry.coordinates];
      }
      out.push(coords.map((c) => [c[1], c[0]]));
    }
    return out;
  }

  function drawCorridors(doc) {
    if (state.corridorLayer) state.corridorLayer.remove();
    state.corridorLayer = L.featureGroup();
    doc.options.forEach((opt, i) => {
      const colour = corridorColour(opt.corridor);
      const line = L.polyline(routeCoords(opt), {
        color: colour, weight: 5, opacity: 0.85, offset: i,
        className: "corridor-line corridor-" + opt.corridor,
      });
      line.bindTooltip(`${opt.corridor}: P50 ${fmt(opt.days.p50, 1)} days`, { sticky: true });
      line.addTo(state.corridorLayer);
    });
    state.corridorLayer.addTo(map);
    C.frame(map, state.corridorLayer);
  }

  function clearCompare() {
    $("compare-table").hidden = true;
    $("compare-table").querySelector("tbody").textContent = "";
    $("compare-omitted").hidden = true;
    $("transit-box").hidden = true;
    $("days-box").hidden = true;
    for (const id of ["transit-chart", "days-chart"]) {
      if (state.charts[id]) { state.charts[id].destroy(); delete state.charts[id]; }
    }
    if (state.corridorLayer) { state.corridorLayer.remove(); state.corridorLayer = null; }
  }

  function costCell(opt) {
    const c = opt.cost_usd;
    if (!c) return `<td class="cost">${fmt(opt.cost_usd_per_feu, 0)}</td>`;
    const share = fmt(100 * (opt.cost_estimated_share || 0), 0);
    const tip = `${fmt(c.low, 0)}–${fmt(c.high, 0)} USD; ${share} % on estimated rates`;
    return `<td class="cost" title="${tip}">${fmt(c.expected, 0)}</td>`;
  }

  function co2Cell(opt) {
    const e = opt.co2e_kg;
    if (!e) return `<td class="co2">${fmt(opt.co2_kg_per_feu, 0)}</td>`;
    return `<td class="co2" title="well-to-wheel; tank-to-wheel ${fmt(e.ttw, 0)} kg">${fmt(e.wtw, 0)}</td>`;
  }

  function selectRow(opt) {
    for (const tr of $("compare-table").querySelectorAll("tbody tr[data-corridor]")) {
      tr.setAttribute("aria-selected", String(tr.dataset.corridor === opt.corridor));
    }
    state.corridorLayer.eachLayer((l) => {
      const on = l.options.className.includes("corridor-" + opt.corridor);
      l.setStyle({ opacity: on ? 1 : 0.25, weight: on ? 7 : 4 });
      if (on) C.frame(map, l);
    });
  }

  /* Per-option lists another part may add (services run, warnings, dated events): shown
     when present, whatever their items look like (text, or objects with a name or message). */
  function listText(items) {
    if (!Array.isArray(items) || !items.length) return "";
    return items.map((x) => (typeof x === "string" ? x
      : x.name || x.message || x.text || x.title || x.id || JSON.stringify(x))).join("; ");
  }

  /* Under each row: the countries, then the figures a narrow screen hides from the columns
     (P10–P90, borders, transshipments), the services, warnings and notes; all of it wraps. */
  function detailCell(opt) {
    const td = document.createElement("td");
    td.colSpan = $("compare-table").querySelectorAll("thead th:not([hidden])").length;
    const add = (cls, text) => {
      if (!text) return;
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      td.appendChild(span);
    };
    add("countries", (opt.countries || []).join(" › "));
    add("narrow-only", `P10–P90 ${fmt(opt.days.p10, 1)}–${fmt(opt.days.p90, 1)} d · ` +
      `${opt.borders} border${opt.borders === 1 ? "" : "s"} · ${opt.transshipments} transshipment${opt.transshipments === 1 ? "" : "s"}`);
    const services = (opt.services || []).map((x) => {
      const name = (id) => (state.nodes[id] ? state.nodes[id].props.name : id);
      const freq = x.frequency_per_week == null ? "when full" : `${fmt(x.frequency_per_week, 1)}/week`;
      return `${x.operator || x.id} ${name(x.from)} → ${name(x.to)} (${freq}${x.generic ? ", assumed" : ""})`;
    }).join("; ");
    add("services", services ? "services: " + services : "");
    const warnings = listText(opt.warnings) || listText(opt.events);
    add("warnings", warnings ? "warning: " + warnings : "");
    add("notes", opt.notes && opt.notes.length ? "note: " + opt.notes.join("; ") : "");
    td.title = opt.route.nodes.map((id) => (state.nodes[id] ? state.nodes[id].props.name : id)).join(" > ");
    return td;
  }

  function fillTable(doc) {
    const body = $("compare-table").querySelector("tbody");
    body.textContent = "";
    const withDeadline = doc.deadline_days != null;
    $("deadline-col").hidden = !withDeadline;
    if (withDeadline) $("deadline-col").textContent = `≤ ${doc.deadline_days} d`;
    $("cost-col").textContent = doc.container === 20 ? "USD/TEU" : "USD/FEU";
    for (const opt of doc.options) {
      const tr = document.createElement("tr");
      tr.dataset.corridor = opt.corridor;
      tr.tabIndex = 0;  // rows are reached with Tab and chosen with Enter or Space
      tr.setAttribute("aria-selected", "false");
      tr.setAttribute("aria-label", `${opt.corridor}: P50 ${fmt(opt.days.p50, 1)} days; show it on the map`);
      tr.innerHTML =
        `<td><span class="swatch" style="background:${corridorColour(opt.corridor)}"></span>${escapeHtml(opt.corridor)}</td>` +
        `<td class="sec">${fmt(opt.days.p10, 1)}</td><td class="p50"><b>${fmt(opt.days.p50, 1)}</b></td><td class="sec">${fmt(opt.days.p90, 1)}</td>` +
        (withDeadline ? `<td class="ontime">${fmt(100 * (opt.on_time_probability || 0), 0)} %</td>` : "") +
        costCell(opt) + co2Cell(opt) +
        `<td class="sec">${opt.borders}</td><td class="sec">${opt.transshipments}</td>`;
      tr.addEventListener("click", () => selectRow(opt));
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectRow(opt); }
      });
      body.appendChild(tr);
      const line = document.createElement("tr");
      line.className = "route-line";
      line.appendChild(detailCell(opt));
      body.appendChild(line);
    }
    $("compare-table").hidden = false;
    const omitted = doc.omitted || [];
    $("compare-omitted").hidden = !omitted.length;
    $("compare-omitted").textContent = omitted.length
      ? "Not shown: " + omitted.map((o) => `${o.corridor} — ${o.reason}`).join("; ") : "";
  }

  function drawTransitChart(doc) {
    const h = doc.histogram;
    if (!h || !h.edges_days.length) { $("transit-box").hidden = true; return; }
    const mids = h.edges_days.slice(0, -1).map((e, i) => (e + h.edges_days[i + 1]) / 2);
    const step = h.edges_days.length > 1 ? h.edges_days[1] - h.edges_days[0] : 1;
    $("transit-box").hidden = false;
    const seen = new Set();  // a further row of a corridor (another main mode) is "direct river"
    const curves = doc.options.map((opt) => {
      const key = seen.has(opt.corridor) && opt.mode ? `${opt.corridor} ${opt.mode}` : opt.corridor;
      seen.add(opt.corridor);
      const counts = h.counts[key] || [];
      const total = counts.reduce((a, b) => a + b, 0) || 1;
      return {
        label: key, data: counts.map((c, i) => ({ x: mids[i], y: (100 * c) / total })),
        borderColor: corridorColour(opt.corridor), backgroundColor: corridorColour(opt.corridor) + "33",
        fill: true, pointRadius: 0, tension: 0.25, borderWidth: 2,
      };
    });
    const top = Math.max(1, ...curves.flatMap((d) => d.data.map((p) => p.y)));
    // each corridor's P10–P90 band as a bar above the curves, its P50 as a dot on it
    const bands = doc.options.map((opt, i) => ({
      label: `${opt.corridor} P10–P90`, bandOf: opt.corridor,
      data: [{ x: opt.days.p10, y: top * (1.08 + 0.07 * i) }, { x: opt.days.p50, y: top * (1.08 + 0.07 * i) },
             { x: opt.days.p90, y: top * (1.08 + 0.07 * i) }],
      borderColor: corridorColour(opt.corridor), backgroundColor: corridorColour(opt.corridor),
      borderWidth: 4, pointRadius: [2, 5, 2], fill: false, tension: 0,
    }));
    const extra = [];
    if (doc.deadline_days != null) {
      extra.push({
        label: `deadline ${doc.deadline_days} d`, isDeadline: true,
        data: [{ x: doc.deadline_days, y: 0 }, { x: doc.deadline_days, y: top * (1.1 + 0.07 * bands.length) }],
        borderColor: C.colour("track", "deadline"), borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false,
      });
    }
    const lo = Math.min(h.edges_days[0], doc.deadline_days != null ? doc.deadline_days - 1 : Infinity);
    const hi = Math.max(h.edges_days[h.edges_days.length - 1], doc.deadline_days != null ? doc.deadline_days + 1 : -Infinity);
    const c = chart("transit-chart", {
      type: "line",
      data: { datasets: [...curves, ...bands, ...extra] },
      options: {
        animation: false, responsive: true,
        scales: { x: { type: "linear", min: lo, max: hi,
                       title: { display: true, text: "door-to-door days" },
                       ticks: { maxTicksLimit: 10, precision: 0 } },
                  y: { title: { display: true, text: `% of journeys per ${step} d` }, beginAtZero: true } },
        plugins: { legend: { position: "bottom", labels: { filter: (item, data) => !data.datasets[item.datasetIndex].bandOf } },
                   tooltip: { callbacks: { title: (items) => items.length && !items[0].dataset.bandOf && !items[0].dataset.isDeadline
                     ? `${fmt(items[0].parsed.x - step / 2, 1)}–${fmt(items[0].parsed.x + step / 2, 1)} days` : "" } } },
      },
    });
    $("transit-chart").dataset.bands = String(bands.length);
    $("transit-chart").dataset.deadline = doc.deadline_days != null ? String(doc.deadline_days) : "";
    return c;
  }

  function drawDaysChart(doc) {
    $("days-box").hidden = false;
    const groups = LEG_GROUPS;
    const byCorridor = doc.options.map((opt) => {
      const sums = Object.fromEntries(groups.map((g) => [g, 0]));
      for (const leg of opt.route.legs) {
        const g = groups.includes(leg.mode) ? leg.mode : "transfer";
        sums[g] += (leg.hours && typeof leg.hours === "object" ? leg.hours.mean : leg.hours) / 24;
      }
      return sums;
    });
    chart("days-chart", {
      type: "bar",
      data: {
        labels: doc.options.map((o) => o.corridor),
        datasets: LEG_GROUPS.map((name) => ({
          label: name, backgroundColor: modeColour(name), data: byCorridor.map((s) => Number(s[name].toFixed(2))),
        })).filter((ds) => ds.data.some((v) => v > 0)),
      },
      options: {
        indexAxis: "y", animation: false, responsive: true,
        scales: { x: { stacked: true, title: { display: true, text: "mean days" } }, y: { stacked: true } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  /* The form as query parameters: what the API is asked, and what the page's URL keeps so
     that the link reproduces the comparison. */
  const FORM_PARAMS = [
    ["origin", "origin"], ["destination", "destination"], ["depart", "depart"], ["samples", "samples"],
    ["service", "service"], ["deadline", "deadline_days"], ["year", "year"], ["compare-scenario", "scenario"],
    ["container", "container"], ["optimize", "optimize"], ["value-of-time", "value_of_time"],
  ];
  const LIST_PARAMS = [["avoid", "avoid"], ["via", "via"]];

  function formParams() {
    const params = new URLSearchParams();
    for (const [id, name] of FORM_PARAMS) {
      const v = $(id).value.trim();
      if (!v) continue;
      if (name === "optimize" && v === "time") continue;  // the default
      if (name === "value_of_time" && $("optimize").value !== "generalized") continue;
      params.set(name, v);
    }
    for (const [id, name] of LIST_PARAMS) {
      for (const item of $(id).value.split(",")) {
        if (item.trim()) params.append(name, item.trim());
      }
    }
    return params;
  }

  function fillForm(params) {
    for (const [id, name] of FORM_PARAMS) {
      if (params.has(name)) $(id).value = params.get(name);
    }
    for (const [id, name] of LIST_PARAMS) {
      if (params.has(name)) $(id).value = params.getAll(name).join(", ");
    }
    showValueOfTime();
  }

  /* Offer "optimise for" only when the server's comparison takes it (its OpenAPI says so). */
  async function offerOptimize() {
    try {
      const spec = await getJSON("/openapi.json");
      const op = spec.paths && spec.paths["/api/v1/compare"] && spec.paths["/api/v1/compare"].get;
      const names = ((op && op.parameters) || []).map((p) => p.name);
      const ok = names.includes("optimize");
      $("optimize-label").hidden = !ok;
      if (!ok) $("optimize").value = "time";
      showValueOfTime();
    } catch (e) { $("optimize-label").hidden = true; }
  }

  function showValueOfTime() {
    $("vot-label").hidden = $("optimize").value !== "generalized" || $("optimize-label").hidden;
  }

  async function onCompare(ev) {
    if (ev) ev.preventDefault();
    const params = formParams();
    history.replaceState(null, "", "?" + params.toString());
    params.set("histogram", "true");
    $("compare-btn").disabled = true;
    setMsg("compare-msg", "Comparing…");
    try {
      const doc = await getJSON("/api/v1/compare?" + params.toString());
      if (!doc.options.length) {
        clearCompare();
        setMsg("compare-msg", "No corridor has a route between these places.", true);
        return;
      }
      const under = (doc.scenario ? ` under scenario ${doc.scenario} (network of ${doc.year})` : "") +
        (doc.avoid && doc.avoid.length ? `, avoiding ${doc.avoid.join(", ")}` : "") +
        (doc.via && doc.via.length ? `, via ${doc.via.map((v) => (v && v.name) || v).join(", ")}` : "") +
        (doc.optimize && doc.optimize !== "time" ? `, optimised for ${doc.optimize}` : "");
      const n = doc.options.length;
      const year = !doc.scenario && doc.year ? `, values of ${doc.year}` : "";
      setMsg("compare-msg",
        `${doc.origin.name} → ${doc.destination.name}, departing ${doc.depart}, ${doc.service} service${year}${under}: ${n} corridor${n === 1 ? "" : "s"}, ` +
        `${doc.samples.toLocaleString("en-US")} journeys each. Click a row (or Tab to it, Enter) to highlight it; the page's address reproduces this comparison.`);
      fillTable(doc);
      drawCorridors(doc);
      drawTransitChart(doc);
      drawDaysChart(doc);
    } catch (e) {
      clearCompare();  // never leave the previous answer under a new question's error
      setMsg("compare-msg", e.message, true);
    } finally {
      $("compare-btn").disabled = false;
    }
  }

  /* ---------------------------------------------------------------- simulation */

  function fillScenarioSelect(select, scenarios) {
    const groups = { bundled: "Bundled", saved: "Saved" };
    for (const [source, label] of Object.entries(groups)) {
      const items = scenarios.filter((s) => s.source === source);
      if (!items.length) continue;
      const og = document.createElement("optgroup");
      og.label = label;
      for (const s of items) {
        const opt = document.createElement("option");
        opt.value = s.id;
        opt.textContent = s.name;
        opt.title = s.description || "";
        og.appendChild(opt);
      }
      select.appendChild(og);
    }
  }

  async function loadScenarios() {
    const doc = await getJSON("/api/v1/scenarios");
    // the simulation needs a scenario; the comparison may use none (its first option)
    $("scenario").textContent = "";
    fillScenarioSelect($("scenario"), doc.scenarios);
    const compareSelect = $("compare-scenario");
    while (compareSelect.options.length > 1) compareSelect.remove(1);
    compareSelect.querySelectorAll("optgroup").forEach((og) => og.remove());
    fillScenarioSelect(compareSelect, doc.scenarios);
  }

  function showSimulation(job) {
    const r = job.result;
    $("sim-results").hidden = false;
    const t = r.transit_days || {};
    $("sim-summary").textContent =
      `${r.scenario}, ${r.days} days: ${fmt(r.arrived_teu, 0)} TEU arrived, ${fmt(r.delivered_teu, 0)} delivered, ` +
      `${fmt(r.in_system_teu, 0)} still on the way; transit P50 ${t.p50 == null ? "–" : fmt(t.p50, 1)} days, ` +
      `P90 ${t.p90 == null ? "–" : fmt(t.p90, 1)} days.`;
    const series = r.series || { days: [], queue_teu: {} };
    const names = series.names || {};
    const nameOf = (rid) => names[rid] || rid;
    const hot = new Set(r.bottlenecks || []);
    chart("queue-chart", {
      type: "line",
      data: {
        labels: series.days.map((d) => Number(d).toFixed(0)),
        datasets: Object.entries(series.queue_teu).map(([rid, values], i) => ({
          label: nameOf(rid), data: values, borderColor: C.seriesColour(i), pointRadius: 0, borderWidth: 1.5,
        })),
      },
      options: { animation: false, scales: { x: { title: { display: true, text: "day" }, ticks: { maxTicksLimit: 12 } },
                 y: { beginAtZero: true, title: { display: true, text: "TEU waiting" } } },
                 plugins: { legend: { position: "bottom", labels: { boxWidth: 10, font: { size: 10 } } } } },
    });
    // capacity resources first (where queues form), the formation pools after them
    const resources = (r.resources || []).slice()
      .sort((a, b) => (a.kind === "formation") - (b.kind === "formation") || b.utilization - a.utilization)
      .slice(0, 15);
    chart("util-chart", {
      type: "bar",
      data: {
        labels: resources.map((x) => nameOf(x.id)),
        datasets: [{ label: "utilisation", data: resources.map((x) => x.utilization * 100),
                     backgroundColor: resources.map((x) => C.colour("resources", hot.has(x.id) ? "bottleneck"
                       : x.kind === "formation" ? "formation" : "capacitated")) }],
      },
      options: { indexAxis: "y", animation: false,
                 scales: { x: { min: 0, max: 100, title: { display: true, text: "% busy / load factor" } },
                           // long names are shortened on the axis; the tooltip shows them whole
                           y: { ticks: { font: { size: 10 }, callback: function (value) {
                             const label = this.getLabelForValue(value);
                             return label.length > 34 ? label.slice(0, 33) + "…" : label;
                           } } } },
                 plugins: { legend: { display: false } } },
    });
    const list = $("bottlenecks");
    list.textContent = "";
    const ranked = r.bottlenecks && r.bottlenecks.length ? r.bottlenecks : [];
    if (!ranked.length) {
      const li = document.createElement("li");
      li.textContent = "none: no resource is near its capacity";
      list.appendChild(li);
    }
    for (const rid of ranked) {
      const li = document.createElement("li");
      const res = (r.resources || []).find((x) => x.id === rid);
      li.textContent = res
        ? `${nameOf(rid)} — ${fmt(res.utilization * 100, 0)} %, mean wait ${fmt(res.mean_wait_h, 1)} h` : nameOf(rid);
      li.title = rid;
      list.appendChild(li);
    }
    $("sim-section").scrollIntoView({ block: "start" });
  }

  async function onSimulate(ev) {
    ev.preventDefault();
    const key = $("api-key").value.trim();
    if (key) localStorage.setItem("corridor-api-key", key);
    const headers = { "Content-Type": "application/json" };
    if (key) headers["X-API-Key"] = key;
    $("sim-btn").disabled = true;
    $("sim-results").hidden = true;
    const bar = $("sim-progress");
    bar.hidden = false;
    bar.value = 0;
    setMsg("sim-msg", "Starting…");
    try {
      let job = await getJSON("/api/v1/simulations", {
        method: "POST", headers: headers,
        body: JSON.stringify({ scenario: $("scenario").value, days: Number($("sim-days").value) }),
      });
      while (job.status === "queued" || job.status === "running") {
        bar.value = job.progress;
        setMsg("sim-msg", `Job ${job.id.slice(0, 8)}: ${job.status}, ${Math.round(job.progress * 100)} %`);
        await new Promise((res) => setTimeout(res, 400));
        job = await getJSON("/api/v1/simulations/" + job.id);
      }
      bar.value = job.progress;
      if (job.status === "failed") {
        $("sim-results").hidden = true;
        setMsg("sim-msg", `Job ${job.id.slice(0, 8)} failed: ${job.error}`, true);
        return;
      }
      setMsg("sim-msg", `Job ${job.id.slice(0, 8)} finished.`);
      showSimulation(job);
    } catch (e) {
      $("sim-results").hidden = true;
      const hint = e.status === 401 ? " Create a key with `corridor keys create` and paste it above." : "";
      setMsg("sim-msg", e.message + hint, true);
    } finally {
      $("sim-btn").disabled = false;
    }
  }

  /* ---------------------------------------------------------------- start */

  function start() {
    // The same default departure as the command line and the API: today, in local time.
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    $("depart").value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    $("api-key").value = localStorage.getItem("corridor-api-key") || "";
    $("search-form").addEventListener("submit", onSearch);
    $("compare-form").addEventListener("submit", onCompare);
    $("optimize").addEventListener("change", showValueOfTime);
    const asked = new URLSearchParams(location.search);
    fillForm(asked);
    $("sim-form").addEventListener("submit", onSimulate);
    document.body.dataset.ready = "loading";
    C.loadPalette()
      .then(() => Promise.all([C.drawCountries(map), drawNetwork(), loadPlaces(), loadScenarios(), offerOptimize()]))
      .then(() => {
        if (asked.has("scenario")) $("compare-scenario").value = asked.get("scenario");
        document.body.dataset.ready = "true";
        // a shared link: run the comparison it describes
        if (asked.has("origin") && asked.has("destination")) return onCompare(null);
        return null;
      })
      .catch((e) => { document.body.dataset.ready = "error"; setMsg("compare-msg", "Loading failed: " + e.message, true); });
  }

  start();
})();

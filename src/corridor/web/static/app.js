/* Corridor web page: offline map (Natural Earth shapes, no tiles), compare, simulation. */
(function () {
  "use strict";

  const MODE_COLOURS = { rail: "#5a5a5a", ferry: "#2b7bba", sea: "#7fb3d5", road: "#a6761d" };
  // one colour per corridor (and per resource state), the same as the terminal and the PNG
  // charts: loaded from GET /api/v1/palette at start
  const CORRIDOR_COLOURS = {};
  const RESOURCE_COLOURS = { bottleneck: "#c0392b", capacitated: "#2e86c1", formation: "#b5b5b5" };
  const LEG_GROUPS = [
    ["rail", "#5a5a5a"], ["ferry", "#2b7bba"], ["sea", "#7fb3d5"], ["road", "#a6761d"],
    ["border", "#d95f02"], ["transfer", "#7570b3"], ["port", "#1b9e77"],
  ];

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

  async function getJSON(url, options) {
    const resp = await fetch(url, options);
    let doc = null;
    try { doc = await resp.json(); } catch (e) { doc = null; }
    if (!resp.ok) {
      let text = (doc && (doc.detail || doc.title)) || resp.statusText;
      if (doc && doc.candidates && doc.candidates.length) {
        text += " Candidates: " + doc.candidates.join(", ") + ".";
      }
      const err = new Error(text);
      err.status = resp.status;
      throw err;
    }
    return doc;
  }

  function chart(id, config) {
    if (state.charts[id]) state.charts[id].destroy();
    state.charts[id] = new Chart($(id), config);
    return state.charts[id];
  }

  /* ---------------------------------------------------------------- map */

  const map = L.map("map", { worldCopyJump: false, minZoom: 2, maxZoom: 10, preferCanvas: false })
    .setView([42, 55], 3);
  map.createPane("countries").style.zIndex = 250;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(
    "Country shapes: <a href=\"https://www.naturalearthdata.com/\">Natural Earth</a> (public domain) via world-atlas");

  /* Rings that cross the 180° meridian jump from +180 to -180 between two vertices; drawn as is,
     they streak across the whole map (Russia's Chukotka over the Arctic, Fiji near 17° S). Make
     each ring continuous in longitude (so Chukotka runs on past 180° next to the rest of Russia),
     and move rings lying wholly in the far west to the east of the meridian, beside Asia. A ring
     that goes all the way round the globe (Antarctica) cannot be unwrapped and is left as it is. */
  function unwrapRing(ring) {
    const out = [ring[0].slice()];
    for (let i = 1; i < ring.length; i++) {
      const prev = out[i - 1][0];
      let lon = ring[i][0];
      while (lon - prev > 180) lon -= 360;
      while (lon - prev < -180) lon += 360;
      out.push([lon, ring[i][1]]);
    }
    if (Math.abs(out[out.length - 1][0] - out[0][0]) > 1e-6) return ring;  // circles the pole
    const west = Math.max(...out.map((c) => c[0]));
    if (west < -150) for (const c of out) c[0] += 360;  // beside Asia, not beyond the Atlantic
    return out;
  }

  function unwrapGeometry(geometry) {
    if (!geometry) return geometry;
    if (geometry.type === "Polygon") {
      return { type: "Polygon", coordinates: geometry.coordinates.map(unwrapRing) };
    }
    if (geometry.type === "MultiPolygon") {
      return { type: "MultiPolygon", coordinates: geometry.coordinates.map((p) => p.map(unwrapRing)) };
    }
    return geometry;
  }

  /* Widest longitude span of any country ring outside Antarctica (a stripe spans 360°). */
  function widestRing(features) {
    let widest = 0;
    for (const f of features) {
      const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) {
        for (const ring of poly) {
          if (Math.min(...ring.map((c) => c[1])) < -60) continue;
          const lons = ring.map((c) => c[0]);
          widest = Math.max(widest, Math.max(...lons) - Math.min(...lons));
        }
      }
    }
    return widest;
  }

  async function drawCountries() {
    const topo = await getJSON("/static/vendor/world-atlas/countries-50m.json");
    const countries = topojson.feature(topo, topo.objects.countries);
    countries.features = countries.features
      .filter((f) => f.geometry)
      .map((f) => ({ ...f, geometry: unwrapGeometry(f.geometry) }));
    document.body.dataset.countrySpan = widestRing(countries.features).toFixed(1);
    L.geoJSON(countries, {
      interactive: false,
      pane: "countries",
      style: { color: "#b9b3a6", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
    }).addTo(map);
  }

  function linkKey(a, b, mode) { return a + "|" + b + "|" + mode; }

  async function drawNetwork() {
    const doc = await getJSON("/api/v1/network.geojson");
    const lines = [];
    const points = [];
    for (const f of doc.features) {
      if (f.geometry.type === "Point") points.push(f); else lines.push(f);
    }
    for (const f of lines) {
      const p = f.properties;
      const coords = f.geometry.coordinates;
      state.links[linkKey(p.from, p.to, p.mode)] = coords;
      state.links[linkKey(p.to, p.from, p.mode)] = coords.slice().reverse();
    }
    L.geoJSON({ type: "FeatureCollection", features: lines }, {
      style: (f) => ({
        color: MODE_COLOURS[f.properties.mode] || "#888",
        weight: f.properties.mode === "sea" ? 1.5 : 2,
        opacity: 0.8,
        dashArray: f.properties.status === "planned" ? "6 5" : null,
        className: "network-link mode-" + f.properties.mode + (f.properties.status === "planned" ? " planned" : ""),
      }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindTooltip(`${p.from} – ${p.to}: ${p.mode}, ${fmt(p.distance_km, 0)} km` +
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
      let html = "";
      for (const [mode, colour] of Object.entries(MODE_COLOURS)) {
        html += `<div><i style="border-color:${colour}"></i>${mode}</div>`;
      }
      html += `<div><i class="dashed" style="border-color:#5a5a5a"></i>planned</div>`;
      div.innerHTML = html;
      return div;
    };
    legend.addTo(map);
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
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
      const colour = CORRIDOR_COLOURS[opt.corridor] || "#000";
      const line = L.polyline(routeCoords(opt), {
        color: colour, weight: 5, opacity: 0.85, offset: i,
        className: "corridor-line corridor-" + opt.corridor,
      });
      line.bindTooltip(`${opt.corridor}: P50 ${fmt(opt.days.p50, 1)} days`, { sticky: true });
      line.addTo(state.corridorLayer);
    });
    state.corridorLayer.addTo(map);
    const bounds = state.corridorLayer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], animate: false });
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
    if (!c) return `<td>${fmt(opt.cost_usd_per_feu, 0)}</td>`;
    const share = fmt(100 * (opt.cost_estimated_share || 0), 0);
    const tip = `${fmt(c.low, 0)}–${fmt(c.high, 0)} USD; ${share} % on estimated rates`;
    return `<td class="cost" title="${tip}">${fmt(c.expected, 0)}</td>`;
  }

  function co2Cell(opt) {
    const e = opt.co2e_kg;
    if (!e) return `<td>${fmt(opt.co2_kg_per_feu, 0)}</td>`;
    return `<td title="well-to-wheel; tank-to-wheel ${fmt(e.ttw, 0)} kg">${fmt(e.wtw, 0)}</td>`;
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
      const colour = CORRIDOR_COLOURS[opt.corridor] || "#000";
      tr.innerHTML =
        `<td><span class="swatch" style="background:${colour}"></span>${opt.corridor}</td>` +
        `<td>${fmt(opt.days.p10, 1)}</td><td><b>${fmt(opt.days.p50, 1)}</b></td><td>${fmt(opt.days.p90, 1)}</td>` +
        (withDeadline ? `<td>${fmt(100 * (opt.on_time_probability || 0), 0)} %</td>` : "") +
        costCell(opt) + co2Cell(opt) +
        `<td>${opt.borders}</td><td>${opt.transshipments}</td>`;
      tr.addEventListener("click", () => {
        state.corridorLayer.eachLayer((l) => {
          const on = l.options.className.includes("corridor-" + opt.corridor);
          l.setStyle({ opacity: on ? 1 : 0.25, weight: on ? 7 : 4 });
          if (on) map.fitBounds(l.getBounds(), { padding: [20, 20], animate: false });
        });
      });
      body.appendChild(tr);
      if (opt.countries && opt.countries.length) {
        // the countries crossed, so that a detour shows at a glance
        const line = document.createElement("tr");
        line.className = "route-line";
        const td = document.createElement("td");
        td.colSpan = $("compare-table").querySelectorAll("thead th:not([hidden])").length;
        td.textContent = opt.countries.join(" › ") +
          (opt.notes && opt.notes.length ? " — note: " + opt.notes.join("; ") : "");
        td.title = opt.route.nodes.map((id) => (state.nodes[id] ? state.nodes[id].props.name : id)).join(" > ");
        line.appendChild(td);
        body.appendChild(line);
      }
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
    chart("transit-chart", {
      type: "line",
      data: {
        datasets: doc.options.map((opt) => {
          const counts = h.counts[opt.corridor] || [];
          const total = counts.reduce((a, b) => a + b, 0) || 1;
          return {
            label: opt.corridor, data: counts.map((c, i) => ({ x: mids[i], y: (100 * c) / total })),
            borderColor: CORRIDOR_COLOURS[opt.corridor], backgroundColor: CORRIDOR_COLOURS[opt.corridor] + "33",
            fill: true, pointRadius: 0, tension: 0.25, borderWidth: 2,
          };
        }),
      },
      options: {
        animation: false, responsive: true,
        scales: { x: { type: "linear", min: h.edges_days[0], max: h.edges_days[h.edges_days.length - 1],
                       title: { display: true, text: "door-to-door days" },
                       ticks: { maxTicksLimit: 10, precision: 0 } },
                  y: { title: { display: true, text: `% of journeys per ${step} d` }, beginAtZero: true } },
        plugins: { legend: { position: "bottom" },
                   tooltip: { callbacks: { title: (items) => items.length
                     ? `${fmt(items[0].parsed.x - step / 2, 1)}–${fmt(items[0].parsed.x + step / 2, 1)} days` : "" } } },
      },
    });
  }

  function drawDaysChart(doc) {
    $("days-box").hidden = false;
    const groups = LEG_GROUPS.map(([name]) => name);
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
        datasets: LEG_GROUPS.map(([name, colour]) => ({
          label: name, backgroundColor: colour, data: byCorridor.map((s) => Number(s[name].toFixed(2))),
        })).filter((ds) => ds.data.some((v) => v > 0)),
      },
      options: {
        indexAxis: "y", animation: false, responsive: true,
        scales: { x: { stacked: true, title: { display: true, text: "mean days" } }, y: { stacked: true } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  async function onCompare(ev) {
    ev.preventDefault();
    const params = new URLSearchParams({
      origin: $("origin").value.trim(), destination: $("destination").value.trim(),
      depart: $("depart").value, samples: $("samples").value, histogram: "true",
      service: $("service").value,
    });
    if ($("deadline").value) params.set("deadline_days", $("deadline").value);
    if ($("year").value) params.set("year", $("year").value);
    if ($("compare-scenario").value) params.set("scenario", $("compare-scenario").value);
    params.set("container", $("container").value);
    for (const item of $("avoid").value.split(",")) {
      if (item.trim()) params.append("avoid", item.trim());
    }
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
        (doc.avoid && doc.avoid.length ? `, avoiding ${doc.avoid.join(", ")}` : "");
      const year = !doc.scenario && doc.year ? `, values of ${doc.year}` : "";
      setMsg("compare-msg",
        `${doc.origin.name} → ${doc.destination.name}, departing ${doc.depart}, ${doc.service} service${year}${under}: ${doc.options.length} corridors, ` +
        `${doc.samples.toLocaleString("en-US")} journeys each. Click a row to highlight it.`);
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
    const palette = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#666666"];
    chart("queue-chart", {
      type: "line",
      data: {
        labels: series.days.map((d) => Number(d).toFixed(0)),
        datasets: Object.entries(series.queue_teu).map(([rid, values], i) => ({
          label: nameOf(rid), data: values, borderColor: palette[i % palette.length], pointRadius: 0, borderWidth: 1.5,
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
                     backgroundColor: resources.map((x) => (hot.has(x.id) ? RESOURCE_COLOURS.bottleneck
                       : x.kind === "formation" ? RESOURCE_COLOURS.formation : RESOURCE_COLOURS.capacitated)) }],
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

  async function loadPalette() {
    const doc = await getJSON("/api/v1/palette");
    Object.assign(CORRIDOR_COLOURS, doc.corridors);
    Object.assign(RESOURCE_COLOURS, doc.resources);
  }

  function start() {
    // The same default departure as the command line and the API: today, in local time.
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    $("depart").value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    $("api-key").value = localStorage.getItem("corridor-api-key") || "";
    $("search-form").addEventListener("submit", onSearch);
    $("compare-form").addEventListener("submit", onCompare);
    $("sim-form").addEventListener("submit", onSimulate);
    document.body.dataset.ready = "loading";
    Promise.all([loadPalette(), drawCountries(), drawNetwork(), loadPlaces(), loadScenarios()])
      .then(() => { document.body.dataset.ready = "true"; })
      .catch((e) => { document.body.dataset.ready = "error"; setMsg("compare-msg", "Loading failed: " + e.message, true); });
  }

  start();
})();

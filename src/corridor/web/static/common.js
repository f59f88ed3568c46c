/* Shared by the comparison page and the shipment view: fetching JSON, the one palette, and
   country shapes drawn without streaks across the antimeridian. */
(function () {
  "use strict";

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

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
  }

  /* Every colour the pages use comes from GET /api/v1/palette (the terminal and the PNG charts
     use the same): the pages declare none of their own. */
  const palette = { corridors: {}, resources: {}, modes: {}, track: {}, map: {}, series: {}, fallback: {} };

  async function loadPalette() {
    const doc = await getJSON("/api/v1/palette");
    for (const key of Object.keys(palette)) Object.assign(palette[key], doc[key] || {});
    return palette;
  }

  function colour(group, name) {
    return (palette[group] && palette[group][name]) || palette.fallback.colour;
  }

  function seriesColour(i) {
    const n = Object.keys(palette.series).length || 1;
    return palette.series[String(i % n)] || palette.fallback.colour;
  }

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

  async function drawCountries(map) {
    const topo = await getJSON("/static/vendor/world-atlas/countries-50m.json");
    const countries = topojson.feature(topo, topo.objects.countries);
    countries.features = countries.features
      .filter((f) => f.geometry)
      .map((f) => ({ ...f, geometry: unwrapGeometry(f.geometry) }));
    document.body.dataset.countrySpan = widestRing(countries.features).toFixed(1);
    map.getContainer().style.background = colour("map", "water");
    L.geoJSON(countries, {
      interactive: false,
      pane: "countries",
      style: { color: colour("map", "border"), weight: 0.6, fillColor: colour("map", "land"), fillOpacity: 1 },
    }).addTo(map);
  }

  /* A map that can zoom out to the whole of Eurasia on a phone, with its country pane. */
  function makeMap(id) {
    const phone = window.matchMedia("(max-width: 820px)").matches;
    const map = L.map(id, { worldCopyJump: false, minZoom: phone ? 0 : 1, maxZoom: 10, zoomSnap: 0.25 })
      .setView([42, 55], phone ? 1.5 : 3);
    map.createPane("countries").style.zIndex = 250;
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(
      "Country shapes: <a href=\"https://www.naturalearthdata.com/\">Natural Earth</a> (public domain) via world-atlas");
    return map;
  }

  /* Frame a layer: on a phone the map is short, so leave little padding and allow zoom < 2. */
  function frame(map, layer) {
    const bounds = layer.getBounds();
    if (!bounds.isValid()) return;
    map.invalidateSize();
    map.fitBounds(bounds, { padding: [12, 12], animate: false });
  }

  window.CorridorCommon = {
    getJSON, escapeHtml, palette, loadPalette, colour, seriesColour,
    unwrapGeometry, widestRing, drawCountries, makeMap, frame,
  };
})();

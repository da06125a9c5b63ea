// The offline basemap: Natural Earth country shapes (npm world-atlas,
// TopoJSON) drawn as a vector layer on a canvas, with country names as the
// view allows. The 1:110m shapes come first; the 1:50m ones replace them when
// the user zooms in. An online tile layer is an option, off by default.

/* global L, topojson */
import { getJSON } from './api.js';

const STYLE = { color: '#8c96a3', weight: 0.8, fillColor: '#f6f4ee', fillOpacity: 1 };

/** Basemap draws the countries and keeps their labels readable. */
export class Basemap {
  constructor(map, assets, { onError }) {
    this.map = map;
    this.assets = assets;
    this.onError = onError;
    this.pane = map.createPane('basemap');
    this.pane.style.zIndex = 250; // under overlays (400), over tiles (200)
    this.renderer = L.canvas({ padding: 0.3, pane: 'basemap' });
    this.layer = null;
    map.createPane('labels').style.zIndex = 350; // over the shapes, under incidents (400)
    this.labels = L.layerGroup().addTo(map);
    this.detail = '';
    this.fill = null; // (feature) => fill colour or '', set by the choropleth
    this.countries = 0; // drawn country shapes, for tests and the status line
    this.ready = false;
    map.on('zoomend', () => this.update());
  }

  /** load draws the coarse shapes, then keeps the detail right for the zoom. */
  async load() {
    await this.show('110m');
    this.ready = true;
    this.update();
  }

  async show(detail) {
    if (this.detail === detail) return;
    const res = await fetch(`${this.assets}/vendor/world-atlas/countries-${detail}.json`);
    if (!res.ok) throw new Error(`basemap countries-${detail}.json: HTTP ${res.status}`);
    const topo = await res.json();
    const geo = topojson.feature(topo, topo.objects.countries);
    for (const f of geo.features) unwrapGeometry(f.geometry);
    const layer = L.geoJSON(geo, { style: (f) => this.styleOf(f), renderer: this.renderer, pane: 'basemap', interactive: false });
    if (this.layer) this.layer.remove();
    this.layer = layer.addTo(this.map);
    this.detail = detail;
    this.countries = geo.features.length;
    this.labelPoints = geo.features.map(labelPoint).filter(Boolean);
    this.drawLabels();
  }

  // styleOf is a country's style: the choropleth's fill when it shades it.
  styleOf(feature) {
    const fill = this.fill && this.fill(feature);
    return fill ? { ...STYLE, fillColor: fill } : STYLE;
  }

  /** setFill colours the countries by fill(feature) (a colour, or '' for none); null removes the colours. */
  setFill(fill) {
    this.fill = fill;
    if (this.layer) this.layer.setStyle((f) => this.styleOf(f));
  }

  update() {
    const want = this.map.getZoom() >= 4 ? '50m' : '110m';
    if (this.ready && want !== this.detail) {
      this.show(want).catch((err) => this.onError(err));
    } else {
      this.drawLabels();
    }
  }

  // drawLabels names the countries that are wide enough on screen for their name.
  drawLabels() {
    this.labels.clearLayers();
    if (!this.labelPoints) return;
    const zoom = this.map.getZoom();
    const bounds = this.map.getBounds().pad(0.2);
    for (const lp of this.labelPoints) {
      const widthPx = (lp.width / 360) * 256 * 2 ** zoom;
      if (widthPx < lp.name.length * 6.5 || !bounds.contains(lp.latlng)) continue;
      const span = document.createElement('span');
      span.textContent = lp.name; // names come from a file, but text is text
      const icon = L.divIcon({ className: 'country-label', html: span, iconSize: [0, 0] });
      this.labels.addLayer(L.marker(lp.latlng, { icon, interactive: false, keyboard: false, pane: 'labels' }));
    }
  }
}

// unwrapGeometry makes rings that cross the antimeridian continuous (Russia's
// east runs on past 180° instead of jumping to -180°), so no shape draws a
// line across the whole map.
function unwrapGeometry(g) {
  if (!g) return;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        const prev = ring[i - 1][0];
        let x = ring[i][0];
        while (x - prev > 180) x -= 360;
        while (x - prev < -180) x += 360;
        ring[i] = [x, ring[i][1]];
      }
    }
  }
}

// labelPoint picks the middle of a country's largest part, with that part's width.
function labelPoint(f) {
  const name = f.properties && f.properties.name;
  if (!name || !f.geometry) return null;
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [];
  let best = null;
  for (const poly of polys) {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of poly[0]) {
      w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
    }
    const area = (e - w) * (n - s);
    if (!best || area > best.area) best = { area, w, s, e, n };
  }
  if (!best) return null;
  return { name, width: best.e - best.w, latlng: L.latLng((best.s + best.n) / 2, (best.w + best.e) / 2) };
}

/** tileLayer returns the optional online tile layer, or null when none is set. */
export function tileLayer(url, attribution) {
  if (!url) return null;
  return L.tileLayer(url, { attribution, maxZoom: 19, crossOrigin: true });
}

/**
 * WhereControl names the place at the map's centre from the gazetteer
 * (/api/places/reverse): admin1 and admin2 names where the basemap has no
 * boundaries for them. It hides itself when zoomed out or when the server
 * has no gazetteer.
 */
export const WhereControl = L.Control.extend({
  options: { position: 'bottomleft' },
  onAdd() {
    this.box = L.DomUtil.create('div', 'where-control');
    this.box.setAttribute('aria-live', 'polite');
    this.box.hidden = true;
    return this.box;
  },
  async update(map, signal) {
    if (map.getZoom() < 5) {
      this.box.hidden = true;
      return;
    }
    const c = map.getCenter().wrap();
    try {
      const fc = await getJSON(`/api/places/reverse?lat=${c.lat.toFixed(4)}&lon=${c.lng.toFixed(4)}`, { signal });
      const by = {};
      for (const f of fc.features || []) by[f.properties.role] = f.properties.name;
      const parts = [by.nearest && `near ${by.nearest}`, by.admin2, by.admin1, by.country].filter(Boolean);
      this.box.textContent = parts.length ? `Map centre: ${parts.join(', ')}` : '';
      this.box.hidden = parts.length === 0;
    } catch {
      this.box.hidden = true; // no gazetteer, or a newer view asked already
    }
  },
});

// Place names over the offline basemap: capitals, admin1 areas and towns
// from the server's gazetteer (/api/places/labels), more of them as the map
// zooms in. The server ranks them; here they are laid out most important
// first, skipping any that would overlap a name already placed, as plain
// text in one layer that moves with the map (no marker per name).

/* global L */
import { getJSON } from './api.js';

const FONT = {
  capital: '700 12px system-ui, sans-serif',
  town: '12px system-ui, sans-serif',
  admin1: '600 11px system-ui, sans-serif',
};
const DOT = 7; // px taken by a town's dot and the gap after it
const GAP = 3; // px kept free around each name

/** bboxFor snaps a view [w, s, e, n] outwards to a grid of two tiles at zoom, so that small pans ask the same URL (and hit the cache). */
export function snapBBox([w, s, e, n], zoom) {
  const cell = 720 / 2 ** Math.max(0, Math.round(zoom));
  const down = (v) => Math.floor(v / cell) * cell;
  const up = (v) => Math.ceil(v / cell) * cell;
  let [sw, se] = [down(w), up(e)];
  if (w <= e && se - sw >= 360) [sw, se] = [-180, 180];
  const clampLon = (v) => Math.max(-180, Math.min(180, v));
  const r = (v) => Math.round(v * 1e6) / 1e6;
  return [r(clampLon(sw)), r(Math.max(-90, down(s))), r(clampLon(se)), r(Math.min(90, up(n)))];
}

/** PlaceLabels is the layer of names. bbox() gives the view as the API reads it; near(latlng) picks the world copy. */
export const PlaceLabels = L.Layer.extend({
  initialize({ bbox, near }) {
    this.bbox = bbox;
    this.near = near;
    this.features = [];
    this.drawn = []; // the names on screen, for tests
    this.loads = 0; // finished loads, for tests
    this.url = '';
  },

  onAdd(map) {
    this.box = L.DomUtil.create('div', 'place-labels', map.getPane('labels'));
    this.box.setAttribute('aria-hidden', 'true'); // the list and popups carry the places for screen readers
    this.measure = document.createElement('canvas').getContext('2d');
    map.on('zoomstart', this.hide, this);
    map.on('moveend', this.refresh, this);
    this.refresh();
  },

  onRemove(map) {
    map.off('zoomstart', this.hide, this);
    map.off('moveend', this.refresh, this);
    if (this.abort) this.abort.abort();
    this.box.remove();
  },

  hide() {
    this.box.style.display = 'none';
  },

  async refresh() {
    const map = this._map;
    if (!map) return;
    const zoom = Math.round(map.getZoom());
    const url = `/api/places/labels?bbox=${snapBBox(this.bbox(), zoom).join(',')}&zoom=${zoom}`;
    if (url === this.url) {
      this.draw();
      return;
    }
    if (this.abort) this.abort.abort();
    const ac = new AbortController();
    this.abort = ac;
    try {
      const fc = await getJSON(url, { signal: ac.signal });
      this.url = url;
      this.features = Array.isArray(fc.features) ? fc.features : [];
    } catch (err) {
      if (err.name === 'AbortError') return;
      this.url = '';
      this.features = []; // no gazetteer: the basemap's country names remain
    }
    this.draw();
    this.loads++;
    this.fire('load');
  },

  // draw lays the names out, most important first, none overlapping.
  draw() {
    const map = this._map;
    if (!map) return;
    const size = map.getSize();
    // The basemap's country names are placed already: towns and admin1
    // names keep clear of them (capitals may not: Kabul sits beside
    // "Afghanistan" at zoom 4, and both are wanted).
    const origin = map.getContainer().getBoundingClientRect();
    const countries = [...map.getContainer().querySelectorAll('.country-label span')].map((e) => {
      const r = e.getBoundingClientRect();
      return { x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left, y1: r.bottom - origin.top };
    });
    const placed = [];
    const spans = [];
    this.drawn = [];
    for (const f of this.features) {
      const p = f.properties || {};
      const ll = this.near(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]));
      const c = map.latLngToContainerPoint(ll);
      if (c.x < 0 || c.y < 0 || c.x > size.x || c.y > size.y) continue;
      const kind = p.kind in FONT ? p.kind : 'town';
      const text = kind === 'admin1' ? p.name.toUpperCase() : p.name;
      this.measure.font = FONT[kind];
      const w = this.measure.measureText(text).width + (kind === 'admin1' ? text.length * 1.2 : 0);
      const h = 14;
      const box = kind === 'admin1'
        ? { x0: c.x - w / 2, y0: c.y - h / 2, x1: c.x + w / 2, y1: c.y + h / 2 }
        : { x0: c.x - DOT / 2, y0: c.y - h / 2, x1: c.x + DOT + w, y1: c.y + h / 2 };
      const hits = (b) => b.x0 < box.x1 + GAP && box.x0 < b.x1 + GAP && b.y0 < box.y1 + GAP && box.y0 < b.y1 + GAP;
      if (placed.some(hits) || (kind !== 'capital' && countries.some(hits))) continue;
      placed.push(box);
      const pt = map.latLngToLayerPoint(ll);
      const span = document.createElement('span');
      span.className = `place-label ${kind}`;
      span.textContent = text; // names come from the gazetteer; text is text
      span.style.transform = `translate(${Math.round(pt.x)}px, ${Math.round(pt.y)}px)`;
      span.title = [p.name, p.admin1 !== p.name ? p.admin1 : '', p.country].filter(Boolean).join(', ');
      spans.push(span);
      this.drawn.push({ name: p.name, kind, box });
    }
    this.box.replaceChildren(...spans);
    this.box.style.display = '';
  },
});

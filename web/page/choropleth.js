// Shading countries by how many incidents match the filters (a
// choropleth), anywhere in the world, not only in view: the counts come
// from /api/summary?by=country, the basemap's shapes are matched to the
// incidents' alpha-2 codes through the generated isocodes.js. Classes are
// orders of magnitude (1–9, 10–99, …), which stay readable from ten
// incidents to a million; the purples keep clear of the event-type colours.

import { ApiError, filterParams, getJSON } from './api.js';
import { count } from './format.js';
import { ALPHA2 } from './isocodes.js';

/** SHADES are the classes' colours, fewest incidents first (ColorBrewer Purples). */
export const SHADES = ['#dadaeb', '#bcbddc', '#9e9ac8', '#807dba', '#6a51a3', '#4a1486'];

/**
 * classes returns the classes for counts up to max: [{min, max, colour}],
 * max null for the open last one. Their colours spread over SHADES, so the
 * most incidents are always the darkest however few classes there are.
 */
export function classes(max) {
  const out = [];
  for (let lo = 1; out.length < SHADES.length && lo <= Math.max(1, max); lo *= 10) out.push({ min: lo, max: lo * 10 - 1 });
  out[out.length - 1].max = null;
  const step = out.length > 1 ? (SHADES.length - 1) / (out.length - 1) : 0;
  return out.map((c, i) => ({ ...c, colour: SHADES[Math.round(i * step)] }));
}

/** classOf returns the class of n incidents (n ≥ 1). */
export function classOf(list, n) {
  return list.find((c) => n >= c.min && (c.max === null || n <= c.max)) || list[list.length - 1];
}

/** Choropleth fills the basemap's countries and keeps its legend. */
export class Choropleth {
  constructor(basemap, legend, { error }) {
    this.basemap = basemap;
    this.legend = legend;
    this.error = error;
    this.counts = new Map(); // alpha-2 -> incidents
    this.classes = [];
    this.query = '';
    this.loads = 0; // finished loads, for tests
  }

  /** show shades the countries for filters, fetching the counts when they changed. */
  async show(filters) {
    const q = filterParams(filters);
    q.set('by', 'country');
    const query = q.toString();
    if (query === this.query && this.shown) return; // a pan: the shading holds for the whole world
    if (query !== this.query) {
      if (this.abort) this.abort.abort();
      const ac = new AbortController();
      this.abort = ac;
      try {
        const sum = await getJSON(`/api/summary?${query}`, { signal: ac.signal });
        this.counts = new Map(sum.areas.filter((a) => a.country).map((a) => [a.country, a.incidents]));
        this.query = query;
      } catch (err) {
        if (err.name === 'AbortError') return;
        this.query = '';
        this.hide();
        if (!(err instanceof ApiError && err.status === 401)) this.error(`Countries cannot be shaded: ${err.message}`);
        return;
      }
    }
    const max = Math.max(0, ...this.counts.values());
    this.classes = classes(max);
    this.basemap.setFill((f) => {
      const n = this.countOf(f);
      return n > 0 ? classOf(this.classes, n).colour : '';
    });
    this.drawLegend(max);
    this.shown = true;
    this.loads++;
  }

  /** countOf returns the incidents of a basemap shape's country (0 when none or unknown). */
  countOf(feature) {
    const cc = ALPHA2[feature.id ?? (feature.properties && feature.properties.name)];
    return (cc && this.counts.get(cc)) || 0;
  }

  hide() {
    if (this.abort) this.abort.abort();
    this.shown = false;
    this.basemap.setFill(null);
    this.legend.hidden = true;
  }

  drawLegend(max) {
    const rows = this.classes.map((c) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = c.colour;
      const upper = c.max === null ? Math.max(max, c.min) : c.max;
      li.append(sw, document.createTextNode(c.min === upper ? count(c.min) : c.max === null ? `${count(c.min)} or more` : `${count(c.min)}–${count(upper)}`));
      return li;
    });
    const title = document.createElement('strong');
    title.textContent = 'Incidents per country';
    const list = document.createElement('ul');
    list.append(...(max > 0 ? rows : [document.createTextNode('none match the filters')]));
    this.legend.replaceChildren(title, list);
    this.legend.hidden = false;
  }
}

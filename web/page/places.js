// Place search: asks /api/places (the gazetteer) and flies the map to the
// best match, listing the other candidates for a second choice.

/* global L */
import { ApiError, getJSON } from './api.js';

// Zoom by gazetteer level when a place has no bound.
const ZOOM = { country: 5, admin1: 7, admin2: 9, place: 11 };

/** PlaceSearch wires the search form; fly(target) moves the map, error(msg) reports. */
export class PlaceSearch {
  constructor(form, input, results, { fly, error }) {
    this.input = input;
    this.results = results;
    this.fly = fly;
    this.error = error;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.search(input.value.trim());
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
      if (e.key === 'ArrowDown' && !results.hidden) {
        const b = results.querySelector('button');
        if (b) {
          e.preventDefault();
          b.focus();
        }
      }
    });
    results.addEventListener('keydown', (e) => {
      const buttons = [...results.querySelectorAll('button')];
      const i = buttons.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && i >= 0 && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
      if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? buttons[i - 1] : input).focus(); }
      if (e.key === 'Escape') { this.close(); input.focus(); }
    });
    document.addEventListener('click', (e) => {
      if (!form.contains(e.target)) this.close();
    });
    this.last = null; // the place flown to, for tests
  }

  close() {
    this.results.hidden = true;
  }

  message(text) {
    const li = document.createElement('li');
    li.className = 'message';
    li.setAttribute('role', 'status');
    li.textContent = text;
    this.results.replaceChildren(li);
    this.results.hidden = false;
  }

  async search(q) {
    if (!q) {
      this.message('Type a place name first.');
      return;
    }
    this.message('Searching…');
    let fc;
    try {
      fc = await getJSON(`/api/places?${new URLSearchParams({ q })}`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 503) && !err.param) {
        this.message(`Place search is not available on this server: ${err.message}`);
      } else {
        this.message(err.message);
      }
      return;
    }
    const places = (fc && Array.isArray(fc.features) ? fc.features : []).filter((f) => f.geometry);
    if (places.length === 0) {
      this.message(`No place matches “${q}”. Check the spelling or try a larger place nearby.`);
      return;
    }
    this.results.replaceChildren();
    for (const f of places.slice(0, 6)) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = describe(f);
      b.addEventListener('click', () => {
        this.go(f);
        this.close();
      });
      li.append(b);
      this.results.append(li);
    }
    this.results.hidden = false;
    this.go(places[0]);
  }

  go(f) {
    this.last = f;
    const p = f.properties || {};
    const c = f.geometry.type === 'Point' ? f.geometry.coordinates : null;
    const level = p.level || 'place';
    const target = { zoom: ZOOM[level] || 10 };
    const corners = level !== 'place' ? boxCorners(Array.isArray(f.bbox) ? f.bbox : p.bbox) : null;
    if (corners) {
      target.bounds = L.latLngBounds(corners[0], corners[1]);
      target.zoom = 12;
    } else if (c) {
      target.latlng = L.latLng(c[1], c[0]);
    } else {
      this.message('That place has no point to show.');
      return;
    }
    this.fly(target);
  }
}

/**
 * boxCorners gives a place's bbox [w, s, e, n] as Leaflet's [[s, w], [n, e]],
 * or null for none or one too small to frame. A box across the antimeridian
 * (w > e, as Fiji's and Russia's are) ends east of 180° in the next world
 * copy, so the map frames the islands rather than the rest of the globe.
 */
export function boxCorners(bb) {
  if (!Array.isArray(bb) || bb.length !== 4) return null;
  const [w, s, e, n] = bb;
  const east = e < w ? e + 360 : e;
  if (east - w <= 0.01 && n - s <= 0.01) return null;
  return [[s, w], [n, east]];
}

function describe(f) {
  const p = f.properties || {};
  const name = p.name || p.ascii_name || 'unnamed place';
  const where = [p.admin1, p.country_name || p.country].filter((v) => v && v !== name);
  return `${name}${where.length ? ', ' + where.join(', ') : ''}${p.level ? ' (' + p.level + ')' : ''}`;
}

// The view and the filters live in the page's URL, so that the address bar is
// always a permalink: ?map=ZOOM/LAT/LON&start=…&end=…&event_type=…&country=…
// &min_fatalities=…&q=…&heat=1&tiles=1&shade=1. Filter names are the API's.

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** emptyFilters returns filters that match everything. */
export function emptyFilters() {
  return { start: '', end: '', eventTypes: [], country: '', admin1: '', actor: '', minFatalities: '', q: '' };
}

/** readState parses the page's query string; bad values are dropped, not trusted. */
export function readState(search) {
  const s = new URLSearchParams(search);
  const state = { view: null, filters: emptyFilters(), heat: s.get('heat') === '1', tiles: s.get('tiles') === '1', shade: s.get('shade') === '1' };
  const m = (s.get('map') || '').split('/').map(Number);
  if (m.length === 3 && m.every(Number.isFinite) && Math.abs(m[1]) <= 90 && Math.abs(m[2]) <= 360) {
    state.view = { zoom: Math.max(0, Math.min(19, m[0])), lat: m[1], lon: m[2] };
  }
  const f = state.filters;
  if (DATE.test(s.get('start') || '')) f.start = s.get('start');
  if (DATE.test(s.get('end') || '')) f.end = s.get('end');
  if (s.get('event_type')) f.eventTypes = s.get('event_type').split(',').filter(Boolean);
  if (/^[A-Za-z]{2}$/.test(s.get('country') || '')) f.country = s.get('country').toUpperCase();
  f.admin1 = s.get('admin1') || '';
  f.actor = s.get('actor') || '';
  if (/^\d+$/.test(s.get('min_fatalities') || '')) f.minFatalities = s.get('min_fatalities');
  f.q = s.get('q') || '';
  return state;
}

/** writeState returns the query string (with '?') for a view, filters and toggles. */
export function writeState({ view, filters, heat, tiles, shade }) {
  const s = new URLSearchParams();
  if (view) {
    const digits = Math.max(2, Math.ceil(Math.log10(2 ** view.zoom)) + 1);
    s.set('map', `${view.zoom}/${view.lat.toFixed(digits)}/${view.lon.toFixed(digits)}`);
  }
  const f = filters;
  if (f.start) s.set('start', f.start);
  if (f.end) s.set('end', f.end);
  if (f.eventTypes.length > 0) s.set('event_type', f.eventTypes.join(','));
  if (f.country) s.set('country', f.country);
  if (f.admin1) s.set('admin1', f.admin1);
  if (f.actor) s.set('actor', f.actor);
  if (f.minFatalities !== '') s.set('min_fatalities', f.minFatalities);
  if (f.q) s.set('q', f.q);
  if (heat) s.set('heat', '1');
  if (tiles) s.set('tiles', '1');
  if (shade) s.set('shade', '1');
  // Keep slashes and commas readable in the address bar.
  return '?' + s.toString().replace(/%2F/g, '/').replace(/%2C/g, ',');
}

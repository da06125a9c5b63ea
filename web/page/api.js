// Talking to incidentmap's HTTP API (docs/API.md): building query strings from
// the view and filters, following `next` links, and turning failures into
// sentences a person can act on.

/** ApiError carries a message fit to show as it is. */
export class ApiError extends Error {
  constructor(message, { status = 0, param = '', field = '', down = false } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.param = param;
    this.field = field;
    this.down = down; // the server could not be reached at all
  }
}

/** filterParams adds the filters to params, using the API's parameter names. */
export function filterParams(filters, params = new URLSearchParams()) {
  if (filters.start) params.set('start', filters.start);
  if (filters.end) params.set('end', filters.end);
  if (filters.eventTypes && filters.eventTypes.length > 0) params.set('event_type', filters.eventTypes.join(','));
  if (filters.country) params.set('country', filters.country);
  if (filters.admin1) params.set('admin1', filters.admin1);
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.minFatalities !== '' && filters.minFatalities != null) params.set('min_fatalities', String(filters.minFatalities));
  if (filters.q) params.set('q', filters.q);
  return params;
}

/** bboxParam formats a bbox array [w, s, e, n] the way the API reads it. */
export function bboxParam(b) {
  return b.map((v) => String(Math.round(v * 1e5) / 1e5)).join(',');
}

/** apiURL returns the absolute URL of path with params, for people and scripts. */
export function apiURL(path, params) {
  const u = new URL(path, window.location.origin);
  u.search = params.toString();
  return u.toString();
}

/**
 * getJSON fetches url and returns its JSON body. Problem details (RFC 9457)
 * become an ApiError saying what was wrong and with which parameter.
 */
export async function getJSON(url, { signal, method = 'GET', body, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(url, { method, body, headers: { Accept: 'application/geo+json, application/json', ...headers }, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('The incidentmap server is not answering: it may be down or restarting, or this device is offline.', { down: true });
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new ApiError(`The server sent an unreadable answer (HTTP ${res.status}).`, { status: res.status });
    }
  }
  if (!res.ok) throw problemError(res.status, data);
  if (data === null) throw new ApiError(`The server answered HTTP ${res.status} without JSON.`, { status: res.status });
  return data;
}

function problemError(status, p) {
  const opts = { status };
  if (p && typeof p === 'object') {
    opts.param = typeof p.param === 'string' ? p.param : '';
    opts.field = typeof p.field === 'string' ? p.field : '';
    const title = typeof p.title === 'string' ? p.title : '';
    const detail = typeof p.detail === 'string' ? p.detail : '';
    const where = opts.param ? ` (parameter “${opts.param}”)` : opts.field ? ` (field “${opts.field}”)` : '';
    const text = [title, detail].filter(Boolean).join(': ');
    if (text) return new ApiError(`${text}${where}`, opts);
  }
  if (status === 401 || status === 403) return new ApiError('The server refused the write token.', opts);
  if (status === 404) return new ApiError('The server does not know this address (HTTP 404).', opts);
  if (status >= 500) return new ApiError(`The server failed (HTTP ${status}); its log says why.`, opts);
  return new ApiError(`The request failed (HTTP ${status}).`, opts);
}

/**
 * collect fetches a FeatureCollection and follows its rel=next links until
 * the end or until max features, calling onPage after each page. first,
 * when given, is the promise of the first page, already requested.
 */
export async function collect(url, { signal, max = Infinity, onPage, first } = {}) {
  const features = [];
  let next = url;
  let truncated = false;
  let pending = first; // a first page already requested, if any
  while (next) {
    const fc = await (pending || getJSON(next, { signal }));
    pending = null;
    if (!fc || !Array.isArray(fc.features)) throw new ApiError('The server sent something other than a GeoJSON FeatureCollection.');
    for (const f of fc.features) features.push(f);
    if (onPage) onPage(features.length);
    next = nextLink(fc);
    if (next && features.length >= max) {
      truncated = true;
      break;
    }
  }
  return { features, truncated };
}

/** nextLink returns the same-origin href of a collection's rel=next link, or ''. */
export function nextLink(fc) {
  const links = Array.isArray(fc.links) ? fc.links : [];
  const link = links.find((l) => l && l.rel === 'next' && typeof l.href === 'string');
  if (!link) return '';
  const u = new URL(link.href, window.location.href);
  return u.origin === window.location.origin ? u.toString() : '';
}

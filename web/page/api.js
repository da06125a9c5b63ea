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

// KEY_ITEM is where the reader key of a private server is kept: in the
// tab's sessionStorage, so it is gone when the tab closes, never shared with
// other tabs, and never part of an address (links, history, server logs).
// Every request to the API sends it in the Authorization header — streams
// too, which is why they need fetch(): EventSource cannot send headers.
const KEY_ITEM = 'incidentmap.key';

/** readerKey returns the key this tab was given for a private server, or ''. */
export function readerKey() {
  try {
    return window.sessionStorage.getItem(KEY_ITEM) || '';
  } catch {
    return ''; // storage disabled: the page asks again after each load
  }
}

/** keepReaderKey keeps key for this tab's requests; '' forgets it. */
export function keepReaderKey(key) {
  try {
    if (key) window.sessionStorage.setItem(KEY_ITEM, key);
    else window.sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // storage disabled: nothing is kept
  }
}

// authHeaders sends the tab's reader key, if any, in the Authorization header.
function authHeaders() {
  const key = readerKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/**
 * getJSON fetches url and returns its JSON body. Problem details (RFC 9457)
 * become an ApiError saying what was wrong and with which parameter. The
 * tab's reader key goes along unless headers bring an Authorization of
 * their own (the writer's token).
 */
export async function getJSON(url, { signal, method = 'GET', body, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(url, { method, body, headers: { Accept: 'application/geo+json, application/json', ...authHeaders(), ...headers }, signal });
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
  if (status === 401) return new ApiError('The server asks for a key.', opts);
  if (status === 403) return new ApiError('The server refused the write token.', opts);
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

/**
 * download saves what url answers as a file through fetch, so that the
 * reader key travels in a header (a plain link cannot send one). The file
 * name is the server's Content-Disposition one, else fallback.
 */
export async function download(url, fallback) {
  let res;
  try {
    res = await fetch(url, { headers: authHeaders() });
  } catch {
    throw new ApiError('The incidentmap server is not answering: it may be down or restarting, or this device is offline.', { down: true });
  }
  if (!res.ok) {
    let data = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) data = await res.json().catch(() => null);
    throw problemError(res.status, data);
  }
  const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = m ? m[1] : fallback;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

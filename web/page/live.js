// The live map: the page listens to GET /api/events (Server-Sent Events)
// and hears of incidents as they are published, changed or taken down.
// It reads the stream with fetch rather than EventSource, because a
// private server or a writer's queue needs the key in the Authorization
// header, which EventSource cannot send. After a break it reconnects with
// Last-Event-ID and the server sends what was missed.

const RETRY_MS = 3000;

/** parseEvents splits buffered stream text into events and the unfinished rest. */
export function parseEvents(text) {
  const events = [];
  const blocks = text.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    const ev = { name: 'message', id: '', data: '' };
    let any = false;
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue; // a heartbeat
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') ev.name = value;
      else if (field === 'id') ev.id = value;
      else if (field === 'data') ev.data = ev.data ? `${ev.data}\n${value}` : value;
      else continue;
      any = true;
    }
    if (any) events.push(ev);
  }
  return { events, rest };
}

/**
 * LiveFeed keeps one stream open. headers() gives the request's headers
 * (the key, if any); onEvent(name, data, id) gets each event with its JSON
 * data; state is 'connecting', 'open', 'retrying' or 'refused' (until
 * start is called again, with another key).
 */
export class LiveFeed {
  constructor({ headers, onEvent, onState = () => {} }) {
    this.headers = headers;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = '';
    this.state = 'closed';
    this.abort = null;
    this.timer = null;
  }

  /** start connects, or reconnects with the current headers. */
  start() {
    this.stop();
    this.run();
  }

  stop() {
    clearTimeout(this.timer);
    if (this.abort) this.abort.abort();
    this.abort = null;
  }

  setState(s) {
    this.state = s;
    this.onState(s);
  }

  async run() {
    const ac = new AbortController();
    this.abort = ac;
    this.setState('connecting');
    try {
      const headers = { Accept: 'text/event-stream', ...this.headers() };
      if (this.lastId) headers['Last-Event-ID'] = this.lastId;
      const res = await fetch('/api/events', { headers, signal: ac.signal, cache: 'no-store' });
      if (res.status === 401 || res.status === 403) {
        // A private server without a key, or a revoked one: wait for the
        // page to start again with a key rather than knock every few seconds.
        this.setState('refused');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const { events, rest } = parseEvents(buf + value);
        buf = rest;
        for (const ev of events) this.dispatch(ev);
      }
    } catch (err) {
      if (ac.signal.aborted) return;
    }
    if (ac.signal.aborted) return;
    // The stream ended (the server restarted, or dropped a slow page):
    // come back and catch up.
    this.setState('retrying');
    this.timer = setTimeout(() => this.run(), RETRY_MS);
  }

  dispatch(ev) {
    if (ev.id) this.lastId = ev.id;
    let data = null;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return; // not ours
    }
    if (ev.name === 'ready') this.setState('open');
    this.onEvent(ev.name, data, ev.id);
  }
}

const VISIT_ITEM = 'incidentmap.lastVisit';

/**
 * previousVisit returns when this browser last opened the map (an ISO
 * time, or '' the first time) and records this visit: incidents created
 * since are marked new.
 */
export function previousVisit() {
  try {
    const before = window.localStorage.getItem(VISIT_ITEM) || '';
    window.localStorage.setItem(VISIT_ITEM, new Date().toISOString());
    return before;
  } catch {
    return ''; // storage disabled: nothing is marked new but what arrives live
  }
}

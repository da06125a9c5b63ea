// The review queue, for writers: what the machine extracted from articles
// waits unreviewed (GET /api/incidents?status=unreviewed). The panel lists
// it most confident first, each with the sentence it was read from and
// the facts taken from it marked, and the writer accepts, edits then
// accepts, rejects with a reason, or merges it into the stored incident it
// repeats (POST /api/incidents/{id}/accept, PATCH, /reject, /merge).

import { ApiError, getJSON, nextLink } from './api.js';
import { EVENT_TYPES, el, placeText } from './incident.js';

// PAGE is how many queued incidents the panel reads at a time, most
// confident first: the server sorts the whole queue (sort=-confidence) and
// pages it with its cursor; "Show more" reads one more page. The panel's
// data-page attribute overrides it (the browser tests page through a
// short queue that way).
const PAGE = 50;
// Merge candidates: stored incidents within about 25 km and a day.
const NEAR_DEG = 0.25;
const NEAR_DAYS = 1;

function button(text, onClick) {
  const b = el('button', text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/**
 * markFacts returns the evidence sentence as DOM nodes, with the facts the
 * incident took from it (its place names and its toll) in <mark>.
 */
export function markFacts(evidence, p) {
  const terms = [p.location, p.admin2, p.admin1, typeof p.fatalities === 'number' && p.fatalities > 0 ? String(p.fatalities) : '']
    .filter(Boolean);
  if (terms.length === 0) return [document.createTextNode(evidence)];
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`\\b(${escaped.join('|')})\\b`, 'gi');
  const out = [];
  let at = 0;
  for (const m of evidence.matchAll(re)) {
    if (m.index > at) out.push(document.createTextNode(evidence.slice(at, m.index)));
    out.push(el('mark', m[0]));
    at = m.index + m[0].length;
  }
  if (at < evidence.length) out.push(document.createTextNode(evidence.slice(at)));
  return out;
}

/**
 * markEvidence returns an article's text as DOM nodes with each evidence
 * sentence found in it in <mark>, and how many were found.
 */
export function markEvidence(text, evidences) {
  const spans = [];
  for (const e of evidences) {
    const i = e ? text.indexOf(e) : -1;
    if (i >= 0 && !spans.some(([a, b]) => i < b && a < i + e.length)) spans.push([i, i + e.length]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  const out = [];
  let at = 0;
  for (const [a, b] of spans) {
    if (a > at) out.push(document.createTextNode(text.slice(at, a)));
    out.push(el('mark', text.slice(a, b), 'evidence-mark'));
    at = b;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return { nodes: out, found: spans.length };
}

function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ReviewPanel wires the queue panel; changed() runs after each decision. */
export class ReviewPanel {
  constructor(root, tokenInput, { changed }) {
    this.root = root;
    this.tokenInput = tokenInput;
    this.changed = changed;
    this.list = root.querySelector('ol');
    this.status = root.querySelector('[role=status]');
    this.more = root.querySelector('[data-more]');
    this.loads = 0; // finished loads, for tests
    this.timer = null;
    this.pages = 1; // how many pages the panel shows: grows with "Show more"
    root.addEventListener('toggle', () => { if (root.open) this.load(); });
    tokenInput.addEventListener('change', () => { if (root.open) this.load(); });
    root.querySelector('[data-refresh]').addEventListener('click', () => this.load());
    this.more.addEventListener('click', () => {
      this.pages++;
      this.load();
    });
  }

  pageSize() {
    const n = Number(this.root.dataset.page);
    return Number.isInteger(n) && n > 0 ? n : PAGE;
  }

  // readQueue reads the queue most confident first, following the
  // server's next links until at least max incidents or the end, and
  // tells whether more wait.
  async readQueue(max) {
    const features = [];
    let next = `/api/incidents?${new URLSearchParams({ status: 'unreviewed', sort: '-confidence', limit: String(this.pageSize()) })}`;
    while (next && features.length < max) {
      const fc = await getJSON(next, { headers: this.headers() });
      features.push(...(fc.features || []));
      next = nextLink(fc);
    }
    return { features, more: next !== '' };
  }

  token() {
    return this.tokenInput.value.trim();
  }

  headers(json = false) {
    const h = { Authorization: `Bearer ${this.token()}` };
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  /** queueChanged reloads the open panel soon: the live stream said the queue moved. */
  queueChanged() {
    if (!this.root.open || !this.token()) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), 300);
  }

  say(text) {
    this.status.textContent = text;
  }

  async load() {
    if (!this.token()) {
      this.list.replaceChildren();
      this.say('Enter a write token to see the queue.');
      this.loads++;
      return;
    }
    this.say('Loading the queue…');
    try {
      const { features, more } = await this.readQueue(this.pages * this.pageSize());
      this.render(features);
      this.more.hidden = !more;
      this.say(features.length === 0
        ? 'Nothing waits for review.'
        : more
          ? `The ${features.length} most confident shown; more wait.`
          : `${features.length} waiting, most confident first.`);
    } catch (err) {
      this.list.replaceChildren();
      this.more.hidden = true;
      this.say(explain(err));
    } finally {
      this.loads++;
    }
  }

  // render shows features in order, keeping the entries already shown
  // (and any form open in them) unless the incident changed since.
  render(features) {
    const want = new Map(features.map((f) => [String(f.id), f]));
    for (const li of [...this.list.children]) {
      const f = want.get(li.dataset.id);
      if (!f || li.dataset.updated !== String(f.properties && f.properties.updated)) li.remove();
    }
    const shown = new Map([...this.list.children].map((li) => [li.dataset.id, li]));
    let prev = null;
    for (const f of features) {
      let li = shown.get(String(f.id));
      if (!li) {
        li = this.entry(f);
        if (prev) prev.after(li);
        else this.list.prepend(li);
      }
      prev = li;
    }
  }

  entry(f) {
    const p = f.properties || {};
    const li = el('li', null, 'queued');
    li.dataset.id = String(f.id);
    li.dataset.updated = String(p.updated);
    li.dataset.confidence = typeof p.confidence === 'number' ? String(p.confidence) : '';
    const head = el('p', null, 'queued-head');
    const conf = typeof p.confidence === 'number' ? `${Math.round(p.confidence * 100)}%` : '?';
    head.append(el('span', conf, 'confidence'), ' ', el('strong', p.event_type || 'Incident'), ` — ${placeText(p)}, ${p.event_date || ''}`,
      typeof p.fatalities === 'number' ? `, ${p.fatalities} killed` : '');
    li.append(head);
    for (const s of Array.isArray(p.sources) ? p.sources : []) {
      if (!s) continue;
      if (s.evidence) {
        const q = el('blockquote', null, 'evidence');
        q.append(...markFacts(s.evidence, p));
        li.append(q);
      }
      if (s.url && /^https?:\/\//.test(s.url)) {
        const a = el('a', s.title || s.url);
        a.href = s.url;
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        const src = el('p', null, 'source');
        src.append(a);
        li.append(src);
      }
    }
    const article = el('div', null, 'queued-article');
    article.hidden = true;
    const actions = el('div', null, 'row buttons');
    const form = el('div', null, 'queued-form');
    form.hidden = true;
    actions.append(
      button('Read the article', () => this.showArticle(article, f)),
      button('Accept', () => this.decide(li, () => this.post(f.id, 'accept'), 'Accepted: readers see it now.')),
      button('Edit', () => this.showEdit(form, f, li)),
      button('Reject…', () => this.showReject(form, f, li)),
      button('Merge…', () => this.showMerge(form, f, li)),
    );
    li.append(article, actions, form);
    return li;
  }

  // showArticle shows the articles the incident was read from, its
  // evidence marked where it stands, scrolled to the first mark.
  async showArticle(box, f) {
    if (!box.hidden) {
      box.hidden = true;
      return;
    }
    box.replaceChildren(el('p', 'Loading the article…'));
    box.hidden = false;
    let arts;
    try {
      arts = (await getJSON(`/api/incidents/${encodeURIComponent(f.id)}/articles`, { headers: this.headers() })).articles || [];
    } catch (err) {
      box.replaceChildren(el('p', explain(err)));
      return;
    }
    if (arts.length === 0) {
      box.replaceChildren(el('p', 'No article text is kept for this incident.'));
      return;
    }
    const evidences = (f.properties.sources || []).map((src) => src && src.evidence).filter(Boolean);
    box.replaceChildren();
    for (const a of arts) {
      if (a.title || a.url) box.append(el('p', [a.title, a.published].filter(Boolean).join(', ') || a.url, 'article-title'));
      const text = el('div', null, 'article-text');
      text.tabIndex = 0; // scrollable: reachable by keyboard
      const { nodes, found } = markEvidence(a.text || '', evidences);
      text.append(...nodes);
      if (found === 0) box.append(el('p', 'The evidence is not found word for word in this text.', 'hint'));
      box.append(text);
      const first = text.querySelector('mark');
      if (first) text.scrollTop = Math.max(0, first.offsetTop - text.offsetTop - 24);
    }
  }

  post(id, action, body) {
    return getJSON(`/api/incidents/${encodeURIComponent(id)}/${action}`, {
      method: 'POST', headers: this.headers(true), body: body ? JSON.stringify(body) : undefined,
    });
  }

  // decide runs one action for an entry and, when it worked, takes the entry out.
  async decide(li, action, done) {
    const buttons = li.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await action();
      li.remove();
      this.say(done);
      this.changed();
    } catch (err) {
      buttons.forEach((b) => { b.disabled = false; });
      this.say(explain(err));
    }
  }

  showEdit(form, f, li) {
    const p = f.properties || {};
    const type = el('select');
    for (const t of EVENT_TYPES) {
      const o = el('option', t.name);
      o.value = t.name;
      o.selected = t.name === p.event_type;
      type.append(o);
    }
    const date = el('input');
    date.type = 'date';
    date.value = p.event_date || '';
    const dead = el('input');
    dead.type = 'number';
    dead.min = '0';
    dead.value = typeof p.fatalities === 'number' ? String(p.fatalities) : '';
    const place = el('input');
    place.value = p.location || '';
    const label = (text, input) => {
      const l = el('label', `${text} `);
      l.append(input);
      return l;
    };
    const save = button('Save and accept', () => this.decide(li, async () => {
      const props = { event_type: type.value, event_date: date.value, location: place.value.trim() || null,
        fatalities: dead.value === '' ? null : Number(dead.value) };
      await getJSON(`/api/incidents/${encodeURIComponent(f.id)}`, {
        method: 'PATCH', headers: this.headers(true), body: JSON.stringify({ properties: props }),
      });
      await this.post(f.id, 'accept');
    }, 'Corrected and accepted: readers see it now.'));
    form.replaceChildren(label('Event type', type), label('Date', date), label('Fatalities', dead), label('Place', place), save);
    form.hidden = false;
    type.focus();
  }

  showReject(form, f, li) {
    const reason = el('input');
    reason.required = true;
    reason.placeholder = 'why, e.g. not an incident';
    const l = el('label', 'Reason ');
    l.append(reason);
    const why = el('p', null, 'hint');
    why.setAttribute('role', 'alert');
    const go = button('Reject', () => {
      if (!reason.value.trim()) {
        why.textContent = 'Say why it is rejected: the reason is kept for improving the extractor.';
        reason.focus();
        return;
      }
      this.decide(li, () => this.post(f.id, 'reject', { reason: reason.value.trim() }), 'Rejected; the reason is kept.');
    });
    form.replaceChildren(l, go, why);
    form.hidden = false;
    reason.focus();
  }

  // showMerge offers the stored incidents of the same type within about a
  // day and 25 km: the ones this report most likely repeats.
  async showMerge(form, f, li) {
    const p = f.properties || {};
    form.replaceChildren(el('p', 'Looking for the incident it repeats…'));
    form.hidden = false;
    const g = f.geometry && f.geometry.type === 'Point' ? f.geometry.coordinates : null;
    if (!g || !p.event_date) {
      form.replaceChildren(el('p', 'This incident has no point or date to look near.'));
      return;
    }
    const q = new URLSearchParams({
      bbox: [g[0] - NEAR_DEG, g[1] - NEAR_DEG, g[0] + NEAR_DEG, g[1] + NEAR_DEG].map((v) => v.toFixed(5)).join(','),
      start: addDays(p.event_date, -NEAR_DAYS), end: addDays(p.event_date, NEAR_DAYS), limit: '20',
    });
    if (p.event_type) q.set('event_type', p.event_type);
    let candidates;
    try {
      const fc = await getJSON(`/api/incidents?${q}`, { headers: this.headers() });
      candidates = (fc.features || []).filter((c) => c.id !== f.id);
    } catch (err) {
      form.replaceChildren(el('p', explain(err)));
      return;
    }
    if (candidates.length === 0) {
      form.replaceChildren(el('p', 'No stored incident of this type within a day and about 25 km: nothing to merge into.'));
      return;
    }
    const pick = el('select');
    for (const c of candidates) {
      const cp = c.properties || {};
      const o = el('option', `${placeText(cp)}, ${cp.event_date}${typeof cp.fatalities === 'number' ? `, ${cp.fatalities} killed` : ''}`);
      o.value = String(c.id);
      pick.append(o);
    }
    const l = el('label', 'Merge into ');
    l.append(pick);
    const go = button('Merge', () => this.decide(li, () => this.post(f.id, 'merge', { into: pick.value }),
      'Merged: its report is now a source of the stored incident.'));
    form.replaceChildren(l, go);
    pick.focus();
  }
}

function explain(err) {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) return 'The server refused the write token: the queue is for writers.';
    return err.message;
  }
  return `The queue could not be loaded: ${err.message}`;
}

// The per-area summary: incidents and fatalities by admin1 (or country) for
// the view and filters, from /api/summary, as a table whose rows filter the
// map to their area. It asks only while its panel is open.

import { getJSON } from './api.js';
import { count, plural } from './format.js';

/** AreaSummary wires the summary panel; pick(area) applies a row's filter. */
export class AreaSummary {
  constructor(details, body, note, bySelect, { params, pick }) {
    this.details = details;
    this.body = body;
    this.note = note;
    this.by = bySelect;
    this.params = params;
    this.pick = pick;
    this.loads = 0; // finished loads, for tests
    details.addEventListener('toggle', () => { if (details.open) this.refresh(); });
    bySelect.addEventListener('change', () => this.refresh());
  }

  /** refresh reloads the table for the current view, when the panel is open. */
  async refresh() {
    if (!this.details.open) return;
    if (this.abort) this.abort.abort();
    const ac = new AbortController();
    this.abort = ac;
    const p = this.params();
    p.set('by', this.by.value);
    this.note.textContent = 'Counting…';
    try {
      const res = await getJSON(`/api/summary?${p}`, { signal: ac.signal });
      this.show(res);
    } catch (err) {
      if (err.name === 'AbortError') return;
      this.body.replaceChildren();
      this.note.textContent = `The summary could not be loaded: ${err.message}`;
    }
    this.loads++;
  }

  show(res) {
    const rows = Array.isArray(res.areas) ? res.areas : [];
    this.body.replaceChildren(...rows.map((a) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      const name = res.by === 'country' ? a.country : [a.admin1 || '(no admin1)', a.country].join(', ');
      if (res.by === 'country' || a.admin1) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'link';
        b.textContent = name;
        b.title = `Show only ${name}`;
        b.addEventListener('click', () => this.pick(res.by === 'country' ? { country: a.country } : { admin1: a.admin1, country: a.country }));
        th.append(b);
      } else {
        th.textContent = name;
      }
      const n = document.createElement('td');
      n.className = 'num';
      n.textContent = count(a.incidents);
      const f = document.createElement('td');
      f.className = 'num';
      f.textContent = count(a.fatalities);
      tr.append(th, n, f);
      return tr;
    }));
    this.note.textContent = rows.length === 0 ? 'No incidents in this view.'
      : res.truncated > 0 ? `The ${plural(rows.length, 'area')} with most incidents; ${plural(res.truncated, 'more area')} not shown.` : '';
  }
}

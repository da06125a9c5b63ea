// The time histogram: bars of incident counts per day, month or year for the
// current view and filters (all dates), and a brush: dragging across the bars
// picks a date range. The date inputs beside it do the same by keyboard.

import { count, plural } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Timeline draws buckets [{start:'YYYY-MM-DD', end:'YYYY-MM-DD', count}] and reports brushed ranges. */
export class Timeline {
  constructor(svg, caption, onBrush) {
    this.svg = svg;
    this.caption = caption;
    this.onBrush = onBrush;
    this.buckets = [];
    this.range = { start: '', end: '' };
    this.drag = null;
    svg.addEventListener('pointerdown', (e) => this.down(e));
    svg.addEventListener('pointermove', (e) => this.move(e));
    svg.addEventListener('pointerup', (e) => this.up(e));
    svg.addEventListener('pointercancel', () => { this.drag = null; this.draw(); });
  }

  /**
   * set replaces the buckets and the highlighted range {start, end,
   * matched}; matched is how many incidents the chosen dates hold, the
   * number the status line gives, which the caption repeats.
   */
  set(buckets, range) {
    this.buckets = Array.isArray(buckets) ? buckets : [];
    this.range = range;
    this.draw();
  }

  width() {
    return this.svg.clientWidth || 300;
  }

  draw() {
    const svg = this.svg;
    while (svg.firstChild) svg.firstChild.remove();
    const w = this.width();
    const h = 64;
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const n = this.buckets.length;
    if (n === 0) {
      this.caption.textContent = 'No dates to show for this view.';
      return;
    }
    const max = Math.max(...this.buckets.map((b) => b.count), 1);
    const bw = w / n;
    const axis = 12;
    this.buckets.forEach((b, i) => {
      const bh = Math.max(b.count > 0 ? 1.5 : 0, ((h - axis - 2) * b.count) / max);
      const r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', String(i * bw + 0.5));
      r.setAttribute('y', String(h - axis - bh));
      r.setAttribute('width', String(Math.max(bw - 1, 0.5)));
      r.setAttribute('height', String(bh));
      const inRange = (!this.range.start || b.end >= this.range.start) && (!this.range.end || b.start <= this.range.end);
      r.setAttribute('class', inRange ? 'bar in' : 'bar');
      const t = document.createElementNS(SVG, 'title');
      t.textContent = `${b.start}${b.end !== b.start ? ' to ' + b.end : ''}: ${plural(b.count, 'incident')}`;
      r.append(t);
      svg.append(r);
    });
    for (const [i, anchor] of [[0, 'start'], [n - 1, 'end']]) {
      const t = document.createElementNS(SVG, 'text');
      t.setAttribute('x', String(anchor === 'start' ? 1 : w - 1));
      t.setAttribute('y', String(h - 2));
      t.setAttribute('text-anchor', anchor);
      t.setAttribute('class', 'axis');
      t.textContent = anchor === 'start' ? this.buckets[i].start : this.buckets[i].end;
      svg.append(t);
    }
    if (this.drag) {
      const [a, b] = [Math.min(this.drag.x0, this.drag.x1), Math.max(this.drag.x0, this.drag.x1)];
      const r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', String(a));
      r.setAttribute('y', '0');
      r.setAttribute('width', String(Math.max(b - a, 1)));
      r.setAttribute('height', String(h - axis));
      r.setAttribute('class', 'brush');
      svg.append(r);
    }
    const total = this.buckets.reduce((s, b) => s + b.count, 0);
    const span = `from ${this.buckets[0].start} to ${this.buckets[n - 1].end}`;
    const chosen = this.range.start || this.range.end;
    this.caption.textContent = chosen && typeof this.range.matched === 'number'
      ? `${plural(this.range.matched, 'incident')} in the chosen dates, of ${count(total)} ${span}. Drag across the bars to pick other dates.`
      : `${plural(total, 'incident')} ${span}. Drag across the bars to pick dates.`;
  }

  x(e) {
    const r = this.svg.getBoundingClientRect();
    return Math.max(0, Math.min(r.width, e.clientX - r.left)) * (this.width() / (r.width || 1));
  }

  down(e) {
    if (this.buckets.length === 0) return;
    this.svg.setPointerCapture(e.pointerId);
    this.drag = { x0: this.x(e), x1: this.x(e) };
    this.draw();
  }

  move(e) {
    if (!this.drag) return;
    this.drag.x1 = this.x(e);
    this.draw();
  }

  up(e) {
    if (!this.drag) return;
    this.drag.x1 = this.x(e);
    const n = this.buckets.length;
    const bw = this.width() / n;
    const i0 = Math.max(0, Math.min(n - 1, Math.floor(Math.min(this.drag.x0, this.drag.x1) / bw)));
    const i1 = Math.max(0, Math.min(n - 1, Math.floor(Math.max(this.drag.x0, this.drag.x1) / bw)));
    const click = Math.abs(this.drag.x1 - this.drag.x0) < 3;
    this.drag = null;
    // A click without a drag picks one bar.
    this.onBrush({ start: this.buckets[i0].start, end: this.buckets[click ? i0 : i1].end });
  }
}

/** bucketsFromFeatures counts incidents per month (or per day over short spans), for when the server sends no timeline. */
export function bucketsFromFeatures(features) {
  const dates = features.map((f) => f.properties && f.properties.event_date).filter((d) => typeof d === 'string' && d.length === 10).sort();
  if (dates.length === 0) return [];
  const days = (Date.parse(dates[dates.length - 1]) - Date.parse(dates[0])) / 864e5;
  const unit = days <= 120 ? 'day' : 'month';
  const counts = new Map();
  for (const d of dates) {
    const k = unit === 'day' ? d : d.slice(0, 7);
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return fillBuckets(unit, [...counts.entries()].map(([k, count]) => ({ key: k, count })));
}

/** fillBuckets turns sparse {key, count} (YYYY-MM-DD, YYYY-MM or YYYY) into contiguous buckets with start and end dates. */
export function fillBuckets(unit, sparse) {
  if (sparse.length === 0) return [];
  const by = new Map(sparse.map((b) => [b.key, b.count]));
  const keys = [...by.keys()].sort();
  const out = [];
  let d = startOf(unit, keys[0]);
  const last = startOf(unit, keys[keys.length - 1]);
  for (let guard = 0; d <= last && guard < 5000; guard++) {
    const next = new Date(d);
    if (unit === 'day') next.setUTCDate(next.getUTCDate() + 1);
    else if (unit === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
    else next.setUTCFullYear(next.getUTCFullYear() + 1);
    const start = d.toISOString().slice(0, 10);
    const end = new Date(next - 864e5).toISOString().slice(0, 10);
    const key = unit === 'day' ? start : unit === 'month' ? start.slice(0, 7) : start.slice(0, 4);
    out.push({ start, end, count: by.get(key) || 0 });
    d = next;
  }
  return out;
}

function startOf(unit, key) {
  if (unit === 'day') return new Date(key + 'T00:00:00Z');
  if (unit === 'month') return new Date(key + '-01T00:00:00Z');
  return new Date(key + '-01-01T00:00:00Z');
}

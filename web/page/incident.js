// How one incident looks: marker colour and size, popup and list entry.
// Every value from the data goes into the page through textContent or a
// checked href, never through innerHTML: article text is shown, never run.

/** EVENT_TYPES are ACLED's six event types with their map colours (Okabe-Ito, colour-blind safe). */
export const EVENT_TYPES = [
  { name: 'Battles', color: '#D55E00' },
  { name: 'Explosions/Remote violence', color: '#E69F00' },
  { name: 'Violence against civilians', color: '#CC79A7' },
  { name: 'Protests', color: '#0072B2' },
  { name: 'Riots', color: '#009E73' },
  { name: 'Strategic developments', color: '#7f7f7f' },
];
const UNKNOWN_COLOR = '#ffffff';

/** colorFor returns the colour of an event type. */
export function colorFor(eventType) {
  const t = EVENT_TYPES.find((e) => e.name === eventType);
  return t ? t.color : UNKNOWN_COLOR;
}

/** radiusFor sizes a marker by fatalities: area grows with the count, capped. */
export function radiusFor(fatalities) {
  const n = typeof fatalities === 'number' && fatalities > 0 ? fatalities : 0;
  return Math.min(5 + 2.2 * Math.sqrt(n), 22);
}

/** isSample tells whether an incident is one of the server's seeded samples. */
export function isSample(props) {
  return hasTag(props, 'sample');
}

/** precisionWords says in words how exactly an incident is placed (geo_precision). */
export function precisionWords(p) {
  switch (p) {
    case 1: return 'at the named town itself';
    case 2: return 'near the town, or in its district (shown at the town)';
    case 3: return 'somewhere in the region (shown at its centre or capital)';
    case 4: return 'somewhere in the country (shown at its centre)';
    default: return 'not stated';
  }
}

/** dateText gives the date or date range with its precision. */
export function dateText(props) {
  let s = props.event_date || 'date unknown';
  if (props.event_end_date && props.event_end_date !== props.event_date) s += ` to ${props.event_end_date}`;
  if (props.date_precision && props.date_precision !== 'day') s += ` (within a ${props.date_precision})`;
  return s;
}

/** placeText gives the place and its hierarchy: "Musa Qala, Musa Qala, Helmand, AF". */
export function placeText(props) {
  const parts = [props.location, props.admin2, props.admin1, props.country].filter((v) => v);
  const dedup = parts.filter((v, i) => i === 0 || v !== parts[i - 1]);
  return dedup.length > 0 ? dedup.join(', ') : 'place not named';
}

/**
 * confidenceText says how sure the data is, or '' when there is nothing
 * true to say: samples are invented, so a confidence would mislead, and
 * only incidents extracted from articles by the server were scored by it.
 */
export function confidenceText(props) {
  if (typeof props.confidence !== 'number' || isSample(props)) return '';
  const pct = `${Math.round(props.confidence * 100)}%`;
  return hasTag(props, 'extracted') ? `${pct} (extracted automatically from the article)` : pct;
}

function hasTag(props, tag) {
  return Array.isArray(props.tags) && props.tags.some((t) => String(t).toLowerCase() === tag);
}

function fatalitiesText(props) {
  const f = props.fatalities;
  let s = typeof f === 'number' ? String(f) : 'unknown';
  if (typeof props.civilian_fatalities === 'number') s += ` (${props.civilian_fatalities} civilians)`;
  if (typeof props.injured === 'number') s += `; ${props.injured} injured`;
  return s;
}

/** el makes an element with text (set as text, never as HTML) and a class. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** safeHref returns url if it is an http(s) address, else '' (no javascript: links). */
export function safeHref(url) {
  if (typeof url !== 'string' || url === '') return '';
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : '';
  } catch {
    return '';
  }
}

/** buildPopup returns the popup element for a GeoJSON incident feature. */
export function buildPopup(feature, { preview = false } = {}) {
  const p = feature.properties || {};
  const root = el('article', null, 'incident-popup');
  if (isSample(p)) {
    const b = el('p', null);
    b.append(el('span', 'SAMPLE', 'badge-sample'), ' A made-up example seeded by the server, not a real event.');
    root.append(b);
  }
  if (preview) root.append(el('p', 'Preview: not saved yet.', 'badge-sample'));
  const title = [p.event_type || 'Incident', p.sub_event_type].filter(Boolean).join(' — ');
  root.append(el('h3', title));
  const dl = el('dl');
  const row = (k, v) => {
    if (v === '' || v == null) return;
    dl.append(el('dt', k), el('dd', v));
  };
  row('Date', dateText(p));
  row('Place', placeText(p));
  row('Placed', precisionWords(p.geo_precision));
  row('Fatalities', fatalitiesText(p));
  const actors = [p.actor1, p.assoc_actor_1].filter(Boolean).join(' with ');
  const against = [p.actor2, p.assoc_actor_2].filter(Boolean).join(' with ');
  row('Actors', [actors, against].filter(Boolean).join(' against '));
  row('Confidence', confidenceText(p));
  if (p.source_event_id) row('Source id', p.source_event_id);
  root.append(dl);
  if (p.notes) root.append(el('p', p.notes, 'notes'));
  const sources = Array.isArray(p.sources) ? p.sources : [];
  for (const s of sources) {
    if (s && s.evidence) root.append(el('blockquote', s.evidence));
  }
  if (sources.length > 0) {
    const ul = el('ul');
    for (const s of sources) {
      if (!s) continue;
      const li = el('li');
      const label = s.title || s.publisher || s.url || 'source';
      const href = safeHref(s.url);
      if (href) {
        const a = el('a', label);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        li.append(a);
      } else {
        li.append(label);
      }
      const meta = [s.publisher && s.title ? s.publisher : '', s.published].filter(Boolean).join(', ');
      if (meta) li.append(` (${meta})`);
      ul.append(li);
    }
    const h = el('p', 'Sources');
    h.style.margin = '.3rem 0 0';
    root.append(h, ul);
  }
  if (feature.id != null && !preview) {
    const a = el('a', 'This incident as GeoJSON');
    a.href = `/api/incidents/${encodeURIComponent(feature.id)}`;
    const para = el('p');
    para.append(a);
    root.append(para);
  }
  return root;
}

const DATASET_NAMES = { acled: 'ACLED', ucdp: 'UCDP GED' };

/** sourceText names where an incident comes from: its first source's publisher or title, else its dataset. */
export function sourceText(props) {
  const s = Array.isArray(props.sources) ? props.sources.find((x) => x && (x.publisher || x.title)) : null;
  if (s) return s.publisher || s.title;
  const prefix = typeof props.source_event_id === 'string' ? props.source_event_id.split(':')[0] : '';
  return DATASET_NAMES[prefix] || '';
}

/** buildListItem returns the list entry for an incident; onSelect runs on click. */
export function buildListItem(feature, onSelect) {
  const p = feature.properties || {};
  const li = el('li');
  if (feature.id != null) li.dataset.id = String(feature.id);
  const b = el('button');
  b.type = 'button';
  const sw = el('span', null, 'swatch');
  sw.style.background = colorFor(p.event_type);
  const head = el('span');
  head.append(el('strong', p.location || placeText(p)), ' ', el('span', p.event_date || '', 'when'));
  if (isSample(p)) head.append(' ', el('span', 'SAMPLE', 'badge-sample'));
  const dead = el('span', typeof p.fatalities === 'number' ? `${p.fatalities} killed` : '', 'dead');
  const what = el('span', [p.event_type, p.admin1, p.country].filter(Boolean).join(' · '), 'what');
  b.append(sw, head, dead, what);
  const src = sourceText(p);
  if (src) b.append(el('span', `Source: ${src}`, 'what'));
  b.addEventListener('click', () => onSelect(feature));
  li.append(b);
  return li;
}

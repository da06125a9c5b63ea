// What the map shows and where its data comes from: the about dialog (the
// datasets in this database with their counts, credits and licences, what
// confidence and precision mean), the legend of sizes, groups and heat, and
// the attribution line that names the data in view of the map.

import { getJSON } from './api.js';
import { EVENT_TYPES, precisionWords, radiusFor } from './incident.js';
import { compactCount, count } from './format.js';

/** HEAT_GRADIENT colours the heat map, low to high (viridis: ordered for colour-blind readers too). */
export const HEAT_GRADIENT = { 0.25: '#3b528b', 0.5: '#21918c', 0.75: '#5ec962', 1: '#fde725' };

/**
 * DATASETS are the sources an incident can come from, told apart by its
 * source_event_id prefix (as the importers write it) or, for extraction,
 * by having a confidence and no source id. filter is CQL2 for the OGC API.
 */
export const DATASETS = [
  {
    key: 'acled', name: 'ACLED', filter: "source_event_id LIKE 'acled:%'",
    credit: 'Armed Conflict Location & Event Data Project (ACLED), acleddata.com',
    licence: 'ACLED terms of use: cite ACLED; the data may not be redistributed in bulk.',
  },
  {
    key: 'ucdp', name: 'UCDP GED', filter: "source_event_id LIKE 'ucdp:%'",
    credit: 'Uppsala Conflict Data Program, Georeferenced Event Dataset (Sundberg & Melander 2013; Davies, Pettersson & Öberg)',
    licence: 'CC BY 4.0: free to share and adapt with credit.',
  },
  {
    key: 'extracted', name: 'Extracted from news articles', filter: 'source_event_id IS NULL AND confidence IS NOT NULL',
    credit: 'Read from the articles writers added, by this server; each incident links its article.',
    licence: 'The articles belong to their publishers; incidents quote a sentence as evidence.',
  },
  {
    key: 'sample', name: 'Samples (invented)', filter: "source_event_id LIKE 'sample:%'",
    credit: 'Made-up examples the server puts into an empty database.',
    licence: 'Not real events: delete them before real use.',
  },
];

const OTHER = {
  key: 'other', name: 'Added otherwise',
  credit: 'Posted to the API or imported from other GeoJSON and CSV files.',
  licence: 'As their publishers set.',
};

/** datasetOf names the dataset of one incident's properties, as DATASETS keys it. */
export function datasetOf(props) {
  const id = typeof props.source_event_id === 'string' ? props.source_event_id : '';
  for (const key of ['acled', 'ucdp', 'sample']) if (id.startsWith(`${key}:`)) return key;
  const tags = Array.isArray(props.tags) ? props.tags : [];
  if (tags.includes('sample')) return 'sample';
  if (!id && (tags.includes('extracted') || typeof props.confidence === 'number')) return 'extracted';
  return 'other';
}

/** countDatasets asks the OGC API how many incidents each dataset holds; other is the rest. */
export async function countDatasets() {
  const matched = (filter) => getJSON(`/ogc/collections/incidents/items?${new URLSearchParams({ limit: '1', ...(filter ? { filter } : {}) })}`)
    .then((fc) => fc.numberMatched);
  const [total, ...each] = await Promise.all([matched(''), ...DATASETS.map((d) => matched(d.filter))]);
  const out = DATASETS.map((d, i) => ({ ...d, count: each[i] }));
  out.push({ ...OTHER, count: Math.max(0, total - each.reduce((a, b) => a + b, 0)) });
  return { total, datasets: out };
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';

function circleSVG(r, fill, stroke = '#1b1f24', dash = '') {
  const size = 2 * r + 4;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  const c = document.createElementNS(SVG, 'circle');
  for (const [k, v] of [['cx', size / 2], ['cy', size / 2], ['r', r], ['fill', fill], ['stroke', stroke], ['stroke-width', dash ? 2 : 1]]) c.setAttribute(k, String(v));
  if (dash) c.setAttribute('stroke-dasharray', dash);
  svg.append(c);
  return svg;
}

/** buildLegend returns the legend: colour by event type, size by fatalities, groups, samples and heat. */
export function buildLegend() {
  const root = el('div', null, 'legend');
  const types = el('ul', null, 'legend-rows');
  for (const t of EVENT_TYPES) {
    const li = el('li');
    li.append(circleSVG(6, t.color), ` ${t.name}`);
    types.append(li);
  }
  const sizes = el('ul', null, 'legend-rows legend-inline');
  for (const n of [0, 10, 50]) {
    const li = el('li');
    li.append(circleSVG(radiusFor(n), '#c9ced6'), ` ${count(n)} killed`);
    sizes.append(li);
  }
  const groups = el('ul', null, 'legend-rows');
  const group = el('li');
  const icon = el('span', compactCount(1234), 'cluster-icon legend-cluster');
  group.append(icon, ' A group of nearby incidents with how many it holds; its ring has the colour of the commonest type. Click or press Enter to zoom in.');
  const sample = el('li');
  sample.append(circleSVG(7, '#7f7f7f', '#5c4700', '3 3'), ' A dashed outline marks a sample, not a real event.');
  groups.append(group, sample);
  const heat = el('div', null, 'legend-heat');
  const bar = el('span', null, 'heat-bar');
  bar.style.background = `linear-gradient(to right, ${Object.entries(HEAT_GRADIENT).map(([at, c]) => `${c} ${at * 100}%`).join(', ')})`;
  heat.append(el('span', 'few'), bar, el('span', 'many incidents nearby'));
  root.append(el('h3', 'Colour: event type'), types, el('h3', 'Size: fatalities'), sizes, el('h3', 'Groups and samples'), groups,
    el('h3', 'Heat map'), heat);
  return root;
}

/** About wires the about dialog and keeps the map's attribution naming the data. */
export class About {
  constructor(dialog, openButton, map) {
    this.dialog = dialog;
    this.map = map;
    this.counts = null;
    this.attributed = '';
    dialog.querySelector('[data-legend]').replaceChildren(buildLegend());
    const precision = dialog.querySelector('[data-precision]');
    for (const p of [1, 2, 3, 4]) precision.append(el('li', `${p}: ${precisionWords(p)}`));
    openButton.addEventListener('click', () => this.open());
    dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => openButton.focus());
  }

  async open() {
    this.dialog.showModal();
    await this.refresh();
  }

  /** refresh counts the datasets (costly filtered queries: only when the panel opens) and fills the table. */
  async refresh() {
    const body = this.dialog.querySelector('[data-datasets]');
    try {
      this.counts = await countDatasets();
    } catch (err) {
      body.replaceChildren(el('tr', null));
      body.firstChild.append(el('td', `The datasets could not be counted: ${err.message}`));
      return;
    }
    body.replaceChildren(...this.counts.datasets.filter((d) => d.count > 0 || d.key !== 'other').map((d) => {
      const tr = el('tr');
      tr.dataset.dataset = d.key;
      tr.append(el('th', d.name), el('td', count(d.count), 'num'), el('td', d.credit), el('td', d.licence));
      return tr;
    }));
    this.dialog.querySelector('[data-total]').textContent = count(this.counts.total);
  }

  /** attribute names, in the map's corner, the datasets of the incidents the view has loaded. */
  attribute(features) {
    const present = new Set(features.map((f) => datasetOf(f.properties || {})));
    const names = DATASETS.filter((d) => present.has(d.key) && d.key !== 'sample').map((d) => d.name);
    const text = names.length ? `Incidents: ${names.join(', ')}` : '';
    if (text === this.attributed) return;
    if (this.attributed) this.map.attributionControl.removeAttribution(this.attributed);
    if (text) this.map.attributionControl.addAttribution(text);
    this.attributed = text;
  }
}

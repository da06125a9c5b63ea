// For writers: paste an article, preview the incidents the server extracts
// from it (POST /api/articles?dry_run=true, nothing stored), then save them
// (the same request without dry_run). The token stays in this tab's
// sessionStorage only.

/* global L */
import { ApiError, getJSON } from './api.js';
import { buildListItem, buildPopup, colorFor, radiusFor } from './incident.js';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'incidentmap.token';
// The date line the server reads at the top of an article (extract.ReadArticles).
const DATE_LINE = /^\s*date[ \t]+(\d{4}-\d{2}-\d{2})\b/;

/** Writer wires the article form. */
export class Writer {
  constructor(map, { saved, status }) {
    this.map = map;
    this.saved = saved;
    this.status = status;
    // Previews get a pane of their own above the incidents' markers (600)
    // and under tooltips and popups, so a preview never hides under a saved
    // incident at the same place.
    map.createPane('preview').style.zIndex = 640;
    this.renderer = L.svg({ pane: 'preview' });
    this.layer = L.featureGroup().addTo(map);
    this.previewBody = null;
    const token = $('w-token');
    try {
      token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    } catch {
      // storage disabled: the user types the token each time
    }
    token.addEventListener('change', () => {
      try {
        sessionStorage.setItem(TOKEN_KEY, token.value);
      } catch {
        // ignore: see above
      }
    });
    $('writer-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.preview();
    });
    $('w-save').addEventListener('click', () => this.save());
    $('w-text').addEventListener('input', () => this.readDateLine());
    $('w-date').addEventListener('input', () => { delete $('w-date').dataset.fromText; });
    $('w-discard').addEventListener('click', () => this.discard());
  }

  // readDateLine fills an empty Published field from the article's date
  // line, which the server would use anyway, so that the form shows it.
  readDateLine() {
    const m = DATE_LINE.exec($('w-text').value);
    const date = $('w-date');
    if (m && (date.value === '' || date.dataset.fromText === 'true') && date.value !== m[1]) {
      date.value = m[1];
      date.dataset.fromText = 'true';
      this.status(`Published date ${m[1]} taken from the article's date line.`);
    }
  }

  body() {
    const b = { text: $('w-text').value };
    if ($('w-url').value) b.url = $('w-url').value;
    if ($('w-title').value) b.title = $('w-title').value;
    if ($('w-date').value) b.published = $('w-date').value;
    return JSON.stringify(b);
  }

  async post(dryRun, body) {
    return getJSON(`/api/articles${dryRun ? '?dry_run=true' : ''}`, {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${$('w-token').value.trim()}` },
    });
  }

  async preview() {
    if (!$('w-text').value.trim()) {
      this.status('Paste the article text first.');
      return;
    }
    this.status('Extracting incidents…');
    const body = this.body();
    let fc;
    try {
      fc = await this.post(true, body);
    } catch (err) {
      if (err instanceof ApiError && err.param === 'dry_run') {
        // This server extracts only while saving: offer that, plainly.
        this.previewBody = body;
        $('w-save').textContent = 'Extract and save without preview';
        $('w-save').disabled = false;
        $('w-discard').disabled = false;
      }
      this.status(explain(err));
      return;
    }
    const features = Array.isArray(fc.features) ? fc.features : [];
    this.show(features);
    this.previewBody = features.length > 0 ? body : null;
    $('w-save').disabled = features.length === 0;
    $('w-discard').disabled = false;
    this.status(features.length === 0
      ? 'No incident was found in this text: nothing to save.'
      : `${features.length} incident${features.length === 1 ? '' : 's'} found (dashed on the map). Check them, then save or discard.`);
  }

  show(features) {
    this.layer.clearLayers();
    const list = $('w-list');
    list.replaceChildren();
    for (const f of features) {
      if (!f.geometry || f.geometry.type !== 'Point') {
        list.append(buildListItem(f, () => {}));
        continue;
      }
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties || {};
      const m = L.circleMarker([lat, lon], {
        radius: radiusFor(p.fatalities) + 2, fillColor: colorFor(p.event_type), fillOpacity: 0.6,
        color: '#000', weight: 2, dashArray: '5 4', pane: 'preview', renderer: this.renderer,
      }).bindPopup(() => buildPopup(f, { preview: true }), { maxWidth: Math.min(360, window.innerWidth - 90), maxHeight: Math.max(200, Math.floor(window.innerHeight * 0.55)) });
      this.layer.addLayer(m);
      list.append(buildListItem(f, () => {
        this.map.setView([lat, lon], Math.max(this.map.getZoom(), 8));
        m.openPopup();
      }));
    }
    if (this.layer.getLayers().length > 0) this.map.fitBounds(this.layer.getBounds().pad(0.5), { maxZoom: 9 });
  }

  async save() {
    if (!this.previewBody) return;
    $('w-save').disabled = true;
    this.status('Saving…');
    try {
      const fc = await this.post(false, this.previewBody);
      const n = Array.isArray(fc.features) ? fc.features.length : 0;
      this.discard();
      this.status(`Saved ${n} incident${n === 1 ? '' : 's'}; ${n === 1 ? 'it waits' : 'they wait'} for a writer's review before readers see ${n === 1 ? 'it' : 'them'}.`);
      this.saved();
    } catch (err) {
      $('w-save').disabled = false;
      this.status(explain(err));
    }
  }

  discard() {
    $('w-save').textContent = 'Save previewed incidents';
    this.layer.clearLayers();
    $('w-list').replaceChildren();
    this.previewBody = null;
    $('w-save').disabled = true;
    $('w-discard').disabled = true;
    this.status('');
  }
}

function explain(err) {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) return 'The server refused the write token: check it and try again.';
    if (err.status === 404 && !err.param) return 'This server cannot extract incidents from articles (no /api/articles).';
    if (err.param === 'dry_run') return 'This server cannot show a preview; nothing was saved. You may extract and save directly, then check the incidents on the map.';
    return err.message;
  }
  return `Extraction failed: ${err.message}`;
}

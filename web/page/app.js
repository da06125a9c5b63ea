// incidentmap's map page: loads the incidents of the current view and
// filters, draws them (one by one with client-side clusters when few, as
// server-side clusters when many), and keeps the list, the histogram, the
// legend and the URL in step with the map.

/* global L */
import { ApiError, apiURL, bboxParam, collect, download, filterParams, getJSON, readerKey } from './api.js';
import { Basemap, WhereControl, tileLayer } from './basemap.js';
import { EVENT_TYPES, buildListItem, buildPopup, colorFor, isSample, placeText, radiusFor } from './incident.js';
import { emptyFilters, readState, writeState } from './state.js';
import { Timeline, bucketsFromFeatures, fillBuckets } from './timeline.js';
import { PlaceSearch } from './places.js';
import { Writer } from './writer.js';
import { compactCount, count, plural } from './format.js';
import { CountryError, CountryPicker } from './country.js';
import { PlaceLabels } from './labels.js';
import { About, HEAT_GRADIENT } from './about.js';
import { Player } from './player.js';
import { mergeOverlapping } from './groups.js';
import { AreaSummary } from './summary.js';
import { KeyPrompt } from './key.js';
import { LiveFeed, previousVisit } from './live.js';
import { ReviewPanel } from './review.js';
import { Choropleth } from './choropleth.js';
import { flattenMarkers } from './markers.js';

// CLIENT_MAX is the most incidents a view draws one by one; beyond it the
// server groups them (markercluster needs ~2 s for 10,000 markers).
const CLIENT_MAX = 2000;
// LIST_MAX is the most entries the list panel shows.
const LIST_MAX = 300;
// PAGE_SIZE is the page size of /api/incidents requests: big enough for few
// round trips, small enough not to slow the clusters request beside it.
const PAGE_SIZE = 500;
const RELOAD_DELAY_MS = 250;
const WORLD = { zoom: 2, lat: 20, lon: 10 };

const $ = (id) => document.getElementById(id);
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const phone = window.matchMedia('(max-width: 760px)');

// popupOptions keeps a popup within a small screen; long ones scroll.
function popupOptions() {
  return { maxWidth: Math.min(360, window.innerWidth - 90), maxHeight: Math.max(200, Math.floor(window.innerHeight * 0.55)), autoPanPadding: [16, 16] };
}

class App {
  constructor() {
    const body = document.body;
    this.assets = body.dataset.assets;
    const state = readState(window.location.search);
    this.filters = state.filters;
    this.heatOn = state.heat;
    this.tilesOn = state.tiles;
    this.shadeOn = state.shade;
    this.loads = 0; // finished loads, for tests
    this.seq = 0;
    this.abort = null;
    this.mode = 'none'; // 'incidents' | 'clusters'
    this.features = [];
    this.clusters = [];
    this.markerById = new Map();
    this.lastQuery = '';
    this.total = 0;
    // Milliseconds since navigation when the basemap, the first incidents
    // and the countries' shading were painted (after the next animation
    // frame), for the perf script.
    this.timings = { basemap: 0, incidents: 0, shaded: 0 };

    const view = state.view || WORLD;
    this.map = L.map('map', { preferCanvas: true, worldCopyJump: true, minZoom: 1, maxZoom: 18, zoomSnap: 1 })
      .setView([view.lat, view.lon], view.zoom);
    this.map.attributionControl.setPrefix('<a href="#about" class="about-link">About the data</a>');
    this.map.attributionControl.addAttribution('Places © GeoNames (CC BY 4.0)');
    this.map.attributionControl.addAttribution('Basemap: Natural Earth');
    // The scale bar is redrawn when a move ends, not on every frame of it:
    // each redraw repainted the whole page outside the map's layers.
    L.control.scale({ imperial: false, updateWhenIdle: true }).addTo(this.map);
    this.where = new WhereControl().addTo(this.map);

    this.basemap = new Basemap(this.map, this.assets, { onError: (e) => this.showError(`The basemap failed to load: ${e.message}`) });
    this.shadeLegend = new ShadeLegend().addTo(this.map);
    this.choropleth = new Choropleth(this.basemap, this.shadeLegend.box, { error: (msg) => this.showError(msg) });
    this.labels = new PlaceLabels({ bbox: () => this.bbox(), near: (ll) => this.near(ll) }).addTo(this.map);
    this.tiles = tileLayer(body.dataset.tiles, body.dataset.tileAttribution);
    if (this.tiles) {
      this.tiles.on('tileerror', () => {
        if (!this.tileErrorShown) {
          this.tileErrorShown = true;
          this.showError('The online tile layer cannot be reached (offline?). The offline basemap still shows the countries.');
        }
      });
    }

    this.clusterGroup = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50, spiderfyOnMaxZoom: true,
      iconCreateFunction: (c) => {
        const members = c.getAllChildMarkers().map((m) => m.feature.properties);
        return clusterIcon(c.getChildCount(), dominantType(members.map((p) => p.event_type)), members.some(isSample));
      },
    });
    // Enter on a focused group zooms into it, as a click does (Leaflet
    // handles Enter only for popups).
    this.clusterGroup.on('clusterkeypress', (e) => { if (e.originalEvent.key === 'Enter') e.layer.zoomToBounds(); });
    this.serverLayer = L.featureGroup();
    this.heatLayer = null;

    this.timeline = new Timeline($('timeline'), $('timeline-caption'), (r) => {
      this.player.stop();
      this.setFilters({ start: r.start, end: r.end });
    });
    this.places = new PlaceSearch($('place-form'), $('place-q'), $('place-results'), {
      fly: (target) => this.flyTo(target),
      error: (msg) => this.showError(msg),
    });
    this.player = new Player($('play'), $('play-unit'), {
      span: () => {
        const b = this.timeline.buckets;
        return b.length ? { first: b[0].start, last: b[b.length - 1].end } : null;
      },
      show: (start, end) => this.setFilters({ start, end }),
      say: (text) => this.setStatus(text),
    });
    this.summary = new AreaSummary($('summary'), $('summary-rows'), $('summary-note'), $('summary-by'), {
      params: () => this.viewParams(),
      pick: (change) => this.setFilters(change),
    });
    this.country = new CountryPicker($('f-country'), $('f-country-list'), $('f-country-hint'));
    this.writer = new Writer(this.map, {
      saved: () => this.reload(),
      status: (msg) => { $('w-status').textContent = msg; },
    });

    // The live map: what is new since this browser's last visit, or
    // arrived while the page is open, is marked; the stream carries the
    // queue too when a write token is given (live.js, review.js).
    this.lastVisit = previousVisit();
    this.fresh = new Set();
    this.liveEvents = 0; // events handled, for tests
    this.review = new ReviewPanel($('review'), $('r-token'), { changed: () => this.reload() });
    this.live = new LiveFeed({
      headers: () => this.liveHeaders(),
      onEvent: (name, data) => this.onLive(name, data),
      onState: (s) => { document.body.dataset.live = s; },
    });
    shareToken($('w-token'), $('r-token'), () => {
      this.live.start();
      this.review.queueChanged();
    });

    this.about = new About($('about'), $('about-open'), this.map);
    this.key = new KeyPrompt($('key'), $('key-bar'), {
      accepted: () => {
        this.reload();
        this.labels.refresh();
        this.live.start();
      },
    });
    // Links to the about panel (in the attribution and beside the filters).
    document.addEventListener('click', (e) => {
      const a = e.target.closest && e.target.closest('a.about-link');
      if (!a) return;
      e.preventDefault();
      this.about.open();
    });
    this.buildTypeFilters();
    this.fillFilterInputs();
    this.wireControls();
    this.map.on('moveend', () => this.scheduleReload());
    this.map.on('popupclose', (e) => this.popupClosed(e.popup));

    $('heat').checked = this.heatOn;
    $('tiles').checked = this.tilesOn;
    $('shade').checked = this.shadeOn;
    this.applyTiles();
    this.basemap.load().then(() => this.mark('basemap')).catch((e) => this.showError(`The basemap failed to load: ${e.message}`));
    this.reload();
    this.live.start();
  }

  // --- the live map --------------------------------------------------------

  // liveHeaders sends the write token when there is one (the stream then
  // carries the queue), else the reader key of a private server.
  liveHeaders() {
    const token = $('w-token').value.trim() || readerKey();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  // onLive reloads the view when an event touches it: an incident published
  // or changed inside it, one it shows taken down, or a reset.
  onLive(name, data) {
    this.liveEvents++;
    const id = data && data.id != null ? String(data.id) : '';
    if (name === 'incident' && data.status && data.status !== 'published') {
      this.review.queueChanged();
      if (this.markerById.has(id)) this.scheduleReload(); // it left the published view
      return;
    }
    if (name === 'incident') {
      if (data.status) this.review.queueChanged(); // accepted, perhaps from the queue
      if (!this.markerById.has(id)) this.fresh.add(id);
      const ll = this.near(latLngOf(data.geometry));
      if (this.markerById.has(id) || (ll && this.map.getBounds().contains(ll))) this.scheduleReload();
      return;
    }
    if (name === 'removed') {
      this.review.queueChanged();
      if (this.markerById.has(id)) this.scheduleReload();
      return;
    }
    if (name === 'reset') {
      this.review.queueChanged();
      this.scheduleReload();
    }
  }

  /** isNew says whether an incident arrived while the page was open, or since the last visit. */
  isNew(f) {
    if (f.id != null && this.fresh.has(String(f.id))) return true;
    const created = f.properties && f.properties.created;
    return Boolean(this.lastVisit && created && created > this.lastVisit);
  }

  // --- loading -----------------------------------------------------------

  scheduleReload() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reload(), RELOAD_DELAY_MS);
    this.writeURL();
  }

  /** bbox returns the view as [w, s, e, n] within WGS 84, crossing the antimeridian when the view does. */
  bbox() {
    const b = this.map.getBounds();
    let w = b.getWest();
    let e = b.getEast();
    if (e - w >= 360) {
      w = -180;
      e = 180;
    } else {
      w = wrapLon(w);
      e = wrapLon(e);
      if (e === -180) e = 180;
    }
    const floor = (v) => Math.floor(v * 1e5) / 1e5;
    const ceil = (v) => Math.ceil(v * 1e5) / 1e5;
    return [floor(w), Math.max(-90, floor(b.getSouth())), ceil(e), Math.min(90, ceil(b.getNorth()))];
  }

  viewParams() {
    const p = filterParams(this.filters);
    p.set('bbox', bboxParam(this.bbox()));
    return p;
  }

  async reload() {
    clearTimeout(this.reloadTimer);
    if (this.abort) this.abort.abort();
    const ac = new AbortController();
    this.abort = ac;
    const seq = ++this.seq;
    document.body.dataset.state = 'loading';
    const params = this.viewParams();
    this.lastQuery = params.toString();
    this.updateShareLinks(params);
    if (this.shadeOn) this.choropleth.show(this.filters).then(() => { if (this.choropleth.shown) this.mark('shaded'); });
    this.where.update(this.map, ac.signal);
    this.setStatus('Loading incidents…');
    try {
      // Both requests at once: the clusters say how many incidents the view
      // holds; the first page of incidents fills the list, and the map too
      // when the view holds few.
      const cp = new URLSearchParams(params);
      cp.set('zoom', String(Math.round(this.map.getZoom())));
      const lp = new URLSearchParams(params);
      lp.set('limit', String(PAGE_SIZE));
      const firstPage = getJSON(`/api/incidents?${lp}`, { signal: ac.signal });
      firstPage.catch(() => {}); // awaited below; keeps an early failure from going unhandled
      let clusters = null;
      try {
        clusters = await getJSON(`/api/clusters?${cp}`, { signal: ac.signal });
      } catch (err) {
        // An older server without /api/clusters: draw incidents one by one.
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
      if (clusters && clusters.numberMatched > CLIENT_MAX) {
        const first = await firstPage;
        if (seq !== this.seq) return;
        this.showClusters(clusters, first.features || []);
      } else {
        const { features, truncated } = await collect(`/api/incidents?${lp}`, {
          signal: ac.signal, first: firstPage, max: clusters ? Infinity : CLIENT_MAX * 2,
          onPage: (n) => { if (seq === this.seq) this.setStatus(`Loading incidents… ${n}`); },
        });
        if (seq !== this.seq) return;
        this.showIncidents(features, truncated, clusters);
      }
      this.hideError();
      document.body.dataset.state = 'ready';
      this.mark('incidents');
      this.about.attribute(this.features);
      this.summary.refresh();
    } catch (err) {
      if (err.name === 'AbortError' || seq !== this.seq) return;
      document.body.dataset.state = 'error';
      if (err instanceof ApiError && err.status === 401) {
        this.setStatus('This server shows its incidents only with a key.');
        this.key.refused();
        this.showError('This server is private: it needs a key to show incidents.', () => this.key.ask('Enter your key.'));
        return;
      }
      this.setStatus('Incidents could not be loaded.');
      this.showError(err instanceof ApiError ? err.message : `Loading incidents failed: ${err.message}`, () => this.reload());
    } finally {
      if (seq === this.seq) {
        this.loads++;
        this.abort = null;
      }
    }
  }

  // showIncidents draws each incident as a marker, clustered in the browser.
  showIncidents(features, truncated, clusters) {
    this.mode = 'incidents';
    this.features = features;
    this.clusters = [];
    this.total = features.length;
    this.serverLayer.clearLayers();
    this.clusterGroup.clearLayers();
    this.markerById.clear();
    const markers = [];
    for (const f of features) {
      const ll = this.near(latLngOf(f.geometry));
      if (!ll) continue;
      const p = f.properties || {};
      const m = incidentMarker(ll, p, this.isNew(f));
      m.feature = f;
      onPick(m, (byKey) => this.openPopup(String(f.id), m.getLatLng(), () => buildPopup(f), byKey, m.getElement()));
      // Hovering names the place and its hierarchy: "Musa Qala, Helmand, AF".
      m.bindTooltip(() => placeText(p), { direction: 'top', offset: [0, -4] });
      markers.push(m);
      if (f.id != null) this.markerById.set(String(f.id), m);
    }
    this.clusterGroup.addLayers(markers);
    this.applyLayers();
    this.renderList(features, features.length);
    this.renderLegendCounts(countTypes(features.map((f) => f.properties && f.properties.event_type)));
    const buckets = clusters && clusters.timeline ? fillBuckets(clusters.timeline.unit, clusters.timeline.buckets) : bucketsFromFeatures(features);
    this.timeline.set(buckets, { start: this.filters.start, end: this.filters.end, matched: features.length });
    $('sample-note').hidden = !features.some((f) => isSample(f.properties || {}));
    if (features.length === 0) {
      this.setStatus(this.hasFilters()
        ? 'No incidents match these filters in this view. Zoom out, pan, or clear the filters.'
        : 'No incidents in this view. Zoom out or pan to find some.');
    } else {
      this.setStatus(`${plural(features.length, 'incident')} in view${truncated ? ` (only the first ${count(features.length)} are drawn: zoom in)` : ''}.`);
    }
    this.afterDraw();
  }

  // showClusters draws the server's clusters; the list shows the newest incidents.
  showClusters(fc, first) {
    this.mode = 'clusters';
    this.features = first;
    this.clusters = fc.features || [];
    this.total = fc.numberMatched;
    this.clusterGroup.clearLayers();
    this.serverLayer.clearLayers();
    this.markerById.clear();
    for (const c of this.separate(this.clusters)) {
      const ll = this.near(latLngOf(c.geometry));
      if (!ll) continue;
      const p = c.properties || {};
      const types = p.event_types || {};
      let m;
      if (p.count === 1 && c.id) {
        const type = Object.keys(types)[0] || '';
        m = incidentMarker(ll, { event_type: type, fatalities: p.fatalities, tags: p.samples ? ['sample'] : [] });
        m.feature = { id: c.id, properties: { event_type: type } };
        onPick(m, (byKey) => this.openPopup(String(c.id), m.getLatLng(), () => this.popupFor(c.id), byKey, m.getElement()));
      } else {
        m = L.marker(ll, { icon: clusterIcon(p.count, dominantOf(types), p.samples > 0), title: `${plural(p.count, 'incident')} here${p.samples > 0 ? ', some of them samples' : ''}: press Enter to zoom in`, riseOnHover: true });
        m.on('click', () => this.zoomToCluster(c));
        m.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') this.zoomToCluster(c); });
      }
      m.cluster = c;
      this.serverLayer.addLayer(m);
    }
    this.applyLayers();
    this.renderList(first, fc.numberMatched);
    const typeCounts = {};
    for (const c of this.clusters) {
      for (const [t, n] of Object.entries((c.properties && c.properties.event_types) || {})) typeCounts[t] = (typeCounts[t] || 0) + n;
    }
    this.renderLegendCounts(typeCounts);
    this.timeline.set(fillBuckets(fc.timeline.unit, fc.timeline.buckets), { start: this.filters.start, end: this.filters.end, matched: fc.numberMatched });
    $('sample-note').hidden = !this.clusters.some((c) => c.properties && c.properties.samples > 0);
    this.setStatus(`${plural(fc.numberMatched, 'incident')} in view, in ${plural(this.clusters.length, 'group')}. Zoom in or pick a group to see single incidents.`);
    this.afterDraw();
  }

  /**
   * separate merges the server's groups whose circles would overlap on
   * screen into the biggest among them: counts, types, samples, fatalities
   * and bounds add up, so the map still holds what the API lists.
   */
  separate(clusters) {
    const items = [];
    for (const c of clusters) {
      const ll = this.near(latLngOf(c.geometry));
      if (!ll) continue;
      const pt = this.map.latLngToContainerPoint(ll);
      items.push({ x: pt.x, y: pt.y, count: c.properties.count, c });
    }
    return mergeOverlapping(items, (n) => (n === 1 ? radiusFor(0) + 1 : groupRadius(n))).map((g) => {
      if (g.members.length === 1) return g.members[0].c;
      const props = { count: 0, fatalities: 0, samples: 0, event_types: {} };
      let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const { c } of g.members) {
        const p = c.properties;
        props.count += p.count;
        props.fatalities += p.fatalities || 0;
        props.samples += p.samples || 0;
        for (const [t, k] of Object.entries(p.event_types || {})) props.event_types[t] = (props.event_types[t] || 0) + k;
        const [bw, bs, be, bn] = c.bbox || [...c.geometry.coordinates, ...c.geometry.coordinates];
        [w, s, e, n] = [Math.min(w, bw), Math.min(s, bs), Math.max(e, be), Math.max(n, bn)];
      }
      return { type: 'Feature', geometry: g.members[0].c.geometry, bbox: [w, s, e, n], properties: props };
    });
  }

  // popupFor fetches one incident for a popup opened from a server cluster.
  popupFor(id) {
    const box = document.createElement('div');
    box.className = 'incident-popup';
    box.textContent = 'Loading…';
    getJSON(`/api/incidents/${encodeURIComponent(id)}`)
      .then((f) => box.replaceChildren(buildPopup(f)))
      .catch((err) => { box.textContent = err.message; });
    return box;
  }

  zoomToCluster(c) {
    const ll = this.near(latLngOf(c.geometry));
    const dx = ll.lng - c.geometry.coordinates[0]; // the world copy the cluster is drawn on
    const [w, s, e, n] = (c.bbox || []).map((v, i) => (i % 2 === 0 ? v + dx : v));
    const z = this.map.getZoom();
    if (Number.isFinite(w) && (e - w > 1e-4 || n - s > 1e-4)) {
      const target = this.map.getBoundsZoom(L.latLngBounds([s, w], [n, e]).pad(0.1));
      if (target > z) {
        this.map.fitBounds(L.latLngBounds([s, w], [n, e]).pad(0.1));
        return;
      }
    }
    this.map.setView(ll, Math.min(z + 3, this.map.getMaxZoom()));
  }

  /**
   * near moves a point by whole turns of longitude to the world copy nearest
   * the view's centre, so that incidents across the antimeridian show beside
   * the ones on this side (Leaflet draws -179° far from 179°).
   */
  near(ll) {
    if (!ll) return ll;
    const shift = 360 * Math.round((this.map.getCenter().lng - ll.lng) / 360);
    return shift === 0 ? ll : L.latLng(ll.lat, ll.lng + shift);
  }

  // afterDraw finishes a list click made while another view was loading.
  afterDraw() {
    const [id, f, moveFocus] = [this.pendingFocus, this.pendingFeature, this.pendingMoveFocus];
    this.pendingFocus = this.pendingFeature = null;
    this.pendingMoveFocus = false;
    if (id) this.focusIncident(id, false, f, moveFocus);
  }

  applyLayers() {
    const showMarkers = !this.heatOn;
    const want = this.mode === 'clusters' ? this.serverLayer : this.clusterGroup;
    const other = this.mode === 'clusters' ? this.clusterGroup : this.serverLayer;
    other.remove();
    if (showMarkers) want.addTo(this.map);
    else want.remove();
    if (this.heatLayer) {
      this.heatLayer.remove();
      this.heatLayer = null;
    }
    if (this.heatOn) {
      let pts;
      let max;
      if (this.mode === 'clusters') {
        pts = this.clusters.map((c) => { const ll = this.near(latLngOf(c.geometry)); return [ll.lat, ll.lng, c.properties.count]; });
        max = Math.max(1, ...pts.map((p) => p[2])) / 4;
      } else {
        pts = this.features.map((f) => this.near(latLngOf(f.geometry))).filter(Boolean).map((ll) => [ll.lat, ll.lng, 1]);
        max = Math.max(1, Math.min(5, pts.length / 50));
      }
      this.heatLayer = L.heatLayer(pts, { radius: 28, blur: 20, max, minOpacity: 0.35, gradient: HEAT_GRADIENT }).addTo(this.map);
    }
  }

  // --- list --------------------------------------------------------------

  renderList(features, total) {
    const list = $('list');
    // A reload rebuilds the list: keep the keyboard focus on the same entry.
    const focused = list.contains(document.activeElement) ? document.activeElement.closest('li') : null;
    const focusedId = focused ? focused.dataset.id : null;
    list.replaceChildren();
    const shown = features.slice(0, LIST_MAX);
    for (const f of shown) {
      const li = buildListItem(f, (feat) => this.focusIncident(String(feat.id), true, feat));
      if (this.isNew(f)) li.querySelector('strong').after(' ', newBadge());
      list.append(li);
    }
    const more = $('list-more');
    if (total > shown.length) {
      more.hidden = false;
      more.textContent = this.mode === 'clusters'
        ? `Showing the ${count(shown.length)} newest of ${plural(total, 'incident')} in view. Zoom in or filter to list them all.`
        : `Showing ${count(shown.length)} of ${plural(total, 'incident')} in view.`;
    } else {
      more.hidden = true;
    }
    $('list-heading').textContent = `Latest incidents in view (${count(total)})`;
    if (this.popupId != null) this.highlight(this.popupId, false);
    if (focusedId != null) {
      const li = [...list.children].find((x) => x.dataset.id === focusedId);
      if (li) li.querySelector('button').focus({ preventScroll: true });
    }
  }

  /**
   * focusIncident shows an incident's popup on the map, zooming in when the
   * map is far out. A user's pick (a list entry) also moves keyboard focus
   * into the popup, so that Tab continues there and Escape comes back.
   */
  focusIncident(id, userAction, feature, moveFocus = userAction) {
    if (userAction && phone.matches && $('sidebar').classList.contains('open')) {
      // On a phone the list covers the map: fold it to show the incident.
      $('toggle-sidebar').click();
    }
    const m = this.markerById.get(id);
    const f = feature || (m && m.feature) || this.features.find((x) => String(x.id) === id);
    if (!f || !f.geometry) {
      if (m && this.map.hasLayer(m)) m.fire('click');
      return;
    }
    const ll = this.near(latLngOf(f.geometry));
    if (!ll) return;
    if (userAction && this.map.getZoom() < 8) {
      // Zoom in first; the popup opens when the new view has loaded.
      this.pendingFocus = id;
      this.pendingFeature = f;
      this.pendingMoveFocus = moveFocus;
      this.map.setView(ll, 8, { animate: !reducedMotion });
      return;
    }
    this.openPopup(id, ll, () => buildPopup(f), moveFocus);
  }

  /**
   * openPopup opens the one incident popup at ll. It belongs to the map, not
   * to a marker, so the reloads that follow a pan or zoom (which replace
   * every marker) leave it open.
   */
  openPopup(id, ll, content, moveFocus = false, from = document.activeElement) {
    const box = content();
    this.popupFrom = from; // where the focus goes back to when it closes
    box.tabIndex = -1; // focusable by script, not a Tab stop of its own
    this.popupId = id;
    const popup = L.popup(popupOptions()).setLatLng(ll).setContent(box).openOn(this.map);
    this.popup = popup;
    // Leaflet's Escape works only while the map itself has the focus.
    popup.getElement().addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.map.closePopup(popup);
    });
    this.highlight(id);
    if (moveFocus) box.focus({ preventScroll: true });
  }

  // popupClosed forgets the incident popup and, when it held the keyboard
  // focus, gives the focus back to the incident's list entry.
  popupClosed(popup) {
    if (popup !== this.popup) return;
    const el = popup.getElement();
    const hadFocus = el && el.contains(document.activeElement);
    const id = this.popupId;
    this.popup = null;
    this.popupId = null;
    this.highlight(null);
    if (hadFocus) {
      const li = [...$('list').children].find((x) => x.dataset.id === id);
      const back = this.popupFrom && this.popupFrom.isConnected && this.popupFrom !== document.body ? this.popupFrom
        : li ? li.querySelector('button') : $('map');
      back.focus();
    }
  }

  highlight(id, scroll = true) {
    for (const li of $('list').children) {
      const on = id != null && li.dataset.id === String(id);
      li.toggleAttribute('aria-current', false);
      if (on) {
        li.setAttribute('aria-current', 'true');
        if (scroll) li.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  // --- filters, legend, URL --------------------------------------------

  buildTypeFilters() {
    const box = $('f-types');
    this.typeBoxes = new Map();
    for (const t of EVENT_TYPES) {
      const label = document.createElement('label');
      label.className = 'type-option';
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.value = t.name;
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = t.color;
      const name = document.createElement('span');
      name.textContent = t.name;
      const num = document.createElement('span');
      num.className = 'count';
      label.append(cb, sw, name, num);
      box.append(label);
      this.typeBoxes.set(t.name, { cb, count: num });
      cb.addEventListener('change', () => {
        const on = [...this.typeBoxes.values()].filter((x) => x.cb.checked).map((x) => x.cb.value);
        if (on.length === 0) {
          // The API reads no event_type as "all types": say instead that none is chosen.
          if (this.abort) this.abort.abort();
          this.clusterGroup.clearLayers();
          this.serverLayer.clearLayers();
          this.features = [];
          this.clusters = [];
          this.applyLayers();
          this.renderList([], 0);
          document.body.dataset.state = 'ready';
          this.setStatus('No event type is ticked: tick at least one to see incidents.');
          return;
        }
        this.setFilters({ eventTypes: on.length === EVENT_TYPES.length ? [] : on });
      });
    }
  }

  renderLegendCounts(counts) {
    for (const [name, box] of this.typeBoxes) box.count.textContent = count(counts[name] || 0);
  }

  fillFilterInputs() {
    const f = this.filters;
    $('f-start').value = f.start;
    $('f-end').value = f.end;
    this.country.show(f.country);
    $('f-min').value = f.minFatalities;
    $('f-q').value = f.q;
    for (const [name, { cb }] of this.typeBoxes) cb.checked = f.eventTypes.length === 0 || f.eventTypes.includes(name);
    $('f-admin1').value = f.admin1;
    $('f-actor').value = f.actor;
  }

  hasFilters() {
    const f = this.filters;
    return Boolean(f.start || f.end || f.eventTypes.length || f.country || f.admin1 || f.actor || f.minFatalities !== '' || f.q);
  }

  /** setFilters applies a change of filters and resolves once the view has reloaded. */
  setFilters(change) {
    Object.assign(this.filters, change);
    this.fillFilterInputs();
    this.writeURL();
    return this.reload();
  }

  wireControls() {
    const onDate = () => {
      this.player.stop();
      this.setFilters({ start: $('f-start').value, end: $('f-end').value });
    };
    $('f-start').addEventListener('change', onDate);
    $('f-end').addEventListener('change', onDate);
    const country = $('f-country');
    country.addEventListener('change', async () => {
      try {
        const code = await this.country.resolve();
        this.setFilters({ country: code });
      } catch (err) {
        country.setCustomValidity(err instanceof CountryError ? err.message : `The country could not be looked up: ${err.message}`);
        country.reportValidity();
      }
    });
    const min = $('f-min');
    min.addEventListener('change', () => {
      const v = min.value.trim();
      if (v !== '' && !/^\d+$/.test(v)) {
        min.setCustomValidity('Type a whole number, 0 or more.');
        min.reportValidity();
        return;
      }
      min.setCustomValidity('');
      this.setFilters({ minFatalities: v });
    });
    let qTimer;
    $('f-q').addEventListener('input', () => {
      clearTimeout(qTimer);
      qTimer = setTimeout(() => this.setFilters({ q: $('f-q').value.trim() }), 400);
    });
    $('filters').addEventListener('submit', (e) => e.preventDefault());
    $('f-clear').addEventListener('click', () => {
      this.player.stop();
      this.setFilters(emptyFilters());
    });
    for (const [id, key] of [['f-admin1', 'admin1'], ['f-actor', 'actor']]) {
      $(id).addEventListener('change', () => this.setFilters({ [key]: $(id).value.trim() }));
    }
    $('heat').addEventListener('change', () => {
      this.heatOn = $('heat').checked;
      this.applyLayers();
      this.writeURL();
    });
    $('tiles').addEventListener('change', () => {
      this.tilesOn = $('tiles').checked;
      this.applyTiles();
      this.writeURL();
    });
    $('shade').addEventListener('change', () => {
      this.shadeOn = $('shade').checked;
      if (this.shadeOn) this.choropleth.show(this.filters);
      else this.choropleth.hide();
      this.writeURL();
    });
    $('copy-link').addEventListener('click', () => this.copy(window.location.href, 'Link to this view copied.'));
    $('copy-api').addEventListener('click', () => {
      const p = this.viewParams();
      p.set('limit', '1000');
      this.copy(apiURL('/api/incidents', p), 'API URL copied: it returns GeoJSON and follows rel=next links for more.');
    });
    // A plain link cannot send the reader key: with one, downloads go through fetch.
    for (const [id, name] of [['dl-geojson', 'incidents.geojson'], ['dl-csv', 'incidents.csv']]) {
      $(id).addEventListener('click', (e) => {
        if (!readerKey()) return;
        e.preventDefault();
        download($(id).href, name).catch((err) => this.showError(`The download failed: ${err.message}`));
      });
    }
    $('error-close').addEventListener('click', () => this.hideError());
    $('error-retry').addEventListener('click', () => {
      this.hideError();
      if (this.retry) this.retry();
    });
    const toggle = $('toggle-sidebar');
    toggle.addEventListener('click', () => {
      const open = $('sidebar').classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
      this.map.invalidateSize();
    });
  }

  applyTiles() {
    if (!this.tiles) return;
    if (this.tilesOn) {
      this.tiles.addTo(this.map);
      this.basemap.pane.style.opacity = '0.35';
    } else {
      this.tiles.remove();
      this.basemap.pane.style.opacity = '';
    }
  }

  updateShareLinks(params) {
    $('dl-geojson').href = `/api/export?format=geojson&${params}`;
    $('dl-csv').href = `/api/export?format=csv&${params}`;
  }

  writeURL() {
    const c = this.map.getCenter();
    const view = { zoom: this.map.getZoom(), lat: c.lat, lon: wrapLon(c.lng) };
    const search = writeState({ view, filters: this.filters, heat: this.heatOn, tiles: this.tilesOn, shade: this.shadeOn });
    if (search !== window.location.search) window.history.replaceState(null, '', search + window.location.hash);
  }

  async copy(text, done) {
    const box = $('copy-box');
    box.hidden = false;
    box.value = text;
    try {
      await navigator.clipboard.writeText(text);
      this.setStatus(done);
    } catch {
      box.select();
      this.setStatus('Copy the selected address with Ctrl+C (the browser did not allow copying).');
    }
  }

  flyTo(target) {
    const opts = { animate: !reducedMotion, duration: 1.2 };
    if (target.bounds) this.map.flyToBounds(target.bounds, { ...opts, maxZoom: target.zoom || 12 });
    else this.map.flyTo(target.latlng, target.zoom, opts);
  }

  // --- messages ----------------------------------------------------------

  setStatus(text) {
    $('status').textContent = text;
  }

  showError(text, retry) {
    this.retry = retry || (() => this.reload());
    $('error-text').textContent = text;
    $('error').hidden = false;
  }

  hideError() {
    $('error').hidden = true;
  }

  // --- for tests and the curious ---------------------------------------

  mark(what) {
    if (!this.timings[what]) requestAnimationFrame(() => { this.timings[what] = performance.now(); });
  }

  /** visibleCounts sums what the map shows: cluster counts plus single markers. */
  visibleCounts() {
    let symbols = 0;
    let incidents = 0;
    if (this.mode === 'clusters') {
      this.serverLayer.eachLayer((m) => {
        symbols++;
        incidents += m.cluster.properties.count;
      });
      return { symbols, incidents };
    }
    // markercluster keeps what is drawn at this zoom (clusters and lone
    // markers) in its _featureGroup; its public getVisibleParent only knows
    // icon markers, not the circle markers drawn here.
    this.clusterGroup._featureGroup.eachLayer((l) => {
      symbols++;
      incidents += l.getChildCount ? l.getChildCount() : 1;
    });
    return { symbols, incidents };
  }
}

// ShadeLegend is the box on the map that explains the country shading
// (choropleth.js fills it); hidden while the shading is off.
const ShadeLegend = L.Control.extend({
  options: { position: 'bottomright' },
  onAdd() {
    this.box = L.DomUtil.create('div', 'shade-legend');
    this.box.hidden = true;
    return this.box;
  },
});

// onPick calls pick(byKey) when a marker is clicked or gets Enter; byKey
// says the keyboard did it, so the focus should follow into the popup.
function onPick(m, pick) {
  m.on('click', () => pick(false));
  m.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') pick(true); });
}

// wrapLon brings a longitude into [-180, 180).
function wrapLon(x) {
  return ((((x + 180) % 360) + 360) % 360) - 180;
}

/** latLngOf returns a representative point of a GeoJSON geometry. */
function latLngOf(g) {
  if (!g) return null;
  if (g.type === 'Point') return L.latLng(g.coordinates[1], g.coordinates[0]);
  const pts = [];
  const walk = (c) => {
    if (typeof c[0] === 'number') pts.push(c);
    else c.forEach(walk);
  };
  if (g.coordinates) walk(g.coordinates);
  else if (g.geometries) g.geometries.forEach((x) => x.coordinates && walk(x.coordinates));
  if (pts.length === 0) return null;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return L.latLng((Math.min(...ys) + Math.max(...ys)) / 2, (Math.min(...xs) + Math.max(...xs)) / 2);
}

/**
 * incidentMarker draws one incident as a focusable marker (a button to
 * keyboards and screen readers: Tab reaches it, Enter opens its popup), a
 * circle coloured by event type and sized by fatalities, dashed for samples.
 */
// newBadge marks an incident new since the last visit or arrived live.
function newBadge() {
  const b = document.createElement('span');
  b.className = 'badge-new';
  b.textContent = 'NEW';
  return b;
}

// shareToken keeps the two write token fields (the article form's and the
// queue's) the same; the article form's keeps it for the tab. changed runs
// when it changes.
function shareToken(a, b, changed) {
  b.value = a.value;
  a.addEventListener('change', () => {
    b.value = a.value;
    changed();
  });
  b.addEventListener('change', () => {
    a.value = b.value;
    a.dispatchEvent(new Event('change'));
  });
}

function incidentMarker(ll, p, fresh) {
  const sample = isSample(p);
  const d = Math.round(2 * radiusFor(p.fatalities));
  const dot = document.createElement('span');
  dot.className = `incident-dot${sample ? ' sample' : ''}${fresh ? ' new' : ''}`;
  dot.style.width = dot.style.height = `${d}px`;
  dot.style.background = colorFor(p.event_type);
  const what = [p.event_type || 'Incident', p.location, p.event_date].filter(Boolean).join(', ');
  const icon = L.divIcon({ html: dot, className: 'incident-wrap', iconSize: [d, d] });
  return L.marker(ll, { icon, title: `${what}${sample ? ' (sample)' : ''}${fresh ? ' (new)' : ''}: press Enter for details`, keyboard: true, riseOnHover: true });
}

function countTypes(types) {
  const out = {};
  for (const t of types) out[t || ''] = (out[t || ''] || 0) + 1;
  return out;
}

function dominantOf(counts) {
  let best = '';
  let n = -1;
  for (const [t, c] of Object.entries(counts)) {
    if (c > n) {
      best = t;
      n = c;
    }
  }
  return best;
}

function dominantType(types) {
  return dominantOf(countTypes(types));
}

// groupSize is the width of a group's circle: it grows with the log of the
// count, at most 46 px.
function groupSize(n) {
  return Math.round(Math.min(24 + 5.5 * Math.log10(Math.max(n, 1)), 46));
}

// groupRadius is how far a group's drawing reaches from its centre,
// its coloured ring (4 px) included.
function groupRadius(n) {
  return groupSize(n) / 2 + 4;
}

// clusterIcon is a count in a circle whose ring shows the most frequent
// event type; a dashed outline says some members are samples.
function clusterIcon(n, type, samples) {
  const size = groupSize(n);
  const e = document.createElement('div');
  e.className = samples ? 'cluster-icon has-samples' : 'cluster-icon';
  e.style.width = e.style.height = `${size}px`;
  e.style.boxShadow = `0 0 0 3px ${colorFor(type)}, 0 0 0 4px #1b1f24`;
  e.textContent = compactCount(n);
  return L.divIcon({ html: e, className: 'cluster-wrap', iconSize: [size, size] });
}

function start() {
  if (!window.L || !window.L.markerClusterGroup || !window.topojson) {
    const p = document.createElement('div');
    p.className = 'fatal';
    p.setAttribute('role', 'alert');
    p.textContent = 'The map libraries did not load. If you built this server yourself, run `npm ci && npm run assets` and rebuild it.';
    document.body.prepend(p);
    return;
  }
  flattenMarkers();
  window.incidentmap = new App();
}

start();

// Browser tests of the map page: the real binary on a temporary database,
// headless Debian Chromium through playwright-core, and no network beyond
// 127.0.0.1. Run with `npm test` (which first copies the vendor assets);
// screenshots land in $ARTIFACTS/e2e or web/e2e/out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TOKEN, assertMatchesAPI as matchesAPI, build, compositedLayers, countAPI, filterDates, incident, openMap, overlappingMarkers, postIncidents, requirements, screenshot, serveForSuite, settle, tempDir,
} from './harness.mjs';

const missing = requirements();
// One build for both suites: the binary under test, in a directory removed at exit.
const binDir = tempDir('incidentmap-e2e-bin-');
process.on('exit', binDir.cleanup);
const bin = missing ? '' : build(binDir.dir);

// The incidents every test sees, written for these tests.
function fixtures() {
  const out = [
    incident(64.7449, 32.4456, {
      event_date: '2019-09-23', event_type: 'Battles', sub_event_type: 'Armed clash', fatalities: 7,
      actor1: 'Taliban', actor2: 'Military Forces of Afghanistan', location: 'Musa Qala', admin2: 'Musa Qala',
      admin1: 'Helmand', country: 'AF', geo_precision: 2,
      sources: [{ url: 'https://example.org/helmand-report', title: 'District report', publisher: 'Example News',
        evidence: 'Seven fighters died in a clash outside Musa Qala on Monday, a district official said.' }],
    }),
    incident(64.3692, 31.583, {
      event_date: '2020-03-02', event_type: 'Explosions/Remote violence', fatalities: 2, location: 'Lashkar Gah',
      admin1: 'Helmand', country: 'AF', geo_precision: 1,
      notes: 'A roadside bomb hit a minibus. <img src=x onerror="window.__xss=1"> was written on a sign.',
      sources: [{ url: 'javascript:window.__xss=3', title: '<script>window.__xss=2</script>Bulletin',
        evidence: 'The bomb <b>exploded</b> near the market.' }],
    }),
    incident(12.0, 14.0, {
      event_date: '2021-06-10', event_type: 'Violence against civilians', fatalities: 1, location: 'Sampleville',
      country: 'NE', tags: ['sample'], notes: 'An invented incident for the tests.',
    }),
  ];
  // Two on either side of the antimeridian, in Fiji.
  out.push(incident(178.44, -18.14, { event_date: '2020-07-01', event_type: 'Protests', location: 'Suva', country: 'FJ', fatalities: 0 }));
  out.push(incident(-179.9, -16.6, { event_date: '2020-07-02', event_type: 'Riots', location: 'East of the line', country: 'FJ', fatalities: 0 }));
  // A spread of others over three years and four regions.
  const regions = [[64.5, 31.9, 'AF', 'Helmand'], [13.15, 11.84, 'NG', 'Borno'], [36.7, 34.7, 'SY', 'Homs'], [-99.1, 19.4, 'MX', 'Ciudad de Mexico']];
  const types = ['Battles', 'Protests', 'Riots', 'Strategic developments', 'Explosions/Remote violence'];
  for (let i = 0; i < 40; i++) {
    const [lon, lat, country, admin1] = regions[i % regions.length];
    const year = 2019 + (i % 3);
    const month = String(1 + ((i * 5) % 12)).padStart(2, '0');
    out.push(incident(lon + ((i * 37) % 100) / 100 - 0.5, lat + ((i * 53) % 100) / 100 - 0.5, {
      event_date: `${year}-${month}-15`, event_type: types[i % types.length], fatalities: i % 6,
      location: `Place ${i}`, admin1, country, geo_precision: 1 + (i % 3),
    }));
  }
  return out;
}

describe('map page', { skip: missing || false }, () => {
  const env = serveForSuite(bin, 'map', async (url) => {
    await postIncidents(url, fixtures());
  });

  async function open(path = '/', viewport) {
    const page = await env.browser.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    const errors = await openMap(page, env.server.url, path);
    return { page, errors };
  }

  const assertMatchesAPI = (page) => matchesAPI(page, env.server.url);

  test('the offline basemap draws and no request leaves the machine', async () => {
    const { page, errors } = await open();
    await page.waitForFunction(() => window.incidentmap.basemap.ready);
    const painted = await page.evaluate(() => {
      const c = document.querySelector('.leaflet-basemap-pane canvas');
      if (!c) return 0;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n / (c.width * c.height);
    });
    assert.ok(painted > 0.1, `land covers ${(painted * 100).toFixed(1)}% of the basemap canvas`);
    assert.ok(await page.evaluate(() => window.incidentmap.basemap.countries) > 150);
    await screenshot(page, 'world');
    assert.deepEqual(errors, []);
    assert.deepEqual(env.browser.blocked, [], 'requests to other hosts');
    await page.close();
  });

  test('markers and clusters hold as many incidents as the API lists for the view', async () => {
    const { page } = await open();
    const world = await assertMatchesAPI(page);
    assert.ok(world >= fixtures().length - 2, `the world view holds ${world}`); // Fiji may lie off the edge
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.setView([31.9, 64.5], 8); }));
    const helmand = await assertMatchesAPI(page);
    assert.ok(helmand > 0 && helmand < world, `Helmand view holds ${helmand} of ${world}`);
    await screenshot(page, 'helmand');
    await page.close();
  });

  test('a view across the antimeridian shows the incidents on both sides', async () => {
    const { page } = await open('/?map=6/-17.4/180');
    const q = await page.evaluate(() => window.incidentmap.lastQuery);
    const [w, , e] = new URLSearchParams(q).get('bbox').split(',').map(Number);
    assert.ok(w > 0 && e < 0, `bbox ${w}..${e} should cross the antimeridian`);
    assert.equal(await assertMatchesAPI(page), 2);
    const xs = await page.evaluate(() => {
      const app = window.incidentmap;
      const out = [];
      app.clusterGroup.eachLayer((m) => out.push(app.map.latLngToContainerPoint(m.getLatLng()).x));
      return out;
    });
    const width = await page.evaluate(() => window.incidentmap.map.getSize().x);
    assert.ok(xs.every((x) => x >= 0 && x <= width), `markers at x=${xs} should be on screen (width ${width})`);
    await screenshot(page, 'antimeridian');
    await page.close();
  });

  test('a popup shows the incident with its place, precision, actors, evidence and source', async () => {
    const { page } = await open('/?map=8/31.9/64.5');
    await page.getByRole('button', { name: /Musa Qala/ }).first().click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    const text = await popup.innerText();
    for (const want of ['Battles — Armed clash', '2019-09-23', 'Musa Qala, Helmand, AF', 'near the town', '7',
      'Taliban against Military Forces of Afghanistan', 'Seven fighters died in a clash outside Musa Qala']) {
      assert.ok(text.includes(want), `popup lacks ${JSON.stringify(want)}:\n${text}`);
    }
    assert.equal(await popup.getByRole('link', { name: 'District report' }).getAttribute('href'), 'https://example.org/helmand-report');
    await screenshot(page, 'popup');

    // A popup open on a marker stays open when moving the map reloads the view.
    await page.goto(`${env.server.url}/?map=11/32.44/64.74`);
    await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state === 'ready');
    const lone = await page.evaluate(() => {
      const app = window.incidentmap;
      const f = app.features.find((x) => x.properties.location === 'Musa Qala');
      const m = app.markerById.get(String(f.id));
      if (!app.map.hasLayer(m)) return false;
      m.fire('click');
      return true;
    });
    assert.ok(lone, 'Musa Qala should be a lone marker at zoom 11');
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.panBy([40, 20], { animate: false }); }));
    assert.match(await page.locator('.leaflet-popup-content').innerText(), /Seven fighters died/);
    await page.close();
  });

  test('article text in notes, titles and evidence is shown as text, never run', async () => {
    const { page } = await open('/?map=8/31.9/64.5');
    await page.getByRole('button', { name: /Lashkar Gah/ }).first().click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    const text = await popup.innerText();
    assert.ok(text.includes('<img src=x onerror="window.__xss=1">'), text);
    assert.ok(text.includes('<script>window.__xss=2</script>Bulletin'), text);
    assert.ok(text.includes('The bomb <b>exploded</b> near the market.'), text);
    assert.equal(await popup.locator('img, script, b').count(), 0);
    assert.equal(await popup.locator('a[href^="javascript:"]').count(), 0);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await screenshot(page, 'escaped');
    await page.close();
  });

  test('a date filter changes the count, and the count still matches the API', async () => {
    const { page } = await open();
    const before = await page.evaluate(() => window.incidentmap.total);
    await filterDates(page, '2020-01-01', '2020-12-31');
    const after = await assertMatchesAPI(page);
    assert.ok(after > 0 && after < before, `2020 holds ${after} of ${before}`);
    assert.match(page.url(), /start=2020-01-01/);
    await page.close();
  });

  test('brushing the time histogram picks dates', async () => {
    const { page } = await open();
    const before = await page.evaluate(() => window.incidentmap.total);
    const box = await page.locator('#timeline').boundingBox();
    await settle(page, async () => {
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    });
    const start = await page.inputValue('#f-start');
    const end = await page.inputValue('#f-end');
    assert.match(start, /^2019-/);
    assert.ok(end > start && end < '2021-01-01', `brushed ${start}..${end}`);
    const after = await assertMatchesAPI(page);
    assert.ok(after > 0 && after < before, `brushed range holds ${after} of ${before}`);
    await screenshot(page, 'brushed');
    await page.close();
  });

  test('the API URL, downloads and heat map follow the view', async () => {
    const { page } = await open('/?map=6/32/64.5&event_type=Battles');
    const total = await page.evaluate(() => window.incidentmap.total);
    assert.ok(total > 0);
    await page.click('#copy-api');
    const api = await page.inputValue('#copy-box');
    assert.match(api, /^http:\/\/127\.0\.0\.1:\d+\/api\/incidents\?/);
    assert.match(api, /bbox=/);
    assert.match(api, /event_type=Battles/);
    const fc = await (await fetch(api)).json();
    assert.equal(fc.features.length, total, `the copied URL lists ${fc.features.length}, the map ${total}`);

    const geojson = await page.getAttribute('#dl-geojson', 'href');
    const res = await fetch(env.server.url + geojson);
    assert.equal(res.status, 200, `${geojson}: ${res.status}`);
    const exported = JSON.parse(await res.text());
    assert.equal(exported.features.length, total, 'the GeoJSON download holds the view');
    const csv = await fetch(env.server.url + await page.getAttribute('#dl-csv', 'href'));
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /csv/);

    await page.check('#heat');
    await page.locator('canvas.leaflet-heatmap-layer').waitFor();
    assert.match(page.url(), /heat=1/);
    await screenshot(page, 'heat-view');
    await page.close();
  });

  test('controls have names and text has readable contrast', async () => {
    const { page } = await open('/?map=8/31.9/64.5');
    const problems = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('input, textarea, button, select, a[href]')) {
        if (el.closest('[hidden]') || el.type === 'hidden') continue;
        const name = el.getAttribute('aria-label') || (el.labels && el.labels.length && el.labels[0].textContent.trim()) ||
          el.textContent.trim() || el.getAttribute('title');
        if (!name) out.push(`unnamed ${el.outerHTML.slice(0, 80)}`);
      }
      const lum = (rgb) => {
        const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.textContent.trim() || !el || !el.offsetParent || el.closest('.leaflet-map-pane, .leaflet-control-attribution')) continue;
        const fg = parse(getComputedStyle(el).color).slice(0, 3);
        const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < 4.5) out.push(`contrast ${ratio.toFixed(2)} for "${n.textContent.trim().slice(0, 40)}"`);
      }
      return out;
    });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the permalink restores view and filters', async () => {
    const { page } = await open('/?map=7/31.9/64.5&start=2019-01-01&event_type=Battles,Riots&min_fatalities=1&q=Place');
    const got = await page.evaluate(() => {
      const m = window.incidentmap.map;
      const types = [...document.querySelectorAll('#f-types input')].filter((c) => c.checked).map((c) => c.value);
      return { zoom: m.getZoom(), lat: m.getCenter().lat, lon: m.getCenter().lng, types, q: window.incidentmap.lastQuery,
        start: document.getElementById('f-start').value, min: document.getElementById('f-min').value, text: document.getElementById('f-q').value };
    });
    assert.equal(got.zoom, 7);
    assert.ok(Math.abs(got.lat - 31.9) < 0.01 && Math.abs(got.lon - 64.5) < 0.01, `centre ${got.lat},${got.lon}`);
    assert.deepEqual(got.types, ['Battles', 'Riots']);
    assert.equal(got.start, '2019-01-01');
    assert.equal(got.min, '1');
    assert.equal(got.text, 'Place');
    assert.match(got.q, /event_type=Battles%2CRiots/);
    await assertMatchesAPI(page);

    // The admin1 and actor filters have fields: a link fills them, and emptying one removes it.
    await page.goto(`${env.server.url}/?map=6/32/64.5&admin1=Helmand&actor=Taliban`);
    await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state === 'ready');
    assert.equal(await page.inputValue('#f-admin1'), 'Helmand');
    assert.equal(await page.inputValue('#f-actor'), 'Taliban');
    assert.equal(await assertMatchesAPI(page), 1);
    await settle(page, async () => {
      await page.fill('#f-actor', '');
      await page.press('#f-actor', 'Tab');
    });
    await settle(page, async () => {
      await page.fill('#f-admin1', '');
      await page.press('#f-admin1', 'Tab');
    });
    assert.doesNotMatch(page.url(), /admin1|actor/);
    await page.goto(`${env.server.url}/?map=7/31.9/64.5&start=2019-01-01&event_type=Battles,Riots&min_fatalities=1&q=Place`);
    await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state === 'ready');

    // Unticking every type shows none, rather than all.
    await page.uncheck('#f-types input[value="Battles"]');
    await page.uncheck('#f-types input[value="Riots"]');
    await page.locator('#status', { hasText: 'No event type is ticked' }).waitFor();
    assert.equal(await page.evaluate(() => window.incidentmap.visibleCounts().incidents), 0);
    await settle(page, () => page.check('#f-types input[value="Riots"]'));
    assert.match(await page.evaluate(() => window.incidentmap.lastQuery), /event_type=Riots(&|$)/);
    await settle(page, () => page.check('#f-types input[value="Battles"]'));
    await assertMatchesAPI(page);

    // Move, then open the address bar's URL in a new page: same view.
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.setView([12, 13], 6); }));
    const link = page.url();
    const { page: again } = await open(link.slice(env.server.url.length));
    const view = await again.evaluate(() => ({ zoom: window.incidentmap.map.getZoom(), c: window.incidentmap.map.getCenter(), q: window.incidentmap.lastQuery }));
    assert.equal(view.zoom, 6);
    assert.ok(Math.abs(view.c.lat - 12) < 0.01 && Math.abs(view.c.lng - 13) < 0.01, `centre ${view.c.lat},${view.c.lng}`);
    assert.equal(view.q, await page.evaluate(() => window.incidentmap.lastQuery));
    await page.close();
    await again.close();
  });

  test('the place search flies to Lashkar Gah', async (t) => {
    const probe = await fetch(`${env.server.url}/api/places?q=Lashkar%20Gah`);
    if (probe.status === 404 || probe.status === 503) {
      t.skip(`/api/places answers ${probe.status}: the gazetteer is not served yet`);
      return;
    }
    const { page } = await open();
    await page.fill('#place-q', 'Lashkar Gah');
    await page.press('#place-q', 'Enter');
    await page.waitForFunction(() => {
      const c = window.incidentmap.map.getCenter();
      return window.incidentmap.map.getZoom() >= 9 && Math.abs(c.lat - 31.59) < 0.2 && Math.abs(c.lng - 64.36) < 0.2;
    }, null, { timeout: 10_000 });
    await page.locator('.where-control', { hasText: 'Helmand' }).waitFor();
    await screenshot(page, 'lashkar-gah');

    await page.fill('#place-q', 'Qqqxyzzy Nowhere');
    await page.press('#place-q', 'Enter');
    await page.getByText('No place matches “Qqqxyzzy Nowhere”').waitFor();
    await page.close();
  });

  test('a writer previews the incidents of an article, then saves them', async () => {
    const { page } = await open('/?map=3/30/60');
    // Extracted incidents wait unreviewed: count every status with a writer key.
    const published = await countAPI(env.server.url, 'bbox=-180,-90,180,90');
    const stored = await countAPI(env.server.url, 'bbox=-180,-90,180,90&status=all', TOKEN);
    await page.click('#writer summary');
    await page.fill('#w-token', TOKEN);
    await page.fill('#w-date', '2024-05-02');
    await page.fill('#w-text', 'Gunmen attacked a police checkpoint in Lashkar Gah, the capital of Helmand province, ' +
      'on Wednesday, killing four policemen, a provincial spokesman said.');
    await page.click('#w-preview');
    const status = page.locator('#w-status');
    await status.filter({ hasText: /found|No incident|cannot show a preview/ }).waitFor();
    const noPreview = /cannot show a preview/.test(await status.innerText());
    if (noPreview) {
      // POST /api/articles has no dry_run yet: the page says so and offers to save directly.
      assert.equal(await page.locator('#w-save').innerText(), 'Extract and save without preview');
    } else {
      assert.ok(await page.locator('#w-list li').count() > 0, await status.innerText());
      await screenshot(page, 'writer-preview');
    }
    assert.equal(await countAPI(env.server.url, 'bbox=-180,-90,180,90&status=all', TOKEN), stored, 'a preview stores nothing');
    await page.click('#w-save');
    await status.filter({ hasText: /Saved \d+ incident/ }).waitFor();
    const saved = Number((await status.innerText()).match(/Saved (\d+)/)[1]);
    assert.ok(saved > 0, await status.innerText());
    assert.equal(await countAPI(env.server.url, 'bbox=-180,-90,180,90&status=all', TOKEN), stored + saved, 'saving stores the incidents');
    assert.equal(await countAPI(env.server.url, 'bbox=-180,-90,180,90'), published, 'saved incidents wait for review');
    assert.match(await status.innerText(), /review/);
    await page.close();
  });

  test('samples are marked, empty results and a dead server are said plainly', async () => {
    const { page } = await open('/?map=6/14/12');
    assert.ok(await page.locator('#sample-note').isVisible());
    assert.ok(await page.locator('#list .badge-sample').first().isVisible());

    await settle(page, async () => {
      await page.fill('#f-q', 'no incident is called this');
    });
    assert.match(await page.locator('#status').innerText(), /No incidents match these filters/);

    await page.route('**/api/clusters*', (route) => route.fulfill({
      status: 400, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Invalid query parameter', status: 400, detail: 'must be a date YYYY-MM-DD', param: 'start' }),
    }));
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.setView([20, 11], 3); }));
    assert.match(await page.locator('#error').innerText(), /Invalid query parameter: must be a date YYYY-MM-DD \(parameter “start”\)/);
    await page.unroute('**/api/clusters*');

    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.setView([20, 10], 3); }));
    const error = page.locator('#error');
    assert.ok(await error.isVisible());
    assert.match(await error.innerText(), /server is not answering/);
    await screenshot(page, 'server-down');
    await page.unroute('**/api/**');
    await settle(page, () => page.click('#error-retry'));
    assert.ok(!(await error.isVisible()));
    await page.close();
  });

  test('the online tile layer is off by default and says so when it cannot load', async () => {
    const { page } = await open('/?map=5/32/64');
    const before = env.browser.blocked.length;
    assert.equal(await page.locator('.leaflet-tile').count(), 0);
    await page.check('#tiles');
    await page.locator('#error', { hasText: 'online tile layer cannot be reached' }).waitFor();
    assert.ok(env.browser.blocked.slice(before).some((u) => u.startsWith('https://tile.openstreetmap.org/')), 'tiles were asked for');
    assert.match(page.url(), /tiles=1/);
    assert.ok(await page.evaluate(() => window.incidentmap.basemap.ready), 'the offline basemap stays');
    await page.close();
  });

  test('shading countries colours each by its incidents for the filters, matched by ISO code', async () => {
    const { page, errors } = await open('/?map=2/20/10&shade=1');
    await page.waitForFunction(() => window.incidentmap.choropleth.loads > 0 && window.incidentmap.basemap.ready);
    const fills = () => page.evaluate(() => {
      const out = {};
      window.incidentmap.basemap.layer.eachLayer((l) => { out[l.feature.properties.name] = l.options.fillColor; });
      return out;
    });
    const summary = async (query) => {
      const res = await fetch(`${env.server.url}/api/summary?by=country&${query}`);
      return Object.fromEntries((await res.json()).areas.map((a) => [a.country, a.incidents]));
    };
    // The basemap names shapes by ISO numeric code (Niger 562, Nigeria 566), the incidents by alpha-2.
    const names = { AF: 'Afghanistan', NG: 'Nigeria', NE: 'Niger', SY: 'Syria', MX: 'Mexico', FJ: 'Fiji' };
    const counts = await summary('');
    assert.deepEqual(Object.keys(counts).sort(), Object.keys(names).sort());
    let f = await fills();
    const plain = f.France;
    assert.equal(f.Iraq, plain, 'a country without incidents keeps the plain fill');
    for (const name of Object.values(names)) assert.notEqual(f[name], plain, `${name} is shaded`);
    assert.ok(counts.NE < 10 && counts.AF >= 10 && counts.NG >= 10);
    assert.notEqual(f.Niger, f.Nigeria, 'Niger and Nigeria fall in different classes');
    assert.equal(f.Afghanistan, f.Nigeria, `${counts.AF} and ${counts.NG} incidents share a class`);
    assert.match(await page.locator('.shade-legend').innerText(), /Incidents per country\s+1–9\s+10 or more/);
    await screenshot(page, 'choropleth');

    // Filters change the shading; the detailed shapes keep it.
    await settle(page, () => page.evaluate(() => { window.incidentmap.setFilters({ eventTypes: ['Protests'] }); }));
    await page.waitForFunction(() => window.incidentmap.choropleth.loads > 1);
    const protests = await summary('event_type=Protests');
    f = await fills();
    for (const [cc, name] of Object.entries(names)) assert.equal(f[name] !== plain, cc in protests, `${name} shaded only with protests`);
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.setView([33, 65], 4); }));
    await page.waitForFunction(() => window.incidentmap.basemap.detail === '50m');
    f = await fills();
    assert.equal(f.Afghanistan !== plain, 'AF' in protests, 'the 1:50m shapes are shaded too');
    assert.match(page.url(), /shade=1/);

    await page.uncheck('#shade');
    f = await fills();
    assert.ok(Object.values(f).every((c) => c === plain), 'unticking removes the shading');
    assert.ok(!(await page.locator('.shade-legend').isVisible()));
    assert.doesNotMatch(page.url(), /shade=/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the list is usable by keyboard and the page fits a phone', async () => {
    const { page } = await open('/?map=8/31.9/64.5', { width: 390, height: 844 });
    assert.ok(!(await page.locator('#sidebar').isVisible()), 'the sidebar starts folded on a phone');
    await page.click('#toggle-sidebar');
    assert.ok(await page.locator('#sidebar').isVisible());
    // Enter on a group of markers zooms into it.
    const zoom = await page.evaluate(() => window.incidentmap.map.getZoom());
    await page.locator('.leaflet-marker-icon.cluster-wrap').first().focus();
    await settle(page, () => page.keyboard.press('Enter'));
    assert.ok(await page.evaluate(() => window.incidentmap.map.getZoom()) > zoom, 'Enter on a group zooms in');
    await page.goto(`${env.server.url}/?map=8/31.9/64.5`);
    await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state === 'ready');
    await page.click('#toggle-sidebar');
    const item = page.getByRole('button', { name: /Musa Qala/ }).first();
    await item.focus();
    await page.keyboard.press('Enter');
    await page.locator('.leaflet-popup-content').waitFor();
    assert.ok(!(await page.locator('#sidebar').isVisible()), 'picking an incident folds the list to show the map');
    await page.waitForTimeout(600); // the map pans to fit the popup
    const popup = await page.locator('.leaflet-popup').boundingBox();
    assert.ok(popup.x >= 0 && popup.x + popup.width <= 390 && popup.y >= 0 && popup.y + popup.height <= 844, `popup at ${JSON.stringify(popup)}`);
    await screenshot(page, 'phone');
    await page.close();
  });
});

describe('map page with many incidents', { skip: missing || false }, () => {
  const env = serveForSuite(bin, 'many', async (url) => {
    for (let batch = 0; batch < 5; batch++) {
      const features = [];
      for (let i = 0; i < 500; i++) {
        const k = batch * 500 + i;
        features.push(incident(-170 + ((k * 7919) % 34000) / 100, -50 + ((k * 104729) % 11000) / 100, {
          event_date: `20${10 + (k % 12)}-0${1 + (k % 9)}-1${k % 10}`, event_type: 'Battles', fatalities: k % 4,
        }));
      }
      await postIncidents(url, features);
    }
    // Tight hotspots every 7°: many straddle an edge of the server's grid,
    // where two groups' circles meet unless the page keeps them apart.
    const hot = [];
    for (let h = 0; h < 40; h++) {
      for (let i = 0; i < 60; i++) {
        hot.push(incident(-130 + h * 7 + ((i * 37) % 100) / 50, 10 + ((h * 13) % 40) + ((i * 53) % 100) / 50, {
          event_date: `2015-0${1 + (i % 9)}-1${h % 10}`, event_type: 'Riots', fatalities: i % 3,
        }));
      }
    }
    await postIncidents(url, hot);
  });

  test('a pan moves the groups as one layer, not one layer per group', async (t) => {
    const page = await env.browser.context.newPage();
    await openMap(page, env.server.url, '/?map=3/20/0');
    const symbols = await page.evaluate(() => window.incidentmap.visibleCounts().symbols);
    assert.ok(symbols >= 40, `${symbols} groups on screen`);
    // Leaflet's translate3d() made Chromium composite every marker (and
    // every name drawn over one) by itself: 2 × symbols layers and more.
    const layers = await compositedLayers(page);
    t.diagnostic(`${layers} composited layers for ${symbols} groups on screen`);
    assert.ok(layers < symbols / 2, `${layers} composited layers for ${symbols} groups on screen`);
    await page.close();
  });

  test('while a pan lasts nothing outside the moving map changes (no repaint of the page)', async () => {
    const page = await env.browser.context.newPage();
    await openMap(page, env.server.url, '/?map=4/30/10');
    const box = await page.locator('#map').boundingBox();
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 10, cy - 10, { steps: 2 }); // the drag has begun
    await page.evaluate(() => {
      const pane = document.querySelector('.leaflet-map-pane');
      window.__changed = [];
      window.__observer = new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
          if (!pane.contains(el) && el !== pane) window.__changed.push(`${el.tagName}.${el.className} ${r.type} ${r.attributeName || ''}`);
        }
      });
      window.__observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    // Southwards across latitudes whose scale differs (the old page rewrote the scale bar on every move).
    for (let i = 1; i <= 20; i++) await page.mouse.move(cx - 10, cy - 10 - i * 15);
    const changed = await page.evaluate(() => {
      window.__observer.disconnect();
      return [...new Set(window.__changed)];
    });
    await page.mouse.up();
    assert.deepEqual(changed, []);
    await page.close();
  });

  test('the server clusters them, and the clusters hold what the API lists', async () => {
    const page = await env.browser.context.newPage();
    await openMap(page, env.server.url, '/');
    const got = await page.evaluate(() => ({ mode: window.incidentmap.mode, q: window.incidentmap.lastQuery,
      total: window.incidentmap.total, shown: window.incidentmap.visibleCounts() }));
    assert.equal(got.mode, 'clusters');
    const want = await countAPI(env.server.url, got.q);
    assert.equal(got.total, want);
    assert.equal(got.shown.incidents, want);
    assert.ok(got.shown.symbols < 1000, `${got.shown.symbols} symbols`);
    assert.deepEqual(await overlappingMarkers(page), [], 'groups on screen cover each other');
    await screenshot(page, 'clusters');
    for (const [lat, lon, zoom] of [[25, -60, 3], [30, 20, 4]]) {
      await settle(page, () => page.evaluate(([la, lo, z]) => { window.incidentmap.map.setView([la, lo], z); }, [lat, lon, zoom]));
      if (await page.evaluate(() => window.incidentmap.mode) !== 'clusters') continue;
      assert.deepEqual(await overlappingMarkers(page), [], `groups at ${zoom}/${lat}/${lon} cover each other`);
      const shown = await page.evaluate(() => ({ q: window.incidentmap.lastQuery, n: window.incidentmap.visibleCounts().incidents }));
      assert.equal(shown.n, await countAPI(env.server.url, shown.q), 'merged groups still hold what the API lists');
    }

    // A group is a focusable marker: Enter zooms into it.
    const zoom = await page.evaluate(() => window.incidentmap.map.getZoom());
    await page.locator('.leaflet-marker-icon.cluster-wrap').first().focus();
    await settle(page, () => page.keyboard.press('Enter'));
    assert.ok(await page.evaluate(() => window.incidentmap.map.getZoom()) > zoom, 'Enter on a group zooms in');
    await page.click('#heat');
    await page.waitForTimeout(300);
    await screenshot(page, 'heat');
    await page.close();
  });
});

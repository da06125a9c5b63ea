// Browser tests of what issue 13 found broken in everyday use: popups that
// closed themselves, list entries that left no popup, an unreadable search
// field, a country box that took the first two letters, counts written two
// ways, a confidence shown on invented samples and a missing favicon. Same
// harness as map.test.mjs: the real binary, Debian Chromium, no network.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  TOKEN, build, countAPI, incident, openMap, postIncidents, requirements, screenshot, serveForSuite, settle, tempDir,
} from './harness.mjs';

const missing = requirements();
const binDir = tempDir('incidentmap-e2e-use-bin-');
process.on('exit', binDir.cleanup);
const bin = missing ? '' : build(binDir.dir);

function fixtures() {
  const out = [
    incident(64.7449, 32.4456, {
      event_date: '2019-09-23', event_type: 'Battles', sub_event_type: 'Armed clash', fatalities: 7, location: 'Musa Qala', actor1: 'Taliban',
      admin1: 'Helmand', country: 'AF', geo_precision: 2, notes: 'Seven fighters died in a clash outside Musa Qala.',
    }),
    incident(64.3692, 31.583, {
      event_date: '2020-03-02', event_type: 'Explosions/Remote violence', fatalities: 2, location: 'Lashkar Gah',
      admin1: 'Helmand', country: 'AF', geo_precision: 1, tags: ['extracted'], confidence: 0.8,
      sources: [{ title: 'Bulletin', evidence: 'A roadside bomb killed two near the market.' }],
    }),
    incident(12.0, 14.0, {
      event_date: '2021-06-10', event_type: 'Violence against civilians', fatalities: 1, location: 'Sampleville',
      country: 'NE', tags: ['sample'], confidence: 1, source_event_id: 'sample:t1', notes: 'An invented incident for the tests.',
    }),
    incident(44.36, 33.31, { event_date: '2021-02-01', event_type: 'Protests', location: 'Baghdad', country: 'IQ', fatalities: 0, source_event_id: 'acled:IRQ1' }),
    incident(51.39, 35.69, { event_date: '2021-02-02', event_type: 'Protests', location: 'Tehran', country: 'IR', fatalities: 0, source_event_id: 'ucdp:4711' }),
    incident(7.49, 9.06, { event_date: '2021-02-03', event_type: 'Riots', location: 'Abuja', country: 'NG', fatalities: 1 }),
    incident(-86.25, 12.13, { event_date: '2021-02-04', event_type: 'Riots', location: 'Managua', country: 'NI', fatalities: 0 }),
  ];
  for (let i = 0; i < 12; i++) {
    out.push(incident(64.2 + (i % 4) * 0.1, 31.7 + Math.floor(i / 4) * 0.1, {
      event_date: `2020-${String(1 + i).padStart(2, '0')}-10`, event_type: 'Battles', fatalities: i % 3,
      location: `Village ${i}`, admin1: 'Helmand', country: 'AF', geo_precision: 1,
    }));
  }
  return out;
}

// axe-core, run inside the page through the DevTools protocol (which the
// page's Content-Security-Policy does not govern).
const AXE = missing ? '' : readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axeViolations lists what axe-core finds wrong in the page, one line per rule. */
async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0].target.join(' ')}: ${v.nodes[0].failureSummary}`);
  });
}

// ready waits until the page has finished a load and shows its result.
async function ready(page) {
  await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state === 'ready');
}

describe('everyday use of the map page', { skip: missing || false }, () => {
  const env = serveForSuite(bin, 'use', async (url) => {
    await postIncidents(url, fixtures());
  });

  async function open(path = '/') {
    const page = await env.browser.context.newPage();
    const errors = await openMap(page, env.server.url, path);
    await ready(page);
    // Count every popup that closes, whatever closed it.
    await page.evaluate(() => {
      window.popupCloses = 0;
      window.incidentmap.map.on('popupclose', () => { window.popupCloses++; });
    });
    return { page, errors };
  }

  test('a popup opened near the top stays open through the reloads its pan and a zoom cause', async () => {
    // Musa Qala sits about 150 px above the centre: its popup does not fit
    // above it, so opening it pans the map, which reloads the view.
    const { page } = await open('/?map=10/32.27/64.7449');
    const at = await page.evaluate(() => {
      const app = window.incidentmap;
      const f = app.features.find((x) => x.properties.location === 'Musa Qala');
      const m = app.markerById.get(String(f.id));
      if (!app.map.hasLayer(m)) return null;
      const p = app.map.latLngToContainerPoint(m.getLatLng());
      const box = app.map.getContainer().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, half: box.height / 2 };
    });
    assert.ok(at, 'Musa Qala should be a lone marker at zoom 10');
    assert.ok(at.y - 45 < at.half, `the marker should be in the upper half (y ${at.y})`);
    await settle(page, () => page.mouse.click(at.x, at.y));
    const popup = page.locator('.leaflet-popup-content');
    assert.match(await popup.innerText(), /Seven fighters died/);
    assert.ok(await page.evaluate(() => window.incidentmap.map.getCenter().lat > 32.28), 'opening the popup panned the map north');
    assert.equal(await page.evaluate(() => window.popupCloses), 0, 'the reload after the pan closed the popup');
    assert.ok(await page.evaluate(() => window.incidentmap.popup.isOpen()));

    await settle(page, () => page.evaluate(() => { window.incidentmap.map.panBy([60, -40], { animate: false }); }));
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.zoomIn(1, { animate: false }); }));
    assert.equal(await page.evaluate(() => window.popupCloses), 0, 'a pan or zoom closed the popup');
    assert.ok(await popup.isVisible());
    assert.equal(await page.locator('#list li[aria-current="true"]').count(), 1, 'the list marks the incident of the popup');
    await screenshot(page, 'popup-after-reloads');
    await page.close();
  });

  test('Enter on a list entry zooms in, opens its popup and moves the focus into it; Escape comes back', async () => {
    const { page } = await open('/?map=3/30/50');
    const entry = page.getByRole('button', { name: /Musa Qala/ }).first();
    await entry.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const a = document.activeElement;
      return a && a.closest('.leaflet-popup') && /Seven fighters died/.test(a.textContent);
    });
    await ready(page);
    assert.ok(await page.evaluate(() => window.incidentmap.map.getZoom()) >= 8, 'the map zoomed in');
    // A reload (here from a pan) keeps both the popup and the focus.
    await settle(page, () => page.evaluate(() => { window.incidentmap.map.panBy([30, 30], { animate: false }); }));
    assert.ok(await page.evaluate(() => Boolean(document.activeElement.closest('.leaflet-popup'))), 'focus left the popup');
    assert.equal(await page.evaluate(() => window.popupCloses), 0);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => {
      const li = document.activeElement && document.activeElement.closest('#list li');
      return li && /Musa Qala/.test(li.textContent);
    });
    assert.equal(await page.evaluate(() => window.incidentmap.popup), null, 'Escape closed the popup');
    await page.locator('.leaflet-popup').waitFor({ state: 'detached' });
    await page.close();
  });

  test('the place search shows its text with readable contrast', async () => {
    const { page } = await open();
    await page.fill('#place-q', 'Lashkar Gah');
    const ratio = await page.evaluate(() => {
      const el = document.getElementById('place-q');
      const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number).slice(0, 3);
      const lum = (rgb) => {
        const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const s = getComputedStyle(el);
      const [a, b] = [lum(parse(s.color)), lum(parse(s.backgroundColor))].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    });
    assert.ok(ratio >= 4.5, `search text contrast is ${ratio.toFixed(2)}:1`);
    await page.close();
  });

  test('the country filter takes names: Iraq is IQ, Nigeria is NG, and an unknown name is said', async () => {
    const { page } = await open();
    for (const [name, code] of [['Iraq', 'IQ'], ['Nigeria', 'NG'], ['Niger', 'NE']]) {
      await settle(page, async () => {
        await page.fill('#f-country', name);
        await page.press('#f-country', 'Tab');
      });
      const q = new URLSearchParams(await page.evaluate(() => window.incidentmap.lastQuery));
      assert.equal(q.get('country'), code, `${name} filtered ${q.get('country')}`);
      assert.equal(await page.inputValue('#f-country'), name);
      assert.match(new URL(page.url()).search, new RegExp(`country=${code}`));
    }
    // A code from a link shows as the country's name.
    const { page: linked } = await open('/?country=IQ');
    await linked.waitForFunction(() => document.getElementById('f-country').value === 'Iraq');
    assert.match(await linked.locator('#status').innerText(), /^1 incident in view/);
    await linked.close();

    await page.fill('#f-country', 'Atlantis');
    await page.press('#f-country', 'Tab');
    await page.waitForFunction(() => /No country is called/.test(document.getElementById('f-country').validationMessage));
    await page.close();
  });

  test('counts read alike in the status line, the histogram and the legend; samples claim no confidence', async () => {
    const { page } = await open('/?map=8/14/12');
    assert.match(await page.locator('#status').innerText(), /^1 incident in view\./);
    assert.match(await page.locator('#timeline-caption').innerText(), /^1 incident from/);
    await page.evaluate(() => window.incidentmap.focusIncident(String(window.incidentmap.features[0].id), true));
    const popup = page.locator('.leaflet-popup-content');
    await popup.locator('.badge-sample').waitFor();
    assert.doesNotMatch(await popup.innerText(), /Confidence|extracted automatically/);

    await page.goto(`${env.server.url}/?start=2020-01-01&end=2020-12-31`);
    await ready(page);
    const status = Number((await page.locator('#status').innerText()).match(/^([\d,]+) incidents? in view/)[1].replace(/,/g, ''));
    const caption = Number((await page.locator('#timeline-caption').innerText()).match(/^([\d,]+) incidents? in the chosen dates/)[1].replace(/,/g, ''));
    assert.equal(caption, status, 'the histogram caption and the status line count the same incidents');
    await page.getByRole('button', { name: /Lashkar Gah/ }).first().click();
    await popup.getByText(/Confidence/).waitFor();
    assert.match(await popup.innerText(), /80% \(extracted automatically from the article\)/);
    await page.close();
  });

  test('place names give context at every zoom, more of them closer in, none overlapping', async () => {
    const labelsAt = async (page, path) => {
      await page.goto(`${env.server.url}${path}`);
      await ready(page);
      await page.waitForFunction(() => window.incidentmap.labels.loads > 0);
      return page.evaluate(() => window.incidentmap.labels.drawn.map((d) => d.name));
    };
    const { page } = await open();
    const far = await labelsAt(page, '/?map=4/32/65');
    assert.ok(far.includes('Kabul'), `zoom 4 names capitals: ${far.join(', ')}`);
    assert.ok(!far.includes('Mūsá Qal‘ah'), 'zoom 4 leaves out district towns');
    const mid = await labelsAt(page, '/?map=7/32/65');
    assert.ok(mid.includes('Helmand') && mid.includes('Lashkar Gāh'), `zoom 7 names admin1 areas and their seats: ${mid.join(', ')}`);
    assert.ok(mid.length > far.filter((n) => mid.includes(n)).length, 'zoom 7 adds names');
    const near = await labelsAt(page, '/?map=9/31.9/64.4');
    for (const want of ['Helmand', 'Lashkar Gāh', 'Mūsá Qal‘ah', 'Sangīn', 'Gereshk']) {
      assert.ok(near.includes(want), `zoom 9 lacks ${want}: ${near.join(', ')}`);
    }
    const rects = await page.evaluate(() => [...document.querySelectorAll('.place-label, .country-label span')].map((e) => {
      const r = e.getBoundingClientRect();
      return { t: e.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    }));
    assert.ok(rects.length >= near.length);
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i], rects[j]];
        const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        assert.ok(!overlap, `"${a.t}" overlaps "${b.t}"`);
      }
    }
    await screenshot(page, 'helmand-z9-labels');

    // Hovering an incident names its place and the place's hierarchy.
    const at = await page.evaluate(() => {
      const app = window.incidentmap;
      const f = app.features.find((x) => x.properties.location === 'Lashkar Gah');
      const p = app.map.latLngToContainerPoint(app.markerById.get(String(f.id)).getLatLng());
      const box = app.map.getContainer().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.move(at.x, at.y);
    await page.locator('.leaflet-tooltip', { hasText: 'Lashkar Gah, Helmand, AF' }).waitFor();
    assert.deepEqual(env.browser.blocked, [], 'labels come from this server only');
    await page.close();
  });

  test('the about panel gives each dataset with its count, credit and licence, the legend and what the numbers mean', async () => {
    const { page } = await open('/?map=5/32/60');
    // The attribution names the datasets of the incidents in view.
    await page.locator('.leaflet-control-attribution', { hasText: 'Incidents: ACLED, UCDP GED, Extracted from news articles' }).waitFor();
    assert.match(await page.locator('.leaflet-control-attribution').innerText(), /GeoNames \(CC BY 4\.0\).*Natural Earth/);

    // The list is a feed: newest first, each entry with its source.
    const list = await page.locator('#list').innerText();
    for (const want of ['Source: ACLED', 'Source: UCDP GED', 'Source: Bulletin']) assert.ok(list.includes(want), `the list lacks ${want}`);
    const dates = await page.locator('#list .when').allInnerTexts();
    assert.deepEqual(dates, [...dates].sort().reverse(), 'the list runs newest first');

    await page.click('#about-open');
    const dialog = page.getByRole('dialog', { name: 'About this map' });
    await dialog.waitFor();
    await dialog.locator('[data-dataset="acled"]').waitFor();
    const rows = await dialog.locator('tbody tr').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.dataset, [...tr.cells].map((c) => c.textContent)])));
    const want = { acled: 1, ucdp: 1, extracted: 1, sample: 1, other: fixtures().length - 4 };
    for (const [key, n] of Object.entries(want)) {
      assert.ok(rows[key], `no row for ${key}: ${JSON.stringify(rows)}`);
      assert.equal(rows[key][1], String(n), `${key} count`);
      assert.ok(rows[key][2].length > 10 && rows[key][3].length > 5, `${key} has a credit and a licence`);
    }
    assert.match(rows.ucdp[3], /CC BY 4\.0/);
    assert.match(rows.acled[2], /acleddata\.com/);
    assert.equal(await dialog.locator('[data-total]').innerText(), String(fixtures().length));
    const text = await dialog.innerText();
    for (const want of ['What confidence means', 'What precision means', 'at the named town itself', 'Size: fatalities',
      'Groups and samples', 'Heat map', 'GeoNames', 'Natural Earth']) {
      assert.ok(text.includes(want), `the about panel lacks ${JSON.stringify(want)}`);
    }
    assert.ok(await page.evaluate(() => document.getElementById('about').contains(document.activeElement)), 'focus moved into the dialog');
    await screenshot(page, 'about');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('about').open && document.activeElement.id === 'about-open');

    // The attribution's link opens it too.
    await page.click('.leaflet-control-attribution a.about-link');
    await dialog.waitFor();
    await page.close();
  });

  test('axe-core finds no accessibility violations: map, popup, labels, about panel, phone', async () => {
    const { page } = await open('/?map=9/31.9/64.4&shade=1');
    await page.waitForFunction(() => window.incidentmap.labels.loads > 0 && window.incidentmap.choropleth.loads > 0);
    await page.click('#summary summary');
    await page.waitForFunction(() => window.incidentmap.summary.loads > 0);
    assert.deepEqual(await axeViolations(page), [], 'Helmand at zoom 9, with the area summary and the countries shaded');
    await page.getByRole('button', { name: /Musa Qala/ }).first().click();
    // Leaflet fades popups in: axe would measure the contrast half-way.
    await page.waitForFunction(() => {
      const p = document.querySelector('.leaflet-popup');
      return p && getComputedStyle(p).opacity === '1';
    });
    assert.deepEqual(await axeViolations(page), [], 'with a popup open');
    await page.click('#about-open');
    await page.locator('#about [data-dataset="acled"]').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'with the about panel open');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.server.url}/?map=3/20/10`);
    await ready(page);
    assert.deepEqual(await axeViolations(page), [], 'on a phone');
    await page.close();
  });

  test('a lone incident marker takes the keyboard focus; Enter opens its popup, Escape comes back', async () => {
    const { page } = await open('/?map=11/32.4456/64.7449');
    const marker = page.getByRole('button', { name: /^Battles, Musa Qala, 2019-09-23/ });
    await marker.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement.closest('.leaflet-popup') && /Seven fighters/.test(document.activeElement.textContent));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement.classList.contains('incident-wrap'));
    assert.match(await page.evaluate(() => document.activeElement.title), /Musa Qala/);
    await page.close();
  });

  test('a writer sees the article\'s date line as the published date and the preview above saved incidents', async () => {
    const { page } = await open('/?map=9/31.6/64.4');
    await page.click('#writer summary');
    await page.fill('#w-token', TOKEN);
    await page.fill('#w-text', 'date 2020-03-04\nA roadside bomb exploded in Lashkar Gah, the capital of Helmand province, ' +
      'on Tuesday, killing two civilians, a provincial spokesman said.');
    assert.equal(await page.inputValue('#w-date'), '2020-03-04');
    await page.click('#w-preview');
    await page.locator('#w-status', { hasText: /found|No incident/ }).waitFor();
    const hit = await page.evaluate(() => {
      const path = document.querySelector('.leaflet-preview-pane path');
      if (!path) return 'no preview marker';
      const r = path.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top && top.closest('.leaflet-preview-pane') ? 'preview' : `${top && top.className}`;
    });
    assert.equal(hit, 'preview', 'the preview marker is the topmost thing at its place');
    await screenshot(page, 'writer-preview-on-top');
    await page.click('#w-discard');
    await page.close();
  });

  test('admin1 and actor fields filter, and the time slider plays the period month by month', async () => {
    const { page } = await open('/?map=7/31.9/64.4');
    const count = async () => {
      const q = await page.evaluate(() => window.incidentmap.lastQuery);
      const [shown, api] = [await page.evaluate(() => window.incidentmap.total), await countAPI(env.server.url, q)];
      assert.equal(shown, api, `the page shows ${shown} for ${q}, the API lists ${api}`);
      return shown;
    };
    const all = await count();
    await settle(page, async () => {
      await page.fill('#f-actor', 'taliban');
      await page.press('#f-actor', 'Tab');
    });
    assert.equal(await count(), 1);
    assert.match(page.url(), /actor=taliban/);
    await settle(page, async () => {
      await page.fill('#f-actor', '');
      await page.fill('#f-admin1', 'Helmand');
      await page.press('#f-admin1', 'Tab');
    });
    assert.equal(await count(), all, 'every incident of this view is in Helmand');

    await page.selectOption('#play-unit', 'month');
    await page.click('#play');
    const seen = [];
    for (let step = 1; step <= 3; step++) {
      await page.waitForFunction((n) => window.incidentmap.player.steps >= n && document.body.dataset.state === 'ready', step);
      const [start, end] = [await page.inputValue('#f-start'), await page.inputValue('#f-end')];
      assert.match(start, /^\d{4}-\d{2}-01$/, 'a step starts on the first of a month');
      assert.equal(end.slice(0, 7), start.slice(0, 7), `a step is one month: ${start}..${end}`);
      seen.push(start);
      if (step === 1) await screenshot(page, 'time-slider-playing');
    }
    assert.ok(seen[0] < seen[1] && seen[1] < seen[2], `steps move forward: ${seen}`);
    assert.equal(seen[0], '2019-09-01', 'playing starts at the first month with data');
    assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
    await page.click('#play');
    assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
    await ready(page);
    await count();
    await page.close();
  });

  test('the summary counts incidents and fatalities by area for the view; a row filters to its area', async () => {
    const { page } = await open('/?map=5/32/60');
    await page.click('#summary summary');
    await page.waitForFunction(() => window.incidentmap.summary.loads > 0);
    const rows = await page.locator('#summary-rows tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const q = new URLSearchParams(await page.evaluate(() => window.incidentmap.lastQuery));
    const helmand = rows.find((r) => r[0] === 'Helmand, AF');
    assert.ok(helmand, `no Helmand row: ${JSON.stringify(rows)}`);
    q.set('admin1', 'Helmand');
    assert.equal(Number(helmand[1]), await countAPI(env.server.url, q.toString()), 'Helmand incidents');
    assert.equal(rows.reduce((s, r) => s + Number(r[1].replace(/,/g, '')), 0), await page.evaluate(() => window.incidentmap.total), 'the rows add up to the view');
    await settle(page, () => page.getByRole('button', { name: 'Helmand, AF' }).click());
    assert.match(page.url(), /admin1=Helmand/);
    assert.equal(await page.inputValue('#f-admin1'), 'Helmand');
    await page.waitForFunction(() => window.incidentmap.summary.loads > 1 && document.querySelectorAll('#summary-rows tr').length === 1);
    await page.selectOption('#summary-by', 'country');
    await page.waitForFunction(() => document.querySelector('#summary-rows th').textContent === 'AF');
    await page.close();
  });

  test('the page has a favicon and asks for nothing that is missing', async () => {
    const page = await env.browser.context.newPage();
    const failed = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await openMap(page, env.server.url, '/?map=8/31.9/64.5');
    await ready(page);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    for (const path of [href, '/favicon.ico']) {
      const res = await fetch(env.server.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type'), /^image\/svg\+xml/, path);
      assert.match(await res.text(), /<svg/);
    }
    assert.deepEqual(failed, []);
    await page.close();
  });
});

describe('a private server (serve --private)', { skip: missing || false }, () => {
  let readerKey = '';
  const env = serveForSuite(bin, 'private', async (url) => {
    await postIncidents(url, fixtures());
    const res = await fetch(`${url}/api/keys`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ name: 'analyst', role: 'reader' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    readerKey = (await res.json()).key;
  }, { args: ['--private'] });

  test('the page asks for a key, keeps it for the tab only and never puts it in an address', async () => {
    const page = await env.browser.context.newPage();
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    await openMap(page, env.server.url, '/?map=6/32/64');
    await page.waitForFunction(() => document.getElementById('key').open);
    assert.equal(await page.evaluate(() => window.incidentmap.visibleCounts().incidents), 0, 'nothing is drawn without a key');
    assert.match(await page.textContent('#key-why'), /private/);
    assert.deepEqual(await axeViolations(page), [], 'with the key dialog open');

    await page.fill('#key-input', 'not-a-key-of-this-server');
    await page.click('#key button[type=submit]');
    await page.waitForFunction(() => /refused/.test(document.getElementById('key-why').textContent));
    assert.ok(await page.evaluate(() => document.getElementById('key').open), 'a wrong key leaves the dialog open');

    await settle(page, async () => {
      await page.fill('#key-input', readerKey);
      await page.click('#key button[type=submit]');
    });
    assert.ok(!(await page.evaluate(() => document.getElementById('key').open)));
    const got = await page.evaluate(() => ({ q: window.incidentmap.lastQuery, shown: window.incidentmap.visibleCounts().incidents }));
    const want = await countAPI(env.server.url, got.q, readerKey);
    assert.ok(want > 0);
    assert.equal(got.shown, want, 'the map draws what the API lists for the key');
    await page.waitForFunction(() => window.incidentmap.labels.drawn.length > 0);
    assert.ok(await page.isVisible('#key-bar'));

    // Reloading the tab keeps the key; a download sends it in a header.
    await page.reload();
    await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state === 'ready');
    assert.ok(!(await page.evaluate(() => document.getElementById('key').open)));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
    assert.equal(dl.suggestedFilename(), 'incidents.csv');
    const csv = readFileSync(await dl.path(), 'utf8');
    assert.equal(csv.trim().split('\n').length - 1, want, 'the CSV holds the view');

    const stored = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: Object.keys(localStorage), cookie: document.cookie }));
    assert.deepEqual(stored.session, [readerKey]);
    assert.deepEqual(stored.local, ['incidentmap.lastVisit'], 'the browser keeps no more than the time of the last visit (live.js)');
    assert.equal(stored.cookie, '');
    urls.push(page.url());
    for (const u of urls) assert.ok(!u.includes(readerKey), `the key is in an address: ${u}`);
    assert.ok(!env.server.log().includes(readerKey), 'the key is in the server log');

    // Another tab does not get it; forgetting it asks again.
    const other = await env.browser.context.newPage();
    await openMap(other, env.server.url, '/');
    await other.waitForFunction(() => document.getElementById('key').open);
    await other.close();
    await page.click('#key-forget');
    await page.waitForFunction(() => document.getElementById('key') && document.getElementById('key').open);
    assert.deepEqual(await page.evaluate(() => Object.values(sessionStorage)), []);
    await page.close();
  });
});

// The map page's smoke test on the PostGIS store: the real binary serving
// `--db postgres://…` from a database of its own on the test server
// (INCIDENTMAP_TEST_POSTGRES, which .ci/run sets), created for this run and
// dropped after it. The page loads, the store's incidents show on the map
// (the server's clusters at world view, markers closer in) and in the list,
// a popup opens, and filters narrow the view as the API does. Without a
// server the suite is skipped with the reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertMatchesAPI, build, filterDates, incident, openMap, postIncidents, postgresMissing, requirements, screenshot, serveForSuite, settle, tempDir,
} from './harness.mjs';

const missing = requirements() || postgresMissing();
const binDir = tempDir('incidentmap-e2e-pg-bin-');
process.on('exit', binDir.cleanup);
const bin = missing ? '' : build(binDir.dir);

// More incidents than the page draws one by one (2,000), so the world view
// is the PostGIS store's clusters; Helmand holds few enough for markers.
const BACKGROUND = 2100;

function fixtures() {
  const out = [
    incident(64.7449, 32.4456, {
      event_date: '2019-09-23', event_type: 'Battles', sub_event_type: 'Armed clash', fatalities: 7,
      actor1: 'Taliban', location: 'Musa Qala', admin1: 'Helmand', country: 'AF', geo_precision: 2,
      sources: [{ url: 'https://example.org/helmand-report', title: 'District report',
        evidence: 'Seven fighters died in a clash outside Musa Qala on Monday.' }],
    }),
    incident(64.3692, 31.583, {
      event_date: '2020-03-02', event_type: 'Explosions/Remote violence', fatalities: 2, location: 'Lashkar Gah',
      admin1: 'Helmand', country: 'AF', geo_precision: 1,
    }),
  ];
  for (let i = 0; i < 10; i++) {
    out.push(incident(64.2 + (i % 4) * 0.1, 31.7 + Math.floor(i / 4) * 0.1, {
      event_date: `${2019 + (i % 3)}-${String(1 + i).padStart(2, '0')}-10`, event_type: 'Battles', fatalities: i % 3,
      location: `Village ${i}`, admin1: 'Helmand', country: 'AF',
    }));
  }
  // The background, away from Helmand: West Africa to the Levant.
  for (let k = 0; k < BACKGROUND; k++) {
    out.push(incident(-10 + ((k * 7919) % 5000) / 100, 5 + ((k * 104729) % 3000) / 100, {
      event_date: `${2018 + (k % 4)}-0${1 + (k % 9)}-1${k % 10}`, event_type: k % 2 ? 'Riots' : 'Protests', fatalities: k % 4,
    }));
  }
  return out;
}

describe('map page on the PostGIS store', { skip: missing || false }, () => {
  const env = serveForSuite(bin, 'pg', async (url) => {
    const all = fixtures();
    for (let i = 0; i < all.length; i += 1000) await postIncidents(url, all.slice(i, i + 1000));
  }, { postgis: true });

  async function open(path) {
    const page = await env.browser.context.newPage();
    const errors = await openMap(page, env.server.url, path);
    return { page, errors };
  }

  test('the world view draws the store\'s clusters and lists its newest incidents', async () => {
    const { page, errors } = await open('/');
    assert.equal(await page.evaluate(() => window.incidentmap.mode), 'clusters');
    const n = await assertMatchesAPI(page, env.server.url);
    assert.equal(n, fixtures().length);
    assert.ok(await page.locator('#list li').count() > 0, 'the list is empty');
    assert.match(await page.locator('#list-heading').innerText(), /\(2,112\)/);
    await screenshot(page, 'postgis-world');
    assert.deepEqual(errors, []);
    assert.deepEqual(env.browser.blocked, [], 'requests to other hosts');
    await page.close();
  });

  test('closer in, each incident is a marker and a list entry; one opens its popup', async () => {
    const { page, errors } = await open('/?map=8/31.9/64.5');
    assert.equal(await page.evaluate(() => window.incidentmap.mode), 'incidents');
    const n = await assertMatchesAPI(page, env.server.url);
    assert.equal(n, 12, 'Helmand holds its 12 incidents and none of the background');
    assert.equal(await page.locator('#list li').count(), n);
    await page.getByRole('button', { name: /Musa Qala/ }).first().click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    const text = await popup.innerText();
    for (const want of ['Battles — Armed clash', '2019-09-23', 'Musa Qala, Helmand, AF', 'Seven fighters died in a clash']) {
      assert.ok(text.includes(want), `popup lacks ${JSON.stringify(want)}:\n${text}`);
    }
    assert.equal(await popup.getByRole('link', { name: 'District report' }).getAttribute('href'), 'https://example.org/helmand-report');
    await screenshot(page, 'postgis-popup');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a date filter and a text search narrow the view as the API does', async () => {
    const { page } = await open('/?map=8/31.9/64.5');
    await filterDates(page, '2020-01-01', '2020-12-31');
    const in2020 = await assertMatchesAPI(page, env.server.url);
    assert.equal(in2020, 4, 'Lashkar Gah and three villages are of 2020');
    assert.equal(await page.locator('#list li').count(), in2020);

    await settle(page, () => page.fill('#f-q', 'lashkar'));
    assert.equal(await assertMatchesAPI(page, env.server.url), 1);
    assert.match(await page.locator('#list li').innerText(), /Lashkar Gah/);
    await page.close();
  });
});

// Browser tests of the live map and the review queue: the page hears of
// incidents through GET /api/events without reloading, marks them new, and
// a writer works through the queue of what was read from articles.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TOKEN, build, countAPI, incident, openMap, postIncidents, requirements, screenshot, serveForSuite, tempDir } from './harness.mjs';

const missing = requirements();
const binDir = tempDir('incidentmap-e2e-live-bin-');
process.on('exit', binDir.cleanup);
const bin = missing ? '' : build(binDir.dir);

// Articles written for these tests; each gives one incident.
const ARTICLES = {
  bannu: 'date 2023-05-12\nTwo policemen were killed when gunmen attacked a checkpoint in Bannu district on Thursday, officials said.',
  lashkar: 'date 2024-05-02\nGunmen attacked a police checkpoint in Lashkar Gah, the capital of Helmand province, on Wednesday, ' +
    'killing four policemen, a provincial spokesman said.',
  musaQala: 'date 2019-09-25\nSeven fighters died in a clash with soldiers outside Musa Qala in Helmand province on Monday, ' +
    'a district official said.',
  kunduz: 'date 2023-06-01\nThree civilians were killed when a mortar shell hit a house in Kunduz city on Tuesday, police said.',
};

async function api(base, method, path, body, token = TOKEN) {
  const res = await fetch(base + path, {
    method, headers: token ? { Authorization: `Bearer ${token}` } : {}, body: typeof body === 'string' ? body : body && JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

describe('live map and review queue', { skip: missing || false }, () => {
  const queued = {}; // article name → the id of its queued incident
  let target = ''; // a published incident the Musa Qala report repeats
  const env = serveForSuite(bin, 'live', async (url) => {
    for (const [name, text] of Object.entries(ARTICLES)) {
      const fc = await api(url, 'POST', '/api/articles', text);
      assert.equal(fc.features.length, 1, `${name}: ${JSON.stringify(fc)}`);
      queued[name] = fc.features[0].id;
    }
    // Stored after the report was read (else ingesting would have merged
    // it): the incident the Musa Qala report repeats, as an analyst had it.
    const mq = (await api(url, 'GET', `/api/incidents/${queued.musaQala}`)).properties;
    const made = await postIncidents(url, [incident(64.7449, 32.4456, {
      event_date: mq.event_date, event_type: mq.event_type, fatalities: 6, location: 'Musa Qala', admin1: 'Helmand', country: 'AF',
      geo_precision: 1, sources: [{ url: 'https://example.org/analyst-report', evidence: 'Six fighters were killed near Musa Qala.' }],
    })]);
    target = made.features[0].id;
  });

  async function open(path) {
    const page = await env.browser.context.newPage();
    const errors = await openMap(page, env.server.url, path);
    await page.waitForFunction(() => document.body.dataset.live === 'open');
    return { page, errors };
  }

  test('an incident published elsewhere appears on an open map, marked new, without a reload', async () => {
    const { page, errors } = await open('/?map=7/32.2/64.6');
    await page.evaluate(() => { window.__sameDocument = true; });
    const before = await page.evaluate(() => window.incidentmap.total);
    await postIncidents(env.server.url, [incident(65.6, 31.6, { // far enough from Musa Qala not to be grouped with it
      event_date: '2024-06-01', event_type: 'Protests', fatalities: 0, location: 'Live Town', country: 'AF',
    })]);
    await page.waitForFunction((n) => window.incidentmap.total === n + 1 && document.body.dataset.state === 'ready', before);
    const item = page.locator('#list li', { hasText: 'Live Town' });
    await item.locator('.badge-new').waitFor();
    assert.ok(await page.evaluate(() => window.__sameDocument), 'the page was reloaded');
    assert.equal(await page.locator('.incident-dot.new').count(), 1, 'one marker is marked new');
    // Something published outside the view changes nothing in it.
    const events = await page.evaluate(() => window.incidentmap.liveEvents);
    const loadsNow = await page.evaluate(() => window.incidentmap.loads);
    await postIncidents(env.server.url, [incident(-99.1, 19.4, { event_date: '2024-06-01', event_type: 'Protests', location: 'Far Away', country: 'MX' })]);
    await page.waitForFunction((n) => window.incidentmap.liveEvents > n, events);
    assert.equal(await page.evaluate(() => window.incidentmap.loads), loadsNow, 'an incident outside the view reloaded it');
    await screenshot(page, 'live-new');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a writer reviews the queue: most confident first, evidence marked; accept, edit, reject, merge', async () => {
    const { page, errors } = await open('/?map=5/33/67');
    const published = await countAPI(env.server.url, 'bbox=-180,-90,180,90');
    // Pages of 3, so that the queue of 4 takes two: the server sorts and
    // pages it, the panel shows its order as it comes.
    await page.evaluate(() => { document.getElementById('review').dataset.page = '3'; });
    await page.click('#review summary');
    await page.locator('#r-status', { hasText: /write token/ }).waitFor();
    await page.fill('#r-token', TOKEN);
    await page.press('#r-token', 'Tab');
    const list = page.locator('#r-list li');
    const serverOrder = (await api(env.server.url, 'GET', '/api/incidents?status=unreviewed&sort=-confidence')).features.map((f) => String(f.id));
    assert.equal(serverOrder.length, Object.keys(queued).length);
    await page.waitForFunction(() => document.querySelectorAll('#r-list li').length === 3);
    await page.locator('#r-status', { hasText: /more wait/ }).waitFor();
    assert.deepEqual(await list.evaluateAll((lis) => lis.map((li) => li.dataset.id)), serverOrder.slice(0, 3));
    await page.getByRole('button', { name: 'Show more' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('#r-list li').length === n, Object.keys(queued).length);
    assert.deepEqual(await list.evaluateAll((lis) => lis.map((li) => li.dataset.id)), serverOrder);
    assert.ok(await page.getByRole('button', { name: 'Show more' }).isHidden(), 'Show more stays when nothing more waits');
    const order = await list.evaluateAll((lis) => lis.map((li) => Number(li.dataset.confidence || -1)));
    assert.deepEqual(order, [...order].sort((a, b) => b - a), `the queue is not most confident first: ${order}`);
    const entry = (name) => page.locator(`#r-list li[data-id="${queued[name]}"]`);
    assert.equal(await entry('lashkar').locator('.evidence mark', { hasText: 'Lashkar Gah' }).count(), 1, 'the place is marked in the evidence');
    // The article it was read from, the evidence marked where it stands.
    await entry('lashkar').getByRole('button', { name: 'Read the article' }).click();
    const evidence = await entry('lashkar').locator('.evidence').first().innerText();
    const marked = entry('lashkar').locator('.article-text mark');
    await marked.waitFor();
    assert.equal(await marked.innerText(), evidence);
    assert.match(await entry('lashkar').locator('.article-text').innerText(), /provincial spokesman said/);
    await screenshot(page, 'review-queue');

    // Accept: readers see it, and the open map learns of it live.
    await entry('bannu').getByRole('button', { name: 'Accept' }).click();
    await entry('bannu').waitFor({ state: 'detached' });
    assert.equal(await countAPI(env.server.url, 'bbox=-180,-90,180,90'), published + 1);

    // Edit, then accept.
    await entry('lashkar').getByRole('button', { name: 'Edit' }).click();
    await entry('lashkar').getByLabel('Fatalities').fill('5');
    await entry('lashkar').getByRole('button', { name: 'Save and accept' }).click();
    await entry('lashkar').waitFor({ state: 'detached' });
    const edited = await api(env.server.url, 'GET', `/api/incidents/${queued.lashkar}`, undefined, '');
    assert.equal(edited.properties.fatalities, 5);

    // Reject needs a reason.
    await entry('kunduz').getByRole('button', { name: 'Reject…' }).click();
    await entry('kunduz').getByRole('button', { name: 'Reject', exact: true }).click();
    await entry('kunduz').getByRole('alert').filter({ hasText: /Say why/ }).waitFor();
    await entry('kunduz').getByLabel('Reason').fill('a training exercise, not an attack');
    await entry('kunduz').getByRole('button', { name: 'Reject', exact: true }).click();
    await entry('kunduz').waitFor({ state: 'detached' });
    assert.equal(await countAPI(env.server.url, 'bbox=-180,-90,180,90&status=rejected', TOKEN), 1);

    // Merge into the stored incident it repeats, offered as the candidate.
    await entry('musaQala').getByRole('button', { name: 'Merge…' }).click();
    const pick = entry('musaQala').getByLabel('Merge into');
    await pick.waitFor();
    assert.equal(await pick.inputValue(), target);
    await entry('musaQala').getByRole('button', { name: 'Merge', exact: true }).click();
    await entry('musaQala').waitFor({ state: 'detached' });
    const merged = await api(env.server.url, 'GET', `/api/incidents/${target}`, undefined, '');
    assert.equal(merged.properties.sources.length, 2, JSON.stringify(merged.properties.sources));

    await page.waitForFunction(() => document.querySelectorAll('#r-list li').length === 0);
    assert.equal(await countAPI(env.server.url, 'bbox=-180,-90,180,90&status=unreviewed', TOKEN), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

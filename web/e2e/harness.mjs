// Shared by the browser tests and the performance script: builds and starts
// the real incidentmap binary on a temporary database, drives Debian's
// Chromium through playwright-core with no network beyond this machine, and
// saves screenshots.
import { spawn, execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = process.env.ARTIFACTS ? join(process.env.ARTIFACTS, 'e2e') : join(ROOT, 'web', 'e2e', 'out');
export const TOKEN = 'e2e-test-token-0123456789';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** requirements returns why the browser tests cannot run here, or ''. */
export function requirements() {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`;
  if (!existsSync(join(ROOT, 'web', 'page', 'vendor', 'ok.txt'))) return 'vendor assets missing: run `npm ci && npm run assets`';
  return '';
}

// The PostgreSQL server the PostGIS runs use, as for the Go tests
// (internal/store/storetest): .ci/postgres start DIR prints one.
const POSTGRES_ENV = 'INCIDENTMAP_TEST_POSTGRES';

/** postgresMissing returns why the PostGIS store cannot be tested here, or ''. */
export function postgresMissing() {
  if (!process.env[POSTGRES_ENV]) {
    return `PostGIS store not tested: ${POSTGRES_ENV} is not set (.ci/postgres start DIR starts a throwaway server and prints its URL)`;
  }
  try {
    execFileSync('psql', ['--version'], { stdio: 'ignore' });
  } catch {
    return `PostGIS store not tested: no psql to create its database (apt-get install -y postgresql-client)`;
  }
  return '';
}

/** psql runs one SQL statement on the test server's maintenance database. */
function psql(sql) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', process.env[POSTGRES_ENV], '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * postgresDatabase creates a database of its own on the test server for
 * one run (the store's migrations add PostGIS to it) and returns its URL
 * and drop, which removes it, closing any connection a killed server left.
 */
export function postgresDatabase(prefix) {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  psql(`CREATE DATABASE ${name}`);
  const u = new URL(process.env[POSTGRES_ENV]);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** build compiles cmd/incidentmap into dir (or uses INCIDENTMAP_BIN) and returns its path. */
export function build(dir) {
  if (process.env.INCIDENTMAP_BIN) return process.env.INCIDENTMAP_BIN;
  const bin = join(dir, 'incidentmap');
  execFileSync('go', ['build', '-o', bin, './cmd/incidentmap'], { cwd: ROOT, stdio: 'inherit' });
  return bin;
}

/**
 * startServer runs `incidentmap serve` on a free loopback port over a new
 * database and resolves once it listens and says its places are loaded
 * (the page asks for place labels). Extra args go after the defaults.
 */
export async function startServer({ bin, db, args = [] }) {
  const proc = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--db', db, ...args], {
    env: { ...process.env, INCIDENTMAP_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${out}\n${log}`)), 30_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m && /^Places loaded:/m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}\n${log}`));
    });
  });
  proc.removeAllListeners('exit');
  return {
    url,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

/** post sends features to POST /api/incidents with the test token. */
export async function postIncidents(base, features) {
  const res = await fetch(`${base}/api/incidents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/geo+json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ type: 'FeatureCollection', features }),
  });
  if (!res.ok) throw new Error(`POST /api/incidents: HTTP ${res.status}: ${await res.text()}`);
  return res.json();
}

/** countAPI pages through /api/incidents with query and returns how many incidents it lists. */
export async function countAPI(base, query, token = '') {
  let next = `${base}/api/incidents?${query}&limit=1000`;
  let n = 0;
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  while (next) {
    const res = await fetch(next, { headers });
    if (!res.ok) throw new Error(`GET ${next}: HTTP ${res.status}: ${await res.text()}`);
    const fc = await res.json();
    n += fc.features.length;
    const link = (fc.links || []).find((l) => l.rel === 'next');
    next = link ? link.href : '';
  }
  return n;
}

/**
 * assertMatchesAPI checks that the page's count and what its map holds
 * (markers plus cluster counts) equal what the API lists for the page's
 * last query at base, and returns that number.
 */
export async function assertMatchesAPI(page, base) {
  const got = await page.evaluate(() => ({ q: window.incidentmap.lastQuery, total: window.incidentmap.total, shown: window.incidentmap.visibleCounts() }));
  const want = await countAPI(base, got.q);
  assert.equal(got.total, want, `page says ${got.total} incidents for ${got.q}, the API lists ${want}`);
  assert.equal(got.shown.incidents, want, `markers and clusters on the map hold ${got.shown.incidents}, the API lists ${want}`);
  return want;
}

/**
 * launch starts headless Chromium with a fresh profile and no background
 * traffic, and returns a context whose requests may reach only localhost.
 * blocked lists every request that tried to leave the machine.
 */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'incidentmap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions'],
    viewport: { width: 1280, height: 800 },
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
      blocked.push(u.toString());
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** openMap loads the page at path and waits until its first load settles. */
export async function openMap(page, base, path = '/') {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + path);
  await page.waitForFunction(() => window.incidentmap && window.incidentmap.loads > 0 && document.body.dataset.state !== 'loading');
  return errors;
}

/** settle waits for the page's next finished load after action. */
export async function settle(page, action) {
  const before = await page.evaluate(() => window.incidentmap.loads);
  await action();
  await page.waitForFunction((n) => window.incidentmap.loads > n && document.body.dataset.state !== 'loading', before);
}

/**
 * filterDates types a period into the page's date filter, waits for the
 * load it causes and checks that the page asked the API for that period.
 */
export async function filterDates(page, start, end) {
  await settle(page, async () => {
    await page.fill('#f-start', start);
    await page.fill('#f-end', end);
    await page.locator('#f-end').dispatchEvent('change');
  });
  const q = new URLSearchParams(await page.evaluate(() => window.incidentmap.lastQuery));
  assert.equal(q.get('start'), start);
  assert.equal(q.get('end'), end);
}

/**
 * overlappingMarkers lists the pairs of marker circles on screen that cover
 * each other, measured on the drawn elements (a group's 4 px ring counted).
 */
export async function overlappingMarkers(page) {
  return page.evaluate(() => {
    const box = document.getElementById('map').getBoundingClientRect();
    const circles = [];
    for (const el of document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')) {
      const r = el.getBoundingClientRect();
      const c = { x: r.left + r.width / 2, y: r.top + r.height / 2, r: r.width / 2 + (el.classList.contains('cluster-wrap') ? 4 : 0), t: el.textContent || el.title };
      if (c.x >= box.left && c.x <= box.right && c.y >= box.top && c.y <= box.bottom) circles.push(c);
    }
    const out = [];
    for (let i = 0; i < circles.length; i++) {
      for (let j = i + 1; j < circles.length; j++) {
        const [a, b] = [circles[i], circles[j]];
        const d = Math.hypot(a.x - b.x, a.y - b.y);
        if (d < a.r + b.r - 0.5) out.push(`"${a.t}" and "${b.t}" ${d.toFixed(1)} px apart, radii ${a.r} and ${b.r}`);
      }
    }
    return out;
  });
}

/**
 * compositedLayers returns how many compositing layers Chromium draws the
 * page with (DevTools' Layers panel), each rastered and drawn on its own
 * every frame of a pan.
 */
export async function compositedLayers(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const tree = new Promise((resolve) => cdp.on('LayerTree.layerTreeDidChange', (e) => { if (e.layers) resolve(e.layers); }));
    await cdp.send('LayerTree.enable');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))); // a frame, so the tree is sent
    return (await tree).filter((l) => l.drawsContent).length;
  } finally {
    await cdp.detach();
  }
}

/** screenshot saves the page as OUT/name.png. */
export async function screenshot(page, name) {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

/** tempDir makes a directory removed by the returned cleanup. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** incident builds a GeoJSON incident feature for tests. */
export function incident(lon, lat, props) {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { event_date: '2019-09-01', ...props } };
}

/**
 * serveForSuite registers before and after hooks in the calling describe
 * block: start bin over a fresh database (no samples; args added), let seed(url) fill
 * it, launch Chromium; then stop and remove all of it. The database is a
 * GeoPackage file, or with postgis a database of its own on the test
 * server (see postgresMissing). The returned object holds server and
 * browser once the before hook has run.
 */
export function serveForSuite(bin, name, seed, { args = [], postgis = false } = {}) {
  const env = { server: null, browser: null };
  let tmp;
  let pg;
  before(async () => {
    tmp = tempDir(`incidentmap-e2e-${name}-`);
    let db = join(tmp.dir, `${name}.gpkg`);
    if (postgis) {
      pg = postgresDatabase(`incidentmap_e2e_${name}`);
      db = pg.url;
    }
    env.server = await startServer({ bin, db, args: ['--no-samples', ...args] });
    await seed(env.server.url);
    env.browser = await launch();
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.stop();
    if (pg) pg.drop();
    if (tmp) tmp.cleanup();
  });
  return env;
}

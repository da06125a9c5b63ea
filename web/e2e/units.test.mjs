// Unit tests of the page's pure functions, run by Node without a browser:
// the permalink format, link and text safety, and the histogram's buckets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFilters, readState, writeState } from '../page/state.js';
import { dateText, placeText, precisionWords, radiusFor, safeHref, sourceText } from '../page/incident.js';
import { bucketsFromFeatures, fillBuckets } from '../page/timeline.js';
import { bboxParam, filterParams } from '../page/api.js';
import { compactCount, count, plural } from '../page/format.js';
import { mergeOverlapping } from '../page/groups.js';
import { datasetOf } from '../page/about.js';
import { boxCorners } from '../page/places.js';
import { ALPHA2 } from '../page/isocodes.js';
import { table } from '../build/isocodes.mjs';
import { classOf, classes, SHADES } from '../page/choropleth.js';

test('the permalink round-trips view, filters and toggles', () => {
  const state = {
    view: { zoom: 7, lat: 31.9, lon: 64.5 },
    filters: { ...emptyFilters(), start: '2019-01-01', end: '2019-12-31', eventTypes: ['Battles', 'Explosions/Remote violence'],
      country: 'AF', admin1: 'Helmand', actor: 'Taliban', minFatalities: '3', q: 'roadside bomb' },
    heat: true, tiles: false, shade: true,
  };
  const search = writeState(state);
  assert.match(search, /^\?map=7\/31\.9000\/64\.5000&/);
  assert.match(search, /event_type=Battles,Explosions\/Remote\+violence/);
  assert.deepEqual(readState(search), state);
});

test('the permalink drops what it cannot trust', () => {
  for (const [search, check] of [
    ['?map=7/95/10', (s) => assert.equal(s.view, null)],
    ['?map=seven/1/2', (s) => assert.equal(s.view, null)],
    ['?map=40/1/2', (s) => assert.equal(s.view.zoom, 19)],
    ['?start=yesterday&end=2019-02-30x', (s) => assert.deepEqual([s.filters.start, s.filters.end], ['', ''])],
    ['?country=Afghanistan', (s) => assert.equal(s.filters.country, '')],
    ['?country=af', (s) => assert.equal(s.filters.country, 'AF')],
    ['?min_fatalities=-1', (s) => assert.equal(s.filters.minFatalities, '')],
    ['?heat=yes', (s) => assert.equal(s.heat, false)],
  ]) {
    check(readState(search));
  }
});

test('only http and https sources become links', () => {
  assert.equal(safeHref('https://example.org/a?b=1'), 'https://example.org/a?b=1');
  assert.equal(safeHref('http://example.org/'), 'http://example.org/');
  for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>x</script>',
    'vbscript:x', '//example.org/a', 'example.org', '', null, 42]) {
    assert.equal(safeHref(bad), '', `${bad} must not become a link`);
  }
});

test('incidents are described in words', () => {
  assert.equal(precisionWords(1), 'at the named town itself');
  assert.match(precisionWords(4), /country/);
  assert.equal(precisionWords(undefined), 'not stated');
  assert.equal(placeText({ location: 'Musa Qala', admin2: 'Musa Qala', admin1: 'Helmand', country: 'AF' }), 'Musa Qala, Helmand, AF');
  assert.equal(placeText({}), 'place not named');
  assert.equal(dateText({ event_date: '2019-09-01', event_end_date: '2019-09-07', date_precision: 'week' }),
    '2019-09-01 to 2019-09-07 (within a week)');
  assert.ok(radiusFor(100) > radiusFor(1) && radiusFor(1) > radiusFor(null));
  assert.equal(radiusFor(1e9), radiusFor(1e6), 'marker size is capped');
});

test('the histogram has one bucket per day, month or year, gaps included', () => {
  const months = fillBuckets('month', [{ key: '2019-11', count: 2 }, { key: '2020-02', count: 5 }]);
  assert.deepEqual(months, [
    { start: '2019-11-01', end: '2019-11-30', count: 2 },
    { start: '2019-12-01', end: '2019-12-31', count: 0 },
    { start: '2020-01-01', end: '2020-01-31', count: 0 },
    { start: '2020-02-01', end: '2020-02-29', count: 5 },
  ]);
  assert.deepEqual(fillBuckets('year', [{ key: '2018', count: 1 }, { key: '2019', count: 1 }]).map((b) => b.end), ['2018-12-31', '2019-12-31']);
  const days = bucketsFromFeatures([
    { properties: { event_date: '2020-03-01' } }, { properties: { event_date: '2020-03-03' } }, { properties: { event_date: '2020-03-03' } },
  ]);
  assert.deepEqual(days.map((b) => b.count), [1, 0, 2]);
  assert.deepEqual(bucketsFromFeatures([]), []);
});

test('filters use the API parameter names', () => {
  const p = filterParams({ ...emptyFilters(), eventTypes: ['Riots', 'Protests'], minFatalities: '0', country: 'NG' });
  assert.equal(p.toString(), 'event_type=Riots%2CProtests&country=NG&min_fatalities=0');
  assert.equal(bboxParam([-180, -85.051128779, 180.0000001, 85.0511]), '-180,-85.05113,180,85.0511');
});

test('counts are written one way: separators, plurals and compact group labels', () => {
  assert.equal(count(16391), '16,391');
  assert.equal(count(99688), '99,688');
  assert.equal(plural(1, 'incident'), '1 incident');
  assert.equal(plural(0, 'incident'), '0 incidents');
  assert.equal(plural(1200, 'group'), '1,200 groups');
  for (const [n, want] of [[0, '0'], [999, '999'], [1000, '1k'], [1099, '1k'], [1150, '1.1k'], [9999, '9.9k'],
    [10000, '10k'], [16391, '16k'], [999999, '999k'], [1000000, '1M'], [1250000, '1.2M'], [12500000, '12M']]) {
    assert.equal(compactCount(n), want, `compactCount(${n})`);
    assert.ok(compactCount(n).length <= 4, `${compactCount(n)} fits a small circle`);
  }
});

test('groups that would overlap on screen merge into the biggest, and the counts add up', () => {
  const radius = (n) => 10 + Math.log10(n) * 4;
  const items = [
    { x: 0, y: 0, count: 1000 }, { x: 15, y: 0, count: 10 }, // touching: merged into the 1000
    { x: 100, y: 0, count: 50 }, { x: 200, y: 0, count: 5 }, // apart: kept
    { x: 30, y: 15, count: 3 }, // touches the 1000 too: merged, though it touches the 10 as well
  ];
  const groups = mergeOverlapping(items, radius);
  assert.equal(groups.reduce((s, g) => s + g.count, 0), 1068);
  const big = groups.find((g) => g.x === 0);
  assert.equal(big.count, 1013);
  assert.deepEqual(big.members.map((m) => m.count).sort((a, b) => a - b), [3, 10, 1000]);
  for (const a of groups) {
    for (const b of groups) {
      if (a !== b) assert.ok(Math.hypot(a.x - b.x, a.y - b.y) >= radius(a.count) + radius(b.count) + 1, `${a.count} and ${b.count} overlap`);
    }
  }
});

test('each incident is credited to its dataset', () => {
  for (const [props, want] of [
    [{ source_event_id: 'acled:AFG123' }, 'acled'],
    [{ source_event_id: 'ucdp:4711', confidence: 1 }, 'ucdp'],
    [{ source_event_id: 'sample:8', tags: ['sample'], confidence: 1 }, 'sample'],
    [{ tags: ['extracted'], confidence: 0.8 }, 'extracted'],
    [{ confidence: 0.5 }, 'extracted'],
    [{ source_event_id: 'mydata:1' }, 'other'],
    [{}, 'other'],
  ]) {
    assert.equal(datasetOf(props), want, JSON.stringify(props));
  }
});

test('the list names each incident\'s source: publisher, title or dataset', () => {
  assert.equal(sourceText({ sources: [{ url: 'https://x.example/', publisher: 'Example News', title: 'Report' }] }), 'Example News');
  assert.equal(sourceText({ sources: [{ title: 'District report' }] }), 'District report');
  assert.equal(sourceText({ source_event_id: 'acled:AFG1' }), 'ACLED');
  assert.equal(sourceText({ source_event_id: 'ucdp:4711' }), 'UCDP GED');
  assert.equal(sourceText({}), '');
});

test('boxCorners frames a place, across the antimeridian in the next world copy', () => {
  assert.deepEqual(boxCorners([60.5, 29.4, 74.9, 38.5]), [[29.4, 60.5], [38.5, 74.9]]);
  assert.deepEqual(boxCorners([174.5, -21.7, -178.25, -12.5]), [[-21.7, 174.5], [-12.5, 181.75]]);
  assert.equal(boxCorners([64.7, 32.4, 64.705, 32.405]), null);
  assert.equal(boxCorners(undefined), null);
  assert.equal(boxCorners([1, 2, 3]), null);
});

test('the basemap-to-ISO table is what its generator derives from world-atlas and the gazetteer', () => {
  assert.deepEqual(ALPHA2, Object.fromEntries(table()), 'run node web/build/isocodes.mjs');
  for (const [id, cc] of [['004', 'AF'], ['562', 'NE'], ['566', 'NG'], ['250', 'FR'], ['Kosovo', 'XK'], ['Somaliland', 'SO']]) assert.equal(ALPHA2[id], cc, id);
});

test('country shading classes are orders of magnitude, the most always darkest', () => {
  assert.deepEqual(classes(0), [{ min: 1, max: null, colour: SHADES[0] }]);
  assert.deepEqual(classes(12).map((c) => [c.min, c.max, c.colour]), [[1, 9, SHADES[0]], [10, null, SHADES[SHADES.length - 1]]]);
  const million = classes(1_000_000);
  assert.equal(million.length, SHADES.length);
  assert.deepEqual(million.map((c) => c.min), [1, 10, 100, 1000, 10_000, 100_000]);
  assert.equal(classOf(million, 9).min, 1);
  assert.equal(classOf(million, 10).min, 10);
  assert.equal(classOf(million, 999_999).min, 100_000);
});

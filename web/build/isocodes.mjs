// Generates web/page/isocodes.js: the ISO 3166-1 alpha-2 code of each
// country shape of the basemap, for the choropleth. The basemap (npm
// world-atlas) names its shapes by ISO numeric code, the incidents by
// alpha-2; the table is derived from data this repository holds already:
//
//  - a shape holding one country's point in the built-in gazetteer
//    (web/build/gazpoints prints them) takes that country's code;
//  - a shape holding none takes the country whose point lies nearest
//    within about 5 km of it (the smallest countries' points miss the
//    coarse outlines);
//  - else it takes the code most of the gazetteer's populated places
//    inside it are filed under, as GeoNames files them (Natural Earth's
//    areas without an ISO number: Somaliland's towns are filed under SO).
//
//   node web/build/isocodes.mjs     # rewrite web/page/isocodes.js
//
// web/e2e/units.test.mjs checks that the committed table is what table() derives.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const topojson = require('topojson-client');
const OUT = join(root, 'web', 'page', 'isocodes.js');

/** shapes returns the basemap's shapes as {key, name, polys, bbox}; key is the ISO numeric id, or the name when it has none. */
function shapes(detail) {
  const topo = JSON.parse(readFileSync(join(root, 'node_modules', 'world-atlas', `countries-${detail}.json`), 'utf8'));
  return topojson.feature(topo, topo.objects.countries).features.map((f) => {
    const g = f.geometry;
    const polys = !g ? [] : g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of polys) {
      for (const [x, y] of poly[0]) {
        w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
      }
    }
    return { key: f.id ?? f.properties.name, name: f.properties.name, polys, bbox: [w, s, e, n] };
  });
}

// inside says whether [x, y] lies in a polygon with holes (even-odd rule
// over all its rings).
function inside(poly, x, y) {
  let odd = false;
  for (const ring of poly) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

function contains(shape, x, y) {
  const [w, s, e, n] = shape.bbox;
  return x >= w && x <= e && y >= s && y <= n && shape.polys.some((p) => inside(p, x, y));
}

/**
 * gazetteerPoints returns the countries' representative points and the
 * populated places, each {cc, x, y}, as the gazetteer package gives them
 * (web/build/gazpoints prints them).
 */
function gazetteerPoints() {
  const countries = [];
  const places = [];
  const text = execFileSync('go', ['run', './web/build/gazpoints'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const line of text.split('\n')) {
    const [level, cc, lon, lat] = line.split('\t');
    const into = level === 'country' ? countries : level === 'place' ? places : null;
    if (into) into.push({ cc, x: Number(lon), y: Number(lat) });
  }
  return { countries, places };
}

/** table maps every shape key of both basemap details to an alpha-2 code. */
export function table() {
  const { countries, places } = gazetteerPoints();
  const out = new Map();
  for (const detail of ['110m', '50m']) {
    for (const shape of shapes(detail)) {
      const cc = codeOf(shape, countries, places);
      if (!cc) continue; // no country's point near it, no place in it: left unshaded
      const had = out.get(shape.key);
      if (had && had !== cc) throw new Error(`shape ${shape.key} (${shape.name}) is ${had} at one detail and ${cc} at another`);
      out.set(shape.key, cc);
    }
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

// NEAR is how far (degrees, about 5 km) outside a shape's outline a
// country's point may lie and still name it: the gazetteer puts sovereign
// countries at GeoNames' reference points, which for the smallest (Monaco,
// the Vatican) fall just outside Natural Earth's coarse outlines.
const NEAR = 0.05;

// distance returns how far [x, y] lies from a shape: 0 inside it, else the
// distance to its nearest edge in degrees (planar: only small ones matter).
function distance(shape, x, y) {
  const [w, s, e, n] = shape.bbox;
  if (x < w - NEAR || x > e + NEAR || y < s - NEAR || y > n + NEAR) return Infinity;
  if (contains(shape, x, y)) return 0;
  let best = Infinity;
  for (const poly of shape.polys) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        const [[ax, ay], [bx, by]] = [ring[i - 1], ring[i]];
        const len = (bx - ax) ** 2 + (by - ay) ** 2;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len));
        best = Math.min(best, Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))));
      }
    }
  }
  return best;
}

/**
 * codeOf names a shape's country: the one country whose point lies in it
 * (or, for none, nearest within NEAR of it); else the country most of the
 * populated places inside it are filed under (a shape two countries' points
 * fall in, and the areas without an ISO number: Somaliland's towns are
 * filed under SO).
 */
function codeOf(shape, countries, places) {
  const near = countries.map((c) => ({ cc: c.cc, d: distance(shape, c.x, c.y) })).filter((c) => c.d <= NEAR).sort((a, b) => a.d - b.d);
  const inside = near.filter((c) => c.d === 0).length;
  if (near.length > 0 && inside <= 1) return near[0].cc;
  const votes = new Map();
  for (const p of places) if (contains(shape, p.x, p.y)) votes.set(p.cc, (votes.get(p.cc) || 0) + 1);
  return [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] || '';
}

function render(codes) {
  const rows = [...codes].map(([k, v]) => `  ${JSON.stringify(k)}: '${v}',`).join('\n');
  return `// Generated by web/build/isocodes.mjs from world-atlas and the gazetteer: do not edit.
// The ISO 3166-1 alpha-2 code of each basemap shape, by its ISO numeric id
// (or its name, for the shapes that have no ISO number).

/** ALPHA2 maps a basemap shape's id, or name when it has no id, to an alpha-2 code. */
export const ALPHA2 = {
${rows}
};
`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OUT, render(table()));
  console.log(`wrote ${OUT}`);
}

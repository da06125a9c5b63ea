// Copies the page's third-party browser files from node_modules (installed
// by `npm ci` from package-lock.json) into web/page/vendor/, which the Go
// binary embeds. The vendor directory is not committed: run
//
//   npm ci && npm run assets && go build ./cmd/incidentmap
//
// to get a binary whose map page works with no internet at all.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const modules = join(root, 'node_modules');
const vendor = join(root, 'web', 'page', 'vendor');

// [package, file inside the package, destination inside vendor/]
const files = [
  ['leaflet', 'dist/leaflet.js', 'leaflet/leaflet.js'],
  ['leaflet', 'dist/leaflet.css', 'leaflet/leaflet.css'],
  ['leaflet', 'dist/images', 'leaflet/images'],
  ['leaflet', 'LICENSE', 'leaflet/LICENSE'],
  ['leaflet.markercluster', 'dist/leaflet.markercluster.js', 'markercluster/leaflet.markercluster.js'],
  ['leaflet.markercluster', 'dist/MarkerCluster.css', 'markercluster/MarkerCluster.css'],
  ['leaflet.markercluster', 'dist/MarkerCluster.Default.css', 'markercluster/MarkerCluster.Default.css'],
  ['leaflet.markercluster', 'MIT-LICENCE.txt', 'markercluster/LICENSE'],
  ['leaflet.heat', 'dist/leaflet-heat.js', 'heat/leaflet-heat.js'],
  ['leaflet.heat', 'LICENSE', 'heat/LICENSE'],
  ['topojson-client', 'dist/topojson-client.min.js', 'topojson/topojson-client.min.js'],
  ['topojson-client', 'LICENSE', 'topojson/LICENSE'],
  ['world-atlas', 'countries-110m.json', 'world-atlas/countries-110m.json'],
  ['world-atlas', 'countries-50m.json', 'world-atlas/countries-50m.json'],
  ['world-atlas', 'LICENSE', 'world-atlas/LICENSE'],
];

if (!existsSync(modules)) {
  console.error('node_modules is missing: run `npm ci` first, then `npm run assets`.');
  process.exit(1);
}

// Start clean so files of an older dependency version do not linger, but keep
// the committed README that explains the directory.
for (const name of readdirSync(vendor)) {
  if (name !== 'README.md' && name !== '.gitignore') rmSync(join(vendor, name), { recursive: true, force: true });
}

const missing = [];
for (const [pkg, from, to] of files) {
  const src = join(modules, pkg, from);
  if (!existsSync(src)) {
    // Licence files are renamed now and then; the code files are not optional.
    if (!to.endsWith('LICENSE')) missing.push(`${pkg}/${from}`);
    continue;
  }
  mkdirSync(dirname(join(vendor, to)), { recursive: true });
  cpSync(src, join(vendor, to), { recursive: true });
}
if (missing.length > 0) {
  console.error(`npm packages lack these files (wrong version installed?): ${missing.join(', ')}`);
  process.exit(1);
}
// A marker the Go side checks to tell users whether the build has the libraries.
writeFileSync(join(vendor, 'ok.txt'), 'vendor assets copied by scripts/assets.mjs\n');
// Said as a fact, not a step to take: make run and make build compile next.
console.log(`copied ${files.length} vendor files into ${vendor}, which the next Go build embeds`);

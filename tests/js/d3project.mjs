// Reference for choro's cutting and clipping (tests/unit/projection/d3_reference_test.cpp):
// projects GeoJSON geometries with d3-geo, which cuts at the antimeridian of the rotated globe and
// clips to the horizon (clipAntimeridian, clipCircle) and resamples adaptively.
// One JSON query per stdin line:
//   {"projection": "equalEarth" | "orthographic" | "equirectangular", "rotate": [l, p, g],
//    "scale": k, "precision": px, "geometry": GeoJSON}
// One JSON answer per line: {"rings": [[[x, y], ...], ...], "area": a} in y-up units (y negated),
// every ring closed; `area` is d3's planar area of the projected geometry.
import * as d3 from "d3-geo";
import readline from "node:readline";

const factories = {
  equalEarth: d3.geoEqualEarth,
  orthographic: d3.geoOrthographic,
  equirectangular: d3.geoEquirectangular,
};

// d3 reads a polygon as the smaller of the two areas its rings bound only when they wind clockwise;
// boundaries from other tools may wind either way, so a polygon covering more than a hemisphere is
// taken to be wound the other way round and reversed.
function orient(geometry) {
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const fixed = polys.map((rings) => {
    const p = { type: "Polygon", coordinates: rings };
    return d3.geoArea(p) > 2 * Math.PI ? rings.map((r) => r.slice().reverse()) : rings;
  });
  return { type: "MultiPolygon", coordinates: fixed };
}

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const q = JSON.parse(line);
  const projection = factories[q.projection]()
    .rotate(q.rotate || [0, 0, 0])
    .scale(q.scale)
    .translate([0, 0])
    .precision(q.precision ?? 0.1);
  const rings = [];
  let ring = null;
  const context = {
    beginPath() {},
    moveTo(x, y) { ring = [[x, -y]]; rings.push(ring); },
    lineTo(x, y) { ring.push([x, -y]); },
    closePath() { if (ring && ring.length) ring.push(ring[0]); ring = null; },
    arc() {},
  };
  const geometry = orient(q.geometry);
  d3.geoPath(projection, context)(geometry);
  const area = d3.geoPath(projection).area(geometry);
  process.stdout.write(JSON.stringify({ rings, area }) + "\n");
}

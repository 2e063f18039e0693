// Decodes Mapbox Vector Tiles with @mapbox/vector-tile and pbf (independent of choro's encoder).
// Reads a tile folder: `node mvt_read.mjs DIR [ZOOM...]` prints one JSON line per z/x/y.pbf (of
// the given zooms, else all): {z, x, y, bytes, layers: {name: {version, extent, features: [{id,
// type, properties, rings: [[[x, y], ...], ...]}]}}}. Rings are as stored (closed by the reader).
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [dir, ...zooms] = process.argv.slice(2);
const wanted = new Set(zooms.map(Number));
for (const z of readdirSync(dir).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b)) {
    if (wanted.size && !wanted.has(z)) continue;
    for (const x of readdirSync(join(dir, String(z))).map(Number).sort((a, b) => a - b)) {
        for (const file of readdirSync(join(dir, String(z), String(x))).sort()) {
            const y = Number(file.replace(/\.(pbf|mvt)$/, ''));
            let buf = readFileSync(join(dir, String(z), String(x), file));
            const bytes = buf.length;
            if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
            const tile = new VectorTile(new PbfReader(buf));
            const layers = {};
            for (const [name, layer] of Object.entries(tile.layers)) {
                const features = [];
                for (let i = 0; i < layer.length; i++) {
                    const f = layer.feature(i);
                    features.push({ id: f.id, type: f.type, properties: f.properties,
                                    rings: f.loadGeometry().map((r) => r.map((p) => [p.x, p.y])) });
                }
                layers[name] = { version: layer.version, extent: layer.extent, features };
            }
            process.stdout.write(JSON.stringify({ z, x, y, bytes, layers }) + '\n');
        }
    }
}

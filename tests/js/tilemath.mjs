// Independent reference for choro's tile math: reads one JSON request per line on stdin and
// prints one JSON answer per line, computed by @mapbox/tilebelt and the pmtiles library.
//   {"op":"bbox","z":3,"x":1,"y":2}        -> [west, south, east, north]
//   {"op":"tile","lon":-77,"lat":38.9,"z":9} -> [x, y, z]
//   {"op":"hilbert","z":3,"x":1,"y":2}     -> tile id (PMTiles v3)
//   {"op":"unhilbert","id":123}            -> [z, x, y]
import * as tilebelt from '@mapbox/tilebelt';
import { zxyToTileId, tileIdToZxy } from 'pmtiles';
import { createInterface } from 'node:readline';

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
    if (!line.trim()) continue;
    const q = JSON.parse(line);
    let a;
    if (q.op === 'bbox') a = tilebelt.tileToBBOX([q.x, q.y, q.z]);
    else if (q.op === 'tile') a = tilebelt.pointToTile(q.lon, q.lat, q.z);
    else if (q.op === 'hilbert') a = zxyToTileId(q.z, q.x, q.y);
    else if (q.op === 'unhilbert') a = tileIdToZxy(q.id);
    else throw new Error('unknown op ' + q.op);
    process.stdout.write(JSON.stringify(a) + '\n');
}

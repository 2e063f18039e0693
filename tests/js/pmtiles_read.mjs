// Reads a PMTiles file with the pmtiles library (an independent reader) and prints its header
// as JSON on the first line, then for each "z x y" line on stdin the tile bytes in base64
// (or "-" when the archive has no such tile).
import { PMTiles } from 'pmtiles';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

class FileSource {
    constructor(path) { this.path = path; }
    getKey() { return this.path; }
    async getBytes(offset, length) {
        const fh = await open(this.path, 'r');
        try {
            const buf = Buffer.alloc(length);
            const { bytesRead } = await fh.read(buf, 0, length, offset);
            const view = buf.subarray(0, bytesRead);
            return { data: view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) };
        } finally {
            await fh.close();
        }
    }
}

const archive = new PMTiles(new FileSource(process.argv[2]));
const header = await archive.getHeader();
const metadata = await archive.getMetadata();
process.stdout.write(JSON.stringify({ header, metadata }) + '\n');
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
    const [z, x, y] = line.trim().split(/\s+/).map(Number);
    if (Number.isNaN(z)) continue;
    const tile = await archive.getZxy(z, x, y);
    process.stdout.write((tile ? Buffer.from(tile.data).toString('base64') : '-') + '\n');
}

// Opens a choro web map page in headless Chromium (the system's, through playwright-core) served
// by a small HTTP server on 127.0.0.1 (with Range requests, as PMTiles needs), waits for the
// tiles, then hovers at a longitude/latitude and prints one JSON line:
//   {"bounds":[w,s,e,n], "center":[lon,lat], "zoom":z, "info":"hover text", "errors":[...],
//    "search":"hover text after searching for the query"}
// Usage: node web_map_check.mjs DIR PAGE LON LAT [SCREENSHOT.png] [SEARCH]
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { open, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const [dir, page_name, lon_text, lat_text, shot, query] = process.argv.slice(2);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
                '.png': 'image/png', '.pbf': 'application/x-protobuf', '.mvt': 'application/x-protobuf' };

const server = createServer(async (req, res) => {
    const path = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!path.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
        const size = (await stat(path)).size;
        let start = 0, end = size - 1, status = 200;
        const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range || '');
        if (m) { start = Number(m[1]); end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1; status = 206; }
        const fh = await open(path, 'r');
        const buf = Buffer.alloc(Math.max(0, end - start + 1));
        await fh.read(buf, 0, buf.length, start);
        await fh.close();
        const headers = { 'Content-Type': types[extname(path)] || 'application/octet-stream', 'Accept-Ranges': 'bytes',
                          'Content-Length': buf.length };
        if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
        res.writeHead(status, headers).end(buf);
    } catch {
        res.writeHead(404).end();
    }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/${page_name}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] });
const result = { errors: [] };
try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 650 } });
    page.on('pageerror', (e) => result.errors.push(String(e)));
    // A folder holds no tile where there is no feature: a missing .pbf/.png is no error.
    page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) result.errors.push(m.text());
    });
    page.on('response', (r) => {
        if (r.status() >= 400 && !/\/\d+\/\d+\/\d+\.(pbf|mvt|png)$/.test(new URL(r.url()).pathname)) result.errors.push(r.status() + ' ' + r.url());
    });
    await page.goto(url);
    const settle = async () => {
        await page.waitForFunction(() => window.choroMap && window.choroMap.isStyleLoaded() &&
                                         window.choroMap.areTilesLoaded() && !window.choroMap.isMoving(),
                                   null, { timeout: 30000, polling: 200 });
        await page.waitForTimeout(300);
    };
    await settle();
    Object.assign(result, await page.evaluate(() => {
        const m = window.choroMap, b = m.getBounds(), c = m.getCenter();
        return { bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], center: [c.lng, c.lat], zoom: m.getZoom() };
    }));
    const pt = await page.evaluate(([lon, lat]) => window.choroMap.project([lon, lat]), [Number(lon_text), Number(lat_text)]);
    await page.mouse.move(pt.x, pt.y);
    await page.waitForTimeout(500);
    result.info = await page.evaluate(() => {
        const i = document.getElementById('info');
        return i.style.display === 'none' ? '' : i.innerText;
    });
    if (shot) await page.screenshot({ path: shot });
    if (query) {
        await page.fill('#search', query);
        await page.press('#search', 'Enter');
        await settle();
        result.search = await page.evaluate(() => document.getElementById('info').innerText);
        result.hash = await page.evaluate(() => location.hash);
    }
} catch (e) {
    result.errors.push(String(e));
    if (shot) await browser.contexts()[0]?.pages()[0]?.screenshot({ path: shot }).catch(() => {});
} finally {
    await browser.close();
    server.close();
}
process.stdout.write(JSON.stringify(result) + '\n');

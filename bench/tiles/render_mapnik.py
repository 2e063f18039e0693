#!/usr/bin/python3
"""Renders a tile pyramid with Mapnik (python3-mapnik), tile by tile as renderd's workers do,
with the same look as choro's benchmark job: county fills with thin white borders and state
borders on top. Prints one JSON line: {"tiles": n, "seconds": s, "tiles_per_second": r}.

usage: render_mapnik.py COUNTIES.shp STATES.shp OUTDIR MINZOOM MAXZOOM W,S,E,N PROCESSES
(both shapefiles in EPSG:3857, made with ogr2ogr by compare.sh)
"""
import json
import math
import multiprocessing
import os
import sys
import time

import mapnik

HALF = 20037508.342789244
SIZE = 256


def tile_range(bbox, z):
    w, s, e, n = bbox
    count = 2 ** z

    def fx(lon):
        return (lon + 180.0) / 360.0 * count

    def fy(lat):
        r = math.radians(max(min(lat, 85.0511287798), -85.0511287798))
        return (1.0 - math.log(math.tan(r) + 1.0 / math.cos(r)) / math.pi) / 2.0 * count

    x0, x1 = int(fx(w)), max(int(fx(w)), math.ceil(fx(e)) - 1)
    y0, y1 = int(fy(n)), max(int(fy(n)), math.ceil(fy(s)) - 1)
    clamp = lambda v: max(0, min(count - 1, v))
    return clamp(x0), clamp(y0), clamp(x1), clamp(y1)


def make_map(counties, states):
    m = mapnik.Map(SIZE, SIZE, "+init=epsg:3857")
    m.srs = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs"
    fill = mapnik.Style()
    rule = mapnik.Rule()
    rule.symbols.append(mapnik.PolygonSymbolizer())
    rule.symbols[0].fill = mapnik.Color("#ffffb2")
    line = mapnik.LineSymbolizer()
    line.stroke = mapnik.Color("#ffffff")
    line.stroke_width = 0.5
    rule.symbols.append(line)
    fill.rules.append(rule)
    m.append_style("counties", fill)
    over = mapnik.Style()
    rule2 = mapnik.Rule()
    line2 = mapnik.LineSymbolizer()
    line2.stroke = mapnik.Color("#3c3c3c")
    line2.stroke_width = 1.0
    rule2.symbols.append(line2)
    over.rules.append(rule2)
    m.append_style("states", over)
    for name, path in (("counties", counties), ("states", states)):
        layer = mapnik.Layer(name, m.srs)
        layer.datasource = mapnik.Shapefile(file=path)
        layer.styles.append(name)
        m.layers.append(layer)
    return m


_MAP = None


def init(counties, states):
    global _MAP
    _MAP = make_map(counties, states)


def render(job):
    out, z, x, y = job
    size = 2 * HALF / 2 ** z
    minx = -HALF + x * size
    maxy = HALF - y * size
    _MAP.zoom_to_box(mapnik.Box2d(minx, maxy - size, minx + size, maxy))
    image = mapnik.Image(SIZE, SIZE)
    mapnik.render(_MAP, image)
    folder = os.path.join(out, str(z), str(x))
    os.makedirs(folder, exist_ok=True)
    image.save(os.path.join(folder, "%d.png" % y), "png256")
    return 1


def main():
    counties, states, out, zmin, zmax, bbox, procs = sys.argv[1:8]
    bbox = [float(v) for v in bbox.split(",")]
    jobs = []
    for z in range(int(zmin), int(zmax) + 1):
        x0, y0, x1, y1 = tile_range(bbox, z)
        jobs += [(out, z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    start = time.time()
    with multiprocessing.Pool(int(procs), initializer=init, initargs=(counties, states)) as pool:
        done = sum(pool.imap_unordered(render, jobs, chunksize=8))
    seconds = time.time() - start
    print(json.dumps({"tiles": done, "seconds": seconds, "tiles_per_second": done / seconds}))


if __name__ == "__main__":
    main()

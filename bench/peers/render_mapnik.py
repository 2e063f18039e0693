#!/usr/bin/python3
"""Mapnik (python3-mapnik, AGG) renderer of the bench/peers workloads.

usage: render_mapnik.py w1 COUNTIES.shp OUT.png
       render_mapnik.py w2 COUNTIES.shp OUTDIR STATES.txt     (one map per line "FIPS<TAB>PROJ string")
       render_mapnik.py w3 COUNTIES_3857.shp STATES_3857.shp OUTDIR W,S,E,N ZMIN ZMAX
Each run is one process, as a user would run it; W3 renders 8x8 metatiles and cuts them.
"""
import os
import sys

import mapnik

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import style  # noqa: E402


def county_style(border=True):
    s = mapnik.Style()
    for i, (lo, hi) in enumerate(style.class_ranges()):
        rule = mapnik.Rule()
        terms = []
        if lo is not None:
            terms.append("[%s] > %g" % (style.FIELD, lo))
        if hi is not None:
            terms.append("[%s] <= %g" % (style.FIELD, hi))
        expr = " and ".join(terms)
        if i == 0:
            expr = "[%s] <= %g or [%s] = null" % (style.FIELD, hi, style.FIELD)
        rule.filter = mapnik.Expression(expr)
        fill = mapnik.PolygonSymbolizer()
        fill.fill = mapnik.Color(style.COLORS[i])
        rule.symbols.append(fill)
        if border:
            line = mapnik.LineSymbolizer()
            line.stroke = mapnik.Color(style.BORDER)
            line.stroke_width = style.BORDER_PX
            rule.symbols.append(line)
        s.rules.append(rule)
    return s


def state_style():
    s = mapnik.Style()
    rule = mapnik.Rule()
    line = mapnik.LineSymbolizer()
    line.stroke = mapnik.Color(style.STATE)
    line.stroke_width = style.STATE_PX
    rule.symbols.append(line)
    s.rules.append(rule)
    return s


def make_map(width, height, srs, layers):
    m = mapnik.Map(width, height, srs)
    m.background = mapnik.Color("white")
    for name, path, sty in layers:
        m.append_style(name, sty)
        layer = mapnik.Layer(name, srs)
        layer.datasource = mapnik.Shapefile(file=path)
        layer.styles.append(name)
        m.layers.append(layer)
    return m


def srs_of(shp):
    # The shapefiles are written by bench/peers/run with a .prj; Mapnik wants a PROJ string.
    return open(shp[:-4] + ".proj4").read().strip()


def w1(shp, out):
    m = make_map(*style.W1_SIZE, srs_of(shp), [("counties", shp, county_style())])
    m.zoom_all()
    mapnik.render_to_file(m, out, "png32")


def w2(shp, outdir, states_file):
    os.makedirs(outdir, exist_ok=True)
    for line in open(states_file):
        fips, proj = line.rstrip("\n").split("\t")
        part = os.path.join(os.path.dirname(shp), "state_%s.shp" % fips)
        m = make_map(*style.W2_SIZE, proj, [("counties", part, county_style())])
        m.layers[0].srs = "+proj=longlat +datum=WGS84 +no_defs"  # the per-state files are lon/lat
        m.zoom_all()
        mapnik.render_to_file(m, os.path.join(outdir, "%s.png" % fips), "png32")


def w3(counties, states, outdir, bbox, zmin, zmax):
    merc = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs"
    m = make_map(style.TILE * style.META, style.TILE * style.META, merc,
                 [("counties", counties, county_style()), ("states", states, state_style())])
    for z, mx, my, tiles in style.tile_jobs([float(v) for v in bbox.split(",")], int(zmin), int(zmax)):
        box, side = style.meta_box(z, mx, my)
        m.resize(style.TILE * side, style.TILE * side)
        m.zoom_to_box(mapnik.Box2d(*box))
        image = mapnik.Image(style.TILE * side, style.TILE * side)
        mapnik.render(m, image)
        for x, y in tiles:
            folder = os.path.join(outdir, str(z), str(x))
            os.makedirs(folder, exist_ok=True)
            view = image.view((x - mx * style.META) * style.TILE, (y - my * style.META) * style.TILE,
                              style.TILE, style.TILE)
            view.save(os.path.join(folder, "%d.png" % y), "png256")


if __name__ == "__main__":
    mode = sys.argv[1]
    {"w1": w1, "w2": w2, "w3": w3}[mode](*sys.argv[2:])

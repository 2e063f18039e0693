#!/usr/bin/python3
"""MapServer renderer of the bench/peers workloads.

usage: render_mapserver.py mapfile w1 COUNTIES.shp OUT.map        (writes the mapfile map2img draws)
       render_mapserver.py w2 COUNTIES_DIR OUTDIR STATES.txt      (python3-mapscript, one process)
       render_mapserver.py w3 COUNTIES_3857.shp STATES_3857.shp OUTDIR W,S,E,N ZMIN ZMAX
W1 is timed as `map2img -m OUT.map -o OUT.png` (MapServer's own command-line renderer). W3 draws
256 px tiles one by one with mapscript, as MapServer's tile mode (mode=tile) serves them.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import style  # noqa: E402


def shp_extent(shp):
    with open(shp, "rb") as f:
        header = f.read(100)
    return struct.unpack("<4d", header[36:68])


def rgb(hexcolor):
    return "%d %d %d" % tuple(int(hexcolor[i:i + 2], 16) for i in (1, 3, 5))


def county_layer(path, proj=None):
    classes = []
    for i, (lo, hi) in enumerate(style.class_ranges()):
        if lo is None:
            expr = "([%s] <= %g)" % (style.FIELD, hi)
        elif hi is None:
            expr = "([%s] > %g)" % (style.FIELD, lo)
        else:
            expr = "([%s] > %g AND [%s] <= %g)" % (style.FIELD, lo, style.FIELD, hi)
        classes.append("""    CLASS
      EXPRESSION %s
      STYLE COLOR %s OUTLINECOLOR %s WIDTH %g END
    END""" % (expr, rgb(style.COLORS[i]), rgb(style.BORDER), style.BORDER_PX))
    projection = '    PROJECTION "%s" END\n' % proj if proj else ""
    return """  LAYER
    NAME "counties"
    TYPE POLYGON
    STATUS DEFAULT
    DATA "%s"
%s%s
  END
""" % (os.path.abspath(path), projection, "\n".join(classes))


def state_layer(path):
    return """  LAYER
    NAME "states"
    TYPE POLYGON
    STATUS DEFAULT
    DATA "%s"
    CLASS
      STYLE OUTLINECOLOR %s WIDTH %g END
    END
  END
""" % (os.path.abspath(path), rgb(style.STATE), style.STATE_PX)


def mapfile(size, extent, layers, proj=None):
    projection = '  PROJECTION "%s" END\n' % proj if proj else ""
    return """MAP
  SIZE %d %d
  EXTENT %.6f %.6f %.6f %.6f
  IMAGECOLOR 255 255 255
  OUTPUTFORMAT
    NAME "png"
    DRIVER "AGG/PNG"
    IMAGEMODE RGB
    EXTENSION "png"
  END
  IMAGETYPE "png"
%s%s END
""" % (size[0], size[1], *extent, projection, "".join(layers))


def write_w1(shp, out):
    # No PROJECTION blocks: the data are already in the map's CRS (EPSG:5070), nothing is reprojected.
    with open(out, "w") as f:
        f.write(mapfile(style.W1_SIZE, shp_extent(shp), [county_layer(shp)]))


def w2(folder, outdir, states_file):
    import mapscript

    os.makedirs(outdir, exist_ok=True)
    for line in open(states_file):
        fips, proj = line.rstrip("\n").split("\t")
        part = os.path.join(folder, "state_%s.shp" % fips)
        text = mapfile(style.W2_SIZE, (0, 0, 1, 1), [county_layer(part, "init=epsg:4326")], proj)
        m = mapscript.fromstring(text)
        w, s, e, n = shp_extent(part)
        rect = mapscript.rectObj(w, s, e, n)
        rect.project(mapscript.projectionObj("init=epsg:4326"), mapscript.projectionObj(proj))
        m.setExtent(rect.minx, rect.miny, rect.maxx, rect.maxy)
        m.draw().save(os.path.join(outdir, "%s.png" % fips))


def w3(counties, states, outdir, bbox, zmin, zmax):
    import mapscript

    text = mapfile((style.TILE, style.TILE), (-1, -1, 1, 1), [county_layer(counties), state_layer(states)])
    m = mapscript.fromstring(text)
    size = None
    for z, mx, my, tiles in style.tile_jobs([float(v) for v in bbox.split(",")], int(zmin), int(zmax)):
        size = 2 * style.HALF / 2 ** z
        for x, y in tiles:
            minx = -style.HALF + x * size
            maxy = style.HALF - y * size
            # MapServer's extent is of pixel centres: shrink by half a pixel (as mode=tile does).
            half = size / style.TILE / 2
            m.setExtent(minx + half, maxy - size + half, minx + size - half, maxy - half)
            folder = os.path.join(outdir, str(z), str(x))
            os.makedirs(folder, exist_ok=True)
            m.draw().save(os.path.join(folder, "%d.png" % y))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "mapfile":
        write_w1(sys.argv[3], sys.argv[4])
    else:
        {"w2": w2, "w3": w3}[mode](*sys.argv[2:])

"""The one style every renderer in bench/peers draws: five classes of the county `agreements`
count (manual breaks 1, 2, 4, 8, upper edges inclusive, as choro's --method manual), ColorBrewer
YlOrRd, thin white county borders, dark state borders on tiles. Imported by the peer renderers."""

# Class i holds (EDGES[i-1], EDGES[i]]; the first class also everything below, the last
# everything above (choro's Breaks::class_of).
BREAKS = [1, 2, 4, 8]
COLORS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]  # ColorBrewer YlOrRd, 5 classes
BORDER = "#ffffff"
BORDER_PX = 0.5          # county borders (choro: 0.25 pt at --dpi 144 = 0.5 px)
STATE = "#3c3c3c"
STATE_PX = 1.0          # state borders on tiles
FIELD = "agreements"
W1_SIZE = (2400, 1500)
W2_SIZE = (1200, 900)
TILE = 256
META = 8                 # metatile side in tiles, as choro's default
HALF = 20037508.342789244


def class_of(value):
    """Class index of a value (None, no data, goes to class 0 like a zero count)."""
    v = 0 if value is None else value
    for i, edge in enumerate(BREAKS):
        if v <= edge:
            return i
    return len(BREAKS)


def class_ranges():
    """(low_exclusive, high_inclusive) per class; None = unbounded. For filter expressions."""
    out = []
    lows = [None] + BREAKS
    highs = BREAKS + [None]
    for lo, hi in zip(lows, highs):
        out.append((lo, hi))
    return out


def tile_jobs(bbox, zmin, zmax):
    """Metatiles covering bbox (W,S,E,N degrees) at each zoom: (z, mx, my, tiles) where tiles lists
    the (x, y) of the metatile's tiles inside the range."""
    import math

    jobs = []
    for z in range(zmin, zmax + 1):
        n = 2 ** z

        def fx(lon):
            return (lon + 180.0) / 360.0 * n

        def fy(lat):
            r = math.radians(max(min(lat, 85.0511287798), -85.0511287798))
            return (1.0 - math.log(math.tan(r) + 1.0 / math.cos(r)) / math.pi) / 2.0 * n

        w, s, e, nn = bbox
        clamp = lambda v: max(0, min(n - 1, v))
        x0, x1 = clamp(int(fx(w))), clamp(max(int(fx(w)), math.ceil(fx(e)) - 1))
        y0, y1 = clamp(int(fy(nn))), clamp(max(int(fy(nn)), math.ceil(fy(s)) - 1))
        for mx in range(x0 // META, x1 // META + 1):
            for my in range(y0 // META, y1 // META + 1):
                tiles = [(x, y) for x in range(max(x0, mx * META), min(x1, mx * META + META - 1) + 1)
                         for y in range(max(y0, my * META), min(y1, my * META + META - 1) + 1)]
                if tiles:
                    jobs.append((z, mx, my, tiles))
    return jobs


def meta_box(z, mx, my):
    """The metatile's extent in EPSG:3857 metres (minx, miny, maxx, maxy) and its side in tiles."""
    side = min(META, 2 ** z)
    size = 2 * HALF / 2 ** z
    minx = -HALF + mx * META * size
    maxy = HALF - my * META * size
    return (minx, maxy - side * size, minx + side * size, maxy), side

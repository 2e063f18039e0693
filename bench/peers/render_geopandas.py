#!/usr/bin/python3
"""geopandas + matplotlib (Agg) renderer of the bench/peers workloads.

usage: render_geopandas.py w1 COUNTIES.shp OUT.png
       render_geopandas.py w2 COUNTIES_DIR OUTDIR STATES.txt
       render_geopandas.py w3 COUNTIES_3857.shp STATES_3857.shp OUTDIR W,S,E,N ZMIN ZMAX
W3 draws the layers once and saves 8x8 metatiles by moving the view, then cuts them with Pillow.
"""
import io
import os
import sys

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import style  # noqa: E402

DPI = 100


def pt(px):
    return px * 72.0 / DPI


def figure(size):
    fig = plt.figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    return fig, ax


def colors(frame):
    return [style.COLORS[style.class_of(None if v != v else v)] for v in frame[style.FIELD]]


def draw_map(frame, size, out):
    fig, ax = figure(size)
    frame.plot(ax=ax, color=colors(frame), edgecolor=style.BORDER, linewidth=pt(style.BORDER_PX))
    ax.set_aspect("equal", adjustable="datalim")
    fig.savefig(out, dpi=DPI, facecolor="white")
    plt.close(fig)


def w1(shp, out):
    draw_map(gpd.read_file(shp), style.W1_SIZE, out)


def w2(folder, outdir, states_file):
    os.makedirs(outdir, exist_ok=True)
    for line in open(states_file):
        fips, proj = line.rstrip("\n").split("\t")
        frame = gpd.read_file(os.path.join(folder, "state_%s.shp" % fips)).to_crs(proj)
        draw_map(frame, style.W2_SIZE, os.path.join(outdir, "%s.png" % fips))


def w3(counties, states, outdir, bbox, zmin, zmax):
    from PIL import Image

    c = gpd.read_file(counties)
    s = gpd.read_file(states)
    side_px = style.TILE * style.META
    fig, ax = figure((side_px, side_px))
    c.plot(ax=ax, color=colors(c), edgecolor=style.BORDER, linewidth=pt(style.BORDER_PX))
    s.boundary.plot(ax=ax, color=style.STATE, linewidth=pt(style.STATE_PX))
    for z, mx, my, tiles in style.tile_jobs([float(v) for v in bbox.split(",")], int(zmin), int(zmax)):
        box, side = style.meta_box(z, mx, my)
        fig.set_size_inches(style.TILE * side / DPI, style.TILE * side / DPI)
        ax.set_xlim(box[0], box[2])
        ax.set_ylim(box[1], box[3])
        buf = io.BytesIO()
        fig.savefig(buf, dpi=DPI, format="raw", facecolor="white")
        image = Image.frombuffer("RGBA", (style.TILE * side, style.TILE * side), buf.getbuffer(), "raw", "RGBA", 0, 1)
        for x, y in tiles:
            folder = os.path.join(outdir, str(z), str(x))
            os.makedirs(folder, exist_ok=True)
            left = (x - mx * style.META) * style.TILE
            top = (y - my * style.META) * style.TILE
            image.crop((left, top, left + style.TILE, top + style.TILE)).convert("RGB").save(
                os.path.join(folder, "%d.png" % y))


if __name__ == "__main__":
    mode = sys.argv[1]
    {"w1": w1, "w2": w2, "w3": w3}[mode](*sys.argv[2:])

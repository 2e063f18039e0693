#!/usr/bin/python3
"""choro against its peers (Mapnik, MapServer, geopandas+matplotlib) on the same data, classes
and colours. Run through bench/peers/run, which installs the peers first.

Workloads:
  W1  national map: lower-48 counties in EPSG:5070, 2400x1500 PNG, five classes, white borders
  W2  51 state maps (50 states and DC), each in its own equal-area conic, 1200x900 PNG, counties
      only: choro batch (all cores) against one Mapnik, MapServer and geopandas process looping
      over the maps (--w2; fails at once when this choro has no batch command)
  W3  web tiles z0-7 over the US (counties + state borders), one process / one thread each

Every renderer runs as a whole process, as a user would run it; each run is timed (wall clock)
and measured (peak resident memory from /usr/bin/time -v), medians of --reps runs. Each output is
checked to be a real map (right size, every class colour present, not blank) before its time counts.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import style  # noqa: E402

PY = "/usr/bin/python3"
LOWER48_EXCLUDED = ("02", "15", "60", "66", "69", "72", "78")  # AK, HI and the territories
BBOX = "-179.2,17.8,-64.5,71.5"  # the demo job's tile bbox (50 states, DC, Puerto Rico)


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def out_root(choice, work):
    """The folder every renderer writes its outputs to. By default a fresh folder in /dev/shm (RAM):
    on this project's VM (ext4 without a journal), creating a file cost from about 0.3 to 1.5 ms of
    kernel time, varying from run to run (perf: ext4's inode allocator, find_inode_bit and
    recently_deleted, stepping over recently freed inodes), which added 0.2 to 1.0 s to the z0-7 tile
    pyramid of any renderer.
    In RAM every renderer pays the same small cost per file and the table compares renderers, not the
    disk's state. --out-dir work writes to the work folder on disk instead."""
    if choice == "work" or (choice == "auto" and not (os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK))):
        os.makedirs(os.path.join(work, "out"), exist_ok=True)
        return os.path.join(work, "out")
    return tempfile.mkdtemp(prefix="choro-peers-out-", dir="/dev/shm" if choice == "auto" else choice)


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="choro-peers-")
        self.choro = os.path.abspath(args.choro)
        self.data = os.path.abspath(args.data_dir)
        self.atlas = os.path.join(ROOT, "data", "downloads", "us-atlas-3.0.1")
        if not os.path.exists(os.path.join(self.atlas, "counties-10m.json")):
            self.atlas = os.path.join(self.data, "reference", "us-atlas-3.0.1")
        self.rows = []
        self.queue = []  # renderers measure() queued for flush()
        self.outputs = out_root(args.out_dir, self.work)

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def out(self, name):
        """Where a run writes its map or tiles (see out_root)."""
        return os.path.join(self.outputs, name)

    # ---------------------------------------------------------------- data, converted once
    def prepare(self):
        log("preparing data in %s; outputs go to %s" % (self.work, self.outputs))
        sheets = sorted(glob.glob(os.path.join(self.data, "ice287g", "participating", "ice287g_participating_*.csv")))
        sh([self.choro, "agreements", sheets[-1], "--data-dir", self.data, "-o", self.path("agreements")],
           stderr=subprocess.DEVNULL)
        self.values = self.path("agreements", "counties.csv")
        src = self.path("src.gpkg")
        sh(["ogr2ogr", "-f", "GPKG", src, os.path.join(self.atlas, "counties-10m.json"), "counties",
            "-a_srs", "EPSG:4326", "-nln", "counties_all"])
        sh(["ogr2ogr", "-append", src, self.values, "-nln", "vals"])
        sh(["ogr2ogr", "-f", "GPKG", self.path("counties.gpkg"), src, "-dialect", "SQLite", "-nln", "counties",
            "-sql", "SELECT c.geom AS geom, c.id AS id, c.name AS name, CAST(v.agreements AS INTEGER) AS agreements "
            "FROM counties_all c LEFT JOIN vals v ON c.id = v.county_fips"])
        sh(["ogr2ogr", "-f", "GPKG", self.path("states.gpkg"), os.path.join(self.atlas, "states-10m.json"), "states",
            "-a_srs", "EPSG:4326", "-nln", "states"])
        where = "substr(id, 1, 2) NOT IN (%s)" % ", ".join("'%s'" % s for s in LOWER48_EXCLUDED)
        os.makedirs(self.path("w1"))
        self.w1_shp = self.path("w1", "counties.shp")
        sh(["ogr2ogr", "-f", "ESRI Shapefile", self.w1_shp, self.path("counties.gpkg"), "counties",
            "-where", where, "-t_srs", "EPSG:5070", "-nln", "counties"])
        write_proj4(self.w1_shp, "EPSG:5070")
        os.makedirs(self.path("w3"))
        self.w3_counties = self.path("w3", "counties.shp")
        self.w3_states = self.path("w3", "states.shp")
        sh(["ogr2ogr", "-f", "ESRI Shapefile", self.w3_counties, self.path("counties.gpkg"), "counties",
            "-t_srs", "EPSG:3857", "-nln", "counties"])
        sh(["ogr2ogr", "-f", "ESRI Shapefile", self.w3_states, self.path("states.gpkg"), "states",
            "-t_srs", "EPSG:3857", "-nln", "states"])
        if self.args.w2:
            self.prepare_w2()

    def prepare_w2(self):
        """One lon/lat shapefile of counties per state and a list of per-state projections: an
        Albers equal-area on the state's own extent (standard parallels at 1/6 and 5/6 of it)."""
        import re

        os.makedirs(self.path("w2"))
        ids = subprocess.run(["ogr2ogr", "-f", "CSV", "/vsistdout/", self.path("states.gpkg"), "states", "-select", "id"],
                             check=True, capture_output=True, text=True).stdout.split()[1:]
        lines = []
        for fips in sorted(i.strip('"') for i in ids):
            if not fips.isdigit() or int(fips) > 56:
                continue
            part = self.path("w2", "state_%s.shp" % fips)
            # Alaska without the Aleutians west of 180° (as the demo's bbox), so every extent is one piece.
            clip = ["-clipsrc", "-180", "-90", "0", "90"] if fips == "02" else []
            sh(["ogr2ogr", "-f", "ESRI Shapefile", part, self.path("counties.gpkg"), "counties",
                "-where", "substr(id, 1, 2) = '%s'" % fips, "-nln", "state_%s" % fips] + clip)
            out = subprocess.run(["ogrinfo", "-so", "-al", part], check=True, capture_output=True, text=True).stdout
            ext = [line for line in out.splitlines() if line.startswith("Extent:")][0]
            w, s, e, n = [float(v) for v in re.findall(r"-?[0-9.]+", ext)]
            lon0 = (w + e) / 2
            h = n - s
            lines.append("%s\t+proj=aea +lat_1=%.3f +lat_2=%.3f +lat_0=%.3f +lon_0=%.3f +datum=NAD83 +units=m +no_defs"
                         % (fips, s + h / 6, n - h / 6, (s + n) / 2, lon0))
        self.w2_states = self.path("w2", "states.txt")
        with open(self.w2_states, "w") as f:
            f.write("\n".join(lines) + "\n")
        log("W2: %d states" % len(lines))

    # ---------------------------------------------------------------- timing
    def measure(self, workload, renderer, make_cmd, check, note="", warmup=False):
        """Queues a renderer of a workload; flush() runs the queue. With warmup, one untimed run
        comes first (it fills choro's layer cache, as any earlier run on the same data would)."""
        self.queue.append({"workload": workload, "renderer": renderer, "make_cmd": make_cmd, "check": check,
                           "note": note, "warmup": warmup, "walls": [], "rss": [], "cpus": [], "spent": 0.0})

    def flush(self):
        """Runs the queued renderers in rounds, one run of each per round, --reps rounds (a renderer
        whose runs have taken over --budget seconds starts no more): the machine's slow and fast
        minutes fall on every renderer alike, so the ratios of one run compare like with like.
        Checks each output, records the median wall and CPU time and the largest peak RSS."""
        entries, self.queue = self.queue, []
        for e in entries:
            if e["warmup"]:
                # Its own output per workload and renderer: a batch folder and a tile folder cannot
                # share a name (choro refuses to replace a folder that is not its kind).
                cmd, _ = e["make_cmd"](self.out("warmup-%s-%s" % (e["workload"],
                                                                          e["renderer"].replace(" ", "_"))))
                proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if proc.returncode != 0:
                    raise SystemExit("bench: %s %s warm-up failed (%d):\n%s\n%s" % (
                        e["workload"], e["renderer"], proc.returncode, " ".join(cmd), proc.stderr))
        for rep in range(self.args.reps):
            # Each round starts one renderer later, so none always follows the same one (a run
            # right after geopandas's 14 s found the machine slower).
            for k in range(len(entries)):
                e = entries[(rep + k) % len(entries)]
                if rep > 0 and e["spent"] > self.args.budget:
                    continue
                self.run_once(e, rep)
        for e in entries:
            row = {"workload": e["workload"], "renderer": e["renderer"], "median": statistics.median(e["walls"]),
                   "min": min(e["walls"]), "runs": len(e["walls"]), "rss": max(e["rss"]),
                   "cpu": statistics.median(e["cpus"]), "note": e["note"]}
            self.rows.append(row)
            log("%s %-28s median %.3f s (CPU %.3f s) over %d, peak %.0f MB" % (
                row["workload"], row["renderer"], row["median"], row["cpu"], row["runs"], row["rss"]))

    def run_once(self, e, rep):
        workload, renderer = e["workload"], e["renderer"]
        out = self.out("%s-%s-%d" % (workload, renderer.replace(" ", "_"), rep))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        cmd, suffix = e["make_cmd"](out)
        timefile = out + ".time"
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", timefile] + cmd, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit("bench: %s %s failed (%d):\n%s\n%s" % (workload, renderer, proc.returncode,
                                                                  " ".join(cmd), proc.stderr[-2000:]))
        problem = e["check"](out + suffix)
        if problem:
            raise SystemExit("bench: %s %s: output is not a real map: %s (%s)" % (workload, renderer, problem,
                                                                                   out + suffix))
        e["walls"].append(wall)
        e["rss"].append(max_rss_mb(timefile))
        e["cpus"].append(cpu_seconds(timefile))
        e["spent"] += wall
        if os.path.isdir(out + suffix):
            shutil.rmtree(out + suffix)

    # ---------------------------------------------------------------- W1
    def w1(self):
        w, h = style.W1_SIZE
        choro_flags = ["--boundaries", self.w1_shp, "--key", "id", "--name-field", "name",
                       "--values", self.values, "--values-key", "county_fips", "--value", "agreements",
                       "--method", "manual", "--breaks", ",".join(str(b) for b in style.BREAKS),
                       "--zero-class", "off", "--palette", "YlOrRd", "--projection", "EPSG:5070",
                       "--width", str(w), "--height", str(h), "--dpi", "144", "-q"]
        check = lambda p: check_map(p, style.W1_SIZE)  # noqa: E731
        self.measure("W1", "choro", lambda o: ([self.choro, "render"] + choro_flags + ["-o", o + ".png"], ".png"),
                     check, "same shapefile; cache warm; draws a legend too", warmup=True)
        self.measure("W1", "choro --no-cache",
                     lambda o: ([self.choro, "render", "--no-cache"] + choro_flags + ["-o", o + ".png"], ".png"),
                     check)
        self.measure("W1", "choro demo map", self.demo_cmd, check_demo,
                     "us-atlas TopoJSON, insets, hatch, legend, notes; cache warm", warmup=True)
        self.measure("W1", "choro demo map --no-cache", lambda o: (self.demo_cmd(o)[0] + ["--no-cache"], ".png"),
                     check_demo)
        self.measure("W1", "Mapnik", lambda o: ([PY, os.path.join(HERE, "render_mapnik.py"), "w1", self.w1_shp,
                                                 o + ".png"], ".png"), check, "AGG, png32")
        mapfile = self.path("w1.map")
        sh([PY, os.path.join(HERE, "render_mapserver.py"), "mapfile", "w1", self.w1_shp, mapfile])
        self.measure("W1", "MapServer", lambda o: (["map2img", "-m", mapfile, "-o", o + ".png"], ".png"), check,
                     "map2img, AGG")
        self.measure("W1", "geopandas", lambda o: ([PY, os.path.join(HERE, "render_geopandas.py"), "w1", self.w1_shp,
                                                    o + ".png"], ".png"), check, "matplotlib Agg")
        self.flush()

    def demo_cmd(self, out):
        return ([self.choro, "render", "jobs/us-counties.toml", "--data-dir", self.data, "--values", self.values,
                 "--notes-file", self.path("agreements", "notes.txt"), "-q", "-o", out + ".png"], ".png")

    # ---------------------------------------------------------------- W2
    def w2(self):
        check = lambda p: check_folder(p, style.W2_SIZE, 51)  # noqa: E731
        if not has_batch(self.choro):
            # main() refuses W2 before any work; this guards a direct call.
            raise SystemExit("bench: W2 needs `choro batch`, which %s does not have" % self.choro)
        # The same 51 groups as the peers (50 states and DC, no territories), the same classes and
        # colours as W1; each map in choro's automatic per-state equal-area conic (standard
        # parallels at 1/6 and 5/6 of the state's latitude span, central meridian at its centre).
        fips = [line.split("\t")[0] for line in open(self.w2_states)]
        cores = os.cpu_count() or 1

        def batch(extra):
            return lambda o: (
                [self.choro, "batch", "--boundaries", self.path("counties.gpkg"), "--layer", "counties", "--key", "id",
                 "--name-field", "name", "--values", self.values, "--values-key", "county_fips", "--value",
                 "agreements", "--method", "manual", "--breaks", ",".join(str(b) for b in style.BREAKS),
                 "--zero-class", "off", "--palette", "YlOrRd", "--by", "state", "--only", ",".join(fips), "--format",
                 "png", "--width", str(style.W2_SIZE[0]), "--height", str(style.W2_SIZE[1]), "--threads", str(cores),
                 "-q", "-o", o] + extra, "")

        # The row the peers are compared with comes first: like the peers, the PNGs only (no atlas.pdf
        # or index.html) and no place labels. The second row is the whole atlas as `choro batch` makes
        # it by default (every county labelled, atlas.pdf, index.html).
        self.measure("W2", "choro batch --threads %d" % cores, batch(["--atlas", "none", "--labels", "none"]), check,
                     "all cores; PNGs only like the peers (--atlas none, --labels none); also draws title, legend, "
                     "notes and muted neighbours; cache warm", warmup=True)
        self.measure("W2", "choro batch, whole atlas", batch([]), check,
                     "all cores; default labels (every county), atlas.pdf, index.html; cache warm", warmup=True)
        folder = self.path("w2")
        self.measure("W2", "Mapnik", lambda o: ([PY, os.path.join(HERE, "render_mapnik.py"), "w2",
                                                 os.path.join(folder, "x.shp"), o, self.w2_states], ""), check,
                     "1 process looping over the maps, per-state conic")
        self.measure("W2", "MapServer", lambda o: ([PY, os.path.join(HERE, "render_mapserver.py"), "w2", folder, o,
                                                    self.w2_states], ""), check, "mapscript, 1 process")
        self.measure("W2", "geopandas", lambda o: ([PY, os.path.join(HERE, "render_geopandas.py"), "w2", folder, o,
                                                    self.w2_states], ""), check, "matplotlib Agg, 1 process")
        self.flush()

    # ---------------------------------------------------------------- W3
    def w3(self):
        zmin, zmax = self.args.zoom.split("-")
        expected = sum(len(j[3]) for j in style.tile_jobs([float(v) for v in BBOX.split(",")], int(zmin), int(zmax)))
        check = lambda p: check_tiles(p, expected)  # noqa: E731
        self.measure("W3", "choro --threads 1", lambda o: (
            [self.choro, "tiles", "--boundaries", self.path("counties.gpkg"), "--layer", "counties", "--key", "id",
             "--overlay", self.path("states.gpkg"), "--overlay-layer", "states",
             "--values", self.values, "--values-key", "county_fips", "--value", "agreements",
             "--method", "manual", "--breaks", ",".join(str(b) for b in style.BREAKS), "--zero-class", "off",
             "--palette", "YlOrRd", "--zoom", self.args.zoom, "--bbox=" + BBOX, "--threads", "1", "-q", "-o", o],
            ""), check, "8x8 metatiles, reads lon/lat and projects; cache warm", warmup=True)
        cores = os.cpu_count() or 1
        if cores > 1:
            self.measure("W3", "choro --threads %d" % cores, lambda o: (
                [self.choro, "tiles", "--boundaries", self.path("counties.gpkg"), "--layer", "counties", "--key", "id",
                 "--overlay", self.path("states.gpkg"), "--overlay-layer", "states",
                 "--values", self.values, "--values-key", "county_fips", "--value", "agreements",
                 "--method", "manual", "--breaks", ",".join(str(b) for b in style.BREAKS), "--zero-class", "off",
                 "--palette", "YlOrRd", "--zoom", self.args.zoom, "--bbox=" + BBOX, "--threads", str(cores), "-q",
                 "-o", o], ""), check, "all cores (machine shared)")
        peer_args = [self.w3_counties, self.w3_states]
        self.measure("W3", "Mapnik", lambda o: ([PY, os.path.join(HERE, "render_mapnik.py"), "w3"] + peer_args +
                                                [o, BBOX, zmin, zmax], ""), check, "8x8 metatiles, 1 process")
        self.measure("W3", "MapServer", lambda o: ([PY, os.path.join(HERE, "render_mapserver.py"), "w3"] + peer_args +
                                                   [o, BBOX, zmin, zmax], ""), check, "mapscript, tile by tile")
        self.measure("W3", "geopandas", lambda o: ([PY, os.path.join(HERE, "render_geopandas.py"), "w3"] + peer_args +
                                                   [o, BBOX, zmin, zmax], ""), check, "8x8 metatiles")
        self.flush()
        self.expected_tiles = expected

    # ---------------------------------------------------------------- report
    def report(self):
        def ratio(peer, base):
            if peer >= base:
                return "%.2f× faster" % (peer / base)
            return "%.2f× slower" % (base / peer)

        print()
        print("| workload | renderer | median wall (s) | median CPU (s) | runs | peak RSS (MB) "
              "| choro vs this: wall | choro vs this: CPU | note |")
        print("|---|---|---|---|---|---|---|---|---|")
        for row in self.rows:
            base = self.choro_row(row["workload"])
            wall = cpu = ""
            if base is not None and not row["renderer"].startswith("choro"):
                wall, cpu = ratio(row["median"], base["median"]), ratio(row["cpu"], base["cpu"])
            print("| %s | %s | %.3f | %.3f | %d | %.0f | %s | %s | %s |" % (
                row["workload"], row["renderer"], row["median"], row["cpu"], row["runs"], row["rss"], wall, cpu,
                row["note"]))
        demo = next((r for r in self.rows if r["renderer"] == "choro demo map"), None)
        if demo:
            for r in self.rows:
                if r["workload"] == "W1" and not r["renderer"].startswith("choro"):
                    print("choro demo map vs %s W1: wall %s, CPU %s" % (r["renderer"], ratio(r["median"], demo["median"]),
                                                                      ratio(r["cpu"], demo["cpu"])))

    def choro_row(self, workload):
        """The row the peers are compared with: the workload's first choro row (W1 `choro`, W2
        `choro batch`, W3 `choro --threads 1`)."""
        for r in self.rows:
            if r["workload"] == workload and r["renderer"].startswith("choro"):
                return r
        return None


# -------------------------------------------------------------------- checks
def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def max_rss_mb(timefile):
    for line in open(timefile):
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024.0
    return float("nan")


def cpu_seconds(timefile):
    """User + system CPU seconds of a run (the fairer figure on a shared, loaded machine)."""
    total = 0.0
    for line in open(timefile):
        if "User time (seconds)" in line or "System time (seconds)" in line:
            total += float(line.split(":")[1])
    return total


def hex_rgb(c):
    return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))


def check_map(path, size, classes=True, min_fill=0.2):
    """'' when path is a PNG of `size` that shows a map: every class colour on at least 100 pixels
    (fills are flat, so a correct renderer has them exactly), and at least min_fill not background."""
    from PIL import Image

    if not os.path.exists(path):
        return "no file"
    image = Image.open(path)
    if image.size != tuple(size):
        return "size %dx%d, expected %dx%d" % (image.size + tuple(size))
    rgb = image.convert("RGB")
    colors = dict((c, n) for n, c in rgb.getcolors(maxcolors=1 << 24))
    total = size[0] * size[1]
    background = colors.get((255, 255, 255), 0)
    if total - background < min_fill * total:
        return "only %.1f%% of pixels are not background" % (100.0 * (total - background) / total)
    if classes:
        missing = [c for c in style.COLORS if colors.get(hex_rgb(c), 0) < 100]
        if missing:
            return "class colours missing: %s (%d distinct colours)" % (", ".join(missing), len(colors))
    return ""


def check_demo(path):
    # The demo map has a title, legend and notes and the demo's own classes: size and not blank.
    return check_map(path, style.W1_SIZE, classes=False)


def has_batch(choro):
    """True when this choro lists the batch command (`choro batch --help` alone proves nothing:
    an unknown word before --help still prints the top-level help)."""
    listed = subprocess.run([choro, "--help"], capture_output=True, text=True).stdout
    return any(line.split()[:1] == ["batch"] for line in listed.splitlines())


def check_folder(path, size, count):
    """The maps are the PNGs at the top of the folder (an atlas's thumbnails or other files aside)."""
    files = sorted(glob.glob(os.path.join(path, "*.png")))
    if len(files) != count:
        return "%d maps, expected %d" % (len(files), count)
    for f in files:
        problem = check_map(f, size, classes=False, min_fill=0.03)  # Alaska fills 18% of its frame; Hawaii's
        # islands with choro's title and legend about 4.6% (its land is a tenth of its box)
        if problem:
            return "%s: %s" % (f, problem)
    return ""


def check_tiles(path, expected):
    """Tiles are 256 px PNGs; all of them are decoded; enough must exist (choro leaves out tiles
    with no data: 29% of the range at z0-7 remain), at least a tenth must show more than one
    colour, and every class colour must appear."""
    from PIL import Image

    files = glob.glob(os.path.join(path, "*", "*", "*.png"))
    if len(files) < 0.2 * expected or len(files) > expected:
        return "%d tiles, expected up to %d" % (len(files), expected)
    varied = 0
    seen = set()
    wanted = {hex_rgb(c) for c in style.COLORS}
    for f in files:
        image = Image.open(f)
        if image.size != (style.TILE, style.TILE):
            return "%s is %dx%d" % ((f,) + image.size)
        colors = image.convert("RGB").getcolors(maxcolors=1 << 16) or [(0, (0, 0, 0))] * 2
        varied += len(colors) > 1
        seen |= wanted & {c for _, c in colors}
    if varied < 0.1 * len(files):
        return "only %d of %d tiles show more than one colour" % (varied, len(files))
    if seen != wanted:
        return "class colours missing from all tiles: %s" % (wanted - seen)
    return ""


def write_proj4(shp, crs):
    text = subprocess.run(["gdalsrsinfo", "-o", "proj4", crs], check=True, capture_output=True, text=True).stdout
    with open(shp[:-4] + ".proj4", "w") as f:
        f.write(text.strip().strip("'") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="CI: one run each, tiles z0-3 only, W1 and W3")
    parser.add_argument("--reps", type=int, default=5, help="runs per renderer (median reported)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per renderer and workload after which no further runs start")
    parser.add_argument("--zoom", default="0-7", help="W3 zoom range")
    parser.add_argument("--w2", action="store_true", help="also run W2 (51 state maps)")
    parser.add_argument("--only", default="W1,W3", help="workloads to run (W1,W2,W3)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (outputs, data)")
    parser.add_argument("--out-dir", default="auto",
                        help="where renderers write: auto (a fresh folder in /dev/shm, else the work folder), "
                             "work (the work folder on disk), or a folder to make a fresh folder in")
    parser.add_argument("--choro", default=os.path.join(ROOT, "build", "release", "cli", "choro"))
    parser.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"))
    args = parser.parse_args()
    if args.short:
        args.reps, args.zoom = 1, "0-3"
    if args.w2 and "W2" not in args.only.split(","):
        args.only += ",W2"
    if "W2" in args.only.split(","):
        args.w2 = True  # prepare_w2 too
    if "W2" in args.only.split(",") and not has_batch(args.choro):
        raise SystemExit("bench: W2 runs `choro batch`, and %s has no batch command (not on this branch yet?): "
                         "build a choro that has it, or leave out --w2" % args.choro)
    bench = Bench(args)
    # choro's layer cache goes to the work folder, not the user's: every run starts cold.
    os.environ["XDG_CACHE_HOME"] = bench.path("cache")
    try:
        bench.prepare()
        for w in ("W1", "W2", "W3"):
            if w in args.only.split(","):
                getattr(bench, w.lower())()
        bench.report()
    finally:
        if args.keep:
            log("work folder kept: %s (outputs in %s)" % (bench.work, bench.outputs))
        else:
            shutil.rmtree(bench.work, ignore_errors=True)
            shutil.rmtree(bench.outputs, ignore_errors=True)


if __name__ == "__main__":
    main()

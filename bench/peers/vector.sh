#!/usr/bin/env bash
# W4 "vector": vector tiles of the US counties (with the state overlay) at z0-10, choro against
# tippecanoe, side by side in one run on the same data: the counties (id, name, agreements joined
# from `choro agreements`) and the states, as GeoJSON sequences for tippecanoe (-L features:...
# -L overlay:...), as the demo job reads them for choro (--format mvt). Both write MBTiles; runs
# alternate (choro, tippecanoe, choro, ...) so both see the same load. Prints median wall and CPU
# time, total size and choro's ratios.
# tippecanoe is built here from ../shared/peers (its README: untar, make tippecanoe), under
# bench/peers/build/ (not tracked), never linked or copied into choro.
# usage: bench/peers/vector.sh [--reps N] [--zoom 0-10] [--choro PATH] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=3
zoom=0-10
choro=build/release/cli/choro
data_dir=../shared/data
while (($#)); do
    case "$1" in
        --reps) reps=$2; shift 2 ;;
        --zoom) zoom=$2; shift 2 ;;
        --choro) choro=$2; shift 2 ;;
        --data-dir) data_dir=$2; shift 2 ;;
        *) echo "vector.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$choro" ] || { echo "vector.sh: no $choro; build it first: scripts/setup release" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

# tippecanoe from the shared source tarball.
tarball=$(ls "$data_dir"/../peers/tippecanoe-*.tar.gz 2>/dev/null | head -n1 || true)
[ -n "$tarball" ] || { echo "vector.sh: no tippecanoe-*.tar.gz in $data_dir/../peers" >&2; exit 1; }
src=bench/peers/build/$(basename "$tarball" .tar.gz)
if [ ! -x "$src/tippecanoe" ]; then
    log "building tippecanoe from $tarball (about a minute)"
    mkdir -p bench/peers/build
    tar -xzf "$tarball" -C bench/peers/build
    nice make -C "$src" -j2 tippecanoe >/dev/null
fi
tippecanoe=$src/tippecanoe
command -v ogr2ogr >/dev/null && command -v sqlite3 >/dev/null || { echo "vector.sh: needs gdal-bin, sqlite3" >&2; exit 1; }

work=$(mktemp -d /tmp/choro-vector-XXXXXX)
trap 'rm -rf "$work"' EXIT
atlas=data/downloads/us-atlas-3.0.1
[ -f "$atlas/counties-10m.json" ] || atlas=$data_dir/reference/us-atlas-3.0.1
sheet=$(ls "$data_dir"/ice287g/participating/ice287g_participating_*.csv | sort | tail -n1)
"$choro" agreements "$sheet" --data-dir "$data_dir" -o "$work/agreements" 2>/dev/null
ogr2ogr -f GPKG "$work/src.gpkg" "$atlas/counties-10m.json" counties -a_srs EPSG:4326 -nln counties_all
ogr2ogr -append "$work/src.gpkg" "$work/agreements/counties.csv" -nln vals
ogr2ogr -f GeoJSONSeq "$work/counties.geojsonl" "$work/src.gpkg" -dialect SQLite -sql \
    "SELECT c.geom, c.id AS id, c.name AS name, CAST(v.agreements AS INTEGER) AS agreements
     FROM counties_all c LEFT JOIN vals v ON c.id = v.county_fips"
ogr2ogr -f GeoJSONSeq "$work/states.geojsonl" "$atlas/states-10m.json" states -a_srs EPSG:4326
log "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
log "$(wc -l <"$work/counties.geojsonl") counties, $(wc -l <"$work/states.geojsonl") states, zoom $zoom, $reps runs each"

minz=${zoom%-*}
maxz=${zoom#*-}
run() {  # NAME OUT CMD...: appends "name wall cpu bytes tiles"
    local name=$1 out=$2
    shift 2
    rm -f "$out"
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r wall user sys <"$work/time"
    local tiles
    tiles=$(sqlite3 "$out" "SELECT COUNT(*) FROM tiles")
    echo "${name// /_} $wall $(echo "$user + $sys" | bc) $(stat -c %s "$out") $tiles" >>"$work/rows"
}
# Counties only (the issue's figure), and counties with the state overlay (the demo's tiles).
awk '/^\[overlay\]/ {skip = 1; next} /^\[/ {skip = 0} !skip' jobs/us-counties.toml |
    sed -e "s|\"\.\./|\"$PWD/|" -e '/^state_key/d' >"$work/counties-only.toml"
for ((i = 0; i < reps; i++)); do
    run "choro counties" "$work/c1.mbtiles" "$choro" tiles "$work/counties-only.toml" --data-dir "$data_dir" \
        --values "$work/agreements/counties.csv" --zoom "$zoom" --format mvt -q -o "$work/c1.mbtiles"
    run "tippecanoe counties" "$work/t1.mbtiles" "$tippecanoe" -q -f -o "$work/t1.mbtiles" -Z"$minz" -z"$maxz" \
        -l features "$work/counties.geojsonl"
    run "choro counties+states" "$work/c2.mbtiles" "$choro" tiles jobs/us-counties.toml --data-dir "$data_dir" \
        --values "$work/agreements/counties.csv" --zoom "$zoom" --format mvt -q -o "$work/c2.mbtiles"
    run "tippecanoe counties+states" "$work/t2.mbtiles" "$tippecanoe" -q -f -o "$work/t2.mbtiles" -Z"$minz" \
        -z"$maxz" -L features:"$work/counties.geojsonl" -L overlay:"$work/states.geojsonl"
done
python3 - "$work/rows" "$("$tippecanoe" --version 2>&1 | head -n1)" "$zoom" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, cpu, size, tiles = line.split()
    rows.setdefault(name.replace("_", " "), []).append((float(wall), float(cpu), int(size), int(tiles)))
print("| W4 vector z%s | median wall (s) | median CPU (s) | runs | MBTiles size (MB) | tiles |" % sys.argv[3])
print("|---|---|---|---|---|---|")
med = {}
for name, r in rows.items():
    med[name] = (statistics.median(x[0] for x in r), statistics.median(x[1] for x in r), r[-1][2], r[-1][3])
    label = name.replace("tippecanoe", sys.argv[2])
    print("| %s | %.2f | %.2f | %d | %.2f | %d |" % (label, med[name][0], med[name][1], len(r), med[name][2] / 1e6,
                                                    med[name][3]))
for data in ("counties", "counties+states"):
    c, t = med["choro " + data], med["tippecanoe " + data]
    print("%s: choro vs tippecanoe: wall %.2fx faster, CPU %.2fx less, size %.2fx (choro/tippecanoe)"
          % (data, t[0] / c[0], t[1] / c[1], c[2] / t[2]))
PY

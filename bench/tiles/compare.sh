#!/usr/bin/env bash
# choro tiles against Mapnik (what OpenStreetMap's renderd uses) on the same pyramid: the US
# counties with state borders, zooms 0-8 by default, equal cores, 256 px tiles.
# Installs python3-mapnik from Debian when missing. Prints tiles/s of each and the ratio.
# usage: bench/tiles/compare.sh [ZOOM (0-8)] [THREADS (all cores)]   (from the repository root,
#        after scripts/setup release; data from ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
zoom=${1:-0-8}
threads=${2:-$(nproc)}
data=${DATA:-../shared/data}
choro=${CHORO:-build/release/cli/choro}
bbox="-179.2,17.8,-64.5,71.5"
atlas="$data/reference/us-atlas-3.0.1"

if ! /usr/bin/python3 -c "import mapnik" 2>/dev/null; then
    echo "bench: installing python3-mapnik" >&2
    apt-get install -y python3-mapnik >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same geometry for both, in EPSG:3857 for Mapnik (choro projects itself).
ogr2ogr -f "ESRI Shapefile" -s_srs EPSG:4326 -t_srs EPSG:3857 "$work/counties.shp" "$atlas/counties-10m.json" counties >/dev/null
ogr2ogr -f "ESRI Shapefile" -s_srs EPSG:4326 -t_srs EPSG:3857 "$work/states.shp" "$atlas/states-10m.json" states >/dev/null

echo "bench: Mapnik $(/usr/bin/python3 -c 'import mapnik; print(mapnik.mapnik_version())'), zooms $zoom, $threads processes" >&2
mapnik_json=$(/usr/bin/python3 bench/tiles/render_mapnik.py "$work/counties.shp" "$work/states.shp" "$work/mapnik" \
    "${zoom%-*}" "${zoom#*-}" "$bbox" "$threads")
echo "mapnik: $mapnik_json"

start=$(date +%s.%N)
"$choro" tiles --data-dir "$data" --boundaries "$atlas/counties-10m.json" --layer counties --srs EPSG:4326 \
    --overlay "$atlas/states-10m.json" --overlay-layer states \
    --values "$data/reference/us_counties_fips.csv" --values-key county_fips --count \
    --zoom "$zoom" --bbox="$bbox" --threads "$threads" -q -o "$work/choro"
end=$(date +%s.%N)
tiles=$(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])['tiles'])" "$mapnik_json")
/usr/bin/python3 - "$mapnik_json" "$start" "$end" "$tiles" <<'PY'
import json, sys
m = json.loads(sys.argv[1]); start, end, tiles = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
# choro's time includes reading, joining and projecting; both cover the same tile range.
c = tiles / (end - start)
print("choro:  {\"tiles\": %d, \"seconds\": %.2f, \"tiles_per_second\": %.1f}" % (tiles, end - start, c))
print("ratio choro/mapnik: %.2fx" % (c / m["tiles_per_second"]))
PY

#!/usr/bin/env bash
# Regenerates extra-header-rows.xlsx: an XLSX whose real header row (fips, agreements) sits below a
# generated header row (field1, field2), a title row and an empty row, as ICE's spreadsheets do.
# Needs ogr2ogr (gdal-bin). Run from this folder.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '287(g) agreements by county,(ICE sheet 2026-05-18)' ' , ' 'fips,agreements' '01001,3' '01003,0' '01005,7' '01007,1' >"$tmp/sheet.csv"
rm -f extra-header-rows.xlsx
ogr2ogr -f XLSX -oo HEADERS=NO -nln Sheet1 extra-header-rows.xlsx "$tmp/sheet.csv"

#!/usr/bin/env bash
# Regenerate the map's vendored files from the npm registry (run by hand when bumping a version;
# the results are committed, so the map needs neither Node nor the network at run time):
#   frontlines/web/static/vendor/maplibre-gl/   maplibre-gl.js, maplibre-gl.css, LICENSE.txt
#   frontlines/web/static/vendor/world-atlas/   countries-50m.geojson.gz (Natural Earth 1:50m
#       countries, world-atlas's countries-50m.json decoded to GeoJSON by frontlines.web.basemap), LICENSE
# Each package is fetched with `npm pack NAME@VERSION`; the tarball's sha512 must equal both the
# integrity npm reports and the one pinned below, else nothing is copied.
set -euo pipefail

MAPLIBRE_VERSION=5.24.1
MAPLIBRE_INTEGRITY="sha512-HyiYBwtsbk3L1n1EPLJHWqdoyMiF80n7tEYXFZyu2m1TjvaNx6KMLiFeDdmszt1/mq2zvsR1TJuX/NMu5BonXQ=="
WORLD_ATLAS_VERSION=2.0.2
WORLD_ATLAS_INTEGRITY="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/frontlines/web/static/vendor"
command -v npm >/dev/null || { echo "vendor-web.sh: npm not found; install Node.js (Debian: apt-get install npm)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION PINNED_INTEGRITY -> unpacks into $work/NAME/package
fetch() {
    local name=$1 version=$2 pinned=$3 reported actual tgz
    mkdir -p "$work/$name"
    reported="$(cd "$work/$name" && npm pack "$name@$version" --json --silent \
                | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["integrity"])')"
    tgz="$(ls "$work/$name"/*.tgz)"
    actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    if [ "$actual" != "$reported" ] || [ "$actual" != "$pinned" ]; then
        echo "vendor-web.sh: $name@$version integrity mismatch" >&2
        echo "  tarball:  $actual" >&2
        echo "  npm says: $reported" >&2
        echo "  pinned:   $pinned" >&2
        echo "  fix: check the version; if the new hash is right, update the pin in this script" >&2
        exit 1
    fi
    tar -xzf "$tgz" -C "$work/$name"
    echo "$name@$version  $actual" >&2
}

fetch maplibre-gl "$MAPLIBRE_VERSION" "$MAPLIBRE_INTEGRITY"
fetch world-atlas "$WORLD_ATLAS_VERSION" "$WORLD_ATLAS_INTEGRITY"

rm -rf "$vendor/maplibre-gl" "$vendor/world-atlas"
mkdir -p "$vendor/maplibre-gl" "$vendor/world-atlas"
cp "$work/maplibre-gl/package/dist/maplibre-gl.js" \
   "$work/maplibre-gl/package/dist/maplibre-gl.css" \
   "$work/maplibre-gl/package/LICENSE.txt" "$vendor/maplibre-gl/"
cp "$work/world-atlas/package/LICENSE" "$vendor/world-atlas/"
python="$root/.venv/bin/python"
[ -x "$python" ] || python=python3
(cd "$root" && "$python" -c 'import sys; from pathlib import Path; from frontlines.web.basemap import write_outlines; write_outlines(Path(sys.argv[1]))' "$work/world-atlas/package/countries-50m.json")
cat > "$vendor/VERSIONS.txt" <<EOF
maplibre-gl $MAPLIBRE_VERSION $MAPLIBRE_INTEGRITY (dist/maplibre-gl.js, dist/maplibre-gl.css, LICENSE.txt; BSD-3-Clause)
world-atlas $WORLD_ATLAS_VERSION $WORLD_ATLAS_INTEGRITY (countries-50m.json: Natural Earth 1:50m, public domain; LICENSE: ISC) -> countries-50m.geojson.gz
Regenerate with scripts/vendor-web.sh.
EOF
echo "vendored into $vendor" >&2

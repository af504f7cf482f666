#!/usr/bin/env bash
# `make eval`: every accuracy figure the project reports, on every dev set it can find.
# Team gold (tests/gold) always runs; sets under ../shared/data run when present and are
# skipped with a reason otherwise. Figures go to the terminal and, as JSON, to out/eval/.
set -euo pipefail
cd "$(dirname "$0")/.."
FL=.venv/bin/frontlines
SHARED=${FRONTLINES_SHARED_DATA:-../shared/data}
OUT=out/eval
mkdir -p "$OUT"

echo "== events: team gold, development split (tuned on: in-sample figures)"
$FL eval events tests/gold/dev_events.csv -q --json "$OUT/dev_events.json"
if [ -f tests/gold/test_events.csv ]; then
  echo "== events: team gold, test split (never tuned on)"
  $FL eval events tests/gold/test_events.csv -q --json "$OUT/test_events.json"
fi

if [ ! -d "$SHARED/dev" ]; then
  echo "skipped: $SHARED/dev not found (set FRONTLINES_SHARED_DATA); ACLED, BBC and geoparsing sets not scored"
  exit 0
fi
D=$SHARED/dev
echo "== events: ACLED Middle East 2022 H1 (notes; no publication dates: derived as event_date+1)"
$FL eval events "$D/acled_middle_east_2022h1/acled.csv" -q --json "$OUT/acled_me.json"
echo "== events: ACLED Syria battles 2017-2023 (2,000 notes spread over the file)"
$FL eval events "$D/acled_syria_battles_2017_2023/acled.csv" --sample 2000 -q --json "$OUT/acled_syria.json"
echo "== events: ACLED Africa 2016-07 (old layout)"
$FL eval events "$D/acled_africa_2016_07/acled.csv" -q --json "$OUT/acled_africa.json"
echo "== events: BBC news, no conflict (every event is false; 600 articles spread over the file)"
$FL eval events "$D/bbc_news/bbc_news_2225.csv" --sample 600 --published-from 2005-01-01 -q --json "$OUT/bbc.json"
echo "== geoparse: LGL, GeoVirus"
$FL eval geoparse "$D/lgl/lgl.xml" "$D/geovirus/GeoVirus.xml" -q --json "$OUT/geoparse.json"

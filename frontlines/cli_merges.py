"""``frontlines merges``: reports merged into stored events by corroboration, and undo."""

from __future__ import annotations

import json

import click

from frontlines.cli_common import _settings, handle_errors

_DB_HELP = "SQLAlchemy URL (default: the 'db' setting)."


def _store(db: str | None):
    from frontlines.store import Store

    return Store(db or _settings().db)


def _line(merge) -> str:
    event = merge.merged_event
    kept = merge.kept_event_id_cnty or merge.kept_event_id
    state = (f"undone {merge.undone_at:%Y-%m-%d %H:%M} UTC" if merge.undone_at
             else f"{merge.sources} report(s)")
    return (f"#{merge.merge_id}  {merge.merged_at:%Y-%m-%d %H:%M} UTC  into {kept}: "
            f"{event.event_date} {event.sub_event_type}, {event.actor1}"
            f"{' v ' + event.actor2 if event.actor2 else ''}, {event.location or '?'} "
            f"({event.source or 'no outlet'}; {state})\n    why: {merge.why}")


@click.group(invoke_without_command=True)
@click.option("--db", metavar="URL", help=_DB_HELP)
@click.option("--event", "event_id", metavar="EVENT_ID",
              help="Only merges into or of this event (its internal event_id).")
@click.option("--all", "include_undone", is_flag=True, help="Also list undone merges.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per merge.")
@click.pass_context
@handle_errors
def merges(ctx: click.Context, db: str | None, event_id: str | None, include_undone: bool,
           as_json: bool) -> None:
    """List reports merged into stored events as the same event told differently.

    Each merge names the kept event (its ACLED id), the report's event that joined it, how
    many reports it brought and why the two agree. 'frontlines merges undo ID' undoes one.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is not None:
        return
    with _store(db) as store:
        found = store.merges(event_id=event_id, include_undone=include_undone)
    if as_json:
        for merge in found:
            click.echo(json.dumps(merge.to_dict(), ensure_ascii=False))
        return
    if not found:
        click.echo("no merges" + ("" if include_undone else " (--all shows undone ones)"))
        return
    for merge in found:
        click.echo(_line(merge))
    click.echo(f"{len(found)} merge(s); 'frontlines merges undo ID' undoes one")


@merges.command("undo")
@click.argument("merge_id", type=click.IntRange(min=1))
@click.option("--db", metavar="URL", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="The undone merge as JSON.")
@click.pass_context
@handle_errors
def merges_undo(ctx: click.Context, merge_id: int, db: str | None, as_json: bool) -> None:
    """Undo merge MERGE_ID: the merged event is stored again with its reports."""
    with _store(db or ctx.obj.get("db")) as store:
        done = store.unmerge(merge_id)
        restored = store.event(done.merged_event_id)
    if as_json:
        click.echo(json.dumps(done.to_dict(), ensure_ascii=False))
        return
    number = restored.event_id_cnty if restored else done.merged_event_id
    click.echo(f"undid merge #{merge_id}: {number} ({done.merged_event.location or '?'}, "
               f"{done.merged_event.event_date}) is its own event again; "
               f"{done.kept_event_id_cnty or done.kept_event_id} keeps its other reports")

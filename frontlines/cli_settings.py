"""``frontlines settings``: every setting, its current value and where that value came from."""

from __future__ import annotations

import json

import click

from frontlines.cli_common import handle_errors, wide_console
from frontlines.settings import CONFIG_NAME, SETTINGS, Settings

_SECRET = frozenset({"api_keys"})


def _shown(name: str, value: object) -> object:
    """Keys are never printed: only how many there are."""
    if name in _SECRET:
        count = len([k for k in str(value).split(",") if k])
        return f"{count} key(s)" if count else ""
    return value


@click.command("settings")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object: the config file in use and, per setting, value, source "
                   "and environment variable.")
@handle_errors
def show_settings(as_json: bool) -> None:
    """List every setting: its value and where it came from.

    A value comes from, first match wins: a command's flag (e.g. --db), the environment
    variable FRONTLINES_<NAME>, frontlines.toml (in the current folder, else in the data
    home; top-level keys named as the settings, e.g. db = "sqlite:///events.db"), the default.
    API keys are shown as a count, never printed.
    """
    from rich.table import Table

    settings = Settings()
    rows = [(s, _shown(s.name, getattr(settings, s.name)), settings.source(s.name))
            for s in SETTINGS]
    if as_json:
        click.echo(json.dumps({
            "config_file": str(settings.config_file) if settings.config_file else None,
            "settings": {s.name: {"value": value, "source": source, "environment": s.env}
                         for s, value, source in rows}}, indent=2, ensure_ascii=False))
        return
    table = Table("setting", "value", "from", "environment", box=None)
    for setting, value, source in rows:
        table.add_row(setting.name, str(value), source, setting.env)
    console = wide_console()
    console.print(table)
    where = settings.config_file or f"none (looked for ./{CONFIG_NAME} and " \
                                    f"{settings.home}/{CONFIG_NAME})"
    console.print(f"config file: {where}; 'frontlines settings --help' explains the order, "
                  "docs/cli.md each setting", soft_wrap=True)

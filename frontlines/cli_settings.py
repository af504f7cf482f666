"""``frontlines settings``: every setting, where it is read from and its current value."""

from __future__ import annotations

import click
from rich.console import Console

from frontlines.settings import SETTINGS, Settings


@click.command("settings")
def show_settings() -> None:
    """List every setting, its environment variable and current value."""
    from rich.table import Table

    current = Settings().as_dict()
    table = Table("setting", "environment", "value", "help")
    for setting in SETTINGS:
        table.add_row(setting.name, setting.env, str(current[setting.name]), setting.help)
    Console(width=160).print(table)

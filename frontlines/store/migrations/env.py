"""Alembic environment for the Frontlines store.

``Store(url)`` runs the migrations itself, handing its open connection in
``config.attributes["connection"]``. For schema work from a shell::

    FRONTLINES_DB=sqlite:///dev.db alembic -c frontlines/store/alembic.ini revision \\
        --autogenerate -m "what changed"
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from frontlines.store.schema import include_object, metadata

config = context.config


def _configure(**kwargs: object) -> None:
    context.configure(target_metadata=metadata, compare_type=True, render_as_batch=True,
                      include_object=include_object, **kwargs)


def _url() -> str:
    url = os.environ.get("FRONTLINES_DB") or config.get_main_option("sqlalchemy.url")
    if not url:
        from frontlines.settings import Settings

        url = Settings().db
    return url


def run_offline() -> None:
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

"""Alembic environment: run the migrations on the connection the store hands over.

:func:`corridor.store.Store.migrate` passes an open connection in ``config.attributes``; the
plain ``alembic`` command can be used too with ``sqlalchemy.url`` set in its config.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from corridor.store.models import Base


def _run_migrations() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=Base.metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


# Alembic executes this file to migrate; a plain import (e.g. by doctest collection) does nothing.
if getattr(context, "_proxy", None) is not None:
    _run_migrations()

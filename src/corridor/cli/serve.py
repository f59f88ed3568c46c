"""``corridor serve`` and ``corridor keys``: run the service and manage its API keys.

:func:`register` adds the commands to the ``corridor`` typer app. FastAPI, uvicorn and the store
are imported only when one of these commands runs, so the rest of the CLI stays quick to start.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from corridor.store import Store

__all__ = ["register"]

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``keys`` group (``create``, ``list``, ``revoke``) to ``app``."""
    keys = typer.Typer(help="API keys for the service's write endpoints.", no_args_is_help=True)
    app.add_typer(keys, name="keys")

    @app.command()
    def serve(
        host: Annotated[
            str, typer.Option("--host", metavar="HOST", help="Address to listen on.")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="TCP port.")
        ] = 8000,
    ) -> None:
        """Run the web service: API under /api/v1, the map page at /, OpenAPI at /docs."""
        _require_service()
        import uvicorn  # noqa: PLC0415  (heavy; only for this command)

        from corridor.api import Settings, create_app  # noqa: PLC0415

        settings = Settings()
        local = _is_loopback(host)
        if local and "CORRIDOR_LOCAL_WRITES" not in os.environ:
            settings = settings.model_copy(update={"local_writes": True})
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Corridor at http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)")
        typer.echo(f"store: {_redact(settings.store_url())}")
        if settings.local_writes:
            typer.echo(
                "writes from this machine need no API key "
                "(CORRIDOR_LOCAL_WRITES=false to require one)"
            )
        elif not local:
            typer.echo("write endpoints need an API key: corridor keys create --name NAME")
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")

    @keys.command("create")
    def create_key(
        name: Annotated[
            str, typer.Option("--name", help="Who or what the key is for.")
        ] = "default",
        admin: Annotated[
            bool, typer.Option("--admin", help="May cancel any job, not only its own.")
        ] = False,
    ) -> None:
        """Create an API key and print it (it is shown only this once)."""
        store = _store()
        try:
            created = store.create_api_key(name[:100], admin=admin)
        finally:
            store.close()
        typer.echo(created.key)
        typer.echo(
            f"{'admin ' if admin else ''}key #{created.record.id} '{created.record.name}' "
            "created; send it as X-API-Key. "
            "It is stored hashed and cannot be shown again.",
            err=True,
        )

    @keys.command("list")
    def list_keys() -> None:
        """List API keys (id, name, prefix, created, revoked)."""
        store = _store()
        try:
            for k in store.list_api_keys():
                revoked = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
                role = "admin" if k.admin else "writer"
                typer.echo(
                    f"{k.id}\t{k.name}\tcor_{k.prefix}_…\t{k.created_at:%Y-%m-%d}\t{revoked}"
                    f"\t{role}"
                )
        finally:
            store.close()

    @keys.command("revoke")
    def revoke_key(key_id: Annotated[int, typer.Argument(help="The key's number.")]) -> None:
        """Revoke an API key."""
        store = _store()
        try:
            found = store.revoke_api_key(key_id)
        finally:
            store.close()
        if not found:
            typer.echo(f"error: no API key #{key_id}", err=True)
            raise typer.Exit(1)
        typer.echo(f"key #{key_id} revoked", err=True)


def _require_service() -> None:
    """Exit with a clear message when the ``service`` extra is not installed."""
    import importlib.util  # noqa: PLC0415

    missing = [
        m
        for m in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "pydantic_settings")
        if importlib.util.find_spec(m) is None
    ]
    if missing:
        typer.echo(
            f"error: the service needs {', '.join(missing)}: pip install 'corridor[service]'",
            err=True,
        )
        raise typer.Exit(1)


def _store() -> Store:
    _require_service()
    from corridor.api import Settings  # noqa: PLC0415
    from corridor.store import Store  # noqa: PLC0415

    return Store(Settings().store_url())


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)

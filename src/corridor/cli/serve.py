"""``corridor serve`` and ``corridor keys``: run the service and manage its API keys.

:func:`register` adds the commands to the ``corridor`` typer app. FastAPI, uvicorn and the store
are imported only when one of these commands runs, so the rest of the CLI stays quick to start.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from corridor.store import Store

__all__ = ["register", "require_service"]

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
    _add_serve(app)
    _add_keys(keys)


def _add_serve(app: typer.Typer) -> None:
    """Add ``serve``: check the address, port and network, then run the service."""

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
        require_service()
        import socket  # noqa: PLC0415

        import uvicorn  # noqa: PLC0415  (heavy; only for this command)

        from corridor.api import create_app  # noqa: PLC0415
        from corridor.api.server import uvicorn_config  # noqa: PLC0415

        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except (OSError, UnicodeError) as exc:
            raise typer.BadParameter(
                f"cannot listen on '{host}': {getattr(exc, 'strerror', None) or exc}",
                param_hint="'--host'",
            ) from None
        _check_port(host, port)
        settings = _settings()
        if settings.network is not None:  # fail here, in one line, not in the server's start-up
            from corridor.errors import CorridorError  # noqa: PLC0415
            from corridor.network import load_network  # noqa: PLC0415

            try:
                load_network(settings.network)
            except CorridorError as exc:
                typer.echo(f"error: CORRIDOR_NETWORK: {exc}", err=True)
                raise typer.Exit(1) from None
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
        try:
            app_ = create_app(settings)
        except _store_errors() as exc:
            _store_failed(settings.store_url(), exc)
        config = uvicorn_config(
            app_,
            host=host,
            port=port,
            header_timeout_s=settings.header_timeout_s,
            keep_alive_s=settings.keep_alive_s,
            max_connections=settings.max_connections,
        )
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            typer.echo(f"error: could not listen on {shown}:{port} (see the log above)", err=True)
            raise typer.Exit(1)


def _add_keys(keys: typer.Typer) -> None:
    """Add ``create``, ``list`` and ``revoke`` to the ``keys`` group."""

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


def _check_port(host: str, port: int) -> None:
    """Exit 1 with one line when ``host:port`` cannot be bound (in use, or not allowed).

    Tried before anything is printed, with the options the server binds with, so a busy port
    reads as one error and not as a URL followed by a server log.
    """
    import errno  # noqa: PLC0415
    import socket  # noqa: PLC0415

    family, kind, proto, _name, addr = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            shown = f"[{host}]" if ":" in host else host
            if exc.errno == errno.EADDRINUSE:
                why = "the port is in use (another server?); choose another with --port"
            elif exc.errno == errno.EACCES:
                why = "permission denied (ports below 1024 need privileges)"
            else:
                why = exc.strerror or str(exc)
            typer.echo(f"error: cannot listen on {shown}:{port}: {why}", err=True)
            raise typer.Exit(1) from None


def require_service(what: str = "the service") -> None:
    """Exit with a clear message when the ``service`` extra is not installed."""
    import importlib.util  # noqa: PLC0415

    missing = [
        m
        for m in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "pydantic_settings")
        if importlib.util.find_spec(m) is None
    ]
    if missing:
        typer.echo(
            f"error: {what} needs {', '.join(missing)}: pip install 'corridor[service]'",
            err=True,
        )
        raise typer.Exit(1)


def _settings() -> Any:
    """The service settings from the environment, or a one-line error naming the variable."""
    from pydantic import ValidationError  # noqa: PLC0415
    from pydantic_settings import SettingsError  # noqa: PLC0415

    from corridor.api import Settings  # noqa: PLC0415

    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "CORRIDOR_" + "_".join(str(p) for p in err["loc"]).upper()
        typer.echo(f"error: {name}: {err['msg']}", err=True)
        raise typer.Exit(1) from None
    except SettingsError as exc:  # a list setting that is not JSON (CORRIDOR_ALLOWED_HOSTS=x)
        field = str(exc).split('"')[1] if '"' in str(exc) else "a setting"
        typer.echo(
            f'error: CORRIDOR_{field.upper()}: not valid JSON (a list is written ["example.org"])',
            err=True,
        )
        raise typer.Exit(1) from None


def _store_errors() -> tuple[type[Exception], ...]:
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError  # noqa: PLC0415

    return (DBAPIError, ArgumentError, NoSuchModuleError, OSError)


def _store_failed(url: str, exc: Exception) -> NoReturn:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = lines[0] if lines else type(exc).__name__
    typer.echo(f"error: cannot open the store {_redact(url)}: {first}", err=True)
    raise typer.Exit(1)


def _store() -> Store:
    require_service()
    from corridor.store import Store  # noqa: PLC0415

    url = _settings().store_url()
    try:
        return Store(url)
    except _store_errors() as exc:
        _store_failed(url, exc)


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415
    from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(an URL that cannot be read)"

"""Dependencies of the routes, as ``Annotated`` aliases (``SettingsDep``, ``StoreDep``...)."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from corridor.api.jobs import JobManager
from corridor.api.problems import Problem
from corridor.api.procs import loopback_peer_uid
from corridor.api.services import Services
from corridor.api.settings import Settings
from corridor.network import Network
from corridor.store import ApiKeyRecord, Store

__all__ = [
    "JobsDep",
    "NetworkDep",
    "ServicesDep",
    "SettingsDep",
    "StoreDep",
    "WriterDep",
]

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="Needed by write endpoints; create one with `corridor keys create`.",
)


async def get_services(request: Request) -> Services:
    """The app's services (settings, store, jobs, network)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings(services: ServicesDep) -> Settings:
    """The app's settings."""
    return services.settings


async def get_store(services: ServicesDep) -> Store:
    """The app's store."""
    return services.store


async def get_jobs(services: ServicesDep) -> JobManager:
    """The app's job manager."""
    return services.jobs


async def get_network(services: ServicesDep) -> Network:
    """The network (loaded on first use)."""
    return services.network()


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
JobsDep = Annotated[JobManager, Depends(get_jobs)]
NetworkDep = Annotated[Network, Depends(get_network)]


def _is_local(request: Request, peer: str) -> bool:
    """A loopback peer (of this machine's user, with ``peer='same-user'``) naming a loopback host.

    The decision rests on the peer: the connection comes from loopback and, by default, from a
    process of the user running the server (or root), read from the kernel's socket table. A
    reverse proxy on the same machine runs as its own user (``www-data``, ``nginx``...), so the
    clients it forwards are not local whatever ``Host`` it passes on. The ``Host`` header is
    checked as well, but only as a guard against DNS rebinding (a web page whose name resolves to
    127.0.0.1 in the user's own browser), never as a reason to trust a request.
    """
    if request.client is None:
        return False
    try:
        from_loopback = ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False
    if not from_loopback:
        return False
    raw_host = request.headers.get("host", "")
    host = raw_host.split("]")[0] + "]" if raw_host.startswith("[") else raw_host.rsplit(":", 1)[0]
    if host.lower() not in _LOOPBACK_NAMES:
        return False
    if peer == "any-local":
        return True
    server = request.scope.get("server")
    if not server or server[1] is None:
        return False
    uid = loopback_peer_uid(request.client.port, int(server[1]))
    return uid is not None and uid in (os.geteuid(), 0)


def require_writer(
    request: Request,
    services: ServicesDep,
    api_key: Annotated[str | None, Security(_api_key_header)] = None,
) -> ApiKeyRecord | None:
    """The caller's API key, required on write endpoints.

    With ``local_writes`` on, a request from a process of this machine's user (or from any
    loopback peer with ``local_writes_peer='any-local'``) may write without a key; it is then
    recorded without an owner.

    Raises
    ------
    Problem
        401 when the key is missing or not valid.
    """
    if api_key:
        record = services.store.verify_api_key(api_key)
        if record is None:
            raise Problem(
                401,
                "the API key is not valid or was revoked",
                headers={"WWW-Authenticate": "ApiKey"},
            )
        return record
    settings = services.settings
    if settings.local_writes and _is_local(request, settings.local_writes_peer):
        return None
    raise Problem(
        401,
        "this endpoint needs an API key in the X-API-Key header "
        "(create one with `corridor keys create`)",
        headers={"WWW-Authenticate": "ApiKey"},
    )


WriterDep = Annotated[ApiKeyRecord | None, Depends(require_writer)]

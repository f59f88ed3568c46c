"""Dependencies of the routes, as ``Annotated`` aliases (``SettingsDep``, ``StoreDep``...)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from corridor.api.jobs import JobManager
from corridor.api.problems import Problem
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


def _is_local(request: Request) -> bool:
    client = request.client.host if request.client else ""
    try:
        from_loopback = ipaddress.ip_address(client).is_loopback
    except ValueError:
        return False
    host = (request.headers.get("host") or "").rsplit(":", 1)[0] if request.headers else ""
    if request.headers.get("host", "").startswith("["):
        host = request.headers["host"].split("]")[0] + "]"
    return from_loopback and host.lower() in _LOOPBACK_NAMES


def require_writer(
    request: Request,
    services: ServicesDep,
    api_key: Annotated[str | None, Security(_api_key_header)] = None,
) -> ApiKeyRecord | None:
    """The caller's API key, required on write endpoints.

    With ``local_writes`` on, a request from loopback to a loopback host name (not a
    DNS-rebound one) may write without a key; it is then recorded without an owner.

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
    if services.settings.local_writes and _is_local(request):
        return None
    raise Problem(
        401,
        "this endpoint needs an API key in the X-API-Key header "
        "(create one with `corridor keys create`)",
        headers={"WWW-Authenticate": "ApiKey"},
    )


WriterDep = Annotated[ApiKeyRecord | None, Depends(require_writer)]
